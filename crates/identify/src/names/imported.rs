//! The names of compact imported layers, kept compactly: every name's tokens
//! in one arena, a sorted table of opening-token hashes, and a
//! [`NameEntry`] built only for a name that occurs in some text.

use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
use std::sync::{Arc, OnceLock};

use supplyscreen_kb::{ImportedLayer, Kb};
use supplyscreen_model::EntityId;

use super::{Hit, NameEntry, Owner, is_generic, key_len, matches_at, name_tokens};
use crate::normalize::Token;

/// Deterministic hashing of token sequences (the same in every process).
type Fixed = BuildHasherDefault<DefaultHasher>;

/// Which name of which record a compact entry is.
#[derive(Debug, Clone, Copy)]
struct NameRef {
    layer: u16,
    name: u16,
    record: u32,
}

/// The names of every compact imported layer, in KB order (layer, record,
/// name).
#[derive(Debug, Default)]
pub struct ImportedNames {
    layers: Vec<Arc<ImportedLayer>>,
    refs: Vec<NameRef>,
    /// Tokens of every name, each followed by a NUL.
    arena: String,
    /// Where each name's tokens start in `arena`, and (last) its end.
    starts: Vec<u32>,
    /// (hash of the opening tokens, name), sorted.
    keys: Vec<(u64, u32)>,
    /// Hashes of every name's first token, sorted.
    firsts: Vec<u64>,
    built: Vec<OnceLock<Box<NameEntry>>>,
}

fn hash(words: &[&str]) -> u64 {
    Fixed::default().hash_one(words)
}

impl ImportedNames {
    /// Indexes the names of the KB's compact layers. Names made only of
    /// generic words are left out, as for curated names.
    pub fn build(kb: &Kb) -> Self {
        let mut idx = Self {
            layers: kb.imported().to_vec(),
            ..Self::default()
        };
        for (l, layer) in kb.imported().iter().enumerate() {
            for record in 0..layer.len() {
                let Some(r) = layer.record(record) else {
                    continue;
                };
                let mut seen: Vec<Vec<String>> = Vec::new();
                for (n, text) in r.names.iter().enumerate() {
                    let toks = name_tokens(text);
                    if toks.is_empty() || toks.iter().all(|t| is_generic(t)) || seen.contains(&toks)
                    {
                        continue;
                    }
                    idx.add(&toks, l, n, record);
                    seen.push(toks);
                }
            }
        }
        idx.arena.shrink_to_fit();
        idx.keys.sort_unstable();
        idx.firsts.sort_unstable();
        idx.firsts.dedup();
        idx.built = (0..idx.refs.len()).map(|_| OnceLock::new()).collect();
        idx
    }

    fn add(&mut self, toks: &[String], layer: usize, name: usize, record: usize) {
        let (Ok(layer), Ok(name), Ok(record), Ok(at), Ok(no)) = (
            u16::try_from(layer),
            u16::try_from(name),
            u32::try_from(record),
            u32::try_from(self.arena.len()),
            u32::try_from(self.refs.len()),
        ) else {
            return;
        };
        let words: Vec<&str> = toks.iter().map(String::as_str).collect();
        let opening = &words[..words.len().min(key_len(words[0]))];
        self.keys.push((hash(opening), no));
        self.firsts.push(hash(&words[..1]));
        if self.starts.is_empty() {
            self.starts.push(at);
        }
        for t in toks {
            self.arena.push_str(t);
            self.arena.push('\0');
        }
        self.starts
            .push(u32::try_from(self.arena.len()).unwrap_or(u32::MAX));
        self.refs.push(NameRef {
            layer,
            name,
            record,
        });
    }

    /// The tokens of name `i`.
    fn tokens(&self, i: usize) -> impl Iterator<Item = &str> {
        let (a, b) = (self.starts[i] as usize, self.starts[i + 1] as usize);
        self.arena[a..b].split_terminator('\0')
    }

    /// True when some imported name opens with `word`.
    pub fn has_first(&self, word: &str) -> bool {
        self.firsts.binary_search(&hash(&[word])).is_ok()
    }

    /// The names whose opening tokens hash to `key`, in KB order.
    fn with_key(&self, key: u64) -> impl Iterator<Item = usize> + '_ {
        let from = self.keys.partition_point(|&(k, _)| k < key);
        self.keys[from..]
            .iter()
            .take_while(move |&&(k, _)| k == key)
            .map(|&(_, i)| i as usize)
    }

    /// Adds the imported names occurring at `start` of `toks` to `hits`, in
    /// KB order.
    pub fn hits_at<'a>(&'a self, toks: &[Token], start: usize, hits: &mut Vec<Hit<'a>>) {
        // One look-up settles most positions: no imported name opens there.
        if self.refs.is_empty() || !self.has_first(&toks[start].text) {
            return;
        }
        let longest = key_len(&toks[start].text);
        let mut cands: Vec<usize> = Vec::new();
        for n in 1..=longest {
            let Some(words) = toks.get(start..start + n) else {
                break;
            };
            let words: Vec<&str> = words.iter().map(|t| t.text.as_str()).collect();
            cands.extend(self.with_key(hash(&words)));
        }
        cands.sort_unstable();
        cands.dedup();
        for i in cands {
            let rest = toks.get(start..).unwrap_or_default();
            let fits = self.tokens(i).count() <= rest.len()
                && self.tokens(i).zip(rest).all(|(a, b)| a == b.text);
            if !fits {
                continue;
            }
            let Some(entry) = self.entry(i) else {
                continue;
            };
            let end = start + entry.tokens.len();
            if end <= toks.len() && matches_at(entry, toks, start) {
                hits.push(Hit { entry, start, end });
            }
        }
    }

    /// Name `i` as a [`NameEntry`], built on first use.
    fn entry(&self, i: usize) -> Option<&NameEntry> {
        let slot = self.built.get(i)?;
        if let Some(e) = slot.get() {
            return Some(e);
        }
        let r = self.refs.get(i)?;
        let layer = self.layers.get(usize::from(r.layer))?;
        let record = layer.record(r.record as usize)?;
        let text = (*record.names.get(usize::from(r.name))?).to_owned();
        let entry = NameEntry {
            tokens: self.tokens(i).map(str::to_owned).collect(),
            owner: Owner::Entity {
                id: EntityId::new(record.id).ok()?,
                brand: None,
            },
            kb: layer.kb_ref(r.record as usize),
            imported: true,
            weak: false,
            text,
        };
        Some(slot.get_or_init(|| Box::new(entry)))
    }

    /// The primary name of an imported entity.
    pub fn entity_name(&self, id: &EntityId) -> Option<&str> {
        self.layers.iter().find_map(|l| {
            let i = l.position(id.as_str())?;
            l.record(i)?.names.first().copied()
        })
    }
}
