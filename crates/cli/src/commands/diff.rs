//! `supplyscreen diff OLD.json NEW.json`.

use std::io::Write;
use std::path::Path;

use supplyscreen_report::{render_diff_json, render_diff_table};
use supplyscreen_screen::{ReportDiff, diff_reports};

use super::{CmdResult, emit, read_text};
use crate::ExitStatus;
use crate::args::{FailOn, OutputFormat};
use crate::args_workflow::DiffArgs;
use crate::config::Config;

/// Compares two reports; exit 1 when a new or worsened finding reaches `--fail-on`.
pub fn run(a: DiffArgs, config: Option<&Config>, out: &mut dyn Write) -> CmdResult<ExitStatus> {
    let old = read_text(&a.old)?;
    let new = read_text(&a.new)?;
    let diff = diff_reports((&name(&a.old), &old), (&name(&a.new), &new))?;
    let fail_on = a
        .fail_on
        .or_else(|| config.and_then(|c| c.fail_on))
        .unwrap_or(FailOn::Violation);
    let status = status(&diff, fail_on);
    let text = match a.format {
        OutputFormat::Table => render_diff_table(&diff),
        OutputFormat::Json => render_diff_json(&diff)?,
    };
    emit(out, &text, status)?;
    Ok(status)
}

fn name(p: &Path) -> String {
    p.display().to_string()
}

/// 1 when a new finding, or a changed one whose verdict became more severe,
/// is at or above the threshold.
pub fn status(d: &ReportDiff, fail_on: FailOn) -> ExitStatus {
    let threshold = fail_on.verdict();
    let new = d.added.iter().any(|f| f.verdict >= threshold);
    let worse = d
        .changed
        .iter()
        .any(|c| c.is_worse() && c.new.verdict >= threshold);
    if new || worse {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    }
}
