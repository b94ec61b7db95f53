//! Subtitles (SRT, WebVTT) and "Speaker: line" transcripts to flowing paragraphs.

use crate::text::normalize_text;

pub struct Transcript {
    pub text: String,
    pub speakers: Vec<String>,
}

/// A pause this long after a finished sentence starts a new paragraph.
const PARAGRAPH_PAUSE_MS: u64 = 2_000;
const MAX_SPEAKER_CHARS: usize = 40;

struct Cue {
    start_ms: u64,
    end_ms: u64,
    speaker: Option<String>,
    text: String,
}

/// Builds paragraphs as speaker turns and sentence-final pauses dictate.
#[derive(Default)]
struct Paragraphs {
    done: Vec<String>,
    current: String,
    speaker: Option<String>,
    speakers: Vec<String>,
}

impl Paragraphs {
    fn push(&mut self, speaker: Option<String>, text: &str, new_paragraph: bool) {
        let speaker_changed = speaker.is_some() && speaker != self.speaker;
        if speaker_changed || new_paragraph {
            self.flush();
        }
        if let Some(name) = speaker.filter(|_| speaker_changed) {
            if !self.speakers.contains(&name) {
                self.speakers.push(name.clone());
            }
            self.current = format!("{name}:");
            self.speaker = Some(name);
        }
        if !self.current.is_empty() {
            self.current.push(' ');
        }
        self.current.push_str(text);
    }

    fn flush(&mut self) {
        if !self.current.trim().is_empty() {
            self.done.push(std::mem::take(&mut self.current));
        }
        self.current.clear();
    }

    fn finish(mut self) -> Transcript {
        self.flush();
        Transcript { text: normalize_text(&self.done.join("\n\n")), speakers: self.speakers }
    }
}

/// SRT or WebVTT: cue numbers, identifiers, timings, settings, styling and metadata blocks dropped.
pub fn parse_cues(source: &str, is_vtt: bool) -> Transcript {
    let normalized = source.replace("\r\n", "\n").replace('\r', "\n");
    let mut paragraphs = Paragraphs::default();
    let mut previous: Option<Cue> = None;
    for block in normalized.split("\n\n") {
        let Some(cue) = parse_cue(block, is_vtt) else { continue };
        let new_paragraph = previous.as_ref().is_some_and(|before| {
            ends_sentence(&before.text) && cue.start_ms.saturating_sub(before.end_ms) >= PARAGRAPH_PAUSE_MS
        });
        paragraphs.push(cue.speaker.clone(), &cue.text, new_paragraph);
        previous = Some(cue);
    }
    paragraphs.finish()
}

fn parse_cue(block: &str, is_vtt: bool) -> Option<Cue> {
    let lines: Vec<&str> = block.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let first = lines.first()?;
    if is_vtt
        && (first.starts_with("WEBVTT")
            || first.starts_with("NOTE")
            || *first == "STYLE"
            || *first == "REGION")
    {
        return None;
    }
    let timing_index = lines.iter().position(|line| line.contains("-->"))?;
    let (start, rest) = lines[timing_index].split_once("-->")?;
    let end = rest.split_whitespace().next().unwrap_or_default();
    let mut speaker = None;
    let mut words = Vec::new();
    for line in &lines[timing_index + 1..] {
        let (voice, plain) = strip_cue_markup(line);
        let (named, said) = split_speaker(&plain);
        speaker = speaker.or(voice).or(named);
        if !said.is_empty() {
            words.push(said);
        }
    }
    let text = words.join(" ");
    (!text.is_empty()).then(|| Cue {
        start_ms: parse_time(start).unwrap_or(0),
        end_ms: parse_time(end).unwrap_or(0),
        speaker,
        text,
    })
}

/// Removes `<i>`, `<b>`, `<c.x>`, timestamps and voice tags, returning the voice's name if any.
fn strip_cue_markup(line: &str) -> (Option<String>, String) {
    let mut voice = None;
    let mut plain = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('<') {
        plain.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else {
            plain.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let tag = &rest[open + 1..open + close];
        if let Some(name) = tag
            .strip_prefix("v ")
            .or_else(|| tag.strip_prefix("v.").and_then(|t| t.split_once(' ').map(|(_, n)| n)))
        {
            voice = Some(name.trim().to_owned()).filter(|n| !n.is_empty());
        }
        rest = &rest[open + close + 1..];
    }
    plain.push_str(rest);
    (voice, plain.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// "HOST: Welcome back" → (Some("HOST"), "Welcome back"); a line without a name stays whole.
fn split_speaker(line: &str) -> (Option<String>, String) {
    if let Some((name, said)) = line.split_once(':') {
        let name = name.trim();
        let looks_like_name = !name.is_empty()
            && name.chars().count() <= MAX_SPEAKER_CHARS
            && name.split_whitespace().count() <= 4
            && name.chars().next().is_some_and(char::is_uppercase)
            && !name.chars().any(|c| c.is_ascii_digit() || ".!?,;\"".contains(c))
            && !said.starts_with("//");
        if looks_like_name {
            return (Some(name.to_owned()), said.trim().to_owned());
        }
    }
    (None, line.trim().to_owned())
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end_matches(['"', '\'', '”', '’', ')']).ends_with(['.', '!', '?', '…'])
}

/// `01:02:03,456`, `01:02:03.456` or `02:03.456` to milliseconds.
fn parse_time(raw: &str) -> Option<u64> {
    let raw = raw.trim().replace(',', ".");
    let (clock, millis) = raw.split_once('.').unwrap_or((&raw, "0"));
    let mut seconds = 0u64;
    for part in clock.split(':') {
        seconds = seconds * 60 + part.trim().parse::<u64>().ok()?;
    }
    let millis: u64 = format!("{millis:0<3}").get(..3)?.parse().ok()?;
    Some(seconds * 1000 + millis)
}

/// "Alice: Hello." lines, optionally after a `[00:01:02]` or `(00:01)` timestamp.
pub fn parse_speaker_lines(source: &str) -> Transcript {
    let mut paragraphs = Paragraphs::default();
    for line in source.lines() {
        let line = strip_timestamp(line.trim());
        if line.is_empty() {
            continue;
        }
        let (speaker, said) = split_speaker(line);
        if !said.is_empty() || speaker.is_some() {
            paragraphs.push(speaker, &said, false);
        }
    }
    paragraphs.finish()
}

fn strip_timestamp(line: &str) -> &str {
    for (open, close) in [('[', ']'), ('(', ')')] {
        if let Some(inner) = line.strip_prefix(open).and_then(|rest| rest.split_once(close))
            && parse_time(inner.0).is_some()
        {
            return inner.1.trim_start();
        }
    }
    match line.split_once(' ') {
        Some((first, rest)) if first.contains(':') && parse_time(first).is_some() => rest.trim_start(),
        _ => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SourceFormat, ingest};

    const SRT: &str = "1\n00:00:01,000 --> 00:00:04,000\nHOST: Welcome back to the show.\n\n2\n00:00:04,500 --> 00:00:08,000\nHOST: Today we talk about the four-day week\nat a small bakery.\n\n3\n00:00:11,000 --> 00:00:15,000\nGUEST: Thanks for having me. We switched in March\nand sales rose four percent.\n\n4\n00:00:15,500 --> 00:00:19,000\nGUEST: <i>Waste fell by a fifth</i> because we bake on fewer, busier days.\n";

    #[test]
    fn srt_becomes_speaker_paragraphs() {
        let ingested = ingest(SRT.as_bytes(), SourceFormat::Srt).unwrap();
        assert_eq!(ingested.speakers, ["HOST", "GUEST"]);
        assert_eq!(
            ingested.text,
            "HOST: Welcome back to the show. Today we talk about the four-day week at a small bakery.\n\n\
             GUEST: Thanks for having me. We switched in March and sales rose four percent. Waste fell by a fifth because we bake on fewer, busier days."
        );
    }

    #[test]
    fn vtt_headers_notes_ids_settings_and_voices_are_handled() {
        let vtt = "WEBVTT - interview\n\nNOTE recorded in March\n\nintro\n00:01.000 --> 00:03.000 align:start position:10%\n<v Marta Lind>We bake on four days.</v>\n\n00:03.500 --> 00:05.000\n<v Marta Lind>Sales are up.\n\n00:09.000 --> 00:11.000\n<v Host>What about waste?\n";
        let ingested = ingest(vtt.as_bytes(), SourceFormat::Vtt).unwrap();
        assert_eq!(ingested.speakers, ["Marta Lind", "Host"]);
        assert_eq!(
            ingested.text,
            "Marta Lind: We bake on four days. Sales are up.\n\nHost: What about waste?"
        );
    }

    #[test]
    fn a_pause_after_a_sentence_starts_a_paragraph() {
        let srt = "1\n00:00:01,000 --> 00:00:02,000\nFirst point.\n\n2\n00:00:06,000 --> 00:00:07,000\nSecond point\n\n3\n00:00:07,100 --> 00:00:08,000\ncontinues here.\n";
        assert_eq!(parse_cues(srt, false).text, "First point.\n\nSecond point continues here.");
    }

    #[test]
    fn speaker_lines_drop_timestamps_and_join_turns() {
        let text = "[00:00:01] Alice: Hello there.\n[00:00:04] Alice: Thanks for coming.\n(00:07) Bob: Glad to be here.\n00:00:09 Bob: Shall we start?\nAlice: Yes.";
        let transcript = parse_speaker_lines(text);
        assert_eq!(transcript.speakers, ["Alice", "Bob"]);
        assert_eq!(
            transcript.text,
            "Alice: Hello there. Thanks for coming.\n\nBob: Glad to be here. Shall we start?\n\nAlice: Yes."
        );
    }

    #[test]
    fn times_parse_in_both_notations() {
        assert_eq!(parse_time("00:00:01,500"), Some(1_500));
        assert_eq!(parse_time("01:02.25"), Some(62_250));
        assert_eq!(parse_time("1:00:00.000"), Some(3_600_000));
        assert_eq!(parse_time("nonsense"), None);
    }
}
