//! The policy semantics on the CAC Micron directive.

use supplyscreen_kb::{Kb, Profile};
use supplyscreen_model::{
    Attribution, Component, ComponentKind, Confidence, Date, EntityId, FieldRole, KbRef, ProfileId,
    Role, SourceLocation, Verdict,
};
use supplyscreen_policy::{Action, Context, WaiverLedger, evaluate, waivers};

fn kb() -> Kb {
    Kb::embedded().expect("valid")
}

fn date(s: &str) -> Date {
    s.parse().expect("date")
}

fn attribution(entity: &str, confidence: Confidence) -> Attribution {
    Attribution {
        entity: EntityId::new(entity).expect("id"),
        brand: None,
        category: None,
        confidence,
        reason: "".into(),
        evidence: Vec::new(),
        conflicts: Vec::new(),
        notes: Vec::new(),
    }
}

fn component(role: Role, ordered: Option<&str>, acquired: Option<&str>) -> Component {
    let source = SourceLocation {
        path: "in.csv".into(),
        line: 2,
        locator: None,
    };
    let mut c = Component::new(ComponentKind::Memory, role, source);
    c.push("Part Number", "MTA18ASF2G72PZ-2G6E1", FieldRole::PartNumber);
    c.host = Some("db-01".into());
    c.ordered = ordered.map(date);
    c.acquired = acquired.map(date);
    c
}

/// The verdicts for one component (attributed to `entity`) under profile cn-cii.
fn verdicts(
    kb: &Kb,
    c: &Component,
    entity: &str,
    confidence: Confidence,
    as_of: &str,
) -> Vec<Verdict> {
    let profile = kb
        .profile(&ProfileId::new("cn-cii").expect("id"))
        .expect("profile");
    let cx = Context {
        kb,
        profile,
        as_of: date(as_of),
        action: None,
        waivers: &[],
    };
    let a = attribution(entity, confidence);
    evaluate(&cx, 0, c, Some(&a), &mut WaiverLedger::new(0))
        .into_iter()
        .map(|f| f.verdict)
        .collect()
}

#[test]
fn purchase_lines_are_judged_by_their_order_date() {
    let kb = kb();
    let hi = Confidence::High;
    let after = component(Role::Order, Some("2024-03-15"), None);
    assert_eq!(
        verdicts(&kb, &after, "micron", hi, "2026-11-28"),
        [Verdict::Violation]
    );
    let on_the_day = component(Role::Order, Some("2023-05-21"), None);
    assert_eq!(
        verdicts(&kb, &on_the_day, "micron", hi, "2026-11-28"),
        [Verdict::Violation]
    );
    let before = component(Role::Order, Some("2023-05-20"), None);
    assert_eq!(
        verdicts(&kb, &before, "micron", hi, "2026-11-28"),
        [Verdict::Clear]
    );
    let undated = component(Role::Order, None, None);
    assert_eq!(
        verdicts(&kb, &undated, "micron", hi, "2026-11-28"),
        [Verdict::Violation]
    );
    assert_eq!(
        verdicts(&kb, &undated, "micron", hi, "2023-01-01"),
        [Verdict::Clear]
    );
}

#[test]
fn installed_items_are_judged_by_their_acquisition_date() {
    let kb = kb();
    let hi = Confidence::High;
    let bought_after = component(Role::Installed, None, Some("2023-06-01"));
    assert_eq!(
        verdicts(&kb, &bought_after, "micron", hi, "2026-11-28"),
        [Verdict::Violation]
    );
    let bought_before = component(Role::Installed, None, Some("2021-02-01"));
    assert_eq!(
        verdicts(&kb, &bought_before, "micron", hi, "2026-11-28"),
        [Verdict::Restricted]
    );
    let unknown = component(Role::Installed, None, None);
    assert_eq!(
        verdicts(&kb, &unknown, "micron", hi, "2026-11-28"),
        [Verdict::Review]
    );
    assert!(
        verdicts(&kb, &unknown, "micron", hi, "2023-05-20").is_empty(),
        "not in force yet"
    );
}

#[test]
fn affiliates_count_only_while_the_relation_holds() {
    let kb = kb();
    let hi = Confidence::High;
    // Elpida became Micron on 2013-07-31: an Elpida part ordered after the ban is Micron's.
    let elpida_2024 = component(Role::Order, Some("2024-01-10"), None);
    assert_eq!(
        verdicts(&kb, &elpida_2024, "elpida", hi, "2026-11-28"),
        [Verdict::Violation]
    );
    // An Elpida module bought in 2012 was not a Micron product when it was bought.
    let elpida_2012 = component(Role::Installed, None, Some("2012-05-01"));
    assert!(verdicts(&kb, &elpida_2012, "elpida", hi, "2026-11-28").is_empty());
    // Lexar left Micron in 2017: a Lexar card ordered in 2024 is not a Micron product.
    let lexar_2024 = component(Role::Order, Some("2024-01-10"), None);
    assert!(verdicts(&kb, &lexar_2024, "lexar", hi, "2026-11-28").is_empty());
    // Bought in 2015, while Micron owned Lexar: a Micron product bought before the ban.
    let lexar_2015 = component(Role::Installed, None, Some("2015-06-01"));
    assert_eq!(
        verdicts(&kb, &lexar_2015, "lexar", hi, "2026-11-28"),
        [Verdict::Restricted]
    );
    // Bought in 2017, the year of the sale whose closing day the sources do not give.
    let lexar_2017 = component(Role::Installed, None, Some("2017-10-01"));
    assert_eq!(
        verdicts(&kb, &lexar_2017, "lexar", hi, "2026-11-28"),
        [Verdict::Review]
    );
}

#[test]
fn low_confidence_and_other_entities() {
    let kb = kb();
    let after = component(Role::Order, Some("2024-03-15"), None);
    assert_eq!(
        verdicts(&kb, &after, "micron", Confidence::Low, "2026-11-28"),
        [Verdict::Review]
    );
    assert!(verdicts(&kb, &after, "samsung", Confidence::High, "2026-11-28").is_empty());
    assert!(
        verdicts(
            &kb,
            &after,
            "micron-electronics",
            Confidence::High,
            "2026-11-28"
        )
        .is_empty()
    );
}

#[test]
fn a_profile_the_directive_does_not_bind_gets_no_findings() {
    let kb = kb();
    let profile = Profile {
        id: ProfileId::new("us-private").expect("id"),
        title: "US private company".into(),
        jurisdictions: vec!["US".into()],
        sectors: vec![],
        kb: KbRef {
            file: "mine.toml".into(),
            line: 1,
        },
    };
    let cx = Context {
        kb: &kb,
        profile: &profile,
        as_of: date("2026-11-28"),
        action: Some(Action::Purchase),
        waivers: &[],
    };
    let c = component(Role::Order, Some("2024-03-15"), None);
    let a = attribution("micron", Confidence::High);
    assert!(evaluate(&cx, 0, &c, Some(&a), &mut WaiverLedger::new(0)).is_empty());
}

#[test]
fn waivers_apply_until_they_expire_and_are_accounted_for() {
    let kb = kb();
    let text = "[[waivers]]\ndirective = \"cn-cac-2023-micron\"\nreason = \"Spares for the 2022 cluster\"\napprover = \"Li Wei, CISO\"\nexpires = \"2026-12-31\"\nmatch = { part_number = \"MTA18ASF*\", host = \"db-01\" }\n";
    let ws = waivers::parse("waivers.toml", text, &kb).expect("valid");
    let profile = kb
        .profile(&ProfileId::new("cn-cii").expect("id"))
        .expect("profile");
    let c = component(Role::Order, Some("2024-03-15"), None);
    let a = attribution("micron", Confidence::High);
    let mut ledger = WaiverLedger::new(1);
    let cx = Context {
        kb: &kb,
        profile,
        as_of: date("2026-11-28"),
        action: None,
        waivers: &ws,
    };
    let f = evaluate(&cx, 0, &c, Some(&a), &mut ledger);
    assert_eq!(f[0].verdict, Verdict::Waived);
    assert_eq!(f[0].waiver.as_deref(), Some("waivers.toml:1"));
    assert_eq!(ledger.used, [1]);
    let cx = Context {
        as_of: date("2027-01-01"),
        ..cx
    };
    let f = evaluate(&cx, 0, &c, Some(&a), &mut ledger);
    assert_eq!(f[0].verdict, Verdict::Violation);
    assert!(f[0].reason.contains("expired on 2026-12-31"));
    assert_eq!(ledger.expired_matches, [1]);
}

#[test]
fn weak_attribution_with_target_evidence_in_conflict_is_reviewed() {
    let kb = kb();
    let profile = kb
        .profile(&ProfileId::new("cn-cii").expect("id"))
        .expect("profile");
    let cx = Context {
        kb: &kb,
        profile,
        as_of: date("2026-11-28"),
        action: None,
        waivers: &[],
    };
    let c = component(Role::Order, Some("2024-03-15"), None);
    // Part number says SK hynix, the maker field says Micron: SK hynix wins with low confidence.
    let mut a = attribution("sk-hynix", Confidence::Low);
    a.conflicts.push(supplyscreen_model::Evidence {
        kind: supplyscreen_model::EvidenceKind::Name,
        entity: EntityId::new("micron").expect("id"),
        brand: None,
        field: "Manufacturer".into(),
        value: "Micron".into(),
        matched: "name \"Micron\"".into(),
        kb: KbRef {
            file: "data/entities/micron.toml".into(),
            line: 7,
        },
        confidence: Confidence::High,
        note: None,
    });
    let f = evaluate(&cx, 0, &c, Some(&a), &mut WaiverLedger::new(0));
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].verdict, Verdict::Review);
    assert!(
        f[0].reason.contains("conflicting evidence says micron"),
        "{}",
        f[0].reason
    );
    // With high confidence in SK hynix there is nothing to review.
    a.confidence = Confidence::High;
    assert!(evaluate(&cx, 0, &c, Some(&a), &mut WaiverLedger::new(0)).is_empty());
}
