//! The compact layer file: the same entities and search answers as the TOML
//! form of the same list, a damaged file refused with its offset, and the KB
//! hash following the layer's content.

mod common;

use std::path::Path;

use common::WORDS;
use supplyscreen_kb::import::{Layer, ListFormat, ListedEntity, read_list, records, to_toml};
use supplyscreen_kb::layer::encode;
use supplyscreen_kb::{Kb, KbFile, LayerFile, LayerInfo, LoadError, embedded_files};
use supplyscreen_model::EntityId;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/public-lists")
        .join(name)
}

/// A list of organisations with shared openings, scripts and owners.
fn listed() -> Layer {
    // The first seven words (names pinned by the tests below).
    let words = &WORDS[..7];
    let entities = (0..150)
        .map(|i| ListedEntity {
            source_id: format!("NK-{i:04}"),
            name: format!("{} {} Trading {}", words[i % 7], words[(i / 7) % 7], i),
            aliases: vec![format!("{}{}", words[(i + 3) % 7], i % 5)],
            countries: vec!["CN".to_owned()],
            listings: vec![("us_ofac_sdn".to_owned(), Some("2024-03-01".to_owned()))],
            owners: if i % 10 == 3 {
                vec![format!("NK-{:04}", i - 3)]
            } else {
                Vec::new()
            },
        })
        .collect();
    Layer {
        name: "opensanctions".to_owned(),
        hash: "sha256:00".to_owned(),
        entities,
    }
}

fn layer_bytes(layer: &Layer) -> Vec<u8> {
    let info = LayerInfo {
        name: layer.name.clone(),
        source: "entities.ftm.json".to_owned(),
        retrieved: "2026-11-28".to_owned(),
        hash: layer.hash.clone(),
        entities: layer.entities.len(),
    };
    encode(
        &info,
        &mut records(layer, "entities.ftm.json").expect("records"),
    )
}

fn compact(bytes: Vec<u8>) -> Result<Kb, LoadError> {
    let file = LayerFile {
        rel: "imports/opensanctions.layer".to_owned(),
        display: "kb/imports/opensanctions.layer".to_owned(),
        bytes,
    };
    Kb::load_with_layers(embedded_files(), vec![file])
}

fn as_toml(layer: &Layer) -> Kb {
    let mut files = embedded_files();
    files.push(KbFile {
        rel: "imports/opensanctions.toml".to_owned(),
        display: "imports/opensanctions.toml".to_owned(),
        text: to_toml(layer, "entities.ftm.json", "2026-11-28"),
    });
    Kb::load(files).expect("the TOML layer loads")
}

fn ids(found: Vec<&supplyscreen_kb::Entity>) -> Vec<String> {
    found.iter().map(|e| e.id.to_string()).collect()
}

#[test]
fn the_compact_layer_answers_searches_and_lookups_as_the_toml_form() {
    let layer = listed();
    let toml = as_toml(&layer);
    let kb = compact(layer_bytes(&layer)).expect("the compact layer loads");
    assert_eq!(kb.imported()[0].len(), 150);
    let needles = [
        "huaxin",
        "HUAXIN NOVATERM",
        "trading 1",
        "香港星",
        "i̇stanbul",
        "ооо",
        "lux",
        "os-nk-00",
        "x",
        "zz",
        "micron",
        "nope nope",
    ];
    let mut total = 0;
    for n in needles {
        let want = ids(toml.search_entities(n));
        assert_eq!(ids(kb.search_entities(n)), want, "{n:?}");
        total += want.len();
    }
    assert!(total > 300, "{total}");
    for i in [0, 3, 13, 149] {
        let id = EntityId::new(&format!("os-nk-{i:04}")).expect("id");
        let (a, b) = (
            toml.entity(&id).expect("toml"),
            kb.entity(&id).expect("compact"),
        );
        let texts = |e: &supplyscreen_kb::Entity| -> Vec<String> {
            e.names.iter().map(|n| n.text.clone()).collect()
        };
        assert_eq!(
            (&a.name, texts(a), &a.country),
            (&b.name, texts(b), &b.country)
        );
        assert_eq!(a.sources, b.sources);
        let rel = |e: &supplyscreen_kb::Entity| -> Vec<(String, String)> {
            e.relations
                .iter()
                .map(|r| (r.to.to_string(), r.source.clone()))
                .collect()
        };
        assert_eq!(rel(a), rel(b));
        let lists = |e: &supplyscreen_kb::Entity| -> Vec<String> {
            e.listings
                .iter()
                .map(|l| format!("{} {}", l.list, l.from))
                .collect()
        };
        assert_eq!(lists(a), lists(b));
        assert_eq!(b.layer.as_deref(), Some("opensanctions"));
        // Provenance: the layer file and the record's number.
        assert_eq!(&*b.kb.file, "kb/imports/opensanctions.layer");
        assert_eq!(b.kb.line as usize, i + 1);
    }
}

#[test]
fn a_real_list_fixture_round_trips_with_its_ownership_edge() {
    let layer = read_list(&fixture("targets.nested.json"), ListFormat::OpenSanctions)
        .expect("fixture reads");
    let kb = compact(layer_bytes(&layer)).expect("loads");
    let lens = kb
        .entity(&EntityId::new("os-nk-examplelens").expect("id"))
        .expect("the nested company is imported");
    assert_eq!(lens.relations[0].to.as_str(), "os-nk-exampleimaging");
    assert_eq!(
        ids(kb.search_entities("example imaging")),
        ["os-nk-exampleimaging"]
    );
}

fn error_text(bytes: Vec<u8>) -> String {
    match compact(bytes) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a damaged layer loaded"),
    }
}

#[test]
fn a_damaged_or_truncated_layer_is_refused_naming_file_and_offset() {
    let bytes = layer_bytes(&listed());
    let cut = bytes.len() / 2;
    let err = error_text(bytes[..cut].to_vec());
    assert!(err.contains("kb/imports/opensanctions.layer"), "{err}");
    assert!(err.contains(&format!("byte offset {}", cut - 32)), "{err}");
    let mut flipped = bytes.clone();
    flipped[200] ^= 0x20;
    let err = error_text(flipped);
    assert!(
        err.contains("SHA-256 trailer") && err.contains("opensanctions.layer"),
        "{err}"
    );
    assert!(error_text(b"short".to_vec()).contains("byte offset 5"));
}

#[test]
fn a_record_that_does_not_decode_is_named_with_its_number() {
    use sha2::{Digest, Sha256};
    let mut bytes = layer_bytes(&listed());
    let body = bytes.len() - 32;
    // Break the length of the second record's id, and write a checksum
    // that matches, as a faulty writer would.
    let at = bytes
        .windows(10)
        .position(|w| w == b"os-nk-0001")
        .expect("second record");
    bytes[at - 1] = 0x7f;
    let digest = Sha256::digest(&bytes[..body]);
    bytes[body..].copy_from_slice(&digest);
    let err = error_text(bytes);
    assert!(err.contains("record 2"), "{err}");
    assert!(err.contains("opensanctions.layer"), "{err}");
}

#[test]
fn the_kb_hash_follows_the_layer() {
    let layer = listed();
    let a = compact(layer_bytes(&layer)).expect("loads");
    let again = compact(layer_bytes(&layer)).expect("loads");
    assert_eq!(a.hash(), again.hash());
    let mut changed = layer;
    changed.entities[7].aliases.push("Another Name".to_owned());
    let b = compact(layer_bytes(&changed)).expect("loads");
    assert_ne!(a.hash(), b.hash());
    let plain = Kb::load(embedded_files()).expect("embedded");
    assert_ne!(plain.hash(), a.hash());
}
