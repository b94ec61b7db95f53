//! The import's CSV: reading the rows people send and writing the template they start from.
//!
//! A header row names the columns, in any order and case: `run_at` and `timezone`, and the post
//! by `post` (its link), `variant_id`, or `job` and `channel`; `recurrence` and `connector` may
//! be left out or empty. Rows are numbered as a spreadsheet shows them: the header is row 1.

use std::borrow::Cow;

use crate::error::{ApiError, FieldError};

/// The most data rows one import (and so one template) holds.
pub const MAX_IMPORT_ROWS: usize = 500;
/// The template's columns, in the order people fill them in.
pub const TEMPLATE_COLUMNS: [&str; 7] =
    ["job", "channel", "post", "run_at", "timezone", "recurrence", "connector"];
/// Columns that name a row's post; a file needs at least one of them.
const POST_COLUMNS: [&str; 3] = ["post", "variant_id", "job"];
/// Excel starts the CSV UTF-8 files it saves with a byte order mark, and needs one to read a
/// file as UTF-8 (job names are any text).
const BYTE_ORDER_MARK: char = '\u{feff}';

/// One data row, its cells trimmed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportRow {
    /// The row as a spreadsheet numbers it (the header is row 1).
    pub row: usize,
    pub post: PostCells,
    pub run_at: String,
    pub timezone: String,
    pub recurrence: Option<String>,
    pub connector: Option<String>,
}

/// The cells that name a row's post, as written (`None` when empty or absent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostCells {
    pub link: Option<String>,
    pub variant_id: Option<String>,
    pub job: Option<String>,
    pub channel: Option<String>,
}

impl ImportRow {
    /// A row with no date is left out: people list their posts (the template lists them all)
    /// and fill in only those they want to schedule.
    pub fn is_dated(&self) -> bool {
        !self.run_at.is_empty()
    }
}

/// Reads the rows of an import, leaving out rows with no cell filled in. The cells are
/// checked later, each row on its own, so that every wrong row can be named at once.
pub fn parse_csv(body: &str) -> Result<Vec<ImportRow>, ApiError> {
    let body = body.trim_start_matches(BYTE_ORDER_MARK);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(body))
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(body.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|_| {
            file_error("This file can't be read as CSV. Save it from your spreadsheet as CSV (UTF-8).")
        })?
        .iter()
        .map(|header| header.to_lowercase().replace(' ', "_"))
        .collect();
    let column = |name: &str| headers.iter().position(|header| header == name);
    let mut missing: Vec<FieldError> = ["run_at", "timezone"]
        .into_iter()
        .filter(|name| column(name).is_none())
        .map(|name| FieldError::new("body", format!("The header row has no {name} column.")))
        .collect();
    if POST_COLUMNS.iter().all(|name| column(name).is_none()) {
        missing.push(FieldError::new(
            "body",
            "The header row names no post: add a post column (the post's link), or job and channel columns.",
        ));
    }
    if !missing.is_empty() {
        if let Some(first) = missing.first_mut() {
            first.message.push_str(" Download the template to start from the right columns.");
        }
        return Err(ApiError::Validation(missing));
    }
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        // The line the record starts on is the row a spreadsheet shows, blank lines included.
        let row = usize::try_from(reader.position().line()).unwrap_or(usize::MAX);
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(_) => {
                return Err(ApiError::field(
                    format!("rows[{row}]"),
                    format!("Row {row} can't be read. Save the file from your spreadsheet as CSV (UTF-8)."),
                ));
            }
        }
        let row = record.position().map_or(row, |position| usize::try_from(position.line()).unwrap_or(row));
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.iter().skip(headers.len()).any(|cell| !cell.is_empty()) {
            return Err(ApiError::field(
                format!("rows[{row}]"),
                format!(
                    "Row {row} has more cells than the header has columns. Put quotes around cells that contain a comma."
                ),
            ));
        }
        if rows.len() == MAX_IMPORT_ROWS {
            return Err(file_error(format!(
                "The file has more than {MAX_IMPORT_ROWS} rows. Split it into smaller files."
            )));
        }
        let cell = |name: &str| column(name).and_then(|at| record.get(at)).unwrap_or_default().to_owned();
        let optional = |name: &str| Some(cell(name)).filter(|value| !value.is_empty());
        rows.push(ImportRow {
            row,
            post: PostCells {
                link: optional("post"),
                variant_id: optional("variant_id"),
                job: optional("job"),
                channel: optional("channel"),
            },
            run_at: cell("run_at"),
            timezone: cell("timezone"),
            recurrence: optional("recurrence"),
            connector: optional("connector"),
        });
    }
    if rows.is_empty() {
        return Err(file_error("The file has no rows after the header."));
    }
    Ok(rows)
}

fn file_error(message: impl Into<String>) -> ApiError {
    ApiError::field("body", message)
}

/// Spreadsheets in languages that write decimals with a comma save CSV with semicolons; the
/// header row tells which.
fn delimiter(body: &str) -> u8 {
    let header = body.lines().next().unwrap_or_default();
    if header.contains(';') && !header.contains(',') { b';' } else { b',' }
}

/// One row of the template: an accepted post, its date left for the user to fill in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateRow {
    pub job: String,
    pub channel: String,
    pub link: String,
    pub timezone: String,
}

/// Writes the template: the header, then one row per post with `run_at` empty.
pub fn render_template(rows: &[TemplateRow]) -> Result<String, ApiError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(TEMPLATE_COLUMNS).map_err(anyhow::Error::from)?;
    for row in rows {
        let cells = [row.job.as_str(), &row.channel, &row.link, "", &row.timezone, "", ""];
        writer.write_record(cells.map(|cell| inert(cell).into_owned())).map_err(anyhow::Error::from)?;
    }
    let bytes = writer.into_inner().map_err(|error| anyhow::anyhow!("writing the template: {error}"))?;
    let body = String::from_utf8(bytes).map_err(anyhow::Error::from)?;
    Ok(format!("{BYTE_ORDER_MARK}{body}"))
}

/// A cell a spreadsheet will not run as a formula: one starting with `=`, `+`, `-`, `@`, a tab
/// or a carriage return gets a leading apostrophe (OWASP's advice against CSV injection). Job
/// names are text anyone may have written, opened in someone's spreadsheet.
pub fn inert(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(FORMULA_STARTS) { Cow::Owned(format!("'{cell}")) } else { Cow::Borrowed(cell) }
}

/// Undoes [`inert`], for a cell read back from a file saved without the spreadsheet.
pub fn uninert(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => cell,
    }
}

const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(error: ApiError) -> Vec<(String, String)> {
        match error {
            ApiError::Validation(errors) => {
                errors.into_iter().map(|error| (error.field, error.message)).collect()
            }
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn reads_rows_in_any_column_order_numbered_as_a_spreadsheet_shows_them() {
        let body = "Timezone,Run At,variant_id,recurrence\nEurope/Berlin,2026-12-01T09:00,abc,FREQ=WEEKLY\n\n,,,\nUTC,2026-12-02 10:00,,\n";
        let rows = parse_csv(body).unwrap();
        assert_eq!(rows.len(), 2, "blank rows are left out");
        assert_eq!(rows[0].row, 2);
        assert_eq!(rows[0].post.variant_id.as_deref(), Some("abc"));
        assert_eq!(rows[0].recurrence.as_deref(), Some("FREQ=WEEKLY"));
        assert_eq!((rows[1].row, rows[1].run_at.as_str()), (5, "2026-12-02 10:00"));
        assert_eq!(rows[1].post, PostCells::default());
        assert_eq!(rows[1].connector, None);
    }

    #[test]
    fn reads_named_columns_a_byte_order_mark_and_semicolons() {
        let body = "\u{feff}job;channel;post;run_at;timezone;recurrence;connector\n Spring launch ;LinkedIn;https://app.example.com/jobs/1#variant-2;2027-03-22 09:00;Europe/Berlin;\"FREQ=WEEKLY;BYDAY=TU\";\n";
        let rows = parse_csv(body).unwrap();
        let post = &rows[0].post;
        assert_eq!(post.job.as_deref(), Some("Spring launch"));
        assert_eq!(post.channel.as_deref(), Some("LinkedIn"));
        assert_eq!(post.link.as_deref(), Some("https://app.example.com/jobs/1#variant-2"));
        assert_eq!(rows[0].recurrence.as_deref(), Some("FREQ=WEEKLY;BYDAY=TU"));
        assert!(rows[0].is_dated());
    }

    #[test]
    fn short_rows_are_read_and_long_ones_refused_by_their_row() {
        let rows = parse_csv("post,run_at,timezone,recurrence\nlink,2027-01-01 09:00\n").unwrap();
        assert_eq!(rows[0].timezone, "");
        assert_eq!(rows[0].recurrence, None);
        let long = parse_csv("post,run_at,timezone\nlink,2027-01-01 09:00,UTC\na,b,c,d\n").unwrap_err();
        assert_eq!(fields(long)[0].0, "rows[3]");
        assert!(
            parse_csv("post,run_at,timezone\nlink,2027-01-01 09:00,UTC,,\n").is_ok(),
            "empty extra cells"
        );
    }

    #[test]
    fn refuses_missing_columns_and_empty_files_in_words() {
        let missing = fields(parse_csv("run_at\n").unwrap_err());
        assert_eq!(missing.len(), 2);
        assert!(missing[0].1.starts_with("The header row has no timezone column."), "{missing:?}");
        assert!(missing[1].1.contains("add a post column"), "{missing:?}");
        let empty = fields(parse_csv("variant_id,run_at,timezone\n").unwrap_err());
        assert_eq!(empty, [("body".to_owned(), "The file has no rows after the header.".to_owned())]);
        let header_only_blank = parse_csv("variant_id,run_at,timezone\n,,\n");
        assert!(header_only_blank.is_err());
    }

    #[test]
    fn refuses_more_rows_than_the_limit() {
        let body =
            format!("post,run_at,timezone\n{}", "link,2027-01-01 09:00,UTC\n".repeat(MAX_IMPORT_ROWS + 1));
        let error = fields(parse_csv(&body).unwrap_err());
        assert!(error[0].1.contains("more than 500 rows"), "{error:?}");
        let most = format!("post,run_at,timezone\n{}", "link,2027-01-01 09:00,UTC\n".repeat(MAX_IMPORT_ROWS));
        assert_eq!(parse_csv(&most).unwrap().len(), MAX_IMPORT_ROWS);
    }

    #[test]
    fn the_template_neutralises_formulas_and_reads_back() {
        let rows = [
            TemplateRow {
                job: "=HYPERLINK(\"http://evil\",\"x\")".into(),
                channel: "LinkedIn".into(),
                link: "https://app.example.com/jobs/j#variant-v".into(),
                timezone: "Europe/Berlin".into(),
            },
            TemplateRow {
                job: "Spring, \"launch\"".into(),
                channel: "X".into(),
                link: "https://app.example.com/jobs/j#variant-w".into(),
                timezone: "UTC".into(),
            },
        ];
        let body = render_template(&rows).unwrap();
        assert!(
            body.starts_with("\u{feff}job,channel,post,run_at,timezone,recurrence,connector\n"),
            "{body}"
        );
        assert!(body.contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",LinkedIn,"), "{body}");
        let read = parse_csv(&body.replace(",,Europe/Berlin", ",2027-01-01 09:00,Europe/Berlin")).unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(read[0].post.job.as_deref().map(uninert), Some("=HYPERLINK(\"http://evil\",\"x\")"));
        assert_eq!(read[1].post.job.as_deref(), Some("Spring, \"launch\""));
        assert!(!read[1].is_dated());
    }

    #[test]
    fn only_formula_starts_are_neutralised() {
        for risky in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(inert(risky), format!("'{risky}"));
            assert_eq!(uninert(&inert(risky)), risky);
        }
        assert_eq!(inert("Spring launch"), "Spring launch");
        assert_eq!(uninert("'quoted'"), "'quoted'");
    }
}
