//! `supplyscreen scan`.

use std::io::Write;

use supplyscreen_model::{ProfileId, Verdict};
use supplyscreen_policy::{Action, waivers};
use supplyscreen_report::render;
use supplyscreen_screen::{Outcome, Request, Screener, open_inputs};

use super::{CmdResult, date_arg, emit, load_kb};
use crate::args::{ActionArg, FailOn, ScanArgs};
use crate::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};

/// Screens the inputs and prints the report; the exit status follows `--fail-on`.
pub fn run(
    a: ScanArgs,
    env: &crate::Environment,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> CmdResult<u8> {
    let kb = load_kb(a.kb.kb.as_deref())?;
    let as_of = date_arg("--as-of", a.as_of.as_deref(), env.today)?;
    let profile = ProfileId::new(&a.profile).map_err(|e| format!("--profile: {e}"))?;
    let waivers = match &a.waivers {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
            waivers::parse(&path.to_string_lossy(), &text, &kb)
                .map_err(|e| format!("invalid waivers:\n{e}"))?
        }
        None => Vec::new(),
    };
    let action = match a.action {
        ActionArg::Auto => None,
        ActionArg::Purchase => Some(Action::Purchase),
        ActionArg::Inventory => Some(Action::Inventory),
    };
    let screener = Screener::new(kb).with_registry(env.registry.clone());
    let mut inputs = open_inputs(&a.paths).map_err(|e| e.to_string())?;
    if a.local {
        inputs.push(super::collect::local_input(&a.root, err));
    }
    let req = Request {
        profile,
        as_of,
        action,
        waivers,
    };
    let outcome = screen_with_progress(&screener, inputs, &req)?;
    let text = render(a.format, &outcome).map_err(|e| e.to_string())?;
    emit(out, &text)?;
    if outcome.has_input_errors() {
        return Err(input_errors(&outcome));
    }
    Ok(exit_code(&outcome, a.fail_on))
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
        return screener.screen(inputs, req).map_err(|e| e.to_string());
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
    outcome.map_err(|e| e.to_string())
}

fn exit_code(o: &Outcome, fail_on: FailOn) -> u8 {
    let threshold = match fail_on {
        FailOn::Violation => Verdict::Violation,
        FailOn::Restricted => Verdict::Restricted,
        FailOn::Review => Verdict::Review,
    };
    if o.components.iter().any(|c| c.verdict >= threshold) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// The message for malformed inputs: every error with file and line.
fn input_errors(o: &Outcome) -> String {
    let lines: Vec<String> = o
        .inputs
        .iter()
        .flat_map(|i| {
            i.errors()
                .map(move |d| format!("  {}:{}: {}", i.path, d.line, d.message))
        })
        .collect();
    format!(
        "malformed input, the screening above is incomplete (exit {EXIT_ERROR}):\n{}",
        lines.join("\n")
    )
}
