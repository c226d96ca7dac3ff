//! The renderers of the commands besides `scan`, on the embedded KB.

use supplyscreen_model::Date;
use supplyscreen_report::{
    render_directives, render_identify_json, render_identify_table, render_kb_item,
    render_kb_search,
};
use supplyscreen_screen::{
    DirectiveFilter, directive_views, identify_texts, kb_item, load_kb, search_kb,
};

#[test]
fn identify_json_has_its_documented_shape() {
    let kb = load_kb(None).expect("embedded KB");
    let texts = ["802C".to_owned(), "Zebra Printers".to_owned()];
    let results = identify_texts(&kb, Default::default(), &texts, false);
    let text = render_identify_json(&kb, &results).expect("renders");
    let doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(doc["kb"]["version"], kb.version());
    assert_eq!(doc["results"][0]["attribution"]["entity"], "micron");
    assert!(doc["results"][1]["attribution"].is_null());
    assert!(doc["results"][0].get("explanation").is_none());
    // Keys are alphabetical at every depth: "hash" before "version".
    assert!(text.find("\"hash\"") < text.find("\"version\""), "{text}");
    let table = render_identify_table(&results);
    assert!(table.starts_with("\"802C\"\n"), "{table}");
    assert!(
        table.contains("\"Zebra Printers\"\n  not attributed"),
        "{table}"
    );
}

#[test]
fn kb_pages_and_directive_lists() {
    let kb = load_kb(None).expect("embedded KB");
    let micron = kb_item(&kb, "micron").expect("micron");
    let page = render_kb_item(&micron);
    assert!(
        page.starts_with("entity micron — Micron Technology, Inc. (US) ["),
        "{page}"
    );
    assert!(
        page.contains("  affiliate elpida acquired-by micron [data/entities/elpida.toml:"),
        "{page}"
    );
    let found = render_kb_search("no such maker", &search_kb(&kb, "no such maker"));
    assert_eq!(found, "nothing in the KB matches \"no such maker\"\n");
    let none = DirectiveFilter {
        in_force_on: Some(Date::constant(2015, 1, 1)),
        jurisdiction: Some("CN"),
        ..DirectiveFilter::default()
    };
    assert_eq!(
        render_directives(&directive_views(&kb, &none)),
        "no directive matches\n"
    );
    let cac = |on| {
        let filter = DirectiveFilter {
            in_force_on: on,
            jurisdiction: Some("CN"),
            ..DirectiveFilter::default()
        };
        let views = directive_views(&kb, &filter);
        let cac = views
            .into_iter()
            .filter(|v| v.directive.id.as_str() == "cn-cac-2023-micron")
            .collect::<Vec<_>>();
        render_directives(&cac)
    };
    let listed = cac(None);
    assert!(
        listed.contains("\n  purchase restricted from 2023-05-21\n"),
        "{listed}"
    );
    let listed = cac(Some(Date::constant(2026, 12, 1)));
    assert!(
        listed.contains("\n  purchase restricted from 2023-05-21 · in force\n"),
        "{listed}"
    );
    let uel = directive_views(
        &kb,
        &DirectiveFilter {
            in_force_on: Some(Date::constant(2026, 1, 15)),
            jurisdiction: Some("CN"),
            ..DirectiveFilter::default()
        },
    );
    let uel: Vec<_> = uel
        .into_iter()
        .filter(|v| v.directive.id.as_str() == "cn-mofcom-uel-2025-04-04")
        .collect();
    assert!(
        render_directives(&uel).contains(
            "import restricted from 2025-04-04 · SUSPENDED from 2025-11-10 until 2026-11-10"
        ),
        "{}",
        render_directives(&uel)
    );
}
