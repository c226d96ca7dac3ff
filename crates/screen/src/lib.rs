//! The one facade the CLI (and later the server) call, so the pipeline
//! `ingest -> identify -> policy` is written once.

use std::io::Read;
use std::path::PathBuf;

use supplyscreen_identify::Matcher;
use supplyscreen_ingest::{IngestError, ReadOptions, Summary};
use supplyscreen_model::FieldRole;
use supplyscreen_model::{Component, ComponentId, Date, Finding, ProfileId, Verdict};
use supplyscreen_policy::{Context, Parties, WaiverLedger, WaiverStatus, evaluate_parties};

mod archive;
mod facade;
mod inputs;
pub use facade::*;
pub use inputs::{FileSkip, SkippedFile, open_inputs};

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
    /// Components per worst verdict, most severe first.
    pub fn counts(&self) -> Vec<(Verdict, usize)> {
        Verdict::ALL
            .iter()
            .map(|v| {
                (
                    *v,
                    self.components.iter().filter(|c| c.verdict == *v).count(),
                )
            })
            .collect()
    }

    /// The identification algorithm's version.
    pub fn algorithm(&self) -> &'static str {
        ALGORITHM
    }

    /// True when the screening is incomplete: an input had an error
    /// diagnostic, a file could not be read or was in no known format when
    /// named, or no component at all was screened.
    pub fn has_input_errors(&self) -> bool {
        !self.problems().is_empty()
    }

    /// Why the screening is incomplete, one line each (`file:line: message`).
    pub fn problems(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .inputs
            .iter()
            .flat_map(|i| i.errors().map(ToString::to_string))
            .collect();
        for f in self.skipped_files.iter().filter(|f| f.error) {
            out.push(match f.reason {
                FileSkip::UnknownFormat | FileSkip::TableWithoutIdentity => {
                    format!("{}:1: {}", f.path, f.detail)
                }
                _ => format!("{}: {}: {}", f.path, f.reason.description(), f.detail),
            });
        }
        if self.components.is_empty() {
            let not = self.skipped_files.len();
            out.push(format!(
                "no component was screened: {} file(s) read, {not} not screened{}",
                self.inputs.len(),
                if self.inputs.is_empty() && not == 0 {
                    " (nothing to read: an empty directory?)"
                } else {
                    ""
                }
            ));
        }
        out
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
}

impl Screener {
    /// Builds the matcher for a KB.
    pub fn new(kb: Kb) -> Self {
        let matcher = Matcher::new(&kb);
        Self { kb, matcher }
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

    /// Reads, identifies and judges every input.
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
        let profile = self.kb.profile(&req.profile).ok_or_else(|| {
            let known: Vec<String> = self.kb.profiles().map(|p| p.id.to_string()).collect();
            ScreenError::UnknownProfile(req.profile.to_string(), known.join(", "))
        })?;
        let cx = Context::new(&self.kb, profile, req.as_of, req.action, &req.waivers);
        let mut run = Run::new(self, cx, req);
        let total = inputs.len();
        for input in inputs {
            let from_dir = input.from_dir;
            run.from_dir = from_dir;
            match input.source {
                Source::Reader(reader) => run.stream(&input.display, reader, total, progress),
                Source::Archive(reader) => run.stream(&input.display, reader, total, progress),
                Source::Path(path) => match std::fs::File::open(&path) {
                    Ok(file) => run.stream(&input.display, Box::new(file), total, progress),
                    Err(e) => run.refuse(&input.display, FileSkip::Unreadable, e, true),
                },
                Source::Refused(reason, detail) => {
                    let error = !from_dir || reason.fails_screening();
                    run.refuse(&input.display, reason, detail, error);
                }
            }
            let current = input.display.as_str();
            progress(Progress {
                files: run.files,
                inputs: total,
                components: run.components.len(),
                current,
            });
        }
        Ok(run.finish(req))
    }
}

/// The state of one screening run.
struct Run<'a> {
    screener: &'a Screener,
    cx: Context<'a>,
    ledger: WaiverLedger,
    components: Vec<Screened>,
    summaries: Vec<Summary>,
    skipped_files: Vec<SkippedFile>,
    files: usize,
    /// What the user said about tables.
    read: ReadOptions,
    /// The input being read was found in a directory (not named by the user).
    from_dir: bool,
}

impl<'a> Run<'a> {
    fn new(screener: &'a Screener, cx: Context<'a>, req: &Request) -> Self {
        Self {
            screener,
            cx,
            ledger: WaiverLedger::new(req.waivers.len()),
            components: Vec::new(),
            summaries: Vec::new(),
            skipped_files: Vec::new(),
            files: 0,
            read: req.read.clone(),
            from_dir: false,
        }
    }

    /// Identifies and judges one component as soon as it is read.
    fn component(&mut self, c: Component) {
        let id = ComponentId::of(&c);
        let named = |role: FieldRole| {
            c.fields
                .iter()
                .any(|f| f.role == role && !f.value.is_empty())
        };
        let (has_maker, has_supplier) = (named(FieldRole::Maker), named(FieldRole::Supplier));
        let matcher = &self.screener.matcher;
        // A supplier column alone is taken for the maker too (and the finding says so).
        let maker_assumed = has_supplier && !has_maker;
        let identification = if maker_assumed {
            matcher.identify(&supplier_as_maker(&c, true))
        } else {
            matcher.identify(&c)
        };
        let supplier = has_supplier.then(|| matcher.identify(&supplier_as_maker(&c, false)));
        let parties = match &supplier {
            Some(s) => Parties {
                maker: identification.attribution.as_ref(),
                maker_assumed,
                supplier: s.attribution.as_ref(),
                supplier_assumed: false,
                dies: None,
            },
            None => Parties::maker_only(identification.attribution.as_ref()),
        }
        .with_dies(identification.dies.as_ref().map(|d| &d.entity));
        let findings = evaluate_parties(&self.cx, id, &c, &parties, &mut self.ledger);
        let supplier = supplier.filter(|_| !maker_assumed);
        let verdict = findings
            .iter()
            .map(|f| f.verdict)
            .max()
            .unwrap_or(Verdict::Clear);
        self.components.push(Screened {
            id,
            component: c,
            identification,
            supplier,
            findings,
            verdict,
        });
    }

    /// Reads one file or stream: a tar archive member by member, gzip
    /// content decompressed, anything else as one document.
    fn stream(
        &mut self,
        display: &str,
        reader: Box<dyn Read>,
        total: usize,
        progress: &mut dyn FnMut(Progress<'_>),
    ) {
        let limits = self.read.limits;
        archive::read_input(display, reader, &limits, &mut |event| match event {
            archive::Event::Document {
                name,
                reader,
                in_archive,
            } => {
                self.file(name, reader, in_archive);
                if in_archive {
                    let components = self.components.len();
                    let (files, current) = (self.files, name);
                    progress(Progress {
                        files,
                        inputs: total,
                        components,
                        current,
                    });
                }
            }
            archive::Event::Problem { name, message } => {
                self.refuse(name, FileSkip::Unreadable, message, true)
            }
        });
    }

    /// Lists a file that was not screened.
    fn refuse(&mut self, path: &str, reason: FileSkip, detail: impl ToString, error: bool) {
        self.skipped_files.push(SkippedFile {
            path: path.to_owned(),
            reason,
            detail: detail.to_string(),
            error,
        });
    }

    /// Reads one document; a member of a directory or archive in no known
    /// format is listed as not screened, a file named by the user as an error.
    fn file(&mut self, display: &str, reader: impl Read, from_archive: bool) {
        self.files += 1;
        let options = self.read.clone();
        let mut sink = |c: Component| self.component(c);
        match supplyscreen_ingest::read_with(display, reader, &options, &mut sink) {
            Ok(summary) => self.summaries.push(summary),
            Err(IngestError::UnknownFormat { .. }) => {
                let error = !(from_archive || self.from_dir);
                let detail = if error {
                    format!(
                        "unknown input format (expected one of: {})",
                        supplyscreen_ingest::Format::names()
                    )
                } else {
                    "not screened by design".to_owned()
                };
                self.refuse(display, FileSkip::UnknownFormat, detail, error);
            }
            Err(e @ IngestError::TableWithoutIdentity { .. }) => {
                let full = e.to_string();
                let prefix = format!("{display}:1: ");
                let detail = full.strip_prefix(&prefix).unwrap_or(&full).to_owned();
                self.refuse(display, FileSkip::TableWithoutIdentity, detail, true);
            }
            Err(IngestError::Io { source, .. }) => {
                self.refuse(display, FileSkip::Unreadable, source, true)
            }
        }
    }

    fn finish(self, req: &Request) -> Outcome {
        let waivers = self.ledger.statuses(&req.waivers, req.as_of);
        Outcome {
            kb_version: self.screener.kb.version().to_owned(),
            kb_hash: self.screener.kb.hash().to_owned(),
            kb_layers: self.screener.kb.layers().to_vec(),
            kb_origin: self.screener.kb.origin().clone(),
            profile: req.profile.clone(),
            action: req.action,
            as_of: req.as_of,
            inputs: self.summaries,
            components: self.components,
            waivers,
            skipped_files: self.skipped_files,
        }
    }
}

/// The component with its supplier fields read as maker fields: with
/// `keep_others`, every other field as well (the supplier taken for the
/// maker); without, the supplier fields alone (the counterparty).
fn supplier_as_maker(c: &Component, keep_others: bool) -> Component {
    let mut out = Component::new(c.kind, c.role, c.source.clone());
    for f in &c.fields {
        if f.role == FieldRole::Supplier {
            out.push(&f.name, &f.value, FieldRole::Maker);
        } else if keep_others {
            out.push(&f.name, &f.value, f.role);
        }
    }
    out
}
