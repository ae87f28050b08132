//! brewgen never panics on any input: arbitrary bytes and text, valid descriptions mutated line
//! by line, byte by byte and value by value, and descriptions assembled from plausible choices go
//! through load and validate (`brewgen::compile`) and the diagnostic printer, and every accepted
//! description through the renderer.
//!
//! Beyond "no panic", each run checks what a user relies on: a rejected description has at
//! least one error, every span lies inside the text shown, diagnostics come in file order, and
//! whatever validate accepts renders without a template error.
//!
//! `BREWGEN_FUZZ_CASES` sets the number of inputs per property (by default a few hundred, enough
//! for every `cargo test`); run longer with e.g.
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

/// `BREWGEN_FUZZ_CASES`, or `default` inputs for an ordinary `cargo test`.
fn cases(default: u32) -> u32 {
    std::env::var("BREWGEN_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
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
            // What validate accepts, render must turn into a tree (never a template error).
            if let Err(e) = brewgen::render::render(&model) {
                panic!("accepted, but does not render: {e}\n{source}");
            }
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

/// Runs `check` on `cases` inputs from `strategy` and says how many ran and were valid.
fn fuzz<S: Strategy>(what: &str, cases: u32, strategy: S, input: impl Fn(S::Value) -> Vec<u8>) {
    let ran = AtomicUsize::new(0);
    let accepted = AtomicUsize::new(0);
    TestRunner::new(config(cases))
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
        cases(500),
        proptest::collection::vec(any::<u8>(), 0..2048),
        |bytes| bytes,
    );
}

#[test]
fn arbitrary_text_never_panics() {
    // TOML's own punctuation, often, so the parser gets past the first line now and then.
    let char = prop_oneof![
        3 => proptest::sample::select(&['\n', '=', '[', ']', '"', '.', ' ', '{', '}', ',', '#', 'a', '1'][..]),
        1 => any::<char>(),
    ];
    fuzz(
        "arbitrary text",
        cases(500),
        proptest::collection::vec(char, 0..512),
        |chars| String::from_iter(chars).into_bytes(),
    );
}

#[test]
fn mutated_descriptions_never_panic() {
    let seeds = seeds();
    let insertions = insertions();
    fuzz(
        "mutated descriptions",
        cases(500),
        (any::<Index>(), proptest::collection::vec(mutation(), 1..8)),
        |(seed, mutations)| apply(&seeds[seed.index(seeds.len())], &mutations, &insertions),
    );
}

/// Picks from lists with a stream of random numbers, so one `Vec<u32>` describes a whole
/// description (and proptest can shrink it).
struct Choices<'a>(std::slice::Iter<'a, u32>);

impl Choices<'_> {
    fn number(&mut self, below: usize) -> usize {
        self.0.next().copied().unwrap_or(0) as usize % below.max(1)
    }

    fn pick<'v>(&mut self, from: &[&'v str]) -> &'v str {
        from[self.number(from.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.number(100) < percent
    }
}

/// A description made of plausible choices for every key: most are valid, some hit a limit
/// (name lengths, AZs of a region, ranges), so accepted descriptions of every shape reach the
/// renderer and the rest must be rejected with an error.
fn plausible(numbers: &[u32]) -> Vec<u8> {
    let mut c = Choices(numbers.iter());
    let mut t = String::new();
    let domain = c.chance(60);
    t += &format!(
        "[project]\nname = \"{}\"\nregion = \"{}\"\n",
        c.pick(&[
            "ab",
            "shop",
            "brewsecops",
            "brewsecops-platform",
            "abcdefghijklmnopqrst"
        ]),
        c.pick(&[
            "eu-central-1",
            "us-east-1",
            "us-west-1",
            "ap-northeast-1",
            "ca-central-1",
            "sa-east-1"
        ]),
    );
    if domain {
        t += &format!(
            "domain = \"{}\"\n",
            c.pick(&["example.com", "shop.example.co.uk", "a-b.io"])
        );
        if c.chance(30) {
            t += &format!("hosted_zone = \"{}\"\n", c.pick(&["create", "existing"]));
        }
    }
    if c.chance(50) {
        t += "github_repo = \"acme/shop.web\"\n";
    }
    if c.chance(20) {
        t += &format!(
            "output = \"{}\"\n",
            c.pick(&["infra/terraform", "tf", "deploy/tf/", "a b"])
        );
    }
    if c.chance(40) {
        t += &format!("\n[state]\nlocking = \"{}\"\n", c.pick(&["s3", "dynamodb"]));
        if c.chance(50) {
            t += "bucket = \"acme-terraform-state.eu\"\n";
        }
    }
    t += &format!(
        "\n[network]\ncidr = \"{}\"\naz_count = {}\nnat = \"{}\"\n",
        c.pick(&[
            "10.0.0.0/16",
            "10.20.0.0/18",
            "172.16.0.0/19",
            "192.168.0.0/16"
        ]),
        2 + c.number(5),
        c.pick(&["per-az", "single"]),
    );
    if c.chance(20) {
        t += &format!(
            "flow_log_retention_days = {}\n",
            c.pick(&["1", "30", "3653"])
        );
    }
    let database = c.chance(50);
    let names = ["web", "api", "admin", "checkout-worker", "x"];
    let count = 1 + c.number(4);
    let pairs = [
        ("256", "512"),
        ("512", "4096"),
        ("1024", "2048"),
        ("4096", "30720"),
        ("16384", "122880"),
    ];
    for (i, name) in names.iter().take(count).enumerate() {
        let (cpu, memory) = pairs[c.number(pairs.len())];
        let desired = c.number(5);
        let path = if i == 0 {
            "\"/*\"".to_string()
        } else {
            format!("\"/{name}/*\", \"/{name}-v{i}?\"")
        };
        t += &format!(
            "\n[services.{name}]\nport = {}\ncpu = {cpu}\nmemory = {memory}\ndesired_count = {desired}\n\
             health_check = \"{}\"\npaths = [{path}]\n",
            c.pick(&["80", "3000", "8080", "65535"]),
            c.pick(&["/", "/health", "/api/health?full=1"]),
        );
        for key in ["spot", "read_only_root_filesystem", "execute_command"] {
            if c.chance(30) {
                t += &format!("{key} = {}\n", c.chance(50));
            }
        }
        if database && c.chance(60) {
            t += "database = true\n";
        }
        if c.chance(40) {
            t += &format!(
                "\n[services.{name}.autoscaling]\nmin = {}\nmax = {}\ncpu_target = {}\n",
                desired.min(1),
                desired.max(1) + c.number(4),
                c.pick(&["1", "50", "100"]),
            );
        }
        if c.chance(40) {
            t += &format!(
                "\n[services.{name}.env]\nGREETING = \"{}\"\nLOG_LEVEL = \"debug\"\n",
                c.pick(&[
                    "hello, ${world}",
                    "%{if x}",
                    "quote \\\" and \\\\",
                    "日本語",
                    ""
                ]),
            );
        }
    }
    if database {
        t += &format!(
            "\n[database]\nengine = \"postgres\"\nversion = \"{}\"\ninstance_class = \"{}\"\n\
             storage_gb = {}\nmulti_az = {}\nbackup_retention_days = {}\n",
            c.pick(&["13", "15", "17"]),
            c.pick(&["db.t3.micro", "db.r6g.large"]),
            c.pick(&["20", "100", "65536"]),
            c.chance(50),
            c.pick(&["1", "7", "35"]),
        );
        if c.chance(30) {
            t += "name = \"app_db\"\nusername = \"app_admin\"\n";
        }
    }
    if c.chance(50) {
        t += &format!(
            "\n[waf]\nrate_limit = {}\nmanaged_rules = [{}]\nblocked_countries = [{}]\nallow_ips = [{}]\n",
            c.pick(&["10", "2000", "2000000000"]),
            c.pick(&["", "\"common\"", "\"common\", \"sqli\", \"php\", \"linux\""]),
            c.pick(&["", "\"DE\"", "\"KP\", \"IR\""]),
            c.pick(&["", "\"203.0.113.0/24\"", "\"198.51.100.7/32\", \"0.0.0.0/0\""]),
        );
    }
    let envs = [
        "dev",
        "staging",
        "prod",
        "prod-eu",
        "qa-1",
        "sandbox-abcdefgh",
    ];
    for name in envs.iter().take(1 + c.number(4)) {
        t += &format!("\n[environments.{name}]\n");
        if c.chance(30) {
            t += &format!("deletion_protection = {}\n", c.chance(50));
        }
        if c.chance(20) {
            t += &format!("subdomain = \"{}\"\n", c.pick(&["", "www", "a.b"]));
        }
        if c.chance(20) {
            t += "account_id = \"123456789012\"\n";
        }
        if c.chance(30) {
            t += &format!(
                "network = {{ nat = \"{}\" }}\n",
                c.pick(&["single", "per-az"])
            );
        }
        if database && c.chance(30) {
            t += "database = { multi_az = false, instance_class = \"db.t4g.small\" }\n";
        }
        if c.chance(30) {
            t += "services = { web = { desired_count = 1, spot = true } }\n";
        }
    }
    t.into_bytes()
}

#[test]
fn plausible_descriptions_are_rendered_or_rejected() {
    fuzz(
        "plausible descriptions",
        // Most of these are valid and rendered, which takes a while in a debug build.
        cases(48),
        proptest::collection::vec(any::<u32>(), 96),
        |numbers| plausible(&numbers),
    );
}
