use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, Utc};
use sea_orm::{DeriveActiveEnum, EnumIter, prelude::StringLen};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{config::Quota, users::model::Role};

/// What a quota counts, and over which period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema, EnumIter, DeriveActiveEnum)]
#[serde(rename_all = "snake_case")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum Metric {
    /// Jobs queued (created with a source, submitted or retried) per UTC day.
    #[sea_orm(string_value = "jobs_per_day")]
    JobsPerDay,
    /// Characters of generated variant text per UTC month.
    #[sea_orm(string_value = "chars_per_month")]
    CharsPerMonth,
}

impl Metric {
    pub fn limit(self, quota: Quota) -> Option<u64> {
        match self {
            Self::JobsPerDay => quota.jobs_per_day,
            Self::CharsPerMonth => quota.chars_per_month,
        }
    }

    /// Where the period containing `now` starts: UTC midnight, or the first of the month.
    pub fn period_start(self, now: DateTime<Utc>) -> DateTime<Utc> {
        let today = now.date_naive();
        match self {
            Self::JobsPerDay => midnight(Some(today)),
            Self::CharsPerMonth => midnight(today.with_day(1)),
        }
    }

    /// When the period containing `now` ends and counting starts again from zero.
    pub fn resets_at(self, now: DateTime<Utc>) -> DateTime<Utc> {
        let start = self.period_start(now).date_naive();
        match self {
            Self::JobsPerDay => midnight(start.checked_add_days(Days::new(1))),
            Self::CharsPerMonth => midnight(start.checked_add_months(Months::new(1))),
        }
    }
}

/// 00:00 UTC on `date`; a date past chrono's range is the end of time.
fn midnight(date: Option<NaiveDate>) -> DateTime<Utc> {
    date.map_or(DateTime::<Utc>::MAX_UTC, |date| date.and_time(NaiveTime::MIN).and_utc())
}

/// One quota: how much of it is used in the current period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Allowance {
    pub used: u64,
    /// `null` when the role's allowance is unlimited.
    pub limit: Option<u64>,
    /// `limit - used`, never below 0; `null` when unlimited.
    pub remaining: Option<u64>,
    /// When `used` goes back to 0 (the next UTC midnight, or the first of next month).
    pub resets_at: DateTime<Utc>,
}

impl Allowance {
    pub fn new(used: u64, limit: Option<u64>, resets_at: DateTime<Utc>) -> Self {
        Self { used, limit, remaining: limit.map(|limit| limit.saturating_sub(used)), resets_at }
    }
}

/// The caller's consumption against quota.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Usage {
    /// The role whose allowances apply.
    pub role: Role,
    pub jobs_per_day: Allowance,
    pub chars_per_month: Allowance,
}

/// What a batch of generated variants costs against the monthly character quota.
pub fn generated_chars<'a>(contents: impl IntoIterator<Item = &'a str>) -> u64 {
    contents.into_iter().map(|content| content.chars().count() as u64).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_are_stored_by_their_names() {
        crate::db::assert_stored_as(&[
            (Metric::JobsPerDay, "jobs_per_day".to_owned()),
            (Metric::CharsPerMonth, "chars_per_month".to_owned()),
        ]);
    }

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn days_start_and_reset_at_utc_midnight() {
        let now = at("2026-12-31T23:59:59.5Z");
        assert_eq!(Metric::JobsPerDay.period_start(now), at("2026-12-31T00:00:00Z"));
        assert_eq!(Metric::JobsPerDay.resets_at(now), at("2027-01-01T00:00:00Z"));
        assert_eq!(Metric::JobsPerDay.period_start(at("2027-01-01T00:00:00Z")), at("2027-01-01T00:00:00Z"));
    }

    #[test]
    fn months_start_on_the_first_and_roll_over_the_year() {
        let now = at("2026-12-15T08:30:00Z");
        assert_eq!(Metric::CharsPerMonth.period_start(now), at("2026-12-01T00:00:00Z"));
        assert_eq!(Metric::CharsPerMonth.resets_at(now), at("2027-01-01T00:00:00Z"));
        assert_eq!(Metric::CharsPerMonth.resets_at(at("2027-01-31T12:00:00Z")), at("2027-02-01T00:00:00Z"));
    }

    #[test]
    fn remaining_never_goes_below_zero_and_unlimited_has_none() {
        let resets = at("2027-01-01T00:00:00Z");
        assert_eq!(Allowance::new(3, Some(50), resets).remaining, Some(47));
        assert_eq!(Allowance::new(60, Some(50), resets).remaining, Some(0));
        assert_eq!(Allowance::new(60, None, resets).remaining, None);
    }

    #[test]
    fn characters_are_counted_as_characters_not_bytes() {
        assert_eq!(generated_chars(["héllo", "🚀 go"]), 9);
    }
}
