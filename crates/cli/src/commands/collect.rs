//! `supplyscreen collect`, and the local inventory `scan --local` screens.
//!
//! Collecting is not screening: it reads this machine's sysfs and DMI table,
//! which a server screening uploaded files never does. So the CLI calls
//! ingest's collector directly instead of through the `screen` facade (which
//! stays the pipeline's one entry point) and hands the result to `screen` as
//! one more JSON Lines input.

use std::io::Write;
use std::path::Path;

use supplyscreen_ingest::{Collection, collect};
use supplyscreen_report::render_collection;
use supplyscreen_screen::Input;

use super::{CmdResult, emit};
use crate::args::CollectArgs;
use crate::{CliError, ExitStatus};

/// Collects and writes JSON Lines; what could not be read goes to `err`.
pub fn run(a: CollectArgs, out: &mut dyn Write, err: &mut dyn Write) -> CmdResult<ExitStatus> {
    let col = collect(&a.root);
    report_notes(&col, err);
    let text = render_collection(&col);
    if let Some(url) = &a.push {
        let target = super::push::Target::new(url, a.token.as_deref(), a.ca_cert.as_deref())?;
        if let Some(warning) = target.plain_http_warning() {
            let _ = writeln!(err, "{warning}");
        }
        let answer = target.push(&a.profile, &col.host, text.into_bytes())?;
        emit(out, &answer, ExitStatus::Clean)?;
        return Ok(ExitStatus::Clean);
    }
    match &a.output {
        Some(path) => std::fs::write(path, text).map_err(|source| CliError::Io {
            path: path.clone(),
            action: "write",
            source,
        })?,
        None => emit(out, &text, ExitStatus::Clean)?,
    }
    Ok(ExitStatus::Clean)
}

/// This machine's inventory as an input to screen, named `local:<host>`.
pub fn local_input(root: &Path, err: &mut dyn Write) -> Input {
    let col = collect(root);
    report_notes(&col, err);
    let name = format!("local:{}", col.host);
    Input::reader(
        &name,
        Box::new(std::io::Cursor::new(render_collection(&col).into_bytes())),
    )
}

fn report_notes(col: &Collection, err: &mut dyn Write) {
    for n in &col.notes {
        let _ = writeln!(err, "note: {}", supplyscreen_report::visible(n));
    }
}
