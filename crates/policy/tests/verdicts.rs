//! The policy semantics (ARCHITECTURE.md, "Policy semantics") on small
//! knowledge bases written inline; findings are checked as data.

mod common;

use common::{BAN, attribution, date, judge, judge_with_dies, kb_with, memory};
use supplyscreen_kb::Kb;
use supplyscreen_model::{
    CategorySource, ComponentId, ComponentKind, Confidence, DateBasis, Doubt, EntityId, Evidence,
    EvidenceKind, Finding, FindingCode, FindingId, KbRef, Measure, ProductScope, Role, Verdict,
    WaiverEffect,
};
use supplyscreen_policy::{WaiverLedger, WaiverState, waivers};

const CAMERAS: (&str, &str) = (
    "directives/us/cameras.toml",
    r#"id = "us-cameras"
title = "No Vision cameras for public safety"
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
uses = ["public-safety"]

[[measures]]
restricts = "purchase"
from = "2019-08-13"
"#,
);

fn verdicts(
    kb: &Kb,
    c: &supplyscreen_model::Component,
    entity: &str,
    as_of: &str,
) -> Vec<(Verdict, FindingCode)> {
    let a = attribution(entity, Confidence::High);
    judge(kb, "cii", as_of, c, &a, &[], &mut WaiverLedger::new(0))
        .iter()
        .map(|f| (f.verdict, f.code))
        .collect()
}

#[test]
fn purchase_lines_are_judged_by_their_order_date() {
    let kb = kb_with(&[BAN]);
    let v = |ordered, as_of| verdicts(&kb, &memory(Role::Order, ordered, None), "acme", as_of);
    let violation = [(Verdict::Violation, FindingCode::PurchaseInPeriod)];
    let clear = [(Verdict::Clear, FindingCode::PurchaseOutsidePeriod)];
    assert_eq!(v(Some("2024-03-15"), "2026-11-28"), violation);
    assert_eq!(
        v(Some("2023-05-21"), "2026-11-28"),
        violation,
        "first day included"
    );
    assert_eq!(v(Some("2023-05-20"), "2026-11-28"), clear);
    assert_eq!(
        v(None, "2026-11-28"),
        violation,
        "undated: bought on the screening date"
    );
    assert_eq!(v(None, "2023-01-01"), clear);
}

#[test]
fn a_finding_carries_its_data() {
    let kb = kb_with(&[BAN]);
    let c = memory(Role::Order, None, None);
    let a = attribution("acme-memory", Confidence::High);
    let f = judge(
        &kb,
        "cii",
        "2026-11-28",
        &c,
        &a,
        &[],
        &mut WaiverLedger::new(0),
    );
    assert_eq!(f.len(), 1);
    let d = kb.directives().next().expect("one directive");
    assert_eq!(
        f[0].id,
        FindingId::of(ComponentId::of(&c), &d.id, Measure::Purchase)
    );
    assert_eq!(f[0].date_basis, DateBasis::AsOfNoOrderDate);
    insta::assert_json_snapshot!(f[0], @r#"
    {
      "id": "d69cf3652b7862d2",
      "component": "734d912bb7f57237",
      "directive": "cn-ban",
      "measure": "purchase",
      "verdict": "violation",
      "code": "purchase-in-period",
      "measure_from": "2023-05-21",
      "judged_at": "2026-11-28",
      "date_basis": "as-of-no-order-date",
      "entity": "acme-memory",
      "target": "acme",
      "role": "maker",
      "role_assumed": false,
      "via": [
        {
          "from": "acme-memory",
          "kind": "acquired-by",
          "to": "acme",
          "since": "2013-07-31",
          "certain": true,
          "kb": "t/entities/acme-memory.toml:7"
        }
      ],
      "scope": {
        "scope": "unspecified"
      },
      "kb": "t/directives/cn/ban.toml:17",
      "citation": "https://example.org/ban",
      "force": "administrative-decision",
      "basis": "named"
    }
    "#);
}

#[test]
fn installed_items_are_judged_by_their_acquisition_date() {
    let kb = kb_with(&[BAN]);
    let v =
        |acquired, as_of| verdicts(&kb, &memory(Role::Installed, None, acquired), "acme", as_of);
    assert_eq!(
        v(Some("2023-06-01"), "2026-11-28"),
        [(Verdict::Violation, FindingCode::AcquiredAfterStart)]
    );
    assert_eq!(
        v(Some("2021-02-01"), "2026-11-28"),
        [(Verdict::Restricted, FindingCode::AcquiredBeforeStart)]
    );
    assert_eq!(
        v(None, "2026-11-28"),
        [(Verdict::Review, FindingCode::AcquisitionDateUnknown)]
    );
    assert!(v(None, "2023-05-20").is_empty(), "not in force yet");
}

#[test]
fn affiliates_count_only_while_the_relation_holds() {
    let kb = kb_with(&[BAN]);
    let order = |d| memory(Role::Order, Some(d), None);
    let installed = |d| memory(Role::Installed, None, Some(d));
    assert_eq!(
        verdicts(&kb, &order("2024-01-10"), "acme-memory", "2026-11-28").len(),
        1
    );
    assert!(verdicts(&kb, &installed("2012-05-01"), "acme-memory", "2026-11-28").is_empty());
    assert!(verdicts(&kb, &order("2024-01-10"), "oldco", "2026-11-28").is_empty());
    assert_eq!(
        verdicts(&kb, &installed("2015-06-01"), "oldco", "2026-11-28"),
        [(Verdict::Restricted, FindingCode::AcquiredBeforeStart)]
    );
    // Bought in 2017, the year the relation ended on a day the source does not give.
    let a = attribution("oldco", Confidence::High);
    let f = judge(
        &kb,
        "cii",
        "2026-11-28",
        &installed("2017-10-01"),
        &a,
        &[],
        &mut WaiverLedger::new(0),
    );
    assert_eq!(f[0].verdict, Verdict::Review);
    assert_eq!(
        f[0].doubts,
        [Doubt::ImpreciseRelation {
            date: date("2017-10-01")
        }]
    );
    assert!(!f[0].via[0].certain);
}

#[test]
fn category_and_use_never_clear_silently() {
    let kb = kb_with(&[CAMERAS]);
    let a = attribution("vision", Confidence::High);
    let line = |category: Option<&str>, usage: Option<&str>| {
        let mut c = memory(Role::Order, Some("2024-01-10"), None);
        c.kind = ComponentKind::OrderLine;
        c.category = category.map(str::to_owned);
        c.usage = usage.map(str::to_owned);
        judge(
            &kb,
            "agency",
            "2026-11-28",
            &c,
            &a,
            &[],
            &mut WaiverLedger::new(0),
        )
    };
    let covered = vec!["video-surveillance".parse().expect("category")];
    let uses = vec!["public-safety".parse().expect("use")];
    let f = line(None, Some("public-safety"));
    assert_eq!(f[0].verdict, Verdict::Review);
    assert_eq!(
        f[0].doubts,
        [Doubt::UnstatedCategory {
            covered: covered.clone()
        }]
    );
    // A category the vocabulary does not know is a review, never out of scope.
    let f = line(Some("cctv-camera"), Some("public-safety"));
    assert_eq!(f[0].verdict, Verdict::Review);
    assert_eq!(
        f[0].doubts,
        [Doubt::UnknownCategory {
            stated: "cctv-camera".into(),
            covered
        }]
    );
    assert!(
        line(Some("memory"), Some("public-safety")).is_empty(),
        "a known other category"
    );
    let f = line(Some("video-surveillance"), None);
    assert_eq!(
        f[0].doubts,
        [Doubt::UnstatedUse {
            covered: uses.clone()
        }]
    );
    let f = line(Some("video-surveillance"), Some("parking-lot"));
    assert_eq!(
        f[0].doubts,
        [Doubt::UnknownUse {
            stated: "parking-lot".into(),
            covered: uses
        }]
    );
    assert!(line(Some("video-surveillance"), Some("office")).is_empty());
    let f = line(Some("video-surveillance"), Some("public-safety"));
    assert_eq!(f[0].verdict, Verdict::Violation);
    assert_eq!(
        f[0].scope,
        ProductScope::Covered {
            category: "video-surveillance".parse().expect("category"),
            source: CategorySource::Stated,
            word: None
        }
    );
}

#[test]
fn suspensions_clear_with_an_end_and_review_without() {
    let with_end = BAN.1.to_owned()
        + "\n[[measures.suspended]]\nfrom = \"2025-04-04\"\nuntil = \"2025-08-12\"\nsource = \"https://example.org/pause\"\n";
    let open = BAN.1.to_owned()
        + "\n[[measures.suspended]]\nfrom = \"2025-04-04\"\nsource = \"https://example.org/pause\"\n";
    let c = memory(Role::Order, Some("2025-05-01"), None);
    let kb = kb_with(&[(BAN.0, &with_end)]);
    let f = &judge(
        &kb,
        "cii",
        "2026-11-28",
        &c,
        &attribution("acme", Confidence::High),
        &[],
        &mut WaiverLedger::new(0),
    )[0];
    assert_eq!(f.verdict, Verdict::Clear);
    assert_eq!(
        f.suspension.as_ref().and_then(|s| s.until),
        Some(date("2025-08-12"))
    );
    let after = memory(Role::Order, Some("2025-08-12"), None);
    assert_eq!(
        verdicts(&kb, &after, "acme", "2026-11-28")[0].0,
        Verdict::Violation
    );
    let kb = kb_with(&[(BAN.0, &open)]);
    let f = &judge(
        &kb,
        "cii",
        "2026-11-28",
        &c,
        &attribution("acme", Confidence::High),
        &[],
        &mut WaiverLedger::new(0),
    )[0];
    assert_eq!(f.verdict, Verdict::Review);
    assert!(matches!(f.doubts[..], [Doubt::OpenSuspension { .. }]));
}

#[test]
fn operate_deadlines() {
    let text = BAN.1.replace(
        "restricts = \"purchase\"\nfrom = \"2023-05-21\"",
        "restricts = \"operate\"\nfrom = \"2023-05-21\"\nuntil = \"2027-12-31\"",
    );
    let kb = kb_with(&[(BAN.0, &text)]);
    let c = memory(Role::Installed, None, Some("2020-01-01"));
    assert_eq!(
        verdicts(&kb, &c, "acme", "2027-12-31"),
        [(Verdict::Restricted, FindingCode::DeadlineAhead)]
    );
    assert_eq!(
        verdicts(&kb, &c, "acme", "2028-01-01"),
        [(Verdict::Violation, FindingCode::DeadlinePassed)]
    );
}

#[test]
fn waivers_apply_until_they_expire_and_are_accounted_for() {
    let kb = kb_with(&[BAN]);
    let text = "[[waivers]]\ndirective = \"cn-ban\"\nreason = \"Spares for the 2022 cluster\"\napprover = \"Li Wei, CISO\"\nexpires = \"2026-12-31\"\nmatch = { part_number = \"AC-4G*\", host = \"db-01\" }\n";
    let ws = waivers::parse("waivers.toml", text, &kb).expect("valid");
    let c = memory(Role::Order, Some("2024-03-15"), None);
    let a = attribution("acme", Confidence::High);
    let mut ledger = WaiverLedger::new(1);
    let f = judge(&kb, "cii", "2026-11-28", &c, &a, &ws, &mut ledger);
    assert_eq!(f[0].verdict, Verdict::Waived);
    let w = f[0].waiver.as_ref().expect("waiver");
    assert_eq!(
        (&*w.at, w.effect),
        ("waivers.toml:1", WaiverEffect::Applied)
    );
    assert_eq!(
        ledger.statuses(&ws, date("2026-11-28"))[0].state,
        WaiverState::Used
    );
    let mut ledger = WaiverLedger::new(1);
    let f = judge(&kb, "cii", "2027-01-01", &c, &a, &ws, &mut ledger);
    assert_eq!(f[0].verdict, Verdict::Violation);
    assert_eq!(
        f[0].waiver.as_ref().map(|w| w.effect),
        Some(WaiverEffect::Expired)
    );
    assert_eq!(ledger.expired_matches, [1]);
    assert_eq!(
        ledger.statuses(&ws, date("2027-01-01"))[0].state,
        WaiverState::Expired
    );
}

#[test]
fn weak_attribution_with_target_evidence_in_conflict_is_reviewed() {
    let kb = kb_with(&[BAN]);
    let c = memory(Role::Order, Some("2024-03-15"), None);
    let mut a = attribution("other", Confidence::Low);
    a.conflicts.push(Evidence {
        kind: EvidenceKind::Name,
        entity: EntityId::new("acme").expect("id"),
        brand: None,
        field: "Manufacturer".into(),
        value: "Acme".into(),
        matched: "name \"acme\"".into(),
        kb: KbRef {
            file: "t/entities/acme.toml".into(),
            line: 3,
        },
        confidence: Confidence::High,
        note: None,
    });
    let f: Vec<Finding> = judge(
        &kb,
        "cii",
        "2026-11-28",
        &c,
        &a,
        &[],
        &mut WaiverLedger::new(0),
    );
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].verdict, Verdict::Review);
    assert_eq!(
        f[0].doubts,
        [Doubt::ConflictingEvidence {
            attributed: EntityId::new("other").expect("id"),
            judged: EntityId::new("acme").expect("id"),
        }]
    );
    a.confidence = Confidence::High;
    assert!(
        judge(
            &kb,
            "cii",
            "2026-11-28",
            &c,
            &a,
            &[],
            &mut WaiverLedger::new(0)
        )
        .is_empty()
    );
}

#[test]
fn a_profile_the_directive_does_not_bind_gets_no_findings() {
    let kb = kb_with(&[BAN]);
    let c = memory(Role::Order, Some("2024-03-15"), None);
    let a = attribution("acme", Confidence::High);
    assert!(
        judge(
            &kb,
            "agency",
            "2026-11-28",
            &c,
            &a,
            &[],
            &mut WaiverLedger::new(0)
        )
        .is_empty()
    );
}

#[test]
fn a_lapsed_suspension_whose_extension_is_unrecorded_is_a_review() {
    let text = BAN.1.to_owned()
        + "\n[[measures.suspended]]\nfrom = \"2025-11-10\"\nuntil = \"2026-11-10\"\nextension_unknown = true\nsource = \"https://example.org/pause\"\n";
    let kb = kb_with(&[(BAN.0, &text)]);
    let during = memory(Role::Order, Some("2026-11-09"), None);
    assert_eq!(
        verdicts(&kb, &during, "acme", "2026-12-01"),
        [(Verdict::Clear, FindingCode::PurchaseInPeriod)]
    );
    let after = memory(Role::Order, Some("2026-11-10"), None);
    let a = attribution("acme", Confidence::High);
    let f = &judge(
        &kb,
        "cii",
        "2026-12-01",
        &after,
        &a,
        &[],
        &mut WaiverLedger::new(0),
    )[0];
    assert_eq!(f.verdict, Verdict::Review);
    assert!(matches!(
        &f.doubts[..],
        [Doubt::SuspensionLapsed { until, .. }] if *until == date("2026-11-10")
    ));
    let before = memory(Role::Order, Some("2025-01-10"), None);
    assert_eq!(
        verdicts(&kb, &before, "acme", "2026-12-01"),
        [(Verdict::Violation, FindingCode::PurchaseInPeriod)],
        "before the suspension the measure was enforced"
    );
}

#[test]
fn installed_items_are_judged_on_the_day_they_were_bought() {
    let stopped = BAN.1.replace(
        "restricts = \"purchase\"\nfrom = \"2023-05-21\"",
        "restricts = \"purchase\"\nfrom = \"2023-05-21\"\nuntil = \"2025-08-12\"",
    ) + "\n[[measures.suspended]]\nfrom = \"2024-05-14\"\nuntil = \"2024-08-12\"\nsource = \"https://example.org/pause\"\n";
    let kb = kb_with(&[(BAN.0, &stopped)]);
    let v = |acquired| {
        verdicts(
            &kb,
            &memory(Role::Installed, None, Some(acquired)),
            "acme",
            "2026-12-01",
        )
    };
    assert_eq!(
        v("2024-06-01"),
        [(Verdict::Clear, FindingCode::AcquiredAfterStart)],
        "bought while suspended"
    );
    assert_eq!(
        v("2025-09-01"),
        [(Verdict::Clear, FindingCode::AcquiredAfterEnd)]
    );
    assert_eq!(
        v("2022-01-01"),
        [(Verdict::Clear, FindingCode::MeasureEnded)]
    );
    assert_eq!(
        v("2024-01-01"),
        [(Verdict::Violation, FindingCode::AcquiredAfterStart)]
    );
}

#[test]
fn another_makers_module_with_target_dies_is_a_review_where_the_directive_says_so() {
    let c = memory(Role::Order, Some("2024-03-15"), None);
    let a = attribution("other", Confidence::High);
    let run = |kb: &Kb| {
        judge_with_dies(
            kb,
            "cii",
            "2026-11-28",
            &c,
            &a,
            Some("acme-memory"),
            &[],
            &mut WaiverLedger::new(0),
        )
    };
    assert!(
        run(&kb_with(&[BAN])).is_empty(),
        "a directive that does not reach components"
    );
    let reaching = BAN.1.replace(
        "products = \"unspecified\"",
        "products = \"unspecified\"\ncomponents = \"review\"",
    );
    let f = run(&kb_with(&[(BAN.0, &reaching)]));
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].verdict, Verdict::Review);
    assert_eq!(
        f[0].doubts,
        [Doubt::ContainsTargetDies {
            attributed: EntityId::new("other").expect("id"),
            dies: EntityId::new("acme-memory").expect("id"),
        }]
    );
    assert_eq!(
        f[0].via.len(),
        1,
        "the dies' maker reaches the target through its relation"
    );
}
