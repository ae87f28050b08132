//! Every example renders to a reviewed snapshot, byte-stable and independent of where it runs.

mod common;

use common::*;

#[test]
fn every_generated_file_matches_its_snapshot() {
    for example in examples() {
        let text =
            std::fs::read(root().join("examples").join(&example).join("brewgen.toml")).unwrap();
        let (model, _) =
            brewgen::compile(&text).unwrap_or_else(|d| panic!("{example} is invalid: {d:?}"));
        let tree = brewgen::render::render(&model).unwrap();
        let list: Vec<&str> = tree.keys().map(String::as_str).collect();
        insta::assert_snapshot!(format!("{example}__files"), list.join("\n"));
        for (path, text) in &tree {
            insta::assert_snapshot!(format!("{example}__{}", path.replace('/', "__")), text);
        }
    }
}

#[test]
fn output_is_byte_stable_across_runs_and_working_directories() {
    for example in examples() {
        let (dir, tree) = render_example(&example);
        // Render again from another working directory with --config and --out pointing back.
        let elsewhere = tempfile::tempdir().unwrap();
        let config = dir.path().join("brewgen.toml");
        let out2 = elsewhere.path().join("second");
        let out = brewgen(
            elsewhere.path(),
            &[
                "render",
                "-q",
                "-c",
                config.to_str().unwrap(),
                "-o",
                out2.to_str().unwrap(),
            ],
        );
        assert!(out.status.success());
        let a = files(&tree);
        assert_eq!(a, files(&out2), "{example}: file lists differ");
        for f in &a {
            let x = std::fs::read(tree.join(f)).unwrap();
            let y = std::fs::read(out2.join(f)).unwrap();
            assert!(x == y, "{example}: {f} differs between runs");
            if f.ends_with(".tf") || f.ends_with(".hcl") || f.ends_with(".tfvars") {
                let s = String::from_utf8(x).unwrap();
                assert!(
                    s.starts_with(brewgen::render::HEADER),
                    "{f} lacks the generated-code header"
                );
                assert!(
                    s.ends_with('\n') && !s.ends_with("\n\n"),
                    "{f}: exactly one final newline"
                );
                assert!(!s.contains('\r'), "{f}: LF only");
                assert!(
                    !s.lines().any(|l| l.ends_with(' ') || l.ends_with('\t')),
                    "{f}: trailing whitespace"
                );
                for absolute in [
                    dir.path().to_str().unwrap(),
                    elsewhere.path().to_str().unwrap(),
                    env!("CARGO_MANIFEST_DIR"),
                ] {
                    assert!(!s.contains(absolute), "{f}: absolute path {absolute}");
                }
            }
        }
    }
}

#[test]
fn only_needed_modules_are_generated() {
    let (_d, tree) = render_example("minimal");
    let modules: Vec<String> = std::fs::read_dir(tree.join("modules"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    for absent in ["rds", "acm", "route53", "waf", "oidc"] {
        assert!(
            !modules.contains(&absent.to_string()),
            "minimal needs no {absent} module"
        );
    }
    let (_d, tree) = render_example("brewsecops");
    let mut modules: Vec<String> = std::fs::read_dir(tree.join("modules"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    modules.sort();
    assert_eq!(
        modules,
        [
            "acm",
            "alb",
            "ecr",
            "ecs-cluster",
            "ecs-service",
            "oidc",
            "rds",
            "route53",
            "security-groups",
            "vpc",
            "waf"
        ]
    );
}
