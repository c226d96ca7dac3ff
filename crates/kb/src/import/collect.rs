//! The organisations of a list as they are read, kept compactly for the
//! layer file: each one's fields are encoded as the layer stores them into
//! one byte arena the moment it is read, ownership edges into another, and
//! only offsets besides. Once the list is read, a later organisation of the
//! same list id replaces an earlier one, edges are resolved to positions,
//! and the records are put in id order for the writer.

use crate::layer::{Reader, Records, put_str, put_strs, put_varint, search_text};

use super::{ImportError, ListedEntity, entity_id};

/// Organisations and ownership edges as read, in reading order.
pub(crate) struct Collected {
    layer: String,
    source: String,
    /// Whether a later organisation with the same list id replaces an earlier
    /// one (FollowTheMoney), or both are kept, and then refused as the same
    /// KB id (CSL).
    replace: bool,
    /// Per organisation: its list id, then its record's fields up to the
    /// owners (KB id, provenance, names, countries, dated listings).
    arena: Vec<u8>,
    /// Where each organisation starts in `arena`.
    starts: Vec<u64>,
    /// Owner then asset list id, per edge.
    edges: Vec<u8>,
}

/// A field of an arena that a reader wrote (a bug, not a bad input).
fn field<'a>(r: &mut Reader<'a>, what: &'static str) -> &'a str {
    r.str(what).unwrap_or_default()
}

impl Collected {
    /// Nothing read yet, for layer `layer` from list file `source`.
    pub fn new(layer: &str, source: &str, replace: bool) -> Self {
        Self {
            layer: layer.to_owned(),
            source: source.to_owned(),
            replace,
            arena: Vec::new(),
            starts: Vec::new(),
            edges: Vec::new(),
        }
    }

    /// The list file's name, as the layer records it.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Keeps an organisation.
    pub fn add(&mut self, e: &ListedEntity) {
        self.starts.push(self.arena.len() as u64);
        let out = &mut self.arena;
        put_str(out, &e.source_id);
        put_str(out, &entity_id(&self.layer, &e.source_id));
        put_str(out, &format!("{} ({})", self.source, e.source_id));
        let clean = |s: &str| s.replace(['\n', '\r'], " ");
        let names: Vec<String> = std::iter::once(&e.name)
            .chain(&e.aliases)
            .map(|n| clean(n))
            .collect();
        put_strs(out, names.iter().map(String::as_str));
        put_strs(out, e.countries.iter().map(String::as_str));
        let dated: Vec<(&str, &str)> = e
            .listings
            .iter()
            .filter_map(|(l, f)| Some((l.as_str(), f.as_deref().filter(|d| d.len() == 10)?)))
            .collect();
        put_varint(out, dated.len() as u64);
        for (list, from) in dated {
            put_str(out, list);
            put_str(out, from);
        }
    }

    /// Keeps an ownership edge, by list ids.
    pub fn add_edge(&mut self, owner: &str, asset: &str) {
        put_str(&mut self.edges, owner);
        put_str(&mut self.edges, asset);
    }

    fn entry(&self, k: u32) -> &[u8] {
        let k = k as usize;
        let start = self.starts[k] as usize;
        let end = self
            .starts
            .get(k + 1)
            .map_or(self.arena.len(), |&e| e as usize);
        &self.arena[start..end]
    }

    /// The list id of organisation `k`, and where its record fields start.
    fn source_id(&self, k: u32) -> (&str, usize) {
        let entry = self.entry(k);
        let mut r = Reader::new(entry, 0);
        (field(&mut r, "list id"), r.pos())
    }

    /// The KB id of organisation `k`.
    fn kb_id(&self, k: u32) -> &str {
        let entry = self.entry(k);
        let mut r = Reader::new(entry, self.source_id(k).1);
        field(&mut r, "id")
    }

    /// The organisations that stay, with their list ids, ordered by list id.
    fn by_source(&self) -> Vec<(&str, u32)> {
        let mut all: Vec<(&str, u32)> = (0..self.starts.len() as u32)
            .map(|k| (self.source_id(k).0, k))
            .collect();
        all.sort_unstable();
        if self.replace {
            // The last of a run of equal list ids stays.
            let mut kept: Vec<(&str, u32)> = Vec::with_capacity(all.len());
            for (id, k) in all {
                match kept.last_mut() {
                    Some(last) if last.0 == id => last.1 = k,
                    _ => kept.push((id, k)),
                }
            }
            kept
        } else {
            all
        }
    }

    /// Each asset's owners, (asset, owner) ascending by asset and in edge
    /// order for one asset: edges to or from an organisation not kept, and
    /// an organisation owning itself, are left out; a repeated edge counts once.
    fn owners(&self, by_source: &[(&str, u32)]) -> Vec<(u32, u32)> {
        let find = |id: &str| {
            by_source
                .binary_search_by(|&(s, _)| s.cmp(id))
                .ok()
                .map(|at| by_source[at].1)
        };
        let mut pairs = Vec::new();
        let mut r = Reader::new(&self.edges, 0);
        while r.pos() < self.edges.len() {
            let (owner, asset) = (field(&mut r, "owner"), field(&mut r, "asset"));
            if owner == asset {
                continue;
            }
            if let (Some(a), Some(o)) = (find(asset), find(owner)) {
                pairs.push((a, o));
            }
        }
        pairs.sort_by_key(|&(a, _)| a);
        let mut kept: Vec<(u32, u32)> = Vec::with_capacity(pairs.len());
        let mut group = 0;
        for p in pairs {
            if kept.last().is_none_or(|l| l.0 != p.0) {
                group = kept.len();
            }
            if !kept[group..].contains(&p) {
                kept.push(p);
            }
        }
        kept
    }

    /// The organisations that stay, in KB id order; refused when two become
    /// the same KB id.
    fn by_id(&self, by_source: Vec<(&str, u32)>) -> Result<Vec<u32>, ImportError> {
        let mut by_id: Vec<(&str, u32)> = by_source
            .into_iter()
            .map(|(_, k)| (self.kb_id(k), k))
            .collect();
        by_id.sort_unstable();
        if let Some(w) = by_id.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(ImportError::Parse(supplyscreen_model::Diagnostic::error(
                &*self.source,
                0,
                format!(
                    "two organisations of the list both become KB id {:?}",
                    w[0].0
                ),
            )));
        }
        Ok(by_id.into_iter().map(|(_, k)| k).collect())
    }

    /// The records in id order, with owners resolved and search texts made;
    /// refused when two organisations become the same KB id.
    pub fn finish(self) -> Result<Sorted, ImportError> {
        let by_source = self.by_source();
        let owners = self.owners(&by_source);
        let by_id = self.by_id(by_source)?;
        let mut texts = Vec::new();
        let mut text_ends = Vec::with_capacity(by_id.len());
        let mut s = String::new();
        for &k in &by_id {
            s.clear();
            let entry = self.entry(k);
            let mut r = Reader::new(entry, self.source_id(k).1);
            let id = field(&mut r, "id");
            field(&mut r, "provenance");
            let names = r.strs("names").unwrap_or_default();
            search_text(id, names.into_iter(), &mut s);
            texts.extend_from_slice(s.as_bytes());
            text_ends.push(texts.len() as u64);
        }
        Ok(Sorted {
            collected: self,
            by_id,
            owners,
            texts,
            text_ends,
        })
    }
}

/// The records of a list in id order, ready to be written.
pub(crate) struct Sorted {
    collected: Collected,
    /// Organisation per record.
    by_id: Vec<u32>,
    /// (asset, owner) organisations, ascending by asset.
    owners: Vec<(u32, u32)>,
    /// The records' search texts, back to back.
    texts: Vec<u8>,
    /// Where each record's search text ends in `texts`.
    text_ends: Vec<u64>,
}

impl Sorted {
    fn text(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |p| self.text_ends[p] as usize);
        std::str::from_utf8(&self.texts[start..self.text_ends[i] as usize]).unwrap_or_default()
    }
}

impl Records for Sorted {
    fn count(&self) -> usize {
        self.by_id.len()
    }

    fn body(&self, i: usize, out: &mut Vec<u8>) {
        let c = &self.collected;
        let k = self.by_id[i];
        out.extend_from_slice(&c.entry(k)[c.source_id(k).1..]);
        let from = self.owners.partition_point(|&(a, _)| a < k);
        let to = self.owners.partition_point(|&(a, _)| a <= k);
        put_strs(out, self.owners[from..to].iter().map(|&(_, o)| c.kb_id(o)));
        put_str(out, self.text(i));
    }

    fn search_text(&self, i: usize, out: &mut String) {
        out.push_str(self.text(i));
    }

    fn bodies_written(&mut self) {
        self.collected.arena = Vec::new();
        self.collected.starts = Vec::new();
        self.collected.edges = Vec::new();
        self.owners = Vec::new();
    }
}
