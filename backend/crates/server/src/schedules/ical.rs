//! The iCalendar (RFC 5545) feed of upcoming posts, built with the `icalendar` crate.

use chrono::{DateTime, Duration, Utc};
use icalendar::{Calendar, Component, Event, EventLike};

/// How far ahead the feed looks, and how many events it may hold.
pub const FEED_DAYS: i64 = 90;
pub const FEED_MAX_EVENTS: usize = 1_000;
/// Characters of a post shown in the event title.
const TITLE_CHARS: usize = 60;

/// One post on the feed.
#[derive(Debug, Clone)]
pub struct FeedEntry {
    pub schedule_id: uuid::Uuid,
    pub at: DateTime<Utc>,
    pub channel: String,
    pub content: String,
}

fn title(entry: &FeedEntry) -> String {
    let first_line = entry.content.lines().find(|line| !line.trim().is_empty()).unwrap_or_default().trim();
    let mut short: String = first_line.chars().take(TITLE_CHARS).collect();
    if first_line.chars().count() > TITLE_CHARS {
        short.push('…');
    }
    format!("{} post: {short}", channel_label(&entry.channel))
}

fn channel_label(channel: &str) -> &str {
    match channel {
        "linkedin" => "LinkedIn",
        "x" => "X",
        "newsletter" => "Newsletter",
        "blog" => "Blog",
        "bluesky" => "Bluesky",
        "mastodon" => "Mastodon",
        other => other,
    }
}

/// The feed as text. Each occurrence is its own event (with a UID stable per occurrence), so
/// calendar apps need no time-zone database to place it.
pub fn render(entries: &[FeedEntry], generated_at: DateTime<Utc>) -> String {
    let mut calendar = Calendar::new();
    calendar.name("Kyros scheduled posts").description("Posts Kyros will publish");
    for entry in entries {
        calendar.push(
            Event::new()
                .uid(&format!("{}-{}@kyros", entry.schedule_id, entry.at.timestamp()))
                .timestamp(generated_at)
                .summary(&title(entry))
                .description(&entry.content)
                .starts(entry.at)
                .ends(entry.at + Duration::minutes(15))
                .done(),
        );
    }
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_parseable_calendar_with_one_event_per_occurrence() {
        let at = DateTime::parse_from_rfc3339("2026-12-01T08:00:00Z").unwrap().with_timezone(&Utc);
        let entry = FeedEntry {
            schedule_id: uuid::Uuid::nil(),
            at,
            channel: "linkedin".into(),
            content: "Remote teams ship faster, with commas, semicolons; and a long line that goes on and on and on and on.\nSecond line".into(),
        };
        let text = render(&[entry.clone(), FeedEntry { at: at + Duration::days(7), ..entry }], at);
        let parsed: Calendar = text.parse().expect("valid iCalendar");
        let events: Vec<_> = parsed.events().collect();
        assert_eq!(events.len(), 2);
        assert_eq!(
            events[0].get_summary(),
            Some("LinkedIn post: Remote teams ship faster, with commas, semicolons; and a lon…")
        );
        assert!(events[0].get_description().unwrap().contains("Second line"));
        assert_eq!(events[0].get_uid(), Some("00000000-0000-0000-0000-000000000000-1796112000@kyros"));
        assert!(text.contains("DTSTART:20261201T080000Z"));
        assert!(text.lines().all(|line| line.len() <= 75), "lines are folded at 75 octets");
    }
}
