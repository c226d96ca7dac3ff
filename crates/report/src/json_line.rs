//! A component written directly as JSON, as a JSON Lines line or as an
//! element of the JSON report: byte for byte what serde_json writes for the
//! component's [`ComponentOut`](crate::json), but with the framing, the
//! source and the fields (most of it) written by hand and strings escaped
//! over runs of plain bytes. The attribution, the notes and the small typed
//! values still go through serde. A property test holds the two together.

use serde::Serialize;
use supplyscreen_model::Component;
use supplyscreen_screen::Screened;

/// How a component is laid out: one line, or indented as an element of
/// the JSON report's `components` array.
#[derive(Clone, Copy)]
pub(crate) enum Layout {
    /// JSON Lines: one line, `"type": "component"` first.
    Line,
    /// Pretty, every line after the first starting with `base`.
    Nested(&'static str),
}

/// Appends the `component` line of `s` (without its newline).
pub(crate) fn write_component_line(s: &Screened, out: &mut Vec<u8>) {
    write_component(s, Layout::Line, out);
}

/// Appends component `s` laid out as `layout` says.
pub(crate) fn write_component(s: &Screened, layout: Layout, out: &mut Vec<u8>) {
    let base = match layout {
        Layout::Line => None,
        Layout::Nested(base) => Some(base),
    };
    let mut w = Writer {
        out,
        base,
        level: 0,
        empty: true,
    };
    w.open(b'{');
    if matches!(layout, Layout::Line) {
        w.key("type");
        string(w.out, "component");
    }
    w.key("id");
    value(w.out, &s.id);
    w.key("verdict");
    value(w.out, &s.verdict);
    entries(&s.component, &mut w);
    w.key("attribution");
    w.nested(&s.identification.attribution);
    if !s.identification.notes.is_empty() {
        w.key("notes");
        w.nested(&s.identification.notes);
    }
    w.close(b'}');
}

/// Writes JSON punctuation compactly or indented as serde's pretty printer
/// does (two spaces a level, after a base indent).
struct Writer<'o> {
    out: &'o mut Vec<u8>,
    base: Option<&'static str>,
    level: usize,
    /// Nothing written yet in the innermost open container.
    empty: bool,
}

impl Writer<'_> {
    fn newline(&mut self) {
        if let Some(base) = self.base {
            self.out.push(b'\n');
            self.out.extend_from_slice(base.as_bytes());
            for _ in 0..self.level {
                self.out.extend_from_slice(b"  ");
            }
        }
    }

    fn open(&mut self, bracket: u8) {
        self.out.push(bracket);
        self.level += 1;
        self.empty = true;
    }

    fn close(&mut self, bracket: u8) {
        self.level -= 1;
        if !self.empty {
            self.newline();
        }
        self.out.push(bracket);
        self.empty = false;
    }

    /// Starts an element of an array.
    fn item(&mut self) {
        if !self.empty {
            self.out.push(b',');
        }
        self.newline();
        self.empty = false;
    }

    /// Starts an entry of an object: its key and colon.
    fn key(&mut self, key: &str) {
        self.item();
        string(self.out, key);
        self.out
            .extend_from_slice(if self.base.is_some() { b": " } else { b":" });
    }

    /// A value that may hold objects or arrays, as serde lays it out here.
    fn nested<T: Serialize + ?Sized>(&mut self, v: &T) {
        match self.base {
            None => value(self.out, v),
            Some(base) => {
                let indent = format!("{base}{}", "  ".repeat(self.level));
                let _ = crate::spool::pretty_into(v, &indent, self.out);
            }
        }
    }
}

/// The entries of [`Component::serialize_entries`], in its order.
fn entries(c: &Component, w: &mut Writer<'_>) {
    w.key("kind");
    value(w.out, &c.kind);
    w.key("role");
    value(w.out, &c.role);
    w.key("source");
    w.open(b'{');
    w.key("path");
    string(w.out, &c.source.path);
    w.key("line");
    value(w.out, &c.source.line);
    if let Some(l) = &c.source.locator {
        w.key("locator");
        string(w.out, l);
    }
    w.close(b'}');
    w.key("fields");
    w.open(b'[');
    for f in &c.fields {
        w.item();
        w.open(b'{');
        w.key("name");
        string(w.out, &f.name);
        w.key("value");
        string(w.out, &f.value);
        w.close(b'}');
    }
    w.close(b']');
    optional_string(w, "host", c.host.as_deref());
    if let Some(d) = &c.acquired {
        w.key("acquired");
        value(w.out, d);
    }
    if let Some(d) = &c.ordered {
        w.key("ordered");
        value(w.out, d);
    }
    if let Some(q) = &c.quantity {
        w.key("quantity");
        value(w.out, q);
    }
    optional_string(w, "category", c.category.as_deref());
    optional_string(w, "use", c.usage.as_deref());
    optional_string(w, "ambiguous_date", c.ambiguous_date.as_deref());
}

fn optional_string(w: &mut Writer<'_>, key: &str, text: Option<&str>) {
    if let Some(t) = text {
        w.key(key);
        string(w.out, t);
    }
}

/// A small value as serde_json writes it (plain data: it cannot fail).
fn value<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) {
    let _ = serde_json::to_writer(&mut *out, v);
}

/// True for the bytes serde_json escapes in a string.
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Appends `text` as a JSON string, escaped as serde_json escapes it: `"`
/// and `\` with a backslash, the C0 controls as `\b \t \n \f \r` or
/// `\u00xx` (lower-case hex), everything else (DEL and non-ASCII too) as is.
fn string(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    while let Some(at) = next_escape(bytes, start) {
        out.extend_from_slice(&bytes[start..at]);
        escape(out, bytes[at]);
        start = at + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// The next byte at or after `from` that must be escaped; plain runs are
/// checked 16 bytes at a time (a test the compiler vectorises).
fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    let mut chunks = rest.chunks_exact(16);
    let mut offset = from;
    for chunk in chunks.by_ref() {
        if chunk.iter().fold(false, |any, &b| any | needs_escape(b)) {
            return chunk
                .iter()
                .position(|&b| needs_escape(b))
                .map(|i| offset + i);
        }
        offset += 16;
    }
    let tail = chunks.remainder();
    tail.iter()
        .position(|&b| needs_escape(b))
        .map(|i| offset + i)
}

fn escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        0x08 => out.extend_from_slice(b"\\b"),
        b'\t' => out.extend_from_slice(b"\\t"),
        b'\n' => out.extend_from_slice(b"\\n"),
        0x0c => out.extend_from_slice(b"\\f"),
        b'\r' => out.extend_from_slice(b"\\r"),
        _ => out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[usize::from(b >> 4)],
            HEX[usize::from(b & 0xf)],
        ]),
    }
}

#[cfg(test)]
#[path = "json_line_tests.rs"]
mod tests;
