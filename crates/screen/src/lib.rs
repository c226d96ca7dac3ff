//! The one facade the CLI (and later the server) call, so the pipeline
//! `ingest -> identify -> policy` is written once.

use std::io::Read;
use std::path::{Path, PathBuf};

use supplyscreen_identify::Matcher;
use supplyscreen_ingest::{IngestError, Summary};
use supplyscreen_model::{Component, ComponentId, Date, Finding, ProfileId, Verdict};
use supplyscreen_policy::{Context, WaiverLedger, WaiverStatus, evaluate};

mod facade;
pub use facade::*;

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
    /// One file or stream.
    Reader(Box<dyn Read>),
    /// A tar archive (gzip-compressed or not) of per-host files.
    Archive(Box<dyn Read>),
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
    /// Its findings, by directive then measure.
    pub findings: Vec<Finding>,
    /// The most severe verdict of its findings (`clear` without findings).
    pub verdict: Verdict,
}

/// Why a file found in a directory or archive was not screened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileSkip {
    /// Its content is in no format the tool reads.
    UnknownFormat,
}

impl FileSkip {
    /// The reason as a kebab-case code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UnknownFormat => "unknown-format",
        }
    }

    /// One line saying what the reason means.
    pub fn description(self) -> &'static str {
        match self {
            Self::UnknownFormat => "not in any input format the tool reads",
        }
    }
}

/// A file that was not screened, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedFile {
    /// The path as displayed.
    pub path: String,
    /// Why.
    pub reason: FileSkip,
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

    /// True when any input had an error diagnostic.
    pub fn has_input_errors(&self) -> bool {
        self.inputs.iter().any(Summary::has_errors)
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
        let mut run = Run::new(self, cx, req.waivers.len());
        let total = inputs.len();
        for input in inputs {
            match input.source {
                Source::Reader(reader) => run.file(&input.display, reader, input.from_dir)?,
                Source::Archive(reader) => run.archive(&input.display, reader, total, progress)?,
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
}

impl<'a> Run<'a> {
    fn new(screener: &'a Screener, cx: Context<'a>, waivers: usize) -> Self {
        Self {
            screener,
            cx,
            ledger: WaiverLedger::new(waivers),
            components: Vec::new(),
            summaries: Vec::new(),
            skipped_files: Vec::new(),
            files: 0,
        }
    }

    /// Identifies and judges one component as soon as it is read.
    fn component(&mut self, c: Component) {
        let id = ComponentId::of(&c);
        let identification = self.screener.matcher.identify(&c);
        let findings = evaluate(
            &self.cx,
            id,
            &c,
            identification.attribution.as_ref(),
            identification.dies.as_ref().map(|d| &d.entity),
            &mut self.ledger,
        );
        let verdict = findings
            .iter()
            .map(|f| f.verdict)
            .max()
            .unwrap_or(Verdict::Clear);
        self.components.push(Screened {
            id,
            component: c,
            identification,
            findings,
            verdict,
        });
    }

    /// Reads one file.
    fn file(
        &mut self,
        display: &str,
        reader: impl Read,
        from_dir: bool,
    ) -> Result<(), ScreenError> {
        self.files += 1;
        let mut sink = |c: Component| self.component(c);
        match supplyscreen_ingest::read(display, reader, &mut sink) {
            Ok(summary) => self.summaries.push(summary),
            Err(IngestError::UnknownFormat { .. }) if from_dir => {
                self.skipped_files.push(SkippedFile {
                    path: display.to_owned(),
                    reason: FileSkip::UnknownFormat,
                });
            }
            Err(e) => return Err(e.into()),
        }
        Ok(())
    }

    /// Reads every regular file of a tar archive, in archive order; members
    /// are shown as `archive.tar.gz:member`.
    fn archive(
        &mut self,
        display: &str,
        reader: Box<dyn Read>,
        total: usize,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<(), ScreenError> {
        let err = |source| ScreenError::Open {
            path: display.to_owned(),
            source,
        };
        let mut archive = tar::Archive::new(reader);
        for entry in archive.entries().map_err(err)? {
            let entry = entry.map_err(err)?;
            if !entry.header().entry_type().is_file() {
                continue;
            }
            let name = entry.path().map_err(err)?.to_string_lossy().into_owned();
            let member = format!("{display}:{name}");
            self.file(&member, entry, true)?;
            progress(Progress {
                files: self.files,
                inputs: total,
                components: self.components.len(),
                current: &member,
            });
        }
        Ok(())
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

/// Opens paths as inputs: files as they are, tar and tar.gz archives as
/// their member files, directories as their files in name order
/// (recursively), `-` as standard input.
pub fn open_inputs(paths: &[PathBuf]) -> Result<Vec<Input>, ScreenError> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::reader("-", Box::new(std::io::stdin())));
        } else if p.is_dir() {
            let mut files = Vec::new();
            walk(p, &mut files)?;
            files.sort();
            for f in files {
                out.push(open_file(&f, true)?);
            }
        } else {
            out.push(open_file(p, false)?);
        }
    }
    Ok(out)
}

fn open_file(p: &Path, from_dir: bool) -> Result<Input, ScreenError> {
    let display = p.to_string_lossy().into_owned();
    let err = |source| ScreenError::Open {
        path: display.clone(),
        source,
    };
    let mut file = std::fs::File::open(p).map_err(err)?;
    let kind = archive_kind(&mut file).map_err(err)?;
    let source = match kind {
        Some(true) => Source::Archive(Box::new(flate2::read::GzDecoder::new(file))),
        Some(false) => Source::Archive(Box::new(file)),
        None => Source::Reader(Box::new(file)),
    };
    Ok(Input {
        display,
        source,
        from_dir,
    })
}

/// `Some(true)` for a gzip-compressed tar, `Some(false)` for a plain tar,
/// `None` otherwise; decided by magic bytes (a gzip file is taken for a
/// compressed tar only when its name says `.tar.gz` or `.tgz`).
fn archive_kind(file: &mut std::fs::File) -> std::io::Result<Option<bool>> {
    use std::io::{Seek, SeekFrom};
    let mut head = [0u8; 262];
    let n = read_up_to(file, &mut head)?;
    file.seek(SeekFrom::Start(0))?;
    if n >= 262 && &head[257..262] == b"ustar" {
        return Ok(Some(false));
    }
    Ok((n >= 2 && head[..2] == [0x1f, 0x8b]).then_some(true))
}

fn read_up_to(file: &mut std::fs::File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), ScreenError> {
    let err = |source| ScreenError::Open {
        path: dir.to_string_lossy().into_owned(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(err)? {
        let path = entry.map_err(err)?.path();
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}
