//! `Kb::search_entities` gives exactly the entities a scan of every id and
//! name finds, on the embedded KB and on a KB with an imported layer of
//! multilingual names.

use supplyscreen_kb::import::{Layer, ListedEntity, to_toml};
use supplyscreen_kb::{Entity, Kb, KbFile, embedded_files};

/// The answer by scanning: every entity whose id or a name contains `text`, ignoring case.
fn scanned(kb: &Kb, text: &str) -> Vec<String> {
    let needle = text.to_lowercase();
    let hit = |s: &str| s.to_lowercase().contains(&needle);
    kb.entities()
        .filter(|e| hit(e.id.as_str()) || hit(&e.name) || e.names.iter().any(|n| hit(&n.text)))
        .map(|e| e.id.to_string())
        .collect()
}

fn searched(kb: &Kb, text: &str) -> Vec<String> {
    kb.search_entities(text)
        .into_iter()
        .map(|e: &Entity| e.id.to_string())
        .collect()
}

/// Needles from every entity: its id, its names in other case, and pieces of
/// them cut at character boundaries (including pieces shorter than a trigram).
fn needles(kb: &Kb) -> Vec<String> {
    let mut out = vec![
        String::new(),
        "no such maker".to_owned(),
        "zzq".to_owned(),
        "MICRON".to_owned(),
        "美光".to_owned(),
    ];
    for e in kb.entities() {
        out.push(e.id.to_string());
        for n in std::iter::once(&e.name).chain(e.names.iter().map(|n| &n.text)) {
            out.push(n.to_uppercase());
            let chars: Vec<char> = n.chars().collect();
            for (from, len) in [(0, 2), (1, 3), (chars.len() / 2, 4)] {
                out.push(chars.iter().skip(from).take(len).collect());
            }
        }
    }
    out
}

fn same_answers(kb: &Kb) -> usize {
    let needles = needles(kb);
    for n in &needles {
        assert_eq!(searched(kb, n), scanned(kb, n), "needle {n:?}");
    }
    needles.len()
}

#[test]
fn the_index_finds_what_a_scan_finds_in_the_embedded_kb() {
    let kb = Kb::embedded().expect("embedded KB is valid");
    assert!(same_answers(&kb) > 100);
    assert!(searched(&kb, "micron").contains(&"micron".to_owned()));
}

#[test]
fn the_index_finds_what_a_scan_finds_with_an_imported_layer() {
    let words = [
        "Huaxin",
        "Novaterm",
        "ТехПром",
        "深圳市华鑫科技",
        "アカサタ",
        "Östra",
        "İstanbul",
    ];
    let forms = ["Co., Ltd.", "GmbH", "OOO", "有限公司", "株式会社", "LLC"];
    let entities: Vec<ListedEntity> = (0..400)
        .map(|i| ListedEntity {
            source_id: format!("NK-test-{i:04}"),
            name: format!(
                "{} {} {i} {}",
                words[i % 7],
                words[(i / 7) % 7],
                forms[i % 6]
            ),
            aliases: vec![format!("{}{}", words[(i + 3) % 7], forms[(i + 1) % 6])],
            countries: vec!["CN".to_owned()],
            listings: Vec::new(),
            owners: Vec::new(),
        })
        .collect();
    let layer = Layer {
        name: "opensanctions".to_owned(),
        hash: "sha256:00".to_owned(),
        entities,
    };
    let mut files = embedded_files();
    files.push(KbFile {
        rel: "imports/opensanctions.toml".to_owned(),
        display: "imports/opensanctions.toml".to_owned(),
        text: to_toml(&layer, "entities.ftm.json", "2026-11-28"),
    });
    let kb = Kb::load(files).expect("the layer loads");
    assert!(kb.entities().count() > 400);
    assert!(same_answers(&kb) > 2000);
    assert_eq!(searched(&kb, "huaxin novaterm 7 ").len(), 1);
    assert_eq!(
        searched(&kb, "İSTANBUL").len(),
        scanned(&kb, "i̇stanbul").len()
    );
}
