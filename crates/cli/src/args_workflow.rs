//! Arguments of the workflow commands: `diff`, `impact`, `waivers`, `init`,
//! `completions`.

use std::path::PathBuf;

use clap::Subcommand;
use supplyscreen_model::{Date, ProfileId, Verdict, parse_iso_date};

use crate::args::{FailOn, KbArgs, OutputFormat};

impl FailOn {
    /// The lowest verdict that fails.
    pub fn verdict(self) -> Verdict {
        match self {
            FailOn::Violation => Verdict::Violation,
            FailOn::Restricted => Verdict::Restricted,
            FailOn::Review => Verdict::Review,
        }
    }
}

/// `diff` options.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The earlier JSON report (`scan --format json`).
    #[arg(value_name = "OLD.json")]
    pub old: PathBuf,
    /// The later JSON report.
    #[arg(value_name = "NEW.json")]
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Exit with status 1 when a new finding, or one that became more
    /// severe, is at or above this (default: the config's, else violation).
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
}

/// `impact` options.
#[derive(Debug, clap::Args)]
pub struct ImpactArgs {
    /// The draft directive (TOML, as the KB's directives are written).
    #[arg(long, value_name = "DRAFT.toml")]
    pub directive: PathBuf,
    /// Screen as this profile; default: whoever the draft binds (its jurisdiction and sectors).
    #[arg(long)]
    pub profile: Option<ProfileId>,
    /// Files, directories or archives to screen.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// KB overlay.
    #[command(flatten)]
    pub kb: KbArgs,
}

/// Options shared by the waiver commands that judge expiry dates.
#[derive(Debug, clap::Args)]
pub struct ExpiryArgs {
    /// How many days ahead an expiry may be (default: the config's, else 365).
    #[arg(long, value_name = "DAYS")]
    pub max_days: Option<u32>,
    /// Today, for tests and reproducible runs (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_iso_date, hide = true)]
    pub today: Option<Date>,
}

/// `waivers` subcommands.
#[derive(Debug, Subcommand)]
pub enum WaiversCommand {
    /// List the waivers of one or more files, with days left.
    List {
        /// A waivers file; repeatable (default: the config's waiver files).
        #[arg(long, value_name = "FILE")]
        waivers: Vec<PathBuf>,
        /// Only waivers expired or expiring within this period (`30d`, `4w`, `30`).
        #[arg(long, value_name = "PERIOD", value_parser = parse_period)]
        expiring: Option<u32>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
        /// Expiry options.
        #[command(flatten)]
        expiry: ExpiryArgs,
        /// KB overlay.
        #[command(flatten)]
        kb: KbArgs,
    },
    /// Add a waiver (reason, approver and expiry required).
    Add(AddArgs),
    /// Renew the waiver at FILE:LINE with a new expiry and approver.
    Renew(RenewArgs),
    /// Remove waivers that have expired.
    Prune {
        /// A waivers file; repeatable (default: the config's waiver files).
        #[arg(long, value_name = "FILE")]
        waivers: Vec<PathBuf>,
        /// Say what would be removed without writing.
        #[arg(long)]
        dry_run: bool,
        /// Expiry options.
        #[command(flatten)]
        expiry: ExpiryArgs,
        /// KB overlay.
        #[command(flatten)]
        kb: KbArgs,
    },
}

/// `waivers add` options.
#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The waivers file to add to (created when missing; default: the
    /// config's first waiver file, else waivers.toml).
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// The directive whose finding the risk is accepted for.
    #[arg(long)]
    pub directive: String,
    /// Why the risk is accepted.
    #[arg(long)]
    pub reason: String,
    /// Who accepted it (name and role).
    #[arg(long)]
    pub approver: String,
    /// Last day it applies (YYYY-MM-DD).
    #[arg(long, value_parser = parse_iso_date)]
    pub expires: Date,
    /// The change or risk ticket recording the approval.
    #[arg(long)]
    pub ticket: Option<String>,
    /// What it covers, KEY=VALUE (entity, part_number, host, path, serial; `*` wildcards); repeatable.
    #[arg(long = "match", value_name = "KEY=VALUE", required = true, value_parser = parse_match)]
    pub matches: Vec<(String, String)>,
    /// Expiry options.
    #[command(flatten)]
    pub expiry: ExpiryArgs,
    /// KB overlay.
    #[command(flatten)]
    pub kb: KbArgs,
}

/// `waivers renew` options.
#[derive(Debug, clap::Args)]
pub struct RenewArgs {
    /// The waiver, as reports cite it: FILE:LINE (its `[[waivers]]` line or any line of it).
    #[arg(value_name = "FILE:LINE", value_parser = parse_at)]
    pub at: (PathBuf, u64),
    /// The new last day (YYYY-MM-DD).
    #[arg(long, value_parser = parse_iso_date)]
    pub expires: Date,
    /// Who approved the renewal.
    #[arg(long)]
    pub approver: String,
    /// A new reason.
    #[arg(long)]
    pub reason: Option<String>,
    /// A new or first ticket.
    #[arg(long)]
    pub ticket: Option<String>,
    /// Expiry options.
    #[command(flatten)]
    pub expiry: ExpiryArgs,
    /// KB overlay.
    #[command(flatten)]
    pub kb: KbArgs,
}

/// `init` options.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Where to write it.
    #[arg(long, value_name = "FILE", default_value = "supplyscreen.toml")]
    pub path: PathBuf,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

/// `completions` options.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `30d`, `4w` or `30` (days) -> days.
pub fn parse_period(s: &str) -> Result<u32, String> {
    let t = s.trim();
    let (n, mult) = match t.char_indices().last() {
        Some((i, 'd')) => (&t[..i], 1),
        Some((i, 'w')) => (&t[..i], 7),
        _ => (t, 1),
    };
    n.parse::<u32>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .ok_or_else(|| format!("invalid period {s:?}: write days as 30d or 30, weeks as 4w"))
}

fn parse_match(s: &str) -> Result<(String, String), String> {
    let (k, v) = s
        .split_once('=')
        .ok_or_else(|| format!("invalid match {s:?}: write KEY=VALUE, e.g. host=db-07"))?;
    let (k, v) = (k.trim(), v.trim());
    if !supplyscreen_screen::MATCH_KEYS.contains(&k) {
        let keys = supplyscreen_screen::MATCH_KEYS.join(", ");
        return Err(format!("unknown match key {k:?} (keys: {keys})"));
    }
    if v.is_empty() {
        return Err(format!("match {k} has an empty value"));
    }
    Ok((k.to_owned(), v.to_owned()))
}

fn parse_at(s: &str) -> Result<(PathBuf, u64), String> {
    let bad = || format!("invalid waiver {s:?}: write FILE:LINE, e.g. waivers.toml:5");
    let (file, line) = s.rsplit_once(':').ok_or_else(bad)?;
    let line: u64 = line.parse().map_err(|_| bad())?;
    if file.is_empty() || line == 0 {
        return Err(bad());
    }
    Ok((PathBuf::from(file), line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_matches_and_places_parse() {
        assert_eq!(parse_period("30d"), Ok(30));
        assert_eq!(parse_period("4w"), Ok(28));
        assert_eq!(parse_period("12"), Ok(12));
        assert!(parse_period("1m").is_err());
        assert_eq!(
            parse_match("host=db-07"),
            Ok(("host".to_owned(), "db-07".to_owned()))
        );
        assert!(parse_match("colour=red").is_err());
        assert_eq!(
            parse_at("ops/waivers.toml:12"),
            Ok((PathBuf::from("ops/waivers.toml"), 12))
        );
        assert!(parse_at("waivers.toml").is_err());
    }
}
