//! brewgen: one `brewgen.toml` in, a complete BrewSecOps Terraform tree out.
//!
//! The pipeline, in order, each stage testable on its own:
//! 1. `load`: bytes → raw serde structs (`raw`), TOML and type errors as diagnostics;
//! 2. `validate`: raw → typed `model`, every problem collected with its span and a fix;
//! 3. `render`: model → in-memory tree of relative path → text (pure, no I/O);
//! 4. `hclfmt`: each file laid out exactly as `terraform fmt` would (called by `render`);
//! 5. `write`: plan against the manifest and the disk, then write atomically, or `--check`.

pub mod aws;
pub mod cli;
pub mod diagnostic;
pub mod hclfmt;
pub mod init;
pub mod load;
pub mod model;
pub mod parallel;
pub mod raw;
pub mod render;
pub mod schema;
pub mod validate;
pub mod write;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command, ConfigArgs, RenderArgs};
use crate::diagnostic::{Diagnostic, Report};
use crate::model::Model;
use crate::write::FileState;

/// Exit statuses, like diff(1): 0 same/success, 1 different (`--check`), 2 trouble.
pub mod exit {
    pub const SUCCESS: u8 = 0;
    pub const DIFFERENT: u8 = 1;
    pub const TROUBLE: u8 = 2;
}

/// A failure that ends the run: what to print and the exit status.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: u8,
}

impl Failure {
    fn trouble(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            code: exit::TROUBLE,
        }
    }
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::TROUBLE
            } else {
                exit::SUCCESS
            });
        }
    };
    let color = std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let result = match cli.command {
        Command::Render(args) => cmd_render(&args, color),
        Command::Validate(args) => cmd_validate(&args.config, color).map(|_| exit::SUCCESS),
        Command::Init(args) => init::run(&args, color),
        Command::Completions(args) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(args.shell, &mut command, "brewgen", &mut std::io::stdout());
            Ok(exit::SUCCESS)
        }
        Command::Schema => {
            print!("{}", schema::text());
            Ok(exit::SUCCESS)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            if !f.message.is_empty() {
                eprint!("{}", f.message);
                if !f.message.ends_with('\n') {
                    eprintln!();
                }
            }
            ExitCode::from(f.code)
        }
    }
}

/// A loaded, valid description: the model, its source hash and where it lives.
pub struct Loaded {
    pub model: Model,
    pub description_hash: String,
    pub dir: PathBuf,
}

/// Loads and validates a description text. On failure returns every diagnostic.
pub fn compile(text_bytes: &[u8]) -> Result<(Model, Vec<Diagnostic>), Vec<Diagnostic>> {
    let text = load::decode(text_bytes).map_err(|d| vec![d])?;
    let parsed = load::parse(text)?;
    let (model, diags) = validate::validate_parsed(&parsed);
    match model {
        Some(m) => Ok((m, diags)),
        None => Err(diags),
    }
}

fn load_description(args: &ConfigArgs, color: bool) -> Result<Loaded, Failure> {
    let path = &args.config;
    let bytes = load::read(path).map_err(|e| {
        let hint = if e.kind() == std::io::ErrorKind::NotFound {
            "\nhelp: run `brewgen init` to create one, or pass its path with --config"
        } else {
            ""
        };
        Failure::trouble(format!(
            "error: cannot read {}: {}{hint}",
            path.display(),
            io_reason(&e)
        ))
    })?;
    let shown = path.to_string_lossy().into_owned();
    let source = String::from_utf8_lossy(&bytes).into_owned();
    let report = |diags: &[Diagnostic]| {
        Report {
            path: &shown,
            source: &source,
            diagnostics: diags,
        }
        .render(color)
    };
    match compile(&bytes) {
        Err(diags) => Err(Failure::trouble(report(&diags))),
        Ok((model, warnings)) => {
            if !warnings.is_empty() {
                if args.deny_warnings {
                    let mut msg = report(&warnings);
                    msg.push_str("error: warnings are denied (--deny-warnings)\n");
                    return Err(Failure::trouble(msg));
                }
                eprint!("{}", report(&warnings));
            }
            let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
            Ok(Loaded {
                model,
                description_hash: write::sha256(&bytes),
                dir,
            })
        }
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

fn cmd_validate(args: &ConfigArgs, color: bool) -> Result<Loaded, Failure> {
    load_description(args, color)
}

fn cmd_render(args: &RenderArgs, color: bool) -> Result<u8, Failure> {
    let loaded = load_description(&args.config, color)?;
    let tree =
        render::render(&loaded.model).map_err(|e| Failure::trouble(format!("error: {e}")))?;
    let out_dir = match &args.out {
        Some(o) => o.clone(),
        None => loaded.dir.join(&loaded.model.project.output),
    };
    let shown_dir = out_dir.to_string_lossy().into_owned();
    let plan = write::plan(&out_dir, &tree, &loaded.description_hash)
        .map_err(|e| Failure::trouble(format!("error: {e}")))?;

    if args.check || args.diff {
        if args.diff {
            print!("{}", write::diff(&plan, shown_dir.trim_start_matches("./")));
        }
        if !args.check {
            return Ok(exit::SUCCESS);
        }
        if plan.is_clean() {
            if !args.quiet {
                eprintln!(
                    "brewgen: {} is up to date ({} files)",
                    shown_dir,
                    plan.files.len()
                );
            }
            return Ok(exit::SUCCESS);
        }
        let mut msg = format!(
            "brewgen: {shown_dir} is out of date with {}:\n",
            args.config.config.display()
        );
        for f in plan
            .files
            .iter()
            .filter(|f| f.state != FileState::Unchanged)
        {
            msg.push_str(&format!("  {:<26} {}\n", f.state.label(), f.path));
        }
        msg.push_str("run `brewgen render` to update it\n");
        return Err(Failure {
            message: msg,
            code: exit::DIFFERENT,
        });
    }

    let conflicts = plan.conflicts();
    if !conflicts.is_empty() && !args.force {
        let mut msg = format!(
            "error: refusing to overwrite {} in {shown_dir}:\n",
            diagnostic::plural(conflicts.len(), "file")
        );
        for f in &conflicts {
            msg.push_str(&format!("  {:<26} {}\n", f.state.label(), f.path));
        }
        msg.push_str(
            "help: nothing was written. Either move the change into brewgen.toml, or into an `*_override.tf` file\n      beside the generated ones (brewgen never touches those), or re-run with --force to overwrite.\n",
        );
        return Err(Failure::trouble(msg));
    }
    let summary = write::apply(&plan, args.force)
        .map_err(|e| Failure::trouble(format!("error: {e}\nnothing was changed")))?;
    if args.verbose {
        for f in &plan.files {
            let what = match (f.state, &f.new) {
                (FileState::Unchanged, _) => "unchanged",
                (_, Some(_)) => "written",
                _ => "deleted",
            };
            eprintln!("  {what:<9} {}", f.path);
        }
    }
    if !args.quiet {
        eprintln!(
            "brewgen: {}: {} written, {} unchanged, {} deleted",
            shown_dir,
            summary.written.len(),
            summary.unchanged.len(),
            summary.deleted.len()
        );
    }
    Ok(exit::SUCCESS)
}
