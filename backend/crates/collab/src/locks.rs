//! Lease locks (`state/locks.json`): a resource is held by one holder until its lease expires.
//!
//! Pure operations on the table; time is passed in, so a test moves it by passing another instant.

use std::collections::{BTreeMap, btree_map::Entry};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::{Error, Name, Resource, Result};

/// The longest lease: a holder that needs longer renews.
pub const MAX_TTL_SECONDS: u64 = 24 * 60 * 60;

/// Every lease, by resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockTable {
    pub version: u32,
    pub leases: BTreeMap<Resource, Lease>,
}

impl Default for LockTable {
    fn default() -> Self {
        Self { version: 1, leases: BTreeMap::new() }
    }
}

/// One holder's claim on a resource until `expires_at`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lease {
    pub holder: Name,
    pub acquired_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl Lease {
    /// A lease is over from its expiry instant on.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expires_at <= now
    }
}

/// How long a lease lasts: 1 second to [`MAX_TTL_SECONDS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ttl(Duration);

impl Ttl {
    pub fn from_secs(seconds: u64) -> Result<Self> {
        match i64::try_from(seconds) {
            Ok(whole) if (1..=MAX_TTL_SECONDS).contains(&seconds) => Ok(Self(Duration::seconds(whole))),
            _ => Err(Error::Invalid { what: "TTL", value: seconds.to_string(), rule: "1 to 86400 seconds" }),
        }
    }
}

/// A lease as recorded in an event: the resource and its lease.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeaseRecord {
    pub resource: Resource,
    pub lease: Lease,
    /// The expired lease this one replaced, if it took one over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taken_over_from: Option<Lease>,
}

/// The leases a sweep removed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExpiredLeases {
    pub expired: Vec<LeaseRecord>,
}

impl LockTable {
    /// Grants the resource to `holder` if it is free or its lease has expired (taking it over).
    pub fn acquire(
        &mut self,
        resource: &Resource,
        holder: &Name,
        ttl: Ttl,
        now: DateTime<Utc>,
    ) -> Result<LeaseRecord> {
        let previous = self.leases.get(resource);
        if let Some(current) = previous.filter(|lease| !lease.is_expired(now)) {
            return Err(Error::LockHeld {
                resource: resource.clone(),
                holder: current.holder.clone(),
                expires_at: current.expires_at,
            });
        }
        let taken_over_from = previous.cloned();
        let lease = Lease { holder: holder.clone(), acquired_at: now, expires_at: now + ttl.0 };
        self.leases.insert(resource.clone(), lease.clone());
        Ok(LeaseRecord { resource: resource.clone(), lease, taken_over_from })
    }

    /// Extends the holder's live lease to `now + ttl`.
    pub fn renew(
        &mut self,
        resource: &Resource,
        holder: &Name,
        ttl: Ttl,
        now: DateTime<Utc>,
    ) -> Result<LeaseRecord> {
        let lease = self.held_by(resource, holder)?;
        if lease.is_expired(now) {
            // Past its expiry the resource was free for anyone to take: the holder must know it
            // went unprotected, so it acquires again rather than quietly renewing.
            return Err(Error::LeaseExpired {
                resource: resource.clone(),
                holder: holder.clone(),
                expired_at: lease.expires_at,
            });
        }
        lease.expires_at = now + ttl.0;
        Ok(LeaseRecord { resource: resource.clone(), lease: lease.clone(), taken_over_from: None })
    }

    /// Gives the resource up; only its holder may (an expired lease nobody took over included).
    pub fn release(&mut self, resource: &Resource, holder: &Name) -> Result<LeaseRecord> {
        match self.leases.entry(resource.clone()) {
            Entry::Occupied(entry) if entry.get().holder == *holder => {
                Ok(LeaseRecord { resource: resource.clone(), lease: entry.remove(), taken_over_from: None })
            }
            Entry::Occupied(entry) => Err(not_held(resource, holder, Some(entry.get().holder.clone()))),
            Entry::Vacant(_) => Err(not_held(resource, holder, None)),
        }
    }

    /// Removes every expired lease.
    pub fn expire(&mut self, now: DateTime<Utc>) -> ExpiredLeases {
        let (expired, live): (BTreeMap<_, _>, BTreeMap<_, _>) =
            std::mem::take(&mut self.leases).into_iter().partition(|(_, lease)| lease.is_expired(now));
        self.leases = live;
        ExpiredLeases {
            expired: expired
                .into_iter()
                .map(|(resource, lease)| LeaseRecord { resource, lease, taken_over_from: None })
                .collect(),
        }
    }

    /// The leases still in force.
    pub fn live(&self, now: DateTime<Utc>) -> impl Iterator<Item = (&Resource, &Lease)> {
        self.leases.iter().filter(move |(_, lease)| !lease.is_expired(now))
    }

    fn held_by(&mut self, resource: &Resource, holder: &Name) -> Result<&mut Lease> {
        match self.leases.get_mut(resource) {
            Some(lease) if lease.holder == *holder => Ok(lease),
            other => Err(not_held(resource, holder, other.map(|lease| lease.holder.clone()))),
        }
    }
}

fn not_held(resource: &Resource, holder: &Name, current_holder: Option<Name>) -> Error {
    Error::NotLockHolder { resource: resource.clone(), requester: holder.clone(), current_holder }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap()
    }

    fn names() -> (Resource, Name, Name) {
        ("backend/Cargo.toml".parse().unwrap(), "alice".parse().unwrap(), "bob".parse().unwrap())
    }

    fn ttl(seconds: u64) -> Ttl {
        Ttl::from_secs(seconds).unwrap()
    }

    #[test]
    fn a_free_resource_is_granted_until_now_plus_ttl() {
        let (resource, alice, _) = names();
        let mut table = LockTable::default();
        let granted = table.acquire(&resource, &alice, ttl(60), at(0)).unwrap();
        assert_eq!(granted.lease, Lease { holder: alice, acquired_at: at(0), expires_at: at(60) });
        assert_eq!(granted.taken_over_from, None);
        assert_eq!(table.live(at(59)).count(), 1);
        assert_eq!(table.live(at(60)).count(), 0, "a lease is over at its expiry instant");
    }

    #[test]
    fn a_live_lease_refuses_others_naming_the_holder_and_expiry() {
        let (resource, alice, bob) = names();
        let mut table = LockTable::default();
        table.acquire(&resource, &alice, ttl(60), at(0)).unwrap();
        for claimant in [&bob, &alice] {
            match table.acquire(&resource, claimant, ttl(60), at(59)).unwrap_err() {
                Error::LockHeld { holder, expires_at, .. } => {
                    assert_eq!(holder, alice);
                    assert_eq!(expires_at, at(60));
                }
                other => panic!("expected LockHeld, got {other}"),
            }
        }
    }

    #[test]
    fn an_expired_lease_is_taken_over() {
        let (resource, alice, bob) = names();
        let mut table = LockTable::default();
        let first = table.acquire(&resource, &alice, ttl(60), at(0)).unwrap();
        let second = table.acquire(&resource, &bob, ttl(30), at(60)).unwrap();
        assert_eq!(second.lease.holder, bob);
        assert_eq!(second.lease.expires_at, at(90));
        assert_eq!(second.taken_over_from, Some(first.lease));
        assert_eq!(table.leases[&resource].holder, bob);
    }

    #[test]
    fn only_the_holder_renews_and_only_while_the_lease_lives() {
        let (resource, alice, bob) = names();
        let mut table = LockTable::default();
        table.acquire(&resource, &alice, ttl(60), at(0)).unwrap();
        let error = table.renew(&resource, &bob, ttl(60), at(10)).unwrap_err();
        assert!(
            matches!(&error, Error::NotLockHolder { current_holder: Some(holder), .. } if *holder == alice),
            "{error}"
        );
        let renewed = table.renew(&resource, &alice, ttl(120), at(50)).unwrap();
        assert_eq!(renewed.lease.expires_at, at(170));
        assert_eq!(renewed.lease.acquired_at, at(0));
        assert!(matches!(
            table.renew(&resource, &alice, ttl(60), at(170)),
            Err(Error::LeaseExpired { expired_at, .. }) if expired_at == at(170)
        ));
        let free: Resource = "elsewhere".parse().unwrap();
        assert!(matches!(
            table.renew(&free, &alice, ttl(60), at(0)),
            Err(Error::NotLockHolder { current_holder: None, .. })
        ));
    }

    #[test]
    fn only_the_holder_releases() {
        let (resource, alice, bob) = names();
        let mut table = LockTable::default();
        table.acquire(&resource, &alice, ttl(60), at(0)).unwrap();
        assert!(matches!(table.release(&resource, &bob), Err(Error::NotLockHolder { .. })));
        assert!(table.leases.contains_key(&resource));
        assert_eq!(table.release(&resource, &alice).unwrap().lease.holder, alice);
        assert!(table.leases.is_empty());
        assert!(matches!(
            table.release(&resource, &alice),
            Err(Error::NotLockHolder { current_holder: None, .. })
        ));
    }

    #[test]
    fn a_sweep_removes_expired_leases_only() {
        let (resource, alice, bob) = names();
        let other: Resource = "port:8000".parse().unwrap();
        let mut table = LockTable::default();
        table.acquire(&resource, &alice, ttl(10), at(0)).unwrap();
        table.acquire(&other, &bob, ttl(100), at(0)).unwrap();
        let swept = table.expire(at(10));
        assert_eq!(swept.expired.len(), 1);
        assert_eq!(swept.expired[0].resource, resource);
        assert_eq!(table.leases.keys().collect::<Vec<_>>(), [&other]);
        assert!(table.expire(at(10)).expired.is_empty());
    }

    #[test]
    fn ttl_is_bounded() {
        assert!(Ttl::from_secs(0).unwrap_err().is_usage());
        assert!(Ttl::from_secs(MAX_TTL_SECONDS + 1).is_err());
        assert!(Ttl::from_secs(u64::MAX).is_err());
        assert!(Ttl::from_secs(MAX_TTL_SECONDS).is_ok());
    }
}
