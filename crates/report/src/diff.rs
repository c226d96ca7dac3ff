//! `supplyscreen diff`: new, resolved and changed findings between two
//! reports, as text or as JSON (`supplyscreen/diff/v1`).

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::Value;
use supplyscreen_screen::{ChangedFinding, ReportContext, ReportDiff, ReportFinding};

/// The schema name and version of the JSON diff.
pub const DIFF_SCHEMA: &str = "supplyscreen/diff/v1";

/// Renders a diff for people: counts, then each section.
pub fn render_diff_table(d: &ReportDiff) -> String {
    crate::visible::shown(render_diff_table_raw(d))
}

fn render_diff_table_raw(d: &ReportDiff) -> String {
    let mut s = format!(
        "diff {} -> {}: {} new, {} resolved, {} changed\n",
        d.old,
        d.new,
        d.added.len(),
        d.resolved.len(),
        d.changed.len()
    );
    s.push_str(&context_lines(d));
    section(&mut s, "NEW", &d.added);
    section(&mut s, "RESOLVED", &d.resolved);
    if !d.changed.is_empty() {
        let _ = writeln!(s, "\nCHANGED {} finding(s)", d.changed.len());
        for c in &d.changed {
            let _ = writeln!(
                s,
                "  {} -> {}  {}  ({} changed)",
                c.old.verdict,
                c.new.verdict,
                head(&c.new),
                c.what.join(", ")
            );
            let _ = writeln!(s, "    was: {}", reason(&c.old.json));
            let _ = writeln!(s, "    now: {}", reason(&c.new.json));
        }
    }
    s
}

/// What each report was screened with, and a note when they differ.
fn context_lines(d: &ReportDiff) -> String {
    let one = |c: &ReportContext| {
        format!(
            "profile {} · as of {} · KB {}",
            c.profile, c.as_of, c.kb_version
        )
    };
    let (o, n) = (&d.old_context, &d.new_context);
    let mut s = format!("  old: {}\n  new: {}\n", one(o), one(n));
    let mut differ = Vec::new();
    if o.profile != n.profile {
        differ.push("profile");
    }
    if o.kb_hash != n.kb_hash {
        differ.push("knowledge base");
    }
    if !differ.is_empty() {
        let _ = writeln!(
            s,
            "note: the reports differ in {}: a change may come from that, not from the inputs",
            differ.join(" and ")
        );
    }
    s
}

fn section(s: &mut String, title: &str, findings: &[ReportFinding]) {
    if findings.is_empty() {
        return;
    }
    let _ = writeln!(s, "\n{title} {} finding(s)", findings.len());
    for f in findings {
        let _ = writeln!(s, "  {}  {}", f.verdict, head(f));
        let _ = writeln!(s, "    {}", reason(&f.json));
    }
}

/// `examples/po.csv:9 (host db-07) · cn-cac-2023-micron purchase · 162d78c3069e5923`
fn head(f: &ReportFinding) -> String {
    let host = f
        .host
        .as_ref()
        .map(|h| format!(" (host {h})"))
        .unwrap_or_default();
    let measure = f.json.get("measure").and_then(Value::as_str).unwrap_or("");
    format!(
        "{}{host} · {} {measure} · {}",
        f.location, f.directive, f.id
    )
}

fn reason(f: &Value) -> &str {
    f.get("reason")
        .and_then(Value::as_str)
        .unwrap_or("(no reason given)")
}

#[derive(Serialize)]
struct DiffOut<'a> {
    schema: &'static str,
    old_report: &'a str,
    new_report: &'a str,
    contexts: Contexts<'a>,
    new: Vec<&'a Value>,
    resolved: Vec<&'a Value>,
    changed: Vec<ChangedOut<'a>>,
}

#[derive(Serialize)]
struct Contexts<'a> {
    old: ContextOut<'a>,
    new: ContextOut<'a>,
}

#[derive(Serialize)]
struct ContextOut<'a> {
    profile: &'a str,
    as_of: &'a str,
    kb_version: &'a str,
    kb_hash: &'a str,
}

fn context_out(c: &ReportContext) -> ContextOut<'_> {
    ContextOut {
        profile: &c.profile,
        as_of: &c.as_of,
        kb_version: &c.kb_version,
        kb_hash: &c.kb_hash,
    }
}

#[derive(Serialize)]
struct ChangedOut<'a> {
    old: &'a Value,
    new: &'a Value,
    changed_members: &'a [&'static str],
}

/// Renders a diff as pretty JSON (`supplyscreen/diff/v1`) with a trailing newline.
pub fn render_diff_json(d: &ReportDiff) -> serde_json::Result<String> {
    let out = DiffOut {
        schema: DIFF_SCHEMA,
        old_report: &d.old,
        new_report: &d.new,
        contexts: Contexts {
            old: context_out(&d.old_context),
            new: context_out(&d.new_context),
        },
        new: d.added.iter().map(|f| &f.json).collect(),
        resolved: d.resolved.iter().map(|f| &f.json).collect(),
        changed: d.changed.iter().map(changed).collect(),
    };
    let mut s = serde_json::to_string_pretty(&out)?;
    s.push('\n');
    Ok(s)
}

fn changed(c: &ChangedFinding) -> ChangedOut<'_> {
    ChangedOut {
        old: &c.old.json,
        new: &c.new.json,
        changed_members: &c.what,
    }
}
