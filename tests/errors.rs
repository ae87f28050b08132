//! Every mistake in brewgen.toml gets a precise, friendly error, and nothing is written.
//!
//! `tests/invalid/` holds one invalid description per mistake, named after it. For each, the
//! real binary runs `brewgen render` on a copy named `brewgen.toml` in a fresh directory (so the
//! path it shows is the same on every machine): it must exit 2, print exactly the stderr in
//! `tests/snapshots/errors__<name>.snap`, create or change nothing, and `brewgen validate` must
//! print the same. The other tests cover warnings, `--deny-warnings`, an existing tree next to an
//! invalid description, and input too large to read.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{brewgen, contents, root};

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

/// The invalid descriptions, by name, sorted.
fn corpus() -> Vec<(String, PathBuf)> {
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(root().join("tests/invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| (p.file_stem().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    files.sort();
    files
}

/// A fresh directory holding `text` as its brewgen.toml.
fn project(text: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("brewgen.toml"), text).unwrap();
    dir
}

#[test]
fn every_mistake_is_reported_exactly_and_nothing_is_written() {
    let corpus = corpus();
    assert!(corpus.len() >= 100, "the corpus lost files");
    for (name, file) in &corpus {
        let dir = project(&std::fs::read(file).unwrap());
        let before = contents(dir.path());

        let render = brewgen(dir.path(), &["render", "-c", "brewgen.toml"]);
        let text = stderr(&render);
        assert_eq!(render.status.code(), Some(2), "{name}: render:\n{text}");
        assert!(render.stdout.is_empty(), "{name}: render printed to stdout");
        assert_eq!(
            contents(dir.path()),
            before,
            "{name}: render changed the directory"
        );
        assert!(
            text.starts_with("error: ") || text.starts_with("warning: "),
            "{name}: {text}"
        );

        let validate = brewgen(dir.path(), &["validate", "-c", "brewgen.toml"]);
        assert_eq!(validate.status.code(), Some(2), "{name}: validate");
        assert_eq!(
            stderr(&validate),
            text,
            "{name}: validate and render differ"
        );

        insta::with_settings!({
            description => format!("brewgen render -c brewgen.toml, with tests/invalid/{name}.toml as brewgen.toml"),
            omit_expression => true,
        }, {
            insta::assert_snapshot!(name.as_str(), text);
        });
    }
}

/// The snapshots of this file that do not belong to a corpus file.
const OTHER_SNAPSHOTS: &[&str] = &["warnings", "deny-warnings"];

#[test]
fn every_snapshot_belongs_to_a_corpus_file() {
    let names: Vec<String> = corpus().into_iter().map(|(n, _)| n).collect();
    for entry in std::fs::read_dir(root().join("tests/snapshots")).unwrap() {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(name) = file
            .strip_prefix("errors__")
            .and_then(|f| f.strip_suffix(".snap"))
        {
            assert!(
                names.iter().any(|n| n == name) || OTHER_SNAPSHOTS.contains(&name),
                "{file} has no tests/invalid/{name}.toml"
            );
        }
    }
}

#[test]
fn an_invalid_description_leaves_an_existing_tree_untouched() {
    let valid = std::fs::read(root().join("examples/minimal/brewgen.toml")).unwrap();
    let dir = project(&valid);
    let render = brewgen(dir.path(), &["render", "-q"]);
    assert_eq!(render.status.code(), Some(0), "{}", stderr(&render));
    assert!(dir.path().join("infra/terraform").is_dir());

    let invalid = std::fs::read(root().join("tests/invalid/several-mistakes.toml")).unwrap();
    std::fs::write(dir.path().join("brewgen.toml"), invalid).unwrap();
    let before = contents(dir.path());
    for args in [
        &["render"][..],
        &["render", "--force"],
        &["render", "--check"],
    ] {
        let out = brewgen(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).ends_with("error: brewgen.toml has 6 errors (no warnings)\n"));
        assert_eq!(contents(dir.path()), before, "{args:?} changed the tree");
    }
}

/// Valid, with the three risky choices brewgen warns about.
const RISKY: &str = r#"[project]
name = "shop"
region = "eu-central-1"

[network]
cidr = "10.0.0.0/16"
nat = "single"

[services.web]
port = 8080
cpu = 256
memory = 512
desired_count = 2
health_check = "/health"
paths = ["/*"]

[environments.prod]
deletion_protection = false
"#;

#[test]
fn warnings_are_printed_like_errors_and_do_not_fail() {
    let dir = project(RISKY.as_bytes());
    let validate = brewgen(dir.path(), &["validate"]);
    let warnings = stderr(&validate);
    assert_eq!(validate.status.code(), Some(0), "{warnings}");
    insta::assert_snapshot!("warnings", warnings);
    assert!(!dir.path().join("infra").exists());

    let render = brewgen(dir.path(), &["render"]);
    let text = stderr(&render);
    assert_eq!(render.status.code(), Some(0), "{text}");
    assert!(text.starts_with(&warnings), "{text}");
    assert!(text[warnings.len()..].starts_with("brewgen: infra/terraform: "));
    assert!(dir
        .path()
        .join("infra/terraform/environments/prod/main.tf")
        .is_file());
}

#[test]
fn deny_warnings_turns_warnings_into_failure_and_writes_nothing() {
    let dir = project(RISKY.as_bytes());
    let before = contents(dir.path());
    let validate = brewgen(dir.path(), &["validate", "--deny-warnings"]);
    let text = stderr(&validate);
    assert_eq!(validate.status.code(), Some(2), "{text}");
    insta::assert_snapshot!("deny-warnings", text);

    let render = brewgen(dir.path(), &["render", "--deny-warnings"]);
    assert_eq!(render.status.code(), Some(2));
    assert_eq!(stderr(&render), text);
    assert_eq!(contents(dir.path()), before);
}

#[test]
fn output_is_plain_when_stderr_is_not_a_terminal() {
    let dir = project(b"[project]\nname = 1\n");
    for no_color in [None, Some("1")] {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_brewgen"));
        cmd.args(["validate"]).current_dir(dir.path());
        match no_color {
            Some(v) => cmd.env("NO_COLOR", v),
            None => cmd.env_remove("NO_COLOR"),
        };
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(
            !out.stderr.contains(&0x1b),
            "colour codes without a terminal"
        );
    }
}

#[test]
fn a_description_too_large_to_be_one_is_rejected_unread() {
    let mut huge = b"# padding\n".repeat(110 * 1024);
    huge.truncate(1024 * 1024 + 1);
    let dir = project(&huge);
    let out = brewgen(dir.path(), &["render"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        concat!(
            "error: the description is larger than 1024 KiB\n",
            " |\n",
            " = help: a brewgen.toml is a few kilobytes; check that the right file is given with --config\n",
            "\n",
            "error: brewgen.toml has 1 error (no warnings)\n",
        )
    );
    assert_eq!(contents(dir.path()).len(), 1);

    // An endless file is read only as far as the limit.
    if Path::new("/dev/zero").exists() {
        let out = brewgen(dir.path(), &["validate", "-c", "/dev/zero"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).starts_with("error: the description is larger than 1024 KiB\n"));
    }
}

#[test]
fn unreadable_descriptions_and_usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = brewgen(dir.path(), &["validate"]);
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(
        stderr(&missing),
        "error: cannot read brewgen.toml: no such file\n\
         help: run `brewgen init` to create one, or pass its path with --config\n"
    );

    let directory = brewgen(dir.path(), &["render", "-c", "."]);
    assert_eq!(directory.status.code(), Some(2));
    assert!(stderr(&directory).starts_with("error: cannot read .: "));

    let usage = brewgen(dir.path(), &["render", "--no-such-flag"]);
    assert_eq!(usage.status.code(), Some(2));
    assert!(stderr(&usage).starts_with("error: unexpected argument '--no-such-flag'"));
    assert_eq!(contents(dir.path()).len(), 0);
}
