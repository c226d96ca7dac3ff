//! One self-contained HTML page for auditors: the summary, bar charts of
//! verdicts by directive, entity, host and supplier (plain CSS), the
//! findings table with filters (a small inline script), and each finding's
//! evidence, relation chain, rule and citation. Nothing is loaded from the
//! network: the page's Content-Security-Policy forbids it, and allows only
//! its own script by hash. Every text that comes from an input, the KB or a
//! waiver is HTML-escaped.
//!
//! The page streams like the other formats: each finding's table row is
//! rendered on the worker that judged it and kept in a spool per verdict
//! (memory, then a temporary file); what the page needs before the rows (the
//! counts, the charts, the directive filter) is kept as aggregates.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;

use sha2::{Digest, Sha256};
use supplyscreen_model::{Date, Finding, Verdict};
use supplyscreen_policy::{Action, WaiverStatus};
use supplyscreen_screen::{Header, Outcome, Screened, TOOL_VERSION, Totals, verdict_index};

use crate::spool::{Spool, put_bytes, record, records, take_bytes};
use crate::{facts, prose};

/// Text safe in HTML content and in quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&#39;"),
            _ => s.push(c),
        }
    }
    s
}

const STYLE: &str = r#"
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header,main{max-width:1320px;margin:0 auto;padding:0 24px}
header{padding-top:20px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px}h3{font-size:14px;margin:0 0 8px}
.meta{color:#596173;margin:0}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin-top:16px}
.card{background:#fff;border:1px solid #dde1e8;border-left:6px solid var(--c);border-radius:6px;padding:10px 16px;min-width:120px}
.card b{display:block;font-size:24px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:16px}
.chart{background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:12px 14px}
.bar{display:grid;grid-template-columns:minmax(120px,40%) 1fr 48px;gap:8px;align-items:center;margin:4px 0;font-size:13px}
.bar .label{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.bar .track{display:flex;height:14px;background:#eef0f4;border-radius:3px;overflow:hidden}
.bar .n{text-align:right;color:#596173}
.empty{color:#596173;font-style:italic}
.v-violation{--c:#c62828}.v-restricted{--c:#e65100}.v-review{--c:#7b1fa2}.v-waived{--c:#1565c0}.v-clear{--c:#2e7d32}
.seg{background:var(--c)}
.legend{display:flex;gap:14px;font-size:12px;color:#596173;margin:6px 0 0}
.legend span::before{content:"";display:inline-block;width:10px;height:10px;margin-right:4px;background:var(--c);border-radius:2px}
.filters{display:flex;gap:16px;flex-wrap:wrap;align-items:center;background:#fff;border:1px solid #dde1e8;border-radius:6px;padding:10px 14px}
.filters input[type=search]{min-width:260px;padding:4px 6px}
table{border-collapse:collapse;width:100%;background:#fff;margin-top:10px}
th,td{border:1px solid #dde1e8;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#eef0f4;position:sticky;top:0}
td.verdict{font-weight:600;color:var(--c);white-space:nowrap}
td.where{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;min-width:190px;overflow-wrap:anywhere}
td.directive{white-space:nowrap}
details{margin-top:4px}summary{cursor:pointer;color:#3451b2}
details ul{margin:4px 0;padding-left:18px;font-size:12.5px}
.kb{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;color:#596173}
footer{max-width:1320px;margin:24px auto;padding:0 24px;color:#596173;font-size:12px}
"#;

const SCRIPT: &str = r#"(function(){
var rows=Array.prototype.slice.call(document.querySelectorAll('#findings tbody tr'));
var q=document.getElementById('q'),dir=document.getElementById('directive');
var boxes=Array.prototype.slice.call(document.querySelectorAll('input[name=verdict]'));
var shown=document.getElementById('shown');
function apply(){
 var text=q.value.toLowerCase(),d=dir.value,on={},n=0;
 boxes.forEach(function(b){on[b.value]=b.checked;});
 rows.forEach(function(r){
  var ok=on[r.dataset.verdict]&&(!d||r.dataset.directive===d)&&(!text||r.textContent.toLowerCase().indexOf(text)>=0);
  r.hidden=!ok;if(ok){n++;}
 });
 shown.textContent=n+' of '+rows.length+' finding(s) shown';
}
q.addEventListener('input',apply);dir.addEventListener('change',apply);
boxes.forEach(function(b){b.addEventListener('change',apply);});
apply();
})();"#;

fn base64(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                s.push(char::from(A[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// The page's Content-Security-Policy: nothing from the network, inline
/// styles, and only the page's own script (by its SHA-256).
fn csp() -> String {
    let hash = base64(&Sha256::digest(SCRIPT.as_bytes()));
    format!(
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{hash}'; img-src data:; base-uri 'none'; form-action 'none'"
    )
}

/// Renders the outcome as one HTML page.
pub fn render_html(o: &Outcome) -> Result<String, crate::RenderError> {
    crate::stream::replay(crate::OutputFormat::Html, Default::default(), o)
}

fn head(out: &mut String, h: &Header) {
    let title = format!(
        "supplyscreen report · profile {} · as of {}",
        h.profile, h.as_of
    );
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>supplyscreen report</h1>\n<p class=\"meta\">profile <b>{}</b> · action {} · as of <b>{}</b> · KB {} <span class=\"kb\">{}</span> · supplyscreen {TOOL_VERSION} ({})</p>\n</header>\n<main>\n",
        escape(&csp()),
        escape(&title),
        escape(h.profile.as_str()),
        Action::name(h.action),
        h.as_of,
        escape(&h.kb_version),
        escape(&h.kb_hash),
        h.algorithm()
    );
}

fn cards(out: &mut String, t: &Totals) {
    out.push_str("<section class=\"cards\" id=\"summary\">\n");
    let _ = writeln!(
        out,
        "<div class=\"card\" style=\"--c:#596173\"><b>{}</b>component(s) screened</div>",
        t.components()
    );
    for (v, n) in t.counts() {
        let _ = writeln!(out, "<div class=\"card v-{v}\"><b>{n}</b>{v}</div>");
    }
    out.push_str("</section>\n");
}

/// Listed findings per verdict under one chart label.
type Tally = BTreeMap<String, BTreeMap<Verdict, usize>>;

/// The charts' ids and titles, in page order.
const CHARTS: [(&str, &str); 4] = [
    ("directive", "by directive"),
    ("entity", "by entity judged"),
    ("host", "by host"),
    ("supplier", "by supplier"),
];

/// A listed finding's label in each chart (none without a host or supplier).
fn chart_keys(s: &Screened, f: &Finding) -> [Option<String>; 4] {
    let c = &s.component;
    [
        Some(f.directive.to_string()),
        Some(f.entity.to_string()),
        c.host.clone(),
        facts::supplier(c).map(str::to_owned),
    ]
}

fn charts(out: &mut String, tallies: &[Tally; 4]) {
    out.push_str(
        "<h2>Findings by directive, entity, host and supplier</h2>\n<section class=\"charts\">\n",
    );
    for ((id, title), tally) in CHARTS.iter().zip(tallies) {
        chart(out, id, title, tally);
    }
    out.push_str("</section>\n<div class=\"legend\">");
    for v in &Verdict::ALL[..4] {
        let _ = write!(out, "<span class=\"v-{v}\">{v}</span>");
    }
    out.push_str("</div>\n");
}

fn chart(out: &mut String, id: &str, title: &str, tally: &Tally) {
    let _ = writeln!(
        out,
        "<div class=\"chart\" id=\"chart-{id}\"><h3>Findings {title}</h3>"
    );
    let mut rows: Vec<(&String, usize, &BTreeMap<Verdict, usize>)> = tally
        .iter()
        .map(|(k, m)| (k, m.values().sum(), m))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let max = rows.first().map_or(1, |r| r.1.max(1));
    if rows.is_empty() {
        let _ = writeln!(out, "<p class=\"empty\">none in the inputs</p>");
    }
    for (label, total, counts) in rows.iter().take(12) {
        let _ = write!(
            out,
            "<div class=\"bar\"><span class=\"label\" title=\"{0}\">{0}</span><span class=\"track\">",
            escape(label)
        );
        for (v, n) in counts.iter().rev() {
            let pct = *n as f64 * 100.0 / max as f64;
            let _ = write!(
                out,
                "<span class=\"seg v-{v}\" style=\"width:{pct:.2}%\" title=\"{n} {v}\"></span>"
            );
        }
        let _ = writeln!(out, "</span><span class=\"n\">{total}</span></div>");
    }
    if rows.len() > 12 {
        let _ = writeln!(out, "<p class=\"empty\">and {} more</p>", rows.len() - 12);
    }
    out.push_str("</div>\n");
}

/// The filters and the findings table's head, before its rows.
fn findings_head<'a>(
    out: &mut String,
    directives: impl Iterator<Item = &'a String>,
    listed: usize,
) {
    out.push_str("<h2>Findings</h2>\n<form class=\"filters\" onsubmit=\"return false\">\n");
    for v in &Verdict::ALL[..4] {
        let _ = writeln!(
            out,
            "<label><input type=\"checkbox\" name=\"verdict\" value=\"{v}\" checked> {v}</label>"
        );
    }
    out.push_str("<select id=\"directive\"><option value=\"\">every directive</option>");
    for d in directives {
        let _ = write!(out, "<option value=\"{0}\">{0}</option>", escape(d));
    }
    let _ = writeln!(
        out,
        "</select>\n<input type=\"search\" id=\"q\" placeholder=\"filter: file, part number, host, entity…\">\n<span id=\"shown\">{listed} of {listed} finding(s)</span>\n</form>"
    );
    out.push_str("<table id=\"findings\">\n<thead><tr><th>verdict</th><th>where</th><th>component</th><th>attributed to</th><th>directive · measure</th><th>why, evidence and citation</th></tr></thead>\n<tbody>\n");
}

fn row(out: &mut String, as_of: Date, s: &Screened, f: &Finding) {
    let c = &s.component;
    let locator = c
        .source
        .locator
        .as_ref()
        .map(|l| format!(" ({})", escape(l)))
        .unwrap_or_default();
    let mut what = vec![format!("<b>{}</b>", escape(&facts::product(c)))];
    what.extend(facts::maker(c).map(|m| format!("maker {}", escape(m))));
    what.extend(facts::description(c).map(escape));
    what.extend(c.host.as_deref().map(|h| format!("host {}", escape(h))));
    what.extend(facts::supplier(c).map(|m| format!("supplier {}", escape(m))));
    what.extend(c.quantity.map(|q| format!("qty {q}")));
    what.extend(facts::value_at_risk(s).map(|v| format!("value at risk {v}")));
    let who = match &s.identification.attribution {
        Some(a) => format!("{} ({})", escape(a.entity.as_str()), a.confidence),
        None => "—".into(),
    };
    let judged = if Some(&f.entity) == s.identification.attribution.as_ref().map(|a| &a.entity) {
        String::new()
    } else {
        format!("<br>judged as {}", escape(f.entity.as_str()))
    };
    let _ = write!(
        out,
        "<tr data-verdict=\"{v}\" data-directive=\"{}\" id=\"f-{}\"><td class=\"verdict v-{v}\">{v}</td><td class=\"where\">{}:{}{locator}</td><td>{}</td><td>{who}{judged}</td><td class=\"directive\">{}<br>{}</td><td>{}",
        escape(f.directive.as_str()),
        f.id,
        escape(&c.source.path),
        c.source.line,
        what.join("<br>"),
        escape(f.directive.as_str()),
        f.measure,
        escape(&prose::reason(f, as_of)),
        v = f.verdict,
    );
    evidence(out, s, f);
    out.push_str("</td></tr>\n");
}

fn evidence(out: &mut String, s: &Screened, f: &Finding) {
    out.push_str("<details><summary>evidence and citation</summary><ul>");
    if let Some(a) = &s.identification.attribution {
        for e in &a.evidence {
            let _ = write!(
                out,
                "<li>{} {}=“{}”: {} <span class=\"kb\">[{}]</span></li>",
                e.kind,
                escape(&e.field),
                escape(&e.value),
                escape(&e.matched),
                escape(&e.kb.to_string())
            );
        }
        for e in &a.conflicts {
            let _ = write!(
                out,
                "<li>conflict: {} {}=“{}” points to {} <span class=\"kb\">[{}]</span></li>",
                e.kind,
                escape(&e.field),
                escape(&e.value),
                escape(e.entity.as_str()),
                escape(&e.kb.to_string())
            );
        }
    }
    for n in &s.identification.notes {
        let _ = write!(out, "<li>note: {}</li>", escape(n));
    }
    for h in &f.via {
        let _ = write!(out, "<li>via {}</li>", escape(&prose::hop(h)));
    }
    let _ = write!(
        out,
        "<li>rule <span class=\"kb\">{}</span></li><li>source {}</li></ul></details>",
        escape(&f.kb.to_string()),
        citation(&f.citation)
    );
}

/// A citation: a link when it is a web address, else text.
fn citation(c: &str) -> String {
    if c.starts_with("https://") || c.starts_with("http://") {
        format!("<a href=\"{0}\" rel=\"noreferrer\">{0}</a>", escape(c))
    } else {
        escape(c)
    }
}

/// The head of the inputs table.
const INPUTS_HEAD: &str = "<h2>Inputs</h2>\n<table id=\"inputs\"><thead><tr><th>file</th><th>format</th><th>encoding</th><th>components</th><th>skipped</th><th>problems</th></tr></thead><tbody>\n";

fn input_row(i: &supplyscreen_ingest::Summary) -> String {
    let skipped: Vec<String> = i
        .skipped
        .iter()
        .map(|(r, n)| format!("{}: {n}", escape(&r.to_string())))
        .collect();
    let problems: Vec<String> = i
        .diagnostics
        .iter()
        .map(|d| format!("line {}: {}", d.line, escape(&d.message)))
        .collect();
    format!(
        "<tr><td class=\"where\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
        escape(&i.path),
        escape(&i.format.to_string()),
        escape(&i.encoding),
        i.components,
        skipped.join("<br>"),
        problems.join("<br>")
    )
}

fn skipped_row(f: &supplyscreen_screen::SkippedFile) -> String {
    format!(
        "<tr><td class=\"where\">{}</td><td colspan=\"5\">not screened: {}</td></tr>\n",
        escape(&f.path),
        f.reason.description()
    )
}

fn waivers(out: &mut String, waivers: &[WaiverStatus]) {
    if waivers.is_empty() {
        return;
    }
    out.push_str("<h2>Waivers</h2>\n<ul>\n");
    for w in waivers {
        let _ = writeln!(
            out,
            "<li><span class=\"kb\">{}</span> {} · {} finding(s) · {} · approved by {}{} · expires {}</li>",
            escape(&w.waiver.at),
            w.state.as_str(),
            w.used,
            escape(w.waiver.directive.as_str()),
            escape(&w.waiver.approver),
            escape(&prose::ticket_suffix(w.waiver.ticket.as_deref())),
            w.waiver.expires
        );
    }
    out.push_str("</ul>\n");
}

/// The record section of a component's chart labels (rows use 0..4, their
/// verdict's index).
const KEYS: u8 = 9;

/// Each listed finding's table row (in the section of its verdict) and its
/// chart labels.
pub(crate) fn encode(s: &Screened, as_of: Date, out: &mut Vec<u8>) {
    let mut html = String::new();
    let mut keys = Vec::new();
    for f in facts::listed(s) {
        let verdict = verdict_index(f.verdict) as u8;
        html.clear();
        row(&mut html, as_of, s, f);
        record(out, verdict, html.as_bytes());
        keys.clear();
        keys.push(verdict);
        for key in chart_keys(s, f) {
            keys.push(u8::from(key.is_some()));
            put_bytes(&mut keys, key.unwrap_or_default().as_bytes());
        }
        record(out, KEYS, &keys);
    }
}

/// Writes the page at the end from what it kept: the rows per verdict in
/// spools, the charts' tallies, and the inputs' rows.
pub(crate) struct HtmlOut<'a> {
    to: crate::stream::Destination<'a>,
    header: Option<Header>,
    rows: [Spool; 4],
    listed: usize,
    tallies: [Tally; 4],
    inputs: Spool,
    skipped: Spool,
}

impl<'a> HtmlOut<'a> {
    pub(crate) fn new(to: crate::stream::Destination<'a>) -> Self {
        Self {
            to,
            header: None,
            rows: Default::default(),
            listed: 0,
            tallies: Default::default(),
            inputs: Spool::default(),
            skipped: Spool::default(),
        }
    }

    /// Counts one finding's chart labels.
    fn tally(&mut self, mut keys: &[u8]) {
        let Some((&v, rest)) = keys.split_first() else {
            return;
        };
        let Some(&verdict) = Verdict::ALL.get(usize::from(v)) else {
            return;
        };
        keys = rest;
        for tally in &mut self.tallies {
            let Some((&present, rest)) = keys.split_first() else {
                return;
            };
            keys = rest;
            let Some(key) = take_bytes(&mut keys) else {
                return;
            };
            if present == 1 {
                let key = String::from_utf8_lossy(key).into_owned();
                *tally.entry(key).or_default().entry(verdict).or_default() += 1;
            }
        }
    }
}

impl crate::stream::FormatOut for HtmlOut<'_> {
    fn begin(&mut self, h: &Header) -> std::io::Result<()> {
        self.header = Some(h.clone());
        Ok(())
    }

    fn component(&mut self, _: Verdict, chunk: &[u8]) -> std::io::Result<()> {
        for (section, bytes) in records(chunk) {
            match self.rows.get_mut(usize::from(section)) {
                Some(spool) => {
                    spool.put(bytes)?;
                    self.listed += 1;
                }
                None if section == KEYS => self.tally(bytes),
                None => {}
            }
        }
        Ok(())
    }

    fn input(&mut self, s: &supplyscreen_ingest::Summary) -> std::io::Result<()> {
        self.inputs.put(input_row(s).as_bytes())
    }

    fn skipped(&mut self, f: &supplyscreen_screen::SkippedFile) -> std::io::Result<()> {
        self.skipped.put(skipped_row(f).as_bytes())
    }

    fn end(&mut self, end: &supplyscreen_screen::End) -> std::io::Result<()> {
        let h = self
            .header
            .take()
            .ok_or_else(|| std::io::Error::other("page ended before it began"))?;
        let mut page = String::with_capacity(16_384);
        head(&mut page, &h);
        cards(&mut page, &end.totals);
        charts(&mut page, &self.tallies);
        findings_head(&mut page, self.tallies[0].keys(), self.listed);
        self.to.write_all(page.as_bytes())?;
        for spool in std::mem::take(&mut self.rows) {
            spool.copy_to(&mut self.to)?;
        }
        self.to.write_all(b"</tbody>\n</table>\n")?;
        self.to.write_all(INPUTS_HEAD.as_bytes())?;
        std::mem::take(&mut self.inputs).copy_to(&mut self.to)?;
        std::mem::take(&mut self.skipped).copy_to(&mut self.to)?;
        page.clear();
        page.push_str("</tbody></table>\n");
        waivers(&mut page, &end.waivers);
        let _ = write!(
            page,
            "</main>\n<footer>supplyscreen {TOOL_VERSION} · {} · KB {} {}</footer>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
            h.algorithm(),
            escape(&h.kb_version),
            escape(&h.kb_hash)
        );
        self.to.write_all(page.as_bytes())?;
        self.to.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_and_the_script_hash() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(base64(b"any carnal pleas"), "YW55IGNhcm5hbCBwbGVhcw==");
        assert_eq!(base64(b"any carnal pleasu"), "YW55IGNhcm5hbCBwbGVhc3U=");
        assert_eq!(base64(b"any carnal pleasur"), "YW55IGNhcm5hbCBwbGVhc3Vy");
        assert_eq!(citation("javascript:alert(1)"), "javascript:alert(1)");
        assert!(csp().starts_with("default-src 'none';"));
    }
}
