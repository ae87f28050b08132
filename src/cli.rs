//! The command line, as clap definitions only: no logic lives here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

const AFTER_HELP: &str = "\
Exit status:
  0  success (for --check: the tree on disk is up to date)
  1  --check only: the tree on disk differs from what brewgen.toml generates
  2  invalid description, usage error, refused write or I/O error

Examples:
  brewgen init --name shop --region eu-central-1 --domain shop.example.com --github-repo acme/shop
  brewgen render
  brewgen render --check --diff      # in CI: prove the committed tree is up to date
  brewgen validate                   # check brewgen.toml only";

/// Compile one brewgen.toml into a complete, secure Terraform tree.
#[derive(Debug, Parser)]
#[command(name = "brewgen", version, about, after_help = AFTER_HELP, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate the Terraform tree from brewgen.toml.
    #[command(after_help = "\
Examples:
  brewgen render                          # ./brewgen.toml -> its project.output directory
  brewgen render -c infra/brewgen.toml -o build/terraform
  brewgen render --check --diff           # CI: exit 1 and show the diff when out of date

Exit status: 0 written (or --check: up to date), 1 --check: out of date, 2 trouble.")]
    Render(RenderArgs),
    /// Check brewgen.toml without generating anything.
    #[command(after_help = "\
Examples:
  brewgen validate
  brewgen validate -c path/to/brewgen.toml --deny-warnings

Exit status: 0 valid, 2 invalid or unreadable.")]
    Validate(ValidateArgs),
    /// Start an infrastructure repository: brewgen.toml, CI workflow, docs and the first render.
    #[command(after_help = INIT_AFTER_HELP)]
    Init(InitArgs),
    /// Print a shell completion script.
    #[command(after_help = "\
Examples:
  brewgen completions bash > ~/.local/share/bash-completion/completions/brewgen
  brewgen completions zsh > \"${fpath[1]}/_brewgen\"
  brewgen completions fish > ~/.config/fish/completions/brewgen.fish
  brewgen completions powershell >> $PROFILE")]
    Completions(CompletionsArgs),
    /// Print the JSON Schema of brewgen.toml, for editors and other tools.
    #[command(after_help = "\
The schema is what editors with Taplo (e.g. VS Code's Even Better TOML) use for completion and
inline validation; brewgen init writes it to .brewgen/brewgen.schema.json and points
brewgen.toml at it with a `#:schema` header. Refresh it after upgrading brewgen:

Examples:
  brewgen schema > .brewgen/brewgen.schema.json")]
    Schema,
}

const INIT_AFTER_HELP: &str = "\
Writes, into DIR (default: the current directory):
  brewgen.toml                          the complete, commented description
  .brewgen/brewgen.schema.json          its JSON Schema, for editor completion and checks
  .github/workflows/infrastructure.yml  CI: render check, fmt, validate, test, checkov on pull
                                        requests; plan and gated apply per environment on main
  INFRASTRUCTURE.md                     how to deploy (bootstrap -> global -> environments)
  .gitignore                            Terraform entries, merged into an existing file
and then renders the Terraform tree, so `brewgen render --check` passes right away.

When stdin is a terminal, brewgen asks for missing values; otherwise (in CI) a missing value
is an error naming its flag. --yes accepts the defaults without asking: the directory's name
for --name and the `origin` remote for --github-repo.

Examples:
  brewgen init --name shop --region eu-central-1 --domain shop.example.com --github-repo acme/shop
  brewgen init infra-repo --name api --region us-east-1 --no-domain --github-repo acme/api \\
      --environments staging,prod --no-database
  brewgen init --yes --region eu-west-1 --domain example.org    # name and repo from the checkout

Exit status: 0 written, 2 invalid value, missing value, existing files (without --force) or I/O error.";

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory to initialise (created if missing).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,

    /// Project name: prefixes every resource name (2-20 lowercase letters, digits, hyphens).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// AWS region to deploy to, e.g. eu-central-1.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// Domain the environments are served at over HTTPS, as <environment>.<domain>.
    #[arg(long, value_name = "DOMAIN", conflicts_with = "no_domain")]
    pub domain: Option<String>,

    /// Serve plain HTTP without a domain or TLS certificate.
    #[arg(long)]
    pub no_domain: bool,

    /// GitHub repository (owner/repo) whose Actions deploy the environments through OIDC.
    #[arg(long, value_name = "OWNER/REPO")]
    pub github_repo: Option<String>,

    /// Environments, in promotion order.
    #[arg(
        long,
        value_name = "LIST",
        value_delimiter = ',',
        default_value = "dev,staging,prod"
    )]
    pub environments: Vec<String>,

    /// Give the backend a PostgreSQL database (the default).
    #[arg(long, overrides_with = "no_database")]
    pub database: bool,

    /// No database.
    #[arg(long, overrides_with = "database")]
    pub no_database: bool,

    /// Accept the default of every value not given, without asking.
    #[arg(short, long)]
    pub yes: bool,

    /// Overwrite an existing brewgen.toml, workflow, INFRASTRUCTURE.md or generated tree.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// The description to read.
    #[arg(short, long, value_name = "PATH", default_value = "brewgen.toml")]
    pub config: PathBuf,

    /// Treat warnings as errors.
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub config: ConfigArgs,

    /// Output directory (default: project.output, relative to the description's directory).
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Write nothing; exit 1 if the tree on disk differs from what would be generated.
    #[arg(long)]
    pub check: bool,

    /// Print a unified diff of what render would change (implies writing nothing).
    #[arg(long)]
    pub diff: bool,

    /// Overwrite files that were edited by hand or were not generated by brewgen.
    #[arg(long, conflicts_with = "check")]
    pub force: bool,

    /// Print nothing on success.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,

    /// List every file and what happened to it.
    #[arg(short, long)]
    pub verbose: bool,
}
