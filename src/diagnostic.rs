//! One diagnostic type with a source span, and the one place that prints diagnostics.
//!
//! Every problem brewgen finds in a description becomes a `Diagnostic`: what is wrong, where
//! (a byte range into the description), and how to fix it. They are collected, sorted into file
//! order and printed together, rustc-style, by `Report`.

use std::fmt::Write as _;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub span: Option<Range<usize>>,
    pub label: Option<String>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span: None,
            label: None,
            help: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn at(mut self, span: Range<usize>) -> Self {
        self.span = Some(span);
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The diagnostics of one description, ready to print.
pub struct Report<'a> {
    pub path: &'a str,
    pub source: &'a str,
    pub diagnostics: &'a [Diagnostic],
}

impl Report<'_> {
    /// Renders every diagnostic in file order, then a one-line count.
    pub fn render(&self, color: bool) -> String {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let mut out = String::new();
        for d in self.diagnostics {
            let level = match d.severity {
                Severity::Error => Level::ERROR,
                Severity::Warning => Level::WARNING,
            };
            let mut group: Group<'_> = Group::with_title(level.primary_title(d.message.as_str()));
            if let Some(span) = d.span.clone().map(|s| char_span(self.source, s)) {
                let mut annotation = AnnotationKind::Primary.span(span);
                if let Some(label) = &d.label {
                    annotation = annotation.label(label.as_str());
                }
                group = group.element(
                    Snippet::source(self.source)
                        .path(self.path)
                        .annotation(annotation),
                );
            }
            if let Some(help) = &d.help {
                group = group.element(Level::HELP.message(help.as_str()));
            }
            let _ = writeln!(out, "{}\n", renderer.render(&[group]));
        }
        let errors = self.diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = self.diagnostics.len() - errors;
        if errors > 0 {
            let _ = writeln!(
                out,
                "error: {} has {} ({})",
                self.path,
                plural(errors, "error"),
                if warnings > 0 {
                    plural(warnings, "warning")
                } else {
                    "no warnings".into()
                }
            );
        } else if warnings > 0 {
            let _ = writeln!(
                out,
                "warning: {} has {}",
                self.path,
                plural(warnings, "warning")
            );
        }
        out
    }
}

/// Fits a span to the source: within its length and on character boundaries.
fn char_span(source: &str, span: Range<usize>) -> Range<usize> {
    let mut start = span.start.min(source.len());
    while !source.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, source.len());
    while !source.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Sorts diagnostics into file order (those without a span last) and drops exact duplicates,
/// which arise when a base value is checked once per environment.
pub fn normalize(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            d.span
                .as_ref()
                .map(|s| (s.start, s.end))
                .unwrap_or((usize::MAX, 0))
        };
        key(a).cmp(&key(b)).then(a.severity.cmp(&b.severity))
    });
    let mut seen = std::collections::HashSet::new();
    diagnostics.retain(|d| seen.insert(d.clone()));
}

/// The closest candidate to `word` by edit distance, if it is close enough to be a likely typo.
pub fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Optimal string alignment distance: insertions, deletions, substitutions and transpositions
/// of adjacent characters each cost one, so `prot` is one edit away from `port`.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys_only() {
        let keys = ["port", "cpu", "memory", "desired_count"];
        assert_eq!(did_you_mean("desird_count", keys), Some("desired_count"));
        assert_eq!(did_you_mean("memroy", keys), Some("memory"));
        assert_eq!(did_you_mean("prot", keys), Some("port"));
        assert_eq!(did_you_mean("banana", keys), None);
    }

    #[test]
    fn colour_only_when_asked() {
        let source = "port = 0\n";
        let diagnostics = [Diagnostic::error("port 0 is out of range")
            .at(7..8)
            .label("must be 1 to 65535")];
        let report = Report {
            path: "brewgen.toml",
            source,
            diagnostics: &diagnostics,
        };
        assert!(!report.render(false).contains('\x1b'));
        assert!(report.render(true).contains('\x1b'));
        assert_eq!(
            report.render(false),
            "error: port 0 is out of range\n \
             --> brewgen.toml:1:8\n  \
             |\n\
             1 | port = 0\n  \
             |        ^ must be 1 to 65535\n\
             \n\
             error: brewgen.toml has 1 error (no warnings)\n"
        );
    }

    #[test]
    fn spans_are_fitted_to_the_source() {
        let source = "name = \"é\"\n";
        // Inside the two bytes of `é`, and past the end: neither may panic.
        for span in [9..10, 8..9, 40..50] {
            let diagnostics = [Diagnostic::error("x").at(span)];
            let _ = Report {
                path: "brewgen.toml",
                source,
                diagnostics: &diagnostics,
            }
            .render(false);
        }
    }
}
