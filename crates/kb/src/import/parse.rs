//! Reading the lists: FollowTheMoney JSON Lines a line at a time, and CSL
//! JSON whole, into [`ListedEntity`] values and ownership edges.

use std::io::BufRead;

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::ListedEntity;

const ORG_SCHEMAS: [&str; 4] = ["Company", "Organization", "LegalEntity", "PublicBody"];

/// What a FollowTheMoney line holds that the import keeps.
pub(super) enum Found {
    /// An organisation.
    Org(ListedEntity),
    /// An ownership edge: owner and asset list ids.
    Edge(String, String),
}

/// Why a JSON Lines list could not be read.
pub(super) enum LineError {
    Io(std::io::Error),
    Parse(usize, String),
}

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().or_else(|| x.get("id").and_then(Value::as_str)))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// FollowTheMoney JSON Lines, read a line at a time: organisations, and
/// ownership edges (flat `Ownership` entities, or nested `ownershipAsset`
/// objects). Returns the SHA-256 of the bytes read, hex.
pub(super) fn opensanctions(
    mut reader: impl BufRead,
    found: &mut dyn FnMut(Found),
) -> Result<String, LineError> {
    let mut hasher = Sha256::new();
    let mut line = Vec::new();
    for i in 1.. {
        line.clear();
        if reader.read_until(b'\n', &mut line).map_err(LineError::Io)? == 0 {
            break;
        }
        hasher.update(&line);
        let text = String::from_utf8_lossy(&line);
        if text.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(&text)
            .map_err(|e| LineError::Parse(i, format!("not a FollowTheMoney entity: {e}")))?;
        collect_ftm(&v, found);
    }
    Ok(crate::hex(&hasher.finalize()))
}

/// Takes one entity, and the entities nested in its properties.
fn collect_ftm(v: &Value, found: &mut dyn FnMut(Found)) {
    let (Some(id), Some(schema)) = (
        v.get("id").and_then(Value::as_str),
        v.get("schema").and_then(Value::as_str),
    ) else {
        return;
    };
    let props = v.get("properties");
    let prop = |k: &str| strings(props.and_then(|p| p.get(k)));
    if schema == "Ownership" {
        for owner in prop("owner") {
            for asset in prop("asset") {
                found(Found::Edge(owner.clone(), asset));
            }
        }
    } else if ORG_SCHEMAS.contains(&schema)
        && let Some(e) = ftm_org(id, v, &prop)
    {
        found(Found::Org(e));
    }
    // Nested form: referenced entities are embedded objects.
    if let Some(p) = props.and_then(Value::as_object) {
        for nested in p
            .values()
            .filter_map(Value::as_array)
            .flatten()
            .filter(|x| x.is_object())
        {
            collect_ftm(nested, found);
        }
    }
}

/// An organisation's names, countries and listings; none without a name.
fn ftm_org(id: &str, v: &Value, prop: &dyn Fn(&str) -> Vec<String>) -> Option<ListedEntity> {
    let names = prop("name");
    let name = names.first().cloned()?;
    let mut aliases: Vec<String> = names
        .into_iter()
        .skip(1)
        .chain(prop("alias"))
        .chain(prop("previousName"))
        .collect();
    aliases.dedup();
    let datasets = strings(v.get("datasets"));
    let first_seen = v
        .get("first_seen")
        .and_then(Value::as_str)
        .map(|d| d.get(..10).unwrap_or(d).to_owned());
    let listings = datasets
        .into_iter()
        .map(|d| (d, first_seen.clone()))
        .collect();
    let countries = prop("country")
        .into_iter()
        .chain(prop("jurisdiction"))
        .map(|c| c.to_uppercase())
        .collect();
    Some(ListedEntity {
        source_id: id.to_owned(),
        name,
        aliases,
        countries,
        listings,
        owners: Vec::new(),
    })
}

/// CSL JSON: `results[]` with `name`, `alt_names`, `addresses[].country`,
/// `source` (the list) and `start_date`.
pub(super) fn csl(text: &str) -> Result<Vec<ListedEntity>, String> {
    let v: Value = serde_json::from_str(text)
        .map_err(|e| format!("not Consolidated Screening List JSON: {e}"))?;
    let results = v
        .get("results")
        .and_then(Value::as_array)
        .ok_or("no \"results\" array")?;
    Ok(results
        .iter()
        .filter(|r| {
            r.get("type")
                .and_then(Value::as_str)
                .is_none_or(|t| t.eq_ignore_ascii_case("entity"))
        })
        .filter_map(|r| {
            let name = r.get("name")?.as_str()?.trim().to_owned();
            let list = r
                .get("source")
                .and_then(Value::as_str)
                .unwrap_or("Consolidated Screening List")
                .to_owned();
            let start = r
                .get("start_date")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let countries = r
                .get("addresses")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.get("country")?.as_str())
                        .map(str::to_uppercase)
                        .collect()
                })
                .unwrap_or_default();
            Some(ListedEntity {
                source_id: r
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or(&name)
                    .to_owned(),
                name,
                aliases: strings(r.get("alt_names")),
                countries,
                listings: vec![(list, start)],
                owners: Vec::new(),
            })
        })
        .collect())
}
