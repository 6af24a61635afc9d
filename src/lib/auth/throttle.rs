//! Failed-login throttling per username and per client address. Failures are
//! counted in a window that starts with the first one; once a key has used up its
//! allowance, attempts for it are refused (without checking the password) until
//! that window has passed. A success clears the username's count, not the
//! address's, so one good account cannot launder an address's guesses.
//!
//! In memory: a restart forgets every count, and a cluster node counts alone.
//! Times are passed in, so tests need no clock.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Entries kept before expired ones are swept, bounding memory under a flood of
/// distinct usernames.
const SWEEP_AT: usize = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottleLimits {
    pub account_failures: u32,
    pub address_failures: u32,
    pub window: Duration,
}

impl From<crate::config::LoginThrottle> for ThrottleLimits {
    fn from(c: crate::config::LoginThrottle) -> ThrottleLimits {
        ThrottleLimits {
            account_failures: c.account_failures,
            address_failures: c.address_failures,
            window: c.window,
        }
    }
}

/// A refused attempt: when to try again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blocked {
    pub retry_after: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Account(String),
    Address(IpAddr),
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    since: Instant,
    failures: u32,
}

#[derive(Debug)]
pub struct Throttle {
    limits: ThrottleLimits,
    entries: Mutex<HashMap<Key, Entry>>,
}

impl Throttle {
    pub fn new(limits: ThrottleLimits) -> Throttle {
        Throttle {
            limits,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn limit(&self, key: &Key) -> u32 {
        match key {
            Key::Account(_) => self.limits.account_failures,
            Key::Address(_) => self.limits.address_failures,
        }
    }

    fn keys(account: &str, address: IpAddr) -> [Key; 2] {
        [Key::Account(account.to_string()), Key::Address(address)]
    }

    /// Whether an attempt for `account` from `address` may go ahead at `now`.
    pub fn check(&self, account: &str, address: IpAddr, now: Instant) -> Result<(), Blocked> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let mut wait = Duration::ZERO;
        for key in Throttle::keys(account, address) {
            if let Some(entry) = entries.get(&key) {
                let ends = entry.since + self.limits.window;
                if entry.failures >= self.limit(&key) && now < ends {
                    wait = wait.max(ends - now);
                }
            }
        }
        if wait.is_zero() {
            Ok(())
        } else {
            Err(Blocked { retry_after: wait })
        }
    }

    /// Counts a failed attempt against both keys.
    pub fn failed(&self, account: &str, address: IpAddr, now: Instant) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= SWEEP_AT {
            let window = self.limits.window;
            entries.retain(|_, e| now < e.since + window);
        }
        for key in Throttle::keys(account, address) {
            let entry = entries.entry(key).or_insert(Entry {
                since: now,
                failures: 0,
            });
            if now >= entry.since + self.limits.window {
                *entry = Entry {
                    since: now,
                    failures: 0,
                };
            }
            entry.failures = entry.failures.saturating_add(1);
        }
    }

    /// A successful login clears the username's failures.
    pub fn succeeded(&self, account: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.remove(&Key::Account(account.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle() -> Throttle {
        Throttle::new(ThrottleLimits {
            account_failures: 2,
            address_failures: 3,
            window: Duration::from_secs(60),
        })
    }

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2));

    #[test]
    fn an_account_is_blocked_after_its_allowance_until_the_window_ends() {
        let t = throttle();
        let start = Instant::now();
        t.failed("alice", A, start);
        assert_eq!(t.check("alice", B, start), Ok(()));
        t.failed("alice", B, start + Duration::from_secs(10));
        let blocked = t.check("alice", B, start + Duration::from_secs(20));
        assert_eq!(
            blocked,
            Err(Blocked {
                retry_after: Duration::from_secs(40)
            })
        );
        assert_eq!(t.check("bob", B, start + Duration::from_secs(20)), Ok(()));
        assert_eq!(t.check("alice", A, start + Duration::from_secs(60)), Ok(()));
    }

    #[test]
    fn an_address_is_blocked_across_accounts_and_success_clears_only_the_account() {
        let t = throttle();
        let now = Instant::now();
        for name in ["a", "b", "c"] {
            t.failed(name, A, now);
        }
        assert!(t.check("d", A, now).is_err());
        assert_eq!(t.check("d", B, now), Ok(()));
        t.failed("e", B, now);
        t.failed("e", B, now);
        assert!(t.check("e", B, now).is_err());
        t.succeeded("e");
        assert_eq!(t.check("e", B, now), Ok(()));
        assert!(t.check("e", A, now).is_err());
    }
}
