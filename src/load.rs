//! Description text → raw serde structs, with TOML and type errors turned into diagnostics.

use crate::diagnostic::{did_you_mean, Diagnostic};
use crate::raw::RawDescription;

/// Descriptions larger than this are rejected before parsing.
pub const MAX_DESCRIPTION_BYTES: usize = 1024 * 1024;

/// Checks the raw bytes of a description: UTF-8, not empty, not absurdly large.
pub fn decode(bytes: &[u8]) -> Result<&str, Diagnostic> {
    if bytes.len() > MAX_DESCRIPTION_BYTES {
        return Err(Diagnostic::error(format!(
            "the description is {} bytes; brewgen reads at most {} bytes",
            bytes.len(),
            MAX_DESCRIPTION_BYTES
        ))
        .help(
            "a brewgen.toml is a few kilobytes; check that the right file is given with --config",
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Diagnostic::error(format!(
            "the description is not valid UTF-8 (invalid byte at offset {})",
            e.valid_up_to()
        ))
        .help("save brewgen.toml as UTF-8")
    })?;
    if text.trim().is_empty() {
        return Err(Diagnostic::error("the description is empty")
            .help("run `brewgen init` to write a complete, commented brewgen.toml"));
    }
    Ok(text)
}

/// Parses description text into raw structs.
pub fn parse(text: &str) -> Result<RawDescription, Diagnostic> {
    toml::from_str::<RawDescription>(text).map_err(|e| toml_error(text, &e))
}

fn toml_error(text: &str, e: &toml::de::Error) -> Diagnostic {
    let message = e.message().trim().to_string();
    let span = e
        .span()
        .map(|s| s.start.min(text.len())..s.end.min(text.len()));
    let mut d = if let Some(rest) = message.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let candidates: Vec<&str> = expected
            .split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, s)| s)
            .collect();
        let mut d = Diagnostic::error(format!("unknown key `{field}`")).label("unknown key");
        d = match did_you_mean(field, candidates.iter().copied()) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None if !candidates.is_empty() => d.help(format!(
                "valid keys here: {}",
                candidates
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            None => d,
        };
        d
    } else if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        let table = match field {
            "project" | "network" => format!("add a [{field}] table"),
            _ => format!("add `{field}`"),
        };
        Diagnostic::error(format!("missing required key `{field}`")).help(table)
    } else if message.starts_with("invalid type") {
        Diagnostic::error(format!(
            "wrong type: {}",
            message.trim_start_matches("invalid type: ")
        ))
        .label("wrong type")
    } else {
        Diagnostic::error(format!("invalid TOML: {message}"))
    };
    if let Some(span) = span {
        d = d.at(span);
    }
    d
}
