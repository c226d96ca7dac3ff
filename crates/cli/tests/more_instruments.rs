//! Instruments added with their profiles, each screened with purchases on
//! either side of each date: FAR 52.204-25(b)(1) (what a contractor
//! delivers), 47 CFR 54.10 (FCC-administered subsidies), the American
//! Security Drone Act (agencies and award funds) and the Swedish court's
//! suspension of the PTS condition on Huawei.

mod common;

use common::{cli, json, po_of, rows, scan_report};

/// (PO number, verdict) of each finding of `directive` and `measure`.
fn verdicts(
    file: &str,
    profile: &str,
    as_of: &str,
    directive: &str,
    measure: &str,
) -> Vec<(String, String)> {
    let report = scan_report(file, profile, as_of);
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["directive"] == directive && f["measure"] == measure)
        .map(|f| {
            (
                po_of(&report, f),
                f["verdict"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

const US: &str = "fixtures/multi-jurisdiction/us-more-instruments.csv";
const SE: &str = "fixtures/multi-jurisdiction/se-licensee-po.csv";

fn only(got: Vec<(String, String)>, pos: &[&str]) -> Vec<(String, String)> {
    got.into_iter()
        .filter(|(p, _)| pos.contains(&p.as_str()))
        .collect()
}

#[test]
fn a_contractor_may_not_deliver_covered_equipment_from_2019_08_13() {
    let d = "us-far-52-204-25-b1-delivery";
    let got = verdicts(US, "us-federal-supplier", "2026-01-15", d, "purchase");
    assert_eq!(
        only(got, &["UM-01", "UM-02"]),
        rows(&[("UM-01", "clear"), ("UM-02", "violation")])
    );
    // A contractor screening its own use is not bound by the delivery rule.
    assert!(verdicts(US, "us-federal-contractor", "2026-01-15", d, "purchase").is_empty());
}

#[test]
fn fcc_subsidies_may_not_buy_covered_equipment_from_2021_05_11() {
    let d = "us-fcc-54-10-covered-list-2021";
    let got = verdicts(US, "us-usf-recipient", "2026-01-15", d, "purchase");
    assert_eq!(
        only(got, &["UM-03", "UM-04"]),
        rows(&[("UM-03", "clear"), ("UM-04", "violation")])
    );
}

#[test]
fn drone_act_procurement_from_2023_12_22_is_a_review_on_the_kbs_reading() {
    let d = "us-asda-2023-uas";
    let got = verdicts(US, "us-federal-agency", "2026-01-15", d, "purchase");
    assert_eq!(
        only(got, &["UM-05", "UM-06"]),
        rows(&[("UM-05", "clear"), ("UM-06", "review")])
    );
    // Operation is barred from 2025-12-22: nothing the day before, a review from that day.
    assert!(verdicts(US, "us-federal-agency", "2025-12-21", d, "operate").is_empty());
    let op = verdicts(US, "us-federal-agency", "2025-12-22", d, "operate");
    assert!(
        !op.is_empty() && op.iter().all(|(_, v)| v == "review"),
        "{op:?}"
    );
}

#[test]
fn drone_act_award_funds_from_2025_12_22() {
    let d = "us-asda-2023-uas-federal-funds";
    let got = verdicts(US, "us-federal-grantee", "2026-01-15", d, "purchase");
    assert_eq!(
        only(got, &["UM-07", "UM-08"]),
        rows(&[("UM-07", "clear"), ("UM-08", "review")])
    );
}

#[test]
fn the_swedish_court_suspended_the_huawei_condition_from_2020_11_09_to_2020_12_16() {
    let huawei = verdicts(
        SE,
        "se-5g-licensee",
        "2021-06-01",
        "se-pts-2020-huawei-zte",
        "deploy",
    );
    assert_eq!(
        huawei,
        rows(&[
            ("SE-01", "violation"),
            ("SE-02", "clear"),
            ("SE-03", "clear"),
            ("SE-04", "violation")
        ])
    );
    let zte = verdicts(
        SE,
        "se-5g-licensee",
        "2021-06-01",
        "se-pts-2020-zte",
        "deploy",
    );
    assert_eq!(zte, rows(&[("SE-05", "violation")]));
}

#[test]
fn a_bare_autel_is_weak_evidence_and_autel_robotics_is_strong() {
    let (_, out, _) = cli(&["identify", "--format", "json", "Autel", "Autel Robotics"]);
    let doc = json(&out);
    let results = doc["results"].as_array().expect("results");
    assert_eq!(results[0]["attribution"]["entity"], "autel");
    assert_eq!(results[0]["attribution"]["confidence"], "low");
    assert_eq!(results[1]["attribution"]["entity"], "autel");
    assert_eq!(results[1]["attribution"]["confidence"], "high");
}

#[test]
fn an_importer_cannot_clear_hikvision_equipment_by_stating_an_office_use() {
    let d = "us-fcc-covered-list-2021-03-12-video";
    let got = verdicts(
        "fixtures/multi-jurisdiction/us-fcc-video.csv",
        "us-fcc-authorization",
        "2026-01-15",
        d,
        "import",
    );
    assert_eq!(got, rows(&[("FV-01", "clear"), ("FV-02", "review")]));
}
