//! What a streaming report keeps until the end: bytes in memory up to a
//! limit, then in an anonymous temporary file; and the framing of the
//! records one component is encoded into.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use serde::Serialize;

/// Bytes kept in memory before a spool moves to a temporary file.
const IN_MEMORY: usize = 4 << 20;

/// Append-only bytes, in memory while small, on disk beyond.
#[derive(Default)]
pub(crate) struct Spool {
    memory: Vec<u8>,
    file: Option<BufWriter<File>>,
    len: u64,
}

impl Spool {
    /// True when nothing was written.
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends bytes.
    pub(crate) fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.len += bytes.len() as u64;
        if let Some(f) = &mut self.file {
            return f.write_all(bytes);
        }
        self.memory.extend_from_slice(bytes);
        if self.memory.len() > IN_MEMORY {
            let mut f = BufWriter::with_capacity(1 << 16, tempfile::tempfile()?);
            f.write_all(&self.memory)?;
            self.memory = Vec::new();
            self.file = Some(f);
        }
        Ok(())
    }

    /// Appends one element of a JSON array whose elements sit at `indent`
    /// spaces: the opening bracket before the first, a comma before others.
    pub(crate) fn element(&mut self, indent: &str, bytes: &[u8]) -> io::Result<()> {
        let sep = if self.is_empty() { "[\n" } else { ",\n" };
        self.put(sep.as_bytes())?;
        self.put(indent.as_bytes())?;
        self.put(bytes)
    }

    /// Writes a JSON array of the elements given to [`Spool::element`],
    /// closed at `indent` less two spaces (`[]` when empty).
    pub(crate) fn close_array(self, indent: &str, out: &mut dyn Write) -> io::Result<()> {
        if self.is_empty() {
            return out.write_all(b"[]");
        }
        self.copy_to(out)?;
        out.write_all(b"\n")?;
        out.write_all(&indent.as_bytes()[2..])?;
        out.write_all(b"]")
    }

    /// What was written, to read back once.
    pub(crate) fn reader(self) -> io::Result<Box<dyn Read>> {
        match self.file {
            None => Ok(Box::new(io::Cursor::new(self.memory))),
            Some(f) => {
                let mut f = f.into_inner().map_err(|e| e.into_error())?;
                f.seek(SeekFrom::Start(0))?;
                Ok(Box::new(BufReader::with_capacity(1 << 16, f)))
            }
        }
    }

    /// Copies everything written to `out`.
    pub(crate) fn copy_to(self, out: &mut dyn Write) -> io::Result<()> {
        let mut r = self.reader()?;
        io::copy(&mut r, out)?;
        Ok(())
    }
}

/// Appends one record: a section number and its bytes.
pub(crate) fn record(out: &mut Vec<u8>, section: u8, bytes: &[u8]) {
    out.push(section);
    put_bytes(out, bytes);
}

/// Appends bytes with their length before them.
pub(crate) fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// Takes bytes written by [`put_bytes`] off the front of `input`.
pub(crate) fn take_bytes<'a>(input: &mut &'a [u8]) -> Option<&'a [u8]> {
    let (len, rest) = input.split_first_chunk::<4>()?;
    let len = u32::from_le_bytes(*len) as usize;
    let (bytes, rest) = (rest.get(..len)?, rest.get(len..)?);
    *input = rest;
    Some(bytes)
}

/// The records of one chunk written by [`record`], in order.
pub(crate) fn records(mut chunk: &[u8]) -> impl Iterator<Item = (u8, &[u8])> {
    std::iter::from_fn(move || {
        let (section, rest) = chunk.split_first()?;
        chunk = rest;
        take_bytes(&mut chunk).map(|b| (*section, b))
    })
}

/// A value as `serde_json::to_string_pretty` writes it nested `indent`
/// deep: every line after the first starts with the indent (JSON strings
/// hold no raw line breaks, so each one is between tokens).
pub(crate) fn pretty<T: Serialize + ?Sized>(value: &T, indent: &str) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(256);
    pretty_into(value, indent, &mut out)?;
    Ok(out)
}

/// [`pretty`], appended to `out` in one pass.
pub(crate) fn pretty_into<T: Serialize + ?Sized>(
    value: &T,
    indent: &str,
    out: &mut Vec<u8>,
) -> io::Result<()> {
    let formatter = Nested {
        base: indent.as_bytes(),
        level: 0,
        has_value: false,
    };
    let mut ser = serde_json::Serializer::with_formatter(out, formatter);
    value.serialize(&mut ser).map_err(io::Error::other)
}

/// Appends one record (see [`record`]) whose bytes `write` appends to the
/// buffer; nothing is left of it when `write` fails.
pub(crate) fn record_with(
    out: &mut Vec<u8>,
    section: u8,
    write: impl FnOnce(&mut Vec<u8>) -> io::Result<()>,
) -> io::Result<()> {
    let start = out.len();
    out.push(section);
    out.extend_from_slice(&[0; 4]);
    let body = out.len();
    if let Err(e) = write(out) {
        out.truncate(start);
        return Err(e);
    }
    let Ok(len) = u32::try_from(out.len() - body) else {
        out.truncate(start);
        return Err(io::Error::other("a record over 4 GiB"));
    };
    out[start + 1..body].copy_from_slice(&len.to_le_bytes());
    Ok(())
}

/// serde_json's pretty layout (two spaces a level, `": "` after keys) with
/// every line after the first starting with `base`: the value as it sits
/// nested in a larger document, written in one pass.
struct Nested<'a> {
    base: &'a [u8],
    level: usize,
    has_value: bool,
}

impl Nested<'_> {
    fn newline<W: ?Sized + Write>(&self, w: &mut W, level: usize) -> io::Result<()> {
        w.write_all(b"\n")?;
        w.write_all(self.base)?;
        for _ in 0..level {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.newline(w, self.level)?;
        }
        w.write_all(bracket)
    }

    fn item<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.newline(w, self.level)
    }
}

impl serde_json::ser::Formatter for Nested<'_> {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spool_keeps_order_across_the_move_to_disk_and_records_frame_their_bytes() {
        let mut s = Spool::default();
        let line = vec![b'x'; 1000];
        for i in 0..6000u32 {
            s.put(&i.to_le_bytes()).expect("spool");
            s.put(&line).expect("spool");
        }
        assert!(s.file.is_some());
        let mut all = Vec::new();
        s.copy_to(&mut all).expect("copy");
        assert_eq!(all.len(), 6000 * 1004);
        assert_eq!(&all[1004..1008], &1u32.to_le_bytes());
        let mut chunk = Vec::new();
        record(&mut chunk, 2, b"ab");
        record(&mut chunk, 0, b"");
        let got: Vec<(u8, &[u8])> = records(&chunk).collect();
        assert_eq!(got, vec![(2, &b"ab"[..]), (0, &b""[..])]);
    }

    #[test]
    fn nested_pretty_json_is_indented_like_the_whole_document() {
        let v = serde_json::json!({"a": [1, 2], "b": "x\ny", "c": [], "d": {}, "e": [{"f": [], "g": {"h": null}}]});
        let whole = serde_json::to_string_pretty(&serde_json::json!([v])).expect("json");
        let mut s = Spool::default();
        s.element("  ", &pretty(&v, "  ").expect("json"))
            .expect("spool");
        let mut out = Vec::new();
        s.close_array("  ", &mut out).expect("copy");
        assert_eq!(String::from_utf8(out).expect("utf-8"), whole);
    }
}
