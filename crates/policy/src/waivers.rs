//! Waivers: approved exceptions, in a TOML file reviewed like the KB.
//!
//! ```toml
//! [[waivers]]
//! directive = "cn-cac-2023-micron"
//! reason = "Spare DIMMs bought in 2022 for the existing cluster"
//! approver = "Li Wei, CISO"
//! expires = "2026-12-31"
//! ticket = "CHG-2291"          # optional: the change or risk ticket
//! match = { part_number = "MTA18ASF2G72PZ*", host = "db-01" }
//! ```
//!
//! A waiver matches a component when every key of `match` matches: `entity`
//! (the attributed entity), `part_number`, `host`, `path` (the input file)
//! and `serial`, each exact (case-insensitive) or a `*` glob.
//!
//! [`edit`] adds, renews and prunes waivers in such a file, keeping its
//! comments and layout.

pub mod edit;

use std::sync::Arc;

use serde::Deserialize;
use supplyscreen_kb::Kb;
use supplyscreen_model::{
    Component, Date, Diagnostic, Diagnostics, DirectiveId, FieldRole, parse_iso_date,
};
use toml::Spanned;

/// A waiver file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    waivers: Vec<Spanned<RawWaiver>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    directive: Spanned<String>,
    reason: Spanned<String>,
    approver: Spanned<String>,
    expires: Spanned<String>,
    ticket: Option<Spanned<String>>,
    #[serde(rename = "match")]
    matches: Spanned<RawMatch>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMatch {
    entity: Option<String>,
    part_number: Option<String>,
    host: Option<String>,
    path: Option<String>,
    serial: Option<String>,
}

/// One validated waiver.
#[derive(Debug, Clone)]
pub struct Waiver {
    /// `file:line` of the waiver, used to cite it.
    pub at: Arc<str>,
    /// The directive it waives.
    pub directive: DirectiveId,
    /// Why.
    pub reason: String,
    /// Who approved it.
    pub approver: String,
    /// Last day it applies.
    pub expires: Date,
    /// The change or risk ticket that records the approval, when given.
    pub ticket: Option<String>,
    matcher: Matcher,
}

#[derive(Debug, Clone, Default)]
struct Matcher {
    entity: Option<String>,
    part_number: Option<String>,
    host: Option<String>,
    path: Option<String>,
    serial: Option<String>,
}

/// A waiver file that could not be used, with every problem at its line.
pub type WaiverError = Diagnostics;

/// What became of a waiver in one screening.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WaiverState {
    /// It waived at least one finding.
    Used,
    /// It waived nothing and its expiry date has passed.
    Expired,
    /// It waived nothing and is still valid.
    Unused,
}

impl WaiverState {
    /// The state's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Used => "used",
            Self::Expired => "expired",
            Self::Unused => "unused",
        }
    }
}

/// A waiver and what became of it.
#[derive(Debug, Clone)]
pub struct WaiverStatus {
    /// The waiver.
    pub waiver: Waiver,
    /// Findings it waived.
    pub used: usize,
    /// Findings it matched after it expired.
    pub expired_matches: usize,
    /// Used, expired or unused on the screening date.
    pub state: WaiverState,
}

impl WaiverStatus {
    /// The status of a waiver used `used` times, on `as_of`.
    pub fn new(waiver: Waiver, used: usize, expired_matches: usize, as_of: Date) -> Self {
        let state = if used > 0 {
            WaiverState::Used
        } else if as_of > waiver.expires {
            WaiverState::Expired
        } else {
            WaiverState::Unused
        };
        Self {
            waiver,
            used,
            expired_matches,
            state,
        }
    }
}

/// Parses and validates a waiver file against the KB (directives must exist).
pub fn parse(path: &str, text: &str, kb: &Kb) -> Result<Vec<Waiver>, WaiverError> {
    let file: Arc<str> = Arc::from(path);
    let lines = LineIndex::new(text);
    let line = |offset: usize| lines.line(offset);
    let raw = read_raw(path, text, &lines)?;
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for w in raw.waivers {
        let here: Arc<str> = Arc::from(format!("{path}:{}", line(w.span().start)));
        let w = w.into_inner();
        let err = |offset: usize, msg: String| Diagnostic::error(file.clone(), line(offset), msg);
        match validate(here, &w, kb, &err) {
            Ok(v) => out.push(v),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Diagnostics(errors))
    }
}

/// The file as written, or its syntax error at its line.
fn read_raw(path: &str, text: &str, lines: &LineIndex) -> Result<RawFile, WaiverError> {
    toml::from_str(text).map_err(|e| syntax_error(path, text, lines, &e))
}

/// A TOML syntax error at its line.
fn syntax_error(path: &str, text: &str, lines: &LineIndex, e: &toml::de::Error) -> WaiverError {
    let offset = e.span().map_or(0, |s| s.start);
    Diagnostics(vec![Diagnostic::error(
        path,
        lines.line(offset),
        supplyscreen_kb::toml_message(text, e),
    )])
}

/// The byte offset at which each line of a text starts, computed once so
/// that finding the line of an offset costs a binary search.
struct LineIndex(Vec<usize>);

impl LineIndex {
    fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self(starts)
    }

    /// The 1-based line holding byte `offset`.
    fn line(&self, offset: usize) -> u64 {
        self.0.partition_point(|&start| start <= offset) as u64
    }
}

/// The line of each waiver entry's `[[waivers]]` header, in file order
/// (the entries need not be valid).
pub(crate) fn entry_lines(path: &str, text: &str) -> Result<Vec<u64>, WaiverError> {
    #[derive(Deserialize)]
    struct Entries {
        #[serde(default)]
        waivers: Vec<Spanned<toml::Table>>,
    }
    let lines = LineIndex::new(text);
    let raw: Entries = toml::from_str(text).map_err(|e| syntax_error(path, text, &lines, &e))?;
    Ok(raw
        .waivers
        .iter()
        .map(|w| lines.line(w.span().start))
        .collect())
}

fn validate(
    here: Arc<str>,
    w: &RawWaiver,
    kb: &Kb,
    err: &dyn Fn(usize, String) -> Diagnostic,
) -> Result<Waiver, Vec<Diagnostic>> {
    let mut errs = Vec::new();
    let directive = DirectiveId::new(w.directive.get_ref())
        .ok()
        .filter(|d| kb.directive(d).is_some());
    if directive.is_none() {
        let msg = format!("unknown directive {:?}", w.directive.get_ref());
        errs.push(err(w.directive.span().start, msg));
    }
    for (name, v) in [("reason", &w.reason), ("approver", &w.approver)] {
        if v.get_ref().trim().is_empty() {
            errs.push(err(v.span().start, format!("{name} must not be empty")));
        }
    }
    if let Some(t) = w.ticket.as_ref().filter(|t| t.get_ref().trim().is_empty()) {
        errs.push(err(
            t.span().start,
            "ticket must not be empty (omit it instead)".into(),
        ));
    }
    let expires = parse_iso_date(w.expires.get_ref());
    if let Err(e) = &expires {
        errs.push(err(w.expires.span().start, e.to_string()));
    }
    let m = w.matches.get_ref();
    if [&m.entity, &m.part_number, &m.host, &m.path, &m.serial]
        .iter()
        .all(|v| v.is_none())
    {
        let msg = "match must name at least one of entity, part_number, host, path, serial";
        errs.push(err(w.matches.span().start, msg.to_owned()));
    }
    match (directive, expires) {
        (Some(directive), Ok(expires)) if errs.is_empty() => Ok(Waiver {
            at: here,
            directive,
            reason: w.reason.get_ref().clone(),
            approver: w.approver.get_ref().clone(),
            expires,
            ticket: w.ticket.as_ref().map(|t| t.get_ref().clone()),
            matcher: Matcher {
                entity: m.entity.clone(),
                part_number: m.part_number.clone(),
                host: m.host.clone(),
                path: m.path.clone(),
                serial: m.serial.clone(),
            },
        }),
        _ => Err(errs),
    }
}

impl Waiver {
    /// The `match` keys and values, as written (`entity = "micron", host = "db-07"`).
    pub fn match_text(&self) -> String {
        let m = &self.matcher;
        [
            ("entity", &m.entity),
            ("part_number", &m.part_number),
            ("host", &m.host),
            ("path", &m.path),
            ("serial", &m.serial),
        ]
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} = {v:?}")))
        .collect::<Vec<_>>()
        .join(", ")
    }

    /// Whether the waiver's `match` covers this component and entity.
    pub fn matches(&self, c: &Component, entity: &str) -> bool {
        let m = &self.matcher;
        let part = c.with_role(FieldRole::PartNumber).map(|f| f.value.as_str());
        let serial = c
            .fields
            .iter()
            .filter(|f| f.name.to_ascii_lowercase().contains("serial"))
            .map(|f| f.value.as_str());
        check(&m.entity, std::iter::once(entity))
            && check(&m.part_number, part)
            && check(&m.host, c.host.as_deref().into_iter())
            && check(&m.path, std::iter::once(c.source.path.as_str()))
            && check(&m.serial, serial)
    }
}

fn check<'a>(want: &Option<String>, mut have: impl Iterator<Item = &'a str>) -> bool {
    match want {
        None => true,
        Some(pattern) => have.any(|v| glob(pattern, v)),
    }
}

/// Case-insensitive match with `*` standing for any run of characters.
fn glob(pattern: &str, value: &str) -> bool {
    let (p, v) = (pattern.to_lowercase(), value.to_lowercase());
    let parts: Vec<&str> = p.split('*').collect();
    if parts.len() == 1 {
        return p == v;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !v.starts_with(first) || !v[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &v[first.len()..v.len() - last.len()];
    for mid in &parts[1..parts.len() - 1] {
        match rest.find(mid) {
            Some(i) => rest = &rest[i + mid.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("MTA18ASF*", "mta18asf2g72pz-2g6e1"));
        assert!(glob("*-2G6E1", "MTA18ASF2G72PZ-2G6E1"));
        assert!(glob("db-*-prod", "db-17-prod"));
        assert!(!glob("db-*-prod", "db-17-test"));
        assert!(glob("micron", "Micron"));
        assert!(!glob("mic", "micron"));
    }

    #[test]
    fn invalid_waivers_are_reported_with_lines() {
        let kb = Kb::embedded().expect("valid");
        let text = "[[waivers]]\ndirective = \"no-such\"\nreason = \"\"\napprover = \"A\"\nexpires = \"2026-02-30\"\nmatch = {}\n";
        let err = parse("w.toml", text, &kb).expect_err("invalid").to_string();
        assert!(err.contains("w.toml:2: unknown directive"), "{err}");
        assert!(err.contains("w.toml:3: reason must not be empty"), "{err}");
        assert!(err.contains("w.toml:5: invalid date"), "{err}");
        assert!(err.contains("w.toml:6: match must name"), "{err}");
        let unknown = parse("w.toml", "[[waivers]]\ncolour = 1\n", &kb).expect_err("unknown key");
        assert!(
            unknown.0[0].to_string().starts_with("w.toml:2:"),
            "{unknown}"
        );
    }

    #[test]
    fn line_index_agrees_with_counting_newlines() {
        let text = "a\n\nbc\r\nd\n";
        let lines = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            let counted = text.as_bytes()[..offset.min(text.len())]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64
                + 1;
            assert_eq!(lines.line(offset), counted, "offset {offset}");
        }
    }

    #[test]
    fn twenty_thousand_waivers_parse_quickly_with_their_lines() {
        let kb = Kb::embedded().expect("valid");
        let n = 20_000;
        let mut text = String::from("# spares\n\n");
        for i in 0..n {
            text.push_str(&format!(
                "[[waivers]]\ndirective = \"cn-cac-2023-micron\"\nreason = \"Spare DIMM {i}\"\napprover = \"Li Wei, CISO\"\nexpires = \"2026-12-31\"\nmatch = {{ serial = \"S{i}\" }}\n\n"
            ));
        }
        let start = std::time::Instant::now();
        let waivers = parse("w.toml", &text, &kb).expect("valid waivers");
        let took = start.elapsed();
        assert_eq!(waivers.len(), n);
        // Each entry is 7 lines, after 2 lines of preamble.
        assert_eq!(&*waivers[0].at, "w.toml:3");
        assert_eq!(&*waivers[n - 1].at, format!("w.toml:{}", 3 + 7 * (n - 1)));
        assert_eq!(entry_lines("w.toml", &text).expect("valid")[1], 10);
        // Counting from the start for every waiver took a minute here.
        assert!(took < std::time::Duration::from_secs(10), "{took:?}");
    }
}
