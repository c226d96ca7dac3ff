//! One module per command; shared helpers here.

mod bundle;
mod collect;
mod directives;
mod identify;
mod kb;
mod scan;

use std::io::Write;

use crate::args::{Cli, Command, KbSubcommand};
use crate::{CliError, ExitStatus};

/// A command's result.
pub type CmdResult<T> = Result<T, CliError>;

/// Runs the parsed command.
pub fn dispatch(
    cli: Cli,
    env: &crate::Environment,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> CmdResult<ExitStatus> {
    match cli.command {
        Command::Scan(a) => scan::run(a, env, out, err),
        Command::Identify(a) => identify::run(a, env, out),
        Command::Kb { command } => match command {
            KbSubcommand::Inspect(c) => kb::run(c, env, out),
            KbSubcommand::Bundle(c) => bundle::run(c, out),
        },
        Command::Directives(a) => directives::run(a, out),
        Command::Collect(a) => collect::run(a, out, err),
    }
}

/// Writes a command's output; `status` is what the command ends with, kept
/// in the error so that a closed pipe can end with it quietly.
pub fn emit(out: &mut dyn Write, text: &str, status: ExitStatus) -> CmdResult<()> {
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|source| CliError::Output { status, source })
}
