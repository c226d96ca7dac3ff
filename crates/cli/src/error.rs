//! The CLI's error type and exit status.

use std::io;
use std::path::PathBuf;

use supplyscreen_model::Diagnostics;
use supplyscreen_screen::{
    DiffError, EditError, ImpactError, ImportFailure, LoadError, ScreenError, WaiverError,
};

/// How the process ends, as a shell sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum ExitStatus {
    /// Nothing at or above `--fail-on` (and every command but `scan` on success).
    Clean = 0,
    /// Some component's verdict is at or above `--fail-on`.
    Findings = 1,
    /// Could not screen: bad arguments, unreadable or malformed input, invalid KB.
    Error = 2,
}

impl ExitStatus {
    /// The numeric status.
    pub fn code(self) -> u8 {
        self as u8
    }
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        Self::from(status.code())
    }
}

/// Why a command failed; shown as `error: ...` with exit status 2.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The knowledge base (embedded or with `--kb DIR`) did not load.
    #[error(transparent)]
    Kb(#[from] LoadError),
    /// Screening could not run (unknown profile, unreadable input).
    #[error(transparent)]
    Screen(#[from] ScreenError),
    /// The waivers file is invalid; every problem with file and line.
    #[error("invalid waivers:\n{0}")]
    Waivers(#[from] WaiverError),
    /// A public list could not be imported.
    #[error(transparent)]
    Import(#[from] ImportFailure),
    /// A file named on the command line could not be read or written.
    #[error("{}: cannot {action}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// `read` or `write`.
        action: &'static str,
        /// The cause.
        source: io::Error,
    },
    /// Standard output (or the writer given to `run`) failed.
    #[error("cannot write output: {source}")]
    Output {
        /// The status the command would have ended with had the write succeeded.
        status: ExitStatus,
        /// The cause.
        source: io::Error,
    },
    /// JSON output could not be produced.
    #[error("cannot render JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A scan report could not be rendered.
    #[error(transparent)]
    Render(#[from] supplyscreen_report::RenderError),
    /// An id that is in no section of the KB.
    #[error("no entity, directive or profile {0:?} in the KB (see `supplyscreen kb list`)")]
    NotInKb(String),
    /// Inputs had malformed records; the report above them is incomplete.
    #[error(
        "malformed input, the screening above is incomplete (exit {}):\n{}",
        ExitStatus::Error.code(),
        .0.join("\n")
    )]
    MalformedInput(Vec<String>),
    /// The configuration file is invalid; every problem with file and line.
    #[error("invalid configuration:\n{0}")]
    Config(Diagnostics),
    /// A file given to `diff` is not a JSON report it can read.
    #[error(transparent)]
    Diff(#[from] DiffError),
    /// A draft directive could not be measured.
    #[error(transparent)]
    Impact(#[from] ImpactError),
    /// A waiver edit was refused; the file is unchanged.
    #[error("waiver file not changed: {0}")]
    WaiverEdit(#[from] EditError),
    /// Arguments that parse but make no sense together.
    #[error("{0}")]
    Usage(String),
    /// The active KB (an installed bundle) could not be used.
    #[error(transparent)]
    ActiveKb(#[from] supplyscreen_screen::ActiveKbError),
    /// A key or bundle could not be made or read.
    #[error(transparent)]
    Bundle(#[from] supplyscreen_screen::bundle::BundleError),
    /// The service's store could not be opened or used.
    #[error("{}", store_message(.0))]
    Store(#[from] supplyscreen_store::StoreError),
    /// A bundle was refused; the installed KB is unchanged.
    #[error("{}: refused, nothing changed: {source}", path.display())]
    Refused {
        /// The bundle.
        path: PathBuf,
        /// Why.
        source: supplyscreen_screen::bundle::BundleError,
    },
    /// The server could not start or stopped on an error; or a push failed.
    #[error("{0}")]
    Service(String),
}

impl CliError {
    /// The status to end with when this error came from a closed pipe (the
    /// reader of our output went away, as `supplyscreen scan ... | head`
    /// does): `None` when it did not. Every link of the source chain is
    /// checked, since the `io::Error` may be wrapped.
    pub fn closed_pipe_status(&self) -> Option<ExitStatus> {
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(self);
        while let Some(e) = cause {
            if e.downcast_ref::<io::Error>()
                .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            {
                return Some(match self {
                    Self::Output { status, .. } => *status,
                    // Output is only written through `emit`, which records the
                    // status; a closed pipe anywhere else cannot say more.
                    _ => ExitStatus::Error,
                });
            }
            cause = e.source();
        }
        None
    }
}

/// A store error with its causes: the operator running a local command may see them.
fn store_message(e: &supplyscreen_store::StoreError) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
