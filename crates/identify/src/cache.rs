//! Identification results kept for reuse: a fleet holds the same parts many
//! times over (eight identical modules in a server, one server model in a
//! thousand racks), and identifying a component depends only on its
//! identifying fields, so the result for the same fields is looked up
//! instead of worked out again.

use std::collections::HashMap;

use supplyscreen_model::{Component, FieldRole};

use crate::{Identification, Matcher};

/// Distinct field sets kept before the cache starts afresh.
const CAPACITY: usize = 4096;

/// Identifications by the fields they were worked out from; one per thread
/// (it is not shared), valid for the one [`Matcher`] it is used with.
#[derive(Debug, Default)]
pub struct IdentifyCache {
    results: HashMap<Vec<u8>, Identification>,
    key: Vec<u8>,
    hits: u64,
}

impl IdentifyCache {
    /// How many identifications were answered from the cache.
    pub fn hits(&self) -> u64 {
        self.hits
    }
}

/// Writes the fields [`Matcher::identify`] reads (every field but suppliers,
/// `Other` fields and empty values), in order, as the cache key. `0xFF`
/// never occurs in UTF-8, so it separates the parts unambiguously.
fn key_of(c: &Component, key: &mut Vec<u8>) {
    key.clear();
    for f in &c.fields {
        if f.value.is_empty() || matches!(f.role, FieldRole::Supplier | FieldRole::Other) {
            continue;
        }
        key.push(f.role as u8);
        key.extend_from_slice(f.name.as_bytes());
        key.push(0xFF);
        key.extend_from_slice(f.value.as_bytes());
        key.push(0xFF);
    }
}

impl Matcher {
    /// [`Matcher::identify`], answered from `cache` when a component with
    /// the same identifying fields was identified before.
    pub fn identify_cached(&self, c: &Component, cache: &mut IdentifyCache) -> Identification {
        key_of(c, &mut cache.key);
        if let Some(known) = cache.results.get(cache.key.as_slice()) {
            cache.hits += 1;
            return known.clone();
        }
        let found = self.identify(c);
        if cache.results.len() >= CAPACITY {
            cache.results.clear();
        }
        cache.results.insert(cache.key.clone(), found.clone());
        found
    }
}
