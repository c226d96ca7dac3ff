//! HTML building blocks: escaping, the page frame, tables and inline SVG
//! bar charts. Every string that came from a request, an upload or the store
//! goes through [`esc`]; nothing is fetched from elsewhere (no CDN).

use std::fmt::Write;

/// The style sheet, embedded in every page.
/// The stylesheet, served at `/ui/style.css` (the page policy allows no inline style).
pub const STYLE: &str = include_str!("style.css");

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// Encodes a query-string value.
pub fn url(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b));
            }
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// A whole page: title, navigation (when signed in) and body.
pub fn page(title: &str, signed_in: Option<&str>, body: &str) -> String {
    let nav = match signed_in {
        Some(who) => format!(
            "<nav><a href=\"/\">Fleet</a><a href=\"/ui/findings\">Findings</a>\
             <a href=\"/ui/scans\">Scans</a><a href=\"/ui/waivers\">Waivers</a>\
             <span class=\"who\">{}</span>\
             <form method=\"post\" action=\"/logout\"><button>Sign out</button></form></nav>",
            esc(who)
        ),
        None => String::new(),
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · supplyscreen</title><link rel=\"stylesheet\" href=\"/ui/style.css\"></head>\
         <body><header><h1>supplyscreen</h1>{nav}</header><main>{body}</main></body></html>\n",
        esc(title)
    )
}

/// A table; cells are HTML already (escape them when building them).
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = String::from("<table><thead><tr>");
    for h in headers {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let _ = write!(out, "<td>{cell}</td>");
        }
        out.push_str("</tr>");
    }
    if rows.is_empty() {
        let _ = write!(
            out,
            "<tr><td colspan=\"{}\" class=\"none\">none</td></tr>",
            headers.len()
        );
    }
    out.push_str("</tbody></table>");
    out
}

/// A verdict as a coloured label.
pub fn verdict(v: &str) -> String {
    format!("<span class=\"v v-{0}\">{0}</span>", esc(v))
}

/// A horizontal bar chart (inline SVG) of counts, each bar linking to `link(label)`.
pub fn bar_chart(title: &str, data: &[(String, u64)], link: &dyn Fn(&str) -> String) -> String {
    const ROW: usize = 22;
    const LABEL: usize = 180;
    const WIDTH: usize = 520;
    let max = data.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let height = ROW * data.len().max(1) + 8;
    let mut svg = format!(
        "<figure class=\"chart\"><figcaption>{}</figcaption>\
         <svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" \
         role=\"img\" aria-label=\"{}\">",
        esc(title),
        esc(title)
    );
    if data.is_empty() {
        svg.push_str("<text x=\"4\" y=\"16\">no findings</text>");
    }
    for (i, (label, n)) in data.iter().enumerate() {
        let y = i * ROW + 4;
        let w = usize::try_from(*n * (WIDTH - LABEL - 50) as u64 / max)
            .unwrap_or(0)
            .max(1);
        let shown: String = label.chars().take(26).collect();
        let _ = write!(
            svg,
            "<a href=\"{href}\"><text x=\"0\" y=\"{ty}\" class=\"lbl\">{text}</text>\
             <rect x=\"{LABEL}\" y=\"{y}\" width=\"{w}\" height=\"{bh}\" class=\"bar bar-{cls}\"/>\
             <text x=\"{nx}\" y=\"{ty}\">{n}</text></a>",
            href = esc(&link(label)),
            ty = y + 14,
            text = esc(&shown),
            bh = ROW - 6,
            cls = esc(&label
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()),
            nx = LABEL + w + 6,
        );
    }
    svg.push_str("</svg></figure>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_and_controls() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\"\u{1b}"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;\\u{1b}"
        );
    }

    #[test]
    fn encodes_query_values() {
        assert_eq!(url("db-01 & <x>"), "db-01%20%26%20%3Cx%3E");
    }

    #[test]
    fn charts_escape_labels_and_scale_bars() {
        let svg = bar_chart(
            "By host",
            &[("<b>".to_owned(), 4), ("db-01".to_owned(), 2)],
            &|l| format!("/ui/findings?host={}", url(l)),
        );
        assert!(svg.contains("&lt;b&gt;"));
        assert!(!svg.contains("<b>"));
        assert!(svg.contains("href=\"/ui/findings?host=%3Cb%3E\""));
        assert!(svg.contains("width=\"290\""));
        assert!(svg.contains("width=\"145\""));
    }
}
