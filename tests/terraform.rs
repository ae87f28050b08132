//! The rendered tree is what terraform itself accepts: `fmt -check`, then for every root
//! `init -backend=false` (offline provider), `validate` and the generated `terraform test`.
//! Needs terraform and /opt/tf-plugins: required in CI, skipped with a reason elsewhere.

mod common;

use std::path::Path;

use common::*;

fn check_example(example: &str) {
    let Some(terraform) = terraform() else { return };
    let (_dir, tree) = render_example(example);
    let (ok, out) = tf(&terraform, &tree, &["fmt", "-check", "-recursive", "-diff"]);
    assert!(
        ok,
        "{example}: terraform fmt would change the output:\n{out}"
    );
    for root in roots(&tree) {
        let name = root.strip_prefix(&tree).unwrap().display().to_string();
        init(&terraform, &root);
        let (ok, out) = tf(&terraform, &root, &["validate"]);
        assert!(ok, "{example}/{name}: terraform validate failed:\n{out}");
        if root.join("tests").is_dir() {
            let (ok, out) = tf(&terraform, &root, &["test"]);
            assert!(ok, "{example}/{name}: terraform test failed:\n{out}");
            assert!(
                out.contains("Success!"),
                "{example}/{name}: terraform test ran nothing:\n{out}"
            );
        }
    }
}

fn init(terraform: &Path, root: &Path) {
    let (ok, out) = tf(
        terraform,
        root,
        &[
            "init",
            "-backend=false",
            &format!("-plugin-dir={PLUGIN_DIR}"),
            "-input=false",
        ],
    );
    assert!(ok, "terraform init failed in {}:\n{out}", root.display());
}

#[test]
fn brewsecops_passes_fmt_validate_and_test() {
    check_example("brewsecops");
}

#[test]
fn minimal_passes_fmt_validate_and_test() {
    check_example("minimal");
}

#[test]
fn every_root_has_a_generated_test() {
    for example in examples() {
        let (_dir, tree) = render_example(&example);
        for root in roots(&tree) {
            let tests = files(&root.join("tests"));
            assert_eq!(
                tests.len(),
                1,
                "{}: one .tftest.hcl expected",
                root.display()
            );
            let text = std::fs::read_to_string(root.join("tests").join(&tests[0])).unwrap();
            assert!(text.contains("command = plan"), "{}", root.display());
            // bootstrap's bucket has prevent_destroy, which the destroy after an apply run would hit.
            if !root.ends_with("bootstrap") {
                assert!(text.contains("command = apply"), "{}", root.display());
            }
            assert!(text.contains("mock_provider \"aws\""));
        }
    }
}

/// The generated assertions bite: change one value in a rendered module call and the
/// environment's own test fails with the assertion's message.
#[test]
fn generated_assertions_catch_a_changed_module_call() {
    let Some(terraform) = terraform() else { return };
    let (_dir, tree) = render_example("brewsecops");
    let root = tree.join("environments/dev");
    let main = std::fs::read_to_string(root.join("main.tf")).unwrap();
    assert!(main.contains("  multi_az              = false\n"));
    std::fs::write(
        root.join("main.tf"),
        main.replace(
            "  multi_az              = false\n",
            "  multi_az              = true\n",
        ),
    )
    .unwrap();
    init(&terraform, &root);
    let (ok, out) = tf(&terraform, &root, &["test"]);
    assert!(
        !ok,
        "terraform test passed although multi_az was changed:\n{out}"
    );
    assert!(
        out.contains("The database must not be Multi-AZ (database.multi_az = false)."),
        "{out}"
    );

    let main = std::fs::read_to_string(root.join("main.tf")).unwrap();
    std::fs::write(
        root.join("main.tf"),
        main.replace(
            "  multi_az              = true\n",
            "  multi_az              = false\n",
        )
        .replace(
            "single_nat_gateway      = true",
            "single_nat_gateway      = false",
        ),
    )
    .unwrap();
    let (ok, out) = tf(&terraform, &root, &["test"]);
    assert!(
        !ok,
        "terraform test passed although the NAT mode was changed:\n{out}"
    );
    assert!(
        out.contains("Expected 1 NAT gateway(s) (network.nat = \"single\")."),
        "{out}"
    );
}

/// brewgen's name-length checks and the modules' own variable validations agree: the longest
/// project, environment and service names that `validate` accepts render a tree whose plan and
/// apply pass every module validation (a name check in brewgen that is too lax fails here).
#[test]
fn longest_accepted_names_pass_the_modules_validations() {
    let Some(terraform) = terraform() else { return };
    let base = std::fs::read_to_string(root().join("examples/brewsecops/brewgen.toml")).unwrap();
    let with_names = |project: usize, env: usize, service: usize| -> String {
        let p = format!("p{}", "a".repeat(project - 1));
        let e = format!("e{}", "b".repeat(env - 1));
        let s = format!("s{}", "c".repeat(service - 1));
        base.replace("name = \"brewsecops\"\n", &format!("name = \"{p}\"\n"))
            .replace("[environments.dev]", &format!("[environments.{e}]"))
            .replace("[services.backend", &format!("[services.{s}"))
            .replace("backend = {", &format!("{s} = {{"))
    };
    // Grow each name as far as validation allows, project first.
    let accepted = |p, e, s| brewgen::compile(with_names(p, e, s).as_bytes()).is_ok();
    assert!(accepted(2, 2, 2), "short names are valid");
    let mut p = 2;
    while p < 20 && accepted(p + 1, 2, 2) {
        p += 1;
    }
    let mut e = 2;
    while e < 16 && accepted(p, e + 1, 2) {
        e += 1;
    }
    let mut s = 2;
    while s < 16 && accepted(p, e, s + 1) {
        s += 1;
    }
    assert!(
        !accepted(p, e + 1, s) || e == 16,
        "environment name limit found"
    );
    eprintln!("longest accepted names: project {p}, environment {e}, service {s} characters");
    let (_dir, tree) = render_description(&with_names(p, e, s));
    for root in roots(&tree) {
        init(&terraform, &root);
        let (ok, out) = tf(&terraform, &root, &["test"]);
        assert!(
            ok,
            "names of {p}/{e}/{s} characters: {} failed:\n{out}",
            root.display()
        );
    }
}
