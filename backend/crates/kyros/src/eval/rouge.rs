//! ROUGE-N and ROUGE-L F1 (Lin, 2004) over lower-cased word tokens, without stemming.

use std::collections::HashMap;

fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()).map(str::to_lowercase).collect()
}

fn f1(overlap: f64, candidate: f64, reference: f64) -> f64 {
    if overlap == 0.0 || candidate == 0.0 || reference == 0.0 {
        return 0.0;
    }
    let precision = overlap / candidate;
    let recall = overlap / reference;
    2.0 * precision * recall / (precision + recall)
}

fn ngrams(words: &[String], n: usize) -> HashMap<&[String], usize> {
    let mut counts = HashMap::new();
    for gram in words.windows(n) {
        *counts.entry(gram).or_insert(0) += 1;
    }
    counts
}

/// ROUGE-N F1: clipped n-gram overlap.
pub fn rouge_n(candidate: &str, reference: &str, n: usize) -> f64 {
    let (c, r) = (tokens(candidate), tokens(reference));
    let (cg, rg) = (ngrams(&c, n), ngrams(&r, n));
    let overlap: usize = cg.iter().map(|(gram, count)| (*count).min(*rg.get(gram).unwrap_or(&0))).sum();
    f1(overlap as f64, cg.values().sum::<usize>() as f64, rg.values().sum::<usize>() as f64)
}

/// ROUGE-L F1: longest common subsequence of words.
pub fn rouge_l(candidate: &str, reference: &str) -> f64 {
    let (c, r) = (tokens(candidate), tokens(reference));
    let mut previous = vec![0usize; r.len() + 1];
    for word in &c {
        let mut current = vec![0usize; r.len() + 1];
        for (j, other) in r.iter().enumerate() {
            current[j + 1] = if word == other { previous[j] + 1 } else { previous[j + 1].max(current[j]) };
        }
        previous = current;
    }
    f1(previous[r.len()] as f64, c.len() as f64, r.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_texts_score_one_and_disjoint_zero() {
        assert!((rouge_n("the cat sat", "the cat sat", 1) - 1.0).abs() < 1e-9);
        assert!((rouge_l("the cat sat", "the cat sat") - 1.0).abs() < 1e-9);
        assert_eq!(rouge_n("dogs bark", "the cat sat", 1), 0.0);
    }

    #[test]
    fn partial_overlap_matches_hand_computed_values() {
        // candidate: the cat was found under the bed; reference: the cat was under the bed
        let (c, r) = ("the cat was found under the bed", "the cat was under the bed");
        let r1 = rouge_n(c, r, 1); // overlap 6, P 6/7, R 6/6
        assert!((r1 - 2.0 * (6.0 / 7.0) / (6.0 / 7.0 + 1.0)).abs() < 1e-9);
        let r2 = rouge_n(c, r, 2); // overlap 4 of 6 and 5
        assert!((r2 - 2.0 * (4.0 / 6.0) * (4.0 / 5.0) / (4.0 / 6.0 + 4.0 / 5.0)).abs() < 1e-9);
        assert!((rouge_l(c, r) - r1).abs() < 1e-9, "LCS is the six shared words in order");
    }
}
