//! Text decoding: inputs arrive as bytes in UTF-8 (with or without BOM),
//! UTF-16 (Windows exports) or GBK/GB18030 (Chinese procurement
//! spreadsheets). Everything downstream sees UTF-8.

use std::io::{self, Cursor, Read};

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};
use encoding_rs_io::DecodeReaderBytesBuilder;

/// How many bytes are examined to choose the encoding and the format.
const SNIFF: usize = 16 * 1024;

/// An input decoded to UTF-8.
pub struct Decoded<'a> {
    /// The whole input as a UTF-8 stream.
    pub reader: Box<dyn Read + 'a>,
    /// The encoding's name.
    pub encoding: &'static str,
    /// The first bytes, decoded, for format detection.
    pub head: String,
}

/// Chooses the encoding from the first bytes and returns a UTF-8 stream.
pub fn decode<'a>(mut input: impl Read + 'a) -> io::Result<Decoded<'a>> {
    let mut head = Vec::with_capacity(SNIFF);
    (&mut input).take(SNIFF as u64).read_to_end(&mut head)?;
    let encoding = sniff(&head);
    let (head_text, _, _) = encoding.decode(&head);
    let head_text = head_text.into_owned();
    let reader = DecodeReaderBytesBuilder::new()
        .encoding(Some(encoding))
        .bom_override(true)
        .build(Cursor::new(head).chain(input));
    Ok(Decoded {
        reader: Box::new(reader),
        encoding: encoding.name(),
        head: head_text,
    })
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
    if pairs < 2 {
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

    #[test]
    fn utf8_stays_utf8() {
        let (text, enc) = decode_all("制造商,料号\n美光,X\n".as_bytes());
        assert_eq!((text.as_str(), enc), ("制造商,料号\n美光,X\n", "UTF-8"));
    }
}
