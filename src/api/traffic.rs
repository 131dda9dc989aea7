//! Traffic control: the token bucket that keeps under the CRM's rate limit, and retry backoff with full jitter.

/// Limits and retry policy of one connection (one key). Defaults: 10 requests/s, burst 1, 8 attempts, backoff from
/// 200 ms doubling up to 5 s.
#[derive(Clone, Debug, PartialEq)]
pub struct TrafficConfig {
    /// Sustained request rate (the CRM allows 10 per second per key).
    pub requests_per_second: f64,
    /// How many requests may go at once after a quiet spell. 1 spaces every request evenly, so no one-second window
    /// ever holds more than the rate.
    pub burst: u32,
    /// Attempts per call, the first included (so `max_attempts - 1` retries).
    pub max_attempts: u32,
    /// The backoff ceiling of the first retry; it doubles with each retry.
    pub base_delay_ms: f64,
    /// The largest backoff ceiling.
    pub max_delay_ms: f64,
}

impl Default for TrafficConfig {
    fn default() -> Self {
        Self {
            requests_per_second: 10.0,
            burst: 1,
            max_attempts: 8,
            base_delay_ms: 200.0,
            max_delay_ms: 5000.0,
        }
    }
}

/// What traffic control is doing, for the UI ("waiting for the rate limit", "retry 2 in 1.3 s") and the wire log.
#[derive(Clone, Debug, PartialEq)]
pub enum TrafficEvent {
    /// The request waits `wait_ms` for its turn under the rate limit.
    Throttled { wait_ms: f64 },
    /// Attempt `attempt` (2 = first retry) of at most `max_attempts` will be sent after `wait_ms`.
    Retrying {
        attempt: u32,
        max_attempts: u32,
        wait_ms: f64,
        reason: RetryReason,
    },
    /// A response came back (the URL carries no key).
    Responded {
        method: &'static str,
        url: String,
        status: u16,
        elapsed_ms: f64,
    },
}

/// A listener for [`TrafficEvent`]s, shared by the clones of a client.
pub type Observer = std::rc::Rc<dyn Fn(&TrafficEvent)>;

/// Why a request is retried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RetryReason {
    /// The CRM answered 503 or 429: its rate limit.
    RateLimited { status: u16 },
    /// No response.
    Network { detail: String },
}

/// A token bucket that hands out send times. Tokens may go negative: each caller reserves its slot at once and
/// waits for it, so callers sharing the bucket queue up fairly instead of racing.
#[derive(Debug)]
pub struct TokenBucket {
    rate_per_ms: f64,
    burst: f64,
    tokens: f64,
    updated_ms: f64,
}

impl TokenBucket {
    /// A full bucket at time `now_ms`.
    pub fn new(requests_per_second: f64, burst: u32, now_ms: f64) -> Self {
        let rps = if requests_per_second.is_finite() && requests_per_second > 0.0 {
            requests_per_second
        } else {
            10.0
        };
        let burst = f64::from(burst.max(1));
        Self {
            rate_per_ms: rps / 1000.0,
            burst,
            tokens: burst,
            updated_ms: now_ms,
        }
    }

    fn refill(&mut self, now_ms: f64) {
        if now_ms > self.updated_ms {
            self.tokens =
                (self.tokens + (now_ms - self.updated_ms) * self.rate_per_ms).min(self.burst);
            self.updated_ms = now_ms;
        }
    }

    /// Takes one token and returns how long to wait (ms) before sending.
    pub fn reserve(&mut self, now_ms: f64) -> f64 {
        self.refill(now_ms);
        self.tokens -= 1.0;
        if self.tokens >= 0.0 {
            0.0
        } else {
            -self.tokens / self.rate_per_ms
        }
    }

    /// Gives back a reserved token that was not used (the call was cancelled while waiting).
    pub fn refund(&mut self, now_ms: f64) {
        self.refill(now_ms);
        self.tokens = (self.tokens + 1.0).min(self.burst);
    }

    /// The CRM said "too many": drop any saved-up burst so every sharer slows to the sustained rate.
    pub fn penalize(&mut self, now_ms: f64) {
        self.refill(now_ms);
        self.tokens = self.tokens.min(0.0);
    }
}

/// A tiny xorshift64* generator for jitter (no `getrandom` in the wasm build). Seed it from the clock.
#[derive(Debug)]
pub struct Jitter {
    state: u64,
}

impl Jitter {
    /// A generator; a zero seed is replaced by a fixed odd constant.
    pub fn new(seed: u64) -> Self {
        Self {
            state: if seed == 0 {
                0x9E37_79B9_7F4A_7C15
            } else {
                seed
            },
        }
    }

    /// A uniform number in `[0, 1)`.
    pub fn next_unit(&mut self) -> f64 {
        let mut x = self.state;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.state = x;
        let out = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (out >> 11) as f64 / (1u64 << 53) as f64
    }
}

impl TrafficConfig {
    /// The backoff ceiling before retry number `retry` (1 = first retry): `base * 2^(retry-1)`, capped.
    pub fn backoff_ceiling_ms(&self, retry: u32) -> f64 {
        let exp = 2f64.powi(i32::try_from(retry.saturating_sub(1).min(30)).unwrap_or(30));
        (self.base_delay_ms * exp).min(self.max_delay_ms).max(0.0)
    }

    /// The wait before retry number `retry`: full jitter in `[0, ceiling)`, but never less than the server's
    /// `Retry-After` (itself capped at `max_delay_ms`) nor less than one rate-limit interval.
    pub fn backoff_ms(&self, retry: u32, retry_after_ms: Option<f64>, jitter: &mut Jitter) -> f64 {
        let jittered = self.backoff_ceiling_ms(retry) * jitter.next_unit();
        let interval = 1000.0 / self.requests_per_second.max(0.001);
        let floor = retry_after_ms
            .unwrap_or(0.0)
            .min(self.max_delay_ms)
            .max(interval.min(self.max_delay_ms));
        jittered.max(floor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_spaces_requests_after_the_burst() {
        let mut b = TokenBucket::new(10.0, 3, 0.0);
        let waits: Vec<f64> = (0..5).map(|_| b.reserve(0.0)).collect();
        assert_eq!(waits[..3], [0.0, 0.0, 0.0]);
        assert!((waits[3] - 100.0).abs() < 1e-6 && (waits[4] - 200.0).abs() < 1e-6);
        // After a quiet second the bucket is full again, never above the burst.
        let mut later: Vec<f64> = (0..4).map(|_| b.reserve(2000.0)).collect();
        later.retain(|w| *w > 0.0);
        assert_eq!(later.len(), 1);
    }

    #[test]
    fn penalty_drops_the_saved_burst() {
        let mut b = TokenBucket::new(10.0, 10, 0.0);
        b.penalize(0.0);
        assert!((b.reserve(0.0) - 100.0).abs() < 1e-6);
    }

    #[test]
    fn refund_returns_a_slot() {
        let mut b = TokenBucket::new(10.0, 1, 0.0);
        assert_eq!(b.reserve(0.0), 0.0);
        assert!(b.reserve(0.0) > 0.0);
        b.refund(0.0);
        assert!((b.reserve(0.0) - 100.0).abs() < 1e-6);
    }

    #[test]
    fn backoff_is_capped_jittered_and_honours_retry_after() {
        let cfg = TrafficConfig::default();
        assert_eq!(cfg.backoff_ceiling_ms(1), 200.0);
        assert_eq!(cfg.backoff_ceiling_ms(3), 800.0);
        assert_eq!(cfg.backoff_ceiling_ms(40), 5000.0);
        let mut j = Jitter::new(42);
        for retry in 1..10 {
            let w = cfg.backoff_ms(retry, None, &mut j);
            assert!(
                (100.0..=cfg.backoff_ceiling_ms(retry).max(100.0)).contains(&w),
                "{w}"
            );
        }
        assert_eq!(cfg.backoff_ms(1, Some(3000.0), &mut j), 3000.0);
        assert_eq!(cfg.backoff_ms(1, Some(60_000.0), &mut j), 5000.0);
    }

    #[test]
    fn jitter_is_uniform_enough_and_deterministic() {
        let mut a = Jitter::new(7);
        let mut b = Jitter::new(7);
        let xs: Vec<f64> = (0..1000).map(|_| a.next_unit()).collect();
        assert!(xs.iter().all(|x| (0.0..1.0).contains(x)));
        let mean = xs.iter().sum::<f64>() / 1000.0;
        assert!((0.4..0.6).contains(&mean));
        assert_eq!(xs[0], b.next_unit());
        assert!(Jitter::new(0).next_unit() > 0.0);
    }
}
