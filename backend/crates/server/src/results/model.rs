//! What a published post's results look like to the API, and when they are read.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity;
use crate::connectors::network::{Counts, Network};

/// When a post's counts are read, counted from its publication: often while it is new and
/// people still see it, rarely after, and never after a week, when a post's counts have
/// settled and more calls would spend the account's rate limit for nothing.
pub const FETCH_AFTER: [Duration; 5] =
    [Duration::hours(1), Duration::hours(6), Duration::hours(24), Duration::days(3), Duration::days(7)];

/// The first checkpoint after `now` of a post published at `published_at`; `None` once the
/// last has passed. A checkpoint missed (the scheduler was down, a read failed) is not caught
/// up: the next read gives fresher counts anyway.
pub fn next_fetch_after(published_at: DateTime<Utc>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    FETCH_AFTER.iter().map(|after| published_at + *after).find(|at| *at > now)
}

/// A published post's public counts, as last read from its network. For a thread, the counts
/// of its first part: that is the post people see in their feeds and the one `published_url`
/// opens, and summing the parts would count the thread's own replies as replies and one reader
/// liking three parts as three likes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PostResults {
    pub likes: u64,
    pub reposts: u64,
    pub replies: u64,
    /// Views, where the network counts them (X, for the account's own posts); `null` elsewhere.
    pub impressions: Option<u64>,
    pub fetched_at: DateTime<Utc>,
    /// When the counts are read again; `null` once they are final (a week after publishing).
    pub next_fetch_at: Option<DateTime<Utc>>,
}

/// The counts of a post published in `parts` parts, as its readers made them. Every network
/// counts the author's own replies, and a thread's second part is a reply to its first: left
/// in, each thread would show one reply nobody wrote.
pub fn by_readers(counts: Counts, parts: usize) -> Counts {
    let own_replies = u64::from(parts > 1);
    Counts { replies: counts.replies.saturating_sub(own_replies), ..counts }
}

/// A published post's counts, with the run that published it.
#[derive(Debug, Clone)]
pub struct ReadResult {
    pub run_id: Uuid,
    pub network: Network,
    pub published_at: DateTime<Utc>,
    pub results: PostResults,
}

impl PostResults {
    /// The counts of a row read at least once.
    pub fn of(row: &entity::Model) -> Option<Self> {
        Some(Self {
            likes: count(row.likes),
            reposts: count(row.reposts),
            replies: count(row.replies),
            impressions: row.impressions.map(count),
            fetched_at: row.fetched_at?,
            next_fetch_at: row.next_fetch_at,
        })
    }

    /// Likes, reposts and replies together: how much people did with the post.
    pub fn engagements(&self) -> u64 {
        self.likes + self.reposts + self.replies
    }
}

fn count(stored: i64) -> u64 {
    u64::try_from(stored).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_follow_the_checkpoints_and_stop_after_a_week() {
        let published: DateTime<Utc> = "2026-12-01T09:00:00Z".parse().unwrap();
        assert_eq!(next_fetch_after(published, published), Some(published + Duration::hours(1)));
        assert_eq!(
            next_fetch_after(published, published + Duration::hours(1)),
            Some(published + Duration::hours(6))
        );
        // A scheduler that was down for two days reads at the next checkpoint, not the missed ones.
        assert_eq!(
            next_fetch_after(published, published + Duration::hours(50)),
            Some(published + Duration::days(3))
        );
        assert_eq!(next_fetch_after(published, published + Duration::days(7)), None);
    }

    #[test]
    fn a_threads_own_second_part_is_not_counted_as_a_reply() {
        let counts = Counts { likes: 4, reposts: 2, replies: 3, impressions: Some(90) };
        assert_eq!(by_readers(counts, 1), counts, "a single post keeps its counts");
        assert_eq!(by_readers(counts, 3), Counts { replies: 2, ..counts });
        let unseen = Counts { replies: 0, ..counts };
        assert_eq!(by_readers(unseen, 2), unseen, "a network that has not counted it yet");
    }
}
