//! `supplyscreen scan`.

use std::io::Write;

use supplyscreen_model::ProfileId;
use supplyscreen_report::{Output, OutputFormat, RenderOptions, assumed_profile_line};
use supplyscreen_screen::{Action, End, Request, Screener, open_inputs, parse_waivers};

use super::CmdResult;
use crate::args::{ActionArg, FailOn, ScanArgs};
use crate::config::Config;
use crate::output::{self, OutputSpec, ReportFile, Tolerant};
use crate::{CliError, ExitStatus};

/// The profile assumed when neither `--profile` nor the config names one.
const DEFAULT_PROFILE: &str = "cn-cii";

/// Screens the inputs and prints the report; the exit status follows `--fail-on`.
pub fn run(
    a: ScanArgs,
    config: Option<&Config>,
    env: &crate::Environment,
    out: &mut dyn Write,
    data: Option<&mut dyn Write>,
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
    let jobs = a.jobs.map_or_else(default_jobs, usize::from);
    let mut files = Vec::new();
    let mut streams = Vec::new();
    for spec in &outputs {
        if let Some(path) = &spec.file {
            let (file, to) = ReportFile::create(path, spec.format == OutputFormat::Table)?;
            files.push(file);
            streams.push(stream(&a, spec.format, false, assumed, to)?);
        }
    }
    let human = a.summary
        || outputs
            .iter()
            .any(|s| s.file.is_none() && !is_data(s.format));
    let stdout = Tolerant::new(match data {
        Some(raw) if !human => raw,
        _ => out,
    });
    let stdout_error = stdout.error();
    if !a.quiet {
        if a.summary {
            streams.push(stream(
                &a,
                OutputFormat::Table,
                true,
                false,
                Box::new(stdout),
            )?);
        } else if let Some(spec) = outputs.iter().find(|s| s.file.is_none()) {
            streams.push(stream(&a, spec.format, false, assumed, Box::new(stdout))?);
        }
    }
    let end = screen_streaming(&screener, inputs, &req, jobs, streams)?;
    let totals = &end.totals;
    let status = if totals.has_input_errors() {
        ExitStatus::Error
    } else if totals.any_at_least(fail_on.verdict()) {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    };
    for f in files {
        f.persist()?;
    }
    if let Some(source) = stdout_error.take() {
        return Err(CliError::Output { status, source });
    }
    if totals.has_input_errors() {
        let problems = totals.problems().into_iter().map(|p| format!("  {p}"));
        return Err(CliError::MalformedInput(problems.collect()));
    }
    Ok(status)
}

/// Formats for programs: written to standard output as they are (no
/// terminal styles to drop: JSON escapes control characters, and a file
/// gets the same bytes).
fn is_data(format: OutputFormat) -> bool {
    !matches!(format, OutputFormat::Table | OutputFormat::Markdown)
}

/// The worker threads when `--jobs` is not given: one per core.
fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// One report to stream; when the profile was assumed, the table's first
/// line and the JSON's `profile_assumed` say so.
fn stream<'a>(
    a: &ScanArgs,
    format: OutputFormat,
    summary_only: bool,
    assumed: bool,
    mut to: supplyscreen_report::Destination<'a>,
) -> CmdResult<Output<'a>> {
    if assumed && format == OutputFormat::Table && !summary_only {
        let line = assumed_profile_line(DEFAULT_PROFILE);
        to.write_all(line.as_bytes())
            .map_err(|e| CliError::Screen(supplyscreen_screen::ScreenError::Output(e)))?;
    }
    Ok(Output {
        format,
        opts: RenderOptions {
            show_clear: a.show_clear,
            summary_only,
        },
        to,
        profile_assumed: assumed && format == OutputFormat::Json,
    })
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

/// Screens into the reports, showing a progress line on standard error
/// when it is a terminal and there is more than one file to read.
fn screen_streaming(
    screener: &Screener,
    inputs: Vec<supplyscreen_screen::Input>,
    req: &Request,
    jobs: usize,
    outputs: Vec<Output<'_>>,
) -> CmdResult<End> {
    use std::io::IsTerminal;
    let (enc, mut sink) = supplyscreen_report::streams(outputs, req.as_of);
    let many = inputs.len() > 1
        || inputs
            .iter()
            .any(|i| matches!(i.source, supplyscreen_screen::Source::Archive(_)));
    if !(many && std::io::stderr().is_terminal()) {
        return Ok(screener.screen_into(inputs, req, jobs, &enc, &mut sink, &mut |_| {})?);
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
    let end = screener.screen_into(inputs, req, jobs, &enc, &mut sink, &mut tick);
    bar.finish_and_clear();
    Ok(end?)
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
