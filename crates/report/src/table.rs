//! The report for people: grouped by verdict, most severe first, each
//! flagged component with its evidence, rule and citation.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use anstyle::{AnsiColor, Effects, Style};
use supplyscreen_ingest::Summary;
use supplyscreen_model::{Attribution, Component, Date, FieldRole, Finding, Verdict};
use supplyscreen_policy::{Action, WaiverStatus};
use supplyscreen_screen::{
    End, Header, Outcome, Screened, SkippedFile, TOOL_VERSION, Totals, verdict_index,
};

use crate::format::{OutputFormat, RenderOptions};
use crate::prose;
use crate::spool::{Spool, record, records};
use crate::stream::{Destination, FormatOut};
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
    let opts = RenderOptions {
        show_clear,
        ..RenderOptions::default()
    };
    crate::stream::replay(OutputFormat::Table, opts, o).unwrap_or_default()
}

/// Counts only: the header, findings per directive and verdict, the
/// inputs with problems, and the summary line.
pub fn render_summary(o: &Outcome) -> String {
    let opts = RenderOptions {
        summary_only: true,
        ..RenderOptions::default()
    };
    crate::stream::replay(OutputFormat::Table, opts, o).unwrap_or_default()
}

/// One component's block, when it is listed.
pub(crate) fn encode(s: &Screened, opts: RenderOptions, as_of: Date, out: &mut Vec<u8>) {
    if s.verdict == Verdict::Clear && !opts.show_clear {
        return;
    }
    let mut text = String::with_capacity(512);
    component(&mut text, s);
    for f in s.findings.iter().filter(|f| f.verdict > Verdict::Clear) {
        finding(&mut text, f, as_of);
    }
    text.push('\n');
    out.extend_from_slice(text.as_bytes());
}

/// Writes the header at once; the components grouped by verdict, the
/// inputs and the files not screened are kept in spools for the end.
pub(crate) struct TableOut<'a> {
    to: Destination<'a>,
    show_clear: bool,
    groups: [Spool; 5],
    inputs: Spool,
    skipped: Spool,
}

impl<'a> TableOut<'a> {
    pub(crate) fn new(to: Destination<'a>, opts: RenderOptions) -> Self {
        Self {
            to,
            show_clear: opts.show_clear,
            groups: Default::default(),
            inputs: Spool::default(),
            skipped: Spool::default(),
        }
    }
}

impl FormatOut for TableOut<'_> {
    fn begin(&mut self, h: &Header) -> io::Result<()> {
        let mut out = String::new();
        header(&mut out, h);
        self.to.write_all(out.as_bytes())
    }

    fn component(&mut self, v: Verdict, chunk: &[u8]) -> io::Result<()> {
        self.groups[verdict_index(v)].put(chunk)
    }

    fn input(&mut self, i: &Summary) -> io::Result<()> {
        let mut out = String::new();
        input(&mut out, i);
        self.inputs.put(out.as_bytes())
    }

    fn skipped(&mut self, f: &SkippedFile) -> io::Result<()> {
        let line = format!(
            "  {}: not screened: {}\n",
            visible(&f.path),
            f.reason.description()
        );
        self.skipped.put(line.as_bytes())
    }

    fn end(&mut self, end: &End) -> io::Result<()> {
        let groups = std::mem::take(&mut self.groups);
        for ((v, n), members) in end.totals.counts().into_iter().zip(groups) {
            if v == Verdict::Clear && !self.show_clear {
                let s = style(Verdict::Clear);
                writeln!(
                    self.to,
                    "{s}CLEAR{s:#} {n} component(s) (not listed here; --show-clear lists them)\n"
                )?;
            } else if n > 0 {
                let s = style(v);
                writeln!(
                    self.to,
                    "{s}{}{s:#} {n} component(s)",
                    v.as_str().to_uppercase()
                )?;
                members.copy_to(&mut self.to)?;
            }
        }
        writeln!(self.to, "{BOLD}Inputs{BOLD:#}")?;
        std::mem::take(&mut self.inputs).copy_to(&mut self.to)?;
        std::mem::take(&mut self.skipped).copy_to(&mut self.to)?;
        let mut out = String::from("\n");
        waivers(&mut out, &end.waivers);
        summary(&mut out, &end.totals);
        self.to.write_all(out.as_bytes())?;
        self.to.flush()
    }
}

/// The findings that are not clear, by directive and verdict.
pub(crate) fn encode_summary(s: &Screened, out: &mut Vec<u8>) {
    for f in s.findings.iter().filter(|f| f.verdict > Verdict::Clear) {
        record(
            out,
            verdict_index(f.verdict) as u8,
            f.directive.as_str().as_bytes(),
        );
    }
}

/// Counts only: per directive and verdict, the inputs with problems.
pub(crate) struct SummaryOut<'a> {
    to: Destination<'a>,
    per: BTreeMap<String, BTreeMap<Verdict, usize>>,
    problems: Spool,
}

impl<'a> SummaryOut<'a> {
    pub(crate) fn new(to: Destination<'a>) -> Self {
        Self {
            to,
            per: BTreeMap::new(),
            problems: Spool::default(),
        }
    }
}

impl FormatOut for SummaryOut<'_> {
    fn begin(&mut self, h: &Header) -> io::Result<()> {
        let mut out = String::new();
        header(&mut out, h);
        self.to.write_all(out.as_bytes())
    }

    fn component(&mut self, _: Verdict, chunk: &[u8]) -> io::Result<()> {
        for (v, directive) in records(chunk) {
            let v = Verdict::ALL[usize::from(v).min(4)];
            let d = String::from_utf8_lossy(directive);
            let counts = match self.per.get_mut(d.as_ref()) {
                Some(c) => c,
                None => self.per.entry(d.into_owned()).or_default(),
            };
            *counts.entry(v).or_default() += 1;
        }
        Ok(())
    }

    fn input(&mut self, i: &Summary) -> io::Result<()> {
        if i.diagnostics.is_empty() {
            return Ok(());
        }
        let line = format!(
            "  {}: {} problem(s) reading it\n",
            visible(&i.path),
            i.diagnostics.len()
        );
        self.problems.put(line.as_bytes())
    }

    fn skipped(&mut self, _: &SkippedFile) -> io::Result<()> {
        Ok(())
    }

    fn end(&mut self, end: &End) -> io::Result<()> {
        let mut out = String::new();
        for (d, counts) in &self.per {
            let parts: Vec<String> = counts
                .iter()
                .rev()
                .map(|(v, n)| format!("{n} {v}"))
                .collect();
            let _ = writeln!(out, "  {d}: {} finding(s)", parts.join(", "));
        }
        self.to.write_all(out.as_bytes())?;
        std::mem::take(&mut self.problems).copy_to(&mut self.to)?;
        let mut out = String::new();
        summary(&mut out, &end.totals);
        self.to.write_all(out.as_bytes())?;
        self.to.flush()
    }
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

fn header(out: &mut String, o: &Header) {
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

/// One input's line, and its diagnostics.
fn input(out: &mut String, i: &Summary) {
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

fn waivers(out: &mut String, waivers: &[WaiverStatus]) {
    if waivers.is_empty() {
        return;
    }
    let _ = writeln!(out, "{BOLD}Waivers{BOLD:#}");
    for w in waivers {
        let status = w.state.as_str();
        let expired = if w.expired_matches > 0 {
            format!(", matched {} finding(s) after expiry", w.expired_matches)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  {} {status} ({} finding(s){expired}) · {} · expires {} · approved by {}{}",
            Visible(&w.waiver.at),
            w.used,
            w.waiver.directive,
            w.waiver.expires,
            visible(&w.waiver.approver),
            visible(&crate::prose::ticket_suffix(w.waiver.ticket.as_deref()))
        );
    }
    out.push('\n');
}

fn summary(out: &mut String, t: &Totals) {
    let parts: Vec<String> = t
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
        t.components(),
        parts.join(", ")
    );
}
