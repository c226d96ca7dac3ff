//! Reading one input: a file, a stream or an archive, each component
//! identified and judged as soon as it is read and handed on as an event.

use std::io::{self, Cursor, Read};
use std::sync::{Mutex, MutexGuard};

use supplyscreen_identify::IdentifyCache;
use supplyscreen_ingest::{IngestError, ReadOptions, Summary};
use supplyscreen_model::{Component, ComponentId, FieldRole, Verdict};
use supplyscreen_policy::{Context, Parties, WaiverLedger, evaluate_parties};

use crate::stream::Encode;
use crate::{FileSkip, Screened, Screener, SkippedFile};

/// Archive members up to this size are read whole and may be judged by
/// another worker; larger ones are judged by the worker reading the archive.
pub(crate) const MEMBER_HAND_OFF_MAX: u64 = 4 << 20;

/// What reading an input produces, in order.
pub(crate) enum Event<I> {
    /// A judged component, encoded, with its worst verdict.
    Component(Verdict, I),
    /// An input read (one file or archive member).
    Summary(Summary),
    /// A file not screened.
    Skipped(SkippedFile),
    /// A file (or member) was read: for progress.
    Read(String),
}

/// Where the events of one input go.
pub(crate) trait Emit<I> {
    /// Hands one event on.
    fn emit(&mut self, e: Event<I>);
    /// Hands an archive member's bytes to another worker, its events coming
    /// in order at this point; gives them back when it cannot.
    fn hand_off(&mut self, display: String, bytes: Vec<u8>) -> Option<(String, Vec<u8>)>;
    /// True once the screening is being abandoned (the output failed).
    fn aborted(&self) -> bool;
}

/// What every reader shares: the screener, the context, the encoder and
/// the identification caches.
pub(crate) struct Judge<'a, E> {
    pub screener: &'a Screener,
    pub cx: &'a Context<'a>,
    pub read: &'a ReadOptions,
    pub enc: &'a E,
    pub caches: Caches,
}

/// One identification cache per thread of the pool (and one for the
/// writing thread), so that none is ever waited for.
pub(crate) struct Caches(Vec<Mutex<IdentifyCache>>);

impl Caches {
    /// Caches for a pool of `threads` (and the thread outside it).
    pub(crate) fn new(threads: usize) -> Self {
        Self((0..=threads).map(|_| Mutex::default()).collect())
    }

    /// The calling thread's cache.
    fn mine(&self) -> MutexGuard<'_, IdentifyCache> {
        let last = self.0.len() - 1;
        let i = rayon::current_thread_index().map_or(last, |i| i.min(last));
        self.0[i].lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Reads inputs for one worker, with its own waiver ledger.
pub(crate) struct Reader<'j, 'a, E> {
    judge: &'j Judge<'a, E>,
    /// Waivers used by what this reader judged.
    pub ledger: WaiverLedger,
    /// The input being read was found in a directory (not named by the user).
    pub from_dir: bool,
}

impl<'j, 'a, E: Encode> Reader<'j, 'a, E> {
    pub(crate) fn new(judge: &'j Judge<'a, E>, waivers: usize) -> Self {
        Self {
            judge,
            ledger: WaiverLedger::new(waivers),
            from_dir: false,
        }
    }

    /// Identifies and judges one component.
    pub(crate) fn component(&mut self, c: Component) -> (Verdict, E::Item) {
        let id = ComponentId::of(&c);
        let named = |role: FieldRole| {
            c.fields
                .iter()
                .any(|f| f.role == role && !f.value.is_empty())
        };
        let (has_maker, has_supplier) = (named(FieldRole::Maker), named(FieldRole::Supplier));
        let matcher = &self.judge.screener.matcher;
        // A supplier column alone is taken for the maker too (and the finding says so).
        let maker_assumed = has_supplier && !has_maker;
        let identification = {
            let mut cache = self.judge.caches.mine();
            if maker_assumed {
                matcher.identify_cached(&supplier_as_maker(&c, true), &mut cache)
            } else {
                matcher.identify_cached(&c, &mut cache)
            }
        };
        let supplier = has_supplier.then(|| matcher.identify(&supplier_as_maker(&c, false)));
        let parties = match &supplier {
            Some(s) => Parties {
                maker: identification.attribution.as_ref(),
                maker_assumed,
                supplier: s.attribution.as_ref(),
                supplier_assumed: false,
                dies: None,
            },
            None => Parties::maker_only(identification.attribution.as_ref()),
        }
        .with_dies(identification.dies.as_ref().map(|d| &d.entity));
        let findings = evaluate_parties(self.judge.cx, id, &c, &parties, &mut self.ledger);
        let supplier = supplier.filter(|_| !maker_assumed);
        let verdict = findings
            .iter()
            .map(|f| f.verdict)
            .max()
            .unwrap_or(Verdict::Clear);
        let screened = Screened {
            id,
            component: c,
            identification,
            supplier,
            findings,
            verdict,
        };
        (verdict, self.judge.enc.encode(screened))
    }

    /// Reads one file or stream: gzip decompressed, a tar archive member by
    /// member (`archive.rs` recognises both from the first bytes and reports
    /// what it cannot read), anything else as one document. Small archive
    /// members are read whole and may be judged by another worker; their
    /// events still come in order.
    pub(crate) fn stream(
        &mut self,
        display: &str,
        reader: Box<dyn Read>,
        out: &mut dyn Emit<E::Item>,
    ) {
        let limits = self.judge.read.limits;
        crate::archive::read_input(display, reader, &limits, &mut |event| match event {
            crate::archive::Event::Document {
                name,
                reader,
                in_archive,
            } => {
                if out.aborted() {
                    return;
                }
                if in_archive {
                    self.member(name, reader, out);
                } else {
                    self.file(name, reader, false, out);
                }
            }
            crate::archive::Event::Problem { name, message } => {
                refuse(out, name, FileSkip::Unreadable, message, true)
            }
        });
    }

    /// Reads one document; a member of a directory or archive in no known
    /// format is listed as not screened, a file named by the user as an error.
    pub(crate) fn file(
        &mut self,
        display: &str,
        reader: impl Read,
        from_archive: bool,
        out: &mut dyn Emit<E::Item>,
    ) {
        let options = self.judge.read;
        let result = {
            let mut sink = |c: Component| {
                if !out.aborted() {
                    let (v, item) = self.component(c);
                    out.emit(Event::Component(v, item));
                }
            };
            supplyscreen_ingest::read_with(display, reader, options, &mut sink)
        };
        match result {
            Ok(summary) => out.emit(Event::Summary(summary)),
            Err(IngestError::UnknownFormat { .. }) => {
                let error = !(from_archive || self.from_dir);
                let detail = if error {
                    format!(
                        "unknown input format (expected one of: {})",
                        supplyscreen_ingest::Format::names()
                    )
                } else {
                    "not screened by design".to_owned()
                };
                refuse(out, display, FileSkip::UnknownFormat, detail, error);
            }
            Err(e @ IngestError::TableWithoutIdentity { .. }) => {
                let full = e.to_string();
                let prefix = format!("{display}:1: ");
                let detail = full.strip_prefix(&prefix).unwrap_or(&full).to_owned();
                refuse(out, display, FileSkip::TableWithoutIdentity, detail, true);
            }
            Err(IngestError::Io { source, .. }) => {
                refuse(out, display, FileSkip::Unreadable, source, true)
            }
        }
        out.emit(Event::Read(display.to_owned()));
    }

    /// One archive member: read whole and handed to another worker when it
    /// is small, read here otherwise.
    fn member(&mut self, name: &str, reader: &mut dyn Read, out: &mut dyn Emit<E::Item>) {
        let mut bytes = Vec::new();
        match reader.take(MEMBER_HAND_OFF_MAX + 1).read_to_end(&mut bytes) {
            Ok(n) if n as u64 <= MEMBER_HAND_OFF_MAX => {
                if let Some((member, bytes)) = out.hand_off(name.to_owned(), bytes) {
                    self.file(&member, Cursor::new(bytes), true, out);
                }
            }
            Ok(_) => self.file(name, Cursor::new(bytes).chain(reader), true, out),
            // Read what came before the failure the way a reader would have.
            Err(e) => self.file(name, Cursor::new(bytes).chain(Failing(Some(e))), true, out),
        }
    }
}

/// A reader that fails once with the error it holds, then ends.
struct Failing(Option<io::Error>);

impl Read for Failing {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(0),
        }
    }
}

/// Lists a file that was not screened.
pub(crate) fn refuse<I>(
    out: &mut dyn Emit<I>,
    path: &str,
    reason: FileSkip,
    detail: impl ToString,
    error: bool,
) {
    out.emit(Event::Skipped(SkippedFile {
        path: path.to_owned(),
        reason,
        detail: detail.to_string(),
        error,
    }));
}

/// The component with its supplier fields read as maker fields: with
/// `keep_others`, every other field as well (the supplier taken for the
/// maker); without, the supplier fields alone (the counterparty).
fn supplier_as_maker(c: &Component, keep_others: bool) -> Component {
    let mut out = Component::new(c.kind, c.role, c.source.clone());
    for f in &c.fields {
        if f.role == FieldRole::Supplier {
            out.push(&f.name, &f.value, FieldRole::Maker);
        } else if keep_others {
            out.push(&f.name, &f.value, f.role);
        }
    }
    out
}
