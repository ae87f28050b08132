//! `brewgen init`, `brewgen schema` and `brewgen completions`, run as the real binary in
//! temporary directories, with stdin closed as in CI.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{brewgen, contents, tf, PLUGIN_DIR};
use serde_json::Value;

const WORKFLOW: &str = ".github/workflows/infrastructure.yml";

const FLAGS: &[&str] = &[
    "--name",
    "shop",
    "--region",
    "eu-central-1",
    "--domain",
    "shop.example.com",
    "--github-repo",
    "acme/shop",
];

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `brewgen init` with the usual flags plus `extra`, which must succeed.
fn init(dir: &Path, extra: &[&str]) -> Output {
    let args: Vec<&str> = ["init"].iter().chain(FLAGS).chain(extra).copied().collect();
    let out = brewgen(dir, &args);
    assert_eq!(out.status.code(), Some(0), "init failed:\n{}", stderr(&out));
    out
}

fn read(dir: &Path, path: &str) -> String {
    std::fs::read_to_string(dir.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn workflow_yaml(dir: &Path) -> Value {
    serde_norway::from_str(&read(dir, WORKFLOW)).expect("the workflow is valid YAML")
}

fn schema() -> Value {
    let out = brewgen(Path::new("."), &["schema"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("brewgen schema prints JSON")
}

fn toml_to_json(text: &str) -> Value {
    toml::from_str(text).expect("valid TOML")
}

fn schema_errors(validator: &jsonschema::Validator, text: &str) -> Vec<String> {
    let instance = toml_to_json(text);
    validator
        .iter_errors(&instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn init_writes_every_file_and_render_check_passes_right_after() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let out = init(dir, &[]);
    for path in [
        "brewgen.toml",
        ".brewgen/brewgen.schema.json",
        WORKFLOW,
        "INFRASTRUCTURE.md",
        ".gitignore",
        "infra/terraform/brewgen.lock",
        "infra/terraform/bootstrap/main.tf",
        "infra/terraform/global/main.tf",
        "infra/terraform/environments/dev/main.tf",
        "infra/terraform/environments/staging/main.tf",
        "infra/terraform/environments/prod/main.tf",
    ] {
        assert!(dir.join(path).is_file(), "{path} is missing");
    }
    let err = stderr(&out);
    assert!(err.starts_with("brewgen: initialised\n"), "{err}");
    assert!(err.ends_with(
        "next: read INFRASTRUCTURE.md, then deploy bootstrap, global, and the environments, in that order\n"
    ));

    let check = brewgen(dir, &["render", "--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    let validate = brewgen(dir, &["validate", "--deny-warnings"]);
    assert_eq!(validate.status.code(), Some(0), "{}", stderr(&validate));
}

#[test]
fn init_into_a_new_directory_creates_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = brewgen(tmp.path(), &[&["init", "repo/infra"], FLAGS].concat());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let dir = tmp.path().join("repo/infra");
    assert!(dir.join("brewgen.toml").is_file());
    let check = brewgen(&dir, &["render", "--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert!(
        stderr(&out).contains("  repo/infra/brewgen.toml "),
        "{}",
        stderr(&out)
    );
}

/// Every root of the generated tree passes `terraform fmt`, `init`, `validate` and `test`
/// offline, exactly as the generated workflow's pull request jobs run them.
#[test]
fn init_tree_passes_terraform_fmt_validate_and_test() {
    let Some(terraform) = common::terraform() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    init(dir, &[]);
    let tree = dir.join("infra/terraform");
    let run = |cwd: &Path, args: &[&str]| {
        let (ok, out) = tf(&terraform, cwd, args);
        assert!(
            ok,
            "terraform {} in {} failed:\n{out}",
            args.join(" "),
            cwd.display()
        );
    };
    run(&tree, &["fmt", "-check", "-recursive"]);

    let roots: Vec<String> = workflow_yaml(dir)["jobs"]["validate"]["strategy"]["matrix"]["root"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_string())
        .collect();
    std::thread::scope(|s| {
        for root in &roots {
            let cwd = tree.join(root);
            let run = &run;
            s.spawn(move || {
                let plugin_dir = format!("-plugin-dir={PLUGIN_DIR}");
                run(
                    &cwd,
                    &["init", "-backend=false", &plugin_dir, "-input=false"],
                );
                run(&cwd, &["validate"]);
                run(&cwd, &["test"]);
            });
        }
    });
}

/// The workflow's checkov job, run as the workflow runs it, passes on the init tree.
#[test]
fn init_tree_passes_the_workflows_checkov_scan() {
    let Some(checkov) = common::checkov() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    init(dir, &[]);
    let steps = workflow_yaml(dir)["jobs"]["checkov"]["steps"].clone();
    let command = steps
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["run"].as_str())
        .find(|r| r.starts_with("checkov "))
        .expect("a checkov step")
        .to_string();
    let out = Command::new(&checkov)
        .args(command.split_whitespace().skip(1))
        // No network here; in CI the scan may fetch its guideline links.
        .arg("--skip-download")
        .current_dir(dir)
        .output()
        .expect("checkov runs");
    assert!(
        out.status.success(),
        "`{command}` fails on the init tree:\n{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("Failed checks: 0"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn second_init_without_force_exits_2_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    init(dir, &[]);
    let before = contents(dir);
    let out = brewgen(dir, &[&["init"], FLAGS].concat());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: refusing to overwrite what is already there:\n  \
         brewgen.toml\n  \
         .github/workflows/infrastructure.yml\n  \
         INFRASTRUCTURE.md\n\
         help: nothing was changed. To change the description, edit brewgen.toml and run `brewgen render`;\n      \
         to start over, re-run brewgen init with --force.\n"
    );
    assert_eq!(contents(dir), before, "a refused init changed files");
}

#[test]
fn an_existing_workflow_alone_is_refused_too() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join(".github/workflows")).unwrap();
    std::fs::write(dir.join(WORKFLOW), "name: mine\n").unwrap();
    let before = contents(dir);
    let out = brewgen(dir, &[&["init"], FLAGS].concat());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).starts_with(
        "error: refusing to overwrite what is already there:\n  .github/workflows/infrastructure.yml\nhelp: nothing was changed."
    ));
    assert_eq!(contents(dir), before);
}

#[test]
fn force_starts_over_and_the_tree_stays_up_to_date() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    init(dir, &[]);
    let out = brewgen(
        dir,
        &[
            "init",
            "--force",
            "--name",
            "store",
            "--region",
            "eu-west-1",
            "--no-domain",
            "--github-repo",
            "acme/store",
            "--environments",
            "staging,prod",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(read(dir, "brewgen.toml").contains("name = \"store\""));
    assert!(!dir.join("infra/terraform/environments/dev").exists());
    let check = brewgen(dir, &["render", "--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
}

#[test]
fn init_keeps_an_existing_gitignore() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mine = "node_modules/\n.env\n*.tfstate\n!keep.tfstate";
    std::fs::write(dir.join(".gitignore"), mine).unwrap();
    init(dir, &[]);
    let merged = read(dir, ".gitignore");
    assert!(
        merged.starts_with(&format!(
            "{mine}\n\n# Terraform working files (added by brewgen init)\n"
        )),
        "{merged}"
    );
    for line in [
        ".terraform/",
        "*.tfstate",
        "*.tfstate.*",
        "crash.log",
        "*.tfplan",
    ] {
        assert_eq!(
            merged.lines().filter(|l| *l == line).count(),
            1,
            "{line} in:\n{merged}"
        );
    }
    assert!(
        !merged.lines().any(|l| l.contains("tfvars")),
        "terraform.tfvars is committed"
    );

    init(dir, &["--force"]);
    assert_eq!(
        read(dir, ".gitignore"),
        merged,
        "a second merge added lines again"
    );
}

#[test]
fn missing_values_are_errors_naming_their_flags() {
    let tmp = tempfile::tempdir().unwrap();
    let out = brewgen(tmp.path(), &["init", "shop", "--region", "eu-central-1"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: brewgen init needs values it cannot ask for (stdin is not a terminal):\n  \
         --name          the project name, e.g. --name shop (or --yes for \"shop\")\n  \
         --domain        the domain to serve at, e.g. --domain shop.example.com (or --no-domain for plain HTTP)\n  \
         --github-repo   the GitHub repository that deploys, e.g. --github-repo acme/shop\n\
         nothing was written\n"
    );
    assert!(!tmp.path().join("shop").exists());
}

#[test]
fn yes_takes_the_name_from_the_directory_and_the_repository_from_origin() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("My_Shop");
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::write(
        dir.join(".git/config"),
        "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = git@github.com:acme/my-shop.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n",
    )
    .unwrap();
    let out = brewgen(
        &dir,
        &["init", "--yes", "--region", "eu-west-1", "--no-domain"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let description = read(&dir, "brewgen.toml");
    assert!(
        description.contains("\nname = \"my-shop\"\n"),
        "{description}"
    );
    assert!(description.contains("\ngithub_repo = \"acme/my-shop\"\n"));
    assert!(description.contains("\n# domain = \"example.com\"\n"));
    assert!(
        stderr(&out)
            .contains("warning: no `domain`: the load balancer serves plain HTTP without TLS"),
        "{}",
        stderr(&out)
    );
}

/// A bad flag value gets exactly the diagnostic that the same value in a hand-written
/// brewgen.toml gets from `brewgen validate`, then the flag to fix.
#[test]
fn invalid_flag_values_get_the_same_diagnostics_as_the_toml() {
    let tmp = tempfile::tempdir().unwrap();
    let good = tmp.path().join("good");
    std::fs::create_dir(&good).unwrap();
    init(&good, &[]);

    for (flag, bad, line) in [
        ("--name", "Bad_Name", "name = \"shop\""),
        ("--region", "mars-1", "region = \"eu-central-1\""),
        ("--domain", "Shop.Example", "domain = \"shop.example.com\""),
        ("--github-repo", "not a repo", "github_repo = \"acme/shop\""),
    ] {
        let dir = tmp.path().join(&flag[2..]);
        std::fs::create_dir(&dir).unwrap();
        let mut args: Vec<&str> = vec!["init"];
        args.extend(FLAGS);
        let i = args.iter().position(|a| *a == flag).unwrap();
        args[i + 1] = bad;
        let out = brewgen(&dir, &args);
        assert_eq!(out.status.code(), Some(2), "{flag}");
        assert!(contents(&dir).is_empty(), "{flag}: something was written");

        let hand_written = read(&good, "brewgen.toml").replacen(
            line,
            &line.replace(line.split('"').nth(1).unwrap(), bad),
            1,
        );
        std::fs::write(dir.join("brewgen.toml"), hand_written).unwrap();
        let validate = brewgen(&dir, &["validate"]);
        assert_eq!(validate.status.code(), Some(2));
        assert_eq!(
            stderr(&out),
            format!(
                "{}error: invalid value for {flag}; nothing was written\n",
                stderr(&validate)
            )
        );
    }
}

#[test]
fn bad_environment_lists_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    for (list, message) in [
        ("dev,dev", "error: --environments lists `dev` twice\nnothing was written\n"),
        (
            "dev,,prod",
            "error: --environments has an empty name\nhelp: list names separated by commas, e.g. --environments dev,staging,prod\nnothing was written\n",
        ),
    ] {
        let out = brewgen(tmp.path(), &[&["init"], FLAGS, &["--environments", list]].concat());
        assert_eq!(out.status.code(), Some(2), "{list}");
        assert_eq!(stderr(&out), message);
    }
    let out = brewgen(
        tmp.path(),
        &[&["init"], FLAGS, &["--environments", "dev,Prod"]].concat(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("error: environment name `Prod` is not valid"),
        "{err}"
    );
    assert!(
        err.ends_with("error: invalid value for --environments; nothing was written\n"),
        "{err}"
    );
    assert!(contents(tmp.path()).is_empty());
}

#[test]
fn no_database_no_domain_and_other_environments() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let out = brewgen(
        dir,
        &[
            "init",
            "--name",
            "api",
            "--region",
            "us-east-1",
            "--no-domain",
            "--github-repo",
            "acme/api",
            "--environments",
            "test,live",
            "--no-database",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let description = read(dir, "brewgen.toml");
    assert!(!description.contains("\n[database]\n"), "{description}");
    assert!(!description.contains("database = true"));
    let tree = dir.join("infra/terraform");
    assert!(!tree.join("modules/rds").exists());
    assert!(!tree.join("modules/acm").exists());
    let roots = &workflow_yaml(dir)["jobs"]["validate"]["strategy"]["matrix"]["root"];
    assert_eq!(
        roots,
        &serde_json::json!([
            "bootstrap",
            "global",
            "environments/test",
            "environments/live"
        ])
    );
    let check = brewgen(dir, &["render", "--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
}

/// The workflow parses, and every path, environment, role and variable it names is one the
/// generated tree really has.
#[test]
fn workflow_is_yaml_that_refers_to_the_generated_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    init(dir, &[]);
    let text = read(dir, WORKFLOW);
    let wf = workflow_yaml(dir);
    let jobs = wf["jobs"].as_object().unwrap();
    let tree = dir.join("infra/terraform");

    // Triggers: pull requests, pushes to main, and by hand.
    assert!(wf["on"]["pull_request"].is_object());
    assert_eq!(wf["on"]["push"]["branches"], serde_json::json!(["main"]));
    assert_eq!(wf["permissions"], serde_json::json!({ "contents": "read" }));

    // Pull request checks.
    let runs = |job: &str| -> Vec<String> {
        jobs[job]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["run"].as_str().map(str::to_string))
            .collect()
    };
    assert!(runs("render").contains(&"brewgen render --check --diff".to_string()));
    assert!(
        runs("fmt").contains(&"terraform fmt -check -recursive -diff infra/terraform".to_string())
    );
    assert_eq!(
        runs("validate"),
        [
            "terraform init -backend=false",
            "terraform validate",
            "terraform test"
        ]
    );
    assert!(runs("checkov")
        .iter()
        .any(|r| r.starts_with("checkov --directory infra/terraform ")));
    let roots = jobs["validate"]["strategy"]["matrix"]["root"]
        .as_array()
        .unwrap();
    assert_eq!(roots.len(), 5);
    for root in roots {
        let root = root.as_str().unwrap();
        assert!(
            tree.join(root).join("versions.tf").is_file(),
            "{root} is not a root"
        );
    }
    assert_eq!(
        jobs["validate"]["defaults"]["run"]["working-directory"],
        "infra/terraform/${{ matrix.root }}"
    );

    // Deployment: plan and apply per environment, in promotion order, in its GitHub environment.
    let variables = read(dir, "infra/terraform/environments/dev/variables.tf");
    let image_tags: Vec<&str> = variables
        .lines()
        .filter_map(|l| l.strip_prefix("variable \""))
        .filter_map(|l| l.split('"').next())
        .filter(|v| v.starts_with("image_tag_"))
        .collect();
    assert_eq!(image_tags, ["image_tag_backend", "image_tag_frontend"]);
    let oidc = read(dir, "infra/terraform/modules/oidc/main.tf");
    assert!(oidc.contains("name                 = \"${var.name}-${each.key}-deploy\""));
    let mut previous: Option<&str> = None;
    for env in ["dev", "staging", "prod"] {
        let plan = &jobs[&format!("plan-{env}")];
        let apply = &jobs[&format!("apply-{env}")];
        assert_eq!(plan["environment"], env);
        assert_eq!(apply["environment"], env);
        assert_eq!(apply["needs"], format!("plan-{env}"));
        match previous {
            None => assert_eq!(
                plan["needs"],
                serde_json::json!(["render", "fmt", "validate", "checkov"])
            ),
            Some(p) => assert_eq!(
                plan["needs"],
                serde_json::json!([format!("plan-{p}"), format!("apply-{p}")])
            ),
        }
        previous = Some(env);
        let root = format!("infra/terraform/environments/{env}");
        assert!(tree.join(format!("environments/{env}")).is_dir());
        for job in [plan, apply] {
            assert_eq!(job["permissions"]["id-token"], "write");
            assert_eq!(job["defaults"]["run"]["working-directory"], root.as_str());
            let credentials = job["steps"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| {
                    s["uses"]
                        .as_str()
                        .is_some_and(|u| u.starts_with("aws-actions/configure-aws-credentials@"))
                })
                .expect("an OIDC credentials step");
            assert_eq!(
                credentials["with"]["role-to-assume"],
                format!("arn:aws:iam::${{{{ vars.AWS_ACCOUNT_ID }}}}:role/shop-{env}-deploy")
            );
            assert_eq!(credentials["with"]["aws-region"], "eu-central-1");
            assert!(job["steps"]
                .as_array()
                .unwrap()
                .iter()
                .all(|s| s["with"]["aws-access-key-id"].is_null()));
        }
        let plan_run = plan["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == "plan")
            .unwrap()["run"]
            .as_str()
            .unwrap();
        assert!(plan_run.contains(&format!(
            "terraform plan -detailed-exitcode -out={env}.tfplan"
        )));
        for var in &image_tags {
            let github = var.to_ascii_uppercase();
            assert!(
                plan_run.contains(&format!("-var \"{var}=${{{github}}}\"")),
                "{plan_run}"
            );
            assert_eq!(plan["env"][&github], format!("${{{{ vars.{github} }}}}"));
        }
        assert!(runs(&format!("apply-{env}")).contains(&format!("terraform apply {env}.tfplan")));
    }

    // Every action is pinned to a full commit SHA.
    let uses: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().trim_start_matches("- ").strip_prefix("uses: "))
        .collect();
    assert!(uses.len() > 10);
    for u in uses {
        let (_, rest) = u.split_once('@').unwrap();
        let sha = rest.split_whitespace().next().unwrap();
        assert!(
            sha.len() == 40 && sha.chars().all(|c| c.is_ascii_hexdigit()),
            "{u} is not pinned to a commit"
        );
        assert!(
            rest.contains(" # v"),
            "{u} does not say which version it is"
        );
    }
}

#[test]
fn generated_files_snapshots() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    init(dir, &[]);
    insta::assert_snapshot!("brewgen_toml", read(dir, "brewgen.toml"));
    insta::assert_snapshot!("workflow", read(dir, WORKFLOW));
    insta::assert_snapshot!("infrastructure_md", read(dir, "INFRASTRUCTURE.md"));
}

#[test]
fn the_description_points_editors_at_the_schema_init_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    init(dir, &[]);
    let description = read(dir, "brewgen.toml");
    let first = description.lines().next().unwrap();
    assert_eq!(first, "#:schema ./.brewgen/brewgen.schema.json");
    // Taplo resolves the path relative to the document; Tombi wants a blank line after it.
    assert_eq!(description.lines().nth(1), Some(""));
    let written = read(dir, first.trim_start_matches("#:schema ./"));
    let printed = brewgen(dir, &["schema"]);
    assert_eq!(written, stdout(&printed));
}

#[test]
fn the_description_shows_every_key_of_the_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    init(dir, &[]);
    let description = read(dir, "brewgen.toml");
    fn keys(schema: &Value, out: &mut Vec<String>) {
        if let Some(props) = schema["properties"].as_object() {
            for (k, v) in props {
                out.push(k.clone());
                keys(v, out);
            }
        }
        if schema["additionalProperties"].is_object() {
            keys(&schema["additionalProperties"], out);
        }
    }
    let mut all = Vec::new();
    keys(&schema(), &mut all);
    for key in all {
        let shown = description.contains(&format!("{key} ="))
            || description.contains(&format!("[{key}]"))
            || description.contains(&format!(".{key}]"))
            || description.contains(&format!("[{key}."));
        assert!(shown, "brewgen.toml written by init does not show `{key}`");
    }
}

#[test]
fn schema_validates_every_example_and_the_init_description() {
    let validator = jsonschema::validator_for(&schema()).expect("a valid JSON Schema");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let mut seen = 0;
    for entry in std::fs::read_dir(&examples).unwrap().flatten() {
        let path = entry.path().join("brewgen.toml");
        if !path.is_file() {
            continue;
        }
        seen += 1;
        let errors = schema_errors(&validator, &std::fs::read_to_string(&path).unwrap());
        assert!(
            errors.is_empty(),
            "{}:\n{}",
            path.display(),
            errors.join("\n")
        );
    }
    assert!(seen >= 2, "no examples found in {}", examples.display());

    let tmp = tempfile::tempdir().unwrap();
    init(tmp.path(), &[]);
    let errors = schema_errors(&validator, &read(tmp.path(), "brewgen.toml"));
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn schema_rejects_invalid_descriptions() {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let example = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/brewsecops/brewgen.toml"),
    )
    .unwrap();
    for (what, from, to, path) in [
        (
            "an unknown key",
            "az_count = 2",
            "az_count = 2\ncidr_block = \"10.0.0.0/16\"",
            "/network",
        ),
        (
            "a wrong type",
            "az_count = 2",
            "az_count = \"2\"",
            "/network/az_count",
        ),
        (
            "a misspelt value",
            "nat = \"per-az\"",
            "nat = \"per_az\"",
            "/network/nat",
        ),
        (
            "an unknown region",
            "region = \"eu-central-1\"",
            "region = \"eu-central-9\"",
            "/project/region",
        ),
        (
            "a missing region",
            "region = \"eu-central-1\"\n",
            "",
            "/project",
        ),
        (
            "a bad project name",
            "name = \"brewsecops\"",
            "name = \"Brew_SecOps\"",
            "/project/name",
        ),
        (
            "an unknown rule group",
            "\"sqli\"]",
            "\"sqlinjection\"]",
            "/waf/managed_rules/2",
        ),
        (
            "a typo in an override",
            "database = { multi_az = false }",
            "database = { multiaz = false }",
            "/environments/dev/database",
        ),
    ] {
        assert!(
            example.contains(from),
            "{what}: `{from}` is not in the example"
        );
        let errors = schema_errors(&validator, &example.replacen(from, to, 1));
        assert!(
            errors.iter().any(|e| e.starts_with(&format!("{path}: "))),
            "{what} was not rejected at {path}: {errors:?}"
        );
    }
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = brewgen(Path::new("."), &["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        for word in ["init", "render", "schema", "github-repo"] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    let out = brewgen(Path::new("."), &["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn every_command_has_help_with_examples() {
    for command in ["init", "completions", "schema", "render", "validate"] {
        let out = brewgen(Path::new("."), &[command, "--help"]);
        assert_eq!(out.status.code(), Some(0), "{command}");
        assert!(
            stdout(&out).contains("Examples:"),
            "{command} --help has no examples"
        );
    }
    let help = stdout(&brewgen(Path::new("."), &["init", "--help"]));
    for flag in [
        "--name",
        "--region",
        "--domain",
        "--no-domain",
        "--github-repo",
        "--environments",
        "--database",
        "--no-database",
        "--yes",
        "--force",
    ] {
        assert!(help.contains(flag), "init --help does not mention {flag}");
    }
    let version = brewgen(Path::new("."), &["init", "--version"]);
    assert_eq!(
        stdout(&version),
        format!("brewgen-init {}\n", env!("CARGO_PKG_VERSION"))
    );
}

/// The workflow scans with the same checkov the test suite proves the tree clean with.
#[test]
fn the_workflow_pins_the_checkov_the_tests_use() {
    let tmp = tempfile::tempdir().unwrap();
    init(tmp.path(), &[]);
    let pinned = workflow_yaml(tmp.path())["env"]["CHECKOV_VERSION"]
        .as_str()
        .unwrap()
        .to_string();
    let requirements =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("requirements-dev.txt"))
            .unwrap();
    assert!(
        requirements
            .lines()
            .any(|l| l.trim() == format!("checkov=={pinned}")),
        "requirements-dev.txt does not pin checkov=={pinned}"
    );
}
