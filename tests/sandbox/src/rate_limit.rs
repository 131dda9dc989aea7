//! The per-key rate limit (token bucket, 10 requests per second by default), answered with 503.

use std::collections::HashMap;
use std::time::Instant;

/// One token bucket per API key; capacity and refill rate are both `rps` (0 = no limit).
#[derive(Debug)]
pub struct RateLimiter {
    pub rps: u32,
    buckets: HashMap<String, (f64, Instant)>,
}

impl RateLimiter {
    pub fn new(rps: u32) -> RateLimiter {
        RateLimiter {
            rps,
            buckets: HashMap::new(),
        }
    }

    /// Changes the rate and forgets all buckets.
    pub fn set_rps(&mut self, rps: u32) {
        self.rps = rps;
        self.buckets.clear();
    }

    /// Takes a token for `key`; false when the key is over its limit.
    pub fn allow(&mut self, key: &str) -> bool {
        if self.rps == 0 {
            return true;
        }
        let rate = f64::from(self.rps);
        let now = Instant::now();
        let (tokens, last) = self.buckets.entry(key.to_string()).or_insert((rate, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * rate).min(rate);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_allows_a_burst_then_refuses() {
        let mut limiter = RateLimiter::new(3);
        assert!((0..3).all(|_| limiter.allow("k")));
        assert!(!limiter.allow("k"));
        assert!(limiter.allow("other"));
        limiter.set_rps(0);
        assert!((0..100).all(|_| limiter.allow("k")));
    }
}
