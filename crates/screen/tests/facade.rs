//! The facade functions a front end calls besides `screen`, on the embedded KB.

use supplyscreen_model::{Date, ProfileId};
use supplyscreen_screen::{
    DirectiveFilter, KbItem, LoadError, directives_binding, identify_texts, kb_item, load_kb,
    search_kb,
};

fn ids<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> Vec<String> {
    items.into_iter().map(|i| i.to_string()).collect()
}

#[test]
fn directives_binding_a_profile_on_a_date() {
    let kb = load_kb(None).expect("embedded KB loads");
    let profile = kb
        .profile(&ProfileId::new("cn-cii").expect("id"))
        .expect("cn-cii");
    let on = |day| DirectiveFilter {
        profile: Some(profile),
        in_force_on: Some(day),
        ..DirectiveFilter::default()
    };
    let early = directives_binding(&kb, &on(Date::constant(2015, 1, 1)));
    assert!(early.is_empty(), "{:?}", ids(early.iter().map(|d| &d.id)));
    let later = ids(directives_binding(&kb, &on(Date::constant(2024, 1, 1)))
        .iter()
        .map(|d| &d.id));
    assert_eq!(later[0], "cn-cac-2023-micron");
    assert!(!later.contains(&"cn-mofcom-uel-2025-01-02".to_owned()));
    // The jurisdiction is compared without regard to case; no filter lists all.
    let cn = DirectiveFilter {
        jurisdiction: Some("cn"),
        ..DirectiveFilter::default()
    };
    let all = directives_binding(&kb, &DirectiveFilter::default());
    assert!(
        directives_binding(&kb, &cn)
            .iter()
            .all(|d| d.jurisdiction.as_str() == "CN")
    );
    assert_eq!(all.len(), kb.directives().count());
}

#[test]
fn kb_items_and_search() {
    let kb = load_kb(None).expect("embedded KB loads");
    let Some(KbItem::Entity { entity, affiliates }) = kb_item(&kb, "micron") else {
        panic!("micron is an entity");
    };
    assert_eq!(entity.id.as_str(), "micron");
    let affiliates: Vec<String> = affiliates
        .iter()
        .map(|(e, r)| format!("{} {}", e.id, r.kind.as_str()))
        .collect();
    assert!(
        affiliates.contains(&"elpida acquired-by".to_owned()),
        "{affiliates:?}"
    );
    assert!(matches!(
        kb_item(&kb, "cn-cac-2023-micron"),
        Some(KbItem::Directive(_))
    ));
    let Some(KbItem::Profile { bound_by, .. }) = kb_item(&kb, "cn-cii") else {
        panic!("cn-cii is a profile");
    };
    assert!(
        bound_by
            .iter()
            .any(|d| d.id.as_str() == "cn-cac-2023-micron")
    );
    assert!(kb_item(&kb, "nobody").is_none());
    let found = search_kb(&kb, "MICRON");
    assert!(
        found.entities.iter().any(|e| e.id.as_str() == "elpida"),
        "names contain Micron"
    );
    assert!(
        found
            .directives
            .iter()
            .any(|d| d.id.as_str() == "cn-cac-2023-micron")
    );
    let none = search_kb(&kb, "no such maker");
    assert!(none.entities.is_empty() && none.directives.is_empty());
}

#[test]
fn identify_texts_names_the_entity_and_explains_on_request() {
    let kb = load_kb(None).expect("embedded KB loads");
    let texts = ["802C".to_owned(), "Zebra Printers".to_owned()];
    let plain = identify_texts(&kb, Default::default(), &texts, false);
    assert_eq!(
        plain[0].entity_name.as_deref(),
        Some("Micron Technology, Inc.")
    );
    assert!(plain[0].explanation.is_none());
    assert!(plain[1].identification.attribution.is_none());
    let why = identify_texts(&kb, Default::default(), &texts, true);
    assert!(why.iter().all(|t| t.explanation.is_some()));
}

#[test]
fn a_missing_overlay_is_an_io_error() {
    let missing = std::env::temp_dir().join("supplyscreen-no-such-overlay");
    assert!(matches!(load_kb(Some(&missing)), Err(LoadError::Io { .. })));
}
