//! The command line of supplyscreen. `run` parses arguments and dispatches to
//! one module per command; it returns the [`ExitStatus`]: 0 nothing at or
//! above `--fail-on`, 1 findings at or above it, 2 could not screen (bad
//! arguments, unreadable or malformed input, invalid KB).

mod args;
mod args_service;
mod args_workflow;
mod commands;
mod config;
mod error;
mod output;

use std::ffi::OsString;
use std::io::Write;

use clap::Parser;
use supplyscreen_model::Date;
use supplyscreen_screen::Registry;

pub use args::Cli;
pub use error::{CliError, ExitStatus};

/// What the CLI takes from the machine it runs on, read once by `main`.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    /// The default screening date.
    pub today: Date,
    /// Vendor names from the system's pci.ids, usb.ids and oui.txt (notes only).
    pub registry: Registry,
    /// Where signed KB bundles are installed: `$SUPPLYSCREEN_KB_HOME`, else
    /// the per-user data directory followed by `supplyscreen/kb`.
    pub kb_home: Option<std::path::PathBuf>,
    /// The instant the run started: what the service's store records for local changes
    /// (`token create`, `token revoke`).
    pub now: jiff::Timestamp,
}

impl Environment {
    /// The real machine: today's date and whatever registries are installed.
    pub fn system(today: Date) -> Self {
        Self {
            today,
            registry: Registry::load_system(),
            kb_home: default_kb_home(),
            now: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    /// The same environment, started at `now` (read by `main` with the date).
    pub fn with_now(self, now: jiff::Timestamp) -> Self {
        Self { now, ..self }
    }

    /// A fixed date and no system registries (reproducible, for tests).
    pub fn fixed(today: Date) -> Self {
        Self {
            today,
            registry: Registry::default(),
            kb_home: None,
            now: today
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .map(|z| z.timestamp())
                .unwrap_or(jiff::Timestamp::UNIX_EPOCH),
        }
    }
}

/// `$SUPPLYSCREEN_KB_HOME`, else the per-user data directory
/// (`$XDG_DATA_HOME` or `~/.local/share`, `%APPDATA%` on Windows) followed
/// by `supplyscreen/kb`.
fn default_kb_home() -> Option<std::path::PathBuf> {
    use std::path::PathBuf;
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = var("SUPPLYSCREEN_KB_HOME") {
        return Some(dir);
    }
    let data = var("XDG_DATA_HOME")
        .or_else(|| var("HOME").map(|h| h.join(".local").join("share")))
        .or_else(|| var("APPDATA"))?;
    Some(data.join("supplyscreen").join("kb"))
}

/// Runs the CLI in an environment. Errors are written to `err` as
/// `error: ...`; when `out` is a closed pipe the run ends quietly with the
/// status the command would have had.
pub fn run(
    args: impl IntoIterator<Item = impl Into<OsString> + Clone>,
    env: &Environment,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitStatus {
    run_with_data(args, env, out, None, err)
}

/// [`run`], with a second standard output for reports in data formats
/// (JSON, JSON Lines, CSV, SARIF, CycloneDX, HTML): written as they are,
/// while `out` (the table, Markdown, messages) may drop terminal styles.
/// Without it, every report goes to `out`.
pub fn run_with_data(
    args: impl IntoIterator<Item = impl Into<OsString> + Clone>,
    env: &Environment,
    out: &mut dyn Write,
    data: Option<&mut dyn Write>,
    err: &mut dyn Write,
) -> ExitStatus {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to `out`; a closed pipe there is not an error.
            // An error may quote an argument: it is shown, never obeyed.
            if e.use_stderr() {
                let text = e.render().to_string();
                let _ = write!(err, "{}", supplyscreen_report::visible_lines(&text));
                return ExitStatus::Error;
            }
            let _ = write!(out, "{}", e.render().ansi());
            return ExitStatus::Clean;
        }
    };
    match commands::dispatch(cli, env, out, data, err) {
        Ok(status) => status,
        Err(e) => e.closed_pipe_status().unwrap_or_else(|| {
            // Errors quote file names and input; they are shown, never obeyed.
            let text = e.to_string();
            let _ = writeln!(err, "error: {}", supplyscreen_report::visible_lines(&text));
            ExitStatus::Error
        }),
    }
}
