//! Failed-login throttling per username and per client address. An attempt is
//! counted as a failure *before* the password is checked (a reservation), under
//! one lock for both keys, so parallel attempts cannot all pass the check before
//! any of them is recorded. Failures are counted in a window that starts with the
//! first one; once a key has used up its allowance, attempts for it are refused
//! (without checking the password) until that window has passed. A success
//! clears the username's count and gives the address back its one reservation,
//! so one good account cannot launder an address's guesses; an attempt that ends
//! without an answer on the password (a store error, a dropped request) gives
//! both back.
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

/// Registrations are counted per address only.
impl From<crate::config::Registration> for ThrottleLimits {
    fn from(c: crate::config::Registration) -> ThrottleLimits {
        ThrottleLimits {
            account_failures: u32::MAX,
            address_failures: c.address_limit,
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

/// One attempt counted in advance. [`Reservation::succeeded`] and
/// [`Reservation::keep`] settle it; dropping it unsettled gives the count back.
#[must_use = "an unsettled reservation is given back when dropped"]
#[derive(Debug)]
pub struct Reservation<'a> {
    throttle: &'a Throttle,
    account: Option<(Key, Instant)>,
    address: Option<(Key, Instant)>,
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

    /// Counts an attempt for `account` from `address` at `now`, or refuses it
    /// when either key has used up its allowance. Nothing is counted when refused.
    pub fn reserve(
        &self,
        account: &str,
        address: IpAddr,
        now: Instant,
    ) -> Result<Reservation<'_>, Blocked> {
        self.reserve_keys(Some(Key::Account(account.to_string())), address, now)
    }

    /// As [`Throttle::reserve`] for an attempt that names no account (a
    /// registration counted per address only).
    pub fn reserve_address(
        &self,
        address: IpAddr,
        now: Instant,
    ) -> Result<Reservation<'_>, Blocked> {
        self.reserve_keys(None, address, now)
    }

    fn reserve_keys(
        &self,
        account: Option<Key>,
        address: IpAddr,
        now: Instant,
    ) -> Result<Reservation<'_>, Blocked> {
        let window = self.limits.window;
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= SWEEP_AT {
            entries.retain(|_, e| now < e.since + window);
        }
        let keys: Vec<Key> = account.into_iter().chain([Key::Address(address)]).collect();
        let mut wait = Duration::ZERO;
        for key in &keys {
            if let Some(entry) = entries.get(key) {
                let ends = entry.since + window;
                if entry.failures >= self.limit(key) && now < ends {
                    wait = wait.max(ends - now);
                }
            }
        }
        if !wait.is_zero() {
            return Err(Blocked { retry_after: wait });
        }
        let mut reservation = Reservation {
            throttle: self,
            account: None,
            address: None,
        };
        for key in keys {
            let entry = entries.entry(key.clone()).or_insert(Entry {
                since: now,
                failures: 0,
            });
            if now >= entry.since + window {
                *entry = Entry {
                    since: now,
                    failures: 0,
                };
            }
            entry.failures = entry.failures.saturating_add(1);
            let held = Some((key, entry.since));
            match held {
                Some((Key::Account(_), _)) => reservation.account = held,
                _ => reservation.address = held,
            }
        }
        Ok(reservation)
    }

    /// Gives back one count of `key`, unless its window has restarted since.
    fn release(&self, entries: &mut HashMap<Key, Entry>, (key, since): (Key, Instant)) {
        if let Some(entry) = entries.get_mut(&key) {
            if entry.since == since {
                entry.failures = entry.failures.saturating_sub(1);
            }
        }
    }
}

impl Reservation<'_> {
    /// The password was right: the username's failures are cleared and the
    /// address's reservation is given back.
    pub fn succeeded(mut self) {
        let throttle = self.throttle;
        let mut entries = throttle
            .entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some((key, _)) = self.account.take() {
            entries.remove(&key);
        }
        if let Some(held) = self.address.take() {
            throttle.release(&mut entries, held);
        }
    }

    /// The attempt stays counted: a wrong password, or a registration.
    pub fn keep(mut self) {
        self.account = None;
        self.address = None;
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        if self.account.is_none() && self.address.is_none() {
            return;
        }
        let throttle = self.throttle;
        let mut entries = throttle
            .entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        for held in [self.account.take(), self.address.take()]
            .into_iter()
            .flatten()
        {
            throttle.release(&mut entries, held);
        }
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

    fn fail(t: &Throttle, account: &str, address: IpAddr, now: Instant) {
        t.reserve(account, address, now).unwrap().keep();
    }

    #[test]
    fn an_account_is_blocked_after_its_allowance_until_the_window_ends() {
        let t = throttle();
        let start = Instant::now();
        fail(&t, "alice", A, start);
        fail(&t, "alice", B, start + Duration::from_secs(10));
        let blocked = t.reserve("alice", B, start + Duration::from_secs(20));
        assert_eq!(
            blocked.unwrap_err(),
            Blocked {
                retry_after: Duration::from_secs(40)
            }
        );
        assert!(t.reserve("bob", B, start + Duration::from_secs(20)).is_ok());
        assert!(t
            .reserve("alice", A, start + Duration::from_secs(60))
            .is_ok());
    }

    #[test]
    fn an_address_is_blocked_across_accounts_and_success_clears_only_the_account() {
        let t = throttle();
        let now = Instant::now();
        for name in ["a", "b", "c"] {
            fail(&t, name, A, now);
        }
        assert!(t.reserve("d", A, now).is_err());
        assert!(t.reserve("d", B, now).is_ok());
        fail(&t, "e", B, now);
        fail(&t, "e", B, now);
        assert!(t.reserve("e", B, now).is_err());
        let fresh = throttle();
        fail(&fresh, "e", B, now);
        fresh.reserve("e", B, now).unwrap().succeeded();
        fail(&fresh, "e", B, now);
        assert!(
            fresh.reserve("e", B, now).is_ok(),
            "the success cleared the username's failure"
        );
        fail(&fresh, "f", B, now);
        assert!(
            fresh.reserve("g", B, now).is_err(),
            "the address keeps its three failures"
        );
    }

    #[test]
    fn attempts_in_flight_count_before_they_are_settled() {
        let t = throttle();
        let now = Instant::now();
        let first = t.reserve("alice", A, now).unwrap();
        let second = t.reserve("alice", B, now).unwrap();
        assert!(
            t.reserve("alice", A, now).is_err(),
            "two in flight use up two"
        );
        drop(first);
        let third = t.reserve("alice", A, now).unwrap();
        third.keep();
        assert!(
            t.reserve("alice", A, now).is_err(),
            "a settled failure stays"
        );
        second.succeeded();
        assert!(
            t.reserve("alice", A, now).is_ok(),
            "a success clears the name"
        );
    }

    #[test]
    fn registrations_count_per_address_only() {
        let t = throttle();
        let now = Instant::now();
        for _ in 0..3 {
            t.reserve_address(A, now).unwrap().keep();
        }
        assert!(t.reserve_address(A, now).is_err());
        assert!(t.reserve("anyone", A, now).is_err());
        assert!(t.reserve_address(B, now).is_ok());
    }
}
