//! How many requests to keep in flight so that the rate limit, not the round trip, paces a bulk job.

/// The most requests any job keeps in flight. The token bucket spaces the sending, so more in flight never
/// exceeds the rate; this only bounds what waits in the bucket's queue.
pub const MAX_IN_FLIGHT: usize = 8;

/// Requests in flight before any round trip was seen.
const FIRST_GUESS: usize = 3;

/// Enough requests in flight to cover one round trip at `requests_per_second`, plus one, within
/// `1..=MAX_IN_FLIGHT`.
pub fn in_flight_for(requests_per_second: f64, latency_ms: f64) -> usize {
    let cover = requests_per_second * latency_ms / 1000.0;
    if !cover.is_finite() || cover <= 0.0 {
        return 2;
    }
    (cover.ceil() as usize)
        .saturating_add(1)
        .clamp(1, MAX_IN_FLIGHT)
}

/// The observed round trip (an exponential moving average) and the user's choice, if any.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Pace {
    average_ms: Option<f64>,
    chosen: Option<usize>,
}

impl Pace {
    /// Adds one observed round trip (the transport's time, not the wait for the rate limit).
    pub fn observe(&mut self, ms: f64) {
        if ms.is_finite() && ms >= 0.0 {
            self.average_ms = Some(match self.average_ms {
                Some(avg) => avg * 0.8 + ms * 0.2,
                None => ms,
            });
        }
    }

    /// The user's choice of requests in flight (`None`: automatic).
    pub fn choose(&mut self, chosen: Option<usize>) {
        self.chosen = chosen.map(|n| n.clamp(1, MAX_IN_FLIGHT));
    }

    /// Requests to keep in flight at this rate.
    pub fn target(&self, requests_per_second: f64) -> usize {
        self.chosen.unwrap_or_else(|| {
            self.average_ms
                .map_or(FIRST_GUESS, |ms| in_flight_for(requests_per_second, ms))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_flight_covers_the_round_trip_within_bounds() {
        assert_eq!(in_flight_for(10.0, 200.0), 3);
        assert_eq!(in_flight_for(10.0, 20.0), 2);
        assert_eq!(in_flight_for(10.0, 5000.0), MAX_IN_FLIGHT);
        assert_eq!(in_flight_for(f64::NAN, 100.0), 2);
        let mut p = Pace::default();
        assert_eq!(p.target(10.0), FIRST_GUESS);
        p.observe(90.0);
        assert_eq!(p.target(10.0), 2);
        p.observe(f64::INFINITY);
        for _ in 0..20 {
            p.observe(400.0);
        }
        assert_eq!(p.target(10.0), 5);
        p.choose(Some(1));
        assert_eq!(p.target(10.0), 1);
        p.choose(Some(99));
        assert_eq!(p.target(10.0), MAX_IN_FLIGHT);
        p.choose(None);
        assert_eq!(p.target(10.0), 5);
    }
}
