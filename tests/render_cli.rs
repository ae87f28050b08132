//! `brewgen render` on disk: the manifest, no needless writes, deletions, refusing to clobber
//! hand edits, `--check` / `--diff`, and clean failure on a read-only output directory.

mod common;

use std::fs;
use std::path::Path;
use std::time::SystemTime;

use common::*;

fn setup(example: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        root().join("examples").join(example).join("brewgen.toml"),
        dir.path().join("brewgen.toml"),
    )
    .unwrap();
    dir
}

/// Runs brewgen; stderr comes back without the description's warnings (tested elsewhere).
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = brewgen(dir, args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let err = match err.find("warning: brewgen.toml has ") {
        Some(i) => err[i..]
            .split_once('\n')
            .map(|(_, rest)| rest.to_string())
            .unwrap_or_default(),
        None => err,
    };
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        err,
    )
}

fn mtimes(tree: &Path) -> Vec<(String, SystemTime)> {
    files(tree)
        .into_iter()
        .map(|f| {
            (
                f.clone(),
                fs::metadata(tree.join(&f)).unwrap().modified().unwrap(),
            )
        })
        .collect()
}

fn edit_description(dir: &Path, from: &str, to: &str) {
    let p = dir.join("brewgen.toml");
    let text = fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "description lacks {from:?}");
    fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn first_render_writes_tree_and_manifest_second_writes_nothing() {
    let dir = setup("brewsecops");
    let (code, _, err) = run(dir.path(), &["render"]);
    assert_eq!(code, 0, "{err}");
    let tree = dir.path().join("infra/terraform");
    let manifest = fs::read_to_string(tree.join("brewgen.lock")).unwrap();
    let listed: Vec<&str> = manifest
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split_once("  ").unwrap().1)
        .collect();
    let mut on_disk = files(&tree);
    on_disk.retain(|f| f != "brewgen.lock");
    assert_eq!(listed, on_disk);
    assert!(
        err.contains(&format!(
            "{} written, 0 unchanged, 0 deleted",
            on_disk.len()
        )),
        "{err}"
    );

    let before = mtimes(&tree);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let (code, _, err) = run(dir.path(), &["render"]);
    assert_eq!(code, 0);
    assert!(
        err.contains(&format!(
            "0 written, {} unchanged, 0 deleted",
            on_disk.len()
        )),
        "{err}"
    );
    assert_eq!(
        before,
        mtimes(&tree),
        "a second render must not touch any file"
    );
}

#[test]
fn editing_the_description_changes_only_affected_files() {
    let dir = setup("brewsecops");
    run(dir.path(), &["render", "-q"]);
    let tree = dir.path().join("infra/terraform");
    let before: Vec<(String, Vec<u8>)> = files(&tree)
        .into_iter()
        .map(|f| (f.clone(), fs::read(tree.join(&f)).unwrap()))
        .collect();
    edit_description(
        dir.path(),
        "services = { backend = { desired_count = 3 } }",
        "services = { backend = { desired_count = 4 } }",
    );
    let (code, _, err) = run(dir.path(), &["render", "-v"]);
    assert_eq!(code, 0, "{err}");
    let changed: Vec<String> = before
        .iter()
        .filter(|(f, b)| fs::read(tree.join(f)).unwrap() != *b)
        .map(|(f, _)| f.clone())
        .collect();
    assert_eq!(
        changed,
        [
            "brewgen.lock",
            "environments/prod/main.tf",
            "environments/prod/tests/prod.tftest.hcl"
        ]
    );
    assert!(err.contains("2 written, 73 unchanged, 0 deleted"), "{err}");
}

#[test]
fn removing_a_service_and_an_environment_deletes_their_files() {
    let dir = setup("brewsecops");
    run(dir.path(), &["render", "-q"]);
    let tree = dir.path().join("infra/terraform");
    fs::write(tree.join("environments/staging/extra.tf"), "# mine\n").unwrap();
    let p = dir.path().join("brewgen.toml");
    let text = fs::read_to_string(&p)
        .unwrap()
        .replace("[environments.staging]\n", "");
    fs::write(&p, text).unwrap();
    let (code, _, err) = run(dir.path(), &["render"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("deleted"), "{err}");
    assert!(!tree.join("environments/staging/main.tf").exists());
    // The user's own file, and so its directory, survive.
    assert_eq!(
        fs::read_to_string(tree.join("environments/staging/extra.tf")).unwrap(),
        "# mine\n"
    );
    assert!(
        !tree.join("environments/staging/tests").exists(),
        "emptied directories are removed"
    );
}

#[test]
fn removing_the_database_deletes_the_rds_module() {
    let dir = setup("brewsecops");
    run(dir.path(), &["render", "-q"]);
    let tree = dir.path().join("infra/terraform");
    let p = dir.path().join("brewgen.toml");
    let text = fs::read_to_string(&p).unwrap();
    let start = text.find("[database]").unwrap();
    let end = text[start..].find("\n\n").unwrap() + start;
    let text = format!("{}{}", &text[..start], &text[end..])
        .replace("database = true\n", "")
        .replace("database = { multi_az = false }\n", "");
    fs::write(&p, text).unwrap();
    let (code, _, err) = run(dir.path(), &["render"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("4 deleted"), "{err}");
    assert!(!tree.join("modules/rds").exists());
}

#[test]
fn hand_edits_are_refused_untouched_and_force_overwrites() {
    let dir = setup("minimal");
    run(dir.path(), &["render", "-q"]);
    let tree = dir.path().join("infra/terraform");
    let main = tree.join("environments/sandbox/main.tf");
    fs::write(&main, "# my change\n").unwrap();
    edit_description(dir.path(), "desired_count = 1", "desired_count = 2");
    let before = mtimes(&tree);
    let (code, _, err) = run(dir.path(), &["render"]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: refusing to overwrite 1 file in infra/terraform:\n  edited by hand             environments/sandbox/main.tf\nhelp: nothing was written. Either move the change into brewgen.toml, or into an `*_override.tf` file\n      beside the generated ones (brewgen never touches those), or re-run with --force to overwrite.\n"
    );
    assert_eq!(before, mtimes(&tree), "a refused render writes nothing");
    assert_eq!(fs::read_to_string(&main).unwrap(), "# my change\n");
    let (code, _, err) = run(dir.path(), &["render", "--force"]);
    assert_eq!(code, 0, "{err}");
    assert!(fs::read_to_string(&main)
        .unwrap()
        .starts_with("# Code generated by brewgen"));
}

#[test]
fn unowned_files_in_the_way_are_refused() {
    let dir = setup("minimal");
    let tree = dir.path().join("infra/terraform");
    fs::create_dir_all(tree.join("bootstrap")).unwrap();
    fs::write(tree.join("bootstrap/main.tf"), "# hand-written\n").unwrap();
    let (code, _, err) = run(dir.path(), &["render"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("not generated by brewgen   bootstrap/main.tf"),
        "{err}"
    );
    assert_eq!(files(&tree), ["bootstrap/main.tf"]);
}

#[test]
fn user_files_beside_generated_ones_survive_everything() {
    let dir = setup("minimal");
    run(dir.path(), &["render", "-q"]);
    let tree = dir.path().join("infra/terraform");
    let env = tree.join("environments/sandbox");
    fs::write(env.join("main_override.tf"), "# override\n").unwrap();
    fs::create_dir_all(env.join(".terraform")).unwrap();
    fs::write(env.join(".terraform.lock.hcl"), "# lock\n").unwrap();
    edit_description(dir.path(), "desired_count = 1", "desired_count = 2");
    assert_eq!(run(dir.path(), &["render", "-q"]).0, 0);
    assert_eq!(
        run(dir.path(), &["render", "--check", "-q"]).0,
        0,
        "user files are not orphans"
    );
    edit_description(dir.path(), "[environments.sandbox]", "[environments.play]");
    assert_eq!(run(dir.path(), &["render", "-q"]).0, 0);
    assert_eq!(
        fs::read_to_string(env.join("main_override.tf")).unwrap(),
        "# override\n"
    );
    assert_eq!(
        fs::read_to_string(env.join(".terraform.lock.hcl")).unwrap(),
        "# lock\n"
    );
    assert!(env.join(".terraform").is_dir());
    assert!(!env.join("main.tf").exists());
}

#[test]
fn check_exit_codes_and_file_list() {
    let dir = setup("minimal");
    let (code, _, err) = run(dir.path(), &["render", "--check"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("missing                    environments/sandbox/main.tf"),
        "{err}"
    );
    assert!(!dir.path().join("infra").exists(), "--check writes nothing");

    run(dir.path(), &["render", "-q"]);
    let (code, _, err) = run(dir.path(), &["render", "--check"]);
    assert_eq!(code, 0, "{err}");

    let tree = dir.path().join("infra/terraform");
    fs::write(tree.join("environments/sandbox/outputs.tf"), "# edited\n").unwrap();
    edit_description(dir.path(), "desired_count = 1", "desired_count = 2");
    let (code, _, err) = run(dir.path(), &["render", "--check"]);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "brewgen: infra/terraform is out of date with brewgen.toml:\n  stale                      environments/sandbox/main.tf\n  edited by hand             environments/sandbox/outputs.tf\n  stale                      environments/sandbox/tests/sandbox.tftest.hcl\nrun `brewgen render` to update it\n"
    );

    fs::write(dir.path().join("brewgen.toml"), "[project]\nname = 1\n").unwrap();
    assert_eq!(run(dir.path(), &["render", "--check"]).0, 2);
}

#[test]
fn diff_shows_what_render_would_change() {
    let dir = setup("minimal");
    run(dir.path(), &["render", "-q"]);
    edit_description(dir.path(), "desired_count = 1", "desired_count = 2");
    let tree = dir.path().join("infra/terraform");
    let before = mtimes(&tree);
    let (code, diff, _) = run(dir.path(), &["render", "--check", "--diff"]);
    assert_eq!(code, 1);
    assert_eq!(before, mtimes(&tree));
    insta::assert_snapshot!("diff_desired_count", diff);
}

#[cfg(unix)]
#[test]
fn read_only_output_directory_fails_cleanly() {
    use std::os::unix::fs::PermissionsExt;
    if unsafe_is_root() {
        eprintln!("SKIPPED: running as root, which ignores directory permissions");
        return;
    }
    let dir = setup("minimal");
    let out = dir.path().join("infra");
    fs::create_dir_all(&out).unwrap();
    fs::set_permissions(&out, fs::Permissions::from_mode(0o555)).unwrap();
    let (code, _, err) = run(dir.path(), &["render"]);
    fs::set_permissions(&out, fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: creating directory infra/terraform: "),
        "{err}"
    );
    assert!(err.ends_with("nothing was changed\n"), "{err}");
    assert!(files(&out).is_empty());
}

/// Whether the tests run as root (permissions are not enforced for root).
fn unsafe_is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// As root, permissions don't stop writes, so block a directory with a file instead: the render
/// must fail cleanly, leave nothing half-written and remove the directories it created.
#[test]
fn unwritable_output_path_fails_cleanly_and_leaves_nothing() {
    let dir = setup("minimal");
    let tree = dir.path().join("infra/terraform");
    fs::create_dir_all(&tree).unwrap();
    fs::write(tree.join("environments"), "in the way\n").unwrap();
    let (code, _, err) = run(dir.path(), &["render"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("error: creating directory infra/terraform/environments: "),
        "{err}"
    );
    assert!(err.ends_with("nothing was changed\n"), "{err}");
    assert_eq!(
        files(&tree),
        ["environments"],
        "no file or temporary file may be left behind"
    );
    assert_eq!(
        fs::read_dir(&tree).unwrap().count(),
        1,
        "created directories are removed again"
    );
}
