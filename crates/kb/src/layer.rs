//! The compact form of an imported public list, `imports/<name>.layer`:
//! one record per organisation with only what name matching, search and a
//! finding's provenance need, and the trigram index of `kb search` built at
//! import. The whole file is held as one byte arena; records are decoded
//! where they are read, and a full [`Entity`] is built only for an entity a
//! caller asks for (a search hit, a finding's attribution).
//!
//! Layout (integers little-endian, `varint` is LEB128, `str` is a varint
//! byte length then UTF-8):
//!
//! ```text
//! magic    "SSLAYER\n"           8 bytes
//! version  u32                   1
//! meta     str name, str source, str retrieved, str hash (of the imported file)
//! count    u32                   records
//! records  u64 byte length, then per record: varint length, body
//!          body: str id, str provenance, strs names (first is the primary
//!          name), strs countries, varint n + n x (str list, str from),
//!          strs owner ids, str search text (id and names, lowercased, one a line)
//! index    u64 byte length, then the trigram index (see `search.rs`);
//!          u64 byte length, then the index of hashed six-byte substrings
//! trailer  SHA-256 of every byte before it    32 bytes
//! ```
//!
//! Records are sorted by id. Loading checks the trailer, then every record
//! and the index table; an error names the file, the byte offset and the
//! record.

pub(crate) mod codec;
mod write;

use std::sync::{Arc, OnceLock};

use sha2::{Digest, Sha256};
use supplyscreen_model::{Diagnostic, EntityId, KbRef, PartialDate, RelationKind};

use crate::search::{IndexView, Width};
use crate::{Entity, LayerInfo, Listing, Named, Relation};
use codec::Bad;
pub(crate) use codec::Reader;
pub(crate) use codec::{put_str, put_strs, put_varint};
pub(crate) use write::{Records, write_layer_file};

/// The first bytes of a layer file.
pub const MAGIC: &[u8; 8] = b"SSLAYER\n";
/// The format version this build writes and reads.
pub const VERSION: u32 = 1;
const TRAILER: usize = 32;

/// A layer file as read from a KB directory.
#[derive(Debug, Clone)]
pub struct LayerFile {
    /// Path relative to the KB root (`imports/opensanctions.layer`).
    pub rel: String,
    /// Path shown in messages and evidence.
    pub display: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// One organisation of a layer, as written by `kb import`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordData {
    /// The KB id (`os-...`).
    pub id: String,
    /// Where it was read: the list file and the list's own id.
    pub provenance: String,
    /// Its names, the primary name first.
    pub names: Vec<String>,
    /// ISO country codes.
    pub countries: Vec<String>,
    /// The lists it is on, with the date it was added when known.
    pub listings: Vec<(String, String)>,
    /// KB ids of its owners.
    pub owners: Vec<String>,
}

/// One record as stored, borrowed from the layer's bytes.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    /// The KB id.
    pub id: &'a str,
    /// The list file and the list's own id.
    pub provenance: &'a str,
    /// Names, the primary name first.
    pub names: Vec<&'a str>,
    /// ISO country codes.
    pub countries: Vec<&'a str>,
    /// Lists and the dates the entity was added.
    pub listings: Vec<(&'a str, &'a str)>,
    /// KB ids of its owners.
    pub owners: Vec<&'a str>,
    /// The id and names, lowercased, one a line.
    pub search: &'a str,
}

impl RecordData {
    fn encode_body(&self, body: &mut Vec<u8>) {
        put_str(body, &self.id);
        put_str(body, &self.provenance);
        put_strs(body, self.names.iter().map(String::as_str));
        put_strs(body, self.countries.iter().map(String::as_str));
        put_varint(body, self.listings.len() as u64);
        for (list, from) in &self.listings {
            put_str(body, list);
            put_str(body, from);
        }
        put_strs(body, self.owners.iter().map(String::as_str));
        let mut text = String::new();
        search_text(&self.id, self.names.iter().map(String::as_str), &mut text);
        put_str(body, &text);
    }
}

/// The bytes of a layer file holding `records` (sorted by id here).
pub fn encode(info: &LayerInfo, records: &mut [RecordData]) -> Vec<u8> {
    records.sort_by(|a, b| a.id.cmp(&b.id));
    let mut all = InOrder(records);
    // Writing into memory cannot fail.
    write_layer_file(Vec::new(), info, &mut all).unwrap_or_default()
}

/// Records already in id order.
pub(crate) struct InOrder<'r>(pub(crate) &'r [RecordData]);

impl Records for InOrder<'_> {
    fn count(&self) -> usize {
        self.0.len()
    }

    fn body(&self, i: usize, out: &mut Vec<u8>) {
        self.0[i].encode_body(out);
    }

    fn search_text(&self, i: usize, out: &mut String) {
        let r = &self.0[i];
        search_text(&r.id, r.names.iter().map(String::as_str), out);
    }
}

/// A record's search text: its id and names, lowercased, one a line.
pub(crate) fn search_text<'s>(id: &str, names: impl Iterator<Item = &'s str>, out: &mut String) {
    out.push_str(&id.to_lowercase());
    for n in names {
        out.push('\n');
        out.push_str(&n.to_lowercase());
    }
}

fn record_at(bytes: &[u8], at: usize) -> Result<Record<'_>, Bad> {
    record_parts(bytes, at).map(|(rec, _, _)| rec)
}

/// The record at `at`, where its search text starts and where it ends.
fn record_parts(bytes: &[u8], at: usize) -> Result<(Record<'_>, usize, usize), Bad> {
    let mut r = Reader::new(bytes, at);
    let len = r.len("record length")?;
    let end = r.pos() + len;
    let body = bytes.get(..end).ok_or(Bad {
        offset: at,
        what: "record (truncated)",
    })?;
    let mut r = Reader::new(body, r.pos());
    let id = r.str("id")?;
    let provenance = r.str("provenance")?;
    let names = r.strs("names")?;
    let countries = r.strs("countries")?;
    let n = r.len("listings")?;
    let listings = (0..n)
        .map(|_| Ok((r.str("listing")?, r.str("listing date")?)))
        .collect::<Result<_, Bad>>()?;
    let owners = r.strs("owners")?;
    let text_at = r.pos();
    let search = r.str("search text")?;
    if r.pos() != end {
        return Err(Bad {
            offset: r.pos(),
            what: "record (bytes left over)",
        });
    }
    let rec = Record {
        id,
        provenance,
        names,
        countries,
        listings,
        owners,
        search,
    };
    Ok((rec, text_at, end))
}

/// A loaded layer: its bytes, where each record starts, its index.
pub struct ImportedLayer {
    info: LayerInfo,
    display: Arc<str>,
    bytes: Vec<u8>,
    starts: Vec<u64>,
    /// Where each record's search text is (its length prefix).
    texts: Vec<u64>,
    index: [(usize, usize); 2],
    digest: String,
    built: Vec<OnceLock<Box<Entity>>>,
}

impl std::fmt::Debug for ImportedLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportedLayer")
            .field("info", &self.info)
            .field("display", &self.display)
            .field("bytes", &self.bytes.len())
            .field("digest", &self.digest)
            .finish_non_exhaustive()
    }
}

/// The error for a layer file that cannot be read, naming file and offset.
fn broken(display: &str, bad: &Bad, record: Option<usize>) -> Diagnostic {
    let which = record.map_or_else(String::new, |i| format!(", record {}", i + 1));
    Diagnostic::error(
        display,
        0,
        format!(
            "corrupt or truncated layer file: bad {} at byte offset {}{which}; import the list again",
            bad.what, bad.offset
        ),
    )
}

impl ImportedLayer {
    /// Checks and indexes a layer file.
    pub fn load(file: LayerFile) -> Result<Self, Diagnostic> {
        let bytes = file.bytes;
        let display = file.display.as_str();
        let err = |bad: Bad| broken(display, &bad, None);
        let body_len = bytes.len().checked_sub(TRAILER).ok_or_else(|| {
            err(Bad {
                offset: bytes.len(),
                what: "file (shorter than its trailer)",
            })
        })?;
        let digest = Sha256::digest(&bytes[..body_len]);
        if digest.as_slice() != &bytes[body_len..] {
            return Err(err(Bad {
                offset: body_len,
                what: "SHA-256 trailer (the file was changed or cut short)",
            }));
        }
        let mut r = Reader::new(&bytes[..body_len], 0);
        if r.take(8, "magic").map_err(err)? != MAGIC {
            return Err(err(Bad {
                offset: 0,
                what: "magic (not a supplyscreen layer file)",
            }));
        }
        let version = r.u32("version").map_err(err)?;
        if version != VERSION {
            return Err(Diagnostic::error(
                display,
                0,
                format!(
                    "layer format version {version}; this build reads version {VERSION}: import the list again"
                ),
            ));
        }
        let mut meta = [""; 4];
        for m in &mut meta {
            *m = r.str("header").map_err(err)?;
        }
        let count = r.u32("record count").map_err(err)? as usize;
        let records_len = r.u64("records length").map_err(err)? as usize;
        let records_at = r.pos();
        r.take(records_len, "records section").map_err(err)?;
        let mut index = [(0, 0); 2];
        for slot in &mut index {
            let len = r.u64("index length").map_err(err)? as usize;
            let at = r.pos();
            r.take(len, "index section").map_err(err)?;
            IndexView::check(&bytes[at..at + len]).map_err(|off| {
                err(Bad {
                    offset: at + off,
                    what: "index table",
                })
            })?;
            *slot = (at, len);
        }
        let (starts, texts) = walk_records(&bytes[..records_at + records_len], records_at, count)
            .map_err(|(bad, i)| broken(display, &bad, Some(i)))?;
        let info = LayerInfo {
            name: meta[0].to_owned(),
            source: meta[1].to_owned(),
            retrieved: meta[2].to_owned(),
            hash: meta[3].to_owned(),
            entities: count,
        };
        Ok(Self {
            info,
            display: Arc::from(display),
            built: (0..count).map(|_| OnceLock::new()).collect(),
            digest: crate::hex(&digest),
            starts,
            texts,
            index,
            bytes,
        })
    }
}

/// Where each record and its search text start; every record decodes, ids
/// ascend and parse.
fn walk_records(
    bytes: &[u8],
    mut at: usize,
    count: usize,
) -> Result<(Vec<u64>, Vec<u64>), (Bad, usize)> {
    let mut starts = Vec::with_capacity(count);
    let mut texts = Vec::with_capacity(count);
    let mut last: Option<&str> = None;
    for i in 0..count {
        let (rec, text, end) = record_parts(bytes, at).map_err(|b| (b, i))?;
        let bad = |what| (Bad { offset: at, what }, i);
        if EntityId::new(rec.id).is_err() {
            return Err(bad("entity id"));
        }
        if last.is_some_and(|l| l >= rec.id) {
            return Err(bad("record order (ids must ascend)"));
        }
        last = Some(rec.id);
        starts.push(at as u64);
        texts.push(text as u64);
        at = end;
    }
    if at != bytes.len() {
        return Err((
            Bad {
                offset: at,
                what: "records section (bytes after the last record)",
            },
            count,
        ));
    }
    Ok((starts, texts))
}

impl ImportedLayer {
    /// Name, source, date and size of the layer.
    pub fn info(&self) -> &LayerInfo {
        &self.info
    }

    /// The path shown in evidence.
    pub fn display(&self) -> &Arc<str> {
        &self.display
    }

    /// SHA-256 of the whole file (without the trailer), hex.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// How many records it holds.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// True when it holds no records.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// The record at `i` (records are in id order).
    pub fn record(&self, i: usize) -> Option<Record<'_>> {
        let at = usize::try_from(*self.starts.get(i)?).ok()?;
        record_at(&self.bytes, at).ok()
    }

    /// The search text of the record at `i` (its id and names, lowercased,
    /// one a line), as bytes: found where the load recorded it, not decoded
    /// again (the load checked it is UTF-8).
    pub fn search_text(&self, i: usize) -> Option<&[u8]> {
        let at = usize::try_from(*self.texts.get(i)?).ok()?;
        let mut r = Reader::new(&self.bytes, at);
        let n = r.len("search text").ok()?;
        r.take(n, "search text").ok()
    }

    /// The id of the record at `i`.
    fn id_at(&self, i: usize) -> &str {
        self.starts
            .get(i)
            .and_then(|&at| {
                let mut r = Reader::new(&self.bytes, usize::try_from(at).ok()?);
                r.len("record length").ok()?;
                r.str("id").ok()
            })
            .unwrap_or("")
    }

    /// The position of the record with this id.
    pub fn position(&self, id: &str) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.starts.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.id_at(mid).cmp(id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// An index of the records' search texts.
    pub(crate) fn index(&self, width: Width) -> IndexView<'_> {
        let (at, len) = self.index[usize::from(width == Width::Six)];
        IndexView::new(&self.bytes[at..at + len])
    }

    /// The record at `i` as a KB entity, built on first use and kept.
    pub fn entity(&self, i: usize) -> Option<&Entity> {
        let slot = self.built.get(i)?;
        if let Some(e) = slot.get() {
            return Some(e);
        }
        let e = self.build(i)?;
        Some(slot.get_or_init(|| Box::new(e)))
    }

    /// Where record `i` is, as evidence names it: the layer file and the
    /// record's number (1-based).
    pub fn kb_ref(&self, i: usize) -> KbRef {
        KbRef {
            file: self.display.clone(),
            line: u32::try_from(i + 1).unwrap_or(u32::MAX),
        }
    }

    fn build(&self, i: usize) -> Option<Entity> {
        let r = self.record(i)?;
        let kb = self.kb_ref(i);
        let named = |t: &&str| Named {
            text: (*t).to_owned(),
            kb: kb.clone(),
            note: None,
        };
        let source = self.info.source.clone();
        Some(Entity {
            id: EntityId::new(r.id).ok()?,
            name: r.names.first().map(|n| (*n).to_owned()).unwrap_or_default(),
            country: r.countries.first().map(|c| (*c).to_owned()),
            names: r.names.iter().map(named).collect(),
            sources: vec![r.provenance.to_owned()],
            identifiers: Vec::new(),
            brands: Vec::new(),
            part_numbers: Vec::new(),
            relations: r
                .owners
                .iter()
                .filter_map(|o| EntityId::new(o).ok())
                .map(|to| Relation {
                    kind: RelationKind::OwnedBy,
                    to,
                    from: None,
                    until: None,
                    source: source.clone(),
                    note: None,
                    kb: kb.clone(),
                })
                .collect(),
            lookalikes: Vec::new(),
            weak_names: Vec::new(),
            listings: r
                .listings
                .iter()
                .filter_map(|(list, from)| {
                    Some(Listing {
                        list: (*list).to_owned(),
                        from: PartialDate::parse(from).ok()?,
                        source: source.clone(),
                        note: None,
                        kb: kb.clone(),
                    })
                })
                .collect(),
            layer: Some(self.info.name.clone()),
            kb,
        })
    }
}
