//! `supplyscreen completions SHELL` and `supplyscreen manpage`: both are
//! generated from the one clap definition of the CLI.

use std::io::Write;

use clap::CommandFactory;

use super::{CmdResult, emit};
use crate::ExitStatus;
use crate::args::Cli;
use crate::args_workflow::CompletionsArgs;

/// Prints the completion script for a shell.
pub fn completions(a: CompletionsArgs, out: &mut dyn Write) -> CmdResult<ExitStatus> {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "supplyscreen", &mut buf);
    emit(out, &String::from_utf8_lossy(&buf), ExitStatus::Clean)?;
    Ok(ExitStatus::Clean)
}

/// Prints the manual page in roff: the main page, then one section per command.
pub fn manpage(out: &mut dyn Write) -> CmdResult<ExitStatus> {
    let cmd = Cli::command();
    let mut buf = Vec::new();
    let render = |cmd: clap::Command, buf: &mut Vec<u8>| clap_mangen::Man::new(cmd).render(buf);
    render(cmd.clone(), &mut buf).map_err(output_error)?;
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("supplyscreen-{}", sub.get_name());
        let sub = sub.clone().name(name);
        render(sub, &mut buf).map_err(output_error)?;
    }
    emit(out, &String::from_utf8_lossy(&buf), ExitStatus::Clean)?;
    Ok(ExitStatus::Clean)
}

fn output_error(source: std::io::Error) -> crate::CliError {
    crate::CliError::Output {
        status: ExitStatus::Error,
        source,
    }
}
