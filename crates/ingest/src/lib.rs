//! Reads the files operators already have (dmidecode output, purchase-order
//! spreadsheets exported as CSV, our own JSON Lines) into [`Component`]s.
//!
//! Ingest knows formats and nothing about companies. Every reader streams
//! (memory does not grow with the input), keeps every field as printed with
//! the file and line it came from, and turns malformed input into
//! [`Diagnostic`]s instead of panicking. Nothing is dropped silently: the
//! [`Summary`] counts what was read and what was skipped, and why.
//!
//! Every format is one entry of the table in `formats.rs` (name, detection
//! predicate, reader, sample head); [`Format`] is a handle to an entry.

mod bom;
mod cdx_xml;
mod dates;
mod detect;
mod dmidecode;
mod formats;
mod headers;
mod json_doc;
mod jsonl;
mod limits;
mod local;
mod lsblk;
mod lshw;
mod lspci;
mod lsusb;
mod macos;
mod nvme;
mod options;
mod osquery;
mod records;
mod skip;
mod smartctl;
mod smbios;
mod spdx_tv;
mod spreadsheet;
mod summary;
mod table;
mod text;
mod windows;
mod wmic;

use std::io::{BufRead, BufReader, Read};

use supplyscreen_model::Component;

pub use dates::{InputDateError, parse_input_date, parse_input_date_with};
pub use detect::{detect, detect_with};
pub use formats::Format;
pub use jsonl::to_line as to_jsonl_line;
pub use limits::{ByteSize, ByteSizeError, InputLimits};
pub use local::{Collection, collect};
pub use options::{ColumnMap, ColumnMapError, DateOrder, ReadOptions};
pub use records::{Columns, RecordReader};
pub use skip::SkipReason;
pub use summary::Summary;
pub use supplyscreen_model::{Diagnostic, Severity};

/// Why an input could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// Reading failed.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The input.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// No reader recognises the content.
    #[error(
        "{path}:1: unknown input format (expected one of: {})",
        Format::names()
    )]
    UnknownFormat {
        /// The input.
        path: String,
    },
    /// A delimited table none of whose columns can identify an item.
    #[error(
        "{path}:1: a table with no column that names a maker, supplier, part number, model or description (headers: {}); map one with --columns maker=HEADER,part=HEADER",
        headers.iter().map(|h| format!("{h:?}")).collect::<Vec<_>>().join(", ")
    )]
    TableWithoutIdentity {
        /// The input.
        path: String,
        /// The header cells as read.
        headers: Vec<String>,
    },
}

/// How many bytes binary formats are detected from.
const BINARY_HEAD: usize = 64 * 1024;

/// Reads one input, detecting its encoding and format from its content, and
/// hands each component to `sink` as soon as it is complete.
pub fn read(
    path: &str,
    input: impl Read,
    sink: &mut dyn FnMut(Component),
) -> Result<Summary, IngestError> {
    read_with(path, input, &ReadOptions::default(), sink)
}

/// Like [`read`], with what the user said about tables (`--columns`, `--date-order`).
pub fn read_with(
    path: &str,
    input: impl Read,
    options: &ReadOptions,
    sink: &mut dyn FnMut(Component),
) -> Result<Summary, IngestError> {
    let io = |source| IngestError::Io {
        path: path.to_owned(),
        source,
    };
    let mut count = |c: Component, summary: &mut Summary| {
        summary.components += 1;
        sink(c);
    };
    // Binary formats are told by their first bytes, which must be there
    // whatever the reader's chunks (a ZIP names its members after the
    // first ones' data): the head is read in full before deciding.
    let mut input = input;
    let mut head = Vec::with_capacity(BINARY_HEAD);
    (&mut input)
        .take(BINARY_HEAD as u64)
        .read_to_end(&mut head)
        .map_err(io)?;
    let binary = detect::detect_binary(&head);
    let mut input = BufReader::new(std::io::Cursor::new(head).chain(input));
    if let Some(format) = binary {
        let mut summary = format
            .read(path, "binary", &mut input, options, &mut count)
            .map_err(io)?;
        summary.close();
        return Ok(summary);
    }
    let decoded = text::decode(input).map_err(io)?;
    let format = detect_lines(&decoded.head, options).ok_or_else(|| {
        let lines: Vec<&str> = decoded.head.lines().take(5).collect();
        match headers::unscreenable_header(&lines) {
            Some(headers) => IngestError::TableWithoutIdentity {
                path: path.to_owned(),
                headers,
            },
            None => IngestError::UnknownFormat {
                path: path.to_owned(),
            },
        }
    })?;
    let used = decoded.used;
    let mut reader = decoded.reader;
    let mut summary = format
        .read(path, decoded.encoding, &mut reader, options, &mut count)
        .map_err(io)?;
    summary.encoding = used.name().to_owned();
    if let Some(g) = used.guess() {
        summary.warning(
            g.line,
            format!(
                "byte offset {}: not UTF-8 (nor GB18030) from here on; read as windows-1252, a guess: check the characters read",
                g.offset
            ),
        );
    }
    summary.close();
    Ok(summary)
}

/// Detects the format of a text head; a head whose lines end in lone `\r`
/// is detected as if they ended in `\n`, but only for the line-based
/// formats, whose readers end lines at a lone `\r` too.
fn detect_lines(head: &str, options: &ReadOptions) -> Option<Format> {
    if let Some(format) = detect_with(head, options) {
        return Some(format);
    }
    if !head.contains('\r') {
        return None;
    }
    let unix = head.replace("\r\n", "\n").replace('\r', "\n");
    detect_with(&unix, options).filter(|f| matches!(f.input(), formats::Input::Lines { .. }))
}

/// Reads a live SMBIOS structure table (such as `/sys/firmware/dmi/tables/DMI`).
pub fn read_smbios_table(path: &str, table: &[u8], sink: &mut dyn FnMut(Component)) -> Summary {
    let mut summary = Summary::new(path, Format::SMBIOS_DUMP, "binary");
    let mut count = |c: Component, summary: &mut Summary| {
        summary.components += 1;
        sink(c);
    };
    smbios::read_table(path, table, 0, &mut summary, &mut count);
    summary.close();
    summary
}

/// Calls `f` with each line's 1-based number and text (line end removed),
/// reusing one buffer so memory stays flat; stops early when `f` says false.
/// A line ends at `\n`, `\r\n` or a lone `\r` (old Mac line ends, or a
/// carriage return that would otherwise overprint a line on a terminal).
fn each_line(
    mut input: impl std::io::BufRead,
    mut f: impl FnMut(u64, &str) -> bool,
) -> std::io::Result<()> {
    // A line cut by the end of a chunk is gathered here; a line wholly
    // inside a chunk is handed over from the chunk without a copy.
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    // The previous chunk ended in `\r`: a `\n` starting this one belongs to it.
    let mut after_cr = false;
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            return if buf.is_empty() {
                Ok(())
            } else {
                line_no += 1;
                call_line(&mut f, line_no, &buf).map(|_| ())
            };
        }
        let mut pos = usize::from(after_cr && chunk[0] == b'\n');
        after_cr = false;
        // Checked once for the whole chunk: a line inside its valid part is
        // handed over as text at once.
        let text = valid_prefix(chunk);
        while let Some(len) = memchr2(b'\n', b'\r', &chunk[pos..]) {
            let end = pos + len;
            line_no += 1;
            let go_on = match text.get(pos..end).filter(|_| buf.is_empty()) {
                Some(line) => f(line_no, line),
                None => {
                    buf.extend_from_slice(&chunk[pos..end]);
                    call_line(&mut f, line_no, &buf)?
                }
            };
            buf.clear();
            pos = end + 1;
            if chunk[end] == b'\r' {
                match chunk.get(pos) {
                    Some(b'\n') => pos += 1,
                    Some(_) => {}
                    None => after_cr = true,
                }
            }
            if !go_on {
                return Ok(());
            }
        }
        buf.extend_from_slice(&chunk[pos..]);
        let used = chunk.len();
        input.consume(used);
    }
}

/// The longest prefix of `bytes` that is UTF-8 (the whole chunk, but for a
/// character cut by its end or a malformed sequence, which the line's own
/// check then reports).
fn valid_prefix(bytes: &[u8]) -> &str {
    match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default(),
    }
}

/// The offset of the first `a` or `b` in `bytes`.
fn memchr2(a: u8, b: u8, bytes: &[u8]) -> Option<usize> {
    memchr::memchr2(a, b, bytes)
}

/// Gives `f` one line's text, which must be UTF-8 (the decoder made it so).
fn call_line(
    f: &mut impl FnMut(u64, &str) -> bool,
    line_no: u64,
    bytes: &[u8],
) -> std::io::Result<bool> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("line {line_no} is not valid UTF-8: {e}"),
        )
    })?;
    Ok(f(line_no, text))
}

/// Streams records that open on a recognisable line and continue on the
/// lines after it: `start` opens a record (closing the previous one), `add`
/// gives it each following line, `emit` receives each record once complete.
/// Lines before the first record are ignored.
fn each_record<R>(
    input: &mut dyn BufRead,
    mut start: impl FnMut(u64, &str) -> Option<R>,
    mut add: impl FnMut(&mut R, &str),
    mut emit: impl FnMut(R),
) -> std::io::Result<()> {
    let mut current: Option<R> = None;
    each_line(input, |line_no, line| {
        if let Some(record) = start(line_no, line) {
            if let Some(done) = current.replace(record) {
                emit(done);
            }
        } else if let Some(record) = current.as_mut() {
            add(record, line);
        }
        true
    })?;
    if let Some(done) = current {
        emit(done);
    }
    Ok(())
}

/// The callback readers hand components to.
type Sink<'a> = dyn FnMut(Component, &mut Summary) + 'a;

/// The host name a file stands for: its file name without directory and extension.
fn host_from_path(path: &str) -> Option<String> {
    let name = path.rsplit(['/', '\\']).next()?;
    let stem = name.split('.').next().unwrap_or(name);
    (!stem.is_empty() && stem != "-").then(|| stem.to_owned())
}

/// Runs the reader of the format `name` over `text` in tests, collecting
/// components and the summary.
#[cfg(test)]
fn run_reader(name: &str, path: &str, text: &str) -> (Vec<Component>, Summary) {
    let format = Format::from_name(name).expect("a format of the table");
    let mut out = Vec::new();
    let mut sink = |c: Component, s: &mut Summary| {
        s.components += 1;
        out.push(c);
    };
    let summary = format
        .read(
            path,
            "UTF-8",
            &mut text.as_bytes(),
            &ReadOptions::default(),
            &mut sink,
        )
        .expect("in memory");
    (out, summary)
}

#[cfg(test)]
mod line_tests {
    use super::each_line;

    /// The lines `each_line` gives for `text` read through a buffer of `cap` bytes.
    fn lines(text: &str, cap: usize) -> Vec<(u64, String)> {
        let mut out = Vec::new();
        let reader = std::io::BufReader::with_capacity(cap, text.as_bytes());
        each_line(reader, |n, l| {
            out.push((n, l.to_owned()));
            true
        })
        .expect("in memory");
        out
    }

    #[test]
    fn lines_are_the_same_whatever_the_chunk_boundaries() {
        let text = "Handle 0x1100, DMI type 17, 84 bytes\r\nMemory Device\r\n\tSize: 32 GB\rOld Mac\n\n\tPart Number: HMA84GR7CJR4N-XN    \r\nlast without end";
        let expected: Vec<(u64, String)> = text
            .replace("\r\n", "\n")
            .replace('\r', "\n")
            .split('\n')
            .enumerate()
            .map(|(i, l)| (i as u64 + 1, l.to_owned()))
            .collect();
        for cap in [1, 2, 3, 5, 7, 16, 37, 64, 1024] {
            assert_eq!(lines(text, cap), expected, "buffer of {cap} bytes");
        }
    }

    #[test]
    fn a_crlf_split_between_chunks_is_one_line_end() {
        // `\r` ends the first 4-byte chunk, `\n` starts the next.
        assert_eq!(
            lines("abc\r\ndef\r\n", 4),
            vec![(1, "abc".to_owned()), (2, "def".to_owned())]
        );
    }

    #[test]
    fn stopping_early_reads_no_further_line() {
        let mut seen = Vec::new();
        each_line("one\ntwo\nthree\n".as_bytes(), |n, l| {
            seen.push((n, l.to_owned()));
            n < 2
        })
        .expect("in memory");
        assert_eq!(seen, vec![(1, "one".to_owned()), (2, "two".to_owned())]);
    }
}
