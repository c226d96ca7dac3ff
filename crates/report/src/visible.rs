//! Input text made safe to show to people: every character that a terminal
//! would act on or that hides or reorders text is written as an escape
//! (`\x1b`, `\r`, `\t`, `\u{202e}`), whether or not the output is a terminal.
//! Machine formats (JSON, SARIF, CycloneDX) do not use this: they are data.

use std::borrow::Cow;
use std::fmt;

/// Characters of general category Cf (format) and the line and paragraph
/// separators (Zl, Zp), as inclusive ranges (Unicode 15.1).
const FORMAT: &[(char, char)] = &[
    ('\u{00AD}', '\u{00AD}'),
    ('\u{0600}', '\u{0605}'),
    ('\u{061C}', '\u{061C}'),
    ('\u{06DD}', '\u{06DD}'),
    ('\u{070F}', '\u{070F}'),
    ('\u{0890}', '\u{0891}'),
    ('\u{08E2}', '\u{08E2}'),
    ('\u{180E}', '\u{180E}'),
    ('\u{200B}', '\u{200F}'),
    ('\u{2028}', '\u{202E}'),
    ('\u{2060}', '\u{2064}'),
    ('\u{2066}', '\u{206F}'),
    ('\u{FEFF}', '\u{FEFF}'),
    ('\u{FFF9}', '\u{FFFB}'),
    ('\u{110BD}', '\u{110BD}'),
    ('\u{110CD}', '\u{110CD}'),
    ('\u{13430}', '\u{1343F}'),
    ('\u{1BCA0}', '\u{1BCA3}'),
    ('\u{1D173}', '\u{1D17A}'),
    ('\u{E0001}', '\u{E0001}'),
    ('\u{E0020}', '\u{E007F}'),
];

/// Whether `c` must not reach a person's screen as it is: C0 controls (tab
/// and line feed included), DEL, C1 controls, format characters (bidi
/// overrides and isolates, zero-width characters, BOM) and the Unicode line
/// and paragraph separators.
pub fn is_hidden(c: char) -> bool {
    c.is_control() || FORMAT.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}

/// `text` with every [`is_hidden`] character written as an escape: `\t`,
/// `\n`, `\r`, `\x1b` for other C0 controls and DEL, `\u{9b}`/`\u{202e}`
/// for the rest. Borrowed when nothing needed escaping.
pub fn visible(text: &str) -> Cow<'_, str> {
    escaped(text, |_| false)
}

/// Like [`visible`] but keeps line feeds: for multi-line text the tool
/// wrote itself around input-derived parts (error lists, KB records).
pub fn visible_lines(text: &str) -> Cow<'_, str> {
    escaped(text, |c| c == '\n')
}

/// A whole rendered text through [`visible_lines`], for renderers that
/// write no styles of their own; unchanged (not copied) when clean.
pub(crate) fn shown(text: String) -> String {
    if text.chars().any(|c| is_hidden(c) && c != '\n') {
        visible_lines(&text).into_owned()
    } else {
        text
    }
}

fn escaped(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    let needs = |c: char| is_hidden(c) && !keep(c);
    if !text.chars().any(needs) {
        return Cow::Borrowed(text);
    }
    let mut s = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs(c) {
            push_escape(&mut s, c);
        } else {
            s.push(c);
        }
    }
    Cow::Owned(s)
}

fn push_escape(s: &mut String, c: char) {
    use fmt::Write as _;
    let _ = match c {
        '\t' => write!(s, "\\t"),
        '\n' => write!(s, "\\n"),
        '\r' => write!(s, "\\r"),
        '\0'..='\u{1f}' | '\u{7f}' => write!(s, "\\x{:02x}", u32::from(c)),
        _ => write!(s, "\\u{{{:x}}}", u32::from(c)),
    };
}

/// Displays a value (a path, a location, a KB line) through [`visible`].
#[derive(Debug, Clone, Copy)]
pub struct Visible<T>(pub T);

impl<T: fmt::Display> fmt::Display for Visible<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0.to_string();
        f.pad(&visible(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_sequences_are_shown_not_obeyed() {
        assert_eq!(visible("\u{1b}[2JMicron"), "\\x1b[2JMicron");
        assert_eq!(
            visible("\u{1b}]52;c;Y3VybA==\u{7}"),
            "\\x1b]52;c;Y3VybA==\\x07"
        );
        assert_eq!(visible("Micron\rSamsung"), "Micron\\rSamsung");
        assert_eq!(visible("a\tb\u{7f}\u{9b}2J"), "a\\tb\\x7f\\u{9b}2J");
    }

    #[test]
    fn bidi_and_format_characters_are_shown() {
        assert_eq!(visible("\u{202e}norciM"), "\\u{202e}norciM");
        assert_eq!(visible("x\u{2066}y\u{2069}"), "x\\u{2066}y\\u{2069}");
        assert_eq!(
            visible("Mi\u{200b}cron\u{feff}\u{61c}\u{2028}"),
            "Mi\\u{200b}cron\\u{feff}\\u{61c}\\u{2028}"
        );
        assert_eq!(visible("\u{e0041}"), "\\u{e0041}");
    }

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        for t in [
            "Micron Technology",
            "长鑫存储 CXMT",
            "C:\\inv\\a.csv",
            "Ünïcødé",
        ] {
            assert!(matches!(visible(t), Cow::Borrowed(s) if s == t));
        }
    }

    #[test]
    fn lines_keep_line_feeds_only() {
        assert_eq!(visible_lines("a\nb\r\n\u{1b}c"), "a\nb\\r\n\\x1bc");
        assert_eq!(format!("[{:<6}]", Visible("a\u{1b}")), "[a\\x1b ]");
    }
}
