//! `kyros eval --set marketing DIR`: the engine on real marketing pieces kept as people paste
//! them (Markdown with front matter, MDX, HTML, transcripts; `DIR/manifest.json` lists each
//! file with its origin and licence). Reports, per channel, how many drafts carry each defect
//! class, the share of drafts free of all of them, how much of what they reuse comes from the
//! first fifth of long sources, and how many of a source's sections they draw on.

use std::{collections::BTreeMap, path::Path};

use anyhow::Context;
use engine::{Channel, GenerationOptions, Variant};
use ingest::SourceFormat;
use serde::Deserialize;
use serde_json::{Value, json};

/// Sources longer than this count towards the lead share (the issue's "long sources").
const LONG_SOURCE_CHARS: usize = 3_000;

#[derive(Debug, Deserialize)]
struct Piece {
    file: String,
    kind: String,
    language: String,
    /// `markdown`, `html`, `transcript` or `text`.
    format: String,
}

/// The defect classes a draft is checked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Defect {
    /// Markup from the source: tags, link or image syntax, bold markers, code fences, MDX or
    /// Liquid syntax, escaped brackets, entities, front matter keys.
    MarkupResidue,
    /// A line that ends with a colon and no list after it.
    DanglingColon,
    /// A byline, date line or speaker label used as content.
    LabelOrByline,
    /// A hashtag that is a function word or a contraction's remains.
    StopwordHashtag,
}

impl Defect {
    const ALL: [Self; 4] =
        [Self::MarkupResidue, Self::DanglingColon, Self::LabelOrByline, Self::StopwordHashtag];

    fn name(self) -> &'static str {
        match self {
            Self::MarkupResidue => "markup_residue",
            Self::DanglingColon => "dangling_colon",
            Self::LabelOrByline => "label_or_byline",
            Self::StopwordHashtag => "stopword_hashtag",
        }
    }
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
            for defect in &defects {
                *tally.defects.entry(defect.name()).or_default() += 1;
            }
            if defects.is_empty() {
                tally.defect_free += 1;
            }
            let starts = span_starts(variant);
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
                let names: Vec<&str> = defects.iter().map(|defect| defect.name()).collect();
                findings.push(json!({ "file": piece.file, "kind": piece.kind, "language": piece.language,
                    "channel": variant.channel.as_str(), "defects": names }));
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
        let defects: BTreeMap<&str, usize> = Defect::ALL
            .iter()
            .map(|defect| (defect.name(), self.defects.get(defect.name()).copied().unwrap_or(0)))
            .collect();
        json!({
            "outputs": self.outputs,
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

/// Where each grounded sentence of a draft starts in the source (byte offsets).
fn span_starts(variant: &Variant) -> Vec<usize> {
    variant.metadata["grounding"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|entry| entry["spans"].as_array()?.first()?.get(0)?.as_u64())
        .filter_map(|start| usize::try_from(start).ok())
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

/// The defect classes a draft shows.
fn defects(variant: &Variant) -> Vec<Defect> {
    let content = &variant.content;
    let mut found = Vec::new();
    if has_markup_residue(content) {
        found.push(Defect::MarkupResidue);
    }
    let lines: Vec<&str> = content.lines().map(str::trim).filter(|line| !line.is_empty()).collect();
    let dangling = lines.iter().enumerate().any(|(index, line)| {
        line.ends_with(':')
            && !lines.get(index + 1).is_some_and(|next| next.starts_with("- ") || next.starts_with("• "))
    });
    if dangling {
        found.push(Defect::DanglingColon);
    }
    if lines.iter().any(|line| is_label_or_byline(line)) {
        found.push(Defect::LabelOrByline);
    }
    if hashtags(variant).iter().any(|tag| is_stopword_hashtag(tag)) {
        found.push(Defect::StopwordHashtag);
    }
    found
}

fn has_markup_residue(content: &str) -> bool {
    const SYNTAX: [&str; 11] = ["](", "![", "**", "```", "{/", ":::", "{%", "\\[", "&nbsp;", "&amp;", "&lt;"];
    const FRONT_MATTER_KEYS: [&str; 10] = [
        "title:",
        "author:",
        "authors:",
        "date:",
        "description:",
        "tags:",
        "slug:",
        "image:",
        "layout:",
        "permalink:",
    ];
    let has_tag = content
        .as_bytes()
        .windows(2)
        .any(|pair| pair[0] == b'<' && (pair[1].is_ascii_alphabetic() || pair[1] == b'/' || pair[1] == b'!'));
    has_tag
        || SYNTAX.iter().any(|syntax| content.contains(syntax))
        || content.lines().any(|line| {
            let line = line.trim();
            line == "---" || FRONT_MATTER_KEYS.iter().any(|key| line.to_ascii_lowercase().starts_with(key))
        })
}

/// "By Ada Lovelace", "Authors: …", "October 21, 2024 by …", or a speaker label ("Jerod
/// Santo: …", "HOST: …") opening the line.
fn is_label_or_byline(line: &str) -> bool {
    let lower = line.to_lowercase();
    let by_name = line.strip_prefix("By ").is_some_and(|rest| rest.starts_with(char::is_uppercase));
    let labelled =
        ["author:", "authors:", "posted by", "written by", "posted on", "updated:", "translated by"]
            .iter()
            .any(|label| lower.starts_with(label));
    let dated_byline =
        lower.contains(" by ") && line.chars().take(24).filter(char::is_ascii_digit).count() >= 4;
    let speaker = line.split_once(": ").is_some_and(|(label, _)| {
        let words: Vec<&str> = label.split_whitespace().collect();
        (1..=3).contains(&words.len())
            && words.iter().all(|word| {
                word.starts_with(char::is_uppercase)
                    && word.chars().all(|c| c.is_alphabetic() || c == '.' || c == '-')
            })
            && !["Note", "Tip", "Update", "Warning"].contains(&label)
    });
    by_name || labelled || dated_byline || speaker
}

/// The draft's hashtags: from its metadata where the channel lists them, else from the text.
fn hashtags(variant: &Variant) -> Vec<String> {
    let listed: Vec<String> = variant.metadata["hashtags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|tag| tag.as_str().map(str::to_owned))
        .collect();
    if !listed.is_empty() {
        return listed;
    }
    variant
        .content
        .split_whitespace()
        .filter_map(|word| word.strip_prefix('#'))
        .filter(|tag| tag.starts_with(char::is_alphabetic))
        .map(|tag| format!("#{}", tag.trim_end_matches(|c: char| !c.is_alphanumeric())))
        .collect()
}

/// Function words and contraction remains in the languages of the set.
fn is_stopword_hashtag(tag: &str) -> bool {
    const STOPWORDS: [&str; 48] = [
        "we", "were", "its", "it", "the", "and", "our", "you", "your", "this", "that", "with", "for", "are",
        "is", "im", "ive", "dont", "cant", "weve", "youre", "theyre", "lets", "there", "here", "what", "die",
        "der", "das", "und", "ein", "eine", "wir", "sie", "les", "des", "une", "est", "pour", "los", "las",
        "una", "para", "que", "uma", "com", "het", "een",
    ];
    let word = tag.trim_start_matches('#').to_lowercase();
    word.chars().count() <= 2 || STOPWORDS.contains(&word.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_residue_is_recognised() {
        for residue in [
            "Read [it](https://x.y)",
            "<Note>hi</Note>",
            "**bold**",
            "title: Launch",
            "{/*id*/}",
            "\\[00:01\\]",
        ] {
            assert!(has_markup_residue(residue), "{residue}");
        }
        for clean in ["Sales rose 3 < 5 times.", "A plain post.\n\n#Growth", "Note: we grew."] {
            assert!(!has_markup_residue(clean), "{clean}");
        }
    }

    #[test]
    fn bylines_labels_and_stopword_hashtags_are_recognised() {
        assert!(is_label_or_byline("October 21, 2024 by Lauren Tan."));
        assert!(is_label_or_byline("By Ada Lovelace"));
        assert!(is_label_or_byline("Jerod Santo: So tell us about it."));
        assert!(!is_label_or_byline("Note: the compiler is opt-in."));
        assert!(!is_label_or_byline("We shipped the compiler today."));
        assert!(is_stopword_hashtag("#WeRe") && is_stopword_hashtag("#Die") && is_stopword_hashtag("#It"));
        assert!(!is_stopword_hashtag("#ReactCompiler"));
    }

    #[test]
    fn sections_run_from_heading_to_heading() {
        assert_eq!(sections("# A\n\nx\n\n## B\n\ny"), vec![(0, 8), (8, 15)]);
    }
}
