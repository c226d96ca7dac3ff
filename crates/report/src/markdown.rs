//! Markdown for tickets and pull requests: the header, counts, and one
//! table row per finding that is not clear. Input text is escaped so that
//! it cannot add markup, links or HTML.

use std::fmt::Write as _;

use supplyscreen_model::Verdict;
use supplyscreen_policy::Action;
use supplyscreen_screen::{Outcome, TOOL_VERSION};

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
    let _ = writeln!(out, "| verdict | components |\n| --- | ---: |");
    for (v, n) in o.counts() {
        let _ = writeln!(out, "| {v} | {n} |");
    }
    let _ = writeln!(out, "| **all** | **{}** |\n", o.components.len());
    let listed: Vec<_> = o
        .components
        .iter()
        .flat_map(|s| facts::listed(s).map(move |f| (s, f)))
        .collect();
    if listed.is_empty() {
        let _ = writeln!(out, "No findings.");
        return out;
    }
    let _ = writeln!(
        out,
        "### Findings\n\n| verdict | where | component | attributed to | directive · measure | why |\n| --- | --- | --- | --- | --- | --- |"
    );
    let mut sorted = listed;
    sorted.sort_by_key(|(_, f)| std::cmp::Reverse(f.verdict));
    for (s, f) in sorted {
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
        let _ = writeln!(
            out,
            "| {verdict} | {}:{} | {} | {}{confidence} | {} · {} | {}{source} |",
            escape(&c.source.path),
            c.source.line,
            what.join(" · "),
            f.entity,
            f.directive,
            f.measure,
            escape(&prose::reason(f, o.as_of)),
        );
    }
    out
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
