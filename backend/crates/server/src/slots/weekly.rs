//! A connected account's weekly slots as instants: each slot's weekday and wall-clock time in
//! the account's zone, turned into UTC by the recurrence code's zone logic, so a 09:30 slot
//! stays at 09:30 local across daylight-saving changes. Pure: no clock, no I/O.

use chrono::{DateTime, Datelike, Days, NaiveTime, Utc, Weekday};

use crate::schedules::recurrence;

/// The slots of one account, in one zone.
#[derive(Debug, Clone)]
pub struct WeeklySlots {
    zone: chrono_tz::Tz,
    /// Ordered by time of day, so each day's instants come out in order.
    times: Vec<(Weekday, NaiveTime)>,
}

impl WeeklySlots {
    pub fn new(zone: chrono_tz::Tz, mut times: Vec<(Weekday, NaiveTime)>) -> Self {
        times.sort_by_key(|(weekday, time)| (*time, weekday.num_days_from_monday()));
        Self { zone, times }
    }

    /// Slot instants strictly after `after` and at most `until`, in order. A slot whose time
    /// the clocks skip that day (spring forward) has no instant that week; one they repeat
    /// (autumn) takes the first.
    pub fn between(
        &self,
        after: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> impl Iterator<Item = DateTime<Utc>> + '_ {
        // A day earlier than `after`'s local date: zones ahead of UTC start their day before it.
        let first = after.with_timezone(&self.zone).date_naive() - Days::new(1);
        let last = until.with_timezone(&self.zone).date_naive();
        first
            .iter_days()
            .take_while(move |date| *date <= last)
            .flat_map(move |date| {
                self.times.iter().filter(move |(weekday, _)| *weekday == date.weekday()).filter_map(
                    move |(_, time)| recurrence::local_to_utc(date.and_time(*time), self.zone).ok(),
                )
            })
            .filter(move |at| *at > after && *at <= until)
    }
}

#[cfg(test)]
mod tests {
    use chrono::Timelike;

    use super::*;

    fn utc(value: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(value).unwrap().with_timezone(&Utc)
    }

    fn at(hour: u32, minute: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(hour, minute, 0).unwrap()
    }

    #[test]
    fn slots_come_out_in_order_after_the_given_instant() {
        let slots = WeeklySlots::new(
            chrono_tz::Europe::Berlin,
            vec![(Weekday::Thu, at(17, 0)), (Weekday::Tue, at(9, 30)), (Weekday::Tue, at(8, 0))],
        );
        // Tuesday 2026-12-08 08:30 Berlin (UTC+1).
        let found: Vec<_> = slots.between(utc("2026-12-08T07:30:00Z"), utc("2026-12-16T00:00:00Z")).collect();
        assert_eq!(
            found,
            [
                utc("2026-12-08T08:30:00Z"),
                utc("2026-12-10T16:00:00Z"),
                utc("2026-12-15T07:00:00Z"),
                utc("2026-12-15T08:30:00Z")
            ]
        );
    }

    #[test]
    fn a_slot_keeps_its_local_time_across_the_autumn_change_and_skips_a_missing_hour() {
        let zone = chrono_tz::Europe::Berlin;
        let slots = WeeklySlots::new(zone, vec![(Weekday::Sun, at(2, 30)), (Weekday::Mon, at(9, 0))]);
        // Clocks go forward on Sunday 2027-03-28 (02:30 does not exist) and back on 2027-10-31.
        let spring: Vec<_> =
            slots.between(utc("2027-03-20T00:00:00Z"), utc("2027-03-30T00:00:00Z")).collect();
        assert_eq!(
            spring,
            [utc("2027-03-21T01:30:00Z"), utc("2027-03-22T08:00:00Z"), utc("2027-03-29T07:00:00Z")]
        );
        let autumn: Vec<_> =
            slots.between(utc("2027-10-30T00:00:00Z"), utc("2027-11-02T00:00:00Z")).collect();
        // 02:30 happens twice on 2027-10-31: the first, still summer time.
        assert_eq!(autumn, [utc("2027-10-31T00:30:00Z"), utc("2027-11-01T08:00:00Z")]);
        for instant in spring.iter().chain(&autumn) {
            assert!(matches!(instant.with_timezone(&zone).hour(), 2 | 9));
        }
    }

    #[test]
    fn a_zone_ahead_of_utc_finds_the_slot_early_in_its_day() {
        let slots = WeeklySlots::new(chrono_tz::Pacific::Auckland, vec![(Weekday::Wed, at(6, 0))]);
        // Tuesday 2026-12-08 18:00 UTC is Wednesday 07:00 in Auckland (UTC+13): today's 06:00
        // slot has passed; next week's is the next.
        let next = slots.between(utc("2026-12-08T18:00:00Z"), utc("2027-01-01T00:00:00Z")).next();
        assert_eq!(next, Some(utc("2026-12-15T17:00:00Z")));
    }
}
