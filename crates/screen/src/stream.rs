//! Screening as a stream: each judged component goes to a [`Sink`] as soon
//! as the components before it have, so nothing needs to hold the whole
//! screening. Work is split in two halves: [`Encode`] turns a component into
//! what the sink keeps of it, on whichever worker judged it; the [`Sink`]
//! receives those items, the inputs' summaries and the files not screened
//! in input order, on one thread, then the [`End`].

use std::collections::BTreeMap;
use std::io;
use std::sync::Arc;

use supplyscreen_ingest::Summary;
use supplyscreen_kb::{KbOrigin, LayerInfo};
use supplyscreen_model::{Date, DirectiveId, ProfileId, Verdict};
use supplyscreen_policy::{Action, WaiverStatus};

use crate::{ALGORITHM, FileSkip, Screened, SkippedFile};

/// Directive titles by id, built once per KB and shared by every report.
pub type DirectiveTitles = Arc<BTreeMap<DirectiveId, String>>;

/// What a report says before any component: the KB, profile, action and date.
#[derive(Debug, Clone)]
pub struct Header {
    /// KB version.
    pub kb_version: String,
    /// KB content hash.
    pub kb_hash: String,
    /// Where the KB came from (built in or a signed bundle, and an overlay).
    pub kb_origin: KbOrigin,
    /// Imported public-list layers in the KB, with their sources and hashes.
    pub kb_layers: Vec<LayerInfo>,
    /// Every directive's title in the KB, by id (SARIF names its rules with them).
    pub directive_titles: DirectiveTitles,
    /// The profile.
    pub profile: ProfileId,
    /// The forced action, if any.
    pub action: Option<Action>,
    /// The screening date.
    pub as_of: Date,
}

impl Header {
    /// The identification algorithm's version.
    pub fn algorithm(&self) -> &'static str {
        ALGORITHM
    }
}

/// What is known once every input is read: the waivers' use and the counts.
#[derive(Debug, Clone)]
pub struct End {
    /// Waivers and their use.
    pub waivers: Vec<WaiverStatus>,
    /// Counts and problems.
    pub totals: Totals,
}

/// Counts kept while streaming: components per verdict, inputs read, files
/// not screened, and why the screening is incomplete.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    /// Components per worst verdict, in the order of [`Verdict::ALL`].
    pub per_verdict: [usize; 5],
    /// Inputs read (one summary each).
    pub inputs: usize,
    /// Files found but not screened.
    pub skipped_files: usize,
    /// The inputs' error diagnostics, one line each (`file:line: message`).
    pub input_errors: Vec<String>,
    /// The files not screened that make the screening incomplete.
    pub file_errors: Vec<String>,
    /// Set by [`Totals::close`] when no component at all was screened.
    pub nothing: Option<String>,
}

impl Totals {
    /// Counts one component.
    pub fn component(&mut self, v: Verdict) {
        self.per_verdict[verdict_index(v)] += 1;
    }

    /// Counts one input's summary and keeps its error lines.
    pub fn input(&mut self, s: &Summary) {
        self.inputs += 1;
        self.input_errors
            .extend(s.errors().map(ToString::to_string));
    }

    /// Counts one file not screened and keeps it as a problem when it is one.
    pub fn skipped(&mut self, f: &SkippedFile) {
        self.skipped_files += 1;
        self.file_errors.extend(skipped_problem(f));
    }

    /// Closes the counts: a screening of no component at all is a problem.
    pub fn close(&mut self) {
        self.nothing =
            (self.components() == 0).then(|| nothing_screened(self.inputs, self.skipped_files));
    }

    /// Components read.
    pub fn components(&self) -> usize {
        self.per_verdict.iter().sum()
    }

    /// Components per worst verdict, most severe first.
    pub fn counts(&self) -> Vec<(Verdict, usize)> {
        Verdict::ALL
            .iter()
            .zip(self.per_verdict)
            .map(|(v, n)| (*v, n))
            .collect()
    }

    /// True when some component's worst verdict is `threshold` or worse.
    pub fn any_at_least(&self, threshold: Verdict) -> bool {
        self.counts().iter().any(|(v, n)| *v >= threshold && *n > 0)
    }

    /// Why the screening is incomplete, one line each: the inputs' errors,
    /// the files not screened that are problems, nothing screened at all.
    pub fn problems(&self) -> Vec<String> {
        let mut out = self.input_errors.clone();
        out.extend(self.file_errors.iter().cloned());
        out.extend(self.nothing.clone());
        out
    }

    /// True when the screening is incomplete (see [`Totals::problems`]).
    pub fn has_input_errors(&self) -> bool {
        !(self.input_errors.is_empty() && self.file_errors.is_empty() && self.nothing.is_none())
    }
}

/// The position of a verdict in [`Verdict::ALL`].
pub fn verdict_index(v: Verdict) -> usize {
    Verdict::ALL
        .iter()
        .position(|x| *x == v)
        .unwrap_or(Verdict::ALL.len() - 1)
}

/// The problem a file not screened is, if it is one.
pub(crate) fn skipped_problem(f: &SkippedFile) -> Option<String> {
    f.error.then(|| match f.reason {
        FileSkip::UnknownFormat | FileSkip::TableWithoutIdentity => {
            format!("{}:1: {}", f.path, f.detail)
        }
        _ => format!("{}: {}: {}", f.path, f.reason.description(), f.detail),
    })
}

/// The problem of a screening that found no component at all.
pub(crate) fn nothing_screened(inputs: usize, skipped: usize) -> String {
    format!(
        "no component was screened: {inputs} file(s) read, {skipped} not screened{}",
        if inputs == 0 && skipped == 0 {
            " (nothing to read: an empty directory?)"
        } else {
            ""
        }
    )
}

/// Turns a judged component into what a sink keeps of it. Runs on worker
/// threads, so it must be shareable; items go to the sink in input order.
pub trait Encode: Sync {
    /// What the sink receives for one component.
    type Item: Send;

    /// Encodes one component.
    fn encode(&self, s: Screened) -> Self::Item;

    /// About how many bytes an item holds in memory.
    fn weight(&self, item: &Self::Item) -> usize;

    /// Writes an item as bytes to set it aside on disk while the components
    /// before it are still being read; false when items cannot be set aside
    /// (they are then kept in memory).
    fn spill(&self, _item: &Self::Item, _out: &mut Vec<u8>) -> bool {
        false
    }

    /// An item back from the bytes [`Encode::spill`] wrote.
    fn restore(&self, _bytes: Vec<u8>) -> Option<Self::Item> {
        None
    }
}

/// Receives a screening in input order.
pub trait Sink<I> {
    /// Before anything else.
    fn begin(&mut self, header: &Header) -> io::Result<()>;
    /// One component, with its worst verdict.
    fn component(&mut self, verdict: Verdict, item: I) -> io::Result<()>;
    /// One input's summary, once it is read.
    fn input(&mut self, summary: Summary) -> io::Result<()>;
    /// A file found but not screened.
    fn skipped(&mut self, file: SkippedFile) -> io::Result<()>;
    /// After everything else.
    fn end(&mut self, end: &End) -> io::Result<()>;
}

/// Keeps every component as it is: the encoder of [`Collector`].
pub struct Keep;

impl Encode for Keep {
    type Item = Screened;
    fn encode(&self, s: Screened) -> Screened {
        s
    }
    fn weight(&self, s: &Screened) -> usize {
        // About what a component with its evidence and findings holds.
        1024 + 1024 * s.findings.len()
    }
}

/// Collects a screening in memory, for [`crate::Outcome`].
#[derive(Default)]
pub struct Collector {
    /// The header, once begun.
    pub header: Option<Header>,
    /// Components in input order.
    pub components: Vec<Screened>,
    /// Summaries in input order.
    pub inputs: Vec<Summary>,
    /// Files not screened, in input order.
    pub skipped_files: Vec<SkippedFile>,
    /// Waivers and their use, at the end.
    pub waivers: Vec<WaiverStatus>,
}

impl Sink<Screened> for Collector {
    fn begin(&mut self, header: &Header) -> io::Result<()> {
        self.header = Some(header.clone());
        Ok(())
    }
    fn component(&mut self, _: Verdict, item: Screened) -> io::Result<()> {
        self.components.push(item);
        Ok(())
    }
    fn input(&mut self, summary: Summary) -> io::Result<()> {
        self.inputs.push(summary);
        Ok(())
    }
    fn skipped(&mut self, file: SkippedFile) -> io::Result<()> {
        self.skipped_files.push(file);
        Ok(())
    }
    fn end(&mut self, end: &End) -> io::Result<()> {
        self.waivers = end.waivers.clone();
        Ok(())
    }
}
