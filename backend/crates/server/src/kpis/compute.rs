//! The arithmetic behind the KPIs, free of I/O: rows in, figures out.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;

use super::model::{
    ChannelKpis, DailyKpis, JobKpis, Kpis, NetworkResults, PostKpis, ProviderCount, ResultKpis, TOP_POSTS,
    TopPost, VariantKpis, Window,
};
use crate::{
    connectors::network::Network,
    jobs::model::{JobRow, JobStatus},
    jobs::variants::model::VariantRow,
    results::model::PostResults,
    schedules::model::RunRow,
};

/// Scheduled occurrences still to come.
#[derive(Debug, Clone, Default)]
pub struct Upcoming {
    pub count: u64,
    pub next_at: Option<DateTime<Utc>>,
}

/// A post published to a connected account in the window, with its latest counts.
#[derive(Debug, Clone)]
pub struct ResultRow {
    pub run_id: Uuid,
    pub schedule_id: Uuid,
    pub network: Network,
    pub channel: String,
    pub first_line: String,
    pub published_at: DateTime<Utc>,
    pub published_url: Option<String>,
    pub results: PostResults,
}

pub struct Rows {
    pub jobs: Vec<JobRow>,
    pub variants: Vec<VariantRow>,
    pub runs: Vec<RunRow>,
    pub upcoming: Upcoming,
    pub results: Vec<ResultRow>,
}

pub fn summarise(window: Window, rows: Rows) -> Kpis {
    let created_at: HashMap<Uuid, DateTime<Utc>> =
        rows.jobs.iter().map(|job| (job.id, job.created_at)).collect();
    let review_times =
        rows.jobs.iter().filter_map(|job| job.ready_at.map(|ready| seconds(ready - job.created_at)));
    let accept_times = rows.variants.iter().filter_map(|variant| {
        let accepted_at = variant.accepted_at.filter(|_| variant.accepted)?;
        Some(seconds(accepted_at - *created_at.get(&variant.job_id)?))
    });
    let daily = daily(window, &rows);
    Kpis {
        from: window.from,
        to: window.to,
        jobs: job_counts(&rows.jobs),
        variants: variant_counts(&rows.variants),
        median_seconds_to_review: median(review_times.collect()),
        median_seconds_to_accept: median(accept_times.collect()),
        posts: post_counts(&rows.runs, rows.upcoming),
        generations_by_provider: provider_counts(&rows.jobs),
        daily,
        results: result_totals(rows.results),
    }
}

/// Totals per network and the most engaging posts, the newest first among equals.
fn result_totals(mut rows: Vec<ResultRow>) -> ResultKpis {
    let by_network = Network::ALL
        .into_iter()
        .filter_map(|network| {
            let posts: Vec<&PostResults> =
                rows.iter().filter(|row| row.network == network).map(|row| &row.results).collect();
            (!posts.is_empty()).then(|| NetworkResults {
                network,
                posts: posts.len() as u64,
                likes: posts.iter().map(|post| post.likes).sum(),
                reposts: posts.iter().map(|post| post.reposts).sum(),
                replies: posts.iter().map(|post| post.replies).sum(),
                impressions: posts.iter().filter_map(|post| post.impressions).reduce(|a, b| a + b),
            })
        })
        .collect();
    let posts = rows.len() as u64;
    rows.sort_by(|a, b| {
        b.results
            .engagements()
            .cmp(&a.results.engagements())
            .then(b.published_at.cmp(&a.published_at))
            .then(a.run_id.cmp(&b.run_id))
    });
    let top_posts = rows
        .into_iter()
        .take(TOP_POSTS)
        .map(|row| TopPost {
            run_id: row.run_id,
            schedule_id: row.schedule_id,
            network: row.network,
            channel: row.channel,
            first_line: row.first_line,
            published_at: row.published_at,
            published_url: row.published_url,
            engagements: row.results.engagements(),
            results: row.results,
        })
        .collect();
    ResultKpis { posts, by_network, top_posts }
}

fn seconds(duration: Duration) -> f64 {
    duration.num_milliseconds().max(0) as f64 / 1000.0
}

/// The middle value (the mean of the two middle ones for an even count).
pub fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    })
}

/// `part ÷ whole` rounded to four places; `None` when there is no whole.
pub fn rate(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 / whole as f64 * 10_000.0).round() / 10_000.0)
}

fn job_counts(jobs: &[JobRow]) -> JobKpis {
    let mut counts = JobKpis { total: jobs.len() as u64, ..JobKpis::default() };
    for job in jobs {
        let slot = match job.status {
            JobStatus::Draft => &mut counts.draft,
            JobStatus::Queued => &mut counts.queued,
            JobStatus::Running => &mut counts.running,
            JobStatus::NeedsReview => &mut counts.needs_review,
            JobStatus::Done => &mut counts.done,
            JobStatus::Failed => &mut counts.failed,
        };
        *slot += 1;
    }
    counts
}

fn variant_counts(variants: &[VariantRow]) -> VariantKpis {
    // Keyed by position: channels in the product's order (`Channel::ALL`).
    let mut per_channel: BTreeMap<(usize, engine::Channel), (u64, u64)> = BTreeMap::new();
    for variant in variants {
        let order =
            engine::Channel::ALL.iter().position(|channel| *channel == variant.channel).unwrap_or_default();
        let entry = per_channel.entry((order, variant.channel)).or_default();
        entry.0 += 1;
        entry.1 += u64::from(variant.accepted);
    }
    let generated = variants.len() as u64;
    let accepted = variants.iter().filter(|variant| variant.accepted).count() as u64;
    VariantKpis {
        generated,
        accepted,
        acceptance_rate: rate(accepted, generated),
        by_channel: per_channel
            .into_iter()
            .map(|((_, channel), (generated, accepted))| ChannelKpis {
                channel: channel.to_string(),
                generated,
                accepted,
                acceptance_rate: rate(accepted, generated),
            })
            .collect(),
    }
}

fn post_counts(runs: &[RunRow], upcoming: Upcoming) -> PostKpis {
    PostKpis {
        published: runs.iter().filter(|run| run.published).count() as u64,
        published_late: runs.iter().filter(|run| run.published && run.late).count() as u64,
        failed: runs.iter().filter(|run| !run.published).count() as u64,
        upcoming: upcoming.count,
        next_at: upcoming.next_at,
    }
}

fn provider_counts(jobs: &[JobRow]) -> Vec<ProviderCount> {
    let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
    for provider in jobs.iter().filter_map(|job| job.provider.as_deref()) {
        *counts.entry(provider).or_default() += 1;
    }
    counts.into_iter().map(|(provider, jobs)| ProviderCount { provider: provider.to_owned(), jobs }).collect()
}

fn daily(window: Window, rows: &Rows) -> Vec<DailyKpis> {
    let first = window.from.date_naive();
    // `to` is exclusive: a window ending at midnight does not include that day.
    let last = (window.to - Duration::microseconds(1)).date_naive();
    let mut days: BTreeMap<NaiveDate, DailyKpis> = first
        .iter_days()
        .take_while(|day| *day <= last)
        .map(|date| (date, DailyKpis { date, jobs_created: 0, variants_accepted: 0, posts_published: 0 }))
        .collect();
    let in_window = |at: DateTime<Utc>| at >= window.from && at < window.to;
    for job in &rows.jobs {
        if let Some(day) = days.get_mut(&job.created_at.date_naive()) {
            day.jobs_created += 1;
        }
    }
    for accepted_at in rows.variants.iter().filter(|v| v.accepted).filter_map(|v| v.accepted_at) {
        if let Some(day) = days.get_mut(&accepted_at.date_naive()).filter(|_| in_window(accepted_at)) {
            day.variants_accepted += 1;
        }
    }
    for run in rows.runs.iter().filter(|run| run.published) {
        if let Some(day) = days.get_mut(&run.ended_at.date_naive()) {
            day.posts_published += 1;
        }
    }
    days.into_values().collect()
}

#[cfg(test)]
mod tests {
    use engine::Channel;

    use super::*;

    fn at(value: &str) -> DateTime<Utc> {
        value.parse().unwrap()
    }

    fn window() -> Window {
        Window { from: at("2026-11-29T00:00:00Z"), to: at("2026-12-01T00:00:00Z") }
    }

    fn job(status: JobStatus, provider: Option<&str>, created: &str, ready: Option<&str>) -> JobRow {
        JobRow {
            id: Uuid::now_v7(),
            status,
            provider: provider.map(str::to_owned),
            created_at: at(created),
            ready_at: ready.map(at),
        }
    }

    fn variant(job: &JobRow, channel: Channel, accepted_at: Option<&str>) -> VariantRow {
        VariantRow {
            job_id: job.id,
            channel,
            accepted: accepted_at.is_some(),
            accepted_at: accepted_at.map(at),
        }
    }

    #[test]
    fn medians_take_the_middle_value() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![5.0]), Some(5.0));
        assert_eq!(median(vec![9.0, 1.0, 5.0]), Some(5.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }

    #[test]
    fn rates_are_undefined_without_a_whole() {
        assert_eq!(rate(0, 0), None);
        assert_eq!(rate(1, 3), Some(0.3333));
        assert_eq!(rate(2, 2), Some(1.0));
    }

    #[test]
    fn given_jobs_and_variants_the_figures_follow_them() {
        let first = job(JobStatus::Done, Some("local"), "2026-11-29T10:00:00Z", Some("2026-11-29T10:00:04Z"));
        let second =
            job(JobStatus::NeedsReview, Some("openai"), "2026-11-30T08:00:00Z", Some("2026-11-30T08:00:10Z"));
        let third = job(JobStatus::Failed, None, "2026-11-30T09:00:00Z", None);
        let variants = vec![
            variant(&first, Channel::X, Some("2026-11-29T10:10:00Z")),
            variant(&first, Channel::Linkedin, Some("2026-11-29T10:20:00Z")),
            variant(&second, Channel::X, None),
            variant(&second, Channel::Blog, Some("2026-11-30T08:30:00Z")),
        ];
        let runs = vec![
            RunRow { published: true, late: false, ended_at: at("2026-11-30T09:00:00Z") },
            RunRow { published: true, late: true, ended_at: at("2026-11-30T12:00:00Z") },
            RunRow { published: false, late: false, ended_at: at("2026-11-29T09:00:00Z") },
        ];
        let upcoming = Upcoming { count: 2, next_at: Some(at("2026-12-02T09:00:00Z")) };
        let kpis = summarise(
            window(),
            Rows { jobs: vec![first, second, third], variants, runs, upcoming, results: vec![] },
        );

        assert_eq!((kpis.jobs.total, kpis.jobs.done, kpis.jobs.needs_review, kpis.jobs.failed), (3, 1, 1, 1));
        assert_eq!((kpis.variants.generated, kpis.variants.accepted), (4, 3));
        assert_eq!(kpis.variants.acceptance_rate, Some(0.75));
        let channels: Vec<_> =
            kpis.variants.by_channel.iter().map(|c| (c.channel.as_str(), c.generated, c.accepted)).collect();
        assert_eq!(channels, [("linkedin", 1, 1), ("x", 2, 1), ("blog", 1, 1)]);
        assert_eq!(kpis.median_seconds_to_review, Some(7.0));
        // 600 s, 1,200 s and 1,800 s after their jobs were created.
        assert_eq!(kpis.median_seconds_to_accept, Some(1200.0));
        assert_eq!((kpis.posts.published, kpis.posts.published_late, kpis.posts.failed), (2, 1, 1));
        assert_eq!(kpis.posts.upcoming, 2);
        let providers: Vec<_> =
            kpis.generations_by_provider.iter().map(|p| (p.provider.as_str(), p.jobs)).collect();
        assert_eq!(providers, [("local", 1), ("openai", 1)]);
        let daily: Vec<_> = kpis
            .daily
            .iter()
            .map(|d| (d.date.to_string(), d.jobs_created, d.variants_accepted, d.posts_published))
            .collect();
        assert_eq!(daily, [("2026-11-29".to_owned(), 1, 2, 0), ("2026-11-30".to_owned(), 2, 1, 2)]);
    }

    #[test]
    fn channels_are_counted_in_the_products_order() {
        let job = job(JobStatus::NeedsReview, Some("local"), "2026-11-29T10:00:00Z", None);
        let variants = vec![
            variant(&job, Channel::Mastodon, None),
            variant(&job, Channel::Bluesky, None),
            variant(&job, Channel::X, None),
        ];
        let kpis = summarise(
            window(),
            Rows { jobs: vec![job], variants, runs: vec![], upcoming: Upcoming::default(), results: vec![] },
        );
        let channels: Vec<_> =
            kpis.variants.by_channel.iter().map(|c| (c.channel.as_str(), c.generated)).collect();
        assert_eq!(channels, [("x", 1), ("bluesky", 1), ("mastodon", 1)]);
    }

    #[test]
    fn an_empty_window_has_zero_counts_and_no_rates() {
        let rows = Rows {
            jobs: vec![],
            variants: vec![],
            runs: vec![],
            upcoming: Upcoming::default(),
            results: vec![],
        };
        let kpis = summarise(window(), rows);
        assert_eq!(kpis.jobs.total, 0);
        assert_eq!(kpis.variants.acceptance_rate, None);
        assert_eq!(kpis.median_seconds_to_review, None);
        assert_eq!(kpis.daily.len(), 2);
        assert!(kpis.daily.iter().all(|day| day.jobs_created == 0));
    }

    fn published(
        network: Network,
        when: &str,
        counts: (u64, u64, u64),
        impressions: Option<u64>,
    ) -> ResultRow {
        ResultRow {
            run_id: Uuid::now_v7(),
            schedule_id: Uuid::now_v7(),
            network,
            channel: network.to_string(),
            first_line: format!("A post on {network}"),
            published_at: at(when),
            published_url: Some(format!("https://{network}.example/post")),
            results: PostResults {
                likes: counts.0,
                reposts: counts.1,
                replies: counts.2,
                impressions,
                fetched_at: at("2026-11-30T12:00:00Z"),
                next_fetch_at: None,
            },
        }
    }

    #[test]
    fn results_are_totalled_per_network_and_the_most_engaging_posts_come_first() {
        let rows = vec![
            published(Network::X, "2026-11-29T09:00:00Z", (10, 2, 1), Some(400)),
            published(Network::X, "2026-11-30T09:00:00Z", (1, 0, 0), None),
            published(Network::Mastodon, "2026-11-29T10:00:00Z", (3, 4, 5), None),
            published(Network::Linkedin, "2026-11-30T10:00:00Z", (1, 0, 0), None),
        ];
        let kpis = summarise(
            window(),
            Rows {
                jobs: vec![],
                variants: vec![],
                runs: vec![],
                upcoming: Upcoming::default(),
                results: rows,
            },
        );
        assert_eq!(kpis.results.posts, 4);
        let totals: Vec<_> = kpis
            .results
            .by_network
            .iter()
            .map(|n| (n.network, n.posts, n.likes, n.reposts, n.replies, n.impressions))
            .collect();
        assert_eq!(
            totals,
            [
                (Network::X, 2, 11, 2, 1, Some(400)),
                (Network::Linkedin, 1, 1, 0, 0, None),
                (Network::Mastodon, 1, 3, 4, 5, None),
            ]
        );
        let top: Vec<_> =
            kpis.results.top_posts.iter().map(|p| (p.network, p.engagements, p.published_at)).collect();
        // Equal engagement: the newer post first.
        assert_eq!(
            top,
            [
                (Network::X, 13, at("2026-11-29T09:00:00Z")),
                (Network::Mastodon, 12, at("2026-11-29T10:00:00Z")),
                (Network::Linkedin, 1, at("2026-11-30T10:00:00Z")),
                (Network::X, 1, at("2026-11-30T09:00:00Z")),
            ]
        );
    }

    #[test]
    fn at_most_five_posts_are_listed_as_top_posts() {
        let rows: Vec<ResultRow> = (0..7u64)
            .map(|likes| published(Network::Bluesky, "2026-11-29T09:00:00Z", (likes, 0, 0), None))
            .collect();
        let kpis = summarise(
            window(),
            Rows {
                jobs: vec![],
                variants: vec![],
                runs: vec![],
                upcoming: Upcoming::default(),
                results: rows,
            },
        );
        assert_eq!(kpis.results.posts, 7);
        let likes: Vec<u64> = kpis.results.top_posts.iter().map(|post| post.results.likes).collect();
        assert_eq!(likes, [6, 5, 4, 3, 2]);
    }
}
