//! The bytes of an imported layer are fixed: a FollowTheMoney list with the
//! awkward cases (repeated ids, nested entities, ownership edges to unknown,
//! repeated or self owners, names over several lines, scripts whose
//! lowercase is longer) and the CSL fixture give layer files whose SHA-256
//! was recorded from the import that held the whole list in memory. The
//! streaming import writes the same bytes as writing the list read whole,
//! the files load, and the same input imports to the same bytes again.

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use common::WORDS;
use sha2::{Digest, Sha256};
use supplyscreen_kb::import::{ListFormat, read_list, read_list_compact, write_layer};
use supplyscreen_kb::{Kb, LayerFile, embedded_files};
use supplyscreen_model::EntityId;

/// SHA-256 of the layer written for [`awkward_list`].
const FTM_LAYER_SHA256: &str = "06d9d590bc447849a92cf2feb038f4b2bf9429a45e069b68181734a45f7ef95f";
/// SHA-256 of the layer written for `fixtures/public-lists/csl.json`.
const CSL_LAYER_SHA256: &str = "c1433b0d192f703da1e27dafabff82e0ef13445f0739dd400931467fb0362215";

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "supplyscreen-kb-import-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

const SCHEMAS: [&str; 5] = [
    "Company",
    "Organization",
    "LegalEntity",
    "PublicBody",
    "Person",
];

/// One FollowTheMoney organisation (or person, for `i % 5 == 4`) as a JSON line.
fn entity_line(i: usize) -> String {
    let schema = SCHEMAS[i % 5];
    let name = format!("{} {} Trading {i}", WORDS[i % 9], WORDS[(i / 9) % 9]);
    let mut names = vec![serde_json::Value::from(name.clone())];
    if i % 6 == 1 {
        names.push(format!("{name} (second name)").into());
    }
    if i % 17 == 2 {
        names.push(format!("{}\nline two\r\n", WORDS[i % 9]).into());
    }
    let alias = if i.is_multiple_of(4) {
        vec![format!("{}{}", WORDS[(i + 3) % 9], i % 5)]
    } else if i % 4 == 1 {
        // Two equal aliases in a row are kept once.
        vec!["Same Alias".to_owned(), "Same Alias".to_owned()]
    } else {
        Vec::new()
    };
    let first_seen = match i % 3 {
        0 => serde_json::Value::from("2024-03-01T00:00:00"),
        1 => serde_json::Value::from("2024"),
        _ => serde_json::Value::Null,
    };
    let id = if i % 50 == 7 {
        format!("NK--{i}--a/very:long/source.id.that.goes.beyond.forty.eight.characters")
    } else {
        format!("NK-{i:05}")
    };
    serde_json::json!({
        "id": id,
        "schema": schema,
        "properties": {
            "name": names,
            "alias": alias,
            "previousName": if i.is_multiple_of(11) { vec![format!("Old {i}")] } else { Vec::new() },
            "country": if i.is_multiple_of(7) { vec!["cn", "hk"] } else { vec!["ru"] },
            "jurisdiction": if i.is_multiple_of(13) { vec!["ae"] } else { Vec::new() },
        },
        "datasets": if i.is_multiple_of(2) { vec!["us_ofac_sdn", "eu_fsf"] } else { vec!["gb_hmt_sanctions"] },
        "first_seen": first_seen,
    })
    .to_string()
}

fn ownership(id: &str, owner: &str, asset: &str) -> String {
    serde_json::json!({
        "id": id,
        "schema": "Ownership",
        "properties": {"owner": [owner], "asset": [asset]},
    })
    .to_string()
}

/// A list with repeated ids, nested entities, blank lines and ownership
/// edges of every kind the import meets.
fn awkward_list() -> String {
    let mut out = String::new();
    for i in 0..400 {
        let _ = writeln!(out, "{}", entity_line(i));
        if i % 37 == 5 {
            out.push('\n');
        }
        if i % 10 == 3 {
            // Owned by an earlier organisation, twice over, and by a later one.
            let owner = format!("NK-{:05}", i - 3);
            let _ = writeln!(out, "{}", ownership("own-a", &owner, &format!("NK-{i:05}")));
            let _ = writeln!(out, "{}", ownership("own-b", &owner, &format!("NK-{i:05}")));
            let later = format!("NK-{:05}", i + 5);
            let _ = writeln!(out, "{}", ownership("own-c", &later, &format!("NK-{i:05}")));
        }
    }
    // Self ownership, an unknown owner, an unknown asset, a person owner.
    for (owner, asset) in [
        ("NK-00010", "NK-00010"),
        ("NK-99999", "NK-00011"),
        ("NK-00012", "NK-99998"),
        ("NK-00004", "NK-00013"),
    ] {
        let _ = writeln!(out, "{}", ownership("own-x", owner, asset));
    }
    // A later line with the same id replaces the organisation.
    let _ = writeln!(
        out,
        "{}",
        serde_json::json!({
            "id": "NK-00020", "schema": "Company",
            "properties": {"name": ["Replaced Name Ltd"], "country": ["de"]},
            "datasets": ["de_list"], "first_seen": "2025-01-02T00:00:00",
        })
    );
    // Nested: an organisation holding its owned company and the edge.
    let _ = writeln!(
        out,
        "{}",
        serde_json::json!({
            "id": "NK-nested-parent", "schema": "Company",
            "properties": {
                "name": ["Nested Parent Holdings"],
                "ownershipOwner": [{
                    "id": "NK-nested-own", "schema": "Ownership",
                    "properties": {
                        "owner": ["NK-nested-parent"],
                        "asset": [{"id": "NK-nested-child", "schema": "Company",
                                   "properties": {"name": ["Nested Child Ltd"]}}],
                    },
                }],
            },
            "datasets": ["us_bis_entity"], "first_seen": "2024-05-06T00:00:00",
        })
    );
    out
}

/// Imports `path` into `dir` as `kb import` does; returns the layer file,
/// after checking that the layer written from the whole list read into
/// memory has the same bytes.
fn import(path: &Path, format: ListFormat, dir: &Path, source: &str) -> PathBuf {
    let written = read_list_compact(path, format, source)
        .expect("the list reads")
        .write(dir, "2026-11-28")
        .expect("the layer is written");
    let layer = read_list(path, format).expect("the list reads");
    assert_eq!(written.info.entities, layer.entities.len());
    assert_eq!(written.info.hash, layer.hash);
    let whole = dir.join("whole");
    let path = write_layer(&whole, &layer, source, "2026-11-28").expect("the layer is written");
    assert!(std::fs::read(&path).ok() == std::fs::read(&written.path).ok());
    written.path
}

fn sha256_of(path: &Path) -> String {
    let bytes = std::fs::read(path).expect("layer file");
    Sha256::digest(&bytes)
        .iter()
        .fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn load(path: &Path) -> Kb {
    let file = LayerFile {
        rel: "imports/test.layer".to_owned(),
        display: "kb/imports/test.layer".to_owned(),
        bytes: std::fs::read(path).expect("layer file"),
    };
    Kb::load_with_layers(embedded_files(), vec![file]).expect("the layer loads")
}

#[test]
fn a_followthemoney_import_writes_the_recorded_bytes_and_loads() {
    let dir = temp_dir("ftm");
    let list = dir.join("entities.ftm.json");
    std::fs::write(&list, awkward_list()).expect("list written");
    let written = import(
        &list,
        ListFormat::OpenSanctions,
        &dir.join("kb"),
        "entities.ftm.json",
    );
    assert_eq!(sha256_of(&written), FTM_LAYER_SHA256);
    let again = import(
        &list,
        ListFormat::OpenSanctions,
        &dir.join("kb2"),
        "entities.ftm.json",
    );
    assert_eq!(std::fs::read(&written).ok(), std::fs::read(&again).ok());
    let kb = load(&written);
    // 400 lines, a fifth of them persons, and the two nested companies.
    assert_eq!(kb.imported()[0].len(), 322);
    let id = |s: &str| EntityId::new(s).expect("id");
    let replaced = kb.entity(&id("os-nk-00020")).expect("replaced entity");
    assert_eq!(replaced.name, "Replaced Name Ltd");
    assert_eq!(replaced.country.as_deref(), Some("DE"));
    let owned = kb.entity(&id("os-nk-00013")).expect("owned entity");
    let owners: Vec<&str> = owned.relations.iter().map(|r| r.to.as_str()).collect();
    assert_eq!(owners, ["os-nk-00010", "os-nk-00018"]);
    let child = kb.entity(&id("os-nk-nested-child")).expect("nested child");
    assert_eq!(child.relations[0].to.as_str(), "os-nk-nested-parent");
    assert!(
        kb.search_entities("line two")
            .iter()
            .any(|e| e.id.as_str() == "os-nk-00002")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_csl_import_writes_the_recorded_bytes() {
    let dir = temp_dir("csl");
    let list = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/public-lists/csl.json");
    let written = import(&list, ListFormat::Csl, &dir, "csl.json");
    assert_eq!(sha256_of(&written), CSL_LAYER_SHA256);
    assert_eq!(load(&written).imported()[0].len(), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn two_list_ids_becoming_one_kb_id_are_refused_and_the_last_layer_stays() {
    let dir = temp_dir("clash");
    let list = dir.join("entities.ftm.json");
    std::fs::write(&list, awkward_list()).expect("list written");
    let kb = dir.join("kb");
    let written = import(&list, ListFormat::OpenSanctions, &kb, "entities.ftm.json");
    let before = std::fs::read(&written).expect("layer");
    let clash = [
        r#"{"id": "NK-a.b", "schema": "Company", "properties": {"name": ["Dot Ltd"]}}"#,
        r#"{"id": "NK-a-b", "schema": "Company", "properties": {"name": ["Dash Ltd"]}}"#,
    ];
    std::fs::write(&list, clash.join("\n")).expect("list written");
    let err = read_list_compact(&list, ListFormat::OpenSanctions, "entities.ftm.json")
        .expect("the list reads")
        .write(&kb, "2026-11-29")
        .expect_err("two organisations become os-nk-a-b");
    assert!(
        err.to_string().contains(r#"both become KB id "os-nk-a-b""#),
        "{err}"
    );
    assert_eq!(std::fs::read(&written).ok(), Some(before));
    let _ = std::fs::remove_dir_all(&dir);
}
