//! Bulk scheduling from CSV: `variant_id,run_at,timezone,recurrence,connector` with a header
//! row; `recurrence` and `connector` may be empty.

use uuid::Uuid;

use crate::error::{ApiError, FieldError};

pub const MAX_IMPORT_ROWS: usize = 500;
const REQUIRED_COLUMNS: [&str; 3] = ["variant_id", "run_at", "timezone"];

/// One data row, numbered from 1 as a spreadsheet would show it after the header.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRow {
    pub line: usize,
    /// `None` when the cell is not a UUID (reported during validation).
    pub variant_id: Option<Uuid>,
    pub run_at: String,
    pub timezone: String,
    pub recurrence: Option<String>,
    pub connector: Option<String>,
}

/// Parses the CSV's shape; the values are checked by the schedule validation.
pub fn parse_csv(body: &str) -> Result<Vec<ImportRow>, ApiError> {
    let mut reader =
        csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(false).from_reader(body.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|error| ApiError::field("body", format!("is not valid CSV: {error}")))?
        .iter()
        .map(|header| header.to_ascii_lowercase())
        .collect();
    let column = |name: &str| headers.iter().position(|header| header == name);
    let missing: Vec<FieldError> = REQUIRED_COLUMNS
        .iter()
        .filter(|name| column(name).is_none())
        .map(|name| FieldError::new("body", format!("the header row has no `{name}` column")))
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::Validation(missing));
    }
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 1;
        let record = record.map_err(|error| {
            ApiError::field(format!("rows[{line}]"), format!("is not valid CSV: {error}"))
        })?;
        if rows.len() == MAX_IMPORT_ROWS {
            return Err(ApiError::field("body", format!("has more than {MAX_IMPORT_ROWS} rows")));
        }
        let cell = |name: &str| column(name).and_then(|at| record.get(at)).unwrap_or_default().to_owned();
        let optional = |name: &str| Some(cell(name)).filter(|value| !value.is_empty());
        rows.push(ImportRow {
            line,
            variant_id: cell("variant_id").parse().ok(),
            run_at: cell("run_at"),
            timezone: cell("timezone"),
            recurrence: optional("recurrence"),
            connector: optional("connector"),
        });
    }
    if rows.is_empty() {
        return Err(ApiError::field("body", "has no rows after the header"));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_in_any_column_order_with_optional_cells() {
        let id = Uuid::now_v7();
        let body = format!(
            "timezone,run_at,variant_id,recurrence\nEurope/Berlin,2026-12-01T09:00,{id},FREQ=WEEKLY\nUTC,2026-12-02T10:00,nope,\n"
        );
        let rows = parse_csv(&body).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].variant_id, Some(id));
        assert_eq!(rows[0].recurrence.as_deref(), Some("FREQ=WEEKLY"));
        assert_eq!(rows[1].line, 2);
        assert_eq!(rows[1].variant_id, None);
        assert_eq!(rows[1].recurrence, None);
        assert_eq!(rows[1].connector, None);
    }

    #[test]
    fn refuses_missing_columns_ragged_rows_and_empty_files() {
        assert!(
            matches!(parse_csv("run_at,timezone\n"), Err(ApiError::Validation(errors)) if errors.len() == 1)
        );
        assert!(parse_csv("variant_id,run_at,timezone\na,b\n").is_err());
        assert!(parse_csv("variant_id,run_at,timezone\n").is_err());
    }
}
