//! A component's JSON Lines line written directly: byte for byte what
//! serde_json writes for the component's [`ComponentOut`](crate::json), but
//! with the framing, the source and the fields (most of a line) written by
//! hand and strings escaped over runs of plain bytes. The attribution and
//! the small typed values still go through serde. A property test holds the
//! two writers together.

use serde::Serialize;
use supplyscreen_model::Component;
use supplyscreen_screen::Screened;

/// Appends the `component` line of `s` (without its newline).
pub(crate) fn write_component_line(s: &Screened, out: &mut Vec<u8>) {
    let c = &s.component;
    out.extend_from_slice(b"{\"type\":\"component\",\"id\":");
    value(out, &s.id);
    out.extend_from_slice(b",\"verdict\":");
    value(out, &s.verdict);
    entries(c, out);
    out.extend_from_slice(b",\"attribution\":");
    value(out, &s.identification.attribution);
    if !s.identification.notes.is_empty() {
        out.extend_from_slice(b",\"notes\":");
        value(out, &s.identification.notes);
    }
    out.push(b'}');
}

/// The entries of [`Component::serialize_entries`], in its order.
fn entries(c: &Component, out: &mut Vec<u8>) {
    out.extend_from_slice(b",\"kind\":");
    value(out, &c.kind);
    out.extend_from_slice(b",\"role\":");
    value(out, &c.role);
    out.extend_from_slice(b",\"source\":{\"path\":");
    string(out, &c.source.path);
    out.extend_from_slice(b",\"line\":");
    value(out, &c.source.line);
    if let Some(l) = &c.source.locator {
        out.extend_from_slice(b",\"locator\":");
        string(out, l);
    }
    out.extend_from_slice(b"},\"fields\":[");
    for (i, f) in c.fields.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"name\":");
        string(out, &f.name);
        out.extend_from_slice(b",\"value\":");
        string(out, &f.value);
        out.push(b'}');
    }
    out.push(b']');
    optional_string(out, b",\"host\":", c.host.as_deref());
    if let Some(d) = &c.acquired {
        out.extend_from_slice(b",\"acquired\":");
        value(out, d);
    }
    if let Some(d) = &c.ordered {
        out.extend_from_slice(b",\"ordered\":");
        value(out, d);
    }
    if let Some(q) = &c.quantity {
        out.extend_from_slice(b",\"quantity\":");
        value(out, q);
    }
    optional_string(out, b",\"category\":", c.category.as_deref());
    optional_string(out, b",\"use\":", c.usage.as_deref());
    optional_string(out, b",\"ambiguous_date\":", c.ambiguous_date.as_deref());
}

fn optional_string(out: &mut Vec<u8>, key: &[u8], text: Option<&str>) {
    if let Some(t) = text {
        out.extend_from_slice(key);
        string(out, t);
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
