//! Public lists as a local KB layer: OpenSanctions FollowTheMoney JSON
//! (`entities.ftm.json` and `targets.nested.json`, one entity per line) and
//! the US Consolidated Screening List JSON (`{"results": [...]}`).
//!
//! `kb import` writes a layer as one compact file, `imports/<name>.layer`
//! (see [`crate::layer`]): organisations with names, countries, listings and
//! owners, and the source, retrieval date and SHA-256 of the imported file.
//! [`read_list_compact`] keeps each organisation in that compact form from
//! the moment it is read, and [`ReadList::write`] writes the file front to
//! back, so an import holds about the size of the records, never the parsed
//! list. The older TOML form (`imports/<name>.toml`, [`to_toml`]) still
//! loads. Name matching uses these entities; no directive targets them
//! unless a KB file does. Writing goes through a temporary file and a
//! rename, so a list that fails to parse leaves the last good layer in place.

mod collect;
mod parse;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::LayerInfo;
use crate::layer::{RecordData, Records};
use collect::Collected;
use parse::{Found, LineError, csl, opensanctions};
use sha2::{Digest, Sha256};

/// Which public list a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFormat {
    /// OpenSanctions FollowTheMoney entities (flat or nested), JSON Lines.
    OpenSanctions,
    /// US Consolidated Screening List JSON.
    Csl,
}

/// Why an import failed; the previous layer is untouched.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read or the layer written.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not in the expected format, at a line.
    #[error("{0}")]
    Parse(supplyscreen_model::Diagnostic),
}

/// One entity of a list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListedEntity {
    /// The list's own id.
    pub source_id: String,
    /// Its primary name.
    pub name: String,
    /// Aliases and other names.
    pub aliases: Vec<String>,
    /// ISO country codes.
    pub countries: Vec<String>,
    /// The programme or list it is on, with its start date when given.
    pub listings: Vec<(String, Option<String>)>,
    /// Source ids of its owners (FollowTheMoney ownership edges).
    pub owners: Vec<String>,
}

/// What an import read.
#[derive(Debug, Clone)]
pub struct Layer {
    /// The layer's name (`opensanctions`, `csl`).
    pub name: String,
    /// The imported file's SHA-256.
    pub hash: String,
    /// Organisations read.
    pub entities: Vec<ListedEntity>,
}

/// Reads a list file.
pub fn read_list(path: &Path, format: ListFormat) -> Result<Layer, ImportError> {
    let (name, hash, entities) = match format {
        ListFormat::OpenSanctions => {
            let mut orgs: BTreeMap<String, ListedEntity> = BTreeMap::new();
            let mut edges: Vec<(String, String)> = Vec::new();
            let hash = read_ftm(path, &mut |found| match found {
                Found::Org(e) => {
                    orgs.insert(e.source_id.clone(), e);
                }
                Found::Edge(owner, asset) => edges.push((owner, asset)),
            })?;
            for (owner, asset) in edges {
                if let Some(e) = orgs.get_mut(&asset).filter(|_| owner != asset)
                    && !e.owners.contains(&owner)
                {
                    e.owners.push(owner);
                }
            }
            ("opensanctions", hash, orgs.into_values().collect())
        }
        ListFormat::Csl => {
            let (hash, entities) = read_csl(path)?;
            ("csl", hash, entities)
        }
    };
    Ok(Layer {
        name: name.to_owned(),
        hash: format!("sha256:{hash}"),
        entities,
    })
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> ImportError + '_ {
    move |source| ImportError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Reads a FollowTheMoney file a line at a time, handing each organisation
/// and edge to `found`; returns the file's SHA-256, hex.
fn read_ftm(path: &Path, found: &mut dyn FnMut(Found)) -> Result<String, ImportError> {
    let file = std::fs::File::open(path).map_err(io_error(path))?;
    let reader = std::io::BufReader::with_capacity(1 << 20, file);
    opensanctions(reader, found).map_err(|e| match e {
        LineError::Io(e) => io_error(path)(e),
        LineError::Parse(line, message) => ImportError::Parse(
            supplyscreen_model::Diagnostic::error(&*path.to_string_lossy(), line as u64, message),
        ),
    })
}

/// Reads a CSL file whole; returns its SHA-256 (hex) and organisations.
fn read_csl(path: &Path) -> Result<(String, Vec<ListedEntity>), ImportError> {
    let bytes = std::fs::read(path).map_err(io_error(path))?;
    let hash = crate::hex(&Sha256::digest(&bytes));
    let text = String::from_utf8_lossy(&bytes);
    let entities = csl(&text).map_err(|m| {
        ImportError::Parse(supplyscreen_model::Diagnostic::error(
            &*path.to_string_lossy(),
            1,
            m,
        ))
    })?;
    Ok((hash, entities))
}

/// An id for an imported entity, unique within the KB (`os-...`, `csl-...`).
fn entity_id(layer: &str, source_id: &str) -> String {
    let prefix = if layer == "csl" { "csl" } else { "os" };
    let slug: String = source_id
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let slug = slug
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    format!(
        "{prefix}-{}",
        slug.get(..48).unwrap_or(&slug).trim_end_matches('-')
    )
}

fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The layer as KB TOML (`retrieved` is the date of the import).
pub fn to_toml(layer: &Layer, source: &str, retrieved: &str) -> String {
    let mut out = format!(
        "# Imported by `supplyscreen kb import` from {source}. Do not edit: import again.\n[layer]\nname = {}\nsource = {}\nretrieved = {}\nhash = {}\n",
        q(&layer.name),
        q(source),
        q(retrieved),
        q(&layer.hash)
    );
    let ids: BTreeMap<&str, String> = layer
        .entities
        .iter()
        .map(|e| (e.source_id.as_str(), entity_id(&layer.name, &e.source_id)))
        .collect();
    for e in &layer.entities {
        let names: Vec<String> = std::iter::once(&e.name)
            .chain(&e.aliases)
            .map(|n| q(n))
            .collect();
        let _ = write!(
            out,
            "\n[[entities]]\nid = {}\nname = {}\nnames = [{}]\n",
            q(&ids[e.source_id.as_str()]),
            q(&e.name),
            names.join(", ")
        );
        if let Some(c) = e.countries.first() {
            let _ = writeln!(out, "country = {}", q(c));
        }
        let _ = writeln!(
            out,
            "sources = [{}]",
            q(&format!("{source} ({})", e.source_id))
        );
        for owner in e.owners.iter().filter_map(|o| ids.get(o.as_str())) {
            let _ = write!(
                out,
                "\n[[entities.relations]]\nkind = \"owned-by\"\nentity = {}\nsource = {}\n",
                q(owner),
                q(source)
            );
        }
        for (list, from) in &e.listings {
            if let Some(from) = from.as_ref().filter(|d| d.len() == 10) {
                let _ = write!(
                    out,
                    "\n[[entities.listings]]\nlist = {}\nfrom = {}\nsource = {}\n",
                    q(list),
                    q(from),
                    q(source)
                );
            }
        }
    }
    out
}

/// The layer's records, in id order, as written to its compact file.
pub fn records(layer: &Layer, source: &str) -> Result<Vec<RecordData>, ImportError> {
    let ids: BTreeMap<&str, String> = layer
        .entities
        .iter()
        .map(|e| (e.source_id.as_str(), entity_id(&layer.name, &e.source_id)))
        .collect();
    let clean = |s: &str| s.replace(['\n', '\r'], " ");
    let mut out: Vec<RecordData> = layer
        .entities
        .iter()
        .map(|e| RecordData {
            id: ids[e.source_id.as_str()].clone(),
            provenance: format!("{source} ({})", e.source_id),
            names: std::iter::once(&e.name)
                .chain(&e.aliases)
                .map(|n| clean(n))
                .collect(),
            countries: e.countries.clone(),
            listings: e
                .listings
                .iter()
                .filter_map(|(l, f)| Some((l.clone(), f.clone().filter(|d| d.len() == 10)?)))
                .collect(),
            owners: e
                .owners
                .iter()
                .filter_map(|o| ids.get(o.as_str()).cloned())
                .collect(),
        })
        .collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    if let Some(w) = out.windows(2).find(|w| w[0].id == w[1].id) {
        return Err(ImportError::Parse(supplyscreen_model::Diagnostic::error(
            source,
            0,
            format!(
                "two organisations of the list both become KB id {:?}",
                w[0].id
            ),
        )));
    }
    Ok(out)
}

/// What [`ReadList::write`] wrote.
#[derive(Debug, Clone)]
pub struct Written {
    /// The layer file.
    pub path: PathBuf,
    /// Its name, source, date, the imported file's hash and its size.
    pub info: LayerInfo,
}

/// A list read for writing as a layer: each organisation is kept only in
/// the compact form the layer stores, from the moment it is read.
pub struct ReadList {
    name: &'static str,
    hash: String,
    collected: Collected,
}

impl std::fmt::Debug for ReadList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadList")
            .field("name", &self.name)
            .field("hash", &self.hash)
            .finish_non_exhaustive()
    }
}

/// Reads a list file for [`ReadList::write`]; `source` is the list file's
/// name as the layer records it. The layer written has the same bytes as
/// [`write_layer`] of [`read_list`]'s answer.
pub fn read_list_compact(
    path: &Path,
    format: ListFormat,
    source: &str,
) -> Result<ReadList, ImportError> {
    Ok(match format {
        ListFormat::OpenSanctions => {
            let mut collected = Collected::new("opensanctions", source, true);
            let hash = read_ftm(path, &mut |found| match found {
                Found::Org(e) => collected.add(&e),
                Found::Edge(owner, asset) => collected.add_edge(&owner, &asset),
            })?;
            ReadList {
                name: "opensanctions",
                hash,
                collected,
            }
        }
        ListFormat::Csl => {
            let (hash, entities) = read_csl(path)?;
            let mut collected = Collected::new("csl", source, false);
            for e in &entities {
                collected.add(e);
            }
            ReadList {
                name: "csl",
                hash,
                collected,
            }
        }
    })
}

impl ReadList {
    /// Writes the list as `dir/imports/<name>.layer` (see [`write_layer`]);
    /// refused when two organisations become the same KB id.
    pub fn write(self, dir: &Path, retrieved: &str) -> Result<Written, ImportError> {
        let source = self.collected.source().to_owned();
        let mut sorted = self.collected.finish()?;
        let info = LayerInfo {
            name: self.name.to_owned(),
            source,
            retrieved: retrieved.to_owned(),
            hash: format!("sha256:{}", self.hash),
            entities: sorted.count(),
        };
        let path = replace_layer(dir, &info, &mut sorted)?;
        Ok(Written { path, info })
    }
}

/// Writes a layer as `dir/imports/<name>.layer`, replacing the previous one
/// only once the new file is complete (and removing an older TOML form of
/// the same layer, which would list the same ids).
pub fn write_layer(
    dir: &Path,
    layer: &Layer,
    source: &str,
    retrieved: &str,
) -> Result<PathBuf, ImportError> {
    let info = LayerInfo {
        name: layer.name.clone(),
        source: source.to_owned(),
        retrieved: retrieved.to_owned(),
        hash: layer.hash.clone(),
        entities: layer.entities.len(),
    };
    let records = records(layer, source)?;
    replace_layer(dir, &info, &mut crate::layer::InOrder(&records))
}

/// Writes `records` as `dir/imports/<info.name>.layer` through a temporary
/// file and a rename; removes `<name>.toml` once the layer is in place.
fn replace_layer(
    dir: &Path,
    info: &LayerInfo,
    records: &mut dyn Records,
) -> Result<PathBuf, ImportError> {
    let imports = dir.join("imports");
    std::fs::create_dir_all(&imports).map_err(io_error(&imports))?;
    let target = imports.join(format!("{}.layer", info.name));
    let tmp = imports.join(format!(".{}.layer.tmp", info.name));
    let written = std::fs::File::create(&tmp).and_then(|file| {
        let out = std::io::BufWriter::with_capacity(1 << 20, file);
        crate::layer::write_layer_file(out, info, records)?
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)
            .map(drop)
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(io_error(&tmp)(e));
    }
    std::fs::rename(&tmp, &target).map_err(io_error(&target))?;
    let old = imports.join(format!("{}.toml", info.name));
    if old.is_file() {
        std::fs::remove_file(&old).map_err(io_error(&old))?;
    }
    Ok(target)
}
