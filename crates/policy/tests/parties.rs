//! Supplier and maker: listings restrict dealings with the counterparty,
//! product bans what the target made; every finding says which role matched.

mod common;

use common::{BAN, attribution, date, kb_with, memory};
use supplyscreen_model::{ComponentId, Confidence, MatchedRole, ProfileId, Role, Verdict};
use supplyscreen_policy::{Action, Context, Parties, WaiverLedger, evaluate_parties, is_listing};

/// A listing in the manner of the Unreliable Entity List: import and export bans only.
const LIST: (&str, &str) = (
    "directives/cn/list.toml",
    r#"id = "cn-list"
title = "Unreliable entities"
authority = "Authority"
jurisdiction = "CN"
sources = ["https://example.org/list"]
binds = { sectors = [] }
products = "unspecified"
force = "administrative-decision"
force_source = "https://example.org/list"

[[targets]]
entity = "vision"
affiliates = false

[[measures]]
restricts = "import"
from = "2024-01-01"

[[measures]]
restricts = "export"
from = "2024-01-01"
"#,
);

fn findings(parties: &Parties<'_>) -> Vec<(String, MatchedRole, bool, Verdict)> {
    let kb = kb_with(&[BAN, LIST]);
    let profile = kb
        .profile(&ProfileId::new("cii").expect("id"))
        .expect("profile");
    let ctx = Context::new(&kb, profile, date("2026-11-28"), None::<Action>, &[]);
    let c = memory(Role::Order, Some("2025-03-01"), None);
    let mut ledger = WaiverLedger::new(0);
    evaluate_parties(&ctx, ComponentId::of(&c), &c, parties, &mut ledger)
        .into_iter()
        .map(|f| (f.directive.to_string(), f.role, f.role_assumed, f.verdict))
        .collect()
}

#[test]
fn a_listed_supplier_is_judged_as_the_counterparty_and_the_maker_as_the_maker() {
    let maker = attribution("acme-memory", Confidence::High);
    let supplier = attribution("vision", Confidence::High);
    let got = findings(&Parties {
        maker: Some(&maker),
        maker_assumed: false,
        supplier: Some(&supplier),
        supplier_assumed: false,
        dies: None,
    });
    assert_eq!(
        got,
        vec![
            (
                "cn-ban".into(),
                MatchedRole::Maker,
                false,
                Verdict::Violation
            ),
            (
                "cn-list".into(),
                MatchedRole::Supplier,
                false,
                Verdict::Violation
            ),
        ]
    );
}

#[test]
fn a_listed_maker_sold_by_someone_else_is_not_a_listing_finding() {
    let maker = attribution("vision", Confidence::High);
    let supplier = attribution("other", Confidence::High);
    let got = findings(&Parties {
        maker: Some(&maker),
        maker_assumed: false,
        supplier: Some(&supplier),
        supplier_assumed: false,
        dies: None,
    });
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn with_one_company_column_the_other_role_is_assumed() {
    let only = attribution("vision", Confidence::High);
    let got = findings(&Parties::maker_only(Some(&only)));
    assert_eq!(
        got,
        vec![(
            "cn-list".into(),
            MatchedRole::Supplier,
            true,
            Verdict::Violation
        )]
    );
    let kb = kb_with(&[BAN, LIST]);
    let kinds: Vec<(String, bool)> = kb
        .directives()
        .map(|d| (d.id.to_string(), is_listing(d)))
        .collect();
    assert_eq!(
        kinds,
        vec![("cn-ban".into(), false), ("cn-list".into(), true)]
    );
}
