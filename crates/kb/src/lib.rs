//! The supplyscreen knowledge base: entities, directives and profiles in
//! human-edited TOML, embedded into the binary and optionally overlaid by a
//! user's own directory.
//!
//! Loading validates everything at once: unknown keys, bad dates, dangling
//! references, duplicate ids and invalid regexes are all reported, each with
//! its file and line.

pub mod bundle;
mod directive;
pub mod import;
mod raw;
pub mod registry;
mod types;
mod validate;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use supplyscreen_model::{DirectiveId, EntityId, KbRef, ProfileId};

pub use types::*;
use validate::FileCx;

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

/// One problem in the knowledge base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KbError {
    /// The file, as displayed.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for KbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

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

/// Reads every `.toml` file under `dir` as KB files.
pub fn dir_files(dir: &Path) -> Result<Vec<KbFile>, LoadError> {
    let mut paths = Vec::new();
    walk(dir, &mut paths)?;
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).map_err(|source| LoadError::Io {
                path: path.clone(),
                source,
            })?;
            let rel = path.strip_prefix(dir).unwrap_or(&path);
            Ok(KbFile {
                rel: rel.to_string_lossy().replace('\\', "/"),
                display: path.to_string_lossy().into_owned(),
                text,
            })
        })
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let io = |source| LoadError::Io {
        path: dir.to_owned(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
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
    entities: BTreeMap<EntityId, Entity>,
    directives: BTreeMap<DirectiveId, Directive>,
    profiles: BTreeMap<ProfileId, Profile>,
    layers: Vec<LayerInfo>,
}

impl Kb {
    /// Loads the embedded KB.
    pub fn embedded() -> Result<Self, LoadError> {
        Self::load(embedded_files())
    }

    /// Validates and indexes a set of files.
    pub fn load(files: Vec<KbFile>) -> Result<Self, LoadError> {
        let mut b = Builder::default();
        for f in &files {
            b.file(f);
        }
        b.cross_check();
        if !b.errors.is_empty() {
            return Err(LoadError::Invalid(b.errors));
        }
        Ok(Kb {
            version: b.version.unwrap_or_else(|| "unversioned".to_owned()),
            hash: content_hash(&files),
            entities: b.entities.into_iter().map(|(k, (e, _))| (k, e)).collect(),
            directives: b.directives.into_iter().map(|(k, (d, _))| (k, d)).collect(),
            profiles: b.profiles.into_iter().map(|(k, (p, _))| (k, p)).collect(),
            layers: b.layers,
        })
    }

    /// The KB version from `kb.toml`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// `sha256:<hex>` over every file's relative path and contents.
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// An entity by id.
    pub fn entity(&self, id: &EntityId) -> Option<&Entity> {
        self.entities.get(id)
    }

    /// All entities, by id.
    pub fn entities(&self) -> impl Iterator<Item = &Entity> {
        self.entities.values()
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

fn content_hash(files: &[KbFile]) -> String {
    let mut sorted: Vec<&KbFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.rel.cmp(&b.rel));
    let mut h = Sha256::new();
    for f in sorted {
        h.update(f.rel.as_bytes());
        h.update([0]);
        h.update(f.text.as_bytes());
        h.update([0]);
    }
    let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

#[derive(Default)]
struct Builder {
    version: Option<String>,
    entities: BTreeMap<EntityId, (Entity, KbRef)>,
    directives: BTreeMap<DirectiveId, (Directive, KbRef)>,
    profiles: BTreeMap<ProfileId, (Profile, KbRef)>,
    layers: Vec<LayerInfo>,
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
                "KB files live in entities/, directives/, profiles/ or imports/, or are kb.toml",
            ),
        }
        self.errors.extend(cx.errors);
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
    fn cross_check(&mut self) {
        let mut errs = Vec::new();
        for (entity, _) in self.entities.values() {
            check_entity_refs(entity, &self.entities, &mut errs);
        }
        for (d, _) in self.directives.values() {
            for t in &d.targets {
                if !self.entities.contains_key(&t.entity) {
                    errs.push(dangling(&t.kb, "target entity", &t.entity));
                }
            }
        }
        self.check_bindings(&mut errs);
        self.errors.extend(errs);
        self.errors
            .sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    }
}

impl Builder {
    /// A directive's jurisdiction and sectors must be ones some profile has:
    /// otherwise no profile can ever be bound by it (a typo, or a missing profile).
    fn check_bindings(&self, errs: &mut Vec<KbError>) {
        let profiles = self.profiles.values().map(|(p, _)| p);
        let jurisdictions: std::collections::BTreeSet<&str> = profiles
            .clone()
            .flat_map(|p| p.jurisdictions.iter().map(String::as_str))
            .collect();
        let sectors: std::collections::BTreeSet<&str> = profiles
            .flat_map(|p| p.sectors.iter().map(String::as_str))
            .collect();
        let known = |set: &std::collections::BTreeSet<&str>| {
            set.iter().copied().collect::<Vec<_>>().join(", ")
        };
        for (d, _) in self.directives.values() {
            if !jurisdictions.contains(d.jurisdiction.as_str()) {
                errs.push(at(
                    &d.kb,
                    format!(
                        "jurisdiction {:?} is in no profile (known: {})",
                        d.jurisdiction,
                        known(&jurisdictions)
                    ),
                ));
            }
            for s in d.sectors.iter().filter(|s| !sectors.contains(s.as_str())) {
                errs.push(at(
                    &d.kb,
                    format!("sector {s:?} is in no profile (known: {})", known(&sectors)),
                ));
            }
        }
    }
}

fn check_entity_refs(
    e: &Entity,
    all: &BTreeMap<EntityId, (Entity, KbRef)>,
    errs: &mut Vec<KbError>,
) {
    for r in &e.relations {
        if !all.contains_key(&r.to) {
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
    KbError {
        file: kb.file.to_string(),
        line: kb.line,
        message,
    }
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
