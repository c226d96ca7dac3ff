//! `supplyscreen waivers list | add | renew | prune`.

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

use supplyscreen_model::Date;
use supplyscreen_report::{render_waiver_list, render_waiver_list_json};
use supplyscreen_screen::{
    ExpiryLimit, Kb, NewWaiver, Renewal, Waiver, add_waiver, load_kb, parse_waivers, prune_waivers,
    renew_waiver,
};

use super::{CmdResult, emit, read_text};
use crate::args::{KbArgs, OutputFormat};
use crate::args_workflow::{AddArgs, ExpiryArgs, RenewArgs, WaiversCommand};
use crate::config::Config;
use crate::{CliError, ExitStatus};

/// The default limit on how far ahead an expiry may be.
const DEFAULT_MAX_DAYS: u32 = 365;

/// Runs a waivers subcommand.
pub fn run(
    cmd: WaiversCommand,
    config: Option<&Config>,
    env: &crate::Environment,
    out: &mut dyn Write,
) -> CmdResult<ExitStatus> {
    let text = match cmd {
        WaiversCommand::List {
            waivers,
            expiring,
            format,
            expiry,
            kb,
        } => {
            let today = expiry.today.unwrap_or(env.today);
            let files = files(waivers, config)?;
            let mut all = read_all(&files, &kb)?;
            if let Some(days) = expiring {
                all.retain(|w| {
                    (w.expires - today).get_days() <= i32::try_from(days).unwrap_or(i32::MAX)
                });
            }
            match format {
                OutputFormat::Table => render_waiver_list(&all, today),
                OutputFormat::Json => render_waiver_list_json(&all, today)?,
            }
        }
        WaiversCommand::Add(a) => add(a, config, env)?,
        WaiversCommand::Renew(a) => renew(a, config, env)?,
        WaiversCommand::Prune {
            waivers,
            dry_run,
            expiry,
            kb,
        } => prune(
            &files(waivers, config)?,
            dry_run,
            expiry.today.unwrap_or(env.today),
            &kb,
        )?,
    };
    emit(out, &text, ExitStatus::Clean)?;
    Ok(ExitStatus::Clean)
}

/// The files given, else the config's, else an error saying how to name some.
fn files(given: Vec<PathBuf>, config: Option<&Config>) -> CmdResult<Vec<PathBuf>> {
    if !given.is_empty() {
        return Ok(given);
    }
    match config.map(|c| c.waivers.clone()).filter(|w| !w.is_empty()) {
        Some(w) => Ok(w),
        None => Err(CliError::Usage(
            "no waiver files: pass --waivers FILE or list them as `waivers = [...]` in supplyscreen.toml"
                .into(),
        )),
    }
}

fn read_all(files: &[PathBuf], kb: &KbArgs) -> CmdResult<Vec<Waiver>> {
    let kb = load_kb(kb.kb.as_deref())?;
    let mut all = Vec::new();
    for f in files {
        all.extend(read_file(f, &kb)?);
    }
    Ok(all)
}

fn read_file(f: &Path, kb: &Kb) -> CmdResult<Vec<Waiver>> {
    let text = read_text(f)?;
    Ok(parse_waivers(&f.display().to_string(), &text, kb)?)
}

fn limit(e: &ExpiryArgs, config: Option<&Config>, today: Date) -> ExpiryLimit {
    ExpiryLimit {
        today,
        max_days: e
            .max_days
            .or_else(|| config.and_then(|c| c.max_waiver_days))
            .unwrap_or(DEFAULT_MAX_DAYS),
    }
}

fn add(a: AddArgs, config: Option<&Config>, env: &crate::Environment) -> CmdResult<String> {
    let file = a
        .file
        .clone()
        .or_else(|| config.and_then(|c| c.waivers.first().cloned()))
        .unwrap_or_else(|| PathBuf::from("waivers.toml"));
    let text = if file.exists() {
        read_text(&file)?
    } else {
        String::new()
    };
    let kb = load_kb(a.kb.kb.as_deref())?;
    let today = a.expiry.today.unwrap_or(env.today);
    let w = NewWaiver {
        directive: a.directive,
        reason: a.reason,
        approver: a.approver,
        expires: a.expires,
        ticket: a.ticket,
        matches: a.matches,
    };
    let name = file.display().to_string();
    let new = add_waiver(&name, &text, &kb, &w, limit(&a.expiry, config, today))?;
    write_file(&file, &new)?;
    let at = parse_waivers(&name, &new, &kb)?
        .last()
        .map_or_else(|| name.clone(), |w| w.at.to_string());
    Ok(format!(
        "added {at}: {} · risk accepted by {} until {}\n",
        w.directive, w.approver, w.expires
    ))
}

fn renew(a: RenewArgs, config: Option<&Config>, env: &crate::Environment) -> CmdResult<String> {
    let (file, line) = &a.at;
    let text = read_text(file)?;
    let kb = load_kb(a.kb.kb.as_deref())?;
    let today = a.expiry.today.unwrap_or(env.today);
    let r = Renewal {
        expires: a.expires,
        approver: a.approver,
        reason: a.reason,
        ticket: a.ticket,
    };
    let name = file.display().to_string();
    let new = renew_waiver(
        &name,
        &text,
        &kb,
        *line,
        &r,
        limit(&a.expiry, config, today),
    )?;
    write_file(file, &new)?;
    Ok(format!(
        "renewed {name}:{line}: risk accepted by {} until {}\n",
        r.approver, r.expires
    ))
}

fn prune(files: &[PathBuf], dry_run: bool, today: Date, kb: &KbArgs) -> CmdResult<String> {
    let kb = load_kb(kb.kb.as_deref())?;
    let mut s = String::new();
    for f in files {
        let name = f.display().to_string();
        let text = read_text(f)?;
        let (new, removed) = prune_waivers(&name, &text, &kb, today)?;
        let verb = if dry_run { "would remove" } else { "removed" };
        let _ = writeln!(s, "{name}: {verb} {} expired waiver(s)", removed.len());
        for w in &removed {
            let _ = writeln!(
                s,
                "  {} · {} · expired {} · approved by {}",
                w.at, w.directive, w.expires, w.approver
            );
        }
        if !dry_run && new != text {
            write_file(f, &new)?;
        }
    }
    Ok(supplyscreen_report::visible_lines(&s).into_owned())
}

/// Writes a file through a temporary file beside it, so a failed write
/// leaves the old file whole.
fn write_file(path: &Path, text: &str) -> CmdResult<()> {
    let io = |source| CliError::Io {
        path: path.to_path_buf(),
        action: "write",
        source,
    };
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, text).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}
