//! The serde mirror of `brewgen.toml`: exactly what the user wrote, with source spans.
//!
//! Nothing here is validated or defaulted; that is `validate`'s job. Every table denies unknown
//! keys, and every value a user can get wrong is `Spanned` so a diagnostic can point at it.
//! Environment overrides reuse the same table types (every key optional), so an override can be
//! merged onto the base key by key and checked by exactly the same rules.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// A value together with the byte range it came from in the description.
pub type S<T> = Spanned<T>;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDescription {
    pub project: S<RawProject>,
    #[serde(default)]
    pub state: Option<S<RawState>>,
    pub network: S<RawNetwork>,
    #[serde(default)]
    pub services: BTreeMap<S<String>, S<RawService>>,
    #[serde(default)]
    pub database: Option<S<RawDatabase>>,
    #[serde(default)]
    pub waf: Option<S<RawWaf>>,
    #[serde(default)]
    pub environments: Option<S<BTreeMap<S<String>, S<RawEnvironment>>>>,
}

impl RawDescription {
    pub const KEYS: &'static [Key] = &[
        Key::required("project", Shape::Table(RawProject::KEYS)),
        Key::new("state", Shape::Table(RawState::KEYS)),
        Key::required("network", Shape::Table(RawNetwork::KEYS)),
        Key::new("services", Shape::Map(&Shape::Table(RawService::KEYS))),
        Key::new("database", Shape::Table(RawDatabase::KEYS)),
        Key::new("waf", Shape::Table(RawWaf::KEYS)),
        Key::new(
            "environments",
            Shape::Map(&Shape::Table(RawEnvironment::KEYS)),
        ),
    ];
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProject {
    pub name: Option<S<String>>,
    pub region: Option<S<String>>,
    pub domain: Option<S<String>>,
    pub github_repo: Option<S<String>>,
    pub hosted_zone: Option<S<String>>,
    pub output: Option<S<String>>,
}

impl RawProject {
    pub const KEYS: &'static [Key] = &[
        Key::new("name", Shape::String),
        Key::new("region", Shape::String),
        Key::new("domain", Shape::String),
        Key::new("github_repo", Shape::String),
        Key::new("hosted_zone", Shape::String),
        Key::new("output", Shape::String),
    ];
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawState {
    pub bucket: Option<S<String>>,
    pub locking: Option<S<String>>,
}

impl RawState {
    pub const KEYS: &'static [Key] = &[
        Key::new("bucket", Shape::String),
        Key::new("locking", Shape::String),
    ];
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNetwork {
    pub cidr: Option<S<String>>,
    pub az_count: Option<S<i64>>,
    pub nat: Option<S<String>>,
    pub flow_log_retention_days: Option<S<i64>>,
}

impl RawNetwork {
    pub const KEYS: &'static [Key] = &[
        Key::new("cidr", Shape::String),
        Key::new("az_count", Shape::Integer),
        Key::new("nat", Shape::String),
        Key::new("flow_log_retention_days", Shape::Integer),
    ];
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawService {
    pub port: Option<S<i64>>,
    pub cpu: Option<S<i64>>,
    pub memory: Option<S<i64>>,
    pub desired_count: Option<S<i64>>,
    pub health_check: Option<S<String>>,
    pub paths: Option<S<Vec<S<String>>>>,
    pub spot: Option<S<bool>>,
    pub database: Option<S<bool>>,
    pub read_only_root_filesystem: Option<S<bool>>,
    pub execute_command: Option<S<bool>>,
    pub log_retention_days: Option<S<i64>>,
    pub autoscaling: Option<S<RawAutoscaling>>,
    pub env: Option<S<BTreeMap<S<String>, S<String>>>>,
}

impl RawService {
    pub const KEYS: &'static [Key] = &[
        Key::new("port", Shape::Integer),
        Key::new("cpu", Shape::Integer),
        Key::new("memory", Shape::Integer),
        Key::new("desired_count", Shape::Integer),
        Key::new("health_check", Shape::String),
        Key::new("paths", Shape::StringList),
        Key::new("spot", Shape::Boolean),
        Key::new("database", Shape::Boolean),
        Key::new("read_only_root_filesystem", Shape::Boolean),
        Key::new("execute_command", Shape::Boolean),
        Key::new("log_retention_days", Shape::Integer),
        Key::new("autoscaling", Shape::Table(RawAutoscaling::KEYS)),
        Key::new("env", Shape::Map(&Shape::String)),
    ];
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAutoscaling {
    pub min: Option<S<i64>>,
    pub max: Option<S<i64>>,
    pub cpu_target: Option<S<i64>>,
    pub memory_target: Option<S<i64>>,
}

impl RawAutoscaling {
    pub const KEYS: &'static [Key] = &[
        Key::new("min", Shape::Integer),
        Key::new("max", Shape::Integer),
        Key::new("cpu_target", Shape::Integer),
        Key::new("memory_target", Shape::Integer),
    ];
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDatabase {
    pub engine: Option<S<String>>,
    pub version: Option<S<String>>,
    pub instance_class: Option<S<String>>,
    pub storage_gb: Option<S<i64>>,
    pub max_storage_gb: Option<S<i64>>,
    pub multi_az: Option<S<bool>>,
    pub backup_retention_days: Option<S<i64>>,
    pub name: Option<S<String>>,
    pub username: Option<S<String>>,
}

impl RawDatabase {
    pub const KEYS: &'static [Key] = &[
        Key::new("engine", Shape::String),
        Key::new("version", Shape::String),
        Key::new("instance_class", Shape::String),
        Key::new("storage_gb", Shape::Integer),
        Key::new("max_storage_gb", Shape::Integer),
        Key::new("multi_az", Shape::Boolean),
        Key::new("backup_retention_days", Shape::Integer),
        Key::new("name", Shape::String),
        Key::new("username", Shape::String),
    ];
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWaf {
    pub rate_limit: Option<S<i64>>,
    pub managed_rules: Option<S<Vec<S<String>>>>,
    pub blocked_countries: Option<S<Vec<S<String>>>>,
    pub allow_ips: Option<S<Vec<S<String>>>>,
    pub log_retention_days: Option<S<i64>>,
}

impl RawWaf {
    pub const KEYS: &'static [Key] = &[
        Key::new("rate_limit", Shape::Integer),
        Key::new("managed_rules", Shape::StringList),
        Key::new("blocked_countries", Shape::StringList),
        Key::new("allow_ips", Shape::StringList),
        Key::new("log_retention_days", Shape::Integer),
    ];
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnvironment {
    pub subdomain: Option<S<String>>,
    pub account_id: Option<S<String>>,
    pub deletion_protection: Option<S<bool>>,
    pub network: Option<S<RawNetwork>>,
    pub database: Option<S<RawDatabase>>,
    pub waf: Option<S<RawWaf>>,
    pub services: Option<S<BTreeMap<S<String>, S<RawService>>>>,
}

impl RawEnvironment {
    pub const KEYS: &'static [Key] = &[
        Key::new("subdomain", Shape::String),
        Key::new("account_id", Shape::String),
        Key::new("deletion_protection", Shape::Boolean),
        Key::new("network", Shape::Table(RawNetwork::KEYS)),
        Key::new("database", Shape::Table(RawDatabase::KEYS)),
        Key::new("waf", Shape::Table(RawWaf::KEYS)),
        Key::new("services", Shape::Map(&Shape::Table(RawService::KEYS))),
    ];
}

/// The shape a key's value must have. `load` checks a parsed document against these lists
/// before deserializing, so every unknown key and every wrong type is reported, not only the
/// first one serde meets. Each struct's `KEYS` sits next to it; a unit test in `load` proves
/// every list names exactly the struct's serde fields, with the shapes serde accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    String,
    Integer,
    Boolean,
    StringList,
    /// A table with a fixed set of keys.
    Table(&'static [Key]),
    /// A table of user-chosen names (`[services.<name>]`, `[environments.<name>]`, `env`),
    /// each entry of the inner shape.
    Map(&'static Shape),
}

/// One key of a table and the shape of its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub name: &'static str,
    pub shape: Shape,
    /// Required by serde itself (most required keys are checked by `validate`, with a fix).
    pub required: bool,
}

impl Key {
    pub const fn new(name: &'static str, shape: Shape) -> Self {
        Key {
            name,
            shape,
            required: false,
        }
    }

    pub const fn required(name: &'static str, shape: Shape) -> Self {
        Key {
            name,
            shape,
            required: true,
        }
    }
}

/// Overlays `over` onto `base` key by key: a key set in the override wins, with its own span.
pub trait Overlay {
    fn overlay(&self, over: &Self) -> Self;
}

macro_rules! overlay_fields {
    ($ty:ident { $($field:ident),* $(,)? }) => {
        impl Overlay for $ty {
            fn overlay(&self, over: &Self) -> Self {
                $ty { $($field: over.$field.clone().or_else(|| self.$field.clone())),* }
            }
        }
    };
}

overlay_fields!(RawNetwork {
    cidr,
    az_count,
    nat,
    flow_log_retention_days
});
overlay_fields!(RawAutoscaling {
    min,
    max,
    cpu_target,
    memory_target
});
overlay_fields!(RawDatabase {
    engine,
    version,
    instance_class,
    storage_gb,
    max_storage_gb,
    multi_az,
    backup_retention_days,
    name,
    username,
});
overlay_fields!(RawWaf {
    rate_limit,
    managed_rules,
    blocked_countries,
    allow_ips,
    log_retention_days
});

impl Overlay for RawService {
    fn overlay(&self, over: &Self) -> Self {
        let autoscaling = match (&self.autoscaling, &over.autoscaling) {
            (Some(base), Some(o)) => {
                Some(Spanned::new(o.span(), base.get_ref().overlay(o.get_ref())))
            }
            (base, o) => o.clone().or_else(|| base.clone()),
        };
        RawService {
            port: over.port.clone().or_else(|| self.port.clone()),
            cpu: over.cpu.clone().or_else(|| self.cpu.clone()),
            memory: over.memory.clone().or_else(|| self.memory.clone()),
            desired_count: over
                .desired_count
                .clone()
                .or_else(|| self.desired_count.clone()),
            health_check: over
                .health_check
                .clone()
                .or_else(|| self.health_check.clone()),
            paths: over.paths.clone().or_else(|| self.paths.clone()),
            spot: over.spot.clone().or_else(|| self.spot.clone()),
            database: over.database.clone().or_else(|| self.database.clone()),
            read_only_root_filesystem: over
                .read_only_root_filesystem
                .clone()
                .or_else(|| self.read_only_root_filesystem.clone()),
            execute_command: over
                .execute_command
                .clone()
                .or_else(|| self.execute_command.clone()),
            log_retention_days: over
                .log_retention_days
                .clone()
                .or_else(|| self.log_retention_days.clone()),
            autoscaling,
            env: match (&self.env, &over.env) {
                (Some(base), Some(o)) => {
                    let mut merged = base.get_ref().clone();
                    merged.extend(o.get_ref().clone());
                    Some(Spanned::new(o.span(), merged))
                }
                (base, o) => o.clone().or_else(|| base.clone()),
            },
        }
    }
}
