//! One type for every problem found at a place in a file: an input line, a
//! knowledge-base line, a waiver line, a byte offset of a binary dump.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Read, but worth knowing (a record skipped on purpose).
    Warning,
    /// Part of the file could not be read or understood: what was screened is incomplete.
    Error,
}

impl Severity {
    /// The severity's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A problem at a place in a file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Diagnostic {
    /// The file as displayed (`po.csv`, `fleet.tar.gz:host1.txt`, `data/entities/micron.toml`).
    pub file: Arc<str>,
    /// 1-based line; 0 when the problem concerns the file as a whole or a binary offset.
    pub line: u64,
    /// Byte offset, for binary inputs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<u64>,
    /// Warning or error.
    pub severity: Severity,
    /// What is wrong, naming the offending value.
    pub message: String,
}

impl Diagnostic {
    /// An error at a line.
    pub fn error(file: impl Into<Arc<str>>, line: u64, message: impl Into<String>) -> Self {
        Self::new(file, line, Severity::Error, message)
    }

    /// A warning at a line.
    pub fn warning(file: impl Into<Arc<str>>, line: u64, message: impl Into<String>) -> Self {
        Self::new(file, line, Severity::Warning, message)
    }

    /// A diagnostic at a line.
    pub fn new(
        file: impl Into<Arc<str>>,
        line: u64,
        severity: Severity,
        message: impl Into<String>,
    ) -> Self {
        Self {
            file: file.into(),
            line,
            offset: None,
            severity,
            message: message.into(),
        }
    }

    /// The same diagnostic located at a byte offset.
    pub fn at_offset(mut self, offset: u64) -> Self {
        self.offset = Some(offset);
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// `file:line: message`, `file: offset N: message` or `file: message`.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.offset) {
            (0, Some(o)) => write!(f, "{}: offset {o}: {}", self.file, self.message),
            (0, None) => write!(f, "{}: {}", self.file, self.message),
            (l, _) => write!(f, "{}:{l}: {}", self.file, self.message),
        }
    }
}

/// Several diagnostics, as one error value (`kb validate`, a waivers file).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} problem(s):\n{}", .0.len(), list(.0))]
pub struct Diagnostics(pub Vec<Diagnostic>);

fn list(all: &[Diagnostic]) -> String {
    all.iter()
        .map(|d| format!("  {d}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_file_and_line_or_offset() {
        let d = Diagnostic::error("po.csv", 7, "unbalanced quote");
        assert_eq!(d.to_string(), "po.csv:7: unbalanced quote");
        let d = Diagnostic::error("dump.bin", 0, "table cut short").at_offset(4096);
        assert_eq!(d.to_string(), "dump.bin: offset 4096: table cut short");
        assert!(d.is_error());
    }
}
