//! The command line of supplyscreen. `run` parses arguments and dispatches to
//! one module per command; it returns the exit status (DESIGN.md section 8):
//! 0 nothing at or above `--fail-on`, 1 findings at or above it, 2 could not
//! screen (bad arguments, unreadable or malformed input, invalid KB).

mod args;
mod commands;

use std::ffi::OsString;
use std::io::Write;

use clap::Parser;
use supplyscreen_kb::registry::Registry;
use supplyscreen_model::Date;

pub use args::Cli;

/// Exit status: nothing at or above the threshold.
pub const EXIT_OK: u8 = 0;
/// Exit status: findings at or above the threshold.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit status: could not screen.
pub const EXIT_ERROR: u8 = 2;

/// What the CLI takes from the machine it runs on, read once by `main`.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    /// The default screening date.
    pub today: Date,
    /// Vendor names from the system's pci.ids, usb.ids and oui.txt (notes only).
    pub registry: Registry,
}

impl Environment {
    /// The real machine: today's date and whatever registries are installed.
    pub fn system(today: Date) -> Self {
        Self {
            today,
            registry: Registry::load_system(),
        }
    }

    /// A fixed date and no system registries (reproducible, for tests).
    pub fn fixed(today: Date) -> Self {
        Self {
            today,
            registry: Registry::default(),
        }
    }
}

/// Runs the CLI in an environment.
pub fn run(
    args: impl IntoIterator<Item = impl Into<OsString> + Clone>,
    env: &Environment,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let text = e.render().ansi().to_string();
            let _ = if e.use_stderr() {
                write!(err, "{text}")
            } else {
                write!(out, "{text}")
            };
            return code;
        }
    };
    match commands::dispatch(cli, env, out, err) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            EXIT_ERROR
        }
    }
}
