//! The column mappings of the header lists that screen requests use, kept
//! across requests: mapping a header (Unicode normalisation, synonym
//! lookup) costs more than reading a line, and integrators send the same
//! few header lists again and again. Bounded: when full, the cache starts
//! over, so headers sent once cannot make it grow.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex, PoisonError};

use supplyscreen_screen::{Columns, ReadOptions};

/// How many header lists are kept.
pub const CAPACITY: usize = 1024;

/// One header list and its mapping.
struct Entry {
    header: Vec<String>,
    columns: Arc<Columns>,
}

/// Header list to column mapping, for one set of read options.
pub struct ColumnCache {
    options: ReadOptions,
    hasher: RandomState,
    /// By the hash of the header list; an entry is used only when its header
    /// list is equal (a collision is a miss, never a wrong mapping).
    entries: Mutex<HashMap<u64, Entry>>,
}

impl ColumnCache {
    /// An empty cache mapping headers under `options`.
    pub fn new(options: ReadOptions) -> Self {
        Self {
            options,
            hasher: RandomState::new(),
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The options headers are mapped under.
    pub fn options(&self) -> &ReadOptions {
        &self.options
    }

    /// The mapping of `header`, from the cache or mapped now.
    pub fn get(&self, header: &[&str]) -> Arc<Columns> {
        let key = self.hasher.hash_one(header);
        if let Some(e) = self.lock().get(&key)
            && e.header
                .iter()
                .map(String::as_str)
                .eq(header.iter().copied())
        {
            return Arc::clone(&e.columns);
        }
        // Mapped outside the lock: another thread may map the same header
        // meanwhile; both results are the same.
        let columns = Arc::new(Columns::new(header, &self.options));
        let mut entries = self.lock();
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(
            key,
            Entry {
                header: header.iter().map(|h| (*h).to_owned()).collect(),
                columns: Arc::clone(&columns),
            },
        );
        columns
    }

    /// Header lists kept.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// True when nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Entry>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_is_mapped_once_and_the_cache_stays_bounded() {
        let cache = ColumnCache::new(ReadOptions::default());
        let a = cache.get(&["Vendor", "Mfr Part #"]);
        let b = cache.get(&["Vendor", "Mfr Part #"]);
        assert!(Arc::ptr_eq(&a, &b));
        let c = cache.get(&["Mfr Part #", "Vendor"]);
        assert!(
            !Arc::ptr_eq(&a, &c),
            "the order of the columns is part of the key"
        );
        assert_eq!(cache.len(), 2);
        for i in 0..CAPACITY + 10 {
            let h = format!("Column {i}");
            cache.get(&["Vendor", &h]);
        }
        assert!(cache.len() <= CAPACITY);
    }
}
