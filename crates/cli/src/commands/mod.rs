//! One module per command; shared helpers here.

mod bundle;
mod collect;
mod directives;
mod identify;
mod kb;
mod scan;

use std::io::Write;
use std::path::Path;

use supplyscreen_kb::{Kb, dir_files, embedded_files, overlay};
use supplyscreen_model::{Date, parse_iso_date};

use crate::args::{Cli, Command, KbSubcommand};

/// A command's failure, shown as `error: ...` with exit status 2.
pub type CmdResult<T> = Result<T, String>;

/// Runs the parsed command.
pub fn dispatch(
    cli: Cli,
    env: &crate::Environment,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> CmdResult<u8> {
    match cli.command {
        Command::Scan(a) => scan::run(a, env, out, err),
        Command::Identify(a) => identify::run(a, env, out),
        Command::Kb { command } => match command {
            KbSubcommand::Inspect(c) => kb::run(c, env, out),
            KbSubcommand::Bundle(c) => bundle::run(c, out),
        },
        Command::Directives(a) => directives::run(a, env.today, out),
        Command::Collect(a) => collect::run(a, out, err),
    }
}

/// The embedded KB, with `dir` laid over it when given.
pub fn load_kb(dir: Option<&Path>) -> CmdResult<Kb> {
    let files = match dir {
        Some(d) => overlay(embedded_files(), dir_files(d).map_err(|e| e.to_string())?),
        None => embedded_files(),
    };
    Kb::load(files).map_err(|e| e.to_string())
}

/// Parses a `--as-of` style date argument.
pub fn date_arg(flag: &str, value: Option<&str>, default: Date) -> CmdResult<Date> {
    value.map_or(Ok(default), |v| {
        parse_iso_date(v).map_err(|e| format!("{flag}: {e}"))
    })
}

/// Writes, turning an I/O failure into a command error.
pub fn emit(out: &mut dyn Write, text: &str) -> CmdResult<()> {
    out.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write output: {e}"))
}
