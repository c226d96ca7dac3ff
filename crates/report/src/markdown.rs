//! Markdown for tickets and pull requests: the header, counts, and one
//! table row per finding that is not clear. Input text is escaped so that
//! it cannot add markup, links or HTML.

use std::fmt::Write as _;
use std::io::{self, Write};

use supplyscreen_ingest::Summary;
use supplyscreen_model::{Date, Finding, Verdict};
use supplyscreen_policy::Action;
use supplyscreen_screen::{
    End, Header, Outcome, Screened, SkippedFile, TOOL_VERSION, verdict_index,
};

use crate::spool::{Spool, record, records};
use crate::stream::{Destination, FormatOut};
use crate::{facts, prose};

/// Text as it reads, in one table cell: Markdown and HTML punctuation
/// backslash-escaped, `&` as an entity, line breaks as spaces, other
/// controls and format characters made [`visible`](crate::visible).
pub fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '~' => {
                s.push('\\');
                s.push(c);
            }
            '&' => s.push_str("&amp;"),
            '\r' | '\n' | '\t' => s.push(' '),
            c if crate::is_hidden(c) => s.push_str(&crate::visible(c.encode_utf8(&mut [0; 4]))),
            _ => s.push(c),
        }
    }
    s
}

/// Renders the outcome as Markdown.
pub fn render_markdown(o: &Outcome) -> String {
    crate::stream::replay(crate::OutputFormat::Markdown, Default::default(), o).unwrap_or_default()
}

/// One row per listed finding, filed under the finding's verdict.
pub(crate) fn encode(s: &Screened, as_of: Date, out: &mut Vec<u8>) {
    for f in facts::listed(s) {
        record(
            out,
            verdict_index(f.verdict) as u8,
            row(s, f, as_of).as_bytes(),
        );
    }
}

fn row(s: &Screened, f: &Finding, as_of: Date) -> String {
    let c = &s.component;
    let mut what = vec![escape(&facts::product(c))];
    what.extend(facts::maker(c).map(escape));
    what.extend(c.host.as_deref().map(|h| format!("host {}", escape(h))));
    what.extend(c.quantity.map(|q| format!("qty {q}")));
    let confidence = s
        .identification
        .attribution
        .as_ref()
        .map(|a| format!(" ({})", a.confidence))
        .unwrap_or_default();
    let source = if f.citation.starts_with("https://") {
        format!(
            " [source](<{}>)",
            crate::visible(&f.citation.replace(['<', '>', ' '], ""))
        )
    } else {
        format!(" source: {}", escape(&f.citation))
    };
    let verdict = if f.verdict == Verdict::Violation {
        format!("**{}**", f.verdict)
    } else {
        f.verdict.to_string()
    };
    format!(
        "| {verdict} | {}:{} | {} | {}{confidence} | {} · {} | {}{source} |\n",
        escape(&c.source.path),
        c.source.line,
        what.join(" · "),
        f.entity,
        f.directive,
        f.measure,
        escape(&prose::reason(f, as_of)),
    )
}

/// Writes the header at once; the counts and the rows, most severe first,
/// at the end.
pub(crate) struct MarkdownOut<'a> {
    to: Destination<'a>,
    rows: [Spool; 5],
}

impl<'a> MarkdownOut<'a> {
    pub(crate) fn new(to: Destination<'a>) -> Self {
        Self {
            to,
            rows: Default::default(),
        }
    }
}

impl FormatOut for MarkdownOut<'_> {
    fn begin(&mut self, o: &Header) -> io::Result<()> {
        let mut out = String::new();
        let _ = writeln!(out, "## supplyscreen report\n");
        let _ = writeln!(
            out,
            "supplyscreen {TOOL_VERSION} ({}) · KB {} {} · profile {} · action {} · as of {}\n",
            o.algorithm(),
            escape(&o.kb_version),
            escape(&o.kb_hash),
            escape(o.profile.as_str()),
            Action::name(o.action),
            o.as_of
        );
        self.to.write_all(out.as_bytes())
    }

    fn component(&mut self, _: Verdict, chunk: &[u8]) -> io::Result<()> {
        for (v, row) in records(chunk) {
            self.rows[usize::from(v).min(4)].put(row)?;
        }
        Ok(())
    }

    fn input(&mut self, _: &Summary) -> io::Result<()> {
        Ok(())
    }

    fn skipped(&mut self, _: &SkippedFile) -> io::Result<()> {
        Ok(())
    }

    fn end(&mut self, end: &End) -> io::Result<()> {
        let mut out = String::new();
        let _ = writeln!(out, "| verdict | components |\n| --- | ---: |");
        for (v, n) in end.totals.counts() {
            let _ = writeln!(out, "| {v} | {n} |");
        }
        let _ = writeln!(out, "| **all** | **{}** |\n", end.totals.components());
        let rows = std::mem::take(&mut self.rows);
        if rows.iter().all(Spool::is_empty) {
            let _ = writeln!(out, "No findings.");
            self.to.write_all(out.as_bytes())?;
            return self.to.flush();
        }
        let _ = writeln!(
            out,
            "### Findings\n\n| verdict | where | component | attributed to | directive · measure | why |\n| --- | --- | --- | --- | --- | --- |"
        );
        self.to.write_all(out.as_bytes())?;
        for spool in rows {
            spool.copy_to(&mut self.to)?;
        }
        self.to.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn input_text_cannot_add_markup() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "\\<script\\>alert(1)\\</script\\>"
        );
        assert_eq!(escape("[x](http://e)"), "\\[x\\](http://e)");
        assert_eq!(escape("A&B\nC"), "A&amp;B C");
        assert_eq!(
            escape("\u{1b}]52;c;eA==\u{7}\u{202e}"),
            "\\x1b\\]52;c;eA==\\x07\\u{202e}"
        );
    }
}
