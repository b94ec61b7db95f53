//! X's weighted counting agrees with the official twitter-text JavaScript package on every
//! case of the shared fixture (the console checks the same file against that package).

use serde_json::Value;

#[test]
fn weighted_lengths_match_the_official_library() {
    let fixture: Value = serde_json::from_str(include_str!("fixtures/x-weighted-cases.json")).unwrap();
    let mut disagreements = Vec::new();
    for case in fixture["cases"].as_array().unwrap() {
        let text = case["text"].as_str().unwrap();
        let expected = case["weighted_length"].as_u64().unwrap() as usize;
        let actual = engine::x_weighted_length(text);
        if actual != expected {
            disagreements.push(format!("{text:?}: official {expected}, ours {actual}"));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
