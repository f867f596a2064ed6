//! The login throttle: after too many failed logins from one address or for one account within a
//! window, further attempts are refused until the window has passed. Counting per account as well
//! as per address stops slow guessing from many addresses; counting per address stops one address
//! from trying many accounts.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct LoginThrottle {
    max_failures: u32,
    window: Duration,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

/// How many keys to keep before forgetting expired windows, so memory stays bounded.
const PRUNE_ABOVE: usize = 10_000;

impl LoginThrottle {
    pub fn new(max_failures: u32, window: Duration) -> Self {
        Self {
            max_failures,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(seconds to wait)` if any of `keys` has used up its failures.
    pub fn check(&self, keys: &[&str]) -> Result<(), u64> {
        let now = Instant::now();
        let failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let mut wait = None;
        for key in keys {
            if let Some((count, since)) = failures.get(*key) {
                let elapsed = now.duration_since(*since);
                if *count >= self.max_failures && elapsed < self.window {
                    let left = (self.window - elapsed).as_secs().max(1);
                    wait = Some(wait.map_or(left, |w: u64| w.max(left)));
                }
            }
        }
        wait.map_or(Ok(()), Err)
    }

    pub fn record_failure(&self, keys: &[&str]) {
        let now = Instant::now();
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if failures.len() > PRUNE_ABOVE {
            let window = self.window;
            failures.retain(|_, (_, since)| now.duration_since(*since) < window);
        }
        for key in keys {
            let entry = failures.entry((*key).to_owned()).or_insert((0, now));
            if now.duration_since(entry.1) >= self.window {
                *entry = (0, now);
            }
            entry.0 += 1;
        }
    }

    pub fn record_success(&self, keys: &[&str]) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for key in keys {
            failures.remove(*key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_max_failures_per_key() {
        let t = LoginThrottle::new(3, Duration::from_secs(900));
        for _ in 0..3 {
            assert!(t.check(&["ip:1", "acct:a"]).is_ok());
            t.record_failure(&["ip:1", "acct:a"]);
        }
        let wait = t.check(&["ip:1", "acct:a"]).unwrap_err();
        assert!(wait > 0 && wait <= 900);
        assert!(
            t.check(&["ip:2", "acct:a"]).is_err(),
            "same account, other address"
        );
        assert!(t.check(&["ip:2", "acct:b"]).is_ok());
        t.record_success(&["acct:a"]);
        assert!(t.check(&["ip:2", "acct:a"]).is_ok());
        assert!(t.check(&["ip:1"]).is_err(), "address still counted");
    }

    #[test]
    fn window_expires() {
        let t = LoginThrottle::new(1, Duration::ZERO);
        t.record_failure(&["k"]);
        assert!(t.check(&["k"]).is_ok());
    }
}
