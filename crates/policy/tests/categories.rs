//! A line that states no category gets one from a lexicon word in its
//! description or model, with the word as evidence; a stated category wins;
//! no word leaves the category unstated.

mod common;

use common::{attribution, date, kb_with};
use supplyscreen_model::{
    CategorySource, Component, ComponentId, ComponentKind, Confidence, Doubt, FieldRole,
    ProductScope, ProfileId, Role, SourceLocation, Verdict,
};
use supplyscreen_policy::{Action, Context, WaiverLedger, evaluate};

const CAMERAS: (&str, &str) = (
    "directives/us/cameras.toml",
    r#"id = "us-cameras"
title = "No Vision cameras"
authority = "Congress"
jurisdiction = "US"
sources = ["https://example.org/cameras"]
binds = { sectors = ["federal-agency"] }
products = "unspecified"
force = "administrative-decision"
force_source = "https://example.org/cameras"

[[targets]]
entity = "vision"
products = ["video-surveillance"]

[[measures]]
restricts = "purchase"
from = "2019-08-13"
"#,
);

const LEXICON: (&str, &str) = (
    "lexicon.toml",
    r#"[[words]]
word = "IP camera"
lang = "en"
category = "video-surveillance"
source = "https://example.org/ip-camera"

[[words]]
word = "硬盘录像机"
lang = "zh"
category = "video-surveillance"
source = "https://example.org/dvr"
"#,
);

fn line(description: &str, category: Option<&str>) -> Vec<supplyscreen_model::Finding> {
    let kb = kb_with(&[CAMERAS, LEXICON]);
    let profile = kb
        .profile(&ProfileId::new("agency").expect("id"))
        .expect("profile");
    let ctx = Context::new(&kb, profile, date("2026-11-28"), None::<Action>, &[]);
    let source = SourceLocation {
        path: "po.csv".into(),
        line: 2,
        locator: None,
    };
    let mut c = Component::new(ComponentKind::OrderLine, Role::Order, source);
    c.push("Description", description, FieldRole::Description);
    c.category = category.map(str::to_owned);
    c.ordered = Some(date("2024-01-10"));
    let a = attribution("vision", Confidence::High);
    evaluate(
        &ctx,
        ComponentId::of(&c),
        &c,
        Some(&a),
        None,
        &mut WaiverLedger::new(0),
    )
}

#[test]
fn a_lexicon_word_gives_the_category_with_the_word_as_evidence() {
    let f = line("4MP IP Camera, 2.8 mm", None);
    assert_eq!(f[0].verdict, Verdict::Violation);
    let ProductScope::Covered { source, word, .. } = &f[0].scope else {
        panic!("covered: {:?}", f[0].scope);
    };
    assert_eq!(*source, CategorySource::Lexicon);
    let word = word.as_ref().expect("evidence");
    assert_eq!(
        (word.word.as_str(), word.field.as_str()),
        ("IP camera", "Description")
    );
    assert_eq!(word.kb.to_string(), "t/lexicon.toml:2");
    assert_eq!(line("8路硬盘录像机", None)[0].verdict, Verdict::Violation);
}

#[test]
fn a_stated_category_wins_and_no_word_stays_a_review() {
    assert!(line("4MP IP Camera", Some("memory")).is_empty());
    let f = line("Mounting bracket", None);
    assert_eq!(f[0].verdict, Verdict::Review);
    assert!(matches!(f[0].doubts[0], Doubt::UnstatedCategory { .. }));
}
