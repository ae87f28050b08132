//! The validated, fully defaulted description: the only thing templates ever see.
//!
//! Every value here has passed `validate`, every default is filled in and every name that
//! brewgen derives (resource prefixes, subnets, AZs, listener priorities) is computed once, here,
//! so templates stay declarative. Collections are ordered (`Vec`, `BTreeMap`) so output never
//! depends on hash order.

use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Model {
    pub project: Project,
    pub state: State,
    /// Every service, with its base (un-overridden) settings; `global/` needs only the names.
    pub service_names: Vec<String>,
    pub environments: Vec<Environment>,
    /// True when at least one environment has a database (the `rds` module is generated).
    pub any_database: bool,
    /// True when at least one environment has a WAF (the `waf` module is generated).
    pub any_waf: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Project {
    pub name: String,
    pub region: String,
    pub domain: Option<String>,
    pub github_repo: Option<String>,
    pub hosted_zone: HostedZone,
    /// The output directory, relative to the description's directory.
    pub output: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HostedZone {
    Create,
    Existing,
}

#[derive(Debug, Clone, Serialize)]
pub struct State {
    pub bucket: String,
    pub locking: Locking,
    /// The DynamoDB lock table name, when `locking = "dynamodb"`.
    pub lock_table: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Locking {
    S3,
    Dynamodb,
}

#[derive(Debug, Clone, Serialize)]
pub struct Environment {
    pub name: String,
    /// `<project>-<environment>`: the prefix of every resource name in this environment.
    pub prefix: String,
    /// Fully qualified host name this environment is served at, when there is a domain.
    pub fqdn: Option<String>,
    pub account_id: Option<String>,
    pub deletion_protection: bool,
    pub network: Network,
    pub services: Vec<Service>,
    pub database: Option<Database>,
    pub waf: Option<Waf>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Network {
    pub cidr: String,
    pub az_count: u32,
    pub azs: Vec<String>,
    pub nat: NatMode,
    /// 1 for `nat = "single"`, otherwise one per AZ.
    pub nat_gateway_count: u32,
    pub public_subnets: Vec<String>,
    pub private_subnets: Vec<String>,
    pub database_subnets: Vec<String>,
    pub flow_log_retention_days: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NatMode {
    PerAz,
    Single,
}

#[derive(Debug, Clone, Serialize)]
pub struct Service {
    pub name: String,
    pub port: u32,
    pub cpu: u32,
    pub memory: u32,
    pub desired_count: u32,
    pub health_check: String,
    /// Path patterns other than the default `/*`, routed by a listener rule.
    pub rule_paths: Vec<String>,
    /// True for the one service that takes `/*` (the listener's default action).
    pub default: bool,
    /// Listener rule priority, unique per environment; most specific patterns first.
    pub priority: u32,
    pub spot: bool,
    pub database: bool,
    pub read_only_root_filesystem: bool,
    pub execute_command: bool,
    pub log_retention_days: u32,
    pub autoscaling: Option<Autoscaling>,
    pub env: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Autoscaling {
    pub min: u32,
    pub max: u32,
    pub cpu_target: u32,
    pub memory_target: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Database {
    pub engine: String,
    pub version: String,
    pub instance_class: String,
    pub storage_gb: u32,
    pub max_storage_gb: u32,
    pub multi_az: bool,
    pub backup_retention_days: u32,
    pub name: String,
    pub username: String,
    pub port: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Waf {
    pub rate_limit: u64,
    /// AWS managed rule group names, in the order the description lists them.
    pub managed_rules: Vec<String>,
    pub blocked_countries: Vec<String>,
    pub allow_ips: Vec<String>,
    pub log_retention_days: u32,
}
