//! The import rule of `docs/ARCHITECTURE.md`, checked on the source: the app and runtime reach
//! domains, domains reach shared modules, never the other way; a domain reaches another
//! through its service and models, never its `store` or `entity`.

use std::{
    collections::HashMap,
    fs,
    path::{Path, PathBuf},
};

/// The crate root and the modules that wire the process together.
const APP: &[&str] = &["", "app", "runtime"];

/// Modules every layer may use; they know no domain.
const SHARED: &[&str] = &[
    "channels",
    "clock",
    "config",
    "cpu",
    "db",
    "error",
    "error_reporting",
    "extract",
    "generation",
    "known_accounts",
    "metrics",
    "migration",
    "pagination",
    "password",
    "queue",
    "rate_limit",
    "raw_json",
    "redacted",
    "secrets",
    "shared_responses",
    "state",
    "telemetry",
    "token_keys",
    "traces",
];

/// Modules that own a part of the product: routes, service, store and entity.
const DOMAINS: &[&str] = &[
    "admin",
    "api_tokens",
    "audit",
    "auth",
    "connections",
    "connectors",
    "console",
    "exports",
    "health",
    "jobs",
    "kpis",
    "presets",
    "results",
    "schedules",
    "slots",
    "sources",
    "tools",
    "usage",
    "users",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Layer {
    App,
    Shared,
    Domain,
}

fn layer(module: &str) -> Option<Layer> {
    if APP.contains(&module) {
        Some(Layer::App)
    } else if SHARED.contains(&module) {
        Some(Layer::Shared)
    } else if DOMAINS.contains(&module) {
        Some(Layer::Domain)
    } else {
        None
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Punct(&'static str),
}

/// The identifiers and the punctuation paths are made of, with their lines; comments and
/// literals are dropped so prose and strings naming a module do not count.
fn tokenize(source: &str) -> Vec<(Token, usize)> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut line = 1;
    let mut i = 0;
    let skip_to = |from: usize, end: &str, line: &mut usize| -> usize {
        let end: Vec<char> = end.chars().collect();
        let mut j = from;
        while j < chars.len() {
            if chars[j] == '\\' && end[0] == '"' {
                if chars.get(j + 1) == Some(&'\n') {
                    *line += 1;
                }
                j += 2;
                continue;
            }
            if chars[j..].starts_with(&end) {
                return j + end.len();
            }
            if chars[j] == '\n' {
                *line += 1;
            }
            j += 1;
        }
        j
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            '\n' => {
                line += 1;
                i += 1;
            }
            '/' if next == Some('/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if next == Some('*') => {
                let mut depth = 0;
                while i < chars.len() {
                    if chars[i..].starts_with(&['/', '*']) {
                        depth += 1;
                        i += 2;
                    } else if chars[i..].starts_with(&['*', '/']) {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        if chars[i] == '\n' {
                            line += 1;
                        }
                        i += 1;
                    }
                }
            }
            '"' => i = skip_to(i + 1, "\"", &mut line),
            '\'' => {
                // A char literal ('x', '\n'); otherwise a lifetime or label.
                if next == Some('\\') {
                    i = skip_to(i + 2, "'", &mut line);
                } else if chars.get(i + 2) == Some(&'\'') {
                    i += 3;
                } else {
                    i += 1;
                }
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                let raw_string = matches!(word.as_str(), "r" | "br" | "b" | "c" | "cr")
                    && matches!(chars.get(i), Some('"' | '#'));
                if raw_string {
                    let hashes = chars[i..].iter().take_while(|&&c| c == '#').count();
                    if chars.get(i + hashes) == Some(&'"') {
                        let end = format!("\"{}", "#".repeat(hashes));
                        i = skip_to(i + hashes + 1, &end, &mut line);
                        continue;
                    }
                }
                tokens.push((Token::Ident(word), line));
            }
            ':' if next == Some(':') => {
                tokens.push((Token::Punct("::"), line));
                i += 2;
            }
            '{' | '}' | ',' | ';' | '*' => {
                let punct = match c {
                    '{' => "{",
                    '}' => "}",
                    ',' => ",",
                    ';' => ";",
                    _ => "*",
                };
                tokens.push((Token::Punct(punct), line));
                i += 1;
            }
            _ => {
                if !c.is_whitespace() {
                    tokens.push((Token::Punct("other"), line));
                }
                i += 1;
            }
        }
    }
    tokens
}

fn ident(tokens: &[(Token, usize)], at: usize) -> Option<&str> {
    match tokens.get(at) {
        Some((Token::Ident(word), _)) => Some(word),
        _ => None,
    }
}

fn punct(tokens: &[(Token, usize)], at: usize, expected: &str) -> bool {
    matches!(tokens.get(at), Some((Token::Punct(p), _)) if *p == expected)
}

/// Parses the use tree at `at` under `prefix`, adding each imported path (and the name it
/// binds) to `out`; returns the position after the tree.
fn use_tree(
    tokens: &[(Token, usize)],
    mut at: usize,
    mut prefix: Vec<String>,
    out: &mut Vec<(Vec<String>, Option<String>, usize)>,
) -> usize {
    if punct(tokens, at, "::") {
        at += 1;
    }
    loop {
        if punct(tokens, at, "{") {
            at += 1;
            while !punct(tokens, at, "}") && at < tokens.len() {
                at = use_tree(tokens, at, prefix.clone(), out);
                if punct(tokens, at, ",") {
                    at += 1;
                }
            }
            return at + 1;
        }
        if punct(tokens, at, "*") {
            out.push((prefix, None, tokens[at].1));
            return at + 1;
        }
        let Some(word) = ident(tokens, at) else { return at };
        let line = tokens[at].1;
        at += 1;
        if word == "self" && !prefix.is_empty() {
            let bound = prefix.last().cloned();
            out.push((prefix, bound, line));
            return at;
        }
        prefix.push(word.to_owned());
        if punct(tokens, at, "::") {
            at += 1;
            continue;
        }
        let mut bound = Some(word.to_owned());
        if ident(tokens, at) == Some("as") {
            bound = ident(tokens, at + 1).map(str::to_owned).filter(|name| name != "_");
            at += 2;
        }
        out.push((prefix, bound, line));
        return at;
    }
}

/// The module `path` (relative to `src/`) defines: `jobs/mod.rs` is `jobs`, `lib.rs` the root.
fn module_of(path: &Path) -> Vec<String> {
    let mut parts: Vec<String> = path.iter().map(|part| part.to_string_lossy().into_owned()).collect();
    let file = parts.pop().expect("a file name");
    let stem = file.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_owned());
    }
    parts
}

/// Turns `path` as written in `module` into a path from the crate root, or `None` when it
/// starts outside the crate (another crate, a local item).
fn resolve(path: &[String], module: &[String], bound: &HashMap<String, Vec<String>>) -> Option<Vec<String>> {
    let (first, rest) = path.split_first()?;
    let mut absolute = match first.as_str() {
        "crate" => Vec::new(),
        "self" => module.to_vec(),
        "super" => {
            let mut base = module.to_vec();
            base.pop();
            let mut rest = rest;
            while rest.first().map(String::as_str) == Some("super") {
                base.pop();
                rest = &rest[1..];
            }
            base.extend(rest.iter().cloned());
            return Some(base);
        }
        name => bound.get(name)?.clone(),
    };
    absolute.extend(rest.iter().cloned());
    Some(absolute)
}

/// A path to a crate module, from the crate root, where it is written.
struct Reference {
    path: Vec<String>,
    line: usize,
    /// Written in a `mod tests`: tests may build the whole app to exercise one module.
    in_tests: bool,
}

/// Every path to a crate module in `source`.
fn references(source: &str, file_module: &[String]) -> Vec<Reference> {
    let tokens = tokenize(source);
    // The inline modules (`mod tests { … }`) open at each brace depth.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let mut imports = Vec::new();
    let mut paths = Vec::new();
    let mut at = 0;
    while at < tokens.len() {
        let module = || {
            let mut module = file_module.to_vec();
            module.extend(inline.iter().map(|(name, _)| name.clone()));
            module
        };
        if punct(&tokens, at, "{") {
            depth += 1;
        } else if punct(&tokens, at, "}") {
            depth -= 1;
            if inline.last().is_some_and(|&(_, open)| open == depth) {
                inline.pop();
            }
        } else if ident(&tokens, at) == Some("mod") && punct(&tokens, at + 2, "{") {
            if let Some(name) = ident(&tokens, at + 1) {
                inline.push((name.to_owned(), depth));
            }
        } else if ident(&tokens, at) == Some("use") && !punct(&tokens, at.wrapping_sub(1), "::") {
            let mut tree = Vec::new();
            at = use_tree(&tokens, at + 1, Vec::new(), &mut tree);
            let module = module();
            imports.extend(tree.into_iter().map(|(path, bound, line)| (path, bound, line, module.clone())));
            continue;
        } else if let Some(word) = ident(&tokens, at)
            && punct(&tokens, at + 1, "::")
            && !punct(&tokens, at.wrapping_sub(1), "::")
        {
            let line = tokens[at].1;
            let mut path = vec![word.to_owned()];
            let mut end = at + 1;
            while punct(&tokens, end, "::")
                && let Some(next) = ident(&tokens, end + 1)
            {
                path.push(next.to_owned());
                end += 2;
            }
            paths.push((path, line, module()));
            at = end;
            continue;
        }
        at += 1;
    }
    // Names bound by `use` make the paths that start with them crate paths too.
    let mut bound = HashMap::new();
    let mut found = Vec::new();
    let in_tests = |module: &[String]| module.iter().skip(file_module.len()).any(|name| name == "tests");
    for (path, name, line, module) in &imports {
        let Some(absolute) = resolve(path, module, &bound) else { continue };
        if let Some(name) = name {
            bound.insert(name.clone(), absolute.clone());
        }
        found.push(Reference { path: absolute, line: *line, in_tests: in_tests(module) });
    }
    for (path, line, module) in paths {
        if let Some(absolute) = resolve(&path, &module, &bound) {
            found.push(Reference { path: absolute, line, in_tests: in_tests(&module) });
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("reading the source tree") {
        let path = entry.expect("reading the source tree").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// What is wrong with a reference from `from` (a module path) to `to`, if anything; `in_tests`
/// lifts the direction of the layers, not the privacy of stores and entities.
fn violation(from: &[String], to: &[String], in_tests: bool) -> Option<String> {
    let from_top = from.first().map_or("", String::as_str);
    let to_top = to.first().map_or("", String::as_str);
    if from_top == to_top {
        return None;
    }
    let from_layer = layer(from_top)?;
    let to_layer = layer(to_top)?;
    let internal = to.iter().skip(1).find(|part| *part == "store" || part.ends_with("entity"));
    if let Some(part) = internal
        && to_layer == Layer::Domain
    {
        return Some(format!("reaches into `crate::{to_top}::{part}`; call its service"));
    }
    if in_tests {
        return None;
    }
    match (from_layer, to_layer) {
        (Layer::Shared, Layer::Domain | Layer::App) => {
            Some(format!("shared module `{from_top}` imports `crate::{to_top}`"))
        }
        (Layer::Domain, Layer::App) => Some(format!("domain `{from_top}` imports `crate::{to_top}`")),
        _ => None,
    }
}

#[test]
fn modules_import_only_down_and_domains_through_their_doors() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut problems = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).expect("a file under src");
        let module = module_of(relative);
        let top = module.first().map_or("", String::as_str);
        if layer(top).is_none() {
            problems.push(format!(
                "src/{}: module `{top}` is in no layer of the import rule",
                relative.display()
            ));
            continue;
        }
        let source = fs::read_to_string(file).expect("reading a source file");
        for reference in references(&source, &module) {
            if let Some(problem) = violation(&module, &reference.path, reference.in_tests) {
                problems.push(format!("src/{}:{}: {problem}", relative.display(), reference.line));
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    problems.retain(|problem| seen.insert(problem.clone()));
    assert!(problems.is_empty(), "the import rule is broken:\n{}", problems.join("\n"));
}

#[test]
fn the_checker_sees_grouped_aliased_and_relative_imports() {
    let source = "
        use crate::{jobs::{self, model::Job}, variants::entity as variant};
        // crate::users::store::find in a comment
        fn f() { jobs::store::find(); let s = \"crate::users::entity\"; }
        mod tests { use super::*; }
    ";
    let module = vec!["schedules".to_owned(), "service".to_owned()];
    let found: Vec<(String, bool)> = references(source, &module)
        .into_iter()
        .map(|found| (found.path.join("::"), found.in_tests))
        .collect();
    let expected = [
        ("jobs", false),
        ("jobs::model::Job", false),
        ("variants::entity", false),
        ("schedules::service", true),
        ("jobs::store::find", false),
    ];
    assert_eq!(found, expected.map(|(path, in_tests)| (path.to_owned(), in_tests)));
    let path = |text: &str| text.split("::").map(str::to_owned).collect::<Vec<_>>();
    assert!(violation(&module, &path("jobs::store::find"), false).is_some());
    assert!(violation(&module, &path("jobs::store::find"), true).is_some());
    assert!(violation(&module, &path("jobs::service"), false).is_none());
    assert!(violation(&path("db"), &path("schedules::model"), false).is_some());
    assert!(violation(&path("db"), &path("app::openapi_document"), true).is_none());
    assert!(violation(&path("jobs"), &path("runtime"), false).is_some());
}
