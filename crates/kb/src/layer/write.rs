//! Writing a layer file front to back into any writer, hashing as it goes:
//! the header, the records (their total length first, from a counting
//! pass), each stored index built in turn, and the SHA-256 trailer. Nothing
//! holds the whole file.

use std::io::{self, Write};

use sha2::{Digest, Sha256};

use super::{MAGIC, VERSION, put_str, put_varint};
use crate::LayerInfo;
use crate::search::{StoredIndex, Width};

/// The records of a layer, in id order, as the writer asks for them.
pub(crate) trait Records {
    /// How many there are.
    fn count(&self) -> usize;
    /// Puts the body of record `i` (without its length prefix) into `out`.
    fn body(&self, i: usize, out: &mut Vec<u8>);
    /// Puts the search text of record `i` into `out`.
    fn search_text(&self, i: usize, out: &mut String);
    /// Called once every record body is written: what only the bodies
    /// needed may be let go before the indexes are built.
    fn bodies_written(&mut self) {}
}

/// A writer that hashes what passes through it.
struct Hashing<W> {
    inner: W,
    sha: Sha256,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.sha.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes the layer file of `records` to `out` (records must be in
/// ascending id order).
pub(crate) fn write_layer_file<W: Write>(
    out: W,
    info: &LayerInfo,
    records: &mut dyn Records,
) -> io::Result<W> {
    let mut w = Hashing {
        inner: out,
        sha: Sha256::new(),
    };
    let mut head = MAGIC.to_vec();
    head.extend_from_slice(&VERSION.to_le_bytes());
    for s in [&info.name, &info.source, &info.retrieved, &info.hash] {
        put_str(&mut head, s);
    }
    let count = records.count();
    head.extend_from_slice(&(count as u32).to_le_bytes());
    w.write_all(&head)?;
    let mut body = Vec::with_capacity(256);
    let mut prefix = Vec::with_capacity(10);
    let mut total = 0u64;
    for i in 0..count {
        body.clear();
        prefix.clear();
        records.body(i, &mut body);
        put_varint(&mut prefix, body.len() as u64);
        total += (prefix.len() + body.len()) as u64;
    }
    w.write_all(&total.to_le_bytes())?;
    for i in 0..count {
        body.clear();
        prefix.clear();
        records.body(i, &mut body);
        put_varint(&mut prefix, body.len() as u64);
        w.write_all(&prefix)?;
        w.write_all(&body)?;
    }
    records.bodies_written();
    for width in [Width::Three, Width::Six] {
        let index = StoredIndex::build(count, width, &mut |i, s| records.search_text(i, s));
        w.write_all(&index.len().to_le_bytes())?;
        index.write_to(&mut w)?;
    }
    let digest = w.sha.finalize();
    let mut out = w.inner;
    out.write_all(&digest)?;
    Ok(out)
}
