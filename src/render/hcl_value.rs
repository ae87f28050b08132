//! The minijinja value formatter that makes `{{ x }}` write a correct HCL literal.
//!
//! Strings are quoted and escaped (including `${` → `$${` and `%{` → `%%{`, so a user's value
//! can never become an interpolation), booleans are `true`/`false`, `none` is `null`, lists are
//! one-line tuples and maps are multi-line objects. A template writes raw HCL only through the
//! explicit `raw` filter.

use std::fmt::Write as _;

use minijinja::value::{Value, ValueKind};
use minijinja::{Error, ErrorKind, Output, State};

/// minijinja formatter: raw (safe) strings as they are, everything else as an HCL literal.
pub fn formatter(out: &mut Output, _state: &mut State, value: &Value) -> Result<(), Error> {
    if value.is_safe() {
        if let Some(s) = value.as_str() {
            return out.write_str(s).map_err(Error::from);
        }
    }
    let mut s = String::new();
    literal(value, &mut s)?;
    out.write_str(&s).map_err(Error::from)
}

/// The `raw` filter: insert a string as HCL source, unquoted (references, expressions).
pub fn raw(value: String) -> Value {
    Value::from_safe_string(value)
}

/// The `hcl` filter: the literal as a string, for building larger expressions in templates.
pub fn hcl(value: Value) -> Result<Value, Error> {
    let mut s = String::new();
    literal(&value, &mut s)?;
    Ok(Value::from_safe_string(s))
}

pub fn literal(value: &Value, out: &mut String) -> Result<(), Error> {
    match value.kind() {
        ValueKind::Undefined => {
            return Err(Error::new(
                ErrorKind::UndefinedError,
                "undefined value written to HCL",
            ));
        }
        ValueKind::None => out.push_str("null"),
        ValueKind::Bool => out.push_str(if value.is_true() { "true" } else { "false" }),
        ValueKind::Number => write!(out, "{value}").unwrap(),
        ValueKind::String => string(value.as_str().unwrap_or_default(), out),
        ValueKind::Seq | ValueKind::Iterable => {
            out.push('[');
            for (i, item) in value.try_iter()?.enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                literal(&item, out)?;
            }
            out.push(']');
        }
        ValueKind::Map => {
            let keys: Vec<Value> = value.try_iter()?.collect();
            if keys.is_empty() {
                out.push_str("{}");
                return Ok(());
            }
            out.push_str("{\n");
            for key in keys {
                let k = key
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| key.to_string());
                if is_identifier(&k) {
                    out.push_str(&k);
                } else {
                    string(&k, out);
                }
                out.push_str(" = ");
                literal(&value.get_item(&key)?, out)?;
                out.push('\n');
            }
            out.push('}');
        }
        other => {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("cannot write a {other:?} value as HCL"),
            ));
        }
    }
    Ok(())
}

/// A quoted HCL string literal.
pub fn string(s: &str, out: &mut String) {
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => write!(out, "\\u{:04x}", c as u32).unwrap(),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn is_identifier(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(v: Value) -> String {
        let mut s = String::new();
        literal(&v, &mut s).unwrap();
        s
    }

    #[test]
    fn strings_are_escaped_and_never_interpolate() {
        assert_eq!(
            lit(Value::from("a\"b\\c\n${x} %{if}")),
            r#""a\"b\\c\n$${x} %%{if}""#
        );
        assert_eq!(lit(Value::from("100% $5")), r#""100% $5""#);
    }

    #[test]
    fn scalars_and_collections() {
        assert_eq!(lit(Value::from(true)), "true");
        assert_eq!(lit(Value::from(())), "null");
        assert_eq!(lit(Value::from(42)), "42");
        assert_eq!(lit(Value::from(vec!["a", "b"])), r#"["a", "b"]"#);
        let map: std::collections::BTreeMap<&str, i32> =
            [("NODE_ENV", 1), ("a b", 2)].into_iter().collect();
        assert_eq!(lit(Value::from(map)), "{\nNODE_ENV = 1\n\"a b\" = 2\n}");
    }
}
