//! `supplyscreen.toml`: the settings a team keeps beside its inventories.
//! Found from the working directory upwards, or named with `--config`.
//! Unknown keys and invalid values are `file:line` errors. Relative paths in
//! it are relative to the file's directory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde::Deserialize;
use supplyscreen_model::{Diagnostic, Diagnostics, ProfileId};
use toml::Spanned;

use crate::CliError;
use crate::args::FailOn;

/// The file name looked for.
pub const FILE_NAME: &str = "supplyscreen.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    profile: Option<Spanned<String>>,
    fail_on: Option<Spanned<String>>,
    #[serde(default)]
    waivers: Vec<Spanned<String>>,
    #[serde(default)]
    outputs: Vec<Spanned<String>>,
    max_waiver_days: Option<Spanned<i64>>,
    #[serde(default)]
    columns: BTreeMap<String, Spanned<String>>,
}

pub use crate::output::OutputSpec;

/// A validated configuration.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Config {
    /// The file it was read from.
    pub path: PathBuf,
    /// Who is screening.
    pub profile: Option<ProfileId>,
    /// The exit-status threshold.
    pub fail_on: Option<FailOn>,
    /// Waiver files, resolved against the config's directory.
    pub waivers: Vec<PathBuf>,
    /// Outputs of `scan`.
    pub outputs: Vec<OutputSpec>,
    /// How many days ahead a waiver's expiry may be.
    pub max_waiver_days: Option<u32>,
    /// Column mappings (meaning -> header), carried as written.
    pub columns: BTreeMap<String, String>,
}

/// The config named by `--config`, else the nearest `supplyscreen.toml`
/// from the working directory upwards, else none.
pub fn resolve(explicit: Option<&Path>) -> Result<Option<Config>, CliError> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None => {
            let Some(cwd) = std::env::current_dir().ok() else {
                return Ok(None);
            };
            match find(&cwd) {
                // Shown relative to the working directory when it is inside it.
                Some(p) => p.strip_prefix(&cwd).map(Path::to_path_buf).unwrap_or(p),
                None => return Ok(None),
            }
        }
    };
    let text = std::fs::read_to_string(&path).map_err(|source| CliError::Io {
        path: path.clone(),
        action: "read",
        source,
    })?;
    parse(&path, &text).map(Some).map_err(CliError::Config)
}

/// The nearest `supplyscreen.toml` in `dir` or a parent.
pub fn find(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// Parses and validates a configuration; every problem with its line.
pub fn parse(path: &Path, text: &str) -> Result<Config, Diagnostics> {
    let file = path.display().to_string();
    let line = |offset: usize| {
        u64::try_from(text[..offset.min(text.len())].matches('\n').count() + 1).unwrap_or(0)
    };
    let err = |offset: usize, msg: String| Diagnostic::error(file.as_str(), line(offset), msg);
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        Diagnostics(vec![err(
            offset,
            supplyscreen_screen::toml_message(text, &e),
        )])
    })?;
    let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut errors = Vec::new();
    let mut cfg = Config {
        path: path.to_path_buf(),
        waivers: raw.waivers.iter().map(|w| base.join(w.get_ref())).collect(),
        columns: raw
            .columns
            .iter()
            .map(|(k, v)| (k.clone(), v.get_ref().clone()))
            .collect(),
        ..Config::default()
    };
    if let Some(p) = &raw.profile {
        match ProfileId::new(p.get_ref()) {
            Ok(id) => cfg.profile = Some(id),
            Err(e) => errors.push(err(p.span().start, e.to_string())),
        }
    }
    if let Some(f) = &raw.fail_on {
        match FailOn::from_str(f.get_ref(), false) {
            Ok(v) => cfg.fail_on = Some(v),
            Err(_) => errors.push(err(
                f.span().start,
                format!(
                    "invalid fail_on {:?} (violation, restricted or review)",
                    f.get_ref()
                ),
            )),
        }
    }
    if let Some(d) = &raw.max_waiver_days {
        match u32::try_from(*d.get_ref()) {
            Ok(days) if days > 0 => cfg.max_waiver_days = Some(days),
            _ => errors.push(err(
                d.span().start,
                "max_waiver_days must be a positive number of days".into(),
            )),
        }
    }
    for o in &raw.outputs {
        match output(o.get_ref(), &base) {
            Ok(spec) => cfg.outputs.push(spec),
            Err(msg) => errors.push(err(o.span().start, msg)),
        }
    }
    if errors.is_empty() {
        Ok(cfg)
    } else {
        Err(Diagnostics(errors))
    }
}

/// `FORMAT` or `FORMAT=FILE`.
fn output(s: &str, base: &Path) -> Result<OutputSpec, String> {
    let (name, file) = match s.split_once('=') {
        Some((n, f)) if !f.trim().is_empty() => (n, Some(base.join(f.trim()))),
        Some(_) => return Err(format!("output {s:?} names no file after '='")),
        None => (s, None),
    };
    let format = name
        .trim()
        .parse()
        .map_err(|e: supplyscreen_report::UnknownFormat| e.to_string())?;
    Ok(OutputSpec { format, file })
}

/// What `supplyscreen init` writes.
pub const TEMPLATE: &str = r#"# supplyscreen configuration. `supplyscreen` reads the nearest supplyscreen.toml
# from the working directory upwards (or the file given with --config).
# Options given on the command line win over this file.
# Relative paths are relative to this file's directory.

# Who is screening: a profile id of the knowledge base (`supplyscreen kb list`).
# Without one, scans assume cn-cii and say so on their first line.
profile = "cn-cii"

# The lowest verdict that makes `scan` and `diff` exit with status 1:
# violation, restricted or review.
fail_on = "violation"

# Waiver files (accepted risks), used by `scan` and the `waivers` commands.
# waivers = ["waivers.toml"]

# Most days ahead a waiver's expiry may be set by `waivers add` and `renew`.
max_waiver_days = 365

# What `scan` writes when --format is not given: FORMAT for standard output,
# FORMAT=FILE for a file (formats: `supplyscreen scan --help`).
# outputs = ["table", "json=report.json"]

# Column headers of your spreadsheets, by meaning, when they are not among the
# headers recognised by default (see the README, "Inputs").
[columns]
# maker = "Lieferant"
# part_number = "Artikelnummer"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_is_a_valid_config() {
        let cfg = parse(Path::new("supplyscreen.toml"), TEMPLATE).expect("valid template");
        assert_eq!(
            cfg.profile.map(|p| p.to_string()).as_deref(),
            Some("cn-cii")
        );
        assert_eq!(cfg.fail_on, Some(FailOn::Violation));
        assert_eq!(cfg.max_waiver_days, Some(365));
    }

    #[test]
    fn values_resolve_and_errors_have_lines() {
        let text = "profile = \"us-federal-agency\"\nwaivers = [\"ops/w.toml\"]\noutputs = [\"json=out/r.json\", \"table\"]\n[columns]\nmaker = \"Lieferant\"\n";
        let cfg = parse(Path::new("site/supplyscreen.toml"), text).expect("valid");
        assert_eq!(cfg.waivers, vec![PathBuf::from("site/ops/w.toml")]);
        assert_eq!(cfg.outputs[0].file, Some(PathBuf::from("site/out/r.json")));
        assert_eq!(cfg.outputs[1].file, None);
        assert_eq!(
            cfg.columns.get("maker").map(String::as_str),
            Some("Lieferant")
        );
        let bad = "profile = \"cn-cii\"\ncolour = \"red\"\n";
        let e = parse(Path::new("s.toml"), bad).expect_err("unknown key");
        assert!(e.to_string().contains("s.toml:2:"), "{e}");
        assert!(e.to_string().contains("colour"), "{e}");
        let bad = "profile = \"CN CII\"\nfail_on = \"warning\"\noutputs = [\"yaml\"]\n";
        let e = parse(Path::new("s.toml"), bad)
            .expect_err("bad values")
            .to_string();
        assert!(e.contains("s.toml:1: invalid id"), "{e}");
        assert!(e.contains("s.toml:2: invalid fail_on \"warning\""), "{e}");
        assert!(
            e.contains("s.toml:3: unknown output format \"yaml\""),
            "{e}"
        );
    }
}
