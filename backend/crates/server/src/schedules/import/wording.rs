//! An import's errors in words people act on: each names its row as a spreadsheet numbers it
//! and says what to write instead, with no format names (`RFC 3339`, `IANA`, `UUID`).

use engine::Channel;

use super::{csv::ImportRow, post::Unnamed};
use crate::{
    connectors::ConnectorKind,
    error::FieldError,
    schedules::{
        recurrence::{self, MAX_POSTS_PER_DAY, RecurrenceError},
        service::{ConnectorRefusal, FieldProblem, InvalidField},
    },
};

pub const DATE_EXAMPLE: &str = "Use a date like 2027-03-22 09:00";
const CHANNEL_NAMES: &str = "LinkedIn, X, Email newsletter or Blog post";
const RULE_EXAMPLE: &str = "Use a repeat rule like FREQ=WEEKLY;BYDAY=TU, or leave it empty to post once";

/// A row's error: `rows[3].run_at`, "Row 3: …".
pub fn row_error(row: usize, column: &str, message: impl std::fmt::Display) -> FieldError {
    FieldError::new(format!("rows[{row}].{column}"), format!("Row {row}: {message}"))
}

/// A post as a message names it: "the LinkedIn post of “Spring launch”".
pub fn post_of(channel: &str, job: &str) -> String {
    let channel = channel.parse::<Channel>().map_or(channel, |known| known.display_name());
    format!("the {channel} post of “{job}”")
}

pub fn unnamed(problem: &Unnamed) -> String {
    match problem {
        Unnamed::NotALink(cell) => {
            format!("“{cell}” is not a post link. Copy the link from the post's card (Copy link).")
        }
        Unnamed::NotAnId(cell) => {
            format!("“{cell}” is not a post id. Put the post's link in a post column instead.")
        }
        Unnamed::UnknownChannel(cell) => format!("Unknown channel “{cell}” — use {CHANNEL_NAMES}."),
        Unnamed::NoChannel => format!("Add the post's channel: {CHANNEL_NAMES}."),
        Unnamed::NoJob => "Add the job's name beside the channel, or the post's link.".to_owned(),
        Unnamed::Nothing => {
            "Name the post: paste its link in the post column, or fill in job and channel.".to_owned()
        }
    }
}

/// What is wrong with a schedule field of `row`, quoting what the row says.
pub fn field_problem(invalid: &InvalidField, row: &ImportRow) -> String {
    match &invalid.problem {
        FieldProblem::UnknownConnector(_) => format!(
            "Unknown connector “{}” — use file or webhook, or leave it empty for file.",
            row.connector.as_deref().unwrap_or_default()
        ),
        FieldProblem::InThePast => format!("{} is in the past. Use a date still to come.", row.run_at),
        FieldProblem::TooManyExdates => invalid.problem.to_string(),
        FieldProblem::Timing(error) => timing(error, row),
    }
}

fn timing(error: &RecurrenceError, row: &ImportRow) -> String {
    match error {
        RecurrenceError::UnknownTimeZone(_) => unknown_zone(&row.timezone),
        RecurrenceError::InvalidTime => format!("{DATE_EXAMPLE} (not “{}”).", row.run_at),
        RecurrenceError::NonexistentLocalTime(zone) => format!(
            "{} does not exist in {zone}: the clocks skip that hour when summer time starts. Pick another time.",
            row.run_at
        ),
        RecurrenceError::InvalidRule(_) => format!("{RULE_EXAMPLE}."),
        RecurrenceError::UnsupportedPart(part) => format!("{RULE_EXAMPLE} ({part} is not supported)."),
        RecurrenceError::TooFrequent(per_day) => format!(
            "This repeat rule would post up to {per_day} times a day; a schedule posts at most {MAX_POSTS_PER_DAY}."
        ),
        RecurrenceError::NoOccurrences => {
            "This repeat rule never falls on or after the date in run_at. Check its COUNT or UNTIL."
                .to_owned()
        }
    }
}

/// "Unknown time zone — try Europe/Berlin", with the zone the cell most likely meant.
pub fn unknown_zone(cell: &str) -> String {
    if cell.trim().is_empty() {
        return "Add a time zone, such as Europe/Berlin.".to_owned();
    }
    match recurrence::suggest_zone(cell) {
        Some(zone) => format!("Unknown time zone “{cell}” — try {}.", zone.name()),
        None => format!("Unknown time zone “{cell}” — try a name like Europe/Berlin."),
    }
}

/// A row cannot say which connected account to publish to.
pub const ACCOUNT_CONNECTOR: &str =
    "Choose a connected account in the Scheduler; an import publishes with the file or webhook connector.";

pub fn connector_refusal(refusal: ConnectorRefusal) -> String {
    match refusal {
        ConnectorRefusal::Disabled(kind) => {
            format!("The {kind} connector is switched off by an administrator.")
        }
        ConnectorRefusal::NoWebhook => {
            format!("Set up your webhook in Settings first, or use the {} connector.", ConnectorKind::File)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(run_at: &str, timezone: &str) -> ImportRow {
        ImportRow { row: 3, run_at: run_at.into(), timezone: timezone.into(), ..ImportRow::default() }
    }

    fn says(problem: FieldProblem, row: &ImportRow) -> String {
        field_problem(&InvalidField { field: "x".into(), problem }, row)
    }

    #[test]
    fn each_problem_says_what_to_write_instead() {
        let dated = row("22/03/2027", "Berlin");
        assert_eq!(
            says(RecurrenceError::InvalidTime.into(), &dated),
            "Use a date like 2027-03-22 09:00 (not “22/03/2027”)."
        );
        assert_eq!(
            says(RecurrenceError::UnknownTimeZone("Berlin".into()).into(), &dated),
            "Unknown time zone “Berlin” — try Europe/Berlin."
        );
        assert_eq!(
            unknown_zone("Atlantis/Capital"),
            "Unknown time zone “Atlantis/Capital” — try a name like Europe/Berlin."
        );
        assert_eq!(unknown_zone(" "), "Add a time zone, such as Europe/Berlin.");
        assert_eq!(
            says(RecurrenceError::InvalidRule("x".into()).into(), &dated),
            "Use a repeat rule like FREQ=WEEKLY;BYDAY=TU, or leave it empty to post once."
        );
        assert!(
            says(FieldProblem::InThePast, &row("2020-01-01 09:00", "UTC"))
                .starts_with("2020-01-01 09:00 is in the past")
        );
        let unknown = ImportRow { connector: Some("fax".into()), ..row("", "") };
        assert!(says(FieldProblem::UnknownConnector("raw".into()), &unknown).contains("“fax”"));
        for problem in [
            RecurrenceError::UnknownTimeZone("Atlantis".into()),
            RecurrenceError::InvalidTime,
            RecurrenceError::UnsupportedPart("BYSETPOS".into()),
            RecurrenceError::TooFrequent(48),
            RecurrenceError::NoOccurrences,
            RecurrenceError::NonexistentLocalTime("Europe/Berlin".into()),
        ] {
            let message = says(problem.into(), &dated);
            for jargon in ["RFC", "IANA", "UUID", "RRULE"] {
                assert!(!message.contains(jargon), "{message}");
            }
        }
    }

    #[test]
    fn row_errors_name_their_row_and_column() {
        let error = row_error(3, "run_at", DATE_EXAMPLE);
        assert_eq!(error.field, "rows[3].run_at");
        assert_eq!(error.message, "Row 3: Use a date like 2027-03-22 09:00");
        assert_eq!(post_of("newsletter", "Spring launch"), "the Email newsletter post of “Spring launch”");
        assert_eq!(
            unnamed(&Unnamed::UnknownChannel("Fax".into())),
            "Unknown channel “Fax” — use LinkedIn, X, Email newsletter or Blog post."
        );
    }
}
