//! `supplyscreen scan`.

use std::io::Write;

use supplyscreen_model::Verdict;
use supplyscreen_report::render;
use supplyscreen_screen::{
    Action, Outcome, Request, Screener, load_kb, open_inputs, parse_waivers,
};

use super::{CmdResult, emit};
use crate::args::{ActionArg, FailOn, ScanArgs};
use crate::{CliError, ExitStatus};

/// Screens the inputs and prints the report; the exit status follows `--fail-on`.
pub fn run(
    a: ScanArgs,
    env: &crate::Environment,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> CmdResult<ExitStatus> {
    let read = read_options(&a)?;
    let kb = load_kb(a.kb.kb.as_deref())?;
    let as_of = a.as_of.unwrap_or(env.today);
    let profile = a.profile;
    let waivers = match &a.waivers {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| CliError::Io {
                path: path.clone(),
                action: "read",
                source,
            })?;
            parse_waivers(&path.to_string_lossy(), &text, &kb)?
        }
        None => Vec::new(),
    };
    let action = match a.action {
        ActionArg::Auto => None,
        ActionArg::Purchase => Some(Action::Purchase),
        ActionArg::Inventory => Some(Action::Inventory),
    };
    let screener = Screener::new(kb).with_registry(env.registry.clone());
    let mut inputs = open_inputs(&a.paths);
    if a.local {
        inputs.push(super::collect::local_input(&a.root, err));
    }
    let req = Request {
        profile,
        as_of,
        action,
        waivers,
        read,
    };
    let outcome = screen_with_progress(&screener, inputs, &req)?;
    let text = render(a.format, &outcome).map_err(CliError::Render)?;
    let status = if outcome.has_input_errors() {
        ExitStatus::Error
    } else {
        exit_code(&outcome, a.fail_on)
    };
    emit(out, &text, status)?;
    if outcome.has_input_errors() {
        return Err(CliError::MalformedInput(input_errors(&outcome)));
    }
    Ok(status)
}

/// Screens, showing a progress line on standard error when it is a terminal
/// and there is more than one file to read.
fn screen_with_progress(
    screener: &Screener,
    inputs: Vec<supplyscreen_screen::Input>,
    req: &Request,
) -> CmdResult<Outcome> {
    use std::io::IsTerminal;
    let many = inputs.len() > 1
        || inputs
            .iter()
            .any(|i| matches!(i.source, supplyscreen_screen::Source::Archive(_)));
    if !(many && std::io::stderr().is_terminal()) {
        return Ok(screener.screen(inputs, req)?);
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    let mut tick = |p: supplyscreen_screen::Progress<'_>| {
        bar.set_message(format!(
            "{} file(s), {} component(s) · {}",
            p.files, p.components, p.current
        ));
        bar.tick();
    };
    let outcome = screener.screen_with_progress(inputs, req, &mut tick);
    bar.finish_and_clear();
    Ok(outcome?)
}

fn exit_code(o: &Outcome, fail_on: FailOn) -> ExitStatus {
    let threshold = match fail_on {
        FailOn::Violation => Verdict::Violation,
        FailOn::Restricted => Verdict::Restricted,
        FailOn::Review => Verdict::Review,
    };
    if o.components.iter().any(|c| c.verdict >= threshold) {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    }
}

/// Why the screening is incomplete: malformed records with file and line,
/// unreadable or unrecognised files, nothing screened.
fn input_errors(o: &Outcome) -> Vec<String> {
    o.problems().into_iter().map(|p| format!("  {p}")).collect()
}

/// The table options from `--columns` and `--date-order`.
fn read_options(a: &ScanArgs) -> CmdResult<supplyscreen_ingest::ReadOptions> {
    let mut columns = supplyscreen_ingest::ColumnMap::default();
    for spec in &a.columns {
        columns
            .add(spec)
            .map_err(|e| CliError::Usage(format!("--columns: {e}")))?;
    }
    Ok(supplyscreen_ingest::ReadOptions {
        columns,
        date_order: a.date_order,
    })
}
