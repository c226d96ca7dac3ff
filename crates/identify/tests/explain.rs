//! `Matcher::explain`: each piece of evidence with why it weighs what it
//! weighs, and for text that matched nothing, the nearest KB names and
//! patterns with why each fell short.

mod common;

use common::matcher;

use supplyscreen_identify::Matcher;
use supplyscreen_model::{Confidence, EvidenceKind, Explanation};

fn explain(m: &Matcher, text: &str) -> Explanation {
    m.explain(text, &m.identify_text(text))
}

/// (entity, why) of the closest near miss.
fn nearest(m: &Matcher, text: &str) -> (String, String) {
    let e = explain(m, text);
    assert!(e.pieces.is_empty() && e.decision.is_none(), "{text}: {e:?}");
    let first = e
        .near_misses
        .first()
        .unwrap_or_else(|| panic!("{text}: no near miss"));
    (first.entity.to_string(), first.why.clone())
}

#[test]
fn every_piece_has_its_kb_line_confidence_and_reason() {
    let m = matcher();
    let e = explain(m, "Crucial_CT250MX200SSD1");
    assert_eq!(e.pieces.len(), 2);
    let kinds: Vec<_> = e.pieces.iter().map(|p| (p.kind, p.confidence)).collect();
    assert_eq!(
        kinds,
        [
            (EvidenceKind::PartNumber, Confidence::Medium),
            (EvidenceKind::Name, Confidence::High)
        ]
    );
    assert!(e.pieces.iter().all(|p| !p.conflict
        && p.entity.as_str() == "micron"
        && p.kb.to_string().starts_with("data/entities/micron.toml:")));
    let decision = e.decision.expect("decision");
    assert!(
        decision.starts_with("confidence high: independent kinds of evidence agree"),
        "{decision}"
    );
    assert!(e.near_misses.is_empty());
}

#[test]
fn a_typo_alone_is_low_and_goes_to_review() {
    let m = matcher();
    let e = explain(m, "Mircon");
    assert_eq!(e.pieces[0].kind, EvidenceKind::FuzzyName);
    assert_eq!(e.pieces[0].confidence, Confidence::Low);
    assert!(
        e.decision
            .is_some_and(|d| d.starts_with("confidence low") && d.contains("review"))
    );
}

#[test]
fn a_conflict_is_shown_as_such() {
    let m = matcher();
    let e = explain(m, "Micron M393A2K40BB1-CRC");
    let conflict = e
        .pieces
        .iter()
        .find(|p| p.conflict)
        .expect("a conflict piece");
    assert_eq!(conflict.entity.as_str(), "micron");
    assert!(
        e.decision
            .is_some_and(|d| d.contains("points at another company"))
    );
}

#[test]
fn near_misses_say_why_they_fell_short() {
    let m = matcher();
    for (text, entity, why) in [
        ("HT Micron", "micron", "occurs only inside \"HT Micron\""),
        ("SKhynix", "sk-hynix", "split into words differently"),
        ("Microns", "micron", "runs on past \"micron\""),
        ("Micr", "micron", "cut short of \"micron\""),
        ("Macron", "micron", "keys that are not neighbours"),
        ("Kingstn", "kingston", "one letter fewer than \"kingston\""),
        ("Mcron", "micron", "one letter fewer"),
        (
            "Yangtze River",
            "ymtc",
            "has \"yangtze\" but not the rest of",
        ),
        ("MT4OA1G8SA", "micron", "'O' is read as '0'"),
    ] {
        let (got_entity, got_why) = nearest(m, text);
        assert_eq!(got_entity, entity, "{text}: {got_why}");
        assert!(got_why.contains(why), "{text}: {got_why}");
    }
}

#[test]
fn unrelated_text_has_no_near_misses() {
    let m = matcher();
    for text in [
        "Zebra Printers",
        "Technology Inc",
        "Unknown",
        "Not Specified",
        "0000",
    ] {
        let e = explain(m, text);
        assert!(e.near_misses.is_empty(), "{text}: {:?}", e.near_misses);
    }
}

#[test]
fn near_misses_are_few_closest_first_and_one_per_entity() {
    let m = matcher();
    let e = explain(m, "Microns Inc");
    assert!(e.near_misses.len() <= 5);
    let sims: Vec<u8> = e.near_misses.iter().map(|n| n.similarity).collect();
    assert!(sims.windows(2).all(|w| w[0] >= w[1]), "{sims:?}");
    let mut ids: Vec<_> = e.near_misses.iter().map(|n| n.entity.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), e.near_misses.len());
}
