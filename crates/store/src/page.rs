//! Pagination of listings.

use serde::{Deserialize, Serialize};

/// The largest page a listing returns.
pub const MAX_PAGE: u32 = 1000;

/// Which slice of a listing to return, newest first unless a listing says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRequest {
    /// At most this many items (1..=[`MAX_PAGE`]; larger values are capped).
    pub limit: u32,
    /// Items to skip.
    pub offset: u64,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            limit: 100,
            offset: 0,
        }
    }
}

impl PageRequest {
    /// The limit actually applied (at least 1, at most [`MAX_PAGE`]).
    pub fn effective_limit(&self) -> u32 {
        self.limit.clamp(1, MAX_PAGE)
    }
}

/// One page of a listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The items.
    pub items: Vec<T>,
    /// How many items the whole listing has.
    pub total: u64,
    /// The request for the next page, when there is one.
    pub next: Option<PageRequest>,
}

impl<T> Page<T> {
    /// Builds a page and its `next` link from the request, the items and the total.
    pub fn new(req: PageRequest, items: Vec<T>, total: u64) -> Self {
        let end = req.offset + items.len() as u64;
        let next = (end < total && !items.is_empty()).then_some(PageRequest {
            limit: req.effective_limit(),
            offset: end,
        });
        Self { items, total, next }
    }
}
