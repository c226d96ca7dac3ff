//! Copies of small archive members, so a later hard-link member can be read
//! as the file it links to (tar stores a second copy of an identical file
//! that way). Memory is bounded: members larger than [`MEMBER_MAX`] and
//! anything past [`TOTAL_MAX`] are not kept, and a link to them is a problem.

use std::collections::HashMap;

/// The largest member kept (16 MiB).
const MEMBER_MAX: u64 = 16 << 20;
/// The most kept for one archive (64 MiB).
const TOTAL_MAX: u64 = 64 << 20;

/// Member contents by normalised member name.
#[derive(Default)]
pub(super) struct LinkCache {
    kept: HashMap<String, Vec<u8>>,
    total: u64,
}

impl LinkCache {
    /// True when a member of `size` bytes may be kept.
    pub(super) fn keep(&self, size: u64) -> bool {
        size <= MEMBER_MAX && self.total.saturating_add(size) <= TOTAL_MAX
    }

    /// Keeps a member's content (when it was read whole).
    pub(super) fn insert(&mut self, name: &str, content: Option<Vec<u8>>) {
        if let Some(content) = content {
            self.total += content.len() as u64;
            self.kept.insert(normalise(name), content);
        }
    }

    /// The content of the member a hard link names.
    pub(super) fn get(&self, target: &str) -> Option<&[u8]> {
        self.kept.get(&normalise(target)).map(Vec::as_slice)
    }
}

/// `./fleet//db-01.dmi` and `fleet/db-01.dmi` name the same member.
fn normalise(name: &str) -> String {
    name.split('/')
        .filter(|part| !part.is_empty() && *part != ".")
        .collect::<Vec<_>>()
        .join("/")
}
