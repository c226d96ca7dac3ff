//! US instruments by profile, each screened with purchases on either side of
//! its start date: 2 CFR 200.216 (grantees), NDAA FY2023 s.5949 (agencies),
//! NDAA FY2024 s.805 (DoD, DoD suppliers), NDAA FY2018 s.1634 (agencies).

mod common;

use common::{cli, json};

/// The verdict of `directive`'s finding on each line, for a profile and date.
fn verdicts(profile: &str, as_of: &str, directive: &str) -> Vec<(u64, String)> {
    let (_, out, _) = cli(&[
        "scan",
        "fixtures/multi-jurisdiction/us-instruments.csv",
        "--profile",
        profile,
        "--as-of",
        as_of,
        "--format",
        "json",
    ]);
    let report = json(&out);
    let findings = report["findings"].as_array().expect("findings");
    let line_of = |id: &serde_json::Value| {
        report["components"]
            .as_array()
            .and_then(|cs| cs.iter().find(|c| &c["id"] == id))
            .and_then(|c| c["source"]["line"].as_u64())
            .unwrap_or(0)
    };
    findings
        .iter()
        .filter(|f| f["directive"] == directive)
        .map(|f| {
            let v = f["verdict"].as_str().unwrap_or("").to_owned();
            (line_of(&f["component"]), v)
        })
        .collect()
}

fn pairs(v: &[(u64, &str)]) -> Vec<(u64, String)> {
    v.iter().map(|(l, s)| (*l, (*s).to_owned())).collect()
}

#[test]
fn grant_funds_may_not_buy_covered_equipment_from_2020_08_13() {
    let got = verdicts("us-federal-grantee", "2028-01-01", "us-2cfr-200-216-889b");
    let early: Vec<_> = got.into_iter().filter(|(l, _)| *l <= 3).collect();
    assert_eq!(early, pairs(&[(2, "clear"), (3, "violation")]));
}

#[test]
fn agencies_may_not_buy_ymtc_or_cxmt_chips_from_2027_12_23() {
    let got = verdicts("us-federal-agency", "2028-01-01", "us-ndaa-fy2023-5949");
    let ymtc: Vec<_> = got.into_iter().filter(|(l, _)| *l <= 5).collect();
    assert_eq!(ymtc, pairs(&[(4, "clear"), (5, "violation")]));
}

#[test]
fn dod_entity_ban_from_2026_06_30_and_goods_ban_from_2027_06_30() {
    let entity = verdicts("us-dod", "2028-01-01", "us-ndaa-fy2024-805-entity");
    assert_eq!(
        entity,
        pairs(&[
            (6, "clear"),
            (7, "violation"),
            (8, "violation"),
            (9, "violation")
        ])
    );
    let goods = verdicts(
        "us-dod-contractor",
        "2028-01-01",
        "us-ndaa-fy2024-805-goods",
    );
    assert_eq!(
        goods,
        pairs(&[(6, "clear"), (7, "clear"), (8, "clear"), (9, "violation")])
    );
    // A supplier is not bound by the entity prohibition, which is the Department's own.
    assert!(
        verdicts(
            "us-dod-contractor",
            "2028-01-01",
            "us-ndaa-fy2024-805-entity"
        )
        .is_empty()
    );
}

#[test]
fn government_use_of_kaspersky_barred_from_2018_10_01() {
    let d = "us-ndaa-fy2018-1634-kaspersky";
    assert!(verdicts("us-federal-agency", "2018-09-30", d).is_empty());
    assert_eq!(
        verdicts("us-federal-agency", "2018-10-01", d),
        pairs(&[(10, "violation")])
    );
    assert!(verdicts("us-federal-contractor", "2018-10-01", d).is_empty());
}

#[test]
fn fcc_rules_bar_covered_equipment_from_2023_02_06_and_not_software() {
    let d = "us-fcc-covered-list-2021-03-12";
    let got = verdicts("us-fcc-authorization", "2028-01-01", d);
    let late: Vec<_> = got.into_iter().filter(|(l, _)| *l >= 11).collect();
    assert_eq!(late, pairs(&[(11, "clear"), (12, "violation")]));
    // The Kaspersky licence (line 10) gets no FCC finding: the Covered List
    // entry for information security software is a listing, not an import ban.
    let (_, out, _) = cli(&[
        "scan",
        "fixtures/multi-jurisdiction/us-instruments.csv",
        "--profile",
        "us-fcc-authorization",
        "--as-of",
        "2028-01-01",
        "--format",
        "json",
    ]);
    let report = json(&out);
    let fcc_on_kaspersky = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| {
            f["directive"]
                .as_str()
                .is_some_and(|d| d.starts_with("us-fcc"))
        })
        .any(|f| f["target"] == "kaspersky");
    assert!(!fcc_on_kaspersky);
}

#[test]
fn australian_carriers_from_the_tssr_commencement_on_2018_09_18() {
    let (_, out, _) = cli(&[
        "scan",
        "fixtures/multi-jurisdiction/au-carrier-po.csv",
        "--profile",
        "au-telecom-carrier",
        "--format",
        "json",
    ]);
    let report = json(&out);
    let verdicts: Vec<(u64, String)> = report["components"]
        .as_array()
        .expect("components")
        .iter()
        .map(|c| {
            let v = c["verdict"].as_str().unwrap_or("").to_owned();
            (c["source"]["line"].as_u64().unwrap_or(0), v)
        })
        .collect();
    // Huawei on 2018-09-17 and 2018-09-18; ZTE, which Huawei said was excluded too.
    // The guidance is not law and names no vendor: a review, never a violation.
    assert_eq!(
        verdicts,
        pairs(&[(2, "clear"), (3, "review"), (4, "review")])
    );
    let findings = report["findings"].as_array().expect("findings");
    assert!(findings.iter().all(|f| f["force"] == "guidance"));
    assert!(
        findings
            .iter()
            .filter(|f| f["verdict"] == "review")
            .all(|f| f["basis"] == "kb-reading"),
        "{findings:?}"
    );
}
