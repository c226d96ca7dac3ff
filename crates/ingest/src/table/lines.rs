//! Where a table's newlines and quoted fields are, seen from the bytes the
//! csv crate reads: line numbers that count blank lines, and a quoted field
//! that is never closed.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, Read};
use std::rc::Rc;

/// Newline offsets seen by the reader but not yet passed by a record: the
/// csv crate's own line numbers do not count blank lines, ours must. Runs of
/// evenly spaced newlines (blank lines) are kept as one entry, so memory does
/// not grow with them.
#[derive(Default)]
pub(super) struct LineTracker {
    pending: VecDeque<Run>,
    passed: u64,
}

/// Newlines at `start`, `start + step`, ... (`count` of them).
#[derive(Debug, Clone, Copy)]
struct Run {
    start: u64,
    step: u64,
    count: u64,
}

impl LineTracker {
    /// Records a newline at `offset` (offsets increase).
    fn push(&mut self, offset: u64) {
        if let Some(run) = self.pending.back_mut() {
            if run.count == 1 && offset > run.start {
                run.step = offset - run.start;
                run.count = 2;
                return;
            }
            if run.start + run.step * run.count == offset {
                run.count += 1;
                return;
            }
        }
        self.pending.push_back(Run {
            start: offset,
            step: 1,
            count: 1,
        });
    }

    /// The 1-based line holding byte `offset`; offsets must not decrease.
    pub(super) fn line_of(&mut self, offset: u64) -> u64 {
        while let Some(run) = self.pending.front_mut() {
            if run.start >= offset {
                break;
            }
            // Newlines of this run before `offset`.
            let before = ((offset - run.start - 1) / run.step + 1).min(run.count);
            self.passed += before;
            if before == run.count {
                self.pending.pop_front();
            } else {
                run.start += run.step * before;
                run.count -= before;
            }
        }
        self.passed + 1
    }
}

/// Follows the csv crate's quoting (RFC 4180: a quote opens a field only at
/// its start, `""` inside is a quote, a lone quote closes it) to find a
/// quoted field that is never closed; the csv crate reads such a field to
/// the end of the input without saying so.
pub(super) struct Quotes {
    delimiter: u8,
    state: QuoteState,
    /// Newlines seen so far.
    newlines: u64,
    /// The 1-based line where the current quoted field opened.
    opened: u64,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    FieldStart,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

impl Quotes {
    pub(super) fn new(delimiter: u8) -> Self {
        Self {
            delimiter,
            state: QuoteState::FieldStart,
            newlines: 0,
            opened: 0,
        }
    }

    /// Follows `bytes` (at `offset`), whose line ends are `ends`.
    fn feed(&mut self, bytes: &[u8], ends: &[u64], offset: u64) {
        use QuoteState::{FieldStart, QuoteInQuoted, Quoted, Unquoted};
        let mut ends = ends.iter().peekable();
        for (i, &b) in bytes.iter().enumerate() {
            // Line ends before this byte (a `\r` that ended the last chunk).
            while ends.next_if(|&&e| e < offset + i as u64).is_some() {
                self.newlines += 1;
            }
            let end_of_field = b == self.delimiter || b == b'\n' || b == b'\r';
            self.state = match (self.state, b) {
                (Quoted, b'"') => QuoteInQuoted,
                (Quoted, _) => Quoted,
                (QuoteInQuoted, b'"') => Quoted,
                (FieldStart, b'"') => {
                    self.opened = self.newlines + 1;
                    Quoted
                }
                (_, _) if end_of_field => FieldStart,
                (_, _) => Unquoted,
            };
            if ends.next_if(|&&e| e == offset + i as u64).is_some() {
                self.newlines += 1;
            }
        }
        self.newlines += ends.count() as u64;
    }

    /// The line of a quoted field still open at the end of the input.
    pub(super) fn open_line(&self) -> Option<u64> {
        (self.state == QuoteState::Quoted).then_some(self.opened)
    }
}

/// A reader that records where its newlines are.
pub(super) struct CountLines<R> {
    inner: R,
    offset: u64,
    ends: LineEnds,
    lines: Rc<RefCell<LineTracker>>,
    quotes: Quotes,
}

impl<R> CountLines<R> {
    pub(super) fn new(inner: R, lines: Rc<RefCell<LineTracker>>, quotes: Quotes) -> Self {
        Self {
            inner,
            offset: 0,
            ends: LineEnds::default(),
            lines,
            quotes,
        }
    }

    /// The quoting seen so far.
    pub(super) fn quotes(&self) -> &Quotes {
        &self.quotes
    }
}

impl<R: Read> Read for CountLines<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut t = self.lines.borrow_mut();
        let ends = self.ends.feed(&buf[..n], self.offset);
        for &at in &ends {
            t.push(at);
        }
        self.quotes.feed(&buf[..n], &ends, self.offset);
        self.offset += n as u64;
        Ok(n)
    }
}

/// Finds line ends in a stream read in chunks: `\n`, `\r\n` (at its `\n`)
/// and a lone `\r` (old Mac line ends), also when a chunk ends between the
/// `\r` and the `\n`.
#[derive(Default)]
pub(super) struct LineEnds {
    /// The offset of a `\r` that ended the previous chunk.
    cr: Option<u64>,
}

impl LineEnds {
    /// The offsets of the line ends `chunk` (at `offset`) completes; an
    /// empty chunk (the end of the input) completes a trailing `\r`.
    pub(super) fn feed(&mut self, chunk: &[u8], offset: u64) -> Vec<u64> {
        let mut out = Vec::new();
        if let Some(cr) = self.cr.take()
            && chunk.first() != Some(&b'\n')
        {
            out.push(cr);
        }
        for (i, &b) in chunk.iter().enumerate() {
            let at = offset + i as u64;
            match b {
                b'\n' => out.push(at),
                b'\r' => match chunk.get(i + 1) {
                    Some(b'\n') => {}
                    Some(_) => out.push(at),
                    None => self.cr = Some(at),
                },
                _ => {}
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lone_crs_end_lines_and_crlf_split_across_chunks_counts_once() {
        let mut ends = LineEnds::default();
        assert_eq!(ends.feed(b"a\rb\r\nc\r", 0), vec![1, 4]);
        assert_eq!(ends.feed(b"\nd\r", 7), vec![7]);
        assert_eq!(ends.feed(b"e", 10), vec![9]);
        assert_eq!(ends.feed(b"\r", 11), Vec::<u64>::new());
        assert_eq!(ends.feed(b"", 12), vec![11]);
    }

    #[test]
    fn blank_lines_cost_no_memory_and_still_count() {
        let mut t = LineTracker::default();
        for i in 0..1_000_000u64 {
            t.push(100 + 2 * i); // CRLF blank lines
        }
        assert_eq!(t.pending.len(), 1);
        assert_eq!(t.line_of(100), 1);
        assert_eq!(t.line_of(101), 2);
        assert_eq!(t.line_of(2_000_099), 1_000_001);
        t.push(3_000_000);
        assert_eq!(t.line_of(3_000_001), 1_000_002);
        assert!(t.pending.is_empty());
    }
}
