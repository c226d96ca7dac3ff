//! The one facade the CLI (and later the server) call, so the pipeline
//! `ingest -> identify -> policy` is written once.

use std::io::Read;
use std::path::{Path, PathBuf};

use supplyscreen_identify::{ALGORITHM, Identification, Matcher};
use supplyscreen_ingest::{IngestError, Summary};
use supplyscreen_kb::Kb;
use supplyscreen_model::{Component, Date, Finding, ProfileId, Verdict};
use supplyscreen_policy::{Action, Context, Waiver, WaiverLedger, evaluate};

pub use supplyscreen_policy::Action as ScreenAction;

/// The tool's version, printed in every report.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// One input to read.
pub struct Input {
    /// The path as shown in reports (`-` for standard input).
    pub display: String,
    /// The bytes.
    pub reader: Box<dyn Read>,
    /// Found by walking a directory (not named by the user): a file in no
    /// known format is then skipped with a note instead of failing the run.
    pub from_dir: bool,
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

/// One component with its identification and worst verdict.
#[derive(Debug, Clone)]
pub struct Screened {
    /// The component as read.
    pub component: Component,
    /// Who made it, and why we think so.
    pub identification: Identification,
    /// The most severe verdict of its findings (`clear` without findings).
    pub verdict: Verdict,
}

/// A waiver and what became of it.
#[derive(Debug, Clone)]
pub struct WaiverStatus {
    /// The waiver.
    pub waiver: Waiver,
    /// Findings it waived.
    pub used: usize,
    /// Findings it matched after it expired.
    pub expired_matches: usize,
}

/// Everything a report needs.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// KB version.
    pub kb_version: String,
    /// KB content hash.
    pub kb_hash: String,
    /// The profile.
    pub profile: ProfileId,
    /// The forced action, if any.
    pub action: Option<Action>,
    /// The screening date.
    pub as_of: Date,
    /// One summary per input, in input order.
    pub inputs: Vec<Summary>,
    /// Every component read, in input order.
    pub components: Vec<Screened>,
    /// Findings, by component then directive then measure.
    pub findings: Vec<Finding>,
    /// Waivers and their use.
    pub waivers: Vec<WaiverStatus>,
    /// Files found in directories that are in no known format, with why.
    pub skipped_files: Vec<(String, String)>,
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

    /// The KB.
    pub fn kb(&self) -> &Kb {
        &self.kb
    }

    /// The matcher.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Reads, identifies and judges every input.
    pub fn screen(&self, inputs: Vec<Input>, req: &Request) -> Result<Outcome, ScreenError> {
        let profile = self.kb.profile(&req.profile).ok_or_else(|| {
            let known: Vec<String> = self.kb.profiles().map(|p| p.id.to_string()).collect();
            ScreenError::UnknownProfile(req.profile.to_string(), known.join(", "))
        })?;
        let cx = Context {
            kb: &self.kb,
            profile,
            as_of: req.as_of,
            action: req.action,
            waivers: &req.waivers,
        };
        let mut ledger = WaiverLedger::new(req.waivers.len());
        let mut components = Vec::new();
        let mut findings = Vec::new();
        let mut summaries = Vec::new();
        let mut skipped_files = Vec::new();
        for input in inputs {
            let mut sink = |c: Component| {
                let index = components.len();
                let identification = self.matcher.identify(&c);
                let mut found = evaluate(
                    &cx,
                    index,
                    &c,
                    identification.attribution.as_ref(),
                    &mut ledger,
                );
                let verdict = found
                    .iter()
                    .map(|f| f.verdict)
                    .max()
                    .unwrap_or(Verdict::Clear);
                components.push(Screened {
                    component: c,
                    identification,
                    verdict,
                });
                findings.append(&mut found);
            };
            match supplyscreen_ingest::read(&input.display, input.reader, &mut sink) {
                Ok(summary) => summaries.push(summary),
                Err(IngestError::UnknownFormat { .. }) if input.from_dir => {
                    skipped_files.push((input.display.clone(), "unknown input format".to_owned()));
                }
                Err(e) => return Err(e.into()),
            }
        }
        let waivers = req
            .waivers
            .iter()
            .enumerate()
            .map(|(i, w)| WaiverStatus {
                waiver: w.clone(),
                used: ledger.used[i],
                expired_matches: ledger.expired_matches[i],
            })
            .collect();
        Ok(Outcome {
            kb_version: self.kb.version().to_owned(),
            kb_hash: self.kb.hash().to_owned(),
            profile: req.profile.clone(),
            action: req.action,
            as_of: req.as_of,
            inputs: summaries,
            components,
            findings,
            waivers,
            skipped_files,
        })
    }
}

/// Opens paths as inputs: files as they are, directories as their files in
/// name order (recursively), `-` as standard input.
pub fn open_inputs(paths: &[PathBuf]) -> Result<Vec<Input>, ScreenError> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input {
                display: "-".into(),
                reader: Box::new(std::io::stdin()),
                from_dir: false,
            });
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
    let file = std::fs::File::open(p).map_err(|source| ScreenError::Open {
        path: display.clone(),
        source,
    })?;
    Ok(Input {
        display,
        reader: Box::new(file),
        from_dir,
    })
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
