//! Shared helpers for the integration tests: the real binary, examples and external tools.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Names of the examples under `examples/`, sorted.
pub fn examples() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root().join("examples"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().join("brewgen.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The real binary, with stdin closed as in CI and colour off.
pub fn brewgen(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brewgen"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("brewgen runs")
}

/// Copies an example's brewgen.toml into a fresh temporary directory and renders it there
/// (into the default `infra/terraform`). Returns the directory and the output tree path.
pub fn render_example(name: &str) -> (tempfile::TempDir, PathBuf) {
    let text =
        std::fs::read_to_string(root().join("examples").join(name).join("brewgen.toml")).unwrap();
    render_description(&text)
}

/// Writes `text` as brewgen.toml in a fresh temporary directory and renders it there.
pub fn render_description(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("brewgen.toml"), text).unwrap();
    let out = brewgen(dir.path(), &["render", "-q"]);
    assert!(
        out.status.success(),
        "render failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = dir.path().join("infra/terraform");
    (dir, tree)
}

/// The Terraform roots of a rendered tree: bootstrap, global, each environment.
pub fn roots(tree: &Path) -> Vec<PathBuf> {
    let mut roots = vec![tree.join("bootstrap"), tree.join("global")];
    let mut envs: Vec<PathBuf> = std::fs::read_dir(tree.join("environments"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    envs.sort();
    roots.extend(envs);
    roots
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// A required external tool: in CI its absence fails the test; elsewhere the test is skipped
/// with a printed reason.
pub fn require_tool(what: &str, found: Option<PathBuf>) -> Option<PathBuf> {
    match found {
        Some(p) => Some(p),
        None if in_ci() => panic!("{what} is required in CI but was not found"),
        None => {
            eprintln!("SKIPPED: {what} not found on this machine");
            None
        }
    }
}

pub const PLUGIN_DIR: &str = "/opt/tf-plugins";

/// terraform with the offline AWS provider directory, or None (skip) outside CI.
pub fn terraform() -> Option<PathBuf> {
    let found = std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join("terraform"))
                .find(|p| p.is_file())
        })
        .or_else(|| Some(PathBuf::from("/usr/local/bin/terraform")).filter(|p| p.is_file()))
        .filter(|_| Path::new(PLUGIN_DIR).is_dir());
    require_tool(
        "terraform (with the AWS provider in /opt/tf-plugins)",
        found,
    )
}

/// checkov: $BREWGEN_CHECKOV, or the project's .venv (created by .ci/run), or PATH.
pub fn checkov() -> Option<PathBuf> {
    let found = std::env::var_os("BREWGEN_CHECKOV")
        .map(PathBuf::from)
        .or_else(|| Some(root().join(".venv/bin/checkov")))
        .filter(|p| p.is_file())
        .or_else(|| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|p| p.join("checkov"))
                    .find(|p| p.is_file())
            })
        });
    require_tool(
        "checkov (python3 -m venv .venv && .venv/bin/pip install -r requirements-dev.txt)",
        found,
    )
}

/// Runs terraform in `dir` offline; returns (success, combined output).
pub fn tf(terraform: &Path, dir: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(terraform)
        .args(args)
        .arg("-no-color")
        .current_dir(dir)
        .env("TF_IN_AUTOMATION", "1")
        .env("TF_CLI_CONFIG_FILE", "/dev/null")
        .env("CHECKPOINT_DISABLE", "1")
        .output()
        .expect("terraform runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// Every file under `dir` with its bytes, for "nothing changed" checks.
pub fn contents(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.insert(
                    p.strip_prefix(base).unwrap().to_path_buf(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    if dir.is_dir() {
        walk(dir, dir, &mut out);
    }
    out
}

/// Every file under `dir`, as sorted relative `/`-separated paths.
pub fn files(dir: &Path) -> Vec<String> {
    contents(dir)
        .into_keys()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect()
}
