//! `kyros eval --set marketing DIR`: the engine on real marketing pieces kept as people paste
//! them (Markdown with front matter, MDX, HTML, transcripts; `DIR/manifest.json` lists each
//! file with its origin and licence). Reports, per channel, how many drafts carry each defect
//! class (the engine's quality lint, the same a user sees), the share of drafts free of all of
//! them, how much of what they reuse comes from the first fifth of long sources, and how many
//! of a source's sections they draw on.

use std::{collections::BTreeMap, path::Path};

use anyhow::Context;
use engine::{Channel, GenerationOptions, Variant};
use ingest::SourceFormat;
use serde::Deserialize;
use serde_json::{Value, json};

/// Sources longer than this count towards the lead share (the "long sources").
const LONG_SOURCE_CHARS: usize = 3_000;

#[derive(Debug, Deserialize)]
struct Piece {
    file: String,
    kind: String,
    language: String,
    /// `markdown`, `html`, `transcript` or `text`.
    format: String,
}

/// Runs the engine on every piece of the set and returns the report.
pub fn run(dir: &Path) -> anyhow::Result<Value> {
    let manifest = dir.join("manifest.json");
    let pieces: Vec<Piece> = serde_json::from_str(
        &std::fs::read_to_string(&manifest).with_context(|| format!("reading {}", manifest.display()))?,
    )
    .with_context(|| format!("parsing {}", manifest.display()))?;
    let mut channels: BTreeMap<&'static str, ChannelTally> = BTreeMap::new();
    let mut findings = Vec::new();
    let mut failures = Vec::new();
    for piece in &pieces {
        let path = dir.join(&piece.file);
        let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        let format: SourceFormat = piece.format.parse().map_err(anyhow::Error::msg)?;
        let source = match ingest::ingest(&bytes, format, ingest::Limits::default()) {
            Ok(ingested) => ingested.text,
            Err(error) => {
                failures.push(json!({ "file": piece.file, "error": error.to_string() }));
                continue;
            }
        };
        let variants = match engine::repurpose(&source, &Channel::ALL, &GenerationOptions::default()) {
            Ok(variants) => variants,
            Err(error) => {
                failures.push(json!({ "file": piece.file, "error": error.to_string() }));
                continue;
            }
        };
        let sections = sections(&source);
        for variant in &variants {
            let defects = defects(variant);
            let tally = channels.entry(variant.channel.as_str()).or_default();
            tally.outputs += 1;
            let errors = rule_errors(variant);
            if !errors.is_empty() {
                tally.rule_errors += 1;
                findings.push(
                    json!({ "file": piece.file, "channel": variant.channel.as_str(), "rule_errors": errors }),
                );
            }
            for defect in &defects {
                *tally.defects.entry(defect).or_default() += 1;
            }
            if defects.is_empty() {
                tally.defect_free += 1;
            }
            let starts = sentence_starts(&source, variant);
            if source.chars().count() > LONG_SOURCE_CHARS {
                tally.lead_spans += starts.iter().filter(|&&start| start < source.len() / 5).count();
                tally.long_source_spans += starts.len();
            }
            if sections.len() >= 2 {
                tally.sections += sections.len();
                tally.sections_used += sections
                    .iter()
                    .filter(|(start, end)| starts.iter().any(|span| (start..end).contains(&span)))
                    .count();
            }
            if !defects.is_empty() {
                findings.push(json!({ "file": piece.file, "kind": piece.kind, "language": piece.language,
                    "channel": variant.channel.as_str(), "defects": defects }));
            }
        }
    }
    let report: BTreeMap<&str, Value> =
        channels.iter().map(|(channel, tally)| (*channel, tally.report())).collect();
    Ok(json!({
        "set": "marketing",
        "pieces": pieces.len(),
        "channels": report,
        "findings": findings,
        "failures": failures,
    }))
}

#[derive(Default)]
struct ChannelTally {
    outputs: usize,
    /// Drafts that break a channel rule (a lint error).
    rule_errors: usize,
    defect_free: usize,
    defects: BTreeMap<&'static str, usize>,
    lead_spans: usize,
    long_source_spans: usize,
    sections: usize,
    sections_used: usize,
}

impl ChannelTally {
    fn report(&self) -> Value {
        let share = |part: usize, whole: usize| {
            if whole == 0 { Value::Null } else { json!(round(part as f64 / whole as f64)) }
        };
        let defects: BTreeMap<&str, usize> = engine::QUALITY_RULES
            .iter()
            .map(|rule| defect_name(rule))
            .map(|name| (name, self.defects.get(name).copied().unwrap_or(0)))
            .collect();
        json!({
            "outputs": self.outputs,
            "channel_rule_compliance": share(self.outputs - self.rule_errors, self.outputs),
            "defect_free_share": share(self.defect_free, self.outputs),
            "defects": defects,
            "lead_share": share(self.lead_spans, self.long_source_spans),
            "section_coverage": share(self.sections_used, self.sections),
        })
    }
}

fn round(value: f64) -> f64 {
    (value * 1_000.0).round() / 1_000.0
}

/// Where each grounded sentence of a draft starts in the source (byte offsets); titles taken
/// from a heading are not sentences and do not count.
fn sentence_starts(source: &str, variant: &Variant) -> Vec<usize> {
    variant
        .metadata
        .grounding
        .iter()
        .filter_map(|entry| Some(entry.spans.first()?[0]))
        .filter(|&start| {
            let line_start = source[..start.min(source.len())].rfind('\n').map_or(0, |at| at + 1);
            !source[line_start..].starts_with('#')
        })
        .collect()
}

/// The byte ranges of a source's sections: from each Markdown heading to the next.
fn sections(source: &str) -> Vec<(usize, usize)> {
    let mut starts: Vec<usize> = Vec::new();
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        if line.starts_with('#') {
            starts.push(offset);
        }
        offset += line.len();
    }
    starts
        .iter()
        .enumerate()
        .map(|(index, &start)| (start, starts.get(index + 1).copied().unwrap_or(source.len())))
        .collect()
}

/// A quality rule's defect class: `quality.markup_residue` → `markup_residue`.
fn defect_name(rule: &str) -> &str {
    rule.strip_prefix("quality.").unwrap_or(rule)
}

/// The channel rules a draft breaks: its lint errors.
fn rule_errors(variant: &Variant) -> Vec<String> {
    variant
        .metadata
        .lint
        .iter()
        .filter(|finding| finding.severity == engine::Severity::Error)
        .map(|finding| finding.message.clone())
        .collect()
}

/// The defect classes a draft shows: its quality lint findings.
fn defects(variant: &Variant) -> Vec<&'static str> {
    let mut found: Vec<&'static str> = variant
        .metadata
        .lint
        .iter()
        .filter_map(|finding| engine::QUALITY_RULES.iter().find(|known| **known == finding.rule))
        .map(|rule| defect_name(rule))
        .collect();
    found.dedup();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_run_from_heading_to_heading() {
        assert_eq!(sections("# A\n\nx\n\n## B\n\ny"), vec![(0, 8), (8, 15)]);
    }

    #[test]
    fn defect_classes_are_the_quality_rules_without_their_prefix() {
        assert_eq!(defect_name("quality.markup_residue"), "markup_residue");
    }
}
