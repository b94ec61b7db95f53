//! Bluesky's and Mastodon's counting on every case of the shared fixture (the console checks
//! the same file with its own counters, so the two always agree).

use serde_json::Value;

#[test]
fn grapheme_and_mastodon_lengths_match_the_shared_cases() {
    let fixture: Value = serde_json::from_str(include_str!("fixtures/short-post-cases.json")).unwrap();
    let mut disagreements = Vec::new();
    for case in fixture["cases"].as_array().unwrap() {
        let text = case["text"].as_str().unwrap();
        let graphemes = case["graphemes"].as_u64().unwrap() as usize;
        let mastodon = case["mastodon"].as_u64().unwrap() as usize;
        let ours = (engine::grapheme_count(text), engine::mastodon_length(text));
        if ours != (graphemes, mastodon) {
            disagreements.push(format!("{text:?}: expected {:?}, ours {ours:?}", (graphemes, mastodon)));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
