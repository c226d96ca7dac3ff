//! The report for people: grouped by verdict, most severe first, each
//! flagged component with its evidence, rule and citation.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anstyle::{AnsiColor, Effects, Style};
use supplyscreen_model::{Attribution, Component, Date, FieldRole, Finding, Verdict};
use supplyscreen_policy::Action;
use supplyscreen_screen::{Outcome, Screened, TOOL_VERSION};

use crate::prose;
use crate::visible::{Visible, visible};

fn style(v: Verdict) -> Style {
    let color = match v {
        Verdict::Violation => AnsiColor::Red,
        Verdict::Restricted => AnsiColor::Yellow,
        Verdict::Review => AnsiColor::Magenta,
        Verdict::Waived => AnsiColor::Blue,
        Verdict::Clear => AnsiColor::Green,
    };
    Style::new()
        .fg_color(Some(color.into()))
        .effects(Effects::BOLD)
}

const DIM: Style = Style::new().effects(Effects::DIMMED);
const BOLD: Style = Style::new().effects(Effects::BOLD);

/// Renders the outcome for a terminal. The text carries ANSI styles; write it
/// through `anstream` so they are dropped when output is not a terminal or
/// `NO_COLOR` is set.
pub fn render_table(o: &Outcome) -> String {
    render_table_with(o, false)
}

/// Renders the outcome for a terminal, listing clear components too when
/// `show_clear` is set.
pub fn render_table_with(o: &Outcome, show_clear: bool) -> String {
    // About 400 bytes per listed component; one allocation instead of many.
    let mut out = String::with_capacity(1024 + 400 * o.components.len());
    header(&mut out, o);
    let groups = by_verdict(o);
    for (v, members) in Verdict::ALL.iter().zip(groups.iter()) {
        if *v == Verdict::Clear && !show_clear {
            let s = style(Verdict::Clear);
            let _ = writeln!(
                out,
                "{s}CLEAR{s:#} {} component(s) (not listed here; --show-clear lists them)\n",
                members.len()
            );
        } else {
            group(&mut out, o, *v, members);
        }
    }
    inputs(&mut out, o);
    waivers(&mut out, o);
    summary(&mut out, o);
    out
}

/// Counts only: the header, findings per directive and verdict, the
/// inputs with problems, and the summary line.
pub fn render_summary(o: &Outcome) -> String {
    let mut out = String::new();
    header(&mut out, o);
    let mut per: BTreeMap<&str, BTreeMap<Verdict, usize>> = BTreeMap::new();
    for f in o.findings().filter(|f| f.verdict > Verdict::Clear) {
        *per.entry(f.directive.as_str())
            .or_default()
            .entry(f.verdict)
            .or_default() += 1;
    }
    for (d, counts) in &per {
        let parts: Vec<String> = counts
            .iter()
            .rev()
            .map(|(v, n)| format!("{n} {v}"))
            .collect();
        let _ = writeln!(out, "  {d}: {} finding(s)", parts.join(", "));
    }
    for i in o.inputs.iter().filter(|i| !i.diagnostics.is_empty()) {
        let _ = writeln!(
            out,
            "  {}: {} problem(s) reading it",
            visible(&i.path),
            i.diagnostics.len()
        );
    }
    summary(&mut out, o);
    out
}

/// The components in one pass, grouped in the order of [`Verdict::ALL`].
fn by_verdict(o: &Outcome) -> [Vec<&Screened>; 5] {
    let mut groups: [Vec<&Screened>; 5] = Default::default();
    for c in &o.components {
        let i = Verdict::ALL
            .iter()
            .position(|v| *v == c.verdict)
            .unwrap_or(Verdict::ALL.len() - 1);
        groups[i].push(c);
    }
    groups
}

/// The KB's origin after its version: nothing for the built-in KB alone.
fn kb_origin(o: &supplyscreen_screen::KbOrigin) -> String {
    let mut s = match &o.base {
        supplyscreen_screen::KbBase::Embedded => String::new(),
        supplyscreen_screen::KbBase::Bundle { source, signer } => {
            format!(" (bundle {source}, signed by {signer})")
        }
    };
    if let Some(dir) = &o.overlay {
        s.push_str(&format!(" + overlay {dir}"));
    }
    s
}

fn header(out: &mut String, o: &Outcome) {
    let hash = o.kb_hash.get(..19).unwrap_or(&o.kb_hash);
    let _ = writeln!(
        out,
        "{BOLD}supplyscreen {TOOL_VERSION}{BOLD:#} ({}) · KB {} {hash}…{} · profile {} · action {} · as of {}\n",
        o.algorithm(),
        o.kb_version,
        kb_origin(&o.kb_origin),
        o.profile,
        Action::name(o.action),
        o.as_of
    );
    for l in &o.kb_layers {
        let _ = writeln!(
            out,
            "{DIM}layer {}: {} organisation(s) from {}, imported {}, {}{DIM:#}",
            visible(&l.name),
            l.entities,
            visible(&l.source),
            Visible(&l.retrieved),
            visible(&l.hash)
        );
    }
}

fn group(out: &mut String, o: &Outcome, v: Verdict, members: &[&Screened]) {
    if members.is_empty() {
        return;
    }
    let s = style(v);
    let _ = writeln!(
        out,
        "{s}{}{s:#} {} component(s)",
        v.as_str().to_uppercase(),
        members.len()
    );
    for c in members {
        component(out, c);
        for f in c.findings.iter().filter(|f| f.verdict > Verdict::Clear) {
            finding(out, f, o.as_of);
        }
        out.push('\n');
    }
}

fn component(out: &mut String, s: &Screened) {
    let c = &s.component;
    let mut facts = vec![c.kind.to_string()];
    facts.extend(c.host.as_ref().map(|h| format!("host {}", visible(h))));
    facts.extend(c.quantity.map(|q| format!("qty {q}")));
    facts.extend(c.ordered.map(|d| format!("ordered {d}")));
    facts.extend(c.acquired.map(|d| format!("acquired {d}")));
    let locator = c
        .source
        .locator
        .as_ref()
        .map(|l| format!(" ({})", visible(l)))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "  {BOLD}{}{locator}{BOLD:#}  {}",
        Visible(&c.source),
        facts.join(" · ")
    );
    let _ = writeln!(out, "    {}", describe(c));
    let id = &s.identification;
    attribution(out, "    ", id.attribution.as_ref(), None, &id.notes);
}

/// Writes who a component is attributed to, every piece of evidence with its
/// KB line, conflicts and notes; `name` is the entity's full name, if wanted.
pub(crate) fn attribution(
    out: &mut String,
    indent: &str,
    a: Option<&Attribution>,
    name: Option<&str>,
    notes: &[String],
) {
    if let Some(a) = a {
        let brand = a
            .brand
            .as_ref()
            .map(|b| format!(", brand {}", Visible(b)))
            .unwrap_or_default();
        let name = name
            .map(|n| format!(" ({})", visible(n)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{indent}attributed to {BOLD}{}{BOLD:#}{name}{brand}, confidence {}",
            a.entity, a.confidence
        );
        for e in &a.evidence {
            let note = e
                .note
                .as_ref()
                .map(|n| format!(" ({})", visible(n)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{indent}  {DIM}{} {}={}: {}{note} [{}]{DIM:#}",
                e.kind,
                visible(&e.field),
                quoted(&e.value),
                Visible(&e.matched),
                Visible(&e.kb)
            );
        }
        for e in &a.conflicts {
            let _ = writeln!(
                out,
                "{indent}  {DIM}conflict: {} {}={} points to {} [{}]{DIM:#}",
                e.kind,
                visible(&e.field),
                quoted(&e.value),
                e.entity,
                Visible(&e.kb)
            );
        }
    }
    for n in notes {
        let _ = writeln!(out, "{indent}  {DIM}note: {}{DIM:#}", visible(n));
    }
}

/// Renders the attribution of a free-standing text (`supplyscreen identify`).
pub fn render_identified(
    text: &str,
    a: Option<&Attribution>,
    entity_name: Option<&str>,
    notes: &[String],
) -> String {
    let mut out = format!("{}\n", quoted(text));
    if a.is_none() {
        out.push_str(
            "  not attributed: no identifier, part-number pattern or name in the KB matches\n",
        );
    }
    attribution(&mut out, "  ", a, entity_name, notes);
    out
}

/// A text in double quotes, escaped as Rust's `{:?}` does and then made
/// [`visible`] (Debug leaves some format characters as they are).
pub(crate) fn quoted(text: &str) -> String {
    visible(&format!("{text:?}")).into_owned()
}

/// The identifying fields of a component on one line.
fn describe(c: &Component) -> String {
    let parts: Vec<String> = c
        .fields
        .iter()
        .filter(|f| !f.value.is_empty() && f.role != FieldRole::Other)
        .map(|f| format!("{}: {}", visible(&f.name), visible(&f.value)))
        .collect();
    if parts.is_empty() {
        "(no identifying fields)".to_owned()
    } else {
        parts.join(" · ")
    }
}

fn finding(out: &mut String, f: &Finding, as_of: Date) {
    let s = style(f.verdict);
    let _ = writeln!(
        out,
        "    {s}{}{s:#} {} · {}: {}",
        f.verdict,
        f.directive,
        f.measure,
        visible(&prose::reason(f, as_of))
    );
    for h in &f.via {
        let _ = writeln!(out, "      {DIM}via {}{DIM:#}", visible(&prose::hop(h)));
    }
    let _ = writeln!(
        out,
        "      {DIM}rule {} · source {}{DIM:#}",
        Visible(&f.kb),
        visible(&f.citation)
    );
}

fn inputs(out: &mut String, o: &Outcome) {
    let _ = writeln!(out, "{BOLD}Inputs{BOLD:#}");
    for i in &o.inputs {
        let skipped: Vec<String> = i.skipped.iter().map(|(r, n)| format!("{r}: {n}")).collect();
        let skipped = if skipped.is_empty() {
            String::new()
        } else {
            format!("; skipped {}", skipped.join(", "))
        };
        let _ = writeln!(
            out,
            "  {} ({}, {}): {} component(s){skipped}",
            visible(&i.path),
            i.format,
            i.encoding,
            i.components
        );
        for d in &i.diagnostics {
            let _ = writeln!(
                out,
                "    {}:{}: {:?}: {}",
                visible(&i.path),
                d.line,
                d.severity,
                visible(&d.message)
            );
        }
    }
    for f in &o.skipped_files {
        let _ = writeln!(
            out,
            "  {}: not screened: {}",
            visible(&f.path),
            f.reason.description()
        );
    }
    out.push('\n');
}

fn waivers(out: &mut String, o: &Outcome) {
    if o.waivers.is_empty() {
        return;
    }
    let _ = writeln!(out, "{BOLD}Waivers{BOLD:#}");
    for w in &o.waivers {
        let status = w.state.as_str();
        let expired = if w.expired_matches > 0 {
            format!(", matched {} finding(s) after expiry", w.expired_matches)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  {} {status} ({} finding(s){expired}) · {} · expires {} · approved by {}",
            Visible(&w.waiver.at),
            w.used,
            w.waiver.directive,
            w.waiver.expires,
            visible(&w.waiver.approver)
        );
    }
    out.push('\n');
}

fn summary(out: &mut String, o: &Outcome) {
    let parts: Vec<String> = o
        .counts()
        .into_iter()
        .map(|(v, n)| {
            let s = style(v);
            format!("{s}{n} {v}{s:#}")
        })
        .collect();
    let _ = writeln!(
        out,
        "{BOLD}Summary{BOLD:#} {} component(s): {}",
        o.components.len(),
        parts.join(", ")
    );
}
