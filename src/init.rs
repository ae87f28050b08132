//! `brewgen init`: from an empty directory to a repository that deploys, with CI that keeps
//! `brewgen.toml` and the generated tree honest.
//!
//! Like `render`, it works in stages and writes nothing until everything is known to succeed:
//! 1. answers: flags, then defaults (`--yes`) or prompts (only when stdin is a terminal);
//! 2. the description text, rendered from `templates/init/brewgen.toml.j2` with every value
//!    escaped as a TOML literal, then put through `compile`, so `--name Bad_Name` gets exactly
//!    the diagnostic the same line in a hand-written brewgen.toml would get;
//! 3. everything else from the validated model: the Terraform tree (`render`), the workflow and
//!    INFRASTRUCTURE.md (`templates/init/`), the schema and the merged `.gitignore`;
//! 4. conflicts (existing files, hand-edited tree) refuse the whole run unless `--force`;
//! 5. the tree is written first (all or nothing, by `write`), then the other files.

use std::fmt::Write as _;
use std::io::{self, BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use minijinja::value::Serde;
use minijinja::{context, Environment, UndefinedBehavior, Value};
use serde::Serialize;

use crate::cli::InitArgs;
use crate::diagnostic::{self, Diagnostic, Report};
use crate::model::Model;
use crate::render::{self, Tree, TEMPLATES};
use crate::write;
use crate::{compile, schema, Failure};

/// The description, relative to the initialised directory.
pub const DESCRIPTION: &str = "brewgen.toml";
/// The GitHub Actions workflow, relative to the initialised directory.
pub const WORKFLOW: &str = ".github/workflows/infrastructure.yml";
/// The deployment guide, relative to the initialised directory.
pub const GUIDE: &str = "INFRASTRUCTURE.md";
/// The files `init` writes whole and therefore never overwrites without `--force`.
pub const OWNED: &[&str] = &[DESCRIPTION, WORKFLOW, GUIDE];

/// Terraform CLI version the workflow installs.
pub const TERRAFORM_VERSION: &str = "1.11.4";
/// checkov version the workflow installs.
pub const CHECKOV_VERSION: &str = "3.3.30";

/// `.gitignore` lines for Terraform working files. `*.tfvars` is deliberately absent: the
/// generated `terraform.tfvars` holds no secrets and is committed; so are `*_override.tf` files.
pub const GITIGNORE: &[&str] = &[
    ".terraform/",
    "*.tfstate",
    "*.tfstate.*",
    "crash.log",
    "crash.*.log",
    "*.tfplan",
    ".terraformrc",
    "terraform.rc",
];

/// What the description is made from: flags, defaults or answers, not yet validated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Answers {
    pub name: Option<String>,
    pub region: Option<String>,
    /// `Some(None)`: explicitly no domain (`--no-domain`, or an empty answer).
    pub domain: Option<Option<String>>,
    pub github_repo: Option<String>,
    pub environments: Vec<String>,
    pub database: bool,
}

/// A value `init` needs, by the flag that sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    Name,
    Region,
    Domain,
    GithubRepo,
    Environments,
}

impl Flag {
    /// Every value, in the order they are asked for; all but the environments (which have a
    /// default list) are required.
    const ALL: [Flag; 5] = [
        Flag::Name,
        Flag::Region,
        Flag::Domain,
        Flag::GithubRepo,
        Flag::Environments,
    ];

    pub fn flag(self) -> &'static str {
        match self {
            Flag::Name => "--name",
            Flag::Region => "--region",
            Flag::Domain => "--domain",
            Flag::GithubRepo => "--github-repo",
            Flag::Environments => "--environments",
        }
    }

    fn what(self) -> &'static str {
        match self {
            Flag::Name => "the project name, e.g. --name shop",
            Flag::Region => "the AWS region, e.g. --region eu-central-1",
            Flag::Domain => {
                "the domain to serve at, e.g. --domain shop.example.com (or --no-domain for plain HTTP)"
            }
            Flag::GithubRepo => "the GitHub repository that deploys, e.g. --github-repo acme/shop",
            Flag::Environments => "the environments, e.g. --environments dev,staging,prod",
        }
    }

    fn question(self) -> &'static str {
        match self {
            Flag::Name => "Project name (prefixes every resource name)",
            Flag::Region => "AWS region, e.g. eu-central-1",
            Flag::Domain => "Domain to serve at (empty for none: plain HTTP only)",
            Flag::GithubRepo => "GitHub repository that deploys, owner/repo",
            Flag::Environments => "Environments, comma-separated, in promotion order",
        }
    }
}

impl Answers {
    fn from_args(args: &InitArgs) -> Self {
        Answers {
            name: args.name.clone(),
            region: args.region.clone(),
            domain: match (&args.domain, args.no_domain) {
                (_, true) => Some(None),
                (Some(d), false) => Some(Some(d.clone())),
                (None, false) => None,
            },
            github_repo: args.github_repo.clone(),
            environments: args
                .environments
                .iter()
                .map(|e| e.trim().to_string())
                .collect(),
            database: !args.no_database,
        }
    }

    fn is_set(&self, flag: Flag) -> bool {
        match flag {
            Flag::Name => self.name.is_some(),
            Flag::Region => self.region.is_some(),
            Flag::Domain => self.domain.is_some(),
            Flag::GithubRepo => self.github_repo.is_some(),
            Flag::Environments => !self.environments.is_empty(),
        }
    }

    fn clear(&mut self, flag: Flag) {
        match flag {
            Flag::Name => self.name = None,
            Flag::Region => self.region = None,
            Flag::Domain => self.domain = None,
            Flag::GithubRepo => self.github_repo = None,
            Flag::Environments => self.environments.clear(),
        }
    }

    fn set(&mut self, flag: Flag, value: String) {
        match flag {
            Flag::Name => self.name = Some(value),
            Flag::Region => self.region = Some(value),
            Flag::Domain => {
                self.domain = Some(Some(value).filter(|v| !v.is_empty()));
            }
            Flag::GithubRepo => self.github_repo = Some(value),
            Flag::Environments => {
                self.environments = value.split(',').map(|e| e.trim().to_string()).collect();
            }
        }
    }
}

/// The defaults `--yes` accepts and prompts offer.
#[derive(Debug, Clone, Default)]
pub struct Defaults {
    /// The directory's name, when it makes a valid project name.
    pub name: Option<String>,
    /// `owner/repo` of the `origin` remote, when it is on GitHub.
    pub github_repo: Option<String>,
}

impl Defaults {
    pub fn detect(dir: &Path) -> Self {
        let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        let name = absolute
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(project_name_from);
        Defaults {
            name,
            github_repo: origin_repo(&absolute),
        }
    }

    fn get(&self, flag: Flag) -> Option<&str> {
        match flag {
            Flag::Name => self.name.as_deref(),
            Flag::GithubRepo => self.github_repo.as_deref(),
            _ => None,
        }
    }
}

/// A project name made from a directory name, if one can be.
fn project_name_from(dir_name: &str) -> Option<String> {
    let mut out = String::new();
    for c in dir_name.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out: String = out
        .trim_start_matches(|c: char| !c.is_ascii_lowercase())
        .chars()
        .take(20)
        .collect();
    let out = out.trim_end_matches('-').to_string();
    crate::validate::is_name(&out, 2, 20).then_some(out)
}

/// `owner/repo` of the `origin` remote of the git checkout containing `dir`, if it is GitHub's.
fn origin_repo(dir: &Path) -> Option<String> {
    let config = dir
        .ancestors()
        .map(|d| d.join(".git").join("config"))
        .find(|p| p.is_file())?;
    let text = std::fs::read_to_string(config).ok()?;
    let mut in_origin = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_origin = line == "[remote \"origin\"]";
        } else if in_origin {
            if let Some(url) = line
                .strip_prefix("url")
                .and_then(|r| r.trim_start().strip_prefix('='))
            {
                return github_repo_of_url(url.trim());
            }
        }
    }
    None
}

/// `owner/repo` of a GitHub clone URL (https, ssh or scp-like).
pub fn github_repo_of_url(url: &str) -> Option<String> {
    let rest = [
        "https://github.com/",
        "http://github.com/",
        "ssh://git@github.com/",
        "git@github.com:",
        "git://github.com/",
    ]
    .iter()
    .find_map(|p| url.strip_prefix(p))?;
    let rest = rest.trim_end_matches('/');
    let rest = rest.strip_suffix(".git").unwrap_or(rest);
    let (owner, repo) = rest.split_once('/')?;
    (!owner.is_empty() && !repo.is_empty() && !repo.contains('/'))
        .then(|| format!("{owner}/{repo}"))
}

/// Asks for values on a terminal.
pub struct Prompter<'a> {
    pub input: &'a mut dyn BufRead,
    pub output: &'a mut dyn Write,
}

impl Prompter<'_> {
    /// Asks until the answer is not empty (or `allow_empty`); an empty answer takes the default.
    pub fn ask(&mut self, flag: Flag, default: Option<&str>) -> io::Result<String> {
        let allow_empty = flag == Flag::Domain;
        loop {
            match default {
                Some(d) => write!(self.output, "{} [{d}]: ", flag.question())?,
                None => write!(self.output, "{}: ", flag.question())?,
            }
            self.output.flush()?;
            let mut line = String::new();
            if self.input.read_line(&mut line)? == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!("no answer for {}", flag.flag()),
                ));
            }
            let answer = line.trim();
            match (answer, default) {
                ("", Some(d)) => return Ok(d.to_string()),
                ("", None) if !allow_empty => continue,
                _ => return Ok(answer.to_string()),
            }
        }
    }
}

/// How missing values are filled in.
pub enum Mode<'a> {
    /// Never ask: a missing value without a default is an error naming its flag.
    Batch { accept_defaults: bool },
    /// Ask on the terminal.
    Interactive(Prompter<'a>),
}

/// Fills in every missing value, or says which flags are missing.
pub fn complete(
    answers: &mut Answers,
    defaults: &Defaults,
    mode: &mut Mode<'_>,
) -> Result<(), Failure> {
    let mut missing = Vec::new();
    for flag in Flag::ALL {
        if answers.is_set(flag) {
            continue;
        }
        match mode {
            Mode::Batch {
                accept_defaults: true,
            } if defaults.get(flag).is_some() => {
                answers.set(flag, defaults.get(flag).unwrap_or_default().to_string());
            }
            Mode::Batch { .. } => missing.push(flag),
            Mode::Interactive(p) => {
                let answer = p
                    .ask(flag, defaults.get(flag))
                    .map_err(|e| Failure::trouble(format!("error: {e}\nnothing was written")))?;
                answers.set(flag, answer);
            }
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let mut msg = String::from(if missing.len() == 1 {
        "error: brewgen init needs a value it cannot ask for (stdin is not a terminal):\n"
    } else {
        "error: brewgen init needs values it cannot ask for (stdin is not a terminal):\n"
    });
    for flag in &missing {
        let mut what = flag.what().to_string();
        if let Some(d) = defaults.get(*flag) {
            let _ = write!(what, " (or --yes for \"{d}\")");
        }
        let _ = writeln!(msg, "  {:<15} {what}", flag.flag());
    }
    msg.push_str("nothing was written");
    Err(Failure::trouble(msg))
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .expect("default delimiters are valid"),
    );
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::None);
    env.add_filter("toml", toml_literal);
    env.add_filter("toml_key", toml_key);
    env.add_filter("yaml", yaml_scalar);
    for (name, source) in TEMPLATES.iter().filter(|(n, _)| n.starts_with("init/")) {
        env.add_template(name, source)
            .unwrap_or_else(|e| panic!("embedded template {name} does not compile: {e}"));
    }
    env
}

/// A TOML literal: strings as one-line basic strings, so no answer can break out of its value
/// (or out of a comment).
fn toml_literal(v: Value) -> String {
    match v.as_str() {
        Some(s) => toml_string(s),
        None => v.to_string(),
    }
}

fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML key: bare when it can be, quoted otherwise.
fn toml_key(s: String) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        s
    } else {
        toml_string(&s)
    }
}

/// A YAML scalar: plain when YAML reads it back as the same string, double-quoted otherwise.
fn yaml_scalar(s: String) -> String {
    const SPECIAL: &[&str] = &[
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~",
    ];
    let plain = !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
        && !SPECIAL.contains(&s.to_ascii_lowercase().as_str());
    if plain {
        s
    } else {
        serde_json::to_string(&s).expect("a string serializes")
    }
}

/// The text of `brewgen.toml` for these answers.
pub fn description(answers: &Answers) -> String {
    let env = environment();
    let name = answers.name.clone().unwrap_or_default();
    let region = answers.region.clone().unwrap_or_default();
    environment_render(
        &env,
        "init/brewgen.toml.j2",
        context! {
            a => Value::from(Serde(answers)),
            domain => answers.domain.clone().flatten(),
            schema_path => schema::PATH,
            bucket => format!("{name}-tfstate-{region}"),
            db_name => name.replace('-', "_"),
        },
    )
}

fn environment_render(env: &Environment<'_>, template: &str, ctx: Value) -> String {
    env.get_template(template)
        .and_then(|t| t.render(ctx))
        .unwrap_or_else(|e| panic!("templates/{template} failed: {e:#}"))
}

/// One service as the workflow sees it.
#[derive(Debug, Serialize)]
struct WorkflowService {
    name: String,
    /// The Terraform variable of its image tag.
    variable: String,
    /// The GitHub variable holding its image tag.
    github_variable: String,
}

/// The Terraform roots of a tree (directories CI runs terraform in), sorted.
pub fn roots(tree: &Tree) -> Vec<String> {
    let mut roots: Vec<String> = tree
        .keys()
        .filter(|p| !p.starts_with("modules/"))
        .filter_map(|p| p.strip_suffix("/versions.tf"))
        .map(str::to_string)
        .collect();
    roots.sort();
    roots.dedup();
    roots
}

/// The workflow and the guide for a validated model.
pub fn documents(model: &Model, promotion: &[String], tree: &Tree) -> (String, String) {
    let env = environment();
    let services: Vec<WorkflowService> = model
        .service_names
        .iter()
        .map(|s| WorkflowService {
            name: s.clone(),
            variable: format!("image_tag_{}", s.replace('-', "_")),
            github_variable: format!("IMAGE_TAG_{}", s.replace('-', "_").to_ascii_uppercase()),
        })
        .collect();
    let deploy: Vec<&crate::model::Environment> = promotion
        .iter()
        .filter_map(|name| model.environments.iter().find(|e| &e.name == name))
        .collect();
    // bootstrap, global, then the environments in promotion order: the order of first deployment.
    let order = |root: &String| -> (usize, usize) {
        match root.strip_prefix("environments/") {
            None if root == "bootstrap" => (0, 0),
            None if root == "global" => (1, 0),
            None => (3, 0),
            Some(e) => (
                2,
                promotion.iter().position(|p| p == e).unwrap_or(usize::MAX),
            ),
        }
    };
    let mut roots = roots(tree);
    roots.sort_by_key(order);
    let ctx = context! {
        project => Value::from(Serde(&model.project)),
        state => Value::from(Serde(&model.state)),
        environments => Value::from(Serde(&deploy)),
        services => Value::from(Serde(&services)),
        roots => roots,
        any_database => model.any_database,
        brewgen_version => env!("CARGO_PKG_VERSION"),
        terraform_version => TERRAFORM_VERSION,
        checkov_version => CHECKOV_VERSION,
        schema_path => schema::PATH,
        workflow_path => WORKFLOW,
    };
    (
        environment_render(&env, "init/infrastructure.yml.j2", ctx.clone()),
        environment_render(&env, "init/INFRASTRUCTURE.md.j2", ctx),
    )
}

/// `existing` with every Terraform line it lacks appended, or `None` when it has them all.
pub fn merge_gitignore(existing: Option<&str>) -> Option<String> {
    let present: Vec<&str> = existing
        .map(|t| t.lines().map(str::trim).collect())
        .unwrap_or_default();
    let missing: Vec<&str> = GITIGNORE
        .iter()
        .copied()
        .filter(|l| !present.contains(l))
        .collect();
    if missing.is_empty() {
        return None;
    }
    let mut text = existing.unwrap_or_default().to_string();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    if !text.is_empty() {
        text.push('\n');
    }
    text.push_str("# Terraform working files (added by brewgen init)\n");
    for line in missing {
        text.push_str(line);
        text.push('\n');
    }
    Some(text)
}

/// The flag whose value ended up at `offset` of the generated description, if any.
pub fn flag_at(text: &str, offset: usize) -> Option<Flag> {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[offset..]
        .find('\n')
        .map(|i| offset + i)
        .unwrap_or(text.len());
    let line = text[line_start..line_end].trim();
    if line.starts_with("[environments.") {
        return Some(Flag::Environments);
    }
    let header = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .unwrap_or("");
    let key = line.split('=').next().unwrap_or("").trim();
    match (header, key) {
        ("[project]", "name") => Some(Flag::Name),
        ("[project]", "region") => Some(Flag::Region),
        ("[project]", "domain") => Some(Flag::Domain),
        ("[project]", "github_repo") => Some(Flag::GithubRepo),
        (h, _) if h.starts_with("[environments.") => Some(Flag::Environments),
        _ => None,
    }
}

/// The flags behind the errors among `diags`.
fn flags_of(text: &str, diags: &[Diagnostic]) -> Vec<Flag> {
    let mut flags = Vec::new();
    for d in diags.iter().filter(|d| d.is_error()) {
        if let Some(f) = d.span.as_ref().and_then(|s| flag_at(text, s.start)) {
            if !flags.contains(&f) {
                flags.push(f);
            }
        }
    }
    flags
}

/// Environment names listed twice or empty, which TOML itself could not report well.
fn check_environment_list(envs: &[String]) -> Result<(), Failure> {
    if envs.is_empty() || envs.iter().any(String::is_empty) {
        return Err(Failure::trouble(
            "error: --environments has an empty name\nhelp: list names separated by commas, e.g. --environments dev,staging,prod\nnothing was written",
        ));
    }
    for (i, e) in envs.iter().enumerate() {
        if envs[..i].contains(e) {
            return Err(Failure::trouble(format!(
                "error: --environments lists `{}` twice\nnothing was written",
                e.escape_debug()
            )));
        }
    }
    Ok(())
}

fn report(text: &str, diagnostics: &[Diagnostic], color: bool) -> String {
    if diagnostics.is_empty() {
        return String::new();
    }
    Report {
        path: DESCRIPTION,
        source: text,
        diagnostics,
    }
    .render(color)
}

/// A file `init` writes besides the tree.
struct Output {
    path: &'static str,
    text: String,
    note: &'static str,
}

/// Fills in the answers and compiles the description they make, asking again on a terminal
/// for the values that fail validation. Returns the text, its model and its rendered warnings.
fn describe(
    answers: &mut Answers,
    defaults: &Defaults,
    mode: &mut Mode<'_>,
    color: bool,
) -> Result<(String, Model, String), Failure> {
    loop {
        complete(answers, defaults, mode)?;
        if let Err(e) = check_environment_list(&answers.environments) {
            if let Mode::Interactive(_) = mode {
                eprintln!("{}", e.message.trim_end_matches("\nnothing was written"));
                answers.clear(Flag::Environments);
                continue;
            }
            return Err(e);
        }
        let text = description(answers);
        match compile(text.as_bytes()) {
            Ok((model, warnings)) => {
                let warnings = report(&text, &warnings, color);
                return Ok((text, model, warnings));
            }
            Err(diags) => {
                let flags = flags_of(&text, &diags);
                let mut msg = report(&text, &diags, color);
                if let (Mode::Interactive(_), false) = (&*mode, flags.is_empty()) {
                    eprint!("{msg}");
                    for f in flags {
                        answers.clear(f);
                    }
                    continue;
                }
                match flags.as_slice() {
                    [] => msg.push_str(
                        "error: brewgen init generated an invalid brewgen.toml; please report this as a brewgen bug\nnothing was written",
                    ),
                    _ => {
                        let list: Vec<&str> = flags.iter().map(|f| f.flag()).collect();
                        let _ = write!(
                            msg,
                            "error: invalid value for {}; nothing was written",
                            list.join(", ")
                        );
                    }
                }
                return Err(Failure::trouble(msg));
            }
        }
    }
}

/// Runs `brewgen init`.
pub fn run(args: &InitArgs, color: bool) -> Result<u8, Failure> {
    let dir = &args.dir;
    let shown = |p: &str| -> String {
        if dir == Path::new(".") {
            p.to_string()
        } else {
            dir.join(p).display().to_string()
        }
    };
    let existing: Vec<&str> = OWNED
        .iter()
        .copied()
        .filter(|p| dir.join(p).exists())
        .collect();
    if !existing.is_empty() && !args.force {
        let mut msg = String::from("error: refusing to overwrite what is already there:\n");
        for p in &existing {
            let _ = writeln!(msg, "  {}", shown(p));
        }
        msg.push_str("help: nothing was changed. To change the description, edit brewgen.toml and run `brewgen render`;\n      to start over, re-run brewgen init with --force.");
        return Err(Failure::trouble(msg));
    }

    let mut answers = Answers::from_args(args);
    let defaults = Defaults::detect(dir);
    let mut stdin = io::stdin().lock();
    let mut stderr = io::stderr();
    let interactive = !args.yes && io::stdin().is_terminal();
    let mut mode = if interactive {
        Mode::Interactive(Prompter {
            input: &mut stdin,
            output: &mut stderr,
        })
    } else {
        Mode::Batch {
            accept_defaults: args.yes,
        }
    };

    let (text, model, warnings) = describe(&mut answers, &defaults, &mut mode, color)?;
    let tree = render::render(&model).map_err(|e| Failure::trouble(format!("error: {e}")))?;
    let out_dir = dir.join(&model.project.output);
    let plan = write::plan(&out_dir, &tree, &write::sha256(text.as_bytes()))
        .map_err(|e| Failure::trouble(format!("error: {e}\nnothing was written")))?;
    let conflicts = plan.conflicts();
    if !conflicts.is_empty() && !args.force {
        let mut msg = format!(
            "error: refusing to overwrite {} in {}:\n",
            diagnostic::plural(conflicts.len(), "file"),
            shown(&model.project.output)
        );
        for f in &conflicts {
            let _ = writeln!(msg, "  {:<26} {}", f.state.label(), f.path);
        }
        msg.push_str("help: nothing was written; re-run with --force to replace them");
        return Err(Failure::trouble(msg));
    }

    let (workflow, guide) = documents(&model, &answers.environments, &tree);
    let mut outputs = vec![
        Output {
            path: DESCRIPTION,
            text,
            note: "the description",
        },
        Output {
            path: schema::PATH,
            text: schema::text(),
            note: "its JSON Schema",
        },
        Output {
            path: WORKFLOW,
            text: workflow,
            note: "CI: checks on pull requests, plan and apply on main",
        },
        Output {
            path: GUIDE,
            text: guide,
            note: "how to deploy and change it",
        },
    ];
    let gitignore = dir.join(".gitignore");
    let existing_gitignore = match std::fs::read_to_string(&gitignore) {
        Ok(t) => Some(t),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(Failure::trouble(format!(
                "error: reading {}: {e}\nnothing was written",
                gitignore.display()
            )))
        }
    };
    if let Some(merged) = merge_gitignore(existing_gitignore.as_deref()) {
        outputs.push(Output {
            path: ".gitignore",
            text: merged,
            note: if existing_gitignore.is_some() {
                "Terraform entries added"
            } else {
                "Terraform entries"
            },
        });
    }

    let summary = write::apply(&plan, args.force)
        .map_err(|e| Failure::trouble(format!("error: {e}\nnothing was written")))?;
    for o in &outputs {
        write_file(&dir.join(o.path), &o.text)
            .map_err(|e| Failure::trouble(format!("error: {e}")))?;
    }

    if !warnings.is_empty() {
        eprint!("{warnings}");
    }
    let mut msg = String::from("brewgen: initialised\n");
    for o in &outputs {
        let _ = writeln!(msg, "  {:<37} {}", shown(o.path), o.note);
    }
    let mut tree_note = format!(
        "the Terraform tree: {} written, {} unchanged",
        summary.written.len(),
        summary.unchanged.len()
    );
    if !summary.deleted.is_empty() {
        let _ = write!(tree_note, ", {} deleted", summary.deleted.len());
    }
    let _ = writeln!(
        msg,
        "  {:<37} {tree_note}",
        format!("{}/", shown(&model.project.output))
    );
    msg.push_str("next: read INFRASTRUCTURE.md, then deploy bootstrap, global, and the environments, in that order\n");
    eprint!("{msg}");
    Ok(crate::exit::SUCCESS)
}

/// Writes a file through a temporary file beside it, creating its directory.
fn write_file(path: &Path, text: &str) -> io::Result<()> {
    let with_path =
        |e: io::Error| io::Error::new(e.kind(), format!("writing {}: {e}", path.display()));
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(with_path)?;
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp: PathBuf = path.with_file_name(format!(".{name}.brewgen-tmp"));
    std::fs::write(&tmp, text).map_err(with_path)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        with_path(e)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers() -> Answers {
        Answers {
            name: Some("shop".into()),
            region: Some("eu-central-1".into()),
            domain: Some(Some("shop.example.com".into())),
            github_repo: Some("acme/shop".into()),
            environments: vec!["dev".into(), "staging".into(), "prod".into()],
            database: true,
        }
    }

    #[test]
    fn every_combination_of_answers_compiles() {
        for database in [true, false] {
            for domain in [Some("shop.example.com".to_string()), None] {
                for envs in [
                    vec!["dev", "staging", "prod"],
                    vec!["live"],
                    vec!["prod", "dev2"],
                ] {
                    let a = Answers {
                        database,
                        domain: Some(domain.clone()),
                        environments: envs.iter().map(|e| e.to_string()).collect(),
                        ..answers()
                    };
                    let text = description(&a);
                    let (model, _) =
                        compile(text.as_bytes()).unwrap_or_else(|d| panic!("{d:#?}\n{text}"));
                    assert_eq!(model.any_database, database);
                    assert_eq!(model.project.domain, domain);
                    assert_eq!(model.environments.len(), envs.len());
                }
            }
        }
    }

    #[test]
    fn answers_cannot_break_out_of_their_toml_value() {
        let a = Answers {
            name: Some("x\"\n[waf]\nrate_limit = 1".into()),
            ..answers()
        };
        let text = description(&a);
        let errors = compile(text.as_bytes()).unwrap_err();
        assert!(
            errors.iter().all(|d| d.message.starts_with("project name")),
            "{errors:#?}"
        );
        assert_eq!(flags_of(&text, &errors), vec![Flag::Name]);
    }

    #[test]
    fn errors_map_back_to_their_flags() {
        let a = Answers {
            region: Some("mars-1".into()),
            domain: Some(Some("Not A Domain".into())),
            environments: vec!["dev".into(), "Bad_Env".into()],
            ..answers()
        };
        let text = description(&a);
        let errors = compile(text.as_bytes()).unwrap_err();
        let mut flags = flags_of(&text, &errors);
        flags.sort_by_key(|f| f.flag());
        assert_eq!(flags, vec![Flag::Domain, Flag::Environments, Flag::Region]);
    }

    #[test]
    fn prompts_offer_defaults_and_insist_on_required_values() {
        let mut input: &[u8] = b"\n\neu-west-1\n\n\n";
        let mut output = Vec::new();
        let mut a = Answers {
            environments: vec!["dev".into()],
            database: true,
            ..Answers::default()
        };
        let defaults = Defaults {
            name: Some("shop".into()),
            github_repo: Some("acme/shop".into()),
        };
        let mut mode = Mode::Interactive(Prompter {
            input: &mut input,
            output: &mut output,
        });
        complete(&mut a, &defaults, &mut mode).unwrap();
        assert_eq!(a.name.as_deref(), Some("shop"));
        assert_eq!(a.region.as_deref(), Some("eu-west-1"));
        assert_eq!(a.domain, Some(None));
        assert_eq!(a.github_repo.as_deref(), Some("acme/shop"));
        assert_eq!(
            String::from_utf8(output).unwrap(),
            "Project name (prefixes every resource name) [shop]: \
             AWS region, e.g. eu-central-1: \
             AWS region, e.g. eu-central-1: \
             Domain to serve at (empty for none: plain HTTP only): \
             GitHub repository that deploys, owner/repo [acme/shop]: "
        );
    }

    #[test]
    fn a_rejected_value_is_asked_again_on_a_terminal() {
        let mut input: &[u8] = b"dev,dev\ndev,Prod\nqa,prod\n";
        let mut output = Vec::new();
        let mut a = Answers {
            environments: vec![],
            ..answers()
        };
        let mut mode = Mode::Interactive(Prompter {
            input: &mut input,
            output: &mut output,
        });
        let (text, model, _) = describe(&mut a, &Defaults::default(), &mut mode, false).unwrap();
        assert!(text.contains("[environments.qa]"));
        assert_eq!(model.environments.len(), 2);
        assert_eq!(
            String::from_utf8(output)
                .unwrap()
                .matches("Environments, comma-separated")
                .count(),
            3
        );
    }

    #[test]
    fn batch_mode_names_every_missing_flag() {
        let mut a = Answers {
            region: Some("eu-west-1".into()),
            environments: vec!["dev".into()],
            ..Answers::default()
        };
        let defaults = Defaults {
            name: Some("shop".into()),
            github_repo: None,
        };
        let err = complete(
            &mut a,
            &defaults,
            &mut Mode::Batch {
                accept_defaults: false,
            },
        )
        .unwrap_err();
        assert_eq!(
            err.message,
            "error: brewgen init needs values it cannot ask for (stdin is not a terminal):\n  \
             --name          the project name, e.g. --name shop (or --yes for \"shop\")\n  \
             --domain        the domain to serve at, e.g. --domain shop.example.com (or --no-domain for plain HTTP)\n  \
             --github-repo   the GitHub repository that deploys, e.g. --github-repo acme/shop\n\
             nothing was written"
        );
        let mut a = Answers {
            region: Some("eu-west-1".into()),
            domain: Some(None),
            github_repo: Some("acme/shop".into()),
            environments: vec!["dev".into()],
            ..Answers::default()
        };
        complete(
            &mut a,
            &defaults,
            &mut Mode::Batch {
                accept_defaults: true,
            },
        )
        .unwrap();
        assert_eq!(a.name.as_deref(), Some("shop"));
    }

    #[test]
    fn project_names_from_directories() {
        assert_eq!(project_name_from("My_Shop"), Some("my-shop".into()));
        assert_eq!(project_name_from("2048-game"), Some("game".into()));
        assert_eq!(project_name_from("x"), None);
        assert_eq!(
            project_name_from("a-very-long-directory-name-indeed"),
            Some("a-very-long-director".into())
        );
    }

    #[test]
    fn github_repositories_from_remote_urls() {
        for url in [
            "git@github.com:acme/shop.git",
            "https://github.com/acme/shop",
            "https://github.com/acme/shop.git/",
            "ssh://git@github.com/acme/shop.git",
        ] {
            assert_eq!(
                github_repo_of_url(url).as_deref(),
                Some("acme/shop"),
                "{url}"
            );
        }
        assert_eq!(github_repo_of_url("https://gitlab.com/acme/shop.git"), None);
    }

    #[test]
    fn gitignore_lines_are_added_once_and_nothing_is_lost() {
        let merged = merge_gitignore(Some("node_modules/\n*.tfstate")).unwrap();
        assert!(merged.starts_with("node_modules/\n*.tfstate\n\n# Terraform"));
        assert_eq!(merged.matches("*.tfstate\n").count(), 1);
        assert_eq!(merge_gitignore(Some(&merged)), None);
        assert!(merge_gitignore(None).unwrap().starts_with("# Terraform"));
    }

    #[test]
    fn yaml_scalars_that_yaml_would_misread_are_quoted() {
        assert_eq!(yaml_scalar("dev".into()), "dev");
        assert_eq!(yaml_scalar("on".into()), "\"on\"");
        assert_eq!(yaml_scalar("No".into()), "\"No\"");
        assert_eq!(yaml_scalar("1abc".into()), "\"1abc\"");
    }
}
