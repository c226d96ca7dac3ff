//! The supplyscreen knowledge base: entities, directives and profiles in
//! human-edited TOML, embedded into the binary and optionally overlaid by a
//! user's own directory.
//!
//! Loading validates everything at once: unknown keys, bad dates, dangling
//! references, duplicate ids and invalid regexes are all reported, each with
//! its file and line.

pub mod bundle;
mod cycles;
mod dir;
mod directive;
pub mod import;
pub mod layer;
mod lexicon;
mod raw;
pub mod registry;
mod search;
mod toml_error;
mod types;
mod validate;

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use sha2::{Digest, Sha256};
use supplyscreen_model::{Diagnostic, DirectiveId, EntityId, KbRef, ProfileId};

pub use dir::{dir_files, dir_layers};
pub use layer::{ImportedLayer, LayerFile};
pub use lexicon::{LexiconWord, find as find_category_word};
pub use supplyscreen_model::RelationKind;
pub use toml_error::toml_message;
pub use types::*;
use validate::{FileCx, VocabKind, VocabUse};

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// One KB file: where it lives relative to the KB root, how to name it in
/// messages, and its text.
#[derive(Debug, Clone)]
pub struct KbFile {
    /// Path relative to the KB root (`entities/micron.toml`); decides overlays.
    pub rel: String,
    /// Path shown in messages and evidence (`data/entities/micron.toml`).
    pub display: String,
    /// The file's contents.
    pub text: String,
}

/// One problem in the knowledge base, at its file and line.
pub type KbError = Diagnostic;

/// Why the KB could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The files have errors; all of them are listed.
    #[error("the knowledge base has {} error(s):\n{}", .0.len(), list(.0))]
    Invalid(Vec<KbError>),
    /// A file or directory could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

fn list(errors: &[KbError]) -> String {
    errors
        .iter()
        .map(|e| format!("  {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The embedded KB files.
pub fn embedded_files() -> Vec<KbFile> {
    EMBEDDED
        .iter()
        .map(|(rel, text)| KbFile {
            rel: (*rel).to_owned(),
            display: format!("data/{rel}"),
            text: (*text).to_owned(),
        })
        .collect()
}

/// Lays `overlay` over `base`: a file with the same relative path replaces
/// the base file, others are added.
pub fn overlay(base: Vec<KbFile>, overlay: Vec<KbFile>) -> Vec<KbFile> {
    let mut by_rel: BTreeMap<String, KbFile> =
        base.into_iter().map(|f| (f.rel.clone(), f)).collect();
    for f in overlay {
        by_rel.insert(f.rel.clone(), f);
    }
    by_rel.into_values().collect()
}

/// The validated, indexed knowledge base.
#[derive(Debug, Clone)]
pub struct Kb {
    version: String,
    hash: String,
    /// Sorted by id (KB order).
    entities: Vec<Entity>,
    directives: BTreeMap<DirectiveId, Directive>,
    profiles: BTreeMap<ProfileId, Profile>,
    layers: Vec<LayerInfo>,
    vocabulary: Vocabulary,
    lexicon: Vec<LexiconWord>,
    part_set: PartSet,
    origin: KbOrigin,
    /// The substring index of entity ids and names, built on the first search.
    search: std::sync::OnceLock<search::EntitySearch>,
    /// Each directive's id, title and targets, lowercased, in directive order.
    directive_text: std::sync::OnceLock<Vec<String>>,
    /// Imported layers in their compact form, in file order.
    imported: Vec<Arc<ImportedLayer>>,
}

/// Where the active knowledge base came from, as every report names it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KbOrigin {
    /// The base: the KB built into the binary, or an installed signed bundle.
    pub base: KbBase,
    /// The `--kb DIR` overlay laid over the base, if any.
    pub overlay: Option<String>,
}

/// The base of the active knowledge base.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum KbBase {
    /// Built into the binary.
    #[default]
    Embedded,
    /// A signed bundle installed with `kb install`.
    Bundle {
        /// The bundle file it was installed from.
        source: String,
        /// The fingerprint of the key that signed it.
        signer: String,
    },
}

/// Every part-number pattern of the KB, in entity then file order, compiled
/// once into one set. Built at load: a KB that loads is one whose patterns
/// all screen, never an empty or partial set.
#[derive(Debug, Clone)]
pub struct PartSet {
    /// The combined set; index `i` is `rules[i]`.
    pub set: regex::RegexSet,
    /// Each pattern with the entity it belongs to.
    pub rules: Vec<(EntityId, PartPattern)>,
}

impl PartSet {
    fn build(entities: &[Entity]) -> Result<Self, regex::Error> {
        let rules: Vec<(EntityId, PartPattern)> = entities
            .iter()
            .flat_map(|e| e.part_numbers.iter().map(|p| (e.id.clone(), p.clone())))
            .collect();
        let set = regex::RegexSet::new(rules.iter().map(|(_, p)| p.regex.as_str()))?;
        Ok(Self { set, rules })
    }
}

impl Kb {
    /// Loads the embedded KB.
    pub fn embedded() -> Result<Self, LoadError> {
        Self::load(embedded_files())
    }

    /// Validates and indexes a set of files.
    pub fn load(files: Vec<KbFile>) -> Result<Self, LoadError> {
        Self::load_with_layers(files, Vec::new())
    }

    /// Validates and indexes a set of files and compact imported layers.
    pub fn load_with_layers(files: Vec<KbFile>, layers: Vec<LayerFile>) -> Result<Self, LoadError> {
        let mut b = Builder::default();
        for f in &files {
            b.file(f);
        }
        let mut layer_hashes = Vec::new();
        let mut imported = Vec::new();
        for l in layers {
            let rel = l.rel.clone();
            match ImportedLayer::load(l) {
                Ok(layer) => {
                    layer_hashes.push((rel, layer.digest().to_owned()));
                    b.layers.push(layer.info().clone());
                    imported.push(Arc::new(layer));
                }
                Err(e) => b.errors.push(e),
            }
        }
        b.cross_check(&imported);
        if !b.errors.is_empty() {
            return Err(LoadError::Invalid(b.errors));
        }
        // The map's order is the id order, which lookups rely on.
        let entities: Vec<Entity> = b.entities.into_values().map(|(e, _)| e).collect();
        let part_set = PartSet::build(&entities).map_err(|e| {
            LoadError::Invalid(vec![Diagnostic::error(
                "entities/",
                0,
                format!("the part-number patterns together exceed the pattern-set limits: {e}"),
            )])
        })?;
        Ok(Kb {
            version: b.version.unwrap_or_else(|| "unversioned".to_owned()),
            hash: content_hash(&files, &layer_hashes),
            entities,
            directives: b.directives.into_iter().map(|(k, (d, _))| (k, d)).collect(),
            profiles: b.profiles.into_iter().map(|(k, (p, _))| (k, p)).collect(),
            layers: b.layers,
            vocabulary: b.vocabulary.unwrap_or_default(),
            lexicon: b.lexicon,
            part_set,
            origin: KbOrigin::default(),
            search: std::sync::OnceLock::new(),
            directive_text: std::sync::OnceLock::new(),
            imported,
        })
    }

    /// The same KB, recorded as coming from `origin`.
    pub fn with_origin(mut self, origin: KbOrigin) -> Self {
        self.origin = origin;
        self
    }

    /// Where the KB came from.
    pub fn origin(&self) -> &KbOrigin {
        &self.origin
    }

    /// Every part-number pattern, compiled into one set.
    pub fn part_set(&self) -> &PartSet {
        &self.part_set
    }

    /// The category lexicon (`lexicon.toml`), in file order.
    pub fn lexicon(&self) -> &[LexiconWord] {
        &self.lexicon
    }

    /// The closed vocabularies (`vocabulary.toml`).
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// The KB version from `kb.toml`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// `sha256:<hex>` over every file's relative path and contents.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// An entity by id: a curated one, or one of a compact imported layer
    /// (built from its record on first use).
    pub fn entity(&self, id: &EntityId) -> Option<&Entity> {
        if let Ok(i) = self.entities.binary_search_by(|e| e.id.cmp(id)) {
            return self.entities.get(i);
        }
        self.imported
            .iter()
            .find_map(|l| l.entity(l.position(id.as_str())?))
    }

    /// All entities of the KB files (curated, and TOML layers), by id. The
    /// organisations of compact imported layers are in [`Kb::imported`].
    pub fn entities(&self) -> impl Iterator<Item = &Entity> {
        self.entities.iter()
    }

    /// Every ownership edge of the compact imported layers, as (owned, owner).
    pub fn imported_ownership(&self) -> impl Iterator<Item = (EntityId, EntityId)> + '_ {
        self.imported.iter().flat_map(|layer| {
            (0..layer.len())
                .filter_map(|i| layer.record(i))
                .filter_map(|r| Some((EntityId::new(r.id).ok()?, r.owners)))
                .flat_map(|(from, owners)| {
                    owners
                        .into_iter()
                        .filter_map(|o| EntityId::new(o).ok())
                        .map(move |owner| (from.clone(), owner))
                        .collect::<Vec<_>>()
                })
        })
    }

    /// The compact imported layers, in file order.
    pub fn imported(&self) -> &[Arc<ImportedLayer>] {
        &self.imported
    }

    /// The entities whose id, name or one of whose names contains `text`,
    /// ignoring case, in KB order. The first call indexes the names.
    pub fn search_entities(&self, text: &str) -> Vec<&Entity> {
        let needle = text.to_lowercase();
        let index = self
            .search
            .get_or_init(|| search::EntitySearch::build(self.entities.iter()));
        let mut found: Vec<&Entity> = match index.candidates(&needle) {
            Some(positions) => positions
                .into_iter()
                .filter_map(|i| self.entities.get(i as usize))
                .filter(|e| search::matches(e, &needle))
                .collect(),
            None => self
                .entities
                .iter()
                .filter(|e| search::matches(e, &needle))
                .collect(),
        };
        if !self.imported.is_empty() {
            for l in &self.imported {
                found.extend(search::in_layer(l, &needle).filter_map(|i| l.entity(i)));
            }
            found.sort_by(|a, b| a.id.cmp(&b.id));
        }
        found
    }

    /// The directives whose id, title or a target's id contains `needle`
    /// (lowercased), in id order; the lowercased texts are made once.
    pub fn search_directives(&self, needle: &str) -> Vec<&Directive> {
        let texts = self.directive_text.get_or_init(|| {
            self.directives
                .values()
                .map(|d| {
                    let targets = d.targets.iter().map(|t| t.entity.as_str());
                    let parts: Vec<&str> = [d.id.as_str(), d.title.as_str()]
                        .into_iter()
                        .chain(targets)
                        .collect();
                    parts.join("\n").to_lowercase()
                })
                .collect()
        });
        self.directives
            .values()
            .zip(texts)
            .filter(|(_, t)| t.contains(needle))
            .map(|(d, _)| d)
            .collect()
    }

    /// A directive by id.
    pub fn directive(&self, id: &DirectiveId) -> Option<&Directive> {
        self.directives.get(id)
    }

    /// All directives, by id.
    pub fn directives(&self) -> impl Iterator<Item = &Directive> {
        self.directives.values()
    }

    /// Imported public-list layers.
    pub fn layers(&self) -> &[LayerInfo] {
        &self.layers
    }

    /// A profile by id.
    pub fn profile(&self, id: &ProfileId) -> Option<&Profile> {
        self.profiles.get(id)
    }

    /// All profiles, by id.
    pub fn profiles(&self) -> impl Iterator<Item = &Profile> {
        self.profiles.values()
    }
}

/// Over every file's relative path and contents, then every compact
/// layer's relative path and SHA-256.
fn content_hash(files: &[KbFile], layers: &[(String, String)]) -> String {
    let mut sorted: Vec<&KbFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.rel.cmp(&b.rel));
    let mut h = Sha256::new();
    for f in sorted {
        h.update(f.rel.as_bytes());
        h.update([0]);
        h.update(f.text.as_bytes());
        h.update([0]);
    }
    for (rel, digest) in layers {
        h.update(rel.as_bytes());
        h.update([0]);
        h.update(digest.as_bytes());
        h.update([0]);
    }
    format!("sha256:{}", hex(&h.finalize()))
}

/// Lowercase hexadecimal of a digest.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[derive(Default)]
struct Builder {
    version: Option<String>,
    entities: BTreeMap<EntityId, (Entity, KbRef)>,
    directives: BTreeMap<DirectiveId, (Directive, KbRef)>,
    profiles: BTreeMap<ProfileId, (Profile, KbRef)>,
    layers: Vec<LayerInfo>,
    vocabulary: Option<Vocabulary>,
    lexicon: Vec<LexiconWord>,
    vocab_uses: Vec<VocabUse>,
    errors: Vec<KbError>,
}

impl Builder {
    fn file(&mut self, f: &KbFile) {
        let mut cx = FileCx::new(&f.display, &f.text);
        let top = f.rel.split('/').next().unwrap_or("");
        match (top, f.rel.as_str()) {
            (_, "kb.toml") => {
                if let Some(m) = cx.parse::<raw::RawMeta>() {
                    self.version = Some(m.version.into_inner());
                }
            }
            (_, "vocabulary.toml") => {
                if let Some(v) = cx.parse::<raw::RawVocabulary>() {
                    self.vocabulary = Some(validate::vocabulary(&mut cx, v));
                }
            }
            (_, "lexicon.toml") => {
                if let Some(l) = cx.parse::<lexicon::RawLexicon>() {
                    self.lexicon = lexicon::lexicon(&mut cx, l);
                }
            }
            ("entities", _) => {
                if let Some(e) = cx.parse().and_then(|r| validate::entity(&mut cx, r)) {
                    insert(&mut self.entities, e.id.clone(), e.kb.clone(), e, &mut cx);
                }
            }
            ("directives", _) => {
                if let Some(d) = cx.parse().and_then(|r| directive::directive(&mut cx, r)) {
                    insert(&mut self.directives, d.id.clone(), d.kb.clone(), d, &mut cx);
                }
            }
            ("imports", _) => {
                if let Some(layer) = cx.parse::<raw::RawLayerFile>() {
                    self.layer(layer, &mut cx);
                }
            }
            ("profiles", _) => {
                if let Some(p) = cx.parse().and_then(|r| validate::profile(&mut cx, r)) {
                    insert(&mut self.profiles, p.id.clone(), p.kb.clone(), p, &mut cx);
                }
            }
            _ => cx.error(
                0..0,
                "KB files live in entities/, directives/, profiles/ or imports/, or are kb.toml, vocabulary.toml or lexicon.toml",
            ),
        }
        self.errors.extend(cx.errors);
        self.vocab_uses.extend(cx.vocab);
    }

    /// An imported layer: its entities join the KB, marked as imported.
    fn layer(&mut self, layer: raw::RawLayerFile, cx: &mut FileCx<'_>) {
        let mut count = 0;
        for raw in layer.entities {
            if let Some(mut e) = validate::entity(cx, raw) {
                e.layer = Some(layer.layer.name.clone());
                insert(&mut self.entities, e.id.clone(), e.kb.clone(), e, cx);
                count += 1;
            }
        }
        let m = layer.layer;
        self.layers.push(LayerInfo {
            name: m.name,
            source: m.source,
            retrieved: m.retrieved,
            hash: m.hash,
            entities: count,
        });
    }

    /// Checks references between files, once all are read.
    fn cross_check(&mut self, imported: &[Arc<ImportedLayer>]) {
        let mut errs = Vec::new();
        let known = |id: &EntityId| {
            self.entities.contains_key(id)
                || imported.iter().any(|l| l.position(id.as_str()).is_some())
        };
        for (entity, kb) in self.entities.values() {
            check_entity_refs(entity, &known, &mut errs);
            if let Some(l) = imported
                .iter()
                .find(|l| l.position(entity.id.as_str()).is_some())
            {
                errs.push(at(
                    kb,
                    format!("duplicate id {:?}: also in {}", entity.id, l.display()),
                ));
            }
        }
        errs.extend(cycles::relation_cycles(&self.entities));
        for (d, _) in self.directives.values() {
            for t in &d.targets {
                if !known(&t.entity) {
                    errs.push(dangling(&t.kb, "target entity", &t.entity));
                }
            }
        }
        self.check_vocabulary(&mut errs);
        self.errors.extend(errs);
        self.errors
            .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    }

    /// Every vocabulary value used must be declared in `vocabulary.toml`,
    /// and the categories the code assigns itself must be declared too.
    fn check_vocabulary(&self, errs: &mut Vec<KbError>) {
        let Some(v) = &self.vocabulary else {
            errs.push(Diagnostic::error(
                "vocabulary.toml",
                0,
                "the knowledge base has no vocabulary.toml declaring its jurisdictions, sectors, categories and uses",
            ));
            return;
        };
        for u in &self.vocab_uses {
            let (declared, list): (bool, Vec<String>) = match u.kind {
                VocabKind::Jurisdiction => declared(&v.jurisdictions, &u.value),
                VocabKind::Sector => declared(&v.sectors, &u.value),
                VocabKind::Category => declared(&v.categories, &u.value),
                VocabKind::Use => declared(&v.uses, &u.value),
            };
            if !declared {
                errs.push(at(
                    &u.at,
                    format!(
                        "{:?} is not a declared {} (vocabulary.toml declares: {})",
                        u.value,
                        vocab_name(u.kind),
                        list.join(", ")
                    ),
                ));
            }
        }
        for c in supplyscreen_model::Category::built_in() {
            if !v.categories.contains_key(&c) {
                errs.push(Diagnostic::error(
                    "vocabulary.toml",
                    0,
                    format!("category {c:?} is assigned by the tool and must be declared"),
                ));
            }
        }
    }
}

fn declared<K: std::fmt::Display + Ord>(
    map: &BTreeMap<K, Term>,
    value: &str,
) -> (bool, Vec<String>) {
    let names: Vec<String> = map.keys().map(ToString::to_string).collect();
    (names.iter().any(|n| n == value), names)
}

fn vocab_name(kind: VocabKind) -> &'static str {
    match kind {
        VocabKind::Jurisdiction => "jurisdiction",
        VocabKind::Sector => "sector",
        VocabKind::Category => "product category",
        VocabKind::Use => "use",
    }
}

fn check_entity_refs(e: &Entity, known: &dyn Fn(&EntityId) -> bool, errs: &mut Vec<KbError>) {
    for r in &e.relations {
        if !known(&r.to) {
            errs.push(dangling(&r.kb, "related entity", &r.to));
        } else if r.to == e.id {
            errs.push(at(&r.kb, "an entity cannot be related to itself".into()));
        }
    }
    let brands: Vec<&str> = e.brands.iter().map(|b| b.name.text.as_str()).collect();
    let brand_refs = e.identifiers.iter().map(|i| (&i.brand, &i.kb));
    let brand_refs = brand_refs.chain(e.part_numbers.iter().map(|p| (&p.brand, &p.kb)));
    for (brand, kb) in brand_refs {
        if let Some(b) = brand.as_deref().filter(|b| !brands.contains(b)) {
            errs.push(at(
                kb,
                format!("brand {b:?} is not listed in this entity's [[brands]]"),
            ));
        }
    }
}

fn dangling(kb: &KbRef, what: &str, id: &EntityId) -> KbError {
    at(
        kb,
        format!("{what} {id:?} is not defined in any entities/ file"),
    )
}

fn at(kb: &KbRef, message: String) -> KbError {
    Diagnostic::error(kb.file.clone(), u64::from(kb.line), message)
}

fn insert<K: Ord + fmt::Debug, V>(
    map: &mut BTreeMap<K, (V, KbRef)>,
    key: K,
    kb: KbRef,
    value: V,
    cx: &mut FileCx<'_>,
) {
    if let Some((_, first)) = map.get(&key) {
        let msg = format!("duplicate id {key:?}: already defined at {first}");
        cx.error(0..0, msg);
    } else {
        map.insert(key, (value, kb));
    }
}

/// The 1-based line of a byte offset in `text` (for other TOML files read
/// alongside the KB, such as waivers).
pub fn line_at(text: &str, offset: usize) -> u32 {
    let upto = &text.as_bytes()[..offset.min(text.len())];
    let newlines = upto.iter().filter(|&&b| b == b'\n').count();
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}
