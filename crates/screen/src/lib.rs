//! The one facade the CLI (and later the server) call, so the pipeline
//! `ingest -> identify -> policy` is written once.

use std::io::Read;
use std::path::PathBuf;

use supplyscreen_identify::Matcher;
use supplyscreen_ingest::{IngestError, Summary};
use supplyscreen_model::{Component, ComponentId, Date, Finding, ProfileId, Verdict};
use supplyscreen_policy::{Context, Reach, WaiverStatus};

mod archive;
mod engine;
#[cfg(test)]
mod engine_tests;
mod facade;
mod inputs;
mod records;
mod slot;
mod stream;
mod unit;
pub use facade::*;
pub use inputs::{FileSkip, SkippedFile, open_inputs};
pub use stream::{
    Collector, DirectiveTitles, Encode, End, Header, Keep, Sink, Totals, verdict_index,
};
pub use supplyscreen_ingest::{Columns, ReadOptions, RecordReader};

/// The tool's version, printed in every report.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// One input to read.
pub struct Input {
    /// The path as shown in reports (`-` for standard input).
    pub display: String,
    /// Where the bytes come from.
    pub source: Source,
    /// Found by walking a directory or an archive (not named by the user): a
    /// file in no known format is then skipped with a note instead of failing.
    pub from_dir: bool,
}

/// Where an input's bytes come from.
pub enum Source {
    /// One stream (standard input, a collected inventory); a tar archive or
    /// gzip-compressed content is recognised from its first bytes.
    Reader(Box<dyn Read>),
    /// A tar archive (gzip-compressed or not) of per-host files.
    Archive(Box<dyn Read>),
    /// A file, opened only when it is read.
    Path(PathBuf),
    /// A path refused before opening it, with why (a FIFO, a broken link, ...).
    Refused(FileSkip, String),
}

impl Input {
    /// An input read from a stream.
    pub fn reader(display: &str, reader: Box<dyn Read>) -> Self {
        Self {
            display: display.to_owned(),
            source: Source::Reader(reader),
            from_dir: false,
        }
    }
}

/// Progress of a screening, reported after each file.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// Files read so far.
    pub files: usize,
    /// Inputs given (archives count once; their members add to `files`).
    pub inputs: usize,
    /// Components read so far.
    pub components: usize,
    /// The file just read.
    pub current: &'a str,
}

/// Why screening could not run.
#[derive(Debug, thiserror::Error)]
pub enum ScreenError {
    /// The profile is not in the KB.
    #[error("unknown profile {0:?} (see `supplyscreen kb list`; profiles: {1})")]
    UnknownProfile(String, String),
    /// An input could not be opened or read.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// A path could not be opened.
    #[error("{path}: cannot open: {source}")]
    Open {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Writing the report failed.
    #[error("cannot write the report: {0}")]
    Output(std::io::Error),
}

/// What to screen against.
pub struct Request {
    /// Who is screening.
    pub profile: ProfileId,
    /// The screening date.
    pub as_of: Date,
    /// Forced action, or per-component roles.
    pub action: Option<Action>,
    /// Approved exceptions.
    pub waivers: Vec<Waiver>,
    /// What the user said about tables (`--columns`, `--date-order`).
    pub read: ReadOptions,
}

/// One component with its identification, findings and worst verdict.
#[derive(Debug, Clone)]
pub struct Screened {
    /// Its stable id.
    pub id: ComponentId,
    /// The component as read.
    pub component: Component,
    /// Who made it, and why we think so.
    pub identification: Identification,
    /// Who sells it, when the input has a supplier column beside a maker
    /// column (with a supplier column only, the supplier was taken for the
    /// maker and `identification` is it).
    pub supplier: Option<Identification>,
    /// Its findings, by directive then measure.
    pub findings: Vec<Finding>,
    /// The most severe verdict of its findings (`clear` without findings).
    pub verdict: Verdict,
}

/// Everything a report needs.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// KB version.
    pub kb_version: String,
    /// KB content hash.
    pub kb_hash: String,
    /// Where the KB came from (built in or a signed bundle, and an overlay).
    pub kb_origin: supplyscreen_kb::KbOrigin,
    /// Imported public-list layers in the KB, with their sources and hashes.
    pub kb_layers: Vec<supplyscreen_kb::LayerInfo>,
    /// Every directive's title in the KB, by id.
    pub directive_titles: DirectiveTitles,
    /// The profile.
    pub profile: ProfileId,
    /// The forced action, if any.
    pub action: Option<Action>,
    /// The screening date.
    pub as_of: Date,
    /// One summary per input, in input order.
    pub inputs: Vec<Summary>,
    /// Every component read, in input order, with its findings.
    pub components: Vec<Screened>,
    /// Waivers and their use.
    pub waivers: Vec<WaiverStatus>,
    /// Files found in directories or archives that were not screened, with why.
    pub skipped_files: Vec<SkippedFile>,
}

impl Outcome {
    /// An outcome from a header and what was read.
    pub fn from_parts(
        h: Header,
        inputs: Vec<Summary>,
        components: Vec<Screened>,
        waivers: Vec<WaiverStatus>,
        skipped_files: Vec<SkippedFile>,
    ) -> Self {
        Self {
            kb_version: h.kb_version,
            kb_hash: h.kb_hash,
            kb_origin: h.kb_origin,
            kb_layers: h.kb_layers,
            directive_titles: h.directive_titles,
            profile: h.profile,
            action: h.action,
            as_of: h.as_of,
            inputs,
            components,
            waivers,
            skipped_files,
        }
    }

    /// What a report says before any component.
    pub fn header(&self) -> Header {
        Header {
            kb_version: self.kb_version.clone(),
            kb_hash: self.kb_hash.clone(),
            kb_origin: self.kb_origin.clone(),
            kb_layers: self.kb_layers.clone(),
            directive_titles: self.directive_titles.clone(),
            profile: self.profile.clone(),
            action: self.action,
            as_of: self.as_of,
        }
    }

    /// The counts and problems, as a stream of this outcome would give them.
    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        for c in &self.components {
            t.component(c.verdict);
        }
        for i in &self.inputs {
            t.input(i);
        }
        for f in &self.skipped_files {
            t.skipped(f);
        }
        t.close();
        t
    }

    /// What a stream of this outcome ends with.
    pub fn end(&self) -> End {
        End {
            waivers: self.waivers.clone(),
            totals: self.totals(),
        }
    }

    /// Components per worst verdict, most severe first.
    pub fn counts(&self) -> Vec<(Verdict, usize)> {
        let mut per = [0; 5];
        for c in &self.components {
            per[verdict_index(c.verdict)] += 1;
        }
        Verdict::ALL.iter().copied().zip(per).collect()
    }

    /// The identification algorithm's version.
    pub fn algorithm(&self) -> &'static str {
        ALGORITHM
    }

    /// True when the screening is incomplete: an input had an error
    /// diagnostic, a file could not be read or was in no known format when
    /// named, or no component at all was screened.
    pub fn has_input_errors(&self) -> bool {
        self.totals().has_input_errors()
    }

    /// Why the screening is incomplete, one line each (`file:line: message`):
    /// the inputs' errors, then the files not screened that are problems.
    pub fn problems(&self) -> Vec<String> {
        self.totals().problems()
    }

    /// Every finding, by component in input order, then directive and measure.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.components.iter().flat_map(|c| c.findings.iter())
    }
}

/// Holds the KB and the matcher built from it.
pub struct Screener {
    kb: Kb,
    matcher: Matcher,
    titles: DirectiveTitles,
    /// Per profile, which entities may reach a binding directive (computed
    /// on the first screening under the profile, then shared).
    reach: std::sync::Mutex<std::collections::HashMap<ProfileId, std::sync::Arc<Reach>>>,
}

impl Screener {
    /// Builds the matcher for a KB.
    pub fn new(kb: Kb) -> Self {
        let matcher = Matcher::new(&kb);
        let titles = kb
            .directives()
            .map(|d| (d.id.clone(), d.title.clone()))
            .collect::<std::collections::BTreeMap<_, _>>();
        Self {
            kb,
            matcher,
            titles: std::sync::Arc::new(titles),
            reach: Default::default(),
        }
    }

    /// The context of a screening under `profile`, with the profile's reach
    /// computed once per screener.
    pub(crate) fn context<'a>(&'a self, profile: &'a Profile, req: &'a Request) -> Context<'a> {
        let reach = {
            let mut cache = self
                .reach
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            std::sync::Arc::clone(
                cache
                    .entry(profile.id.clone())
                    .or_insert_with(|| std::sync::Arc::new(Reach::new(&self.kb, profile))),
            )
        };
        Context::with_reach(
            &self.kb,
            profile,
            req.as_of,
            req.action,
            &req.waivers,
            reach,
        )
    }

    /// Names makers the KB does not know from system registries (notes only).
    pub fn with_registry(mut self, registry: supplyscreen_kb::registry::Registry) -> Self {
        self.matcher = self.matcher.with_registry(registry);
        self
    }

    /// The KB.
    pub fn kb(&self) -> &Kb {
        &self.kb
    }

    /// Reads, identifies and judges every input, keeping everything in memory.
    pub fn screen(&self, inputs: Vec<Input>, req: &Request) -> Result<Outcome, ScreenError> {
        self.screen_with_progress(inputs, req, &mut |_| {})
    }

    /// Like [`Screener::screen`], calling `progress` after each file.
    pub fn screen_with_progress(
        &self,
        inputs: Vec<Input>,
        req: &Request,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<Outcome, ScreenError> {
        let mut c = Collector::default();
        self.screen_into(inputs, req, 1, &Keep, &mut c, progress)?;
        let header = c.header.unwrap_or_else(|| self.header(req));
        Ok(Outcome::from_parts(
            header,
            c.inputs,
            c.components,
            c.waivers,
            c.skipped_files,
        ))
    }

    /// The header of a report of a screening under `req`.
    pub fn header(&self, req: &Request) -> Header {
        Header {
            kb_version: self.kb.version().to_owned(),
            kb_hash: self.kb.hash().to_owned(),
            kb_layers: self.kb.layers().to_vec(),
            directive_titles: self.titles.clone(),
            kb_origin: self.kb.origin().clone(),
            profile: req.profile.clone(),
            action: req.action,
            as_of: req.as_of,
        }
    }

    /// Reads, identifies and judges every input on `jobs` worker threads,
    /// handing each component to `enc` as soon as it is judged and
    /// everything to `sink` in input order (inputs in the order given,
    /// components in the order read); calls `progress` after each file.
    /// Gives what was handed to [`Sink::end`].
    pub fn screen_into<E: Encode, S: Sink<E::Item>>(
        &self,
        inputs: Vec<Input>,
        req: &Request,
        jobs: usize,
        enc: &E,
        sink: &mut S,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<End, ScreenError> {
        let limits = (jobs, engine::BUDGET);
        self.screen_limited(inputs, req, limits, enc, sink, progress)
    }

    /// [`Screener::screen_into`] with `(jobs, bytes kept in memory for
    /// inputs not yet written)`.
    pub(crate) fn screen_limited<E: Encode, S: Sink<E::Item>>(
        &self,
        inputs: Vec<Input>,
        req: &Request,
        (jobs, budget): (usize, usize),
        enc: &E,
        sink: &mut S,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<End, ScreenError> {
        let profile = self.kb.profile(&req.profile).ok_or_else(|| {
            let known: Vec<String> = self.kb.profiles().map(|p| p.id.to_string()).collect();
            ScreenError::UnknownProfile(req.profile.to_string(), known.join(", "))
        })?;
        let cx = self.context(profile, req);
        sink.begin(&self.header(req)).map_err(ScreenError::Output)?;
        let judge = unit::Judge {
            screener: self,
            cx: &cx,
            read: &req.read,
            enc,
            caches: unit::Caches::new(jobs),
        };
        let mut engine = engine::Engine::new(judge, req.waivers.len(), jobs);
        engine.budget = budget;
        let (ledger, totals) = engine
            .run(inputs, sink, progress)
            .map_err(ScreenError::Output)?;
        let end = End {
            waivers: ledger.statuses(&req.waivers, req.as_of),
            totals,
        };
        sink.end(&end).map_err(ScreenError::Output)?;
        Ok(end)
    }
}
