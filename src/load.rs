//! Description bytes → raw serde structs, with every TOML, type and unknown-key error turned
//! into a diagnostic.
//!
//! serde stops at the first problem it meets, but a user fixing brewgen.toml (often in CI) wants
//! every problem in one run. So loading goes in passes:
//! 1. [`read`] and [`decode`]: the bytes are UTF-8, not empty and not absurdly large;
//! 2. [`parse`]: TOML syntax. The parser recovers after an error, so the syntax errors after
//!    the first one are reported too; with any syntax error, loading stops here;
//! 3. a walk of the spanned document against each table's `KEYS` (declared next to the structs
//!    in `raw`) that reports every unknown key, with a did-you-mean, and every wrong type, with
//!    the fix, and removes them from the document;
//! 4. the cleaned document is deserialized into [`RawDescription`], so `validate` still checks
//!    everything that was well-formed. Keys the user evidently wrote but that did not make it
//!    into the structs are remembered in [`InvalidKeys`], so `validate` does not also report
//!    them as missing, nor what follows from their absence.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::io::Read as _;
use std::path::Path;

use serde::Deserialize as _;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::diagnostic::{did_you_mean, normalize, Diagnostic};
use crate::raw::{
    Key, RawDatabase, RawDescription, RawEnvironment, RawNetwork, RawProject, RawService, RawState,
    RawWaf, Shape,
};

/// Descriptions larger than this are rejected before parsing.
pub const MAX_DESCRIPTION_BYTES: usize = 1024 * 1024;

/// Reads a description file, but never more than one byte past [`MAX_DESCRIPTION_BYTES`]: enough
/// for [`decode`] to reject it, and safe on `/dev/zero` or a multi-gigabyte file given by mistake.
pub fn read(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_DESCRIPTION_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Checks the raw bytes of a description: UTF-8, not empty, not absurdly large.
pub fn decode(bytes: &[u8]) -> Result<&str, Diagnostic> {
    if bytes.len() > MAX_DESCRIPTION_BYTES {
        return Err(Diagnostic::error(format!(
            "the description is larger than {} KiB",
            MAX_DESCRIPTION_BYTES / 1024
        ))
        .help(
            "a brewgen.toml is a few kilobytes; check that the right file is given with --config",
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        // The text shown is decoded lossily: identical up to the bad byte, which becomes U+FFFD.
        let at = e.valid_up_to();
        Diagnostic::error("the description is not valid UTF-8")
            .at(at..at + char::REPLACEMENT_CHARACTER.len_utf8())
            .label("not UTF-8")
            .help("save brewgen.toml as UTF-8")
    })?;
    if text.trim().is_empty() {
        return Err(Diagnostic::error("the description is empty")
            .help("run `brewgen init` to write a complete, commented brewgen.toml"));
    }
    Ok(text)
}

/// A description whose TOML is well-formed, as raw structs, with the problems found on the way.
#[derive(Debug)]
pub struct Parsed {
    /// Everything that had the right shape; unknown keys and wrongly typed values are left out.
    pub raw: RawDescription,
    /// Unknown keys, wrong types and missing required tables, all errors.
    pub diagnostics: Vec<Diagnostic>,
    /// What was meant but left out, so `validate` stays quiet about what follows from that.
    pub invalid: InvalidKeys,
}

/// Key paths (`["services", "api", "port"]`) the user evidently meant to set but that are not in
/// the raw structs, each already reported: values of the wrong type, misspelt keys with a
/// did-you-mean (at the path of the suggestion), top-level keys caught inside a table, and
/// missing required tables. An override in an environment is recorded twice: at its own path and
/// at the path of the base key it overrides.
#[derive(Debug, Clone, Default)]
pub struct InvalidKeys(BTreeSet<Vec<String>>);

impl InvalidKeys {
    fn insert(&mut self, path: &[String]) {
        self.0.insert(path.to_vec());
        if let [first, _env, rest @ ..] = path {
            if first == "environments" && !rest.is_empty() {
                self.0.insert(rest.to_vec());
            }
        }
    }

    /// True when the key at `path`, or a table containing it, was left out.
    pub fn contains(&self, path: &[&str]) -> bool {
        (1..=path.len()).any(|n| {
            self.0
                .contains(&path[..n].iter().map(|s| s.to_string()).collect::<Vec<_>>())
        })
    }

    /// True when anything at or below `path` was left out.
    pub fn any_under(&self, path: &[&str]) -> bool {
        self.contains(path)
            || self
                .0
                .iter()
                .any(|p| p.len() >= path.len() && p.iter().zip(path).all(|(a, b)| a.as_str() == *b))
    }
}

/// Parses description text into raw structs. Fails with every syntax error when the TOML is not
/// well-formed; otherwise returns the raw structs with every unknown key and wrong type.
pub fn parse(text: &str) -> Result<Parsed, Vec<Diagnostic>> {
    let (mut doc, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        let mut diagnostics = errors.iter().map(|e| syntax_error(text, e)).collect();
        normalize(&mut diagnostics);
        return Err(diagnostics);
    }
    let mut walker = Walker {
        text,
        diagnostics: Vec::new(),
        invalid: InvalidKeys::default(),
    };
    walker.table(doc.get_mut(), RawDescription::KEYS, &[]);
    walker.required_tables(doc.get_mut());
    let raw = RawDescription::deserialize(toml::de::Deserializer::from(doc))
        // The walk above mirrors serde exactly (a unit test proves it); this is a safety net.
        .map_err(|e| vec![serde_error(text, &e)])?;
    Ok(Parsed {
        raw,
        diagnostics: walker.diagnostics,
        invalid: walker.invalid,
    })
}

fn syntax_error(text: &str, e: &toml::de::Error) -> Diagnostic {
    let message = e.message().trim();
    let span = e.span().map(|s| clamp(text, s));
    let found = span.clone().and_then(|s| text.get(s)).unwrap_or_default();
    let mut d = match message {
        "duplicate key" => match header_of(text, span.clone().unwrap_or_default()) {
            Some(header) => Diagnostic::error(format!("invalid TOML: duplicate table `{header}`"))
                .label("defined more than once")
                .help(format!(
                    "a table can be defined only once; move these keys into the first {header}"
                )),
            None => Diagnostic::error(format!("invalid TOML: duplicate key `{found}`"))
                .label("defined more than once")
                .help("a key can be set only once in a table; remove one of them"),
        },
        "invalid basic string, expected `\"`" => {
            Diagnostic::error("invalid TOML: unterminated string")
                .label("missing closing `\"`")
                .help("close the string with `\"` on the same line")
        }
        "string values must be quoted, expected literal string" => {
            Diagnostic::error("invalid TOML: string values must be quoted")
                .label("not quoted")
                .help(format!("write \"{}\"", found.escape_debug()))
        }
        // A bare word starting with `t` or `f` is taken for a misspelt boolean.
        m if m.starts_with("invalid boolean")
            && found
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c)) =>
        {
            Diagnostic::error("invalid TOML: string values must be quoted")
                .label("not quoted")
                .help(format!(
                    "write \"{found}\", or `true` or `false` for a boolean"
                ))
        }
        _ => Diagnostic::error(format!("invalid TOML: {message}")),
    };
    if let Some(span) = span {
        d = d.at(span);
    }
    d
}

/// The table header (`[services.web]`) on the line of `at`, if that line is one.
fn header_of(text: &str, at: std::ops::Range<usize>) -> Option<&str> {
    let start = text.get(..at.start)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next()?.trim();
    let end = line.rfind(']')?;
    line.starts_with('[').then(|| &line[..=end])
}

fn serde_error(text: &str, e: &toml::de::Error) -> Diagnostic {
    let d = Diagnostic::error(format!("invalid description: {}", e.message().trim()));
    match e.span() {
        Some(s) => d.at(clamp(text, s)),
        None => d,
    }
}

fn clamp(text: &str, s: std::ops::Range<usize>) -> std::ops::Range<usize> {
    s.start.min(text.len())..s.end.min(text.len())
}

/// Walks the spanned document against the `KEYS` of each table.
struct Walker<'t> {
    text: &'t str,
    diagnostics: Vec<Diagnostic>,
    invalid: InvalidKeys,
}

type Value<'i> = Spanned<DeValue<'i>>;

impl Walker<'_> {
    /// Checks every entry of a table with a fixed key set, removing unknown and invalid ones.
    fn table(&mut self, table: &mut DeTable<'_>, keys: &'static [Key], path: &[String]) {
        let mut remove = Vec::new();
        for (k, v) in table.iter_mut() {
            let name: &str = k.get_ref();
            let child = child(path, name);
            match keys.iter().find(|key| key.name == name) {
                None => {
                    self.unknown_key(name, k.span(), v, keys, path);
                    remove.push(name.to_string());
                }
                Some(key) => {
                    if !self.value(v, key.shape, &child) {
                        self.invalid.insert(&child);
                        remove.push(name.to_string());
                    }
                }
            }
        }
        for name in remove {
            table.remove(name.as_str());
        }
    }

    /// Checks one value against its shape. Reports and returns false when it has the wrong type.
    fn value(&mut self, v: &mut Value<'_>, shape: Shape, path: &[String]) -> bool {
        let span = v.span();
        match (shape, v.get_mut()) {
            (Shape::String, DeValue::String(_)) | (Shape::Boolean, DeValue::Boolean(_)) => true,
            (Shape::Integer, DeValue::Integer(i)) => {
                if i64::from_str_radix(i.as_str(), i.radix()).is_ok() {
                    return true;
                }
                self.diagnostics.push(
                    Diagnostic::error(format!("{} is too large a number", subject(path)))
                        .at(span)
                        .label("out of range"),
                );
                false
            }
            (Shape::StringList, DeValue::Array(items)) => {
                let mut ok = true;
                for item in items.iter() {
                    if !matches!(item.get_ref(), DeValue::String(_)) {
                        ok = false;
                        let found = describe(item.get_ref());
                        let mut d = Diagnostic::error(format!(
                            "{} must be a list of strings, but this item is {found}",
                            subject(path)
                        ))
                        .at(item.span())
                        .label("expected a string");
                        if is_scalar(item.get_ref()) {
                            d = d.help(format!("quote it: \"{}\"", self.source(item.span())));
                        }
                        self.diagnostics.push(d);
                    }
                }
                ok
            }
            (Shape::Table(keys), DeValue::Table(t)) => {
                self.table(t, keys, path);
                true
            }
            (Shape::Map(inner), DeValue::Table(t)) => {
                let mut remove = Vec::new();
                for (k, entry) in t.iter_mut() {
                    let name: &str = k.get_ref();
                    let child = child(path, name);
                    if !self.value(entry, *inner, &child) {
                        self.invalid.insert(&child);
                        remove.push(name.to_string());
                    }
                }
                for name in remove {
                    t.remove(name.as_str());
                }
                true
            }
            (shape, found) => {
                let d = self.wrong_type(shape, found, span, path);
                self.diagnostics.push(d);
                false
            }
        }
    }

    fn wrong_type(
        &self,
        shape: Shape,
        found: &DeValue<'_>,
        span: std::ops::Range<usize>,
        path: &[String],
    ) -> Diagnostic {
        let key = path.last().map(String::as_str).unwrap_or_default();
        let src = self.source(span.clone());
        let expected = expected(shape);
        let d = Diagnostic::error(format!(
            "{} must be {expected}, not {}",
            subject(path),
            describe(found)
        ))
        .at(span)
        .label(format!("expected {expected}"));
        let key = bare_key(key);
        match (shape, found) {
            (Shape::Integer, DeValue::String(s)) if s.trim().parse::<i64>().is_ok() => {
                d.help(format!("remove the quotes: `{key} = {}`", s.trim()))
            }
            (Shape::Integer, DeValue::Float(f)) => match f.as_str().parse::<f64>() {
                Ok(x) if x.fract() == 0.0 && x.abs() < 1e15 => {
                    d.help(format!("write a whole number: `{key} = {}`", x as i64))
                }
                _ => d.help("use a whole number"),
            },
            (Shape::Boolean, DeValue::String(s)) if s == "true" || s == "false" => {
                d.help(format!("remove the quotes: `{key} = {s}`"))
            }
            (Shape::Boolean, _) => d.help(format!("write `{key} = true` or `{key} = false`")),
            (Shape::String, v) if is_scalar(v) => d.help(format!("quote it: `{key} = \"{src}\"`")),
            (Shape::StringList, DeValue::String(_)) => {
                d.help(format!("put it in a list: `{key} = [{src}]`"))
            }
            (Shape::Table(_), _) => d.help(match path {
                [top] => format!("write it as a table: a line `[{top}]` with its keys below it"),
                _ => format!(
                    "write it as a table: `[{}]` with its keys below it, or `{key} = {{ ... }}`",
                    dotted(path)
                ),
            }),
            (Shape::Map(_), _) if path.len() == 1 => d.help(format!(
                "write one table per entry, named after it: `[{key}.<name>]`"
            )),
            _ => d,
        }
    }

    fn unknown_key(
        &mut self,
        name: &str,
        at: std::ops::Range<usize>,
        value: &Value<'_>,
        keys: &'static [Key],
        path: &[String],
    ) {
        let shown = bare_key(name);
        let message = if path.is_empty() {
            if matches!(value.get_ref(), DeValue::Table(_)) {
                format!("unknown table `[{shown}]`")
            } else {
                format!("unknown top-level key `{shown}`")
            }
        } else {
            format!("unknown key `{shown}` in [{}]", dotted(path))
        };
        let names = || keys.iter().map(|k| k.name);
        let is_environment = keys == RawEnvironment::KEYS;
        let home = |table: &'static str, keys: &[Key]| {
            keys.iter().any(|k| k.name == name).then_some(table)
        };
        let help = if let Some(s) = did_you_mean(name, names()) {
            // A misspelt key was meant to be there: `validate` must not also call it missing.
            self.invalid.insert(&child(path, s));
            format!("did you mean `{s}`?")
        } else if is_environment && home("", RawService::KEYS).is_some() {
            format!("`{name}` is a service setting; override it for one service with `services = {{ <name> = {{ {name} = ... }} }}`")
        } else if let Some(table) = is_environment
            .then(|| {
                home("network", RawNetwork::KEYS)
                    .or_else(|| home("database", RawDatabase::KEYS))
                    .or_else(|| home("waf", RawWaf::KEYS))
            })
            .flatten()
        {
            format!(
                "`{name}` belongs in [{table}]; override it with `{table} = {{ {name} = ... }}`"
            )
        } else if is_environment
            && (name == "project"
                || name == "state"
                || home("", RawProject::KEYS).is_some()
                || home("", RawState::KEYS).is_some())
        {
            "only [network], [database], [waf] and [services.<name>] settings can differ per environment".to_string()
        } else if !path.is_empty() && home("", RawDescription::KEYS).is_some() {
            // TOML puts every key after a `[table]` header into that table. It was meant to be
            // there, so `validate` must not also call it missing.
            self.invalid.insert(&[name.to_string()]);
            format!("`{name}` is a top-level key, but here it is read as part of [{}]: move it above the first [table] header", dotted(path))
        } else if keys == RawNetwork::KEYS && name.contains("subnet") {
            "brewgen derives the public, private and database subnets of every AZ from `cidr`; they cannot be listed".to_string()
        } else {
            format!(
                "valid keys here: {}",
                names()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        let label = if message.starts_with("unknown table") {
            "unknown table"
        } else {
            "unknown key"
        };
        self.diagnostics
            .push(Diagnostic::error(message).at(at).label(label).help(help));
    }

    /// Reports missing required top-level tables and puts an empty one in their place, so the
    /// rest of the description can still be deserialized and checked.
    fn required_tables(&mut self, root: &mut DeTable<'_>) {
        for key in RawDescription::KEYS.iter().filter(|k| k.required) {
            if root.contains_key(key.name) {
                continue;
            }
            let path = [key.name.to_string()];
            if !self.invalid.contains(&[key.name]) {
                let help = match key.name {
                    "project" => "add a [project] table with at least `name` and `region`",
                    "network" => {
                        "add a [network] table with at least `cidr`, e.g. `cidr = \"10.0.0.0/16\"`"
                    }
                    _ => "add it",
                };
                self.diagnostics
                    .push(Diagnostic::error(format!("missing [{}] table", key.name)).help(help));
                self.invalid.insert(&path);
            }
            root.insert(
                Spanned::new(0..0, Cow::Borrowed(key.name)),
                Spanned::new(0..0, DeValue::Table(DeTable::new())),
            );
        }
    }

    fn source(&self, span: std::ops::Range<usize>) -> &str {
        self.text.get(span).unwrap_or_default()
    }
}

fn child(path: &[String], name: &str) -> Vec<String> {
    let mut p = path.to_vec();
    p.push(name.to_string());
    p
}

/// How a key is named in a message: `port` in `[services.api]`, or a top-level `project`.
fn subject(path: &[String]) -> String {
    match path {
        [] => "the description".into(),
        [key] => format!("`{}`", bare_key(key)),
        [table @ .., key] => format!("`{}` in [{}]", bare_key(key), dotted(table)),
    }
}

/// A key path as TOML would write it, quoting the parts that are not bare keys.
fn dotted(path: &[String]) -> String {
    path.iter()
        .map(|k| bare_key(k))
        .collect::<Vec<_>>()
        .join(".")
}

fn bare_key(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        k.to_string()
    } else {
        format!("\"{}\"", k.escape_debug())
    }
}

fn expected(shape: Shape) -> &'static str {
    match shape {
        Shape::String => "a string",
        Shape::Integer => "an integer",
        Shape::Boolean => "true or false",
        Shape::StringList => "a list of strings",
        Shape::Table(_) | Shape::Map(_) => "a table",
    }
}

fn describe(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(a) if !a.is_empty() && a.iter().all(|v| v.get_ref().is_table()) => {
            "an array of tables"
        }
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

fn is_scalar(v: &DeValue<'_>) -> bool {
    matches!(
        v,
        DeValue::Integer(_) | DeValue::Float(_) | DeValue::Boolean(_) | DeValue::Datetime(_)
    )
}

#[cfg(test)]
mod tests {
    //! The `KEYS` lists in `raw` are the single source of truth for the schema walk; these tests
    //! prove each list equals what serde derives for its struct: the same field names, and for
    //! every key, a value of the declared shape deserializes while a value of another shape fails.

    use std::fmt;

    use serde::de::{self, DeserializeOwned, Visitor};

    use super::*;
    use crate::raw::RawAutoscaling;

    /// A deserializer that records the field list serde passes to `deserialize_struct`.
    struct FieldNames(Option<&'static [&'static str]>);

    #[derive(Debug)]
    struct Stop;
    impl fmt::Display for Stop {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("stop")
        }
    }
    impl std::error::Error for Stop {}
    impl de::Error for Stop {
        fn custom<T: fmt::Display>(_: T) -> Self {
            Stop
        }
    }

    impl<'de> de::Deserializer<'de> for &mut FieldNames {
        type Error = Stop;
        fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            Err(Stop)
        }
        fn deserialize_struct<V: Visitor<'de>>(
            self,
            _: &'static str,
            fields: &'static [&'static str],
            _: V,
        ) -> Result<V::Value, Stop> {
            self.0 = Some(fields);
            Err(Stop)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
            option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
            ignored_any
        }
    }

    fn serde_fields<T: DeserializeOwned>() -> Vec<&'static str> {
        let mut names = FieldNames(None);
        let _ = T::deserialize(&mut names);
        names.0.expect("a struct").to_vec()
    }

    fn sample(shape: Shape) -> String {
        match shape {
            Shape::String => "\"x\"".into(),
            Shape::Integer => "1".into(),
            Shape::Boolean => "true".into(),
            Shape::StringList => "[\"x\"]".into(),
            Shape::Table(_) => "{}".into(),
            Shape::Map(inner) => format!("{{ k = {} }}", sample(*inner)),
        }
    }

    fn wrong(shape: Shape) -> &'static str {
        match shape {
            Shape::String | Shape::StringList => "1",
            _ => "\"x\"",
        }
    }

    /// `base` makes an otherwise empty table deserialize (the top level needs its required keys).
    fn check<T: DeserializeOwned>(keys: &[Key], base: &str) {
        let mut declared: Vec<&str> = keys.iter().map(|k| k.name).collect();
        let mut derived = serde_fields::<T>();
        declared.sort();
        derived.sort();
        assert_eq!(
            declared,
            derived,
            "KEYS of {} differ from its serde fields",
            std::any::type_name::<T>()
        );
        for key in keys {
            let others = |s: &str| {
                base.lines()
                    .filter(|l| !l.starts_with(&format!("{} ", key.name)))
                    .chain([s])
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            let good = others(&format!("{} = {}", key.name, sample(key.shape)));
            assert!(
                toml::from_str::<T>(&good).is_ok(),
                "{}: {good:?} should deserialize",
                key.name
            );
            let bad = others(&format!("{} = {}", key.name, wrong(key.shape)));
            assert!(
                toml::from_str::<T>(&bad).is_err(),
                "{}: {bad:?} should not deserialize",
                key.name
            );
        }
        if !keys.iter().any(|k| k.required) {
            assert!(toml::from_str::<T>("").is_ok());
        }
        assert!(toml::from_str::<T>(&format!("{base}\nnot_a_key = 1")).is_err());
    }

    #[test]
    fn keys_match_serde() {
        check::<RawDescription>(RawDescription::KEYS, "project = {}\nnetwork = {}");
        check::<RawProject>(RawProject::KEYS, "");
        check::<RawState>(RawState::KEYS, "");
        check::<RawNetwork>(RawNetwork::KEYS, "");
        check::<RawService>(RawService::KEYS, "");
        check::<RawAutoscaling>(RawAutoscaling::KEYS, "");
        check::<RawDatabase>(RawDatabase::KEYS, "");
        check::<RawWaf>(RawWaf::KEYS, "");
        check::<RawEnvironment>(RawEnvironment::KEYS, "");
    }

    #[test]
    fn wrong_types_are_left_out_and_remembered() {
        let parsed = parse(
            "[project]\nname = 1\n[network]\n[services.api]\nport = \"80\"\n\
             [environments.dev]\nservices = { api = { cpu = \"x\" } }\n",
        )
        .unwrap();
        assert_eq!(parsed.diagnostics.len(), 3);
        assert!(parsed.raw.project.get_ref().name.is_none());
        assert!(parsed.invalid.contains(&["project", "name"]));
        assert!(parsed.invalid.contains(&["services", "api", "port"]));
        assert!(parsed
            .invalid
            .contains(&["environments", "dev", "services", "api", "cpu"]));
        assert!(parsed.invalid.contains(&["services", "api", "cpu"]));
        assert!(!parsed.invalid.contains(&["services", "api", "memory"]));
        assert!(parsed.invalid.any_under(&["services"]));
        assert!(!parsed.invalid.any_under(&["database"]));
    }

    #[test]
    fn missing_tables_are_reported_and_replaced() {
        let parsed = parse("[services.api]\nport = 80\n").unwrap();
        let messages: Vec<&str> = parsed
            .diagnostics
            .iter()
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            messages,
            ["missing [project] table", "missing [network] table"]
        );
        assert!(parsed.invalid.contains(&["project", "name"]));
    }

    #[test]
    fn every_syntax_error_is_reported() {
        let errors = parse("a = \"x\nb = 1\nb = 2\nc = per-az\n").unwrap_err();
        assert!(errors.len() >= 3, "{errors:?}");
    }
}
