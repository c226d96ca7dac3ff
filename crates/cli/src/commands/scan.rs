//! `supplyscreen scan`.

use std::io::Write;

use supplyscreen_model::ProfileId;
use supplyscreen_report::{
    OutputFormat, RenderOptions, assumed_profile_line, mark_profile_assumed_json, render_summary,
    render_with,
};
use supplyscreen_screen::{Action, Outcome, Request, Screener, open_inputs, parse_waivers};

use super::{CmdResult, emit};
use crate::args::{ActionArg, FailOn, ScanArgs};
use crate::config::Config;
use crate::output::{self, OutputSpec};
use crate::{CliError, ExitStatus};

/// The profile assumed when neither `--profile` nor the config names one.
const DEFAULT_PROFILE: &str = "cn-cii";

/// Screens the inputs and prints the report; the exit status follows `--fail-on`.
pub fn run(
    a: ScanArgs,
    config: Option<&Config>,
    env: &crate::Environment,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> CmdResult<ExitStatus> {
    let outputs = outputs(&a, config);
    output::check(&outputs)?;
    let read = read_options(&a, config)?;
    let kb = super::active_kb(&a.kb, env)?;
    let as_of = a.as_of.unwrap_or(env.today);
    let configured = config.and_then(|c| c.profile.clone());
    let assumed = a.profile.is_none() && configured.is_none();
    let profile = match a.profile.clone().or(configured) {
        Some(p) => p,
        None => ProfileId::new(DEFAULT_PROFILE).map_err(|e| CliError::Usage(e.to_string()))?,
    };
    let fail_on = a
        .fail_on
        .or_else(|| config.and_then(|c| c.fail_on))
        .unwrap_or(FailOn::Violation);
    let files = if a.waivers.is_empty() {
        config.map(|c| c.waivers.clone()).unwrap_or_default()
    } else {
        a.waivers.clone()
    };
    let mut waivers = Vec::new();
    for path in &files {
        let text = super::read_text(path)?;
        waivers.extend(parse_waivers(&path.to_string_lossy(), &text, &kb)?);
    }
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
    let status = if outcome.has_input_errors() {
        ExitStatus::Error
    } else {
        exit_code(&outcome, fail_on)
    };
    deliver(&a, &outputs, &outcome, assumed, out, status)?;
    if outcome.has_input_errors() {
        return Err(CliError::MalformedInput(input_errors(&outcome)));
    }
    Ok(status)
}

/// The reports asked for: `-o` as given, else `--format` on standard
/// output, else the config's outputs, else the table on standard output.
fn outputs(a: &ScanArgs, config: Option<&Config>) -> Vec<OutputSpec> {
    let configured = config.map(|c| c.outputs.as_slice()).unwrap_or_default();
    match (a.outputs.is_empty(), a.format) {
        (false, _) => a.outputs.clone(),
        (true, Some(format)) => vec![OutputSpec { format, file: None }],
        (true, None) if !configured.is_empty() => configured.to_vec(),
        (true, None) => vec![OutputSpec {
            format: OutputFormat::Table,
            file: None,
        }],
    }
}

/// One report; when the profile was assumed, the table's first line and the
/// JSON's `profile_assumed` say so.
fn rendered(
    format: OutputFormat,
    o: &Outcome,
    opts: RenderOptions,
    assumed: bool,
) -> CmdResult<String> {
    let text = render_with(format, o, opts)?;
    Ok(match (assumed, format) {
        (true, OutputFormat::Table) => assumed_profile_line(o.profile.as_str()) + &text,
        (true, OutputFormat::Json) => mark_profile_assumed_json(&text),
        _ => text,
    })
}

/// Writes the files first (so a closed pipe on standard output cannot
/// stop them), then standard output: the counts with `--summary`, nothing
/// with `--quiet`, else the report without a file.
fn deliver(
    a: &ScanArgs,
    outputs: &[OutputSpec],
    o: &Outcome,
    assumed: bool,
    out: &mut dyn Write,
    status: ExitStatus,
) -> CmdResult<()> {
    let opts = RenderOptions {
        show_clear: a.show_clear,
        summary_only: false,
    };
    for spec in outputs {
        if let Some(path) = &spec.file {
            let mut text = rendered(spec.format, o, opts, assumed)?;
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
            Some(spec) => Some(rendered(spec.format, o, opts, assumed)?),
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
            p.files,
            p.components,
            supplyscreen_report::visible(p.current)
        ));
        bar.tick();
    };
    let outcome = screener.screen_with_progress(inputs, req, &mut tick);
    bar.finish_and_clear();
    Ok(outcome?)
}

fn exit_code(o: &Outcome, fail_on: FailOn) -> ExitStatus {
    let threshold = fail_on.verdict();
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
/// `--columns` and `--date-order`; without `--columns`, the config's
/// `[columns]` table (role = header).
fn read_options(
    a: &ScanArgs,
    config: Option<&Config>,
) -> CmdResult<supplyscreen_ingest::ReadOptions> {
    let mut columns = supplyscreen_ingest::ColumnMap::default();
    for spec in &a.columns {
        columns
            .add(spec)
            .map_err(|e| CliError::Usage(format!("--columns: {e}")))?;
    }
    if a.columns.is_empty()
        && let Some(c) = config
    {
        for (role, header) in &c.columns {
            columns.add(&format!("{role}={header}")).map_err(|e| {
                CliError::Usage(format!("{}: [columns] {role}: {e}", c.path.display()))
            })?;
        }
    }
    Ok(supplyscreen_ingest::ReadOptions {
        columns,
        date_order: a.date_order,
        limits: supplyscreen_ingest::InputLimits {
            max_expansion: a.max_expansion,
            max_input_size: a.max_input_size,
        },
    })
}
