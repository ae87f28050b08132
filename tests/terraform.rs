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
