//! Text decoding: inputs arrive as bytes in UTF-8 (with or without BOM),
//! UTF-16 (Windows exports) or GBK/GB18030 (Chinese procurement
//! spreadsheets). Everything downstream sees UTF-8.
//!
//! The encoding is chosen from the first bytes, but the whole input is held
//! to it: a byte sequence that is invalid in it is a read error naming the
//! byte offset and line, never a silent U+FFFD. One exception: an input whose
//! first bytes are all ASCII and that turns out not to be UTF-8 at its first
//! non-ASCII byte is read on as GB18030 when that decodes (a GBK spreadsheet
//! whose first Chinese row comes after the sniffed bytes).

use std::io::{self, BufRead, Cursor, Read};

use encoding_rs::{DecoderResult, Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// How many bytes are examined to choose the encoding and the format.
const SNIFF: usize = 16 * 1024;

/// How many input bytes are decoded at a time.
const CHUNK: usize = 64 * 1024;

/// An input decoded to UTF-8.
pub struct Decoded<'a> {
    /// The whole input as a UTF-8 stream, read a decoded chunk at a time.
    pub reader: Box<dyn BufRead + 'a>,
    /// The encoding's name, as sniffed from the first bytes.
    pub encoding: &'static str,
    /// The first bytes, decoded, for format detection.
    pub head: String,
    /// The encoding the stream ended up in: an ASCII start may go on as
    /// GB18030 or windows-1252; read it after the stream is consumed.
    pub used: EncodingUsed,
}

/// The encoding a decoded stream is in, updated as it reads.
#[derive(Debug, Clone)]
pub struct EncodingUsed(
    std::sync::Arc<std::sync::Mutex<&'static Encoding>>,
    std::sync::Arc<std::sync::Mutex<Option<Guess>>>,
);

/// Where an input that was not UTF-8 went on as windows-1252, a guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Guess {
    /// The 1-based line of the first byte read so.
    pub line: u64,
    /// Its byte offset in the input.
    pub offset: u64,
}

impl EncodingUsed {
    /// Where the input went on as windows-1252, if it did.
    pub fn guess(&self) -> Option<Guess> {
        self.1.lock().ok().and_then(|g| *g)
    }

    /// The encoding's name.
    pub fn name(&self) -> &'static str {
        self.0.lock().map_or("unknown", |e| e.name())
    }

    fn set(&self, encoding: &'static Encoding) {
        if let Ok(mut e) = self.0.lock() {
            *e = encoding;
        }
    }
}

/// Chooses the encoding from the first bytes and returns a UTF-8 stream.
pub fn decode<'a>(mut input: impl Read + 'a) -> io::Result<Decoded<'a>> {
    let mut head = Vec::with_capacity(SNIFF);
    (&mut input).take(SNIFF as u64).read_to_end(&mut head)?;
    let encoding = sniff(&head);
    let (head_text, _, _) = encoding.decode(&head);
    let head_text = head_text.into_owned();
    let used = EncodingUsed(
        std::sync::Arc::new(std::sync::Mutex::new(encoding)),
        std::sync::Arc::default(),
    );
    let reader = StrictDecoder::new(encoding, Cursor::new(head).chain(input), used.clone());
    Ok(Decoded {
        reader: Box::new(reader),
        encoding: encoding.name(),
        head: head_text,
        used,
    })
}

/// Decodes a byte stream to UTF-8, failing at the first malformed sequence.
struct StrictDecoder<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    encoding: &'static Encoding,
    /// True while every input byte so far is ASCII (a UTF-8 input may then
    /// still turn out to be GB18030).
    all_ascii: bool,
    /// True once a UTF-8 input went on as GB18030.
    switched: bool,
    /// Input bytes consumed before the current chunk.
    offset: u64,
    /// Newlines handed out so far.
    newlines: u64,
    /// The bytes read, kept from chunk to chunk (never shrunk).
    chunk: Vec<u8>,
    /// The decoded chunk is `out[..out_len]`; the buffer is kept from chunk
    /// to chunk (never shrunk), so only its growth is ever zeroed.
    out: Vec<u8>,
    out_len: usize,
    out_pos: usize,
    done: bool,
    error: Option<io::Error>,
    used: EncodingUsed,
    /// Bytes the last read gave.
    last_read: usize,
}

impl<R: Read> StrictDecoder<R> {
    fn new(encoding: &'static Encoding, inner: R, used: EncodingUsed) -> Self {
        Self {
            used,
            inner,
            decoder: encoding.new_decoder(),
            encoding,
            all_ascii: true,
            switched: false,
            offset: 0,
            newlines: 0,
            chunk: Vec::new(),
            out: Vec::new(),
            out_len: 0,
            out_pos: 0,
            done: false,
            error: None,
            last_read: 0,
        }
    }

    /// Reads and decodes the next chunk into `out`.
    fn fill(&mut self) -> io::Result<()> {
        let mut chunk = std::mem::take(&mut self.chunk);
        // Small inputs (most are) are read in small chunks: the buffers are
        // zeroed when they grow, and a chunk is asked for twice the size
        // of the last one read, up to CHUNK.
        let want = (self.last_read * 2).clamp(SNIFF, CHUNK);
        if chunk.len() < want {
            chunk.resize(want, 0);
        }
        let n = self.inner.read(&mut chunk[..want])?;
        self.last_read = n;
        let last = n == 0;
        self.out_len = 0;
        self.out_pos = 0;
        // `is_ascii` checks a word at a time; the position is wanted only when it fails.
        let first_non_ascii = if chunk[..n].is_ascii() {
            None
        } else {
            chunk[..n].iter().position(|b| !b.is_ascii())
        };
        if first_non_ascii.is_none() && self.may_switch() {
            // ASCII read as UTF-8 so far: the bytes are their own decoding.
            // The decoder has seen none of them, so it must not take bytes
            // later in the input for a byte order mark.
            if self.offset == 0 && n > 0 {
                self.decoder = UTF_8.new_decoder_without_bom_handling();
            }
            std::mem::swap(&mut chunk, &mut self.out);
            self.out_len = n;
        } else {
            self.decode_chunk(&chunk[..n], first_non_ascii, last);
        }
        self.chunk = chunk;
        self.all_ascii &= first_non_ascii.is_none();
        self.offset += n as u64;
        // After an error the stream ends: readers that go on reading see the end.
        self.done = last || self.error.is_some();
        self.newlines += count_newlines(&self.out[..self.out_len]);
        Ok(())
    }

    /// Decodes one chunk into `out`, switching encoding where an ASCII start
    /// turns out not to be UTF-8.
    fn decode_chunk(&mut self, chunk: &[u8], first_non_ascii: Option<usize>, last: bool) {
        let mut switched = false;
        let mut start = 0;
        loop {
            let (result, read) = self.decode_into(&chunk[start..], last);
            match result {
                DecoderResult::InputEmpty => break,
                DecoderResult::OutputFull => start += read,
                DecoderResult::Malformed(bad, extra) => {
                    let at = start + read - usize::from(bad) - usize::from(extra);
                    if let Some(from) = first_non_ascii.filter(|_| self.may_switch()) {
                        self.switch_to(GB18030, &chunk[..from]);
                        (start, switched) = (from, true);
                        continue;
                    }
                    // ASCII, then a first non-ASCII byte that is neither UTF-8
                    // nor GB18030 (a locale's no-break space in `240 057 409
                    // 536 bytes`): the single-byte Western encoding, which the
                    // summary then names.
                    if let Some(from) = first_non_ascii.filter(|&f| switched && f == at) {
                        self.note_guess(&chunk[..from]);
                        self.switch_to(WINDOWS_1252, &chunk[..from]);
                        (start, switched) = (from, false);
                        continue;
                    }
                    self.error = Some(self.malformed(at as u64));
                    break;
                }
            }
        }
    }

    /// Decodes as much of `input` as fits; returns the result and bytes read.
    fn decode_into(&mut self, input: &[u8], last: bool) -> (DecoderResult, usize) {
        let room = self
            .decoder
            .max_utf8_buffer_length_without_replacement(input.len())
            .unwrap_or(input.len() * 3 + 16);
        let used = self.out_len;
        if self.out.len() < used + room {
            self.out.resize(used + room, 0);
        }
        let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
            input,
            &mut self.out[used..used + room],
            last,
        );
        self.out_len = used + written;
        (result, read)
    }

    /// True when the input so far is ASCII and was taken for UTF-8.
    fn may_switch(&self) -> bool {
        self.all_ascii && self.encoding == UTF_8
    }

    /// Records where the input goes on as windows-1252 (after `ascii`).
    fn note_guess(&self, ascii: &[u8]) {
        let line = self.newlines + ascii.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        let offset = self.offset + ascii.len() as u64;
        if let Ok(mut g) = self.used.1.lock() {
            *g = Some(Guess { line, offset });
        }
    }

    /// Restarts decoding in `encoding` after the ASCII bytes `ascii` of this chunk.
    fn switch_to(&mut self, encoding: &'static Encoding, ascii: &[u8]) {
        self.encoding = encoding;
        self.switched = encoding == GB18030;
        self.used.set(encoding);
        self.decoder = encoding.new_decoder_without_bom_handling();
        if self.out.len() < ascii.len() {
            self.out.resize(ascii.len(), 0);
        }
        self.out[..ascii.len()].copy_from_slice(ascii);
        self.out_len = ascii.len();
    }

    /// The error for a malformed sequence at byte `at` of the current chunk.
    fn malformed(&self, at: u64) -> io::Error {
        let line = self.newlines + count_newlines(&self.out[..self.out_len]) + 1;
        let what = if self.switched {
            "a byte sequence that is neither UTF-8 nor GB18030".to_owned()
        } else {
            format!("an invalid {} byte sequence", self.encoding.name())
        };
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "line {line}, byte offset {}: {what} (the input is not in one text encoding)",
                self.offset + at
            ),
        )
    }
}

impl<R: Read> Read for StrictDecoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = {
            let decoded = self.fill_buf()?;
            let n = buf.len().min(decoded.len());
            buf[..n].copy_from_slice(&decoded[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

/// The decoded chunk is the buffer: readers take lines from it without a copy.
impl<R: Read> BufRead for StrictDecoder<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.out_pos == self.out_len {
            if let Some(e) = self.error.take() {
                return Err(e);
            }
            if self.done {
                return Ok(&[]);
            }
            self.fill()?;
        }
        Ok(&self.out[self.out_pos..self.out_len])
    }

    fn consume(&mut self, n: usize) {
        self.out_pos = (self.out_pos + n).min(self.out_len);
    }
}

fn count_newlines(bytes: &[u8]) -> u64 {
    // Counted in blocks whose count fits a byte: the compiler vectorises it.
    bytes
        .chunks(255)
        .map(|block| {
            let n: u8 = block.iter().map(|&b| u8::from(b == b'\n')).sum();
            u64::from(n)
        })
        .sum()
}

/// Picks an encoding: a BOM decides; else valid UTF-8; else UTF-16 when
/// every other byte is NUL; else GB18030 when it decodes cleanly.
fn sniff(head: &[u8]) -> &'static Encoding {
    if let Some((enc, _)) = Encoding::for_bom(head) {
        return enc;
    }
    // NUL bytes are valid UTF-8, so UTF-16 without a BOM is recognised first.
    if let Some(enc) = utf16_without_bom(head) {
        return enc;
    }
    if is_utf8_prefix(head) {
        return UTF_8;
    }
    let (_, had_errors) = GB18030.decode_without_bom_handling(trim_partial(head));
    if had_errors { UTF_8 } else { GB18030 }
}

/// True when `head` is UTF-8, allowing a sequence cut off at the end.
fn is_utf8_prefix(head: &[u8]) -> bool {
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

fn utf16_without_bom(head: &[u8]) -> Option<&'static Encoding> {
    let pairs = head.len() / 2;
    // Most inputs have no NUL at all: one fast scan says so.
    if pairs < 2 || memchr::memchr(0, head).is_none() {
        return None;
    }
    let odd_nuls = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    let even_nuls = head.iter().step_by(2).filter(|&&b| b == 0).count();
    if odd_nuls * 10 >= pairs * 9 {
        Some(UTF_16LE)
    } else if even_nuls * 10 >= pairs * 9 {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Drops a trailing byte that may be half of a double-byte character, so a
/// sniff window that ends mid-character is not mistaken for an error.
fn trim_partial(head: &[u8]) -> &[u8] {
    if head.len() == SNIFF {
        let keep = head
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(head.len(), |i| i + 1);
        &head[..keep]
    } else {
        head
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8]) -> (String, &'static str) {
        let mut d = decode(bytes).expect("in memory");
        let mut s = String::new();
        d.reader.read_to_string(&mut s).expect("utf-8 out");
        (s, d.encoding)
    }

    #[test]
    fn gbk_bytes_are_decoded_as_gb18030() {
        let (gbk, _, _) = GB18030.encode("厂商,型号\n美光,MTA18ASF2G72PZ\n");
        let (text, enc) = decode_all(&gbk);
        assert_eq!(enc, "gb18030");
        assert_eq!(text, "厂商,型号\n美光,MTA18ASF2G72PZ\n");
    }

    #[test]
    fn boms_decide_and_are_removed() {
        let (text, enc) = decode_all(b"\xEF\xBB\xBFMfr,MPN\n");
        assert_eq!((text.as_str(), enc), ("Mfr,MPN\n", "UTF-8"));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Mfr\r\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let (text, enc) = decode_all(&utf16);
        assert_eq!((text.as_str(), enc), ("Mfr\r\n", "UTF-16LE"));
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let bytes: Vec<u8> = "\r\nCaption=AMD Radeon RX 6600 XT\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let (text, enc) = decode_all(&bytes);
        assert_eq!(
            (text.as_str(), enc),
            ("\r\nCaption=AMD Radeon RX 6600 XT\r\n", "UTF-16LE")
        );
    }

    fn decode_err(bytes: &[u8]) -> String {
        let mut d = decode(bytes).expect("in memory");
        let mut s = String::new();
        d.reader
            .read_to_string(&mut s)
            .expect_err("invalid")
            .to_string()
    }

    #[test]
    fn gbk_after_the_sniffed_bytes_is_read_as_gbk() {
        let mut bytes = b"Manufacturer,Part Number\n".to_vec();
        for i in 0..4000 {
            bytes.extend_from_slice(format!("Samsung,M393A2K40DB3-CWE line {i}\n").as_bytes());
        }
        assert!(bytes.len() > 2 * SNIFF + CHUNK);
        let (gbk, _, _) = GB18030.encode("美光,内存条\n");
        bytes.extend_from_slice(&gbk);
        let (text, enc) = decode_all(&bytes);
        assert_eq!(enc, "UTF-8");
        assert!(
            text.ends_with("line 3999\n美光,内存条\n"),
            "{}",
            &text[text.len() - 40..]
        );
        assert!(!text.contains('\u{FFFD}'));
    }

    #[test]
    fn invalid_bytes_anywhere_are_an_error_with_line_and_offset() {
        // UTF-8 (non-ASCII in the head) then a Latin-1 byte far later.
        let mut bytes = "制造商,料号\n".as_bytes().to_vec();
        bytes.extend_from_slice(&b"Micron,MTA18ASF2G72PZ\n".repeat(3000));
        let at = bytes.len();
        bytes.extend_from_slice(b"Caf\xe9,X\n");
        let err = decode_err(&bytes);
        assert!(
            err.contains(&format!("line 3002, byte offset {}", at + 3)),
            "{err}"
        );
        assert!(err.contains("invalid UTF-8"), "{err}");
        // GBK (sniffed as such), then one byte that is not GBK past the sniffed bytes.
        let mut gbk = GB18030.encode(&"美光,内存条\n".repeat(2000)).0.into_owned();
        gbk.extend_from_slice(b"\xff\n");
        let err = decode_err(&gbk);
        assert!(err.contains("an invalid gb18030 byte sequence"), "{err}");
        assert!(err.contains("line 2001"), "{err}");
        // GBK after an ASCII start, then a byte that is not GBK.
        let mut bytes = b"Mfr,MPN\n".repeat(3000);
        bytes.extend_from_slice(&GB18030.encode("美光,X\n").0);
        bytes.extend_from_slice(b"\x81\n");
        let err = decode_err(&bytes);
        assert!(err.contains("neither UTF-8 nor GB18030"), "{err}");
    }

    #[test]
    fn ascii_then_neither_utf8_nor_gb18030_is_read_as_windows_1252() {
        // smartctl in a Latin-1 locale groups digits with a no-break space.
        let mut bytes = b"Model Family:     Marvell based SanDisk SSDs\n".repeat(2000);
        bytes.extend_from_slice(b"User Capacity:    240\xa0057\xa0409\xa0536 bytes\n");
        let decoded = decode(bytes.as_slice()).expect("in memory");
        let used = decoded.used.clone();
        let mut text = String::new();
        let mut reader = decoded.reader;
        reader.read_to_string(&mut text).expect("decodes");
        assert!(text.ends_with("240\u{a0}057\u{a0}409\u{a0}536 bytes\n"));
        assert_eq!((decoded.encoding, used.name()), ("UTF-8", "windows-1252"));
        assert_eq!(
            used.guess(),
            Some(Guess {
                line: 2001,
                offset: 90_021
            })
        );
    }

    #[test]
    fn ascii_chunks_pass_through_and_a_later_bom_is_kept_as_text() {
        // More than one chunk of ASCII, then U+FEFF (a byte order mark's
        // bytes in mid-file are a character, not a mark to drop), then CJK.
        let mut text = "Manufacturer: Micron\n".repeat(CHUNK / 10);
        text.push_str("\u{feff}美光\n");
        let (decoded, enc) = decode_all(text.as_bytes());
        assert_eq!(enc, "UTF-8");
        assert_eq!(decoded, text);
    }

    #[test]
    fn utf8_stays_utf8() {
        let (text, enc) = decode_all("制造商,料号\n美光,X\n".as_bytes());
        assert_eq!((text.as_str(), enc), ("制造商,料号\n美光,X\n", "UTF-8"));
    }
}
