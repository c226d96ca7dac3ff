//! The byte-level pieces of a layer file: LEB128 varints, length-prefixed
//! UTF-8 strings, and a reader that names the byte offset of what it could
//! not read.

/// Appends `v` as an LEB128 varint.
pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// Appends a string as its byte length (varint) and bytes.
pub(crate) fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Appends a list of strings as a count (varint) and the strings.
pub(crate) fn put_strs<'s>(out: &mut Vec<u8>, items: impl ExactSizeIterator<Item = &'s str>) {
    put_varint(out, items.len() as u64);
    for s in items {
        put_str(out, s);
    }
}

/// Why bytes could not be read: what was expected, at which absolute offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Bad {
    /// Byte offset in the file.
    pub offset: usize,
    /// What was wrong there.
    pub what: &'static str,
}

/// Reads values from a slice of a file, tracking the absolute offset.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// Reads `bytes` from `pos` (an absolute offset into them).
    pub fn new(bytes: &'a [u8], pos: usize) -> Self {
        Self { bytes, pos }
    }

    /// The absolute offset of the next byte.
    pub fn pos(&self) -> usize {
        self.pos
    }

    fn bad(&self, what: &'static str) -> Bad {
        Bad {
            offset: self.pos,
            what,
        }
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize, what: &'static str) -> Result<&'a [u8], Bad> {
        let end = self.pos.checked_add(n).ok_or_else(|| self.bad(what))?;
        let s = self
            .bytes
            .get(self.pos..end)
            .ok_or_else(|| self.bad(what))?;
        self.pos = end;
        Ok(s)
    }

    /// A little-endian u32.
    pub fn u32(&mut self, what: &'static str) -> Result<u32, Bad> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A little-endian u64.
    pub fn u64(&mut self, what: &'static str) -> Result<u64, Bad> {
        let b = self.take(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }

    /// An LEB128 varint of at most 64 bits.
    pub fn varint(&mut self, what: &'static str) -> Result<u64, Bad> {
        let start = self.pos;
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.pos).ok_or_else(|| self.bad(what))?;
            self.pos += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(Bad {
            offset: start,
            what,
        })
    }

    /// A count or length that must fit in memory.
    pub fn len(&mut self, what: &'static str) -> Result<usize, Bad> {
        let at = self.pos;
        let v = self.varint(what)?;
        usize::try_from(v)
            .ok()
            .filter(|&n| n <= self.bytes.len())
            .ok_or(Bad { offset: at, what })
    }

    /// A length-prefixed UTF-8 string.
    pub fn str(&mut self, what: &'static str) -> Result<&'a str, Bad> {
        let n = self.len(what)?;
        let at = self.pos;
        let b = self.take(n, what)?;
        std::str::from_utf8(b).map_err(|_| Bad { offset: at, what })
    }

    /// A counted list of strings.
    pub fn strs(&mut self, what: &'static str) -> Result<Vec<&'a str>, Bad> {
        let n = self.len(what)?;
        (0..n).map(|_| self.str(what)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_round_trip_and_truncation_names_the_offset() {
        let mut out = vec![7u8];
        put_varint(&mut out, 300);
        put_str(&mut out, "Ğüney Elektronik");
        put_strs(&mut out, ["a", "bc"].into_iter());
        let mut r = Reader::new(&out, 1);
        assert_eq!(r.varint("n"), Ok(300));
        assert_eq!(r.str("s"), Ok("Ğüney Elektronik"));
        assert_eq!(r.strs("l"), Ok(vec!["a", "bc"]));
        assert_eq!(r.pos(), out.len());
        let cut = &out[..10];
        let mut r = Reader::new(cut, 1);
        r.varint("n").expect("varint");
        assert_eq!(
            r.str("name"),
            Err(Bad {
                offset: 3,
                what: "name"
            })
        );
    }
}
