//! brewgen never panics on any input: arbitrary bytes, and valid descriptions mutated line by
//! line, byte by byte and value by value, go through load and validate (`brewgen::compile`) and
//! the diagnostic printer, and every accepted description through the renderer.
//!
//! Beyond "no panic", each run checks what a user relies on: a rejected description has at
//! least one error, every span lies inside the text shown, and diagnostics come in file order.
//!
//! `BREWGEN_FUZZ_CASES` sets the number of inputs per property (default 500, enough for every
//! `cargo test`); run longer with e.g.
//! `BREWGEN_FUZZ_CASES=100000 cargo test --release --test fuzz -- --nocapture`.

use std::sync::atomic::{AtomicUsize, Ordering};

use brewgen::diagnostic::Report;
use brewgen::raw::{
    RawAutoscaling, RawDatabase, RawDescription, RawEnvironment, RawNetwork, RawProject,
    RawService, RawState, RawWaf,
};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::TestRunner;

fn cases() -> u32 {
    std::env::var("BREWGEN_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Runs one input through everything a `brewgen validate` or `render` run does before writing.
/// Returns whether the description was accepted.
fn check(bytes: &[u8]) -> bool {
    let source = String::from_utf8_lossy(bytes);
    let mut accepted = false;
    let diagnostics = match brewgen::compile(bytes) {
        Ok((model, warnings)) => {
            accepted = true;
            assert!(warnings.iter().all(|d| !d.is_error()));
            // A valid description must render; a template error is reported, never a panic.
            let _ = brewgen::render::render(&model);
            warnings
        }
        Err(diagnostics) => {
            assert!(
                diagnostics.iter().any(|d| d.is_error()),
                "rejected without an error: {diagnostics:?}\n{source}"
            );
            diagnostics
        }
    };
    let mut last = 0;
    for d in &diagnostics {
        if let Some(span) = &d.span {
            assert!(
                span.start <= span.end && span.end <= source.len(),
                "span {span:?} outside the text: {d:?}"
            );
            assert!(span.start >= last, "not in file order: {diagnostics:?}");
            last = span.start;
        }
    }
    for color in [false, true] {
        let text = Report {
            path: "brewgen.toml",
            source: &source,
            diagnostics: &diagnostics,
        }
        .render(color);
        assert!(diagnostics.is_empty() || !text.is_empty());
    }
    accepted
}

/// Runs `check` on `cases()` inputs from `strategy` and says how many ran and were valid.
fn fuzz<S: Strategy>(what: &str, strategy: S, input: impl Fn(S::Value) -> Vec<u8>) {
    let ran = AtomicUsize::new(0);
    let accepted = AtomicUsize::new(0);
    TestRunner::new(config())
        .run(&strategy, |value| {
            ran.fetch_add(1, Ordering::Relaxed);
            if check(&input(value)) {
                accepted.fetch_add(1, Ordering::Relaxed);
            }
            Ok(())
        })
        .unwrap();
    eprintln!(
        "fuzz: {what}: {} inputs, {} of them valid, no panic",
        ran.into_inner(),
        accepted.into_inner()
    );
}

/// The descriptions mutations start from: every example and a few corpus files.
fn seeds() -> Vec<String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seeds = Vec::new();
    for dir in std::fs::read_dir(root.join("examples")).unwrap() {
        let file = dir.unwrap().path().join("brewgen.toml");
        if let Ok(text) = std::fs::read_to_string(file) {
            seeds.push(text);
        }
    }
    for name in ["several-mistakes", "environment-override-invalid-value"] {
        seeds.push(
            std::fs::read_to_string(root.join(format!("tests/invalid/{name}.toml"))).unwrap(),
        );
    }
    seeds.sort();
    seeds
}

/// Values worth trying anywhere: edges of every range, wrong types, paths, odd text.
const VALUES: &[&str] = &[
    "0",
    "-1",
    "1",
    "2",
    "3",
    "6",
    "7",
    "10",
    "16",
    "20",
    "32",
    "35",
    "36",
    "100",
    "101",
    "256",
    "512",
    "1024",
    "4096",
    "16384",
    "65535",
    "65536",
    "2000000000",
    "2000000001",
    "9223372036854775807",
    "-9223372036854775808",
    "99999999999999999999",
    "0x10",
    "1_000",
    "1.5",
    "512.0",
    "nan",
    "-inf",
    "true",
    "false",
    "1979-05-27T07:32:00Z",
    "07:32:00",
    "\"\"",
    "\" \"",
    "\"/\"",
    "\"/*\"",
    "\"*\"",
    "\"/api/*\"",
    "\"..\"",
    "\"../../etc\"",
    "\"/etc\"",
    "\"a/b\"",
    "\"a\\u0000b\"",
    "\"\\u0000\"",
    "\"C:\\\\x\"",
    "\"prod\"",
    "\"single\"",
    "\"per-az\"",
    "\"s3\"",
    "\"dynamodb\"",
    "\"existing\"",
    "\"create\"",
    "\"postgres\"",
    "\"15\"",
    "\"db.t3.micro\"",
    "\"DE\"",
    "\"de\"",
    "\"10.0.0.0/16\"",
    "\"10.0.0.0/19\"",
    "\"10.0.0.0/8\"",
    "\"10.0.0.1/16\"",
    "\"0.0.0.0/0\"",
    "\"us-west-1\"",
    "\"us-east-1\"",
    "\"eu-central-1\"",
    "\"example.com\"",
    "\"owner/repo\"",
    "\"123456789012\"",
    "\"é\"",
    "\"日本語\"",
    "\"\\t\"",
    "[]",
    "[\"/*\"]",
    "[\"/*\", \"/*\"]",
    "[\"/api/*\", \"/api/*\"]",
    "[1, 2]",
    "[[]]",
    "[\"common\", \"common\"]",
    "[\"sqli\", \"nope\"]",
    "{}",
    "{ multi_az = false }",
    "{ nat = \"single\" }",
    "{ web = {} }",
    "{ frontend = { memory = 3 } }",
    "{ backend = { database = true } }",
    "{ x = 1 }",
];

/// Lines worth inserting: every key brewgen knows, headers, and broken TOML.
fn insertions() -> Vec<String> {
    let tables: &[(&str, &[brewgen::raw::Key])] = &[
        ("", RawDescription::KEYS),
        ("project", RawProject::KEYS),
        ("state", RawState::KEYS),
        ("network", RawNetwork::KEYS),
        ("services.web", RawService::KEYS),
        ("services.web.autoscaling", RawAutoscaling::KEYS),
        ("database", RawDatabase::KEYS),
        ("waf", RawWaf::KEYS),
        ("environments.prod", RawEnvironment::KEYS),
    ];
    let mut lines = Vec::new();
    for (table, keys) in tables {
        if !table.is_empty() {
            lines.push(format!("[{table}]"));
        }
        for key in keys.iter() {
            lines.push(format!("{} =", key.name));
            lines.push(format!("{table}.{} =", key.name));
        }
    }
    lines.extend(
        [
            "[services.\"../x\"]",
            "[environments.\"a/b\"]",
            "[environments.staging]",
            "[services.api]",
            "[[services]]",
            "[project",
            "key = ",
            "= 1",
            "\"unterminated = 1",
            "desird_count = 2",
            "services.web.env.DB_PASSWORD = \"x\"",
            "services.web.env.\"1X\" = \"x\"",
        ]
        .map(String::from),
    );
    lines
}

#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(Index),
    DuplicateLine(Index),
    SwapLines(Index, Index),
    /// Replaces the value of a `key = value` line.
    ReplaceValue(Index, Index),
    /// Inserts a line, completed with a value when it ends with `=`.
    InsertLine(Index, Index, Index),
    SetByte(Index, u8),
    DeleteBytes(Index, u8),
    InsertBytes(Index, Vec<u8>),
    Truncate(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        1 => any::<Index>().prop_map(Mutation::DeleteLine),
        1 => any::<Index>().prop_map(Mutation::DuplicateLine),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        4 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::ReplaceValue(a, b)),
        3 => (any::<Index>(), any::<Index>(), any::<Index>())
            .prop_map(|(a, b, c)| Mutation::InsertLine(a, b, c)),
        1 => (any::<Index>(), any::<u8>()).prop_map(|(a, b)| Mutation::SetByte(a, b)),
        1 => (any::<Index>(), 1..16u8).prop_map(|(a, n)| Mutation::DeleteBytes(a, n)),
        1 => (any::<Index>(), proptest::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(a, b)| Mutation::InsertBytes(a, b)),
        1 => any::<Index>().prop_map(Mutation::Truncate),
    ]
}

fn apply(seed: &str, mutations: &[Mutation], insertions: &[String]) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = seed.lines().map(|l| l.as_bytes().to_vec()).collect();
    let mut bytes_mode: Option<Vec<u8>> = None;
    for m in mutations {
        // Byte mutations work on the joined text; once used, later ones continue on bytes.
        let join = |lines: &Vec<Vec<u8>>| lines.join(&b'\n');
        match m {
            Mutation::SetByte(..)
            | Mutation::DeleteBytes(..)
            | Mutation::InsertBytes(..)
            | Mutation::Truncate(_) => {
                let mut b = bytes_mode.take().unwrap_or_else(|| join(&lines));
                if b.is_empty() {
                    bytes_mode = Some(b);
                    continue;
                }
                match m {
                    Mutation::SetByte(i, v) => {
                        let i = i.index(b.len());
                        b[i] = *v;
                    }
                    Mutation::DeleteBytes(i, n) => {
                        let i = i.index(b.len());
                        let end = (i + *n as usize).min(b.len());
                        b.drain(i..end);
                    }
                    Mutation::InsertBytes(i, v) => {
                        let i = i.index(b.len() + 1);
                        b.splice(i..i, v.iter().copied());
                    }
                    Mutation::Truncate(i) => b.truncate(i.index(b.len() + 1)),
                    _ => unreachable!(),
                }
                lines = b.split(|c| *c == b'\n').map(<[u8]>::to_vec).collect();
                bytes_mode = Some(b);
            }
            _ => {
                bytes_mode = None;
                if lines.is_empty() {
                    lines.push(Vec::new());
                }
                let n = lines.len();
                match m {
                    Mutation::DeleteLine(i) => {
                        lines.remove(i.index(n));
                    }
                    Mutation::DuplicateLine(i) => {
                        let i = i.index(n);
                        lines.insert(i, lines[i].clone());
                    }
                    Mutation::SwapLines(a, b) => lines.swap(a.index(n), b.index(n)),
                    Mutation::ReplaceValue(i, v) => {
                        let i = i.index(n);
                        if let Some(eq) = lines[i].iter().position(|c| *c == b'=') {
                            let value = VALUES[v.index(VALUES.len())];
                            lines[i].truncate(eq + 1);
                            lines[i].push(b' ');
                            lines[i].extend_from_slice(value.as_bytes());
                        }
                    }
                    Mutation::InsertLine(at, which, value) => {
                        let mut line = insertions[which.index(insertions.len())].clone();
                        if line.ends_with('=') {
                            line.push(' ');
                            line.push_str(VALUES[value.index(VALUES.len())]);
                        }
                        lines.insert(at.index(n + 1), line.into_bytes());
                    }
                    _ => unreachable!(),
                }
            }
        }
    }
    bytes_mode.unwrap_or_else(|| {
        let mut b = lines.join(&b'\n');
        b.push(b'\n');
        b
    })
}

#[test]
fn arbitrary_bytes_never_panic() {
    fuzz(
        "arbitrary bytes",
        proptest::collection::vec(any::<u8>(), 0..2048),
        |bytes| bytes,
    );
}

#[test]
fn arbitrary_text_never_panics() {
    fuzz(
        "arbitrary text",
        "(\\PC|\n|=|\\[|\\]|\"|\\.){0,512}",
        String::into_bytes,
    );
}

#[test]
fn mutated_descriptions_never_panic() {
    let seeds = seeds();
    let insertions = insertions();
    fuzz(
        "mutated descriptions",
        (any::<Index>(), proptest::collection::vec(mutation(), 1..8)),
        |(seed, mutations)| apply(&seeds[seed.index(seeds.len())], &mutations, &insertions),
    );
}
