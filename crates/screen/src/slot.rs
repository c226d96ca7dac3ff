//! The ordered queues of the engine: one slot per input (or archive member
//! judged apart), filled by its worker and emptied in input order, and the
//! temporary file components of later inputs are set aside in.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use supplyscreen_model::Verdict;

use crate::unit::Event;

/// Entries queued before a waiting writer is woken (fewer thread switches;
/// the end of a job wakes it whatever the count).
const WAKE_BATCH: usize = 64;

/// What a slot holds, in order.
pub(crate) enum Entry<I> {
    /// An event as its worker gave it.
    Event(Event<I>),
    /// A component set aside on disk: its verdict, offset and length.
    Spilled(Verdict, u64, usize),
    /// An archive member judged by another worker.
    Child(Arc<Slot<I>>),
}

/// A slot's queue and where its job and the writer stand.
pub(crate) struct State<I> {
    /// Entries not yet written.
    pub queue: VecDeque<Entry<I>>,
    /// The job has ended: nothing more will come.
    pub done: bool,
    /// The writing thread is emptying this slot.
    pub draining: bool,
    /// The writing thread waits for entries (it is woken by a batch of
    /// components, or at once by any other event).
    pub writer_waiting: bool,
    /// The worker waits for room in the queue.
    pub worker_waiting: bool,
}

pub(crate) struct Slot<I> {
    state: Mutex<State<I>>,
    /// Signalled on every change.
    pub cv: Condvar,
}

impl<I> Slot<I> {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::new(State {
                queue: VecDeque::new(),
                done: false,
                draining: false,
                writer_waiting: false,
                worker_waiting: false,
            }),
            cv: Condvar::new(),
        })
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State<I>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn wait<'g>(&self, g: MutexGuard<'g, State<I>>) -> MutexGuard<'g, State<I>> {
        self.cv.wait(g).unwrap_or_else(|e| e.into_inner())
    }

    /// Queues an entry. The writing thread, when it waits, is woken for an
    /// archive member to drain or a batch of entries, else when the job ends
    /// (a notification is a system call even when nobody listens, and each
    /// wake a thread switch).
    pub(crate) fn push(&self, e: Entry<I>) {
        let child = matches!(e, Entry::Child(_));
        let mut g = self.lock();
        g.queue.push_back(e);
        self.release(g, child);
    }

    /// Unlocks the slot after a worker's change, waking the waiting writer
    /// when `now` or when a batch of entries is queued.
    pub(crate) fn release(&self, g: MutexGuard<'_, State<I>>, now: bool) {
        let wake = g.writer_waiting && (now || g.queue.len() >= WAKE_BATCH);
        drop(g);
        if wake {
            self.cv.notify_all();
        }
    }
}

/// Marks a slot finished when its job ends, even by a panic.
pub(crate) struct Done<I>(pub Arc<Slot<I>>);

impl<I> Drop for Done<I> {
    fn drop(&mut self) {
        let mut g = self.0.lock();
        g.done = true;
        self.0.release(g, true);
    }
}

/// Components set aside on disk, in one temporary file.
#[derive(Default)]
pub(crate) struct SpillFile(Mutex<Option<(File, u64)>>);

impl SpillFile {
    pub(crate) fn put(&self, bytes: &[u8]) -> io::Result<u64> {
        let mut g = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if g.is_none() {
            *g = Some((tempfile::tempfile()?, 0));
        }
        let (file, end) = g
            .as_mut()
            .ok_or_else(|| io::Error::other("no spill file"))?;
        file.seek(SeekFrom::Start(*end))?;
        file.write_all(bytes)?;
        let at = *end;
        *end += bytes.len() as u64;
        Ok(at)
    }

    pub(crate) fn get(&self, at: u64, len: usize) -> io::Result<Vec<u8>> {
        let mut g = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let (file, _) = g
            .as_mut()
            .ok_or_else(|| io::Error::other("no spill file"))?;
        file.seek(SeekFrom::Start(at))?;
        let mut bytes = vec![0; len];
        file.read_exact(&mut bytes)?;
        Ok(bytes)
    }
}
