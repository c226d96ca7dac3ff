//! Screening on several threads with output in input order.
//!
//! Each job (a group of up to eight consecutive files, a stream, or a small
//! archive member) gets a slot: a queue its worker fills with events while
//! the writing thread empties the slots one after the other, in input
//! order. The slot being emptied is bounded (its worker waits when it runs
//! ahead); the slots of later inputs keep their components in memory up to
//! a budget shared by all, then set them aside in one temporary file, so a
//! slow input does not hold up the others and memory stays bounded. Files are opened by the worker that reads them,
//! so at most one per worker is open at a time.

use std::collections::VecDeque;
use std::fs::File;
use std::io;
use std::iter::Peekable;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::Scope;
use supplyscreen_policy::WaiverLedger;

use crate::slot::{Done, Entry, Slot, SpillFile};
use crate::stream::{Encode, Sink, Totals};
use crate::unit::{Emit, Event, Judge, Reader, refuse};
use crate::{FileSkip, Input, Progress, Source};

/// Components of the slot being written that a worker may run ahead by.
const HEAD_CAP: usize = 1024;
/// Files read one after the other by one job (small files are the common
/// case: a job per file would wake the writing thread for each).
const GROUP: usize = 8;
/// Jobs started ahead of the one being written.
const WINDOW: usize = 65_536;
/// Bytes of encoded components kept in memory for inputs not yet written.
pub(crate) const BUDGET: usize = 64 << 20;
/// Bytes of archive members handed to other workers and not yet judged.
const MEMBER_BUDGET: usize = 64 << 20;

/// What the workers and the writing thread share.
pub(crate) struct Engine<'a, E: Encode> {
    pub judge: Judge<'a, E>,
    pub waivers: usize,
    pub jobs: usize,
    /// Bytes of components of inputs not yet written kept in memory.
    pub budget: usize,
    held: AtomicUsize,
    in_flight: AtomicUsize,
    abort: AtomicBool,
    spill: SpillFile,
    ledger: Mutex<WaiverLedger>,
}

/// An input in the window: being read by a worker, or to read on the
/// writing thread (a stream that cannot move between threads).
enum Unit<I> {
    Slot(String, Arc<Slot<I>>),
    Here(Input),
}

/// The writing thread's state.
struct Writer<'w, S> {
    sink: &'w mut S,
    totals: Totals,
    files: usize,
    inputs: usize,
    progress: &'w mut dyn FnMut(Progress<'_>),
}

impl<'a, E: Encode> Engine<'a, E> {
    pub(crate) fn new(judge: Judge<'a, E>, waivers: usize, jobs: usize) -> Self {
        Self {
            judge,
            waivers,
            jobs: jobs.max(1),
            budget: BUDGET,
            held: AtomicUsize::new(0),
            in_flight: AtomicUsize::new(0),
            abort: AtomicBool::new(false),
            spill: SpillFile::default(),
            ledger: Mutex::new(WaiverLedger::new(waivers)),
        }
    }

    fn aborted(&self) -> bool {
        self.abort.load(Ordering::Relaxed)
    }

    fn merge(&self, l: &WaiverLedger) {
        let mut total = self.ledger.lock().unwrap_or_else(|e| e.into_inner());
        for (t, u) in total.used.iter_mut().zip(&l.used) {
            *t += u;
        }
        for (t, u) in total.expired_matches.iter_mut().zip(&l.expired_matches) {
            *t += u;
        }
    }

    /// Reads every input on the pool and hands the events to `sink` in
    /// input order; gives the waivers' use (summed over workers) and the totals.
    pub(crate) fn run<S: Sink<E::Item>>(
        &self,
        inputs: Vec<Input>,
        sink: &mut S,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> io::Result<(WaiverLedger, Totals)> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.jobs)
            .thread_name(|i| format!("supplyscreen-{i}"))
            .build()
            .map_err(io::Error::other)?;
        let inputs_total = inputs.len();
        let mut w = Writer {
            sink,
            totals: Totals::default(),
            files: 0,
            inputs: inputs_total,
            progress,
        };
        let result = pool.in_place_scope(|s| {
            let r = self.write_all(s, inputs, &mut w);
            if r.is_err() {
                self.abort.store(true, Ordering::Relaxed);
            }
            r
        });
        result?;
        let ledger = std::mem::replace(
            &mut *self.ledger.lock().unwrap_or_else(|e| e.into_inner()),
            WaiverLedger::new(0),
        );
        w.totals.close();
        Ok((ledger, w.totals))
    }

    fn write_all<'s, S: Sink<E::Item>>(
        &'s self,
        s: &Scope<'s>,
        inputs: Vec<Input>,
        w: &mut Writer<'_, S>,
    ) -> io::Result<()> {
        let mut pending: VecDeque<Unit<E::Item>> = VecDeque::new();
        let mut rest = inputs.into_iter().peekable();
        loop {
            while pending.len() < WINDOW {
                let Some(input) = rest.next() else { break };
                pending.push_back(self.start(s, input, &mut rest));
            }
            let Some(unit) = pending.pop_front() else {
                return Ok(());
            };
            let display = match unit {
                Unit::Slot(display, slot) => {
                    self.drain(&slot, w)?;
                    display
                }
                Unit::Here(input) => self.here(input, w)?,
            };
            (w.progress)(Progress {
                files: w.files,
                inputs: w.inputs,
                components: w.totals.components(),
                current: &display,
            });
        }
    }

    /// Starts reading an input on the pool when it can move there; a file
    /// takes the files right after it along, up to [`GROUP`], into one job.
    fn start<'s>(
        &'s self,
        s: &Scope<'s>,
        input: Input,
        rest: &mut Peekable<impl Iterator<Item = Input>>,
    ) -> Unit<E::Item> {
        let Input {
            display,
            source,
            from_dir,
        } = input;
        match source {
            Source::Path(path) => {
                let mut files = vec![(display, path, from_dir)];
                while files.len() < GROUP {
                    let is_file = |i: &Input| matches!(i.source, Source::Path(_));
                    let Some(Input {
                        display,
                        source: Source::Path(path),
                        from_dir,
                    }) = rest.next_if(is_file)
                    else {
                        break;
                    };
                    files.push((display, path, from_dir));
                }
                let shown = files.last().map(|f| f.0.clone()).unwrap_or_default();
                let slot = Slot::new();
                let job = slot.clone();
                s.spawn(move |s| self.read_paths(s, job, files));
                Unit::Slot(shown, slot)
            }
            Source::Refused(reason, detail) => {
                let slot = Slot::new();
                let error = !from_dir || reason.fails_screening();
                let mut emit = SlotEmit {
                    engine: self,
                    slot: slot.clone(),
                    scope: s,
                };
                refuse(&mut emit, &display, reason, detail, error);
                drop(Done(slot.clone()));
                Unit::Slot(display, slot)
            }
            source => Unit::Here(Input {
                display,
                source,
                from_dir,
            }),
        }
    }

    /// A worker's job: consecutive files, one after the other into one slot
    /// (one wake of the writing thread for the group, not one per file).
    fn read_paths<'s>(
        &'s self,
        s: &Scope<'s>,
        slot: Arc<Slot<E::Item>>,
        files: Vec<(String, PathBuf, bool)>,
    ) {
        let _done = Done(slot.clone());
        for (display, path, from_dir) in files {
            if self.aborted() {
                return;
            }
            self.read_path(s, &slot, &display, path, from_dir);
        }
    }

    /// Reads one file, opened here and closed when read.
    fn read_path<'s>(
        &'s self,
        s: &Scope<'s>,
        slot: &Arc<Slot<E::Item>>,
        display: &str,
        path: PathBuf,
        from_dir: bool,
    ) {
        let mut reader = Reader::new(&self.judge, self.waivers);
        reader.from_dir = from_dir;
        let mut emit = SlotEmit {
            engine: self,
            slot: slot.clone(),
            scope: s,
        };
        match open(&path) {
            Ok(input) => reader.stream(display, input, &mut emit),
            Err(e) => refuse(&mut emit, display, FileSkip::Unreadable, e, true),
        }
        self.merge(&reader.ledger);
    }

    /// A worker's job: one archive member, read whole by the archive's worker.
    fn read_member<'s>(
        &'s self,
        s: &Scope<'s>,
        slot: Arc<Slot<E::Item>>,
        display: &str,
        bytes: Vec<u8>,
    ) {
        let _done = Done(slot.clone());
        let len = bytes.len();
        if !self.aborted() {
            let mut reader = Reader::new(&self.judge, self.waivers);
            let mut emit = SlotEmit {
                engine: self,
                slot,
                scope: s,
            };
            reader.file(display, io::Cursor::new(bytes), true, &mut emit);
            self.merge(&reader.ledger);
        }
        self.in_flight.fetch_sub(len, Ordering::Relaxed);
    }

    /// Reads a stream input on the writing thread, its events written at once.
    fn here<S: Sink<E::Item>>(&self, input: Input, w: &mut Writer<'_, S>) -> io::Result<String> {
        let mut reader = Reader::new(&self.judge, self.waivers);
        reader.from_dir = input.from_dir;
        let mut emit = Direct {
            engine: self,
            w,
            error: None,
        };
        match input.source {
            Source::Archive(r) => reader.stream(&input.display, r, &mut emit),
            Source::Reader(r) => reader.stream(&input.display, r, &mut emit),
            Source::Path(_) | Source::Refused(..) => {}
        }
        self.merge(&reader.ledger);
        match emit.error {
            Some(e) => Err(e),
            None => Ok(input.display),
        }
    }

    /// Writes a slot's events as they come, until its job is done.
    fn drain<S: Sink<E::Item>>(
        &self,
        slot: &Slot<E::Item>,
        w: &mut Writer<'_, S>,
    ) -> io::Result<()> {
        loop {
            let (entry, wake) = {
                let mut g = slot.lock();
                g.draining = true;
                let entry = loop {
                    if let Some(e) = g.queue.pop_front() {
                        break Some(e);
                    }
                    if g.done {
                        break None;
                    }
                    g.writer_waiting = true;
                    g = slot.wait(g);
                    g.writer_waiting = false;
                };
                (entry, g.worker_waiting)
            };
            if wake {
                slot.cv.notify_all();
            }
            let Some(entry) = entry else { return Ok(()) };
            let r = match entry {
                Entry::Child(child) => self.drain(&child, w),
                entry => self.deliver(entry, w),
            };
            if r.is_err() {
                self.abort.store(true, Ordering::Relaxed);
                slot.cv.notify_all();
                return r;
            }
        }
    }

    fn deliver<S: Sink<E::Item>>(
        &self,
        entry: Entry<E::Item>,
        w: &mut Writer<'_, S>,
    ) -> io::Result<()> {
        match entry {
            Entry::Event(Event::Component(v, item)) => {
                self.held
                    .fetch_sub(self.judge.enc.weight(&item), Ordering::Relaxed);
                w.totals.component(v);
                w.sink.component(v, item)
            }
            Entry::Spilled(v, at, len) => {
                let bytes = self.spill.get(at, len)?;
                let item = self.judge.enc.restore(bytes).ok_or_else(|| {
                    io::Error::new(
                        io::ErrorKind::InvalidData,
                        "a set-aside component is damaged",
                    )
                })?;
                w.totals.component(v);
                w.sink.component(v, item)
            }
            Entry::Event(Event::Summary(s)) => {
                w.totals.input(&s);
                w.sink.input(s)
            }
            Entry::Event(Event::Skipped(f)) => {
                w.totals.skipped(&f);
                w.sink.skipped(f)
            }
            Entry::Event(Event::Read(current)) => {
                w.files += 1;
                (w.progress)(Progress {
                    files: w.files,
                    inputs: w.inputs,
                    components: w.totals.components(),
                    current: &current,
                });
                Ok(())
            }
            Entry::Child(_) => Ok(()),
        }
    }
}

/// Files up to this size are read with one system call and judged from memory.
const WHOLE_FILE_MAX: u64 = 4 << 20;

/// Opens an input file: a small regular file is read whole at once (the
/// format and archive sniffing would otherwise read it in several small
/// pieces), anything else is streamed.
fn open(path: &std::path::Path) -> io::Result<Box<dyn io::Read>> {
    let mut file = File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() || meta.len() > WHOLE_FILE_MAX {
        return Ok(Box::new(file));
    }
    // One byte more than the size, so that the end is seen at once; a
    // file that grew while being read is read on to its end.
    let len = meta.len();
    let mut bytes = Vec::with_capacity(len as usize + 1);
    io::Read::read_to_end(&mut io::Read::take(&mut file, len + 1), &mut bytes)?;
    if bytes.len() as u64 > len {
        io::Read::read_to_end(&mut file, &mut bytes)?;
    }
    Ok(Box::new(io::Cursor::new(bytes)))
}

/// Events of a job on the pool, into its slot.
struct SlotEmit<'e, 's, 'a, E: Encode> {
    engine: &'s Engine<'a, E>,
    slot: Arc<Slot<E::Item>>,
    scope: &'e Scope<'s>,
}

impl<E: Encode> Emit<E::Item> for SlotEmit<'_, '_, '_, E> {
    fn emit(&mut self, e: Event<E::Item>) {
        let eng = self.engine;
        let Event::Component(v, item) = e else {
            return self.slot.push(Entry::Event(e));
        };
        let mut g = self.slot.lock();
        while g.draining && g.queue.len() >= HEAD_CAP && !eng.aborted() {
            g.worker_waiting = true;
            g = self.slot.wait(g);
            g.worker_waiting = false;
        }
        if eng.aborted() {
            return;
        }
        let weight = eng.judge.enc.weight(&item);
        let over = eng.held.load(Ordering::Relaxed) + weight > eng.budget;
        let entry = match (!g.draining && over)
            .then(|| eng.set_aside(&item))
            .flatten()
        {
            Some((at, len)) => Entry::Spilled(v, at, len),
            None => {
                eng.held.fetch_add(weight, Ordering::Relaxed);
                Entry::Event(Event::Component(v, item))
            }
        };
        g.queue.push_back(entry);
        self.slot.release(g, false);
    }

    fn hand_off(&mut self, display: String, bytes: Vec<u8>) -> Option<(String, Vec<u8>)> {
        let eng = self.engine;
        let len = bytes.len();
        if eng.jobs < 2 || eng.in_flight.load(Ordering::Relaxed) + len > MEMBER_BUDGET {
            return Some((display, bytes));
        }
        eng.in_flight.fetch_add(len, Ordering::Relaxed);
        let child = Slot::new();
        self.slot.push(Entry::Child(child.clone()));
        self.scope
            .spawn(move |s| eng.read_member(s, child, &display, bytes));
        None
    }

    fn aborted(&self) -> bool {
        self.engine.aborted()
    }
}

impl<E: Encode> Engine<'_, E> {
    /// Sets a component aside on disk: its offset and length, or `None`
    /// when it cannot be (it is then kept in memory).
    fn set_aside(&self, item: &E::Item) -> Option<(u64, usize)> {
        let mut bytes = Vec::new();
        if !self.judge.enc.spill(item, &mut bytes) {
            return None;
        }
        let at = self.spill.put(&bytes).ok()?;
        Some((at, bytes.len()))
    }
}

/// Events of an input read on the writing thread, written at once.
struct Direct<'e, 'w, 'a, E: Encode, S> {
    engine: &'e Engine<'a, E>,
    w: &'e mut Writer<'w, S>,
    error: Option<io::Error>,
}

impl<E: Encode, S: Sink<E::Item>> Emit<E::Item> for Direct<'_, '_, '_, E, S> {
    fn emit(&mut self, e: Event<E::Item>) {
        if self.error.is_some() {
            return;
        }
        if let Event::Component(_, item) = &e {
            // `deliver` takes back what an item weighs.
            self.engine
                .held
                .fetch_add(self.engine.judge.enc.weight(item), Ordering::Relaxed);
        }
        if let Err(err) = self.engine.deliver(Entry::Event(e), self.w) {
            self.error = Some(err);
        }
    }

    fn hand_off(&mut self, display: String, bytes: Vec<u8>) -> Option<(String, Vec<u8>)> {
        Some((display, bytes))
    }

    fn aborted(&self) -> bool {
        self.error.is_some()
    }
}
