//! MFA countermeasure decisions under the Anti-Foreign Sanctions Law, judged
//! on the supplier: a PRC buyer's purchase from a listed firm on either side
//! of each decision's date. Where the sources confirm that the decision bars
//! transactions with the firms, a purchase from its day is a violation; where
//! they do not, it is a review, never silence.

mod common;

use common::{cli, json, po_of, rows, scan_report};

/// (PO number, verdict, doubts) of the finding of `directive` on each line.
fn findings(directive: &str) -> Vec<(String, String, Vec<String>)> {
    let report = scan_report(
        "fixtures/multi-jurisdiction/cn-afsl-po.csv",
        "cn-enterprise",
        "2026-01-15",
    );
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["directive"] == directive)
        .map(|f| {
            let doubts = f["doubts"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|d| d["doubt"].as_str().map(str::to_owned))
                .collect();
            (
                po_of(&report, f),
                f["verdict"].as_str().unwrap_or("").to_owned(),
                doubts,
            )
        })
        .collect()
}

fn verdicts(directive: &str) -> Vec<(String, String)> {
    findings(directive)
        .into_iter()
        .map(|(po, v, _)| (po, v))
        .collect()
}

#[test]
fn skydio_transactions_barred_from_2024_10_10() {
    assert_eq!(
        verdicts("cn-mfa-afsl-2024-10-10"),
        rows(&[("AF-01", "clear"), ("AF-02", "violation")])
    );
}

#[test]
fn insitu_transactions_barred_from_2024_12_27() {
    assert_eq!(
        verdicts("cn-mfa-afsl-2024-12-27"),
        rows(&[("AF-03", "clear"), ("AF-04", "violation")])
    );
}

#[test]
fn northrop_grumman_systems_transactions_barred_from_2025_12_26() {
    assert_eq!(
        verdicts("cn-mfa-afsl-2025-12-26"),
        rows(&[("AF-05", "clear"), ("AF-06", "violation")])
    );
}

#[test]
fn viasat_transactions_barred_from_2024_01_07() {
    assert_eq!(
        verdicts("cn-mfa-afsl-2024-01-07"),
        rows(&[("AF-13", "clear"), ("AF-14", "violation")])
    );
}

#[test]
fn rounds_without_a_confirmed_transaction_ban_are_a_review_from_their_day() {
    for (directive, before, after) in [
        ("cn-mfa-afsl-2024-05-22", "AF-15", "AF-16"),
        ("cn-mfa-afsl-2024-09-18", "AF-07", "AF-08"),
        ("cn-mfa-afsl-2024-12-05", "AF-09", "AF-10"),
        ("cn-mfa-afsl-2024-07-12", "AF-11", "AF-12"),
    ] {
        let got = findings(directive);
        assert_eq!(got.len(), 2, "{directive}: {got:?}");
        assert_eq!((got[0].0.as_str(), got[0].1.as_str()), (before, "clear"));
        assert_eq!((got[1].0.as_str(), got[1].1.as_str()), (after, "review"));
        assert_eq!(got[1].2, ["unverified-measure"], "{directive}");
    }
}

#[test]
fn a_countermeasure_finding_cites_the_decision_and_names_the_supplier_role() {
    let (_, out, _) = cli(&[
        "scan",
        "fixtures/multi-jurisdiction/cn-afsl-po.csv",
        "--profile",
        "cn-enterprise",
        "--as-of",
        "2026-01-15",
        "--format",
        "json",
    ]);
    let report = json(&out);
    let f = report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["directive"] == "cn-mfa-afsl-2024-12-27" && f["verdict"] == "violation")
        .expect("the Insitu finding");
    assert_eq!(f["role"], "supplier");
    assert_eq!(f["force"], "administrative-decision");
    assert_eq!(f["basis"], "named");
    assert!(
        f["citation"]
            .as_str()
            .is_some_and(|c| c.contains("pakistantoday.com.pk")),
        "{f}"
    );
}
