//! JSON kept as its text. Read from the database and written into a response without being
//! built into a tree and serialised again: variant metadata (grounding spans, lint findings)
//! is most of a job detail's bytes, and the detail is the API's most frequent read.

use sea_orm::FromJsonQueryResult;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

#[derive(Debug, Clone, Serialize, Deserialize, FromJsonQueryResult)]
#[serde(transparent)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    pub fn get(&self) -> &str {
        self.0.get()
    }
}

impl From<&serde_json::Value> for RawJson {
    fn from(value: &serde_json::Value) -> Self {
        // A `Value` always serialises: its map keys are strings.
        Self(serde_json::value::to_raw_value(value).expect("a JSON value serialises"))
    }
}

#[cfg(test)]
mod tests {
    use super::RawJson;

    #[test]
    fn raw_json_is_written_back_exactly_as_read() {
        let text = r##"{"hashtags":["#a"],"grounding":[{"start":0,"end":4}],"note":"caf\u00e9"}"##;
        let raw: RawJson = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&raw).unwrap(), text);
        #[derive(serde::Serialize)]
        struct Wrapper {
            metadata: RawJson,
        }
        let wrapped = serde_json::to_string(&Wrapper { metadata: raw }).unwrap();
        assert_eq!(wrapped, format!(r#"{{"metadata":{text}}}"#));
    }

    #[test]
    fn raw_json_from_a_value_round_trips() {
        let value = serde_json::json!({ "parts": [1, 2], "title": "T" });
        let raw = RawJson::from(&value);
        assert_eq!(serde_json::from_str::<serde_json::Value>(raw.get()).unwrap(), value);
    }
}
