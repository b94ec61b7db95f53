//! `kyros eval`: the engine on human-written papers with reference summaries (the ACLSum
//! dataset, shipped in the `aclsum` package on PyPI), scored with ROUGE against LEAD-3, plus
//! channel-rule compliance and grounding.

pub mod marketing;
mod rouge;

use std::path::Path;

use anyhow::Context;
use engine::{Channel, GenerationOptions, Variant};
use serde::Deserialize;
use serde_json::{Value, json};

/// One ACLSum document: sentences per section and three aspect summaries written by people.
#[derive(Debug, Deserialize)]
struct Document {
    id: String,
    title: String,
    summary: std::collections::BTreeMap<String, String>,
    sentences: std::collections::BTreeMap<String, Vec<String>>,
}

const SECTIONS: [&str; 3] = ["abstract", "introduction", "conclusion"];

/// ACLSum text is tokenised ("workflow ."); this joins it back into prose.
fn detokenize(sentence: &str) -> String {
    let mut text = sentence.to_owned();
    for (from, to) in [
        (" .", "."),
        (" ,", ","),
        (" ;", ";"),
        (" :", ":"),
        (" ?", "?"),
        (" !", "!"),
        ("( ", "("),
        (" )", ")"),
        (" 's", "'s"),
        (" n't", "n't"),
    ] {
        text = text.replace(from, to);
    }
    text
}

fn article(document: &Document) -> String {
    let mut blocks = vec![format!("# {}", document.title)];
    for section in SECTIONS {
        if let Some(sentences) = document.sentences.get(section) {
            blocks.push(sentences.iter().map(|s| detokenize(s)).collect::<Vec<_>>().join(" "));
        }
    }
    blocks.join("\n\n")
}

fn lead3(document: &Document) -> String {
    SECTIONS
        .iter()
        .filter_map(|section| document.sentences.get(*section))
        .flatten()
        .take(3)
        .map(|s| detokenize(s))
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Default)]
struct Scores {
    rouge1: f64,
    rouge2: f64,
    rouge_l: f64,
}

impl Scores {
    fn add(&mut self, candidate: &str, reference: &str) {
        self.rouge1 += rouge::rouge_n(candidate, reference, 1);
        self.rouge2 += rouge::rouge_n(candidate, reference, 2);
        self.rouge_l += rouge::rouge_l(candidate, reference);
    }

    fn mean(&self, n: usize) -> Value {
        let n = n.max(1) as f64;
        json!({ "rouge1": round(self.rouge1 / n), "rouge2": round(self.rouge2 / n), "rougeL": round(self.rouge_l / n) })
    }
}

fn round(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

/// Share of grounded sentences whose text really stands in the spans they cite.
fn grounding_counts(source: &str, variant: &Variant) -> (usize, usize) {
    let mut total = 0;
    let mut grounded = 0;
    for entry in &variant.metadata.grounding {
        total += 1;
        let text = entry.text.trim_end_matches('…');
        let cited: String = entry
            .spans
            .iter()
            .filter_map(|&[start, end]| source.get(start..end))
            .map(|slice| slice.split_whitespace().collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join(" ");
        // A repair may raise the first letter ("however, the bakery" → "The bakery").
        if !text.is_empty() && cited.to_lowercase().contains(&text.to_lowercase()) {
            grounded += 1;
        }
    }
    (grounded, total)
}

/// Runs the evaluation over a JSONL file and returns the report.
pub fn run(dataset: &Path, limit: Option<usize>) -> anyhow::Result<Value> {
    let raw = std::fs::read_to_string(dataset).with_context(|| format!("reading {}", dataset.display()))?;
    let documents: Vec<Document> = raw
        .lines()
        .filter(|line| !line.trim().is_empty())
        .take(limit.unwrap_or(usize::MAX))
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()
        .context("parsing the dataset")?;
    let (mut key_points, mut newsletter, mut meta, mut baseline) =
        (Scores::default(), Scores::default(), Scores::default(), Scores::default());
    let (mut variants_total, mut variants_compliant, mut grounded, mut grounding_total, mut failures) =
        (0, 0, 0, 0, Vec::new());
    let mut evaluated = 0;
    for document in &documents {
        let reference = ["challenge", "approach", "outcome"]
            .iter()
            .filter_map(|a| document.summary.get(*a))
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        let source = article(document);
        let variants = match engine::repurpose(&source, &Channel::ALL, &GenerationOptions::default()) {
            Ok(variants) => variants,
            Err(error) => {
                failures.push(json!({ "id": document.id, "error": error.to_string() }));
                continue;
            }
        };
        evaluated += 1;
        baseline.add(&lead3(document), &reference);
        for variant in &variants {
            variants_total += 1;
            let errors =
                variant.metadata.lint.iter().filter(|f| f.severity == engine::Severity::Error).count();
            if errors == 0 {
                variants_compliant += 1;
            }
            let (ok, total) = grounding_counts(&source, variant);
            grounded += ok;
            grounding_total += total;
            match variant.channel {
                Channel::Newsletter => {
                    let points = variant.metadata.fields.key_points.as_deref().unwrap_or_default();
                    key_points.add(&points.join(" "), &reference);
                    // What the newsletter tells its reader: the opening paragraph (the line
                    // after the headline) and the key points.
                    let opening = variant.content.split("\n\n").nth(1).unwrap_or_default();
                    newsletter.add(&format!("{opening} {}", points.join(" ")), &reference);
                }
                Channel::Blog => meta
                    .add(variant.metadata.fields.meta_description.as_deref().unwrap_or_default(), &reference),
                _ => {}
            }
        }
    }
    Ok(json!({
        "dataset": dataset.file_name().and_then(|n| n.to_str()).unwrap_or_default(),
        "documents": documents.len(),
        "evaluated": evaluated,
        "rouge_f1": {
            "newsletter_key_points": key_points.mean(evaluated),
            "newsletter_opening_and_key_points": newsletter.mean(evaluated),
            "blog_meta_description": meta.mean(evaluated),
            "lead3_baseline": baseline.mean(evaluated),
        },
        "channel_rule_compliance": round(variants_compliant as f64 / variants_total.max(1) as f64),
        "grounded_sentence_share": round(grounded as f64 / grounding_total.max(1) as f64),
        "failures": failures,
    }))
}
