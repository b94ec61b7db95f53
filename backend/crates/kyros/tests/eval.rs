//! The engine on the ACLSum test split: every variant obeys its channel's rules and every
//! output sentence is grounded. The report (with ROUGE against LEAD-3) lands in test-results/.

use std::{path::PathBuf, process::Command};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

#[test]
fn the_engine_is_fully_compliant_and_grounded_on_aclsum() {
    let dataset = std::env::var("KYROS_EVAL_DATASET")
        .map(PathBuf::from)
        .unwrap_or_else(|_| repo_root().join(".cache/aclsum-0.1.2/aclsum/dataset/test.jsonl"));
    if !dataset.exists() {
        eprintln!("SKIPPED: {} is missing; ./scripts/run-tests.sh downloads it", dataset.display());
        return;
    }
    let output = Command::new(env!("CARGO_BIN_EXE_kyros")).arg("eval").arg(&dataset).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["evaluated"], 100, "{report}");
    assert_eq!(report["channel_rule_compliance"], 1.0, "{report}");
    assert_eq!(report["grounded_sentence_share"], 1.0, "{report}");
    let results = repo_root().join("test-results");
    std::fs::create_dir_all(&results).unwrap();
    std::fs::write(results.join("engine-eval.json"), &output.stdout).unwrap();
}
