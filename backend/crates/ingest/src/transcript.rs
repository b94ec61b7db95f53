//! Subtitles (SRT, WebVTT) and "Speaker: line" transcripts to flowing paragraphs.

use crate::text::normalize_text;

pub struct Transcript {
    pub text: String,
    pub speakers: Vec<String>,
}

/// A pause this long after a finished sentence starts a new paragraph.
const PARAGRAPH_PAUSE_MS: u64 = 2_000;
const MAX_SPEAKER_CHARS: usize = 40;
const MAX_SPEAKER_WORDS: usize = 4;
/// Lower-case words that may appear inside a name ("Ludwig van Beethoven").
const NAME_PARTICLES: [&str; 14] =
    ["al", "bin", "da", "de", "del", "der", "di", "du", "la", "le", "van", "von", "y", "zu"];

struct Cue {
    start_ms: u64,
    end_ms: u64,
    /// The cue's lines, each with the speaker named on it, if any.
    lines: Vec<(Option<String>, String)>,
}

impl Cue {
    fn text(&self) -> String {
        self.lines.iter().map(|(_, text)| text.as_str()).collect::<Vec<_>>().join(" ")
    }
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
    /// Adds `text`; a newly named speaker opens a paragraph that starts with "Name: ".
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
        if !text.is_empty() {
            if !self.current.is_empty() {
                self.current.push(' ');
            }
            self.current.push_str(text);
        }
    }

    fn flush(&mut self) {
        if self.current.chars().any(char::is_alphanumeric) {
            self.done.push(std::mem::take(&mut self.current));
        }
        self.current.clear();
    }

    fn finish(mut self) -> Transcript {
        self.flush();
        Transcript { text: normalize_text(&self.done.join("\n\n")), speakers: self.speakers }
    }
}

/// SRT or WebVTT: cue numbers, identifiers, timings, settings, styling and metadata blocks dropped;
/// cues joined into sentences, paragraphs at speaker changes and at pauses after a sentence.
pub fn parse_cues(source: &str, is_vtt: bool) -> Transcript {
    let normalized = source.replace("\r\n", "\n").replace('\r', "\n");
    let mut paragraphs = Paragraphs::default();
    let mut previous: Option<(u64, bool)> = None;
    for block in normalized.split("\n\n") {
        for cue in parse_block(block, is_vtt) {
            let new_paragraph = previous.is_some_and(|(end_ms, finished)| {
                finished && cue.start_ms.saturating_sub(end_ms) >= PARAGRAPH_PAUSE_MS
            });
            let text = cue.text();
            for (index, (speaker, line)) in cue.lines.into_iter().enumerate() {
                paragraphs.push(speaker, &line, new_paragraph && index == 0);
            }
            previous = Some((cue.end_ms, ends_sentence(&text)));
        }
    }
    paragraphs.finish()
}

/// The cues of one blank-line separated block. A block normally holds one cue, but cues that are
/// not separated by blank lines are split at their timing lines; the line just before a timing
/// line is the cue's number or identifier and is dropped.
fn parse_block(block: &str, is_vtt: bool) -> Vec<Cue> {
    let lines: Vec<&str> = block.lines().map(str::trim).filter(|line| !line.is_empty()).collect();
    let Some(first) = lines.first() else { return Vec::new() };
    let metadata = ["WEBVTT", "NOTE", "STYLE", "REGION"];
    if is_vtt && metadata.iter().any(|keyword| first.split_whitespace().next() == Some(keyword)) {
        return Vec::new();
    }
    let timing_lines: Vec<(usize, (u64, u64))> =
        lines.iter().enumerate().filter_map(|(index, line)| Some((index, parse_timing(line)?))).collect();
    let mut cues = Vec::new();
    for (position, &(index, (start_ms, end_ms))) in timing_lines.iter().enumerate() {
        let mut end = timing_lines.get(position + 1).map_or(lines.len(), |&(next, _)| next);
        if end < lines.len() && end > index + 1 && lines[end - 1].bytes().all(|b| b.is_ascii_digit()) {
            end -= 1;
        }
        let cue_lines: Vec<(Option<String>, String)> = lines[index + 1..end]
            .iter()
            .filter_map(|line| {
                let (voice, plain) = strip_cue_markup(line);
                let (named, said) = split_speaker(strip_dialogue_dash(&plain));
                let speaker = voice.or(named);
                (!said.is_empty() || speaker.is_some()).then_some((speaker, said))
            })
            .collect();
        if !cue_lines.is_empty() {
            cues.push(Cue { start_ms, end_ms, lines: cue_lines });
        }
    }
    cues
}

/// `00:00:01,000 --> 00:00:04,000 X1:40 …` or `00:01.000 --> 00:04.000 align:start` to the start
/// and end in milliseconds; settings after the end time are ignored.
fn parse_timing(line: &str) -> Option<(u64, u64)> {
    let (start, rest) = line.split_once("-->")?;
    let end = rest.split_whitespace().next()?;
    Some((parse_time(start)?, parse_time(end)?))
}

/// Removes `<i>`, `<b>`, `<font …>`, `<c.x>`, inline timestamps and voice tags, decodes the
/// entities subtitles use, and returns the voice's name if the line had one.
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
    let decoded = decode_entities(&plain);
    (voice, decoded.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    [
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&nbsp;", " "),
        ("&quot;", "\""),
        ("&apos;", "'"),
        ("&#39;", "'"),
        ("&lrm;", ""),
        ("&rlm;", ""),
        ("&amp;", "&"),
    ]
    .iter()
    .fold(text.to_owned(), |decoded, (entity, replacement)| decoded.replace(entity, replacement))
}

/// "- Hello" and ">> Hello" mark a change of speaker in captions; the mark itself is dropped.
fn strip_dialogue_dash(line: &str) -> &str {
    let trimmed = line.trim_start();
    for mark in [">>", "- ", "– ", "— "] {
        if let Some(rest) = trimmed.strip_prefix(mark) {
            return rest.trim_start();
        }
    }
    trimmed
}

/// "HOST: Welcome back" → (Some("HOST"), "Welcome back"); a line without a name stays whole.
fn split_speaker(line: &str) -> (Option<String>, String) {
    for (colon, _) in line.match_indices(':').take_while(|(colon, _)| *colon <= 2 * MAX_SPEAKER_CHARS) {
        let (label, said) = (&line[..colon], &line[colon + 1..]);
        // "HOST: Hi" and "HOST:Hi", but not "https://…" or "10:30".
        let follows_label = said.chars().next().is_none_or(|c| c.is_whitespace() || c.is_alphabetic());
        if follows_label && let Some(name) = speaker_name(label) {
            return (Some(name), said.trim().to_owned());
        }
    }
    (None, line.trim().to_owned())
}

/// The name in a speaker label such as "Alice", "DR. MARTA LIND", "Jean-Luc (00:01:02)" or
/// "Ludwig van Beethoven", or None when the label reads like the start of a sentence.
fn speaker_name(label: &str) -> Option<String> {
    let label = strip_trailing_timestamp(label.trim());
    let words: Vec<&str> = label.split_whitespace().collect();
    let plausible = !words.is_empty()
        && words.len() <= MAX_SPEAKER_WORDS
        && label.chars().count() <= MAX_SPEAKER_CHARS
        && !label.chars().any(|c| c.is_numeric() || "!?,;:\"()[]{}<>/\\|@#*=+".contains(c))
        && words.iter().enumerate().all(|(index, word)| {
            word.chars().next().is_some_and(char::is_uppercase)
                || (index > 0 && NAME_PARTICLES.contains(word))
        });
    plausible.then(|| words.join(" "))
}

/// "Alice (00:01:02)" or "Alice [00:01]" → "Alice".
fn strip_trailing_timestamp(label: &str) -> &str {
    for (open, close) in [('(', ')'), ('[', ']')] {
        if let Some(inner) = label.strip_suffix(close)
            && let Some((name, time)) = inner.rsplit_once(open)
            && parse_time(time).is_some()
        {
            return name.trim_end();
        }
    }
    label
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end_matches(['"', '\'', '”', '’', ')', ']', '»']).ends_with(['.', '!', '?', '…'])
}

/// `01:02:03,456`, `01:02:03.456`, `02:03.456` or `2:03` to milliseconds.
fn parse_time(raw: &str) -> Option<u64> {
    let raw = raw.trim().replace(',', ".");
    let (clock, fraction) = raw.split_once('.').unwrap_or((&raw, "0"));
    if !clock.contains(':') {
        return None;
    }
    let mut seconds = 0u64;
    for (index, part) in clock.split(':').enumerate() {
        if part.is_empty() || index > 0 && part.len() > 2 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        seconds = seconds.checked_mul(60)?.checked_add(part.parse::<u64>().ok()?)?;
    }
    if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let millis: u64 = format!("{fraction:0<3}")[..3].parse().ok()?;
    seconds.checked_mul(1000)?.checked_add(millis)
}

/// "Alice: Hello." lines, optionally after a `[00:01:02]`, `(00:01)` or `00:01:02` timestamp;
/// consecutive lines of one speaker form one paragraph, and a blank line followed by text that
/// names no speaker starts a new one.
pub fn parse_speaker_lines(source: &str) -> Transcript {
    let mut paragraphs = Paragraphs::default();
    let mut after_blank = false;
    for line in source.lines() {
        let line = line.trim();
        if line.is_empty() {
            after_blank = true;
            continue;
        }
        let unescaped = without_markdown_escapes(line);
        let unmarked = without_bold_label(strip_leading_timestamp(&unescaped));
        let line = strip_dialogue_dash(&unmarked);
        if line.is_empty() || is_separator(line) {
            continue;
        }
        let (speaker, said) = match split_speaker(line) {
            (None, said) => match speaker_with_time(&said) {
                Some(name) => (Some(name), String::new()),
                None => (None, said),
            },
            named => named,
        };
        let new_paragraph = after_blank && speaker.is_none();
        paragraphs.push(speaker, &said, new_paragraph);
        after_blank = false;
    }
    paragraphs.finish()
}

/// Transcripts published as Markdown escape brackets and stars (`\[00:04:03\]`, `\* \* \*`).
fn without_markdown_escapes(line: &str) -> String {
    line.replace("\\[", "[").replace("\\]", "]").replace("\\*", "*").replace("\\_", "_")
}

/// `**Name:** text` (a speaker label in bold, as Markdown transcripts write it) as `Name: text`.
fn without_bold_label(line: &str) -> String {
    for marker in ["**", "__"] {
        if let Some(rest) = line.strip_prefix(marker)
            && let Some((label, said)) = rest.split_once(marker)
            && label.ends_with(':')
        {
            return format!("{label}{said}");
        }
    }
    line.to_owned()
}

/// A scene break such as `* * *` or `---`: no words at all.
fn is_separator(line: &str) -> bool {
    line.chars().all(|c| c.is_whitespace() || "*-_=~#".contains(c))
}

/// A line holding only a name and a time, as some transcription services write a turn's
/// heading ("Alice Smith  0:03"), gives the name.
fn speaker_with_time(line: &str) -> Option<String> {
    let (label, time) = line.rsplit_once(' ')?;
    parse_time(time.trim_matches(['(', ')', '[', ']']))?;
    speaker_name(label)
}

/// The line without a leading `[00:01:02]`, `(00:01)` or `00:01:02` timestamp; a line holding only
/// a timestamp comes back empty.
fn strip_leading_timestamp(line: &str) -> &str {
    if parse_time(line.trim_matches(['(', ')', '[', ']'])).is_some() {
        return "";
    }
    for (open, close) in [('[', ']'), ('(', ')')] {
        if let Some((time, rest)) = line.strip_prefix(open).and_then(|rest| rest.split_once(close))
            && parse_time(time).is_some()
        {
            return rest.trim_start_matches([' ', '\t', '-', '–']).trim_start();
        }
    }
    match line.split_once(char::is_whitespace) {
        Some((first, rest)) if parse_time(first).is_some() => {
            rest.trim_start_matches([' ', '\t', '-', '–']).trim_start()
        }
        _ => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_without_blank_lines_between_them_are_split() {
        let srt =
            "1\n00:00:01,000 --> 00:00:02,000\nFirst line\n2\n00:00:02,100 --> 00:00:03,000\nsecond line.\n";
        assert_eq!(parse_cues(srt, false).text, "First line second line.");
    }

    #[test]
    fn a_pause_after_a_sentence_starts_a_paragraph() {
        let srt = "1\n00:00:01,000 --> 00:00:02,000\nFirst point.\n\n2\n00:00:06,000 --> 00:00:07,000\nSecond point\n\n3\n00:00:10,000 --> 00:00:11,000\ncontinues here.\n";
        assert_eq!(parse_cues(srt, false).text, "First point.\n\nSecond point continues here.");
    }

    #[test]
    fn dialogue_dashes_and_entities_are_handled() {
        let srt =
            "1\n00:00:01,000 --> 00:00:03,000\n- ANNA: Salt &amp; pepper?\n- BEN: Yes &lt;please&gt;.\n";
        let transcript = parse_cues(srt, false);
        assert_eq!(transcript.speakers, ["ANNA", "BEN"]);
        assert_eq!(transcript.text, "ANNA: Salt & pepper?\n\nBEN: Yes <please>.");
    }

    #[test]
    fn sentence_openings_are_not_taken_for_speakers() {
        for line in
            ["Here's the thing: it works.", "At 10:30 we open.", "See https://example.com", "the end: yes"]
        {
            assert_eq!(split_speaker(line), (None, line.to_owned()), "{line}");
        }
        assert_eq!(split_speaker("Dr. Marta Lind: Hi."), (Some("Dr. Marta Lind".into()), "Hi.".into()));
        assert_eq!(
            split_speaker("Ludwig van Beethoven: Ja."),
            (Some("Ludwig van Beethoven".into()), "Ja.".into())
        );
        assert_eq!(split_speaker("Alice (00:01:02): Hi."), (Some("Alice".into()), "Hi.".into()));
    }

    #[test]
    fn headings_with_a_time_name_the_speaker() {
        let text = "Alice Smith  0:03\nWelcome, everyone.\n\nBob Jones  0:09\nThanks for having me.\n";
        let transcript = parse_speaker_lines(text);
        assert_eq!(transcript.speakers, ["Alice Smith", "Bob Jones"]);
        assert_eq!(transcript.text, "Alice Smith: Welcome, everyone.\n\nBob Jones: Thanks for having me.");
    }

    #[test]
    fn lines_holding_only_a_time_are_dropped() {
        let transcript =
            parse_speaker_lines("0:01\nHello and welcome.\n0:04\nToday we bake.\n[0:09]\nBob: Hi.");
        assert_eq!(transcript.text, "Hello and welcome. Today we bake.\n\nBob: Hi.");
        assert_eq!(transcript.speakers, ["Bob"]);
    }

    #[test]
    fn unlabelled_paragraphs_stay_apart() {
        let transcript = parse_speaker_lines("Just some notes.\nMore notes.\n\nA new thought.");
        assert!(transcript.speakers.is_empty());
        assert_eq!(transcript.text, "Just some notes. More notes.\n\nA new thought.");
    }

    #[test]
    fn times_parse_in_both_notations() {
        assert_eq!(parse_time("00:00:01,500"), Some(1_500));
        assert_eq!(parse_time("01:02.25"), Some(62_250));
        assert_eq!(parse_time("1:00:00.000"), Some(3_600_000));
        assert_eq!(parse_time("0:03"), Some(3_000));
        assert_eq!(parse_time("nonsense"), None);
        assert_eq!(parse_time("12"), None);
        assert_eq!(parse_time("99999999999999999999:00"), None);
    }
}
