//! terraform-fmt-canonical layout of rendered HCL, without calling terraform.
//!
//! `terraform fmt` (hclwrite) works on token lines, not on the syntax tree: it re-indents each
//! line by the brackets left open by earlier lines, then aligns the `=` of consecutive lines whose
//! value is complete on that line, and the `#` of consecutive trailing comments. This module
//! reproduces exactly those rules with a small lexer that knows strings, interpolations and
//! comments. Spacing inside a line is left alone: templates are written canonically and the HCL
//! value formatter emits canonical literals. Blank lines are tidied (no leading, trailing or
//! doubled blank lines, none just inside a block) so template conditionals can't leave gaps.
//!
//! The text is then parsed with `hcl::edit` so HCL that does not parse is reported with its line
//! instead of being written. `terraform fmt -check` in the test suite proves the result.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HclError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for HclError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// One source line split into hclwrite's cells.
struct Line {
    /// Text without indentation or trailing whitespace; empty for a blank line.
    text: String,
    /// Net change in open brackets over the whole line (excluding any trailing comment).
    net: i32,
    /// Byte offset in `text` of the `=` that starts the assign cell, when there is one.
    assign: Option<usize>,
    /// Byte offset in `text` of a trailing comment (not a comment-only line).
    comment: Option<usize>,
}

/// Lays out HCL text the way `terraform fmt` would, and checks that it parses.
pub fn format(source: &str) -> Result<String, HclError> {
    let lines = tidy_blank_lines(source);
    let mut scanned = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        scanned.push(scan(l).map_err(|message| HclError {
            line: i + 1,
            message,
        })?);
    }
    let indents = indent(&scanned);
    let out = align(&scanned, &indents);
    hcl::edit::parser::parse_body(&out).map_err(|e| HclError {
        line: e.location().line(),
        message: e.message().to_string(),
    })?;
    Ok(out)
}

fn tidy_blank_lines(source: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for raw in source.lines() {
        let line = raw.trim();
        if line.is_empty() {
            let after_open = out.last().is_none_or(|p| {
                p.is_empty() || p.ends_with('{') || p.ends_with('[') || p.ends_with('(')
            });
            if !after_open {
                out.push(String::new());
            }
            continue;
        }
        let closes = line.starts_with('}') || line.starts_with(']') || line.starts_with(')');
        if closes && out.last().is_some_and(|p| p.is_empty()) {
            out.pop();
        }
        out.push(line.to_string());
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Code,
    Str,
    /// Inside `${ }` / `%{ }`, with the brace depth opened inside it.
    Interp(u32),
}

fn scan(text: &str) -> Result<Line, String> {
    let b = text.as_bytes();
    let mut stack: Vec<Mode> = vec![Mode::Code];
    let mut net = 0i32;
    let mut first_eq: Option<(usize, i32)> = None;
    let mut comment = None;
    let mut tokens_before = 0usize;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let mode = *stack.last().unwrap();
        match mode {
            Mode::Str => {
                match c {
                    b'\\' => i += 1,
                    b'"' => {
                        stack.pop();
                    }
                    b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                        if b.get(i.wrapping_sub(1)) == Some(&c) && i > 0 {
                            // `$${` / `%%{` is an escaped literal, not an interpolation.
                        } else {
                            net += 1;
                            stack.push(Mode::Interp(0));
                            i += 1;
                        }
                    }
                    _ => {}
                }
            }
            Mode::Code | Mode::Interp(_) => match c {
                b'"' => {
                    stack.push(Mode::Str);
                    tokens_before += 1;
                }
                b'#' => {
                    comment = Some(i);
                    break;
                }
                b'/' if b.get(i + 1) == Some(&b'/') => {
                    comment = Some(i);
                    break;
                }
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    return Err("block comments (/* */) are not supported in generated HCL".into());
                }
                b'<' if b.get(i + 1) == Some(&b'<') && mode == Mode::Code => {
                    return Err(
                        "heredocs are not supported in generated HCL; use jsonencode()".into(),
                    );
                }
                b'{' | b'[' | b'(' => {
                    net += 1;
                    tokens_before += 1;
                    if let Mode::Interp(d) = mode {
                        if c == b'{' {
                            *stack.last_mut().unwrap() = Mode::Interp(d + 1);
                        }
                    }
                }
                b'}' | b']' | b')' => {
                    net -= 1;
                    tokens_before += 1;
                    if let Mode::Interp(d) = mode {
                        if c == b'}' {
                            if d == 0 {
                                stack.pop();
                            } else {
                                *stack.last_mut().unwrap() = Mode::Interp(d - 1);
                            }
                        }
                    }
                }
                b'=' => {
                    let prev = if i > 0 { b[i - 1] } else { b' ' };
                    let next = b.get(i + 1).copied().unwrap_or(b' ');
                    let is_assign =
                        !matches!(prev, b'=' | b'!' | b'<' | b'>') && !matches!(next, b'=' | b'>');
                    if is_assign && first_eq.is_none() && tokens_before > 0 && stack.len() == 1 {
                        first_eq = Some((i, net));
                    }
                    if matches!(next, b'=' | b'>') {
                        i += 1;
                    }
                    tokens_before += 1;
                }
                b' ' | b'\t' => {}
                _ => tokens_before += 1,
            },
        }
        i += 1;
    }
    if stack.len() != 1 {
        return Err("unterminated string or interpolation".into());
    }
    let comment = comment.filter(|&c| c > 0);
    let code_end = comment.unwrap_or(text.len());
    // hclwrite: the assign cell exists only if the bracket count from `=` to the end of the line
    // (ignoring a trailing comment) is zero, i.e. the value is complete on this line.
    let assign = first_eq
        .and_then(|(pos, net_before)| (net - net_before == 0 && pos < code_end).then_some(pos));
    Ok(Line {
        text: text.to_string(),
        net,
        assign,
        comment,
    })
}

/// hclwrite's indentation: a line opening brackets indents following lines one level; a line
/// closing them dedents itself by the levels it closes.
fn indent(lines: &[Line]) -> Vec<usize> {
    let mut stack: Vec<i32> = Vec::new();
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        if line.text.is_empty() {
            out.push(0);
            continue;
        }
        if line.net > 0 {
            out.push(stack.len());
            stack.push(line.net);
        } else if line.net < 0 {
            let mut closing = -line.net;
            while closing > 0 {
                let Some(top) = stack.last_mut() else { break };
                if closing >= *top {
                    closing -= *top;
                    stack.pop();
                } else {
                    *top -= closing;
                    closing = 0;
                }
            }
            out.push(stack.len());
        } else {
            out.push(stack.len());
        }
    }
    out
}

fn align(lines: &[Line], indents: &[usize]) -> String {
    // Columns before `=` (indent + key), per line, for lines with an assign cell.
    let mut eq_pad = vec![0usize; lines.len()];
    let mut i = 0;
    while i < lines.len() {
        if lines[i].assign.is_none() {
            i += 1;
            continue;
        }
        let start = i;
        while i < lines.len() && lines[i].assign.is_some() {
            i += 1;
        }
        let lead =
            |k: usize| indents[k] * 2 + lines[k].text[..lines[k].assign.unwrap()].trim_end().len();
        let max = (start..i).map(lead).max().unwrap_or(0);
        for (k, pad) in eq_pad.iter_mut().enumerate().take(i).skip(start) {
            *pad = max - lead(k) + 1;
        }
    }
    let mut rendered: Vec<String> = Vec::with_capacity(lines.len());
    for (k, line) in lines.iter().enumerate() {
        if line.text.is_empty() {
            rendered.push(String::new());
            continue;
        }
        let mut s = " ".repeat(indents[k] * 2);
        let code_end = line.comment.unwrap_or(line.text.len());
        match line.assign {
            Some(pos) => {
                s.push_str(line.text[..pos].trim_end());
                s.push_str(&" ".repeat(eq_pad[k]));
                s.push_str(line.text[pos..code_end].trim_end());
            }
            None => s.push_str(line.text[..code_end].trim_end()),
        }
        rendered.push(s);
    }
    // Trailing comments of consecutive lines share one column.
    let mut k = 0;
    while k < lines.len() {
        if lines[k].comment.is_none() {
            k += 1;
            continue;
        }
        let start = k;
        while k < lines.len() && lines[k].comment.is_some() {
            k += 1;
        }
        let col = (start..k).map(|j| rendered[j].len()).max().unwrap_or(0) + 1;
        for j in start..k {
            let pad = col - rendered[j].len();
            let comment = &lines[j].text[lines[j].comment.unwrap()..];
            rendered[j].push_str(&" ".repeat(pad));
            rendered[j].push_str(comment.trim_end());
        }
    }
    let mut out = rendered.join("\n");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::format;

    #[test]
    fn aligns_and_indents_like_terraform_fmt() {
        let input = "resource \"a\" \"b\" {\nname = \"x\"\n  longer_name = 1\n    tags = {\n  Name = \"y\"\n  }\n\n\n  nested {\n  a = [\n  \"${var.x}\",\n  ]\n  bb = \"}{\"\n  }\n}\n";
        let want = "resource \"a\" \"b\" {\n  name        = \"x\"\n  longer_name = 1\n  tags = {\n    Name = \"y\"\n  }\n\n  nested {\n    a = [\n      \"${var.x}\",\n    ]\n    bb = \"}{\"\n  }\n}\n";
        assert_eq!(format(input).unwrap(), want);
    }

    #[test]
    fn single_line_values_join_the_chain_and_operators_do_not_count() {
        let input = "locals {\n  a = var.x == 1 ? \"a\" : \"b\"\n  bbb = { for k, v in var.m : k => v }\n  c = [\"x\", \"y\"]\n}\n";
        let want = "locals {\n  a   = var.x == 1 ? \"a\" : \"b\"\n  bbb = { for k, v in var.m : k => v }\n  c   = [\"x\", \"y\"]\n}\n";
        assert_eq!(format(input).unwrap(), want);
    }

    #[test]
    fn reports_hcl_that_does_not_parse() {
        let err = format("resource \"a\" \"b\" {\n  x = = 1\n}\n").unwrap_err();
        assert_eq!(err.line, 2);
    }

    #[test]
    fn escaped_interpolation_is_not_a_bracket() {
        let input = "locals {\n  a = \"$${literal}\"\n  bb = 2\n}\n";
        let want = "locals {\n  a  = \"$${literal}\"\n  bb = 2\n}\n";
        assert_eq!(format(input).unwrap(), want);
    }
}
