//! Identification against a compact imported layer gives the attributions
//! the TOML form of the same list gave, and cites the layer file and record.

use supplyscreen_identify::Matcher;
use supplyscreen_kb::import::{Layer, ListedEntity, records, to_toml};
use supplyscreen_kb::layer::encode;
use supplyscreen_kb::{Kb, KbFile, LayerFile, LayerInfo, embedded_files};

fn listed() -> Layer {
    let openings = [
        "Shenzhen Huaxin",
        "香港星凯",
        "OOO Vektor",
        "Novaterm",
        "深圳市华鑫",
    ];
    let forms = ["Co., Ltd.", "有限公司", "GmbH", "LLC"];
    let entities = (0..200)
        .map(|i| ListedEntity {
            source_id: format!("NK-{i:04}"),
            name: format!("{} {} Trading {}", openings[i % 5], i / 5, forms[i % 4]),
            aliases: vec![format!("{}{}", openings[(i + 1) % 5], i % 7)],
            countries: vec!["CN".to_owned()],
            listings: Vec::new(),
            owners: if i % 9 == 4 {
                vec![format!("NK-{:04}", i - 4)]
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

fn kbs(layer: &Layer) -> (Kb, Kb) {
    let mut files = embedded_files();
    files.push(KbFile {
        rel: "imports/opensanctions.toml".to_owned(),
        display: "imports/opensanctions.toml".to_owned(),
        text: to_toml(layer, "entities.ftm.json", "2026-11-28"),
    });
    let toml = Kb::load(files).expect("TOML layer loads");
    let info = LayerInfo {
        name: layer.name.clone(),
        source: "entities.ftm.json".to_owned(),
        retrieved: "2026-11-28".to_owned(),
        hash: layer.hash.clone(),
        entities: layer.entities.len(),
    };
    let bytes = encode(
        &info,
        &mut records(layer, "entities.ftm.json").expect("records"),
    );
    let file = LayerFile {
        rel: "imports/opensanctions.layer".to_owned(),
        display: "imports/opensanctions.layer".to_owned(),
        bytes,
    };
    let compact = Kb::load_with_layers(embedded_files(), vec![file]).expect("layer loads");
    (toml, compact)
}

/// What an attribution says, without where the KB writes it.
fn said(m: &Matcher, text: &str) -> Option<(String, String, Vec<String>)> {
    let a = m.identify_text(text).attribution?;
    Some((
        a.entity.to_string(),
        format!("{:?}", a.confidence),
        a.evidence.iter().map(|e| e.matched.clone()).collect(),
    ))
}

#[test]
fn attributions_are_those_of_the_toml_form_and_cite_the_record() {
    let layer = listed();
    let (toml, compact) = kbs(&layer);
    let (a, b) = (Matcher::new(&toml), Matcher::new(&compact));
    let mut texts: Vec<String> = layer
        .entities
        .iter()
        .flat_map(|e| [e.name.clone(), format!("by {} x", e.aliases[0])])
        .collect();
    texts.extend(
        [
            "Micron Technology DDR4",
            "香港星凯佳电子有限公司",
            "Shenzhen Huaxin 3 Trading Co",
            "Kingston KHX2666C16/8G",
            "Novaterm",
        ]
        .map(String::from),
    );
    let mut attributed = 0;
    for t in &texts {
        let want = said(&a, t);
        assert_eq!(said(&b, t), want, "{t:?}");
        attributed += usize::from(want.is_some());
    }
    assert!(attributed > 200, "{attributed}");
    let hit = b
        .identify_text("Shenzhen Huaxin 0 Trading Co., Ltd.")
        .attribution
        .expect("attributed");
    assert_eq!(hit.entity.as_str(), "os-nk-0000");
    assert_eq!(&*hit.evidence[0].kb.file, "imports/opensanctions.layer");
    assert_eq!(hit.evidence[0].kb.line, 1);
}
