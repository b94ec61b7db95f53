//! When a schedule fires: a start time and an optional RFC 5545 RRULE (with EXDATEs),
//! expanded by the `rrule` crate in the schedule's IANA time zone so that a 09:00 post stays
//! at 09:00 local time across daylight-saving changes. Pure: no clock, no I/O.

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone, Utc};
use rrule::{Frequency, RRule, RRuleSet, Unvalidated};

/// The RRULE parts we accept. Anything else (BYSETPOS, BYWEEKNO, …) is refused rather than
/// silently ignored, so what the user wrote is what runs.
const ALLOWED_PARTS: [&str; 10] =
    ["FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYHOUR", "BYMINUTE", "COUNT", "UNTIL", "WKST"];

/// The most posts one schedule may publish in a day: hourly, or a handful of set times.
pub const MAX_POSTS_PER_DAY: usize = 24;

/// How many occurrences one expansion may step through (skipping to a window included): more
/// than five years of the most frequent rule, so an honest calendar is never cut short, while
/// no request can make the server walk a rule for centuries.
const MAX_EXPANSION_STEPS: usize = 50_000;

/// Local times are written without an offset, to the minute or second, with a `T` or (as
/// spreadsheets write them) a space between the date and the time.
const LOCAL_FORMATS: [&str; 4] =
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecurrenceError {
    #[error("`{0}` is not an IANA time zone such as Europe/Berlin")]
    UnknownTimeZone(String),
    #[error("must be a date and time such as 2026-12-01T09:00 (local) or with an offset (RFC 3339)")]
    InvalidTime,
    #[error("does not exist in {0} (the clocks skip it when daylight saving starts)")]
    NonexistentLocalTime(String),
    #[error("is not a valid recurrence rule: {0}")]
    InvalidRule(String),
    #[error(
        "`{0}` is not supported; use FREQ, INTERVAL, BYDAY, BYMONTHDAY, BYMONTH, BYHOUR, BYMINUTE, COUNT, UNTIL"
    )]
    UnsupportedPart(String),
    #[error("would publish up to {0} posts a day; a schedule may publish at most {MAX_POSTS_PER_DAY}")]
    TooFrequent(usize),
    #[error("has no occurrence at or after the start time")]
    NoOccurrences,
}

/// Parses an IANA zone name.
pub fn parse_zone(name: &str) -> Result<chrono_tz::Tz, RecurrenceError> {
    name.trim().parse().map_err(|_| RecurrenceError::UnknownTimeZone(name.to_owned()))
}

/// Parses a zone name as people type it: in any case, with spaces for underscores
/// (`europe/berlin`, `America/New York`).
pub fn parse_zone_loosely(name: &str) -> Result<chrono_tz::Tz, RecurrenceError> {
    parse_zone(name).or_else(|error| {
        let wanted = loose_zone_key(name);
        chrono_tz::TZ_VARIANTS.iter().copied().find(|zone| loose_zone_key(zone.name()) == wanted).ok_or(error)
    })
}

/// The zone a name that is none most likely meant: the zone whose last part is that name, so
/// `Berlin` suggests `Europe/Berlin` and `new york` `America/New_York`.
pub fn suggest_zone(name: &str) -> Option<chrono_tz::Tz> {
    let wanted = loose_zone_key(name.rsplit('/').next().unwrap_or_default());
    if wanted.is_empty() {
        return None;
    }
    chrono_tz::TZ_VARIANTS.iter().copied().find(|zone| {
        zone.name()
            .split_once('/')
            .is_some_and(|(_, place)| loose_zone_key(place.rsplit('/').next().unwrap_or_default()) == wanted)
    })
}

fn loose_zone_key(name: &str) -> String {
    name.trim().replace(' ', "_").to_lowercase()
}

/// Reads a time given either with an offset (an instant) or without one (a wall-clock time
/// in `zone`). An ambiguous wall-clock time (the repeated hour in autumn) takes the first.
pub fn parse_time(value: &str, zone: chrono_tz::Tz) -> Result<DateTime<Utc>, RecurrenceError> {
    let value = value.trim();
    if let Ok(instant) = DateTime::parse_from_rfc3339(value) {
        return Ok(instant.with_timezone(&Utc));
    }
    let naive = parse_local(value)?;
    local_to_utc(naive, zone)
}

fn parse_local(value: &str) -> Result<NaiveDateTime, RecurrenceError> {
    LOCAL_FORMATS
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(value.trim(), format).ok())
        .ok_or(RecurrenceError::InvalidTime)
}

/// A wall-clock time in `zone` as an instant: the first of an ambiguous autumn time, an error
/// for one the clocks skip in spring.
pub fn local_to_utc(naive: NaiveDateTime, zone: chrono_tz::Tz) -> Result<DateTime<Utc>, RecurrenceError> {
    match zone.from_local_datetime(&naive) {
        LocalResult::Single(time) | LocalResult::Ambiguous(time, _) => Ok(time.with_timezone(&Utc)),
        LocalResult::None => Err(RecurrenceError::NonexistentLocalTime(zone.name().to_owned())),
    }
}

/// Normalises a rule as users may paste it (`RRULE:` prefix, lower case, spaces) and checks
/// that it only uses the parts we support.
pub fn normalise_rule(rule: &str) -> Result<String, RecurrenceError> {
    let trimmed = rule.trim();
    let body = trimmed.strip_prefix("RRULE:").or_else(|| trimmed.strip_prefix("rrule:")).unwrap_or(trimmed);
    let mut parts = Vec::new();
    for part in body.split(';').map(str::trim).filter(|part| !part.is_empty()) {
        let (key, value) = part
            .split_once('=')
            .ok_or_else(|| RecurrenceError::InvalidRule(format!("`{part}` has no `=`")))?;
        let key = key.trim().to_ascii_uppercase();
        if !ALLOWED_PARTS.contains(&key.as_str()) {
            return Err(RecurrenceError::UnsupportedPart(key));
        }
        parts.push(format!("{key}={}", value.trim().to_ascii_uppercase()));
    }
    if parts.is_empty() {
        return Err(RecurrenceError::InvalidRule("it is empty".into()));
    }
    let normalised = parts.join(";");
    normalised
        .parse::<RRule<Unvalidated>>()
        .map_err(|error| RecurrenceError::InvalidRule(error.to_string()))?;
    Ok(normalised)
}

/// A schedule's occurrences: `start`, then (with a rule) every recurrence, minus EXDATEs.
#[derive(Debug, Clone)]
pub struct Plan {
    start: DateTime<rrule::Tz>,
    set: Option<RRuleSet>,
    exdates: Vec<DateTime<Utc>>,
}

impl Plan {
    /// `rule` is a normalised RRULE (see [`normalise_rule`]); `exdates` are wall-clock times
    /// in `zone` (or instants with an offset) to skip.
    pub fn new(
        start: DateTime<Utc>,
        zone: chrono_tz::Tz,
        rule: Option<&str>,
        exdates: &[String],
    ) -> Result<Self, RecurrenceError> {
        let start = start.with_timezone(&rrule::Tz::Tz(zone));
        let exdates = exdates.iter().map(|value| parse_time(value, zone)).collect::<Result<Vec<_>, _>>()?;
        let set = match rule {
            None => None,
            Some(rule) => {
                let parsed: RRule<Unvalidated> = rule
                    .parse()
                    .map_err(|error: rrule::RRuleError| RecurrenceError::InvalidRule(error.to_string()))?;
                let per_day = posts_per_day_bound(&parsed);
                if per_day > MAX_POSTS_PER_DAY {
                    return Err(RecurrenceError::TooFrequent(per_day));
                }
                let parsed = match parsed.get_until() {
                    // A floating UNTIL (no `Z`) is wall-clock time in the schedule's zone
                    // (RFC 5545 3.3.10); the library wants UTC next to a zoned start.
                    Some(until) if until.timezone() != rrule::Tz::UTC => {
                        let until = local_to_utc(until.naive_local(), zone)?;
                        parsed.until(until.with_timezone(&rrule::Tz::UTC))
                    }
                    _ => parsed,
                };
                Some(
                    parsed
                        .build(start)
                        .map_err(|error| RecurrenceError::InvalidRule(error.to_string()))?
                        .limit(),
                )
            }
        };
        let plan = Self { start, set, exdates };
        if plan.first_at_or_after(start.with_timezone(&Utc)).is_none() {
            return Err(RecurrenceError::NoOccurrences);
        }
        Ok(plan)
    }

    pub fn is_recurring(&self) -> bool {
        self.set.is_some()
    }

    /// The first occurrence at or after `time`.
    pub fn first_at_or_after(&self, time: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.occurrences().find(|occurrence| *occurrence >= time)
    }

    /// The first occurrence strictly after `time`.
    pub fn next_after(&self, time: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.occurrences().find(|occurrence| *occurrence > time)
    }

    /// Occurrences in `[from, to)`, at most `limit` of them.
    pub fn between(&self, from: DateTime<Utc>, to: DateTime<Utc>, limit: usize) -> Vec<DateTime<Utc>> {
        self.occurrences()
            .skip_while(|occurrence| *occurrence < from)
            .take_while(|occurrence| *occurrence < to)
            .take(limit)
            .collect()
    }

    /// Every occurrence in order, EXDATEs removed, at most [`MAX_EXPANSION_STEPS`] of them.
    fn occurrences(&self) -> Box<dyn Iterator<Item = DateTime<Utc>> + '_> {
        let all: Box<dyn Iterator<Item = DateTime<Utc>> + '_> = match &self.set {
            None => Box::new(std::iter::once(self.start.with_timezone(&Utc))),
            Some(set) => Box::new(
                set.into_iter().take(MAX_EXPANSION_STEPS).map(|occurrence| occurrence.with_timezone(&Utc)),
            ),
        };
        Box::new(all.filter(|occurrence| !self.exdates.contains(occurrence)))
    }
}

/// The most occurrences a rule can have on one day: the hours it fires in times the minutes
/// in each hour. Minutely and secondly rules fire more often than any product use needs.
fn posts_per_day_bound(rule: &RRule<Unvalidated>) -> usize {
    let interval = usize::from(rule.get_interval().max(1));
    let listed = |values: usize| values.max(1);
    let hours = match rule.get_freq() {
        Frequency::Secondly | Frequency::Minutely => return usize::MAX,
        Frequency::Hourly => {
            let every = 24usize.div_ceil(interval);
            if rule.get_by_hour().is_empty() { every } else { every.min(rule.get_by_hour().len()) }
        }
        _ => listed(rule.get_by_hour().len()),
    };
    hours * listed(rule.get_by_minute().len())
}

#[cfg(test)]
mod tests {
    use chrono::Timelike;

    use super::*;

    fn utc(value: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(value).unwrap().with_timezone(&Utc)
    }

    fn berlin() -> chrono_tz::Tz {
        parse_zone("Europe/Berlin").unwrap()
    }

    #[test]
    fn a_weekly_morning_post_stays_at_nine_local_across_the_dst_change() {
        let zone = berlin();
        // Tuesday 2026-10-20 09:00 CEST (UTC+2); clocks go back on Sunday 2026-10-25.
        let start = parse_time("2026-10-20T09:00", zone).unwrap();
        let plan = Plan::new(start, zone, Some("FREQ=WEEKLY;BYDAY=TU"), &[]).unwrap();
        let dates = plan.between(start, utc("2026-11-05T00:00:00Z"), 10);
        assert_eq!(
            dates,
            vec![utc("2026-10-20T07:00:00Z"), utc("2026-10-27T08:00:00Z"), utc("2026-11-03T08:00:00Z")]
        );
        for date in dates {
            assert_eq!(date.with_timezone(&zone).hour(), 9);
        }
    }

    #[test]
    fn spring_forward_in_new_york_keeps_the_local_hour() {
        let zone = parse_zone("America/New_York").unwrap();
        // Clocks go forward on Sunday 2027-03-14.
        let start = parse_time("2027-03-12T08:30", zone).unwrap();
        let plan = Plan::new(start, zone, Some("FREQ=DAILY;COUNT=4"), &[]).unwrap();
        let dates = plan.between(start, utc("2027-04-01T00:00:00Z"), 10);
        assert_eq!(
            dates,
            vec![
                utc("2027-03-12T13:30:00Z"),
                utc("2027-03-13T13:30:00Z"),
                utc("2027-03-14T12:30:00Z"),
                utc("2027-03-15T12:30:00Z")
            ]
        );
    }

    #[test]
    fn exdates_count_until_and_interval_are_honoured() {
        let zone = berlin();
        let start = parse_time("2026-12-01T10:00", zone).unwrap();
        let plan = Plan::new(
            start,
            zone,
            Some("FREQ=DAILY;INTERVAL=2;UNTIL=20261209T235959Z"),
            &["2026-12-05T10:00".to_owned()],
        )
        .unwrap();
        let local: Vec<String> = plan
            .between(start, utc("2027-01-01T00:00:00Z"), 50)
            .iter()
            .map(|date| date.with_timezone(&zone).format("%d %H:%M").to_string())
            .collect();
        assert_eq!(local, ["01 10:00", "03 10:00", "07 10:00", "09 10:00"]);
    }

    #[test]
    fn by_hour_and_by_month_day_expand_within_a_day() {
        let zone = berlin();
        let start = parse_time("2026-12-01T09:00", zone).unwrap();
        let plan =
            Plan::new(start, zone, Some("FREQ=MONTHLY;BYMONTHDAY=1,15;BYHOUR=9,17;COUNT=4"), &[]).unwrap();
        let local: Vec<String> = plan
            .between(start, utc("2027-06-01T00:00:00Z"), 50)
            .iter()
            .map(|date| date.with_timezone(&zone).format("%m-%d %H:%M").to_string())
            .collect();
        assert_eq!(local, ["12-01 09:00", "12-01 17:00", "12-15 09:00", "12-15 17:00"]);
    }

    #[test]
    fn next_after_and_first_at_or_after_step_through_occurrences() {
        let zone = chrono_tz::UTC;
        let start = utc("2026-12-01T09:00:00Z");
        let plan = Plan::new(start, zone, Some("FREQ=DAILY"), &[]).unwrap();
        assert_eq!(plan.first_at_or_after(start), Some(start));
        assert_eq!(plan.next_after(start), Some(utc("2026-12-02T09:00:00Z")));
        assert_eq!(plan.first_at_or_after(utc("2026-12-10T09:00:01Z")), Some(utc("2026-12-11T09:00:00Z")));
        let once = Plan::new(start, zone, None, &[]).unwrap();
        assert!(!once.is_recurring());
        assert_eq!(once.next_after(start), None);
    }

    #[test]
    fn bad_rules_zones_and_times_are_named() {
        assert_eq!(parse_zone("Mars/Olympus"), Err(RecurrenceError::UnknownTimeZone("Mars/Olympus".into())));
        assert_eq!(parse_time("next tuesday", berlin()), Err(RecurrenceError::InvalidTime));
        // 02:30 does not exist in Berlin on 2027-03-28.
        assert!(matches!(
            parse_time("2027-03-28T02:30", berlin()),
            Err(RecurrenceError::NonexistentLocalTime(_))
        ));
        assert_eq!(
            normalise_rule("FREQ=WEEKLY;BYSETPOS=1"),
            Err(RecurrenceError::UnsupportedPart("BYSETPOS".into()))
        );
        assert!(matches!(normalise_rule("FREQ"), Err(RecurrenceError::InvalidRule(_))));
        assert_eq!(normalise_rule("rrule: freq=weekly; byday=mo"), Ok("FREQ=WEEKLY;BYDAY=MO".into()));
        assert!(matches!(normalise_rule("FREQ=NEVER"), Err(RecurrenceError::InvalidRule(_))));
        let start = utc("2026-12-01T09:00:00Z");
        assert!(matches!(
            Plan::new(start, chrono_tz::UTC, Some("FREQ=FORTNIGHTLY"), &[]),
            Err(RecurrenceError::InvalidRule(_))
        ));
        assert!(matches!(
            Plan::new(start, chrono_tz::UTC, Some("FREQ=MINUTELY"), &[]),
            Err(RecurrenceError::TooFrequent(_))
        ));
        assert!(matches!(
            Plan::new(start, chrono_tz::UTC, None, &["2026-12-01T09:00".into()]),
            Err(RecurrenceError::NoOccurrences)
        ));
    }

    #[test]
    fn rules_that_post_more_than_a_few_times_an_hour_are_refused() {
        let start = utc("2026-12-01T09:00:00Z");
        let plan = |rule: &str| Plan::new(start, chrono_tz::UTC, Some(rule), &[]);
        let every_minute: Vec<String> = (0..60).map(|minute| minute.to_string()).collect();
        let every_hour: Vec<String> = (0..24).map(|hour| hour.to_string()).collect();
        let hourly_bomb = format!("FREQ=HOURLY;BYMINUTE={}", every_minute.join(","));
        let daily_bomb =
            format!("FREQ=DAILY;BYHOUR={};BYMINUTE={}", every_hour.join(","), every_minute.join(","));
        assert_eq!(plan(&hourly_bomb).unwrap_err(), RecurrenceError::TooFrequent(24 * 60));
        assert_eq!(plan(&daily_bomb).unwrap_err(), RecurrenceError::TooFrequent(24 * 60));
        assert_eq!(plan("FREQ=HOURLY;BYMINUTE=0,30").unwrap_err(), RecurrenceError::TooFrequent(48));
        assert!(plan("FREQ=SECONDLY").is_err());
        for allowed in
            ["FREQ=HOURLY", "FREQ=HOURLY;INTERVAL=2;BYMINUTE=0,30", "FREQ=DAILY;BYHOUR=9,12,17;BYMINUTE=0,30"]
        {
            assert!(plan(allowed).is_ok(), "{allowed}");
        }
    }

    #[test]
    fn expansion_stops_after_a_bounded_number_of_steps() {
        let start = utc("2026-12-01T09:00:00Z");
        let plan = Plan::new(start, chrono_tz::UTC, Some("FREQ=HOURLY"), &[]).unwrap();
        // Centuries ahead: the walk gives up instead of stepping through every hour.
        let far = utc("2600-01-01T00:00:00Z");
        assert!(plan.between(far, utc("2601-01-01T00:00:00Z"), 10).is_empty());
        assert_eq!(plan.first_at_or_after(far), None);
        assert_eq!(plan.between(start, far, usize::MAX).len(), MAX_EXPANSION_STEPS);
    }

    #[test]
    fn spreadsheet_dates_with_a_space_or_seconds_are_read() {
        let nine = Ok(utc("2027-03-22T08:00:00Z"));
        for written in ["2027-03-22 09:00", "2027-03-22T09:00", "2027-03-22 09:00:00", "2027-03-22T09:00:00"]
        {
            assert_eq!(parse_time(written, berlin()), nine, "{written}");
        }
        assert_eq!(parse_time("2027-03-22T09:00:00+01:00", chrono_tz::UTC), nine);
        assert_eq!(parse_time("22/03/2027 09:00", berlin()), Err(RecurrenceError::InvalidTime));
    }

    #[test]
    fn zones_are_found_in_any_case_and_suggested_by_their_city() {
        assert_eq!(parse_zone_loosely("europe/berlin"), Ok(berlin()));
        assert_eq!(parse_zone_loosely(" America/New York "), Ok(chrono_tz::America::New_York));
        assert_eq!(parse_zone_loosely("utc"), Ok(chrono_tz::UTC));
        assert!(parse_zone_loosely("Berlin").is_err());
        assert_eq!(suggest_zone("Berlin"), Some(berlin()));
        assert_eq!(suggest_zone("new york"), Some(chrono_tz::America::New_York));
        assert_eq!(suggest_zone("Atlantis/Berlin"), Some(berlin()));
        assert_eq!(suggest_zone("Atlantis"), None);
        assert_eq!(suggest_zone(""), None);
    }

    #[test]
    fn an_ambiguous_autumn_time_takes_the_first_instance() {
        // 02:30 happens twice in Berlin on 2026-10-25; the first is still summer time.
        assert_eq!(parse_time("2026-10-25T02:30", berlin()), Ok(utc("2026-10-25T00:30:00Z")));
    }
}
