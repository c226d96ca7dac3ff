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
    /// Problems, in the order found, each naming this input as its file.
    pub diagnostics: Vec<Diagnostic>,
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
        }
    }

    /// Counts one record read but not turned into a component.
    pub(crate) fn skip(&mut self, reason: SkipReason) {
        *self.skipped.entry(reason).or_default() += 1;
    }

    /// Records an error at a 1-based line of this input.
    pub(crate) fn error(&mut self, line: u64, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::error(self.path.clone(), line, message));
    }

    /// Records a warning at a 1-based line of this input.
    pub(crate) fn warning(&mut self, line: u64, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::warning(self.path.clone(), line, message));
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
