//! What reading one input produced besides its components: counts, skipped
//! records by reason, and diagnostics at their lines.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;
use supplyscreen_model::{Diagnostic, Severity};

use crate::{Format, SkipReason};

/// What reading one input produced, besides its components.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// The input's path as given (`archive.tar.gz:member` for archive members).
    pub path: Arc<str>,
    /// The detected format.
    pub format: Format,
    /// The detected text encoding (`UTF-8`, `GB18030`, `UTF-16LE`, `binary`).
    pub encoding: String,
    /// Components produced.
    pub components: usize,
    /// Records read but not turned into components, by reason.
    pub skipped: BTreeMap<SkipReason, usize>,
    /// Problems, in the order found, each naming this input as its file:
    /// the first [`Summary::DIAGNOSTICS_KEPT`], then one line counting the rest.
    pub diagnostics: Vec<Diagnostic>,
    /// Diagnostics past the first [`Summary::DIAGNOSTICS_KEPT`], counted, not kept.
    #[serde(skip)]
    omitted: Omitted,
}

/// Diagnostics counted but not kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Omitted {
    errors: u64,
    warnings: u64,
    /// The line of the first one.
    first_line: u64,
}

impl Summary {
    /// An empty summary of the input `path` read as `format`.
    pub(crate) fn new(path: &str, format: Format, encoding: &str) -> Self {
        Self {
            path: path.into(),
            format,
            encoding: encoding.to_owned(),
            components: 0,
            skipped: BTreeMap::new(),
            diagnostics: Vec::new(),
            omitted: Omitted::default(),
        }
    }

    /// How many diagnostics one input keeps; the rest are counted (memory
    /// stays flat for a million bad rows).
    pub const DIAGNOSTICS_KEPT: usize = 100;

    /// Keeps a diagnostic, or counts it once [`Summary::DIAGNOSTICS_KEPT`] are kept.
    fn push(&mut self, d: Diagnostic) {
        if self.diagnostics.len() < Self::DIAGNOSTICS_KEPT {
            return self.diagnostics.push(d);
        }
        let o = &mut self.omitted;
        if o.errors + o.warnings == 0 {
            o.first_line = d.line;
        }
        match d.severity {
            Severity::Error => o.errors += 1,
            Severity::Warning => o.warnings += 1,
        }
    }

    /// Ends the list of diagnostics with one that counts those not kept:
    /// `and 999,900 more errors of the same kinds`.
    pub(crate) fn close(&mut self) {
        let o = std::mem::take(&mut self.omitted);
        let counted = |n: u64, what: &str| (n > 0).then(|| format!("{} more {what}", grouped(n)));
        let parts: Vec<String> = [
            counted(o.errors, "error(s)"),
            counted(o.warnings, "warning(s)"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if parts.is_empty() {
            return;
        }
        let message = format!(
            "and {} of the same kinds from this line on (the first {} are listed)",
            parts.join(" and "),
            Self::DIAGNOSTICS_KEPT
        );
        let d = if o.errors > 0 {
            Diagnostic::error(self.path.clone(), o.first_line, message)
        } else {
            Diagnostic::warning(self.path.clone(), o.first_line, message)
        };
        self.diagnostics.push(d);
    }

    /// Counts one record read but not turned into a component.
    pub(crate) fn skip(&mut self, reason: SkipReason) {
        *self.skipped.entry(reason).or_default() += 1;
    }

    /// Records an error at a 1-based line of this input.
    pub(crate) fn error(&mut self, line: u64, message: impl Into<String>) {
        self.push(Diagnostic::error(self.path.clone(), line, message));
    }

    /// Records a warning at a 1-based line of this input.
    pub(crate) fn warning(&mut self, line: u64, message: impl Into<String>) {
        self.push(Diagnostic::warning(self.path.clone(), line, message));
    }

    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }

    /// The error diagnostics.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }

    /// Total records skipped.
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }
}

/// `999900` as `999,900`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_million_bad_rows_keep_a_hundred_diagnostics_and_a_count() {
        let mut s = Summary::new("po.csv", Format::from_name("csv").expect("csv"), "UTF-8");
        for line in 2..1_000_002 {
            s.error(line, "no such day in the calendar: 2024-02-30");
        }
        s.warning(1_000_002, "quantity is not a number");
        s.close();
        assert_eq!(s.diagnostics.len(), Summary::DIAGNOSTICS_KEPT + 1);
        let last = s.diagnostics.last().expect("the count");
        assert_eq!(last.line, 102);
        assert_eq!(last.severity, Severity::Error);
        assert_eq!(
            last.message,
            "and 999,900 more error(s) and 1 more warning(s) of the same kinds from this line on (the first 100 are listed)"
        );
        assert!(s.diagnostics.capacity() < 1_000);
    }
}
