//! Small text helpers shared by the renderers: trimming at word boundaries, hashtags, slugs.

/// Cuts `text` to at most `max` characters at a word boundary, ending with "…" when cut.
pub fn trim_to_chars(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut result = String::new();
    for word in text.split_whitespace() {
        let candidate_len = result.chars().count() + usize::from(!result.is_empty()) + word.chars().count();
        if candidate_len + 1 > max {
            break;
        }
        if !result.is_empty() {
            result.push(' ');
        }
        result.push_str(word);
    }
    let trimmed = result.trim_end_matches([',', ';', ':', '-', '–', '—', ' ']).to_owned();
    if trimmed.is_empty() {
        // A single word longer than the limit cannot be cut at a boundary.
        return String::new();
    }
    trimmed + "…"
}

/// `#CamelCase` from a keyphrase's words; letters and digits only.
pub fn hashtag(words: &[String]) -> Option<String> {
    let mut tag = String::from("#");
    for word in words {
        for part in word.split(|c: char| !c.is_alphanumeric()).filter(|p| !p.is_empty()) {
            let mut chars = part.chars();
            if let Some(first) = chars.next() {
                tag.extend(first.to_uppercase());
                // A name's own capitals stay ("SpringSource", "GitHub"); "RELEASE" does not shout.
                let rest = chars.as_str();
                let camel = rest.chars().any(char::is_uppercase) && rest.chars().any(char::is_lowercase);
                tag.push_str(&if camel { rest.to_owned() } else { rest.to_lowercase() });
            }
        }
    }
    let body = &tag[1..];
    (body.chars().any(char::is_alphabetic) && body.chars().count() <= 30).then_some(tag)
}

/// Words that cannot end a phrase: articles, prepositions, conjunctions and possessives of
/// the supported languages. A title or heading ending on one was cut mid-phrase.
pub fn ends_mid_phrase(word: &str) -> bool {
    DANGLING_WORDS.binary_search(&word).is_ok()
}

const DANGLING_WORDS: [&str; 151] = [
    "a", "aan", "about", "across", "after", "against", "al", "als", "am", "an", "and", "are", "around", "as",
    "at", "au", "aus", "aux", "be", "before", "behind", "bei", "between", "beyond", "but", "by", "che",
    "con", "da", "dans", "das", "dass", "de", "dei", "del", "della", "dem", "den", "der", "des", "di", "die",
    "do", "du", "during", "e", "een", "ein", "eine", "einem", "einen", "einer", "eines", "el", "em", "en",
    "es", "est", "está", "estão", "et", "foi", "for", "from", "für", "gli", "het", "his", "il", "im", "in",
    "inside", "into", "is", "ist", "its", "la", "las", "le", "les", "lo", "los", "met", "mit", "my", "na",
    "nach", "near", "no", "not", "o", "oder", "of", "on", "op", "or", "ou", "our", "outside", "over", "par",
    "para", "per", "por", "pour", "que", "sendo", "será", "sind", "son", "sono", "sont", "sur", "são",
    "than", "that", "the", "their", "these", "this", "those", "through", "to", "toward", "towards", "und",
    "under", "une", "upon", "van", "very", "via", "voor", "was", "werden", "were", "which", "who", "whose",
    "wird", "with", "within", "without", "wordt", "y", "your", "zijn", "zu", "zum", "è", "é",
];

/// A URL slug: lowercase ASCII letters and digits joined by single hyphens.
pub fn slugify(text: &str, max: usize) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        let c = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            other => other,
        };
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let mut slug: String = slug.trim_end_matches('-').chars().take(max).collect();
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() { "post".to_owned() } else { slug }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimming_keeps_whole_words() {
        assert_eq!(trim_to_chars("short", 10), "short");
        assert_eq!(trim_to_chars("The bakery switched to a four-day week", 20), "The bakery switched…");
        assert!(trim_to_chars("The bakery switched to a four-day week", 20).chars().count() <= 20);
        assert_eq!(trim_to_chars("Supercalifragilistic", 5), "");
    }

    #[test]
    fn hashtags_are_camel_case() {
        assert_eq!(hashtag(&["four-day".into(), "week".into()]).as_deref(), Some("#FourDayWeek"));
        assert_eq!(hashtag(&["2026".into()]), None);
        assert_eq!(hashtag(&["Bäckerei".into()]).as_deref(), Some("#Bäckerei"));
        assert_eq!(hashtag(&["SpringSource".into()]).as_deref(), Some("#SpringSource"));
        assert_eq!(hashtag(&["RELEASE".into(), "notes".into()]).as_deref(), Some("#ReleaseNotes"));
    }

    #[test]
    fn dangling_words_are_sorted_for_binary_search() {
        assert!(DANGLING_WORDS.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(ends_mid_phrase("of") && ends_mid_phrase("der") && !ends_mid_phrase("make"));
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(
            slugify("Rye & Crumb moves to a four-day week!", 60),
            "rye-crumb-moves-to-a-four-day-week"
        );
        assert_eq!(slugify("Café déjà vu", 60), "cafe-deja-vu");
        assert_eq!(slugify("日本語", 60), "post");
        assert!(slugify(&"word ".repeat(40), 60).len() <= 60);
    }
}
