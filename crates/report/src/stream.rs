//! Reports written while screening runs. Each format has two halves: an
//! encoding of one component into bytes (run on the worker that judged it)
//! and a writer that receives those bytes in input order and keeps only
//! what must come later in the document (in a [`Spool`](crate::spool::Spool)
//! that moves to a temporary file when large). [`Encoder`] and [`Streams`]
//! run several formats at once; [`render_with`](crate::render_with) replays
//! an in-memory outcome through the same code.

use std::io::{self, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use supplyscreen_ingest::Summary;
use supplyscreen_model::{Date, Verdict};
use supplyscreen_screen::{Encode, End, Header, Outcome, Screened, Sink, SkippedFile};

use crate::format::{OutputFormat, RenderError, RenderOptions};
use crate::spool::take_bytes;

/// Where a streamed report goes.
pub type Destination<'a> = Box<dyn Write + 'a>;

/// One streaming format's writer.
pub(crate) trait FormatOut {
    /// Before anything else.
    fn begin(&mut self, h: &Header) -> io::Result<()>;
    /// One component's chunk.
    fn component(&mut self, v: Verdict, chunk: &[u8]) -> io::Result<()>;
    /// One input's summary.
    fn input(&mut self, s: &Summary) -> io::Result<()>;
    /// A file not screened.
    fn skipped(&mut self, f: &SkippedFile) -> io::Result<()>;
    /// The end: writes whatever was kept and flushes.
    fn end(&mut self, end: &End) -> io::Result<()>;
}

/// One report to stream: its format, options and destination.
pub struct Output<'a> {
    /// The format.
    pub format: OutputFormat,
    /// What it shows.
    pub opts: RenderOptions,
    /// Where it goes.
    pub to: Destination<'a>,
    /// The profile was assumed (no `--profile`, no configuration): the JSON
    /// report says `"profile_assumed": true` after `"profile"`.
    pub profile_assumed: bool,
}

/// What one component becomes for every report of a run.
pub struct Piece {
    bytes: Vec<u8>,
}

/// Encodes components for a set of reports; runs on the worker threads.
pub struct Encoder {
    formats: Vec<(OutputFormat, RenderOptions)>,
    as_of: Date,
    /// The size of the last component's bytes: the next one starts with
    /// room for about as much, instead of growing a byte vector step by step.
    last_len: AtomicUsize,
}

impl Encode for Encoder {
    type Item = Piece;

    fn encode(&self, s: Screened) -> Piece {
        let hint = self.last_len.load(Ordering::Relaxed);
        let mut bytes = Vec::with_capacity(hint + hint / 4);
        for (format, opts) in &self.formats {
            // Each format's bytes behind their length, written in place.
            let at = bytes.len();
            bytes.extend_from_slice(&[0; 4]);
            encode(*format, *opts, &s, self.as_of, &mut bytes);
            let len = (bytes.len() - at - 4) as u32;
            bytes[at..at + 4].copy_from_slice(&len.to_le_bytes());
        }
        self.last_len.store(bytes.len(), Ordering::Relaxed);
        Piece { bytes }
    }

    fn weight(&self, p: &Piece) -> usize {
        p.bytes.capacity()
    }

    fn spill(&self, p: &Piece, out: &mut Vec<u8>) -> bool {
        out.extend_from_slice(&p.bytes);
        true
    }

    fn restore(&self, bytes: Vec<u8>) -> Option<Piece> {
        Some(Piece { bytes })
    }
}

/// One component's bytes for one format.
fn encode(format: OutputFormat, opts: RenderOptions, s: &Screened, as_of: Date, out: &mut Vec<u8>) {
    match format {
        OutputFormat::Table if opts.summary_only => crate::table::encode_summary(s, out),
        OutputFormat::Table => crate::table::encode(s, opts, as_of, out),
        OutputFormat::Json => crate::json::encode(s, as_of, out),
        OutputFormat::Jsonl => crate::jsonl::encode(s, as_of, out),
        OutputFormat::Csv => crate::csv_out::encode(s, as_of, out),
        OutputFormat::Sarif => crate::sarif::encode(s, as_of, out),
        OutputFormat::Markdown => crate::markdown::encode(s, as_of, out),
        OutputFormat::Html => crate::html::encode(s, as_of, out),
        OutputFormat::Cyclonedx => crate::cyclonedx::encode(s, as_of, out),
    }
}

/// The writer of one format.
fn writer<'a>(o: Output<'a>) -> Box<dyn FormatOut + 'a> {
    let Output {
        format,
        opts,
        to,
        profile_assumed,
    } = o;
    match format {
        OutputFormat::Table if opts.summary_only => Box::new(crate::table::SummaryOut::new(to)),
        OutputFormat::Table => Box::new(crate::table::TableOut::new(to, opts)),
        OutputFormat::Json => Box::new(crate::json::JsonOut::new(to, profile_assumed)),
        OutputFormat::Jsonl => Box::new(crate::jsonl::JsonlOut::new(to)),
        OutputFormat::Csv => Box::new(crate::csv_out::CsvOut::new(to)),
        OutputFormat::Sarif => Box::new(crate::sarif::SarifOut::new(to)),
        OutputFormat::Markdown => Box::new(crate::markdown::MarkdownOut::new(to)),
        OutputFormat::Html => Box::new(crate::html::HtmlOut::new(to)),
        OutputFormat::Cyclonedx => Box::new(crate::cyclonedx::CyclonedxOut::new(to)),
    }
}

/// Writes a set of reports in input order; the sink of a screening.
pub struct Streams<'a> {
    outs: Vec<Box<dyn FormatOut + 'a>>,
}

/// The encoder and the writers for a set of reports of a screening on `as_of`.
pub fn streams(outputs: Vec<Output<'_>>, as_of: Date) -> (Encoder, Streams<'_>) {
    let formats = outputs.iter().map(|o| (o.format, o.opts)).collect();
    let outs = outputs.into_iter().map(writer).collect();
    (
        Encoder {
            formats,
            as_of,
            last_len: AtomicUsize::new(0),
        },
        Streams { outs },
    )
}

impl Sink<Piece> for Streams<'_> {
    fn begin(&mut self, h: &Header) -> io::Result<()> {
        self.outs.iter_mut().try_for_each(|o| o.begin(h))
    }

    fn component(&mut self, v: Verdict, p: Piece) -> io::Result<()> {
        let mut rest = p.bytes.as_slice();
        for o in &mut self.outs {
            let chunk = take_bytes(&mut rest).ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    "a component's encoding is cut short",
                )
            })?;
            o.component(v, chunk)?;
        }
        Ok(())
    }

    fn input(&mut self, s: Summary) -> io::Result<()> {
        self.outs.iter_mut().try_for_each(|o| o.input(&s))
    }

    fn skipped(&mut self, f: SkippedFile) -> io::Result<()> {
        self.outs.iter_mut().try_for_each(|o| o.skipped(&f))
    }

    fn end(&mut self, end: &End) -> io::Result<()> {
        self.outs.iter_mut().try_for_each(|o| o.end(end))
    }
}

/// A destination that keeps what is written, for rendering into a string.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Renders an outcome held in memory through the streaming writer.
pub(crate) fn replay(
    format: OutputFormat,
    opts: RenderOptions,
    o: &Outcome,
) -> Result<String, RenderError> {
    let buf = Buffer::default();
    let out = Output {
        format,
        opts,
        to: Box::new(buf.clone()),
        profile_assumed: false,
    };
    let (enc, mut sink) = streams(vec![out], o.as_of);
    sink.begin(&o.header())?;
    for s in &o.components {
        sink.component(s.verdict, enc.encode(s.clone()))?;
    }
    for i in &o.inputs {
        sink.input(i.clone())?;
    }
    for f in &o.skipped_files {
        sink.skipped(f.clone())?;
    }
    sink.end(&o.end())?;
    drop(sink);
    let bytes = std::mem::take(&mut *buf.0.lock().unwrap_or_else(|e| e.into_inner()));
    String::from_utf8(bytes)
        .map_err(|e| RenderError::Io(io::Error::new(io::ErrorKind::InvalidData, e)))
}
