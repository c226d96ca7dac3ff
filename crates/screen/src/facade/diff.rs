//! Comparing two JSON reports (`supplyscreen/report/v2`) by stable finding
//! ids: which findings are new, which were resolved, which changed.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use supplyscreen_model::{FindingId, Verdict};

/// The report schema `diff` reads.
pub const REPORT_SCHEMA: &str = "supplyscreen/report/v2";

/// One finding of a report, as read back from its JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportFinding {
    /// Its stable id.
    pub id: FindingId,
    /// Its verdict.
    pub verdict: Verdict,
    /// The directive.
    pub directive: String,
    /// The input file and line of its component (`examples/po.csv:9`).
    pub location: String,
    /// The host of its component, when the input says.
    pub host: Option<String>,
    /// The finding as the report wrote it (every member, `reason` included).
    pub json: Value,
}

/// A finding present in both reports whose judgement differs.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangedFinding {
    /// The finding in the old report.
    pub old: ReportFinding,
    /// The finding in the new report.
    pub new: ReportFinding,
    /// What differs, among `verdict`, `code`, `doubts` and `waiver`.
    pub what: Vec<&'static str>,
}

impl ChangedFinding {
    /// True when the verdict became more severe.
    pub fn is_worse(&self) -> bool {
        self.new.verdict > self.old.verdict
    }
}

/// What a report was screened with, as its JSON says (empty when absent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportContext {
    /// The profile.
    pub profile: String,
    /// The screening date.
    pub as_of: String,
    /// The KB version.
    pub kb_version: String,
    /// The KB content hash.
    pub kb_hash: String,
}

impl ReportContext {
    fn of(doc: &Value) -> Self {
        let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_owned();
        Self {
            profile: text(doc.get("profile")),
            as_of: text(doc.get("as_of")),
            kb_version: text(doc.pointer("/kb/version")),
            kb_hash: text(doc.pointer("/kb/hash")),
        }
    }
}

/// One report read back: what it was screened with, and its findings.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportFindings {
    /// Profile, date and KB.
    pub context: ReportContext,
    /// Every finding, in report order.
    pub findings: Vec<ReportFinding>,
}

/// What changed between two reports.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportDiff {
    /// The old report's file name as given.
    pub old: String,
    /// The new report's file name as given.
    pub new: String,
    /// What the old report was screened with.
    pub old_context: ReportContext,
    /// What the new report was screened with.
    pub new_context: ReportContext,
    /// Findings only in the new report, in its order.
    pub added: Vec<ReportFinding>,
    /// Findings only in the old report, in its order.
    pub resolved: Vec<ReportFinding>,
    /// Findings in both whose verdict, code, doubts or waiver differ, in the new report's order.
    pub changed: Vec<ChangedFinding>,
}

/// Why a file could not be read as a report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiffError {
    /// The file is not JSON.
    #[error("{file}:{line}:{column}: not a JSON report: {message}")]
    Json {
        /// The file.
        file: String,
        /// 1-based line of the syntax error.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The parser's message.
        message: String,
    },
    /// The file is JSON but not a report of the schema `diff` reads.
    #[error(
        "{file}: not a {REPORT_SCHEMA} report: {found} (write one with `supplyscreen scan --format json`)"
    )]
    Schema {
        /// The file.
        file: String,
        /// What the file has instead (`schema "supplyscreen/report/v1"`, `no "schema" member`).
        found: String,
    },
    /// A member of the report is missing or malformed.
    #[error("{file}: {at}: {message}")]
    Member {
        /// The file.
        file: String,
        /// Where in the report (`findings[3].id`).
        at: String,
        /// What is wrong.
        message: String,
    },
}

/// Reads a report's context and every finding; `file` names it in errors.
pub fn read_report_findings(file: &str, text: &str) -> Result<ReportFindings, DiffError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| DiffError::Json {
        file: file.to_owned(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    check_schema(file, &doc)?;
    let member = |at: String, message: &str| DiffError::Member {
        file: file.to_owned(),
        at,
        message: message.to_owned(),
    };
    let components = component_places(&doc);
    let findings = doc
        .get("findings")
        .and_then(Value::as_array)
        .ok_or_else(|| member("findings".into(), "missing or not an array"))?;
    let findings = findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            read_finding(f, &components)
                .map_err(|(m, msg)| member(format!("findings[{i}].{m}"), msg))
        })
        .collect::<Result<_, _>>()?;
    Ok(ReportFindings {
        context: ReportContext::of(&doc),
        findings,
    })
}

fn check_schema(file: &str, doc: &Value) -> Result<(), DiffError> {
    let found = match doc.get("schema") {
        Some(Value::String(s)) if s == REPORT_SCHEMA => return Ok(()),
        Some(Value::String(s)) => format!("its schema is {s:?}"),
        Some(_) => "its \"schema\" member is not a string".to_owned(),
        None if doc.is_object() => "it has no \"schema\" member".to_owned(),
        None => "it is not a JSON object".to_owned(),
    };
    Err(DiffError::Schema {
        file: file.to_owned(),
        found,
    })
}

/// Component id -> (file:line, host).
fn component_places(doc: &Value) -> BTreeMap<String, (String, Option<String>)> {
    let list = doc.get("components").and_then(Value::as_array);
    list.into_iter()
        .flatten()
        .filter_map(|c| {
            let id = c.get("id")?.as_str()?.to_owned();
            let src = c.get("source")?;
            let path = src.get("path")?.as_str()?;
            let line = src.get("line")?.as_u64()?;
            let host = c.get("host").and_then(Value::as_str).map(str::to_owned);
            Some((id, (format!("{path}:{line}"), host)))
        })
        .collect()
}

type MemberError = (&'static str, &'static str);

fn read_finding(
    f: &Value,
    components: &BTreeMap<String, (String, Option<String>)>,
) -> Result<ReportFinding, MemberError> {
    let id = f
        .get("id")
        .and_then(Value::as_str)
        .and_then(FindingId::parse)
        .ok_or(("id", "missing or not a finding id (16 hex digits)"))?;
    let verdict = f
        .get("verdict")
        .cloned()
        .and_then(|v| serde_json::from_value::<Verdict>(v).ok())
        .ok_or(("verdict", "missing or not a verdict"))?;
    let directive = f
        .get("directive")
        .and_then(Value::as_str)
        .ok_or(("directive", "missing or not a string"))?
        .to_owned();
    let component = f
        .get("component")
        .and_then(Value::as_str)
        .ok_or(("component", "missing or not a string"))?;
    let (location, host) = components
        .get(component)
        .cloned()
        .unwrap_or_else(|| (format!("component {component}"), None));
    Ok(ReportFinding {
        id,
        verdict,
        directive,
        location,
        host,
        json: f.clone(),
    })
}

/// The members whose change makes a finding "changed".
const JUDGED: [&str; 4] = ["verdict", "code", "doubts", "waiver"];

/// Compares two reports given as (file name, text).
pub fn diff_reports(old: (&str, &str), new: (&str, &str)) -> Result<ReportDiff, DiffError> {
    let ReportFindings {
        context: old_context,
        findings: before,
    } = read_report_findings(old.0, old.1)?;
    let ReportFindings {
        context: new_context,
        findings: after,
    } = read_report_findings(new.0, new.1)?;
    let old_ids: BTreeMap<FindingId, &ReportFinding> = before.iter().map(|f| (f.id, f)).collect();
    let new_ids: BTreeSet<FindingId> = after.iter().map(|f| f.id).collect();
    let mut diff = ReportDiff {
        old: old.0.to_owned(),
        new: new.0.to_owned(),
        old_context,
        new_context,
        added: Vec::new(),
        resolved: before
            .iter()
            .filter(|f| !new_ids.contains(&f.id))
            .cloned()
            .collect(),
        changed: Vec::new(),
    };
    for f in &after {
        let Some(prev) = old_ids.get(&f.id) else {
            diff.added.push(f.clone());
            continue;
        };
        let what: Vec<&'static str> = JUDGED
            .into_iter()
            .filter(|m| prev.json.get(m) != f.json.get(m))
            .collect();
        if !what.is_empty() {
            diff.changed.push(ChangedFinding {
                old: (*prev).clone(),
                new: f.clone(),
                what,
            });
        }
    }
    Ok(diff)
}
