//! `supplyscreen impact --directive DRAFT.toml PATH...`.

use std::io::Write;

use supplyscreen_report::{render_impact_json, render_impact_table};
use supplyscreen_screen::{ImpactRequest, impact, open_inputs};

use super::{CmdResult, emit, read_text};
use crate::args::OutputFormat;
use crate::args_workflow::ImpactArgs;
use crate::{CliError, ExitStatus};

/// Validates the draft over the KB and reports what it would reach.
pub fn run(a: ImpactArgs, env: &crate::Environment, out: &mut dyn Write) -> CmdResult<ExitStatus> {
    let draft_text = read_text(&a.directive)?;
    let draft_path = a.directive.display().to_string();
    let req = ImpactRequest {
        draft_path: &draft_path,
        draft_text: &draft_text,
        kb_overlay: a.kb.kb.as_deref(),
        profile: a.profile,
        today: env.today,
    };
    let inputs = open_inputs(&a.paths);
    let result = impact(&req, inputs)?;
    let text = match a.format {
        OutputFormat::Table => render_impact_table(&result),
        OutputFormat::Json => render_impact_json(&result)?,
    };
    let errors: Vec<String> = result
        .inputs
        .iter()
        .flat_map(|i| {
            i.errors()
                .map(move |d| format!("  {}:{}: {}", i.path, d.line, d.message))
        })
        .collect();
    let status = if errors.is_empty() {
        ExitStatus::Clean
    } else {
        ExitStatus::Error
    };
    emit(out, &text, status)?;
    if !errors.is_empty() {
        return Err(CliError::MalformedInput(errors));
    }
    Ok(status)
}
