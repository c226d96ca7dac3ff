//! `supplyscreen identify`.

use std::io::Write;

use supplyscreen_report::{render_identify_json, render_identify_table};
use supplyscreen_screen::identify_texts;

use super::{CmdResult, emit};
use crate::ExitStatus;
use crate::args::{IdentifyArgs, OutputFormat};

/// Attributes each text and prints the evidence.
pub fn run(
    a: IdentifyArgs,
    env: &crate::Environment,
    out: &mut dyn Write,
) -> CmdResult<ExitStatus> {
    let kb = super::active_kb(&a.kb, env)?;
    let results = identify_texts(&kb, env.registry.clone(), &a.texts, a.explain);
    let text = match a.format {
        OutputFormat::Json => render_identify_json(&kb, &results)?,
        OutputFormat::Table => render_identify_table(&results),
    };
    emit(out, &text, ExitStatus::Clean)?;
    Ok(ExitStatus::Clean)
}
