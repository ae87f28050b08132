//! raw → model: every check on a description, collecting every diagnostic with its span and a
//! fix, and filling in every default.
//!
//! Environments are validated by overlaying their overrides onto the base tables and checking
//! the result with the same rules as the base, so an override is held to the same standard and
//! an error in it points at the override. Diagnostics from the base that repeat once per
//! environment are de-duplicated by `diagnostic::normalize`.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;
use std::ops::Range;

use ipnet::Ipv4Net;

use crate::aws;
use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::load::{InvalidKeys, Parsed};
use crate::model::*;
use crate::raw::*;

/// Checks a parsed description. Returns the model when there is no error, and always every
/// diagnostic (warnings included) in file order.
pub fn validate(raw: &RawDescription) -> (Option<Model>, Vec<Diagnostic>) {
    check(raw, Vec::new(), InvalidKeys::default())
}

/// Checks what `load::parse` made of a description, together with the problems it found, so
/// every problem in the file is reported in one run.
pub fn validate_parsed(parsed: &Parsed) -> (Option<Model>, Vec<Diagnostic>) {
    check(
        &parsed.raw,
        parsed.diagnostics.clone(),
        parsed.invalid.clone(),
    )
}

fn check(
    raw: &RawDescription,
    found: Vec<Diagnostic>,
    invalid: InvalidKeys,
) -> (Option<Model>, Vec<Diagnostic>) {
    let mut v = Validator {
        diags: found,
        invalid,
    };
    let model = v.description(raw);
    let mut diags = v.diags;
    crate::diagnostic::normalize(&mut diags);
    let model = if diags.iter().any(Diagnostic::is_error) {
        None
    } else {
        model
    };
    (model, diags)
}

struct Validator {
    diags: Vec<Diagnostic>,
    /// Keys the user meant to set that `load` already reported and left out (a wrong type, a
    /// misspelling): whatever follows from their absence is not reported again.
    invalid: InvalidKeys,
}

fn span<T>(s: &S<T>) -> Range<usize> {
    s.span()
}

const NAME_HELP: &str = "use lowercase letters, digits and single hyphens, starting with a letter";

impl Validator {
    fn error(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn warn(&mut self, message: impl Into<String>, at: Range<usize>, help: impl Into<String>) {
        self.diags
            .push(Diagnostic::warning(message).at(at).help(help));
    }

    fn missing(&mut self, table: &str, key: &str, at: Range<usize>, help: &str) {
        let path: Vec<&str> = table_path(table).chain([key]).collect();
        if self.invalid.contains(&path) {
            return;
        }
        self.error(
            Diagnostic::error(format!("missing required key `{key}` in [{table}]"))
                .at(at)
                .label(format!("[{table}] needs `{key}`"))
                .help(help.to_string()),
        );
    }

    fn description(&mut self, raw: &RawDescription) -> Option<Model> {
        let project = self.project(&raw.project);
        let state = project.as_ref().map(|p| self.state(raw.state.as_ref(), p));

        if let Some(db) = &raw.database {
            self.database_base_check(db);
        }
        for (name, svc) in &raw.services {
            self.service_name(name);
            if svc
                .get_ref()
                .database
                .as_ref()
                .is_some_and(|d| *d.get_ref())
                && raw.database.is_none()
                && !self.invalid.contains(&["database"])
            {
                let at = span(svc.get_ref().database.as_ref().unwrap());
                self.error(
                    Diagnostic::error(format!(
                        "service `{}` sets `database = true` but there is no [database] table",
                        escape(name.get_ref())
                    ))
                    .at(at)
                    .label("needs a database")
                    .help("add a [database] table, or remove `database = true`"),
                );
            }
        }
        if raw.services.is_empty() && !self.invalid.any_under(&["services"]) {
            self.error(
                Diagnostic::error("the description has no services")
                    .help("add at least one [services.<name>] table, e.g. [services.web] with port, cpu, memory, desired_count, health_check and paths"),
            );
        }

        let environments = match &raw.environments {
            Some(envs) if !envs.get_ref().is_empty() => envs,
            // Every environment had the wrong type; that is reported already.
            _ if self.invalid.any_under(&["environments"]) => return None,
            Some(envs) => {
                self.error(
                    Diagnostic::error("[environments] is empty")
                        .at(envs.span())
                        .help("add at least one environment, e.g. [environments.dev]"),
                );
                return None;
            }
            None => {
                self.error(
                    Diagnostic::error("the description has no environments")
                        .help("add at least one environment table, e.g. [environments.dev]"),
                );
                return None;
            }
        };

        let mut envs = Vec::new();
        for (name, env) in environments.get_ref() {
            if let Some(e) = self.environment(raw, project.as_ref(), name, env) {
                envs.push(e);
            }
        }
        self.cross_environment(&envs, environments);

        let project = project?;
        let state = state?;
        if envs.len() != environments.get_ref().len() {
            return None;
        }
        Some(Model {
            any_database: envs.iter().any(|e| e.database.is_some()),
            any_waf: envs.iter().any(|e| e.waf.is_some()),
            service_names: raw.services.keys().map(|k| k.get_ref().clone()).collect(),
            project,
            state,
            environments: envs,
        })
    }

    fn project(&mut self, raw: &S<RawProject>) -> Option<Project> {
        let at = raw.span();
        let p = raw.get_ref();
        let name = match &p.name {
            None => {
                self.missing(
                    "project",
                    "name",
                    at.clone(),
                    "add `name = \"myapp\"`: it prefixes every resource name",
                );
                None
            }
            Some(n) => self.project_name(n),
        };
        let region = match &p.region {
            None => {
                self.missing(
                    "project",
                    "region",
                    at.clone(),
                    "add `region = \"eu-central-1\"` (the AWS region to deploy to)",
                );
                None
            }
            Some(r) => self.region(r),
        };
        let domain = p
            .domain
            .as_ref()
            .and_then(|d| self.domain(d).map(Some))
            .unwrap_or(None);
        let domain_ok = p.domain.is_none() || domain.is_some();
        let github_repo = match &p.github_repo {
            None => None,
            Some(g) => {
                let ok = g.get_ref().split_once('/').is_some_and(|(o, r)| {
                    !o.is_empty()
                        && !r.is_empty()
                        && o.len() <= 39
                        && r.len() <= 100
                        && o.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                        && r.chars()
                            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
                        && r != "."
                        && r != ".."
                });
                if !ok {
                    self.error(
                        Diagnostic::error(format!(
                            "`github_repo = \"{}\"` is not a GitHub repository",
                            g.get_ref()
                        ))
                        .at(span(g))
                        .label("expected `owner/repo`")
                        .help("write the repository as `owner/repo`, e.g. \"acme/shop\""),
                    );
                    return None;
                }
                Some(g.get_ref().clone())
            }
        };
        let hosted_zone = match p
            .hosted_zone
            .as_ref()
            .map(|h| (h.get_ref().as_str(), span(h)))
        {
            None | Some(("create", _)) => HostedZone::Create,
            Some(("existing", _)) => HostedZone::Existing,
            Some((other, at)) => {
                self.error(
                    Diagnostic::error(format!("unknown hosted_zone mode `{other}`"))
                        .at(at)
                        .help("use \"create\" (brewgen creates the zone in global/) or \"existing\" (looked up by the domain name)"),
                );
                HostedZone::Create
            }
        };
        let domain_invalid = self.invalid.contains(&["project", "domain"]);
        if let (Some(h), None, false) = (&p.hosted_zone, &p.domain, domain_invalid) {
            self.error(
                Diagnostic::error("`hosted_zone` is set but there is no `domain`")
                    .at(span(h))
                    .help("set `domain`, or remove `hosted_zone`"),
            );
        }
        if p.domain.is_none() && !domain_invalid {
            self.warn(
                "no `domain`: the load balancer serves plain HTTP without TLS",
                at.start..at.start + "[project]".len().min(at.len()),
                "set `domain` in [project] to get an ACM certificate, HTTPS and an HTTP→HTTPS redirect",
            );
        }
        let output = match &p.output {
            None => "infra/terraform".to_string(),
            Some(o) => self.output_dir(o)?,
        };
        if !domain_ok {
            return None;
        }
        Some(Project {
            name: name?,
            region: region?,
            domain,
            github_repo,
            hosted_zone,
            output,
        })
    }

    fn project_name(&mut self, n: &S<String>) -> Option<String> {
        let name = n.get_ref();
        if let Some((message, label)) = name_problem("project", name, 2, 20) {
            self.error(
                Diagnostic::error(message)
                    .at(span(n))
                    .label(label)
                    .help(format!(
                        "{NAME_HELP}, 2 to 20 characters, e.g. \"{}\"",
                        suggest_name(name, 20)
                    )),
            );
            return None;
        }
        Some(name.clone())
    }

    fn region(&mut self, r: &S<String>) -> Option<String> {
        let region = r.get_ref();
        if aws::az_letters(region).is_some() {
            return Some(region.clone());
        }
        let shape_ok = {
            let parts: Vec<&str> = region.split('-').collect();
            parts.len() == 3
                && parts[0].len() == 2
                && parts[0].chars().all(|c| c.is_ascii_lowercase())
                && parts[1].chars().all(|c| c.is_ascii_lowercase())
                && !parts[1].is_empty()
                && parts[2].parse::<u8>().is_ok()
        };
        let mut d = Diagnostic::error(if shape_ok {
            format!("unknown AWS region `{}`", escape(region))
        } else {
            format!("`{}` is not an AWS region name", escape(region))
        })
        .at(span(r))
        .label("not a supported region");
        d = match did_you_mean(region, aws::REGIONS.iter().map(|(r, _)| *r)) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.help("use a region code such as \"eu-central-1\" or \"us-east-1\""),
        };
        self.error(d);
        None
    }

    fn domain(&mut self, d: &S<String>) -> Option<String> {
        let domain = d.get_ref();
        let labels: Vec<&str> = domain.split('.').collect();
        let ok = domain.len() <= 253
            && labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            })
            && labels
                .last()
                .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_lowercase()));
        if !ok {
            self.error(
                Diagnostic::error(format!("`{}` is not a valid domain name", escape(domain)))
                    .at(span(d))
                    .label("not a domain name")
                    .help("write the bare domain in lowercase, without scheme or trailing dot, e.g. \"example.com\""),
            );
            return None;
        }
        Some(domain.clone())
    }

    fn output_dir(&mut self, o: &S<String>) -> Option<String> {
        let out = o.get_ref();
        let bad = out.is_empty()
            || out.contains('\0')
            || out.contains('\\')
            || out.starts_with('/')
            || out.split('/').any(|c| c == ".." || c == ".")
            || out.contains(':');
        if bad {
            self.error(
                Diagnostic::error(format!("output directory `{}` is not allowed", escape(out)))
                    .at(span(o))
                    .label("must stay inside the description's directory")
                    .help("use a relative path without `.` or `..` components, e.g. \"infra/terraform\""),
            );
            return None;
        }
        Some(out.trim_end_matches('/').to_string())
    }

    fn state(&mut self, raw: Option<&S<RawState>>, project: &Project) -> State {
        let default_bucket = format!("{}-tfstate-{}", project.name, project.region);
        let mut bucket = default_bucket;
        let mut locking = Locking::S3;
        if let Some(s) = raw {
            if let Some(b) = &s.get_ref().bucket {
                let name = b.get_ref();
                let ok = name.len() >= 3
                    && name.len() <= 63
                    && name.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.'
                    })
                    && name.starts_with(|c: char| c.is_ascii_alphanumeric())
                    && name.ends_with(|c: char| c.is_ascii_alphanumeric())
                    && !name.contains("..")
                    && name.parse::<Ipv4Addr>().is_err()
                    && !name.starts_with("xn--")
                    && !name.ends_with("-s3alias");
                if ok {
                    bucket = name.clone();
                } else {
                    self.error(
                        Diagnostic::error(format!("`{}` is not a valid S3 bucket name", escape(name)))
                            .at(span(b))
                            .help("bucket names are 3 to 63 characters of lowercase letters, digits, hyphens and dots, starting and ending with a letter or digit"),
                    );
                }
            }
            if let Some(l) = &s.get_ref().locking {
                match l.get_ref().as_str() {
                    "s3" => locking = Locking::S3,
                    "dynamodb" => locking = Locking::Dynamodb,
                    other => self.error(
                        Diagnostic::error(format!("unknown state locking `{}`", escape(other)))
                            .at(span(l))
                            .help("use \"s3\" (S3 native lockfile, Terraform >= 1.10) or \"dynamodb\" (a DynamoDB lock table)"),
                    ),
                }
            }
        }
        if bucket.len() > 63 {
            self.error(
                Diagnostic::error(format!(
                    "the derived state bucket name `{bucket}` is longer than 63 characters"
                ))
                .at(project_name_span_fallback(raw))
                .help("set `bucket` in [state] to a shorter, globally unique name"),
            );
        }
        State {
            lock_table: (locking == Locking::Dynamodb).then(|| format!("{}-tflock", project.name)),
            bucket,
            locking,
        }
    }

    fn database_base_check(&mut self, db: &S<RawDatabase>) {
        let d = db.get_ref();
        let at = db.span();
        for (key, present, help) in [
            ("engine", d.engine.is_some(), "add `engine = \"postgres\"`"),
            (
                "version",
                d.version.is_some(),
                "add `version = \"16\"` (a PostgreSQL major version)",
            ),
            (
                "instance_class",
                d.instance_class.is_some(),
                "add `instance_class = \"db.t3.micro\"`",
            ),
            (
                "storage_gb",
                d.storage_gb.is_some(),
                "add `storage_gb = 20` (20 to 65536)",
            ),
        ] {
            if !present {
                self.missing(
                    "database",
                    key,
                    at.start..at.start + "[database]".len().min(at.len()),
                    help,
                );
            }
        }
    }

    fn service_name(&mut self, name: &S<String>) -> bool {
        if let Some((message, label)) = name_problem("service", name.get_ref(), 1, 16) {
            self.error(
                Diagnostic::error(message)
                    .at(span(name))
                    .label(label)
                    .help(format!(
                        "{NAME_HELP}, at most 16 characters: it becomes part of AWS resource names"
                    )),
            );
            return false;
        }
        true
    }

    fn environment(
        &mut self,
        raw: &RawDescription,
        project: Option<&Project>,
        name: &S<String>,
        env: &S<RawEnvironment>,
    ) -> Option<Environment> {
        let e = env.get_ref();
        let problem = name_problem("environment", name.get_ref(), 1, 16);
        let name_ok = problem.is_none();
        if let Some((message, label)) = problem {
            let help = format!(
                "{NAME_HELP}, at most 16 characters, e.g. \"dev\", \"staging\", \"prod\": \
                 it names the directory environments/<name>/ and AWS resources"
            );
            self.error(
                Diagnostic::error(message)
                    .at(span(name))
                    .label(label)
                    .help(help),
            );
        }
        let env_name = name.get_ref().clone();
        let is_prod = env_name.starts_with("prod");
        let deletion_protection = e
            .deletion_protection
            .as_ref()
            .map(|d| *d.get_ref())
            .unwrap_or(true);
        if is_prod && !deletion_protection {
            let d = e.deletion_protection.as_ref().unwrap();
            self.warn(
                format!("deletion protection is off in `{env_name}`"),
                span(d),
                "production databases and load balancers should keep `deletion_protection = true`",
            );
        }

        let account_id = e.account_id.as_ref().and_then(|a| {
            let id = a.get_ref();
            if id.len() == 12 && id.chars().all(|c| c.is_ascii_digit()) {
                Some(id.clone())
            } else {
                self.error(
                    Diagnostic::error(format!("`{}` is not an AWS account ID", escape(id)))
                        .at(span(a))
                        .label("expected 12 digits")
                        .help("write the account ID as a string of exactly 12 digits, e.g. \"123456789012\""),
                );
                None
            }
        });
        if e.account_id.is_some() && account_id.is_none() {
            return None;
        }

        let subdomain = match &e.subdomain {
            None => Some(env_name.clone()),
            Some(s) if s.get_ref().is_empty() => None,
            Some(s) => {
                let sub = s.get_ref();
                let ok = sub.split('.').all(|l| {
                    !l.is_empty()
                        && l.len() <= 63
                        && !l.starts_with('-')
                        && !l.ends_with('-')
                        && l.chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                });
                if !ok {
                    self.error(
                        Diagnostic::error(format!("subdomain `{}` is not a valid DNS label", escape(sub)))
                            .at(span(s))
                            .help("use lowercase letters, digits and hyphens, or \"\" for the apex domain"),
                    );
                    return None;
                }
                Some(sub.clone())
            }
        };
        let fqdn = project
            .and_then(|p| p.domain.as_ref())
            .map(|domain| match &subdomain {
                Some(s) => format!("{s}.{domain}"),
                None => domain.clone(),
            });
        if let (Some(s), None) = (&e.subdomain, project.and_then(|p| p.domain.as_ref())) {
            if project.is_some() && !self.invalid.contains(&["project", "domain"]) {
                self.warn(
                    format!("`subdomain` in `{env_name}` has no effect without a domain"),
                    span(s),
                    "set `domain` in [project], or remove `subdomain`",
                );
            }
        }

        // Network
        let net_raw = match &e.network {
            Some(o) => raw.network.get_ref().overlay(o.get_ref()),
            None => raw.network.get_ref().clone(),
        };
        let network = self.network(
            &net_raw,
            raw.network.span(),
            project.map(|p| p.region.as_str()),
            &env_name,
            is_prod,
        );

        // Database
        let database = match (&raw.database, &e.database) {
            (None, Some(_)) if self.invalid.contains(&["database"]) => None,
            (None, Some(o)) => {
                self.error(
                    Diagnostic::error(format!("environment `{env_name}` overrides [database] but there is no [database] table"))
                        .at(o.span())
                        .help("add a [database] table, or remove this override"),
                );
                None
            }
            (None, None) => None,
            (Some(base), over) => {
                let merged = match over {
                    Some(o) => base.get_ref().overlay(o.get_ref()),
                    None => base.get_ref().clone(),
                };
                self.database(&merged, project.map(|p| p.name.as_str()))
            }
        };

        // WAF
        let waf = match (&raw.waf, &e.waf) {
            (None, Some(_)) if self.invalid.contains(&["waf"]) => None,
            (None, Some(o)) => {
                self.error(
                    Diagnostic::error(format!(
                        "environment `{env_name}` overrides [waf] but there is no [waf] table"
                    ))
                    .at(o.span())
                    .help("add a [waf] table, or remove this override"),
                );
                None
            }
            (None, None) => None,
            (Some(base), over) => {
                let merged = match over {
                    Some(o) => base.get_ref().overlay(o.get_ref()),
                    None => base.get_ref().clone(),
                };
                self.waf(&merged)
            }
        };

        // Services
        if let Some(over) = &e.services {
            for svc_name in over.get_ref().keys() {
                if !raw.services.contains_key(svc_name)
                    && !self.invalid.contains(&["services", svc_name.get_ref()])
                {
                    let mut d = Diagnostic::error(format!(
                        "environment `{env_name}` overrides service `{}`, which is not defined",
                        escape(svc_name.get_ref())
                    ))
                    .at(span(svc_name))
                    .label("no such service");
                    d = match did_you_mean(
                        svc_name.get_ref(),
                        raw.services.keys().map(|k| k.get_ref().as_str()),
                    ) {
                        Some(s) => d.help(format!("did you mean `{s}`?")),
                        None => d.help(format!(
                            "the services are: {}",
                            raw.services
                                .keys()
                                .map(|k| format!("`{}`", k.get_ref()))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                    };
                    self.error(d);
                }
            }
        }
        let mut services = Vec::new();
        let mut services_ok = true;
        for (svc_name, base) in &raw.services {
            let merged = match e.services.as_ref().and_then(|o| o.get_ref().get(svc_name)) {
                Some(o) => base.get_ref().overlay(o.get_ref()),
                None => base.get_ref().clone(),
            };
            match self.service(svc_name, base.span(), &merged, raw.database.is_some()) {
                Some(s) => services.push(s),
                None => services_ok = false,
            }
        }
        if services_ok && !services.is_empty() {
            self.routing(&mut services, raw);
        }

        let project = project?;
        let prefix = format!("{}-{}", project.name, env_name);
        let environment = Environment {
            name: env_name,
            prefix,
            fqdn,
            account_id,
            deletion_protection,
            network: network?,
            services,
            database,
            waf,
        };
        if !name_ok || !services_ok {
            return None;
        }
        if raw.database.is_some() && environment.database.is_none() {
            return None;
        }
        if raw.waf.is_some() && environment.waf.is_none() {
            return None;
        }
        self.derived_names(&environment, project, name);
        Some(environment)
    }

    fn network(
        &mut self,
        n: &RawNetwork,
        table: Range<usize>,
        region: Option<&str>,
        env: &str,
        is_prod: bool,
    ) -> Option<Network> {
        let header = table.start..table.start + "[network]".len().min(table.len());
        let cidr = match &n.cidr {
            None => {
                self.missing(
                    "network",
                    "cidr",
                    header.clone(),
                    "add `cidr = \"10.0.0.0/16\"`",
                );
                None
            }
            Some(c) => match c.get_ref().parse::<Ipv4Net>() {
                Err(_) => {
                    self.error(
                        Diagnostic::error(format!(
                            "`{}` is not an IPv4 CIDR block",
                            escape(c.get_ref())
                        ))
                        .at(span(c))
                        .help("write the VPC range as address/prefix, e.g. \"10.0.0.0/16\""),
                    );
                    None
                }
                Ok(net) if net.network() != net.addr() => {
                    self.error(
                        Diagnostic::error(format!("`{}` has host bits set", c.get_ref()))
                            .at(span(c))
                            .help(format!("did you mean \"{}\"?", net.trunc())),
                    );
                    None
                }
                Ok(net) if net.prefix_len() < 16 || net.prefix_len() > 19 => {
                    let msg = if net.prefix_len() < 16 {
                        format!(
                            "network {} is larger than AWS allows for a VPC (/16 at most)",
                            c.get_ref()
                        )
                    } else {
                        format!("network {} is too small for brewgen's subnets", c.get_ref())
                    };
                    self.error(
                        Diagnostic::error(msg)
                            .at(span(c))
                            .label("prefix must be /16 to /19")
                            .help("brewgen derives /24 subnets at offsets 1 (public), 10 (private) and 20 (database) for up to 6 AZs, which needs a /16 to /19 block"),
                    );
                    None
                }
                Ok(net) => Some(net),
            },
        };
        let az_count = match &n.az_count {
            None => Some(2),
            Some(a) => {
                let count = *a.get_ref();
                let available = region.and_then(aws::az_letters).map(|l| l.len() as i64);
                if !(2..=6).contains(&count) {
                    self.error(
                        Diagnostic::error(format!("az_count = {count} is out of range"))
                            .at(span(a))
                            .label("must be 2 to 6")
                            .help("use at least 2 availability zones (an ALB and Multi-AZ RDS need two) and at most 6"),
                    );
                    None
                } else if let Some(avail) = available.filter(|avail| count > *avail) {
                    self.error(
                        Diagnostic::error(format!(
                            "az_count = {count} but region {} has only {avail} availability zones",
                            region.unwrap_or_default()
                        ))
                        .at(span(a))
                        .help(if avail == 2 {
                            "use az_count = 2".to_string()
                        } else {
                            format!("use az_count between 2 and {avail}")
                        }),
                    );
                    None
                } else {
                    Some(count as u32)
                }
            }
        };
        let nat = match &n.nat {
            None => Some(NatMode::PerAz),
            Some(m) => match m.get_ref().as_str() {
                "per-az" => Some(NatMode::PerAz),
                "single" => {
                    if is_prod {
                        self.warn(
                            format!("`nat = \"single\"` in `{env}`: one NAT gateway is a single point of failure"),
                            span(m),
                            "production environments should use `nat = \"per-az\"`",
                        );
                    }
                    Some(NatMode::Single)
                }
                other => {
                    self.error(
                        Diagnostic::error(format!("unknown nat mode `{}`", escape(other)))
                            .at(span(m))
                            .help("use \"per-az\" (one NAT gateway per availability zone) or \"single\""),
                    );
                    None
                }
            },
        };
        let flow_log_retention_days = self.retention(n.flow_log_retention_days.as_ref(), 365)?;
        let (cidr, az_count, nat, region) = (cidr?, az_count?, nat?, region?);
        let letters = aws::az_letters(region)?;
        let subnets = |offset: u32| -> Vec<String> {
            let subnets: Vec<Ipv4Net> = cidr.subnets(24).map(|s| s.collect()).unwrap_or_default();
            (0..az_count)
                .map(|i| subnets[(offset + i) as usize].to_string())
                .collect()
        };
        Some(Network {
            cidr: cidr.to_string(),
            az_count,
            azs: letters
                .chars()
                .take(az_count as usize)
                .map(|l| format!("{region}{l}"))
                .collect(),
            nat,
            nat_gateway_count: if nat == NatMode::Single { 1 } else { az_count },
            public_subnets: subnets(1),
            private_subnets: subnets(10),
            database_subnets: subnets(20),
            flow_log_retention_days,
        })
    }

    fn retention(&mut self, r: Option<&S<i64>>, default: u32) -> Option<u32> {
        match r {
            None => Some(default),
            Some(r) if aws::LOG_RETENTION_DAYS.contains(r.get_ref()) => Some(*r.get_ref() as u32),
            Some(r) => {
                let v = *r.get_ref();
                let below = aws::LOG_RETENTION_DAYS.iter().rev().find(|d| **d < v);
                let above = aws::LOG_RETENTION_DAYS.iter().find(|d| **d > v);
                let near: Vec<String> = below
                    .into_iter()
                    .chain(above)
                    .map(|d| d.to_string())
                    .collect();
                self.error(
                    Diagnostic::error(format!(
                        "{v} days is not a CloudWatch Logs retention period"
                    ))
                    .at(span(r))
                    .help(format!(
                        "the nearest valid values are {}",
                        near.join(" and ")
                    )),
                );
                None
            }
        }
    }

    fn service(
        &mut self,
        name: &S<String>,
        table: Range<usize>,
        s: &RawService,
        have_db: bool,
    ) -> Option<Service> {
        let svc = name.get_ref();
        let table_name = format!("services.{svc}");
        let header = table;
        let mut ok = true;
        let req_int = |v: &mut Validator,
                       key: &str,
                       val: &Option<S<i64>>,
                       help: &str|
         -> Option<(i64, Range<usize>)> {
            match val {
                None => {
                    v.missing(&table_name, key, header.clone(), help);
                    None
                }
                Some(x) => Some((*x.get_ref(), span(x))),
            }
        };
        let port = req_int(
            self,
            "port",
            &s.port,
            "add `port = 8080` (the container port)",
        );
        let cpu = req_int(self, "cpu", &s.cpu, "add `cpu = 256` (Fargate CPU units)");
        let memory = req_int(
            self,
            "memory",
            &s.memory,
            "add `memory = 512` (MiB, a valid Fargate size for the cpu)",
        );
        let desired = req_int(
            self,
            "desired_count",
            &s.desired_count,
            "add `desired_count = 2`",
        );
        let health = match &s.health_check {
            None => {
                self.missing(
                    &format!("services.{svc}"),
                    "health_check",
                    header.clone(),
                    "add `health_check = \"/health\"`",
                );
                None
            }
            Some(h) => Some(h),
        };
        let paths = match &s.paths {
            None => {
                self.missing(
                    &format!("services.{svc}"),
                    "paths",
                    header.clone(),
                    "add `paths = [\"/*\"]` (ALB path patterns this service serves)",
                );
                ok = false;
                None
            }
            Some(p) => Some(p),
        };

        if let Some((p, at)) = &port {
            if !(1..=65535).contains(p) {
                ok = false;
                self.error(
                    Diagnostic::error(format!("port {p} is out of range"))
                        .at(at.clone())
                        .label("must be 1 to 65535")
                        .help("use the port the container listens on, e.g. 8080"),
                );
            }
        }
        if let (Some((c, cat)), Some((m, mat))) = (&cpu, &memory) {
            match aws::fargate_memory(*c) {
                None => {
                    ok = false;
                    self.error(
                        Diagnostic::error(format!("cpu = {c} is not a Fargate task size"))
                            .at(cat.clone())
                            .help(format!(
                                "valid cpu values are {}",
                                aws::FARGATE_CPUS
                                    .iter()
                                    .map(|c| c.to_string())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )),
                    );
                }
                Some(valid) if !valid.contains(m) => {
                    ok = false;
                    let list = if valid.len() > 8 {
                        format!(
                            "{} to {} in steps of {}",
                            valid[0],
                            valid[valid.len() - 1],
                            valid[1] - valid[0]
                        )
                    } else {
                        valid
                            .iter()
                            .map(|v| v.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    self.error(
                        Diagnostic::error(format!(
                            "memory = {m} is not valid with cpu = {c} on Fargate"
                        ))
                        .at(mat.clone())
                        .label(format!("not a Fargate size for cpu = {c}"))
                        .help(format!("with cpu = {c}, memory must be one of {list}")),
                    );
                }
                Some(_) => {}
            }
        }
        if let Some((d, at)) = &desired {
            if !(0..=1000).contains(d) {
                ok = false;
                self.error(
                    Diagnostic::error(format!("desired_count = {d} is out of range"))
                        .at(at.clone())
                        .label("must be 0 to 1000")
                        .help("desired_count is the number of tasks to run, e.g. 2"),
                );
            }
        }
        if let Some(h) = health {
            let path = h.get_ref();
            if !path.starts_with('/')
                || path.len() > 1024
                || path
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || c == '"')
            {
                ok = false;
                self.error(
                    Diagnostic::error(format!("health check path `{}` is not valid", escape(path)))
                        .at(span(h))
                        .label("must start with `/`")
                        .help("write an absolute URL path, e.g. \"/health\""),
                );
            }
        }
        let mut rule_paths = Vec::new();
        let mut default = false;
        if let Some(p) = paths {
            if p.get_ref().is_empty() {
                ok = false;
                self.error(
                    Diagnostic::error(format!("service `{svc}` has no paths"))
                        .at(p.span())
                        .help("list at least one ALB path pattern, e.g. [\"/api/*\"], or [\"/*\"] for the default service"),
                );
            }
            for path in p.get_ref() {
                let pat = path.get_ref();
                let valid = pat.starts_with('/')
                    && pat.len() <= 128
                    && pat
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "_-.$/~\"'@:+*?&".contains(c));
                if !valid {
                    ok = false;
                    self.error(
                        Diagnostic::error(format!("path pattern `{}` is not valid for an ALB", escape(pat)))
                            .at(span(path))
                            .help("a pattern starts with `/`, is at most 128 characters of A-Z a-z 0-9 _ - . $ / ~ \" ' @ : + & and the wildcards * and ?"),
                    );
                } else if pat == "/*" {
                    default = true;
                } else {
                    rule_paths.push(pat.clone());
                }
            }
            if rule_paths.len() > 5 {
                ok = false;
                self.error(
                    Diagnostic::error(format!(
                        "service `{svc}` has {} path patterns; an ALB rule takes at most 5",
                        rule_paths.len()
                    ))
                    .at(p.span())
                    .help("combine patterns with wildcards, e.g. \"/api/*\""),
                );
            }
        }
        let database = s.database.as_ref().map(|d| *d.get_ref()).unwrap_or(false);
        if database && !have_db {
            ok = false;
        }
        let log_retention_days = self.retention(s.log_retention_days.as_ref(), 365);
        ok &= log_retention_days.is_some();

        let autoscaling = match &s.autoscaling {
            None => None,
            Some(a) => {
                let a_ref = a.get_ref();
                let header = a.span();
                let get = |v: &mut Validator,
                           key: &str,
                           val: &Option<S<i64>>,
                           default: Option<i64>|
                 -> Option<(i64, Range<usize>)> {
                    match (val, default) {
                        (Some(x), _) => Some((*x.get_ref(), span(x))),
                        (None, Some(d)) => Some((d, header.clone())),
                        (None, None) => {
                            let help = match key {
                                "min" => {
                                    "add `min = 1`: the fewest tasks autoscaling keeps running"
                                }
                                _ => "add `max = 4`: the most tasks autoscaling may start",
                            };
                            v.missing(
                                &format!("services.{svc}.autoscaling"),
                                key,
                                header.clone(),
                                help,
                            );
                            None
                        }
                    }
                };
                let min = get(self, "min", &a_ref.min, None);
                let max = get(self, "max", &a_ref.max, None);
                let cpu_target = get(self, "cpu_target", &a_ref.cpu_target, Some(70));
                let memory_target = get(self, "memory_target", &a_ref.memory_target, Some(80));
                for (key, t) in [
                    ("cpu_target", &cpu_target),
                    ("memory_target", &memory_target),
                ] {
                    if let Some((v, at)) = t {
                        if !(1..=100).contains(v) {
                            ok = false;
                            self.error(
                                Diagnostic::error(format!("{key} = {v} is out of range"))
                                    .at(at.clone())
                                    .label("must be 1 to 100")
                                    .help("a target utilisation is a percentage, e.g. 70"),
                            );
                        }
                    }
                }
                match (&min, &max, &desired) {
                    (Some((mn, mnat)), Some((mx, mxat)), Some((d, dat))) => {
                        if *mn < 0 {
                            ok = false;
                            self.error(
                                Diagnostic::error(format!("autoscaling min = {mn} is negative"))
                                    .at(mnat.clone())
                                    .label("must be 0 or more")
                                    .help(
                                        "min is the fewest tasks autoscaling keeps running, e.g. 1",
                                    ),
                            );
                        } else if *mx < 1 {
                            ok = false;
                            self.error(
                                Diagnostic::error(format!(
                                    "autoscaling max = {mx} never lets a task run"
                                ))
                                .at(mxat.clone())
                                .label("must be 1 or more")
                                .help("max is the most tasks autoscaling may start, e.g. 4"),
                            );
                        } else if mn > mx {
                            ok = false;
                            self.error(
                                Diagnostic::error(format!(
                                    "autoscaling min = {mn} is greater than max = {mx}"
                                ))
                                .at(mnat.clone())
                                .label(format!("greater than max = {mx}"))
                                .help("set min <= max"),
                            );
                        } else if d < mn || d > mx {
                            ok = false;
                            self.error(
                                Diagnostic::error(format!("desired_count = {d} is outside autoscaling min = {mn} .. max = {mx}"))
                                    .at(dat.clone())
                                    .label("outside the autoscaling range")
                                    .help(format!("set desired_count between {mn} and {mx}, or widen the autoscaling range")),
                            );
                        }
                    }
                    _ => ok = false,
                }
                match (min, max, cpu_target, memory_target) {
                    (Some(mn), Some(mx), Some(c), Some(m)) => Some(Autoscaling {
                        min: mn.0.max(0) as u32,
                        max: mx.0.max(0) as u32,
                        cpu_target: c.0.clamp(0, 100) as u32,
                        memory_target: m.0.clamp(0, 100) as u32,
                    }),
                    _ => {
                        ok = false;
                        None
                    }
                }
            }
        };

        let mut env = BTreeMap::new();
        if let Some(vars) = &s.env {
            for (k, val) in vars.get_ref() {
                let key = k.get_ref();
                let valid = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && key.len() <= 255;
                if !valid {
                    ok = false;
                    self.error(
                        Diagnostic::error(format!("`{}` is not a valid environment variable name", escape(key)))
                            .at(span(k))
                            .help("use letters, digits and underscores, not starting with a digit, e.g. NODE_ENV"),
                    );
                    continue;
                }
                let upper = key.to_ascii_uppercase();
                if upper.contains("PASSWORD")
                    || upper.contains("SECRET")
                    || upper.contains("TOKEN")
                    || upper.ends_with("_KEY")
                    || upper == "KEY"
                {
                    ok = false;
                    self.error(
                        Diagnostic::error(format!("`{key}` looks like a secret and must not be a plain environment variable"))
                            .at(span(k))
                            .label("secret-looking name")
                            .help("plain environment variables are visible in the task definition; store secrets in AWS Secrets Manager (the database password is injected for you with `database = true`)"),
                    );
                    continue;
                }
                if database
                    && ["DB_HOST", "DB_PORT", "DB_NAME", "DB_USER", "DB_PASSWORD"]
                        .contains(&key.as_str())
                {
                    ok = false;
                    self.error(
                        Diagnostic::error(format!("`{key}` is set by brewgen for services with `database = true`"))
                            .at(span(k))
                            .help("remove it from [env]; brewgen injects DB_HOST, DB_PORT, DB_NAME, DB_USER and DB_PASSWORD"),
                    );
                    continue;
                }
                env.insert(key.clone(), val.get_ref().clone());
            }
        }

        if !ok {
            return None;
        }
        Some(Service {
            name: svc.clone(),
            port: port?.0 as u32,
            cpu: cpu?.0 as u32,
            memory: memory?.0 as u32,
            desired_count: desired?.0 as u32,
            health_check: health?.get_ref().clone(),
            rule_paths,
            default,
            priority: 0,
            spot: s.spot.as_ref().map(|v| *v.get_ref()).unwrap_or(false),
            database,
            read_only_root_filesystem: s
                .read_only_root_filesystem
                .as_ref()
                .map(|v| *v.get_ref())
                .unwrap_or(true),
            execute_command: s
                .execute_command
                .as_ref()
                .map(|v| *v.get_ref())
                .unwrap_or(false),
            log_retention_days: log_retention_days?,
            autoscaling,
            env,
        })
    }

    /// Exactly one service takes `/*`; no pattern is claimed twice; rule priorities put the most
    /// specific patterns first.
    fn routing(&mut self, services: &mut [Service], raw: &RawDescription) {
        let defaults: Vec<&Service> = services.iter().filter(|s| s.default).collect();
        let path_span = |svc: &str, pat: &str| -> Option<Range<usize>> {
            raw.services
                .iter()
                .find(|(k, _)| k.get_ref() == svc)
                .and_then(|(_, s)| s.get_ref().paths.as_ref())
                .and_then(|p| p.get_ref().iter().find(|x| x.get_ref() == pat).map(span))
        };
        match defaults.len() {
            // A service left out for a wrong type may have been the default one.
            0 if self.invalid.any_under(&["services"]) => {}
            0 => {
                let first = raw.services.values().min_by_key(|s| s.span().start);
                let mut d = Diagnostic::error("no service serves the default path `/*`")
                    .help("add \"/*\" to the `paths` of the service that should receive all other requests");
                if let Some(paths) = first.and_then(|s| s.get_ref().paths.as_ref()) {
                    d = d.at(paths.span()).label(if services.len() == 1 {
                        "no `/*` here"
                    } else {
                        "no `/*` here, nor in any other service"
                    });
                }
                self.error(d);
            }
            1 => {}
            _ => {
                let second = defaults[1].name.clone();
                let first = defaults[0].name.clone();
                self.error(
                    Diagnostic::error(format!("services `{first}` and `{second}` both serve the default path `/*`"))
                        .at(path_span(&second, "/*").unwrap_or(0..0))
                        .label("second claim of `/*`")
                        .help("exactly one service takes \"/*\"; give the others specific patterns such as \"/api/*\""),
                );
            }
        }
        let mut seen: BTreeMap<String, String> = BTreeMap::new();
        for s in services.iter() {
            for p in &s.rule_paths {
                if let Some(owner) = seen.get(p) {
                    self.error(
                        Diagnostic::error(format!(
                            "path pattern `{p}` is claimed by both `{owner}` and `{}`",
                            s.name
                        ))
                        .at(path_span(&s.name, p).unwrap_or(0..0))
                        .label(format!("already claimed by `{owner}`"))
                        .help("each path pattern routes to exactly one service"),
                    );
                } else {
                    seen.insert(p.clone(), s.name.clone());
                }
            }
        }
        // Most specific (longest literal prefix) first; ties by name for stability.
        let mut order: Vec<(usize, String)> = services
            .iter()
            .map(|s| {
                // Services without a rule of their own sort last; they still get a unique priority.
                let specificity = s
                    .rule_paths
                    .iter()
                    .map(|p| p.find(['*', '?']).unwrap_or(p.len()) + 1)
                    .max()
                    .unwrap_or(0);
                (usize::MAX - specificity, s.name.clone())
            })
            .collect();
        order.sort();
        for (i, (_, name)) in order.iter().enumerate() {
            if let Some(s) = services.iter_mut().find(|s| &s.name == name) {
                s.priority = 100 + 10 * i as u32;
            }
        }
    }

    fn database(&mut self, d: &RawDatabase, project: Option<&str>) -> Option<Database> {
        let mut ok = true;
        let engine = d.engine.as_ref()?;
        if engine.get_ref() != "postgres" {
            ok = false;
            self.error(
                Diagnostic::error(format!(
                    "database engine `{}` is not supported",
                    escape(engine.get_ref())
                ))
                .at(span(engine))
                .help("brewgen supports engine = \"postgres\""),
            );
        }
        let version = d.version.as_ref()?;
        if !aws::POSTGRES_VERSIONS.contains(&version.get_ref().as_str()) {
            ok = false;
            self.error(
                Diagnostic::error(format!(
                    "PostgreSQL version `{}` is not supported",
                    escape(version.get_ref())
                ))
                .at(span(version))
                .label("not a supported major version")
                .help(format!(
                    "use one of {}",
                    aws::POSTGRES_VERSIONS
                        .iter()
                        .map(|v| format!("\"{v}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
        let class = d.instance_class.as_ref()?;
        let parts: Vec<&str> = class.get_ref().split('.').collect();
        if !(parts.len() == 3
            && parts[0] == "db"
            && parts[1]
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
            && parts[1].starts_with(|c: char| c.is_ascii_lowercase())
            && !parts[2].is_empty()
            && parts[2]
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
        {
            ok = false;
            self.error(
                Diagnostic::error(format!(
                    "`{}` is not an RDS instance class",
                    escape(class.get_ref())
                ))
                .at(span(class))
                .help("write it as db.<family>.<size>, e.g. \"db.t3.micro\" or \"db.r6g.large\""),
            );
        }
        let storage = d.storage_gb.as_ref()?;
        let storage_gb = *storage.get_ref();
        if !(20..=65536).contains(&storage_gb) {
            ok = false;
            self.error(
                Diagnostic::error(format!("storage_gb = {storage_gb} is out of range"))
                    .at(span(storage))
                    .label("must be 20 to 65536")
                    .help("RDS PostgreSQL gp3 storage is 20 to 65536 GiB"),
            );
        }
        let max_storage_gb = match &d.max_storage_gb {
            None => (storage_gb * 2).clamp(20, 65536),
            Some(m) => {
                let v = *m.get_ref();
                if v < storage_gb || v > 65536 {
                    ok = false;
                    self.error(
                        Diagnostic::error(format!("max_storage_gb = {v} must be between storage_gb ({storage_gb}) and 65536"))
                            .at(span(m))
                            .help("max_storage_gb is the storage autoscaling ceiling"),
                    );
                }
                v
            }
        };
        let multi_az = d.multi_az.as_ref().map(|m| *m.get_ref()).unwrap_or(true);
        let backup = match &d.backup_retention_days {
            None => 7,
            Some(b) => {
                let v = *b.get_ref();
                if !(0..=35).contains(&v) {
                    ok = false;
                    self.error(
                        Diagnostic::error(format!("backup_retention_days = {v} is out of range"))
                            .at(span(b))
                            .label("must be 0 to 35")
                            .help("RDS keeps automated backups for 0 to 35 days"),
                    );
                } else if v == 0 && multi_az && !self.invalid.contains(&["database", "multi_az"]) {
                    ok = false;
                    self.error(
                        Diagnostic::error("backup_retention_days = 0 disables backups, which a Multi-AZ database needs")
                            .at(span(b))
                            .help("set backup_retention_days to at least 1, or multi_az = false"),
                    );
                }
                v
            }
        };
        let default_name = project.unwrap_or("app").replace('-', "_");
        let name = match &d.name {
            None => default_name,
            Some(n) => {
                let v = n.get_ref();
                if !(v.len() <= 63
                    && v.starts_with(|c: char| c.is_ascii_alphabetic())
                    && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                {
                    ok = false;
                    self.error(
                        Diagnostic::error(format!("database name `{}` is not valid", escape(v)))
                            .at(span(n))
                            .help("use letters, digits and underscores, starting with a letter, at most 63 characters (hyphens are not allowed)"),
                    );
                }
                v.clone()
            }
        };
        let username = match &d.username {
            None => "postgres".to_string(),
            Some(u) => {
                let v = u.get_ref();
                let reserved = ["rdsadmin", "admin", "root", "user", "public"];
                if !(v.len() <= 63
                    && v.starts_with(|c: char| c.is_ascii_alphabetic())
                    && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                    || reserved.contains(&v.as_str())
                {
                    ok = false;
                    self.error(
                        Diagnostic::error(format!("database username `{}` is not valid", escape(v)))
                            .at(span(u))
                            .help("use letters, digits and underscores, starting with a letter, at most 63 characters, not a reserved word (rdsadmin, admin, root, user, public)"),
                    );
                }
                v.clone()
            }
        };
        if !ok {
            return None;
        }
        Some(Database {
            engine: engine.get_ref().clone(),
            version: version.get_ref().clone(),
            instance_class: class.get_ref().clone(),
            storage_gb: storage_gb as u32,
            max_storage_gb: max_storage_gb as u32,
            multi_az,
            backup_retention_days: backup as u32,
            name,
            username,
            port: 5432,
        })
    }

    fn waf(&mut self, w: &RawWaf) -> Option<Waf> {
        let mut ok = true;
        let rate_limit = match &w.rate_limit {
            None => 2000,
            Some(r) => {
                let v = *r.get_ref();
                if !(10..=aws::WAF_RATE_LIMIT_MAX).contains(&v) {
                    ok = false;
                    self.error(
                        Diagnostic::error(format!(
                            "rate_limit = {v} is outside what AWS WAF accepts"
                        ))
                        .at(span(r))
                        .label("must be 10 to 2000000000")
                        .help("the limit is requests per 5 minutes per client IP, e.g. 2000"),
                    );
                }
                v
            }
        };
        let mut managed_rules = Vec::new();
        match &w.managed_rules {
            None => {
                for short in ["common", "known-bad-inputs", "sqli"] {
                    managed_rules.push(
                        aws::MANAGED_RULES
                            .iter()
                            .find(|(s, _)| *s == short)
                            .unwrap()
                            .1
                            .to_string(),
                    );
                }
            }
            Some(list) => {
                let mut seen = BTreeSet::new();
                for r in list.get_ref() {
                    match aws::MANAGED_RULES.iter().find(|(s, _)| *s == r.get_ref()) {
                        Some((_, group)) => {
                            if !seen.insert(r.get_ref().clone()) {
                                ok = false;
                                self.error(
                                    Diagnostic::error(format!(
                                        "managed rule `{}` is listed twice",
                                        r.get_ref()
                                    ))
                                    .at(span(r))
                                    .help("list each rule group once"),
                                );
                            }
                            managed_rules.push(group.to_string());
                        }
                        None => {
                            ok = false;
                            let mut d = Diagnostic::error(format!(
                                "unknown managed rule group `{}`",
                                escape(r.get_ref())
                            ))
                            .at(span(r))
                            .label("not a supported rule group");
                            d = match did_you_mean(
                                r.get_ref(),
                                aws::MANAGED_RULES.iter().map(|(s, _)| *s),
                            ) {
                                Some(s) => d.help(format!("did you mean `{s}`?")),
                                None => d.help(format!(
                                    "supported rule groups: {}",
                                    aws::MANAGED_RULES
                                        .iter()
                                        .map(|(s, _)| *s)
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                )),
                            };
                            self.error(d);
                        }
                    }
                }
            }
        }
        let mut blocked_countries = Vec::new();
        if let Some(list) = &w.blocked_countries {
            for c in list.get_ref() {
                if aws::is_country(c.get_ref()) {
                    blocked_countries.push(c.get_ref().clone());
                } else {
                    ok = false;
                    let upper = c.get_ref().to_ascii_uppercase();
                    let help = if aws::is_country(&upper) {
                        format!("country codes are upper case: \"{upper}\"")
                    } else {
                        "use ISO 3166-1 alpha-2 codes such as \"DE\" or \"US\"".to_string()
                    };
                    self.error(
                        Diagnostic::error(format!(
                            "`{}` is not an ISO 3166 alpha-2 country code",
                            escape(c.get_ref())
                        ))
                        .at(span(c))
                        .help(help),
                    );
                }
            }
        }
        let mut allow_ips = Vec::new();
        if let Some(list) = &w.allow_ips {
            for ip in list.get_ref() {
                match ip.get_ref().parse::<Ipv4Net>() {
                    Ok(net) if net.addr() == net.network() => allow_ips.push(net.to_string()),
                    Ok(net) => {
                        ok = false;
                        self.error(
                            Diagnostic::error(format!("`{}` has host bits set", ip.get_ref()))
                                .at(span(ip))
                                .help(format!("did you mean \"{}\"?", net.trunc())),
                        );
                    }
                    Err(_) => {
                        ok = false;
                        self.error(
                            Diagnostic::error(format!("`{}` is not an IPv4 CIDR block", escape(ip.get_ref())))
                                .at(span(ip))
                                .help("write addresses as CIDR blocks, e.g. \"203.0.113.0/24\" or \"198.51.100.7/32\""),
                        );
                    }
                }
            }
        }
        let log_retention_days = self.retention(w.log_retention_days.as_ref(), 365);
        if !ok {
            return None;
        }
        Some(Waf {
            rate_limit: rate_limit as u64,
            managed_rules,
            blocked_countries,
            allow_ips,
            log_retention_days: log_retention_days?,
        })
    }

    /// Every AWS name brewgen derives, as the templates build it, checked against the limit of
    /// the resource that carries it. Only the ALB and target group limits (32) can be reached
    /// within the name limits of projects (20), environments and services (16 each); the
    /// others are checked so a future, longer suffix cannot slip through.
    fn derived_names(&mut self, env: &Environment, project: &Project, env_name: &S<String>) {
        let p = &env.prefix;
        // (resource, service it belongs to, name, AWS's limit for that resource's name)
        let mut names: Vec<(&str, Option<&str>, String, usize)> = vec![
            ("load balancer", None, format!("{p}-alb"), 32),
            (
                "load balancer access-log S3 bucket",
                None,
                // `<account-id>` has the 12 characters of the account ID it stands for.
                format!("{p}-alb-logs-<account-id>"),
                63,
            ),
            ("WAF web ACL", None, p.clone(), 128),
            ("ECS cluster", None, p.clone(), 255),
        ];
        if project.github_repo.is_some() {
            let deploy = format!("{}-{}-deploy", project.name, env.name);
            names.push(("GitHub deploy IAM role", None, deploy.clone(), 64));
            names.push((
                "GitHub deploy IAM policy",
                None,
                format!("{deploy}-platform"),
                128,
            ));
        }
        if env.database.is_some() {
            names.push(("RDS instance identifier", None, p.clone(), 63));
            names.push((
                "RDS monitoring IAM role",
                None,
                format!("{p}-rds-monitoring"),
                64,
            ));
            names.push((
                "RDS final snapshot identifier",
                None,
                format!("{p}-final"),
                255,
            ));
        }
        for s in &env.services {
            let svc = Some(s.name.as_str());
            names.push(("target group", svc, format!("{p}-{}", s.name), 32));
            names.push((
                "task execution IAM role",
                svc,
                format!("{p}-{}-execution", s.name),
                64,
            ));
            names.push(("task IAM role", svc, format!("{p}-{}-task", s.name), 64));
        }
        for (what, service, name, limit) in names {
            if name.len() <= limit {
                continue;
            }
            let over = crate::diagnostic::plural(name.len() - limit, "character");
            let (made_of, help) = match service {
                Some(svc) => (
                    format!(
                        "project `{}`, environment `{}` and service `{svc}`",
                        project.name, env.name
                    ),
                    format!("shorten the project, environment or service name by {over}"),
                ),
                None => (
                    format!("project `{}` and environment `{}`", project.name, env.name),
                    format!("shorten the project or environment name by {over}"),
                ),
            };
            self.error(
                Diagnostic::error(format!(
                    "the {what} name `{name}` would be {} characters, over AWS's limit of {limit}",
                    name.len()
                ))
                .at(span(env_name))
                .label(format!("named after {made_of}"))
                .help(help),
            );
        }
    }

    fn cross_environment(
        &mut self,
        envs: &[Environment],
        raw: &S<BTreeMap<S<String>, S<RawEnvironment>>>,
    ) {
        let mut hosts: BTreeMap<&str, &str> = BTreeMap::new();
        for e in envs {
            if self
                .invalid
                .contains(&["environments", &e.name, "subdomain"])
            {
                continue;
            }
            if let Some(f) = &e.fqdn {
                if let Some(other) = hosts.insert(f, &e.name) {
                    let at = raw
                        .get_ref()
                        .iter()
                        .find(|(k, _)| k.get_ref() == &e.name)
                        .map(|(k, _)| span(k))
                        .unwrap_or(0..0);
                    self.error(
                        Diagnostic::error(format!(
                            "environments `{other}` and `{}` are both served at {f}",
                            e.name
                        ))
                        .at(at)
                        .help("give each environment its own `subdomain`"),
                    );
                }
            }
        }
    }
}

fn project_name_span_fallback(raw: Option<&S<RawState>>) -> Range<usize> {
    raw.map(|s| s.span()).unwrap_or(0..0)
}

/// `^[a-z][a-z0-9-]{min-1,max-1}$`, without a trailing or doubled hyphen.
pub fn is_name(s: &str, min: usize, max: usize) -> bool {
    s.len() >= min
        && s.len() <= max
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.ends_with('-')
        && !s.contains("--")
}

fn suggest_name(s: &str, max: usize) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_start_matches(|c: char| !c.is_ascii_lowercase());
    // Too long: keep whole words (cut at a hyphen) when that leaves a usable name.
    let out = match out.get(..max) {
        Some(head) if out.len() > max => match head.rfind('-') {
            Some(cut) if cut >= 2 && out.as_bytes()[max] != b'-' => &head[..cut],
            _ => head,
        },
        _ => out,
    };
    let out = out.trim_end_matches('-').to_string();
    if out.len() < 2 {
        "myapp".into()
    } else {
        out
    }
}

/// Makes a user's value safe to show inside backticks on one line.
fn escape(s: &str) -> String {
    s.escape_debug().to_string()
}

/// The key path of a table named in a message (`services.api.autoscaling`), keeping a service
/// name intact even when it (invalidly) contains a dot.
fn table_path(table: &str) -> impl Iterator<Item = &str> {
    let mut parts = Vec::new();
    match table.strip_prefix("services.") {
        Some(rest) => {
            parts.push("services");
            match rest.strip_suffix(".autoscaling") {
                Some(svc) => parts.extend([svc, "autoscaling"]),
                None => parts.push(rest),
            }
        }
        None => parts.push(table),
    }
    parts.into_iter()
}

/// What is wrong with a project, service or environment name, as a message and a label, or
/// `None` when it is valid. Path-like names say why they are dangerous.
fn name_problem(kind: &str, name: &str, min: usize, max: usize) -> Option<(String, String)> {
    if is_name(name, min, max) {
        return None;
    }
    let shown = escape(name);
    Some(if name.contains(['/', '\\', '\0']) || name.contains("..") {
        (
            format!("{kind} name `{shown}` is not valid"),
            "a name cannot be a path: no `/`, `\\`, `..` or NUL".into(),
        )
    } else if name.len() > max && is_name(name, min, usize::MAX) {
        (
            format!("{kind} name `{shown}` is {} characters long", name.len()),
            format!("at most {max} characters"),
        )
    } else {
        (
            format!("{kind} name `{shown}` is not valid"),
            format!("must match ^[a-z][a-z0-9-]{{{},{}}}$", min - 1, max - 1),
        )
    })
}
