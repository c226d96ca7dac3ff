//! The Unreliable Entity List rounds of 2025 changed status several times:
//! suspended, suspension continued, measures stopped. Each changed date is
//! screened with a purchase on either side of it.

mod common;

use common::{cli, json};

/// (order number, verdict of its UEL findings, (directive, measure, verdict)
/// of each UEL finding). Several of these firms are also under MFA
/// countermeasures (Anti-Foreign Sanctions Law), screened in `afsl.rs`; only
/// the Unreliable Entity List's findings are about the dates tested here.
type Row = (String, String, Vec<(String, String, String)>);

fn rows() -> Vec<Row> {
    let (_, out, err) = cli(&[
        "scan",
        "fixtures/multi-jurisdiction/cn-uel-status-2025.csv",
        "--profile",
        "cn-enterprise",
        "--action",
        "purchase",
        "--format",
        "json",
    ]);
    let report = json(&out);
    let findings = report["findings"].as_array().expect("findings");
    report["components"]
        .as_array()
        .unwrap_or_else(|| panic!("components: {err}"))
        .iter()
        .map(|c| {
            let mine: Vec<(String, String, String)> = findings
                .iter()
                .filter(|f| f["component"] == c["id"])
                .filter(|f| {
                    f["directive"]
                        .as_str()
                        .is_some_and(|d| d.starts_with("cn-mofcom-uel"))
                })
                .map(|f| {
                    let s = |k: &str| f[k].as_str().unwrap_or("").to_owned();
                    (s("directive"), s("measure"), s("verdict"))
                })
                .collect();
            let order = c["fields"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|f| f["name"] == "订单编号")
                .and_then(|f| f["value"].as_str())
                .unwrap_or("")
                .to_owned();
            (order, worst(&mine), mine)
        })
        .collect()
}

/// The most severe verdict among findings, `clear` when there are none.
fn worst(findings: &[(String, String, String)]) -> String {
    const ORDER: [&str; 5] = ["clear", "waived", "review", "restricted", "violation"];
    findings
        .iter()
        .filter_map(|f| ORDER.iter().position(|v| *v == f.2))
        .max()
        .map_or("clear", |i| ORDER[i])
        .to_owned()
}

fn verdict_of(rows: &[Row], order: &str) -> String {
    rows.iter()
        .find(|r| r.0 == order)
        .map(|r| r.1.clone())
        .unwrap_or_else(|| panic!("no row {order}"))
}

#[test]
fn uel_2025_04_04_suspension_and_its_two_extensions() {
    let rows = rows();
    let v = |o: &str| verdict_of(&rows, o);
    assert_eq!(v("ST-01"), "violation", "2025-05-13: before the suspension");
    assert_eq!(v("ST-02"), "clear", "2025-05-14: first 90 days");
    assert_eq!(v("ST-03"), "clear", "2025-08-11: last day of the first 90");
    assert_eq!(v("ST-04"), "clear", "2025-08-12: continued for 90 days");
    assert_eq!(v("ST-05"), "clear", "2025-11-09: last day of the second 90");
    assert_eq!(v("ST-06"), "clear", "2025-11-10: continued for one year");
    assert_eq!(v("ST-07"), "clear", "2026-11-09: last day of that year");
    // No source records what happened after 2026-11-09: never silently clear.
    assert_ne!(
        v("ST-08"),
        "clear",
        "2026-11-10: recorded suspension lapsed"
    );
}

#[test]
fn uel_2025_04_09_measures_stopped_from_2025_08_12() {
    let rows = rows();
    let v = |o: &str| verdict_of(&rows, o);
    assert_eq!(v("ST-09"), "violation", "2025-05-13: before the pause");
    assert_eq!(v("ST-10"), "clear", "2025-08-11: paused");
    assert_eq!(v("ST-11"), "clear", "2025-08-12: stopped");
}

#[test]
fn uel_2025_03_04_and_illumina_measures_stopped_from_2025_11_10() {
    let rows = rows();
    let v = |o: &str| verdict_of(&rows, o);
    assert_eq!(v("ST-12"), "violation", "HII, 2025-11-09");
    assert_eq!(v("ST-13"), "clear", "HII, 2025-11-10");
    assert_eq!(v("ST-14"), "violation", "Illumina sequencer, 2025-11-09");
    assert_eq!(v("ST-15"), "clear", "Illumina sequencer, 2025-11-10");
}

#[test]
fn uel_2025_10_09_reaches_branches_and_bars_transactions() {
    let rows = rows();
    let row = |o: &str| rows.iter().find(|r| r.0 == o).expect("row").clone();
    let before = row("ST-16");
    assert_eq!(before.1, "clear", "2025-10-08: before the listing");
    let after = row("ST-17");
    assert_eq!(after.1, "violation", "2025-10-09: TechInsights' subsidiary");
    let measures: Vec<&str> = after.2.iter().map(|f| f.1.as_str()).collect();
    assert_eq!(measures, ["import", "purchase"]);
    assert!(after.2.iter().all(|f| f.0 == "cn-mofcom-uel-2025-10-09"));
}

#[test]
fn kb_show_lists_each_suspension_with_its_dates() {
    let (_, out, _) = cli(&["kb", "show", "cn-mofcom-uel-2025-04-04"]);
    for span in [
        "suspended from 2025-05-14 until 2025-08-12",
        "suspended from 2025-08-12 until 2025-11-10",
        "suspended from 2025-11-10 until 2026-11-10",
    ] {
        assert!(out.contains(span), "{span} missing from:\n{out}");
    }
}
