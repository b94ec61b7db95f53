//! Where each client's bucket lives: in this process's memory, or in Redis so every API process
//! shares it. Both run [`gcra::decide`], so they give the same answers.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use super::gcra::{self, Decision, RatePolicy};

/// How often the memory store forgets clients whose buckets are full again (microseconds).
const PRUNE_EVERY: i64 = 60_000_000;

/// Reads the client's theoretical arrival time and, when the request is allowed, stores the
/// new one with an expiry at the moment the bucket is full again. Redis runs a script alone,
/// so processes cannot overspend a bucket between the read and the write. Mirrors
/// `gcra::decide`; returns the value it read, from which the caller derives the same decision.
const GCRA_SCRIPT: &str = r"
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local capacity = tonumber(ARGV[3])
local stored = redis.call('GET', KEYS[1])
local arrival = now
if stored then arrival = math.max(tonumber(stored), now) end
local next_arrival = arrival + interval
if next_arrival - now <= capacity then
  redis.call('SET', KEYS[1], string.format('%d', next_arrival), 'PX', math.ceil((next_arrival - now) / 1000))
end
return stored
";

/// The buckets of every client, behind one interface for both stores.
#[derive(Clone)]
pub enum RateLimiter {
    Memory(Arc<MemoryBuckets>),
    Redis { connection: redis::aio::ConnectionManager, script: Arc<redis::Script>, prefix: String },
}

impl std::fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Memory(_) => f.write_str("RateLimiter::Memory"),
            Self::Redis { prefix, .. } => write!(f, "RateLimiter::Redis({prefix})"),
        }
    }
}

impl RateLimiter {
    /// Redis when configured (shared by every process), this process's memory otherwise.
    pub fn new(redis: Option<redis::aio::ConnectionManager>, prefix: &str) -> Self {
        match redis {
            Some(connection) => Self::Redis {
                connection,
                script: Arc::new(redis::Script::new(GCRA_SCRIPT)),
                prefix: prefix.to_owned(),
            },
            None => Self::Memory(Arc::default()),
        }
    }

    /// Spends one request from `key`'s bucket at `now` (microseconds). `None` when the store
    /// cannot answer: the caller lets the request through rather than failing the API.
    pub async fn check(&self, key: &str, policy: RatePolicy, now: i64) -> Option<Decision> {
        match self {
            Self::Memory(buckets) => Some(buckets.check(key, policy, now)),
            Self::Redis { connection, script, prefix } => {
                let mut connection = connection.clone();
                let stored: Result<Option<String>, _> = script
                    .key(format!("{prefix}:{key}"))
                    .arg(now)
                    .arg(policy.emission_interval())
                    .arg(policy.capacity())
                    .invoke_async(&mut connection)
                    .await;
                match stored {
                    Ok(stored) => {
                        Some(gcra::decide(policy, stored.and_then(|value| value.parse().ok()), now))
                    }
                    Err(error) => {
                        tracing::warn!(%error, "rate limiter unavailable: letting the request through");
                        None
                    }
                }
            }
        }
    }
}

/// Buckets in this process: enough for one API process; several need Redis.
#[derive(Debug, Default)]
pub struct MemoryBuckets {
    inner: Mutex<MemoryState>,
}

#[derive(Debug, Default)]
struct MemoryState {
    arrivals: HashMap<String, i64>,
    pruned_at: i64,
}

impl MemoryBuckets {
    fn check(&self, key: &str, policy: RatePolicy, now: i64) -> Decision {
        // A poisoned lock only means another request panicked mid-update; the map is still usable.
        let mut state = self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if now - state.pruned_at >= PRUNE_EVERY {
            // A bucket that is full again is the same as no bucket.
            state.arrivals.retain(|_, arrival| *arrival > now);
            state.pruned_at = now;
        }
        let decision = gcra::decide(policy, state.arrivals.get(key).copied(), now);
        if let Some(next_arrival) = decision.store {
            state.arrivals.insert(key.to_owned(), next_arrival);
        }
        decision
    }

    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.inner.lock().map(|state| state.arrivals.len()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: i64 = 60_000_000;
    const NOW: i64 = 1_800_000_000_000_000;

    fn policy() -> RatePolicy {
        RatePolicy::per_minute(2, 2).unwrap()
    }

    async fn spend(limiter: &RateLimiter, key: &str, times: usize, now: i64) -> Vec<bool> {
        let mut verdicts = Vec::new();
        for _ in 0..times {
            verdicts.push(limiter.check(key, policy(), now).await.expect("an answer").allowed);
        }
        verdicts
    }

    #[tokio::test]
    async fn memory_buckets_are_per_key_and_forget_idle_clients() {
        let buckets = Arc::new(MemoryBuckets::default());
        let limiter = RateLimiter::Memory(buckets.clone());
        assert_eq!(spend(&limiter, "a", 3, NOW).await, [true, true, false]);
        assert_eq!(spend(&limiter, "b", 1, NOW).await, [true]);
        assert_eq!(buckets.tracked(), 2);
        assert_eq!(spend(&limiter, "c", 1, NOW + 2 * MINUTE).await, [true]);
        assert_eq!(buckets.tracked(), 1, "a and b were full again and pruned");
    }

    /// The same sequence through Redis gives the same answers as through memory.
    #[tokio::test]
    async fn redis_buckets_match_memory_buckets() {
        let url = std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".to_owned());
        let connection = match redis::Client::open(url.as_str()) {
            Ok(client) => redis::aio::ConnectionManager::new(client).await.ok(),
            Err(_) => None,
        };
        let Some(connection) = connection else {
            eprintln!("SKIPPED: Redis is not reachable at {url}; set TEST_REDIS_URL to run this test");
            return;
        };
        let prefix = format!("kyros-test:{}", uuid::Uuid::now_v7().simple());
        let redis = RateLimiter::new(Some(connection), &prefix);
        let memory = RateLimiter::new(None, &prefix);
        for (offset, count) in [(0, 3), (MINUTE / 4, 1), (MINUTE / 2, 2), (3 * MINUTE, 3)] {
            for _ in 0..count {
                let shared = redis.check("client", policy(), NOW + offset).await.expect("redis answers");
                let local = memory.check("client", policy(), NOW + offset).await.expect("memory answers");
                assert_eq!(shared, local, "at +{offset} µs");
            }
        }
    }
}
