//! A circuit breaker: after repeated failures, stop calling a provider for a while.

use std::{
    sync::Mutex,
    time::{Duration, Instant},
};

#[derive(Debug)]
pub struct CircuitBreaker {
    threshold: u32,
    cooldown: Duration,
    state: Mutex<BreakerState>,
}

#[derive(Debug, Default)]
struct BreakerState {
    consecutive_failures: u32,
    open_until: Option<Instant>,
}

impl CircuitBreaker {
    pub fn new(threshold: u32, cooldown: Duration) -> Self {
        Self { threshold: threshold.max(1), cooldown, state: Mutex::new(BreakerState::default()) }
    }

    /// Whether a call may go through now. After the cooldown one trial call is let through
    /// (half-open); its outcome closes or re-opens the breaker.
    pub fn allows_call(&self) -> bool {
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match state.open_until {
            Some(until) if Instant::now() < until => false,
            Some(_) => {
                state.open_until = Some(Instant::now() + self.cooldown);
                true
            }
            None => true,
        }
    }

    pub fn record_success(&self) {
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *state = BreakerState::default();
    }

    pub fn record_failure(&self) {
        let mut state = self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        state.consecutive_failures += 1;
        if state.consecutive_failures >= self.threshold {
            state.open_until = Some(Instant::now() + self.cooldown);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_after_the_threshold_and_half_opens_after_the_cooldown() {
        let breaker = CircuitBreaker::new(2, Duration::from_millis(50));
        assert!(breaker.allows_call());
        breaker.record_failure();
        assert!(breaker.allows_call());
        breaker.record_failure();
        assert!(!breaker.allows_call(), "open after two failures");
        std::thread::sleep(Duration::from_millis(60));
        assert!(breaker.allows_call(), "one trial after the cooldown");
        assert!(!breaker.allows_call(), "only one trial");
        breaker.record_success();
        assert!(breaker.allows_call(), "a success closes it");
    }
}
