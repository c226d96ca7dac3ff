//! A gzip stream read under the decompression limits, with errors that say
//! where in the stream they happened.

use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;

use flate2::read::MultiGzDecoder;
use supplyscreen_ingest::InputLimits;

use super::{Counted, Reported};

/// Set once the stream failed, shared with the archive reading it (which
/// then stops instead of reporting the same failure again).
#[derive(Clone, Default)]
pub(super) struct Failure(Rc<Cell<bool>>);

impl Failure {
    /// True once the stream failed.
    pub(super) fn seen(&self) -> bool {
        self.0.get()
    }
}

/// A decompressed stream that fails at a corrupt or cut gzip stream and at
/// the limits.
pub(super) struct Guarded<'r> {
    decoder: MultiGzDecoder<Counted<'r>>,
    compressed: Rc<Cell<u64>>,
    out: u64,
    limits: InputLimits,
    failure: Failure,
    message: Option<String>,
}

impl<'r> Guarded<'r> {
    /// Decompresses every gzip member of `inner` in turn.
    pub(super) fn gzip(inner: &'r mut dyn Read, limits: &InputLimits, failure: Failure) -> Self {
        let compressed = Rc::new(Cell::new(0));
        let counted = Counted {
            inner,
            count: compressed.clone(),
        };
        Self {
            decoder: MultiGzDecoder::new(counted),
            compressed,
            out: 0,
            limits: *limits,
            failure,
            message: None,
        }
    }

    /// Why the bytes so far break a limit, if they do.
    fn over_limit(&self) -> Option<String> {
        let max = self.limits.max_input_size;
        if self.out > max.0 {
            return Some(format!(
                "decompresses to more than {max} bytes (--max-input-size {max}); refused as a possible decompression bomb"
            ));
        }
        let ratio = u64::from(self.limits.max_expansion);
        let inn = self.compressed.get().max(1);
        (self.out > InputLimits::RATIO_FLOOR && self.out > inn.saturating_mul(ratio)).then(|| {
            format!(
                "expands more than {ratio} times ({} bytes from the first {inn} compressed; --max-expansion {ratio}); refused as a possible decompression bomb",
                self.out
            )
        })
    }

    fn fail(&mut self, kind: io::ErrorKind, message: String) -> io::Error {
        self.failure.0.set(true);
        self.message = Some(message.clone());
        io::Error::new(kind, message)
    }
}

impl Read for Guarded<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(message) = &self.message {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                Reported(message.clone()),
            ));
        }
        match self.decoder.read(buf) {
            Ok(n) => {
                self.out += n as u64;
                match self.over_limit() {
                    Some(message) => Err(self.fail(io::ErrorKind::InvalidData, message)),
                    None => Ok(n),
                }
            }
            Err(e) => {
                let message = format!(
                    "gzip stream: {} (near compressed byte offset {}, after {} decompressed bytes)",
                    gzip_error(&e),
                    self.compressed.get(),
                    self.out
                );
                Err(self.fail(e.kind(), message))
            }
        }
    }
}

/// The decoder's message, said plainly for a stream cut short.
fn gzip_error(e: &io::Error) -> String {
    if e.kind() == io::ErrorKind::UnexpectedEof {
        "cut short (the compressed data ends before its end marker and checksum)".to_owned()
    } else {
        e.to_string()
    }
}
