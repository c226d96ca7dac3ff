//! `supplyscreen scan`.

use std::io::Write;

use supplyscreen_model::Verdict;
use supplyscreen_report::{OutputFormat, RenderOptions, render_summary, render_with};
use supplyscreen_screen::{
    Action, Outcome, Request, Screener, load_kb, open_inputs, parse_waivers,
};

use super::{CmdResult, emit};
use crate::args::{ActionArg, FailOn, ScanArgs};
use crate::output::{self, OutputSpec};
use crate::{CliError, ExitStatus};

/// Screens the inputs and prints the report; the exit status follows `--fail-on`.
pub fn run(
    a: ScanArgs,
    env: &crate::Environment,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> CmdResult<ExitStatus> {
    let outputs = outputs(&a);
    output::check(&outputs)?;
    let kb = load_kb(a.kb.kb.as_deref())?;
    let as_of = a.as_of.unwrap_or(env.today);
    let profile = a.profile.clone();
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
    let mut inputs = open_inputs(&a.paths)?;
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
    let status = if outcome.has_input_errors() {
        ExitStatus::Error
    } else {
        exit_code(&outcome, a.fail_on)
    };
    deliver(&a, &outputs, &outcome, out, status)?;
    if outcome.has_input_errors() {
        return Err(CliError::MalformedInput(input_errors(&outcome)));
    }
    Ok(status)
}

/// The reports asked for: `-o` as given, else `--format` (default table)
/// on standard output.
fn outputs(a: &ScanArgs) -> Vec<OutputSpec> {
    if a.outputs.is_empty() {
        vec![OutputSpec {
            format: a.format.unwrap_or(OutputFormat::Table),
            file: None,
        }]
    } else {
        a.outputs.clone()
    }
}

/// Writes the files first (so a closed pipe on standard output cannot
/// stop them), then standard output: the counts with `--summary`, nothing
/// with `--quiet`, else the report without a file.
fn deliver(
    a: &ScanArgs,
    outputs: &[OutputSpec],
    o: &Outcome,
    out: &mut dyn Write,
    status: ExitStatus,
) -> CmdResult<()> {
    let opts = RenderOptions {
        show_clear: a.show_clear,
        summary_only: false,
    };
    for spec in outputs {
        if let Some(path) = &spec.file {
            let mut text = render_with(spec.format, o, opts)?;
            if spec.format == OutputFormat::Table {
                text = anstream::adapter::strip_str(&text).to_string();
            }
            output::write_atomically(path, &text)?;
        }
    }
    if a.quiet {
        return Ok(());
    }
    let text = if a.summary {
        Some(render_summary(o))
    } else {
        match outputs.iter().find(|s| s.file.is_none()) {
            Some(spec) => Some(render_with(spec.format, o, opts)?),
            None => None,
        }
    };
    if let Some(text) = text {
        emit(out, &text, status)?;
    }
    Ok(())
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

/// Every malformed record of the inputs, with file and line.
fn input_errors(o: &Outcome) -> Vec<String> {
    o.inputs
        .iter()
        .flat_map(|i| {
            i.errors()
                .map(move |d| format!("  {}:{}: {}", i.path, d.line, d.message))
        })
        .collect()
}
