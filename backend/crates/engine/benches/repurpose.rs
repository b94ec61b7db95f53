//! A 1,000-word and a 10,000-word article through every channel.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use engine::{Channel, GenerationOptions, repurpose};

/// An article of about `words` words: the fixture's paragraphs, varied so sentences differ.
fn article(words: usize) -> String {
    let base = include_str!("../tests/fixtures/article.md");
    let paragraphs: Vec<&str> = base.split("\n\n").skip(1).collect();
    let mut text = String::from("# Rye & Crumb moves to a four-day week\n\n");
    let mut index = 0;
    while text.split_whitespace().count() < words {
        let paragraph = paragraphs[index % paragraphs.len()];
        text.push_str(&format!("In branch {}, {}\n\n", index / paragraphs.len() + 1, paragraph));
        index += 1;
    }
    text
}

fn bench_repurpose(c: &mut Criterion) {
    let options = GenerationOptions::default();
    let mut group = c.benchmark_group("repurpose_all_channels");
    for words in [1_000, 10_000] {
        let source = article(words);
        group.bench_with_input(BenchmarkId::from_parameter(words), &source, |b, source| {
            b.iter(|| repurpose(black_box(source), &Channel::ALL, &options).expect("repurpose"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_repurpose);
criterion_main!(benches);
