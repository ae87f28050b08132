//! The JSON Schema of `brewgen.toml`, for editors (Taplo, Even Better TOML) and other tools.
//!
//! The schema is derived from the loader's own key tables (`raw::*::KEYS`): `load` checks every
//! description against exactly those tables, and a `load` test proves them equal to the serde
//! structs, so the schema names exactly the keys and types brewgen reads and cannot drift from
//! them. What the key tables do not know is added here, by table and key: a description for
//! every key (a test fails on a missing one), the closed value sets `validate` accepts (taken from
//! the same `aws` constants where there are some; a test compiles every value), and the defaults
//! `validate` fills in (a test proves each one by compiling with and without it).
//!
//! It is draft-07 with every table inlined (no `$ref`), which Taplo and VS Code understand. It is
//! deliberately looser than `validate` (no ranges, no cross-key rules): it catches unknown keys,
//! wrong types and misspelt values as you type; `brewgen validate` has the final word.

use serde_json::{json, Map, Value};

use crate::aws;
use crate::raw::{
    Key, RawAutoscaling, RawDatabase, RawDescription, RawEnvironment, RawNetwork, RawProject,
    RawService, RawState, RawWaf, Shape,
};

/// Where `brewgen init` writes the schema, relative to `brewgen.toml`, whose `#:schema` header
/// points at it. `brewgen schema > .brewgen/brewgen.schema.json` refreshes it after an upgrade.
pub const PATH: &str = ".brewgen/brewgen.schema.json";

/// Every table, by the name the documentation below uses for it.
const TABLES: &[(&str, &[Key])] = &[
    ("", RawDescription::KEYS),
    ("project", RawProject::KEYS),
    ("state", RawState::KEYS),
    ("network", RawNetwork::KEYS),
    ("service", RawService::KEYS),
    ("autoscaling", RawAutoscaling::KEYS),
    ("database", RawDatabase::KEYS),
    ("waf", RawWaf::KEYS),
    ("environment", RawEnvironment::KEYS),
];

/// A default value, as `validate` fills it in when the key is absent.
#[derive(Debug, Clone, Copy)]
pub enum DefaultValue {
    Str(&'static str),
    Int(i64),
    Bool(bool),
    List(&'static [&'static str]),
}

impl DefaultValue {
    fn json(self) -> Value {
        match self {
            DefaultValue::Str(s) => json!(s),
            DefaultValue::Int(i) => json!(i),
            DefaultValue::Bool(b) => json!(b),
            DefaultValue::List(l) => json!(l),
        }
    }
}

use DefaultValue::{Bool, Int, List, Str};

/// `(table, key, description, default)` for every key of every table.
#[rustfmt::skip]
pub const DOCS: &[(&str, &str, &str, Option<DefaultValue>)] = &[
    ("", "project", "The project: its name, AWS region, domain and GitHub repository.", None),
    ("", "state", "Where Terraform keeps the state of every stack: the S3 bucket that bootstrap/ creates.", None),
    ("", "network", "The VPC of every environment.", None),
    ("", "services", "The container services behind the load balancer, by name (lowercase letters, digits and hyphens).", None),
    ("", "database", "A PostgreSQL database on RDS in every environment. Leave it out for none.", None),
    ("", "waf", "AWS WAF in front of the load balancer. Leave it out for none.", None),
    ("", "environments", "The environments, by name (e.g. dev, staging, prod); at least one. Each gets its own state, network and services.", None),
    ("project", "name", "Prefixes every resource name: 2 to 20 lowercase letters, digits and single hyphens, starting with a letter.", None),
    ("project", "region", "The AWS region every environment is deployed to.", None),
    ("project", "domain", "Each environment is served over HTTPS at <subdomain>.<domain>, with an ACM certificate. Without a domain the load balancer serves plain HTTP.", None),
    ("project", "github_repo", "The GitHub repository (owner/repo) whose Actions deploy the environments: global/ creates one OIDC deploy role per environment, trusted only for the GitHub environment of the same name.", None),
    ("project", "hosted_zone", "\"create\": global/ creates the domain's Route 53 hosted zone; \"existing\": it is looked up by the domain name.", Some(Str("create"))),
    ("project", "output", "Where the Terraform tree is written, relative to brewgen.toml.", Some(Str("infra/terraform"))),
    ("state", "bucket", "The S3 bucket holding the state, globally unique. Default: <name>-tfstate-<region>.", None),
    ("state", "locking", "\"s3\": S3 native lock files (Terraform >= 1.10); \"dynamodb\": a DynamoDB lock table.", Some(Str("s3"))),
    ("network", "cidr", "The VPC's IPv4 range, /16 to /19; public, private and database /24 subnets are derived from it.", None),
    ("network", "az_count", "Availability zones to spread the subnets over, 2 to 6.", Some(Int(2))),
    ("network", "nat", "\"per-az\": one NAT gateway per availability zone; \"single\": one for the whole VPC (cheaper, not highly available).", Some(Str("per-az"))),
    ("network", "flow_log_retention_days", "Days to keep the VPC flow logs.", Some(Int(365))),
    ("service", "port", "The port the container listens on.", None),
    ("service", "cpu", "CPU units of a task (1024 = 1 vCPU).", None),
    ("service", "memory", "Memory of a task in MiB; a size Fargate offers for the cpu.", None),
    ("service", "desired_count", "Tasks to run; with autoscaling, between its min and max.", None),
    ("service", "health_check", "The path the load balancer requests to check a task is healthy, e.g. \"/health\".", None),
    ("service", "paths", "Load balancer path patterns this service serves; exactly one service takes \"/*\", the default.", None),
    ("service", "spot", "Run on FARGATE_SPOT capacity: cheaper, but a task can be interrupted.", Some(Bool(false))),
    ("service", "database", "Connect to [database]: DB_HOST, DB_PORT, DB_NAME and DB_USER are set, and DB_PASSWORD is injected from Secrets Manager.", Some(Bool(false))),
    ("service", "read_only_root_filesystem", "Mount the container's root filesystem read-only; /tmp stays writable.", Some(Bool(true))),
    ("service", "execute_command", "Allow `aws ecs execute-command` shells into running tasks.", Some(Bool(false))),
    ("service", "log_retention_days", "Days to keep the service's logs.", Some(Int(365))),
    ("service", "autoscaling", "Target-tracking autoscaling on CPU and memory utilisation.", None),
    ("service", "env", "Plain environment variables of the container. Never secrets: brewgen refuses secret-looking names.", None),
    ("autoscaling", "min", "The fewest tasks to run.", None),
    ("autoscaling", "max", "The most tasks to run.", None),
    ("autoscaling", "cpu_target", "Average CPU utilisation to hold, in percent.", Some(Int(70))),
    ("autoscaling", "memory_target", "Average memory utilisation to hold, in percent.", Some(Int(80))),
    ("database", "engine", "The database engine.", None),
    ("database", "version", "The PostgreSQL major version.", None),
    ("database", "instance_class", "The RDS instance class, e.g. \"db.t4g.micro\".", None),
    ("database", "storage_gb", "Allocated storage in GiB, 20 to 65536.", None),
    ("database", "max_storage_gb", "The most storage autoscaling may grow to, in GiB. Default: twice storage_gb.", None),
    ("database", "multi_az", "Keep a standby in a second availability zone, with automatic failover.", Some(Bool(true))),
    ("database", "backup_retention_days", "Days to keep automated backups, 0 to 35.", Some(Int(7))),
    ("database", "name", "The name of the database: letters, digits and underscores. Default: the project name with - replaced by _.", None),
    ("database", "username", "The master user name; its password is managed by RDS in Secrets Manager.", Some(Str("postgres"))),
    ("waf", "rate_limit", "Requests from one client IP per 5 minutes before it is blocked.", Some(Int(2000))),
    ("waf", "managed_rules", "AWS managed rule groups to apply, in this order.", Some(List(&["common", "known-bad-inputs", "sqli"]))),
    ("waf", "blocked_countries", "ISO 3166-1 alpha-2 codes of countries to block, e.g. [\"KP\"].", Some(List(&[]))),
    ("waf", "allow_ips", "IPv4 CIDR blocks that bypass the rules, e.g. an office range.", Some(List(&[]))),
    ("waf", "log_retention_days", "Days to keep the WAF logs.", Some(Int(365))),
    ("environment", "subdomain", "Host name prefix of this environment; \"\" serves it at the apex domain. Default: the environment's name.", None),
    ("environment", "account_id", "The 12-digit AWS account ID; the provider refuses to run against any other account.", None),
    ("environment", "deletion_protection", "Deletion protection on the database and load balancer, and a final database snapshot.", Some(Bool(true))),
    ("environment", "network", "This environment's overrides of [network].", None),
    ("environment", "database", "This environment's overrides of [database].", None),
    ("environment", "waf", "This environment's overrides of [waf].", None),
    ("environment", "services", "This environment's overrides of [services.<name>], by service name.", None),
];

/// The values `validate` accepts for a key, where they form a closed set.
pub fn allowed_values(table: &str, key: &str) -> Option<Vec<Value>> {
    let strings = |v: &[&str]| Some(v.iter().map(|s| json!(s)).collect());
    match (table, key) {
        ("project", "region") => strings(&aws::REGIONS.iter().map(|(r, _)| *r).collect::<Vec<_>>()),
        ("project", "hosted_zone") => strings(&["create", "existing"]),
        ("state", "locking") => strings(&["s3", "dynamodb"]),
        ("network", "nat") => strings(&["per-az", "single"]),
        ("network", "flow_log_retention_days")
        | ("service", "log_retention_days")
        | ("waf", "log_retention_days") => {
            Some(aws::LOG_RETENTION_DAYS.iter().map(|d| json!(d)).collect())
        }
        ("service", "cpu") => Some(aws::FARGATE_CPUS.iter().map(|c| json!(c)).collect()),
        ("database", "engine") => strings(&["postgres"]),
        ("database", "version") => strings(aws::POSTGRES_VERSIONS),
        ("waf", "managed_rules") => strings(
            &aws::MANAGED_RULES
                .iter()
                .map(|(s, _)| *s)
                .collect::<Vec<_>>(),
        ),
        _ => None,
    }
}

/// A regular expression a string value must match, where the description contract gives one.
fn pattern(table: &str, key: &str) -> Option<&'static str> {
    match (table, key) {
        ("project", "name") => Some("^[a-z][a-z0-9-]{1,19}$"),
        ("project", "github_repo") => Some("^[A-Za-z0-9-]+/[A-Za-z0-9_.-]+$"),
        ("environment", "account_id") => Some("^[0-9]{12}$"),
        _ => None,
    }
}

/// What one entry of a table of user-chosen names is.
fn entry_doc(table: &str, key: &str) -> Option<&'static str> {
    match (table, key) {
        ("" | "environment", "services") => {
            Some("A container service on ECS Fargate, behind the load balancer.")
        }
        ("", "environments") => Some("An environment; any key of [network], [database], [waf] and [services.<name>] can be overridden in it."),
        ("service", "env") => Some("The value of the environment variable."),
        _ => None,
    }
}

/// Keys of a table that are required in the only place the table appears.
fn required_keys(table: &str) -> &'static [&'static str] {
    match table {
        "project" => &["name", "region"],
        _ => &[],
    }
}

fn table_name(keys: &[Key]) -> &'static str {
    TABLES
        .iter()
        .find(|(_, k)| *k == keys)
        .map(|(name, _)| *name)
        .unwrap_or("?")
}

fn doc(table: &str, key: &str) -> Option<(&'static str, Option<DefaultValue>)> {
    DOCS.iter()
        .find(|(t, k, _, _)| *t == table && *k == key)
        .map(|(_, _, d, default)| (*d, *default))
}

/// The whole schema.
pub fn schema() -> Value {
    let mut root = table_schema(RawDescription::KEYS);
    let obj = root.as_object_mut().expect("a table is an object");
    let mut head = Map::new();
    head.insert(
        "$schema".into(),
        json!("http://json-schema.org/draft-07/schema#"),
    );
    head.insert("title".into(), json!("brewgen.toml"));
    head.insert(
        "description".into(),
        json!(format!(
            "The description brewgen {} compiles into a Terraform tree. Generated by `brewgen schema`.",
            env!("CARGO_PKG_VERSION")
        )),
    );
    head.append(obj);
    Value::Object(head)
}

/// The schema as `brewgen schema` prints it and `brewgen init` writes it.
pub fn text() -> String {
    let mut s = serde_json::to_string_pretty(&schema()).expect("a schema serializes");
    s.push('\n');
    s
}

fn table_schema(keys: &'static [Key]) -> Value {
    let table = table_name(keys);
    let mut properties = Map::new();
    for key in keys {
        let mut s = value_schema(key.shape, table, key.name);
        let fields = s.as_object_mut().expect("a value schema is an object");
        if let Some((description, default)) = doc(table, key.name) {
            fields.insert("description".into(), json!(description));
            if let Some(d) = default {
                fields.insert("default".into(), d.json());
            }
        }
        properties.insert(key.name.to_string(), s);
    }
    let mut required: Vec<&str> = keys.iter().filter(|k| k.required).map(|k| k.name).collect();
    required.extend(required_keys(table));
    let mut s = json!({
        "type": "object",
        "additionalProperties": false,
        "properties": properties,
    });
    if !required.is_empty() {
        s["required"] = json!(required);
    }
    s
}

fn value_schema(shape: Shape, table: &str, key: &str) -> Value {
    let mut s = match shape {
        Shape::String => json!({ "type": "string" }),
        Shape::Integer => json!({ "type": "integer" }),
        Shape::Boolean => json!({ "type": "boolean" }),
        Shape::StringList => {
            let mut items = json!({ "type": "string" });
            if let Some(values) = allowed_values(table, key) {
                items["enum"] = json!(values);
            }
            return json!({ "type": "array", "items": items });
        }
        Shape::Table(keys) => return table_schema(keys),
        Shape::Map(inner) => {
            let mut entry = match inner {
                Shape::Table(keys) => table_schema(keys),
                other => value_schema(*other, table, key),
            };
            if let Some(description) = entry_doc(table, key) {
                entry["description"] = json!(description);
            }
            return json!({ "type": "object", "additionalProperties": entry });
        }
    };
    if let Some(values) = allowed_values(table, key) {
        s["enum"] = json!(values);
    }
    if let Some(p) = pattern(table, key) {
        s["pattern"] = json!(p);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> toml::Table {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/brewsecops/brewgen.toml"
        );
        std::fs::read_to_string(path).unwrap().parse().unwrap()
    }

    /// Where a table of each kind sits in the base description.
    fn location(table: &str) -> &'static [&'static str] {
        match table {
            "" => &[],
            "project" => &["project"],
            "state" => &["state"],
            "network" => &["network"],
            "service" => &["services", "frontend"],
            "autoscaling" => &["services", "frontend", "autoscaling"],
            "database" => &["database"],
            "waf" => &["waf"],
            "environment" => &["environments", "staging"],
            other => panic!("no location for table `{other}`"),
        }
    }

    /// The base description with `table.key` set to `value`, or removed.
    fn with(table: &str, sets: &[(&str, Option<toml::Value>)]) -> String {
        let mut doc = base();
        let mut t = &mut doc;
        for part in location(table) {
            t = t
                .entry(part.to_string())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()))
                .as_table_mut()
                .unwrap();
        }
        for (key, value) in sets {
            match value {
                Some(v) => t.insert(key.to_string(), v.clone()),
                None => t.remove(*key),
            };
        }
        toml::to_string(&doc).unwrap()
    }

    fn model_of(text: &str) -> Value {
        match crate::compile(text.as_bytes()) {
            Ok((model, _)) => serde_json::to_value(&model).unwrap(),
            Err(d) => panic!("{d:#?}\n{text}"),
        }
    }

    fn toml_value(v: &Value) -> toml::Value {
        serde_json::from_value(v.clone()).unwrap()
    }

    #[test]
    fn every_key_is_documented_and_every_doc_names_a_key() {
        for (table, keys) in TABLES {
            for key in *keys {
                assert!(
                    doc(table, key.name).is_some(),
                    "add a description of `{}` in table `{table}` to schema::DOCS",
                    key.name
                );
            }
        }
        for (table, key, _, _) in DOCS {
            let keys = TABLES
                .iter()
                .find(|(t, _)| t == table)
                .map(|(_, k)| *k)
                .unwrap_or_else(|| panic!("schema::DOCS names an unknown table `{table}`"));
            assert!(
                keys.iter().any(|k| k.name == *key),
                "schema::DOCS describes `{key}` in `{table}`, which the loader does not read"
            );
        }
    }

    #[test]
    fn every_default_is_what_validate_fills_in() {
        for (table, key, _, default) in DOCS {
            let Some(default) = default else { continue };
            let set = toml_value(&default.json());
            assert_eq!(
                model_of(&with(table, &[(key, None)])),
                model_of(&with(table, &[(key, Some(set))])),
                "the schema's default of `{key}` in `{table}` is not validate's"
            );
        }
    }

    #[test]
    fn every_allowed_value_is_accepted_by_validate() {
        for (table, keys) in TABLES {
            for key in *keys {
                let Some(values) = allowed_values(table, key.name) else {
                    continue;
                };
                for value in values {
                    let mut sets = vec![(key.name, Some(toml_value(&value)))];
                    if key.shape == Shape::StringList {
                        sets[0].1 = Some(toml_value(&json!([value])));
                    }
                    if (*table, key.name) == ("service", "cpu") {
                        let memory = aws::fargate_memory(value.as_i64().unwrap()).unwrap()[0];
                        sets.push(("memory", Some(toml::Value::Integer(memory))));
                    }
                    model_of(&with(table, &sets));
                }
            }
        }
    }

    #[test]
    fn the_schema_has_every_table_inline() {
        let s = schema();
        let service = &s["properties"]["services"]["additionalProperties"];
        assert_eq!(service["properties"]["port"]["type"], "integer");
        assert_eq!(service["additionalProperties"], false);
        let override_ = &s["properties"]["environments"]["additionalProperties"]["properties"]
            ["services"]["additionalProperties"];
        assert_eq!(override_["properties"]["spot"]["type"], "boolean");
        assert_eq!(s["required"], json!(["project", "network"]));
        assert_eq!(
            s["properties"]["project"]["required"],
            json!(["name", "region"])
        );
        assert!(
            !text().contains("\"?\""),
            "a table has no name in schema::TABLES"
        );
    }
}
