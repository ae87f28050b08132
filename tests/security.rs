//! Secure by default: checkov finds nothing in any rendered example, every skipped check has a
//! reason (and the list of skips is a reviewed snapshot), and the defects a scanner cannot see
//! are ruled out by reading the generated HCL.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

fn checkov_dirs(tree: &Path) -> Vec<PathBuf> {
    let mut dirs = roots(tree);
    let mut modules: Vec<PathBuf> = std::fs::read_dir(tree.join("modules"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    modules.sort();
    dirs.extend(modules);
    dirs
}

fn run_checkov(checkov: &Path, dir: &Path) -> (usize, usize, String) {
    let out = Command::new(checkov)
        .args([
            "-d",
            ".",
            "--framework",
            "terraform",
            "--skip-download",
            "--quiet",
            "--compact",
            "-o",
            "cli",
            "-o",
            "json",
            "--output-file-path",
            "console,checkov.json",
        ])
        .current_dir(dir)
        .output()
        .expect("checkov runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let json = std::fs::read_to_string(dir.join("checkov.json")).unwrap_or_default();
    let _ = std::fs::remove_file(dir.join("checkov.json"));
    let num = |key: &str| -> usize {
        json.match_indices(&format!("\"{key}\": "))
            .map(|(i, m)| {
                json[i + m.len()..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
                    .parse::<usize>()
                    .unwrap_or(0)
            })
            .sum()
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    // checkov exits non-zero on failed checks; a directory with nothing to check reports nothing.
    let failed = if out.status.success() {
        num("failed")
    } else {
        num("failed").max(1)
    };
    (failed, num("parsing_errors"), format!("{text}\n{stderr}"))
}

fn checkov_example(example: &str) {
    let Some(checkov) = checkov() else { return };
    let (_dir, tree) = render_example(example);
    let dirs = checkov_dirs(&tree);
    let results: Vec<(String, usize, usize, String)> = std::thread::scope(|s| {
        let handles: Vec<_> = dirs
            .chunks(dirs.len().div_ceil(2))
            .map(|chunk| {
                let checkov = &checkov;
                let tree = &tree;
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|d| {
                            let (f, p, t) = run_checkov(checkov, d);
                            (d.strip_prefix(tree).unwrap().display().to_string(), f, p, t)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    for (dir, failed, parse_errors, text) in results {
        assert_eq!(
            (failed, parse_errors),
            (0, 0),
            "{example}/{dir}: checkov failed checks or parse errors:\n{text}"
        );
    }
}

#[test]
fn checkov_passes_every_root_and_module_of_brewsecops() {
    checkov_example("brewsecops");
}

#[test]
fn checkov_passes_every_root_and_module_of_minimal() {
    checkov_example("minimal");
}

/// Every rendered file of every example, as (example, path, text).
fn all_files() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for example in examples() {
        let text =
            std::fs::read(root().join("examples").join(&example).join("brewgen.toml")).unwrap();
        let (model, _) = brewgen::compile(&text).unwrap();
        for (path, text) in brewgen::render::render(&model).unwrap() {
            out.push((example.clone(), path, text));
        }
    }
    out
}

#[test]
fn every_checkov_skip_has_a_reason_and_the_list_is_reviewed() {
    let mut skips = BTreeSet::new();
    for (_, path, text) in all_files() {
        for line in text.lines() {
            if let Some(rest) = line.trim().strip_prefix("#checkov:skip=") {
                let (id, reason) = rest.split_once(':').unwrap_or((rest, ""));
                assert!(
                    reason.trim().len() >= 20,
                    "{path}: skip of {id} needs a real reason: {line}"
                );
                let file = path
                    .split_once("modules/")
                    .map(|(_, m)| format!("modules/{m}"))
                    .unwrap_or_else(|| path.split('/').next().unwrap().to_string());
                skips.insert(format!("{id:<12} {file}"));
            }
        }
    }
    insta::assert_snapshot!(
        "checkov_skips",
        skips.into_iter().collect::<Vec<_>>().join("\n")
    );
}

fn secret_like(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    n.contains("PASSWORD") || n.contains("SECRET") || n.contains("TOKEN") || n.ends_with("_KEY")
}

#[test]
fn no_secret_looking_plain_environment_variable() {
    let mut checked = 0;
    for (example, path, text) in all_files() {
        // Track which `name = {` object each line is in; only `environment` objects are plain env.
        let mut stack: Vec<String> = Vec::new();
        for line in text.lines() {
            let t = line.trim();
            if t.ends_with('{') {
                stack.push(t.split([' ', '=']).next().unwrap_or("").to_string());
            } else if t.starts_with('}') {
                stack.pop();
            } else if stack.last().is_some_and(|s| s == "environment") {
                checked += 1;
                let key = t.split([' ', '=']).next().unwrap_or("");
                assert!(
                    !secret_like(key),
                    "{example}/{path}: plain environment variable {key}"
                );
            }
        }
    }
    // The examples' environment maps (NODE_ENV, GREETING, the DB_* connection settings) were seen.
    assert!(
        checked >= 6,
        "only {checked} environment entries were checked"
    );
}

#[test]
fn database_password_is_managed_by_rds_and_never_an_argument() {
    for (example, path, text) in all_files() {
        if let Some(start) = text.find("\nresource \"aws_db_instance\"") {
            let block = &text[start..start + text[start..].find("\n}\n").unwrap()];
            assert!(
                !block
                    .lines()
                    .any(|l| l.trim_start().starts_with("password ")),
                "{example}/{path}: password argument"
            );
            assert!(
                block.contains("manage_master_user_password"),
                "{example}/{path}"
            );
            assert!(
                block.contains("publicly_accessible") && block.contains("storage_encrypted"),
                "{path}"
            );
        }
        if path.ends_with("terraform.tfvars") {
            for l in text.lines().filter(|l| !l.starts_with('#')) {
                let key = l.split('=').next().unwrap_or("").trim();
                assert!(
                    !secret_like(key) && !key.to_ascii_uppercase().contains("PASSWORD"),
                    "{path}: {l}"
                );
            }
        }
    }
}

#[test]
fn listeners_use_tls13_and_nothing_uses_latest_or_timestamps() {
    let mut saw_tls = false;
    for (example, path, text) in all_files() {
        assert!(
            !text.contains("timestamp()"),
            "{example}/{path}: timestamp()"
        );
        assert!(
            !text.contains(":latest"),
            "{example}/{path}: a :latest image"
        );
        if text.contains("ssl_policy") {
            saw_tls = true;
            for l in text.lines().filter(|l| l.contains("ssl_policy")) {
                assert!(
                    l.contains("ELBSecurityPolicy-TLS13-1-2-2021-06"),
                    "{path}: {l}"
                );
            }
        }
    }
    assert!(saw_tls, "the alb module sets an ssl_policy");
}

#[test]
fn no_iam_statement_allows_every_action() {
    for (example, path, text) in all_files() {
        for l in text.lines() {
            let t = l.trim().replace(' ', "");
            assert!(
                !(t == "Action=\"*\""
                    || t == "actions=[\"*\"]"
                    || t.contains("\"Action\":\"*\"")
                    || t == "Action=[\"*\"]"),
                "{example}/{path}: wildcard action: {l}"
            );
        }
    }
}

#[test]
fn oidc_roles_trust_exact_subjects_only() {
    let mut seen = false;
    for (_, path, text) in all_files() {
        if path == "modules/oidc/main.tf" {
            seen = true;
            // Every condition on the token's subject or audience is an exact match.
            let lines: Vec<&str> = text.lines().collect();
            let mut conditions = 0;
            for (i, l) in lines.iter().enumerate() {
                if l.contains(":sub\"") || l.contains(":aud\"") {
                    conditions += 1;
                    assert!(
                        lines[i - 1].contains("test     = \"StringEquals\""),
                        "{path}: {}",
                        lines[i - 1]
                    );
                }
            }
            assert_eq!(
                conditions, 2,
                "{path}: audience and subject are both pinned"
            );
            assert!(
                text.contains("values   = [\"repo:${var.github_repo}:environment:${each.key}\"]"),
                "{path}"
            );
            assert!(
                text.contains("values   = [\"sts.amazonaws.com\"]"),
                "{path}"
            );
        }
    }
    assert!(seen);
}

#[test]
fn environments_have_their_own_state_and_names() {
    for example in examples() {
        let text =
            std::fs::read(root().join("examples").join(&example).join("brewgen.toml")).unwrap();
        let (model, _) = brewgen::compile(&text).unwrap();
        let tree = brewgen::render::render(&model).unwrap();
        let mut keys = BTreeSet::new();
        let mut names = BTreeSet::new();
        for e in &model.environments {
            let backend = &tree[&format!("environments/{}/backend.tf", e.name)];
            let key = backend
                .lines()
                .find(|l| l.trim_start().starts_with("key "))
                .unwrap()
                .to_string();
            assert!(
                keys.insert(key.clone()),
                "{example}: backend key reused: {key}"
            );
            let main = &tree[&format!("environments/{}/main.tf", e.name)];
            let name = main
                .lines()
                .find(|l| l.trim_start().starts_with("name = "))
                .unwrap()
                .to_string();
            assert!(
                names.insert(name.clone()),
                "{example}: resource prefix reused: {name}"
            );
        }
    }
}
