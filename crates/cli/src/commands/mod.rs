//! One module per command; shared helpers here.

mod audit;
mod bundle;
mod collect;
mod completions;
mod diff;
mod directives;
mod identify;
mod impact;
mod init;
mod kb;
mod push;
mod scan;
mod serve;
mod token;
mod waivers;

use std::io::Write;
use std::path::Path;

use crate::args::{Cli, Command, KbSubcommand};
use crate::{CliError, ExitStatus};

/// A command's result.
pub type CmdResult<T> = Result<T, CliError>;

/// Runs the parsed command.
pub fn dispatch(
    cli: Cli,
    env: &crate::Environment,
    out: &mut dyn Write,
    data: Option<&mut dyn Write>,
    err: &mut dyn Write,
) -> CmdResult<ExitStatus> {
    // Commands that take settings read the configuration; a broken one is an
    // error for them only.
    let config = match &cli.command {
        Command::Scan(_) | Command::Diff(_) | Command::Waivers { .. } => {
            crate::config::resolve(cli.config.as_deref())?
        }
        _ => None,
    };
    let config = config.as_ref();
    match cli.command {
        Command::Scan(a) => scan::run(a, config, env, out, data, err),
        Command::Diff(a) => diff::run(a, config, out),
        Command::Impact(a) => impact::run(a, env, out),
        Command::Waivers { command } => waivers::run(command, config, env, out),
        Command::Init(a) => init::run(a, out),
        Command::Completions(a) => completions::completions(a, out),
        Command::Manpage => completions::manpage(out),
        Command::Identify(a) => identify::run(a, env, out),
        Command::Kb { command } => match command {
            KbSubcommand::Inspect(c) => kb::run(c, env, out),
            KbSubcommand::Bundle(c) => bundle::run(c, env, out),
        },
        Command::Directives(a) => directives::run(a, env, out),
        Command::Collect(a) => collect::run(a, out, err),
        Command::Serve(a) => serve::run(a, env, err),
        Command::Token { command } => token::run(command, env, out, err),
        Command::Audit { command } => audit::run(command, out),
    }
}

/// Writes a command's output; `status` is what the command ends with, kept
/// in the error so that a closed pipe can end with it quietly.
pub fn emit(out: &mut dyn Write, text: &str, status: ExitStatus) -> CmdResult<()> {
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|source| CliError::Output { status, source })
}

/// Reads a text file named on the command line. Anything but a regular file
/// (a FIFO, socket or device, which could block forever or never end) is
/// refused by its type before it is opened.
pub fn read_text(path: &Path) -> CmdResult<String> {
    let err = |source| CliError::Io {
        path: path.to_path_buf(),
        action: "read",
        source,
    };
    let meta = std::fs::metadata(path).map_err(err)?;
    if !meta.is_file() {
        return Err(err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file (a FIFO, socket, device or directory)",
        )));
    }
    std::fs::read_to_string(path).map_err(err)
}

/// The active KB for a command: the installed signed bundle in the
/// environment's KB home when there is one, else the built-in KB, with the
/// `--kb DIR` overlay laid over it.
pub fn active_kb(
    args: &crate::args::KbArgs,
    env: &crate::Environment,
) -> CmdResult<supplyscreen_screen::Kb> {
    Ok(supplyscreen_screen::load_active_kb(
        env.kb_home.as_deref(),
        args.kb.as_deref(),
    )?)
}
