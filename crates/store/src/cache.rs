//! The in-process cache in front of token lookups: `authenticate` runs on every request.

use crate::Principal;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long an answer is reused: a revocation made by another instance takes effect here
/// within this time.
pub(crate) const TTL: Duration = Duration::from_secs(2);
/// At most this many bearer strings are remembered; the cache is emptied when full.
const CAPACITY: usize = 4096;

/// Bearer string → (principal or refusal, when looked up).
#[derive(Default)]
pub(crate) struct AuthCache {
    entries: Mutex<HashMap<String, (Option<Principal>, Instant)>>,
}

impl AuthCache {
    /// The cached answer, when fresh.
    pub fn get(&self, bearer: &str) -> Option<Option<Principal>> {
        let entries = self.entries.lock().ok()?;
        let (answer, at) = entries.get(bearer)?;
        (at.elapsed() < TTL).then(|| answer.clone())
    }

    /// Remembers an answer.
    pub fn put(&self, bearer: &str, answer: Option<Principal>) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= CAPACITY {
                entries.clear();
            }
            entries.insert(bearer.to_owned(), (answer, Instant::now()));
        }
    }

    /// Forgets everything (after a revocation through this process).
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.clear();
        }
    }
}
