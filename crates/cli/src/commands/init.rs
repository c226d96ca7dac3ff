//! `supplyscreen init`: writes a commented `supplyscreen.toml`.

use std::io::Write;

use super::{CmdResult, emit};
use crate::args_workflow::InitArgs;
use crate::config::TEMPLATE;
use crate::{CliError, ExitStatus};

/// Writes the template; refuses to overwrite without `--force`.
pub fn run(a: InitArgs, out: &mut dyn Write) -> CmdResult<ExitStatus> {
    if a.path.exists() && !a.force {
        return Err(CliError::Usage(format!(
            "{} exists; pass --force to overwrite it",
            a.path.display()
        )));
    }
    std::fs::write(&a.path, TEMPLATE).map_err(|source| CliError::Io {
        path: a.path.clone(),
        action: "write",
        source,
    })?;
    let text = format!(
        "wrote {} (edit it; `supplyscreen` finds it from this directory and below)\n",
        a.path.display()
    );
    emit(out, &text, ExitStatus::Clean)?;
    Ok(ExitStatus::Clean)
}
