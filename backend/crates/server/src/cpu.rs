//! CPU-heavy work — parsing untrusted sources, running the engine, hashing passwords — runs
//! here: on tokio's blocking threads, never on the async runtime, and at most one task per core
//! of each kind at a time. The async workers stay free to answer `/healthz` and ordinary reads
//! in milliseconds however many slow sources arrive at once, and memory-hungry work (an Argon2
//! hash holds 19 MiB) cannot pile up: the rest wait their turn.

use std::sync::{Arc, LazyLock};

use tokio::sync::Semaphore;

/// A bounded pool for one kind of CPU-heavy work.
#[derive(Debug)]
pub struct CpuPool {
    name: &'static str,
    slots: Arc<Semaphore>,
}

/// The task panicked (the runtime logged the panic).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0} failed unexpectedly")]
pub struct Crashed(&'static str);

impl CpuPool {
    fn new(name: &'static str, slots: usize) -> Self {
        Self { name, slots: Arc::new(Semaphore::new(slots.max(1))) }
    }

    /// Runs `work` on a blocking thread once a slot is free. A request waiting here is bounded
    /// by the request timeout, which cancels the wait. The slot is held by the work itself, so a
    /// caller that gives up (a client that disconnects) frees nothing early: the pool never runs
    /// more than its size, whatever callers do.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Crashed> {
        // The semaphore is never closed, so acquiring only waits.
        let permit = self.slots.clone().acquire_owned().await.map_err(|_| Crashed(self.name))?;
        tokio::task::spawn_blocking(move || {
            let result = work();
            drop(permit);
            result
        })
        .await
        .map_err(|_| Crashed(self.name))
    }
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

/// Reading sources (HTML, PDF, DOCX, transcripts) and running the engine.
pub static CONTENT: LazyLock<CpuPool> = LazyLock::new(|| CpuPool::new("reading sources", cores()));

/// Argon2 password hashes and verifications.
pub static PASSWORDS: LazyLock<CpuPool> = LazyLock::new(|| CpuPool::new("signing in", cores()));

#[cfg(test)]
mod tests {
    use std::{
        sync::atomic::{AtomicUsize, Ordering},
        time::Duration,
    };

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_tasks_run_at_once_than_the_pool_has_slots() {
        let pool = Arc::new(CpuPool::new("test work", 2));
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (pool, running, peak) = (pool.clone(), running.clone(), peak.clone());
                tokio::spawn(async move {
                    pool.run(move || {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(20));
                        running.fetch_sub(1, Ordering::SeqCst);
                    })
                    .await
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        assert_eq!(peak.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_panicking_task_is_an_error_not_a_crash() {
        let pool = CpuPool::new("test work", 1);
        let outcome = pool.run(|| -> u8 { panic!("boom") }).await;
        assert_eq!(outcome, Err(Crashed("test work")));
        assert_eq!(pool.run(|| 7).await, Ok(7), "the slot is free again");
    }
}
