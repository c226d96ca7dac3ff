//! Dated relations and full legal names through the real CLI: Lorex's sale by
//! Dahua (certain until 2022-11-23, closing day unknown within 2022), Honor's
//! sale by Huawei (2020-11-17), and Chinese legal names of covered makers.

mod common;

use common::{cli, json};

/// (line, attributed entity, component verdict).
fn rows() -> Vec<(u64, String, String)> {
    let (_, out, _) = cli(&[
        "scan",
        "fixtures/multi-jurisdiction/us-agency-relation-dates.csv",
        "--profile",
        "us-federal-agency",
        "--action",
        "purchase",
        "--format",
        "json",
    ]);
    let report = json(&out);
    report["components"]
        .as_array()
        .expect("components")
        .iter()
        .map(|c| {
            let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_owned();
            (
                c["source"]["line"].as_u64().unwrap_or(0),
                s(&c["attribution"]["entity"]),
                s(&c["verdict"]),
            )
        })
        .collect()
}

fn row(rows: &[(u64, String, String)], line: u64) -> (String, String) {
    let r = rows.iter().find(|r| r.0 == line).expect("row");
    (r.1.clone(), r.2.clone())
}

#[test]
fn lorex_is_dahuas_until_the_sale_and_uncertain_until_the_year_ends() {
    let rows = rows();
    let v = |l| row(&rows, l);
    assert_eq!(v(2), ("lorex".into(), "violation".into()), "2022-06-01");
    assert_eq!(v(3), ("lorex".into(), "review".into()), "2022-12-10");
    assert_eq!(v(4), ("lorex".into(), "clear".into()), "2023-01-15");
}

#[test]
fn honor_device_is_huaweis_until_2020_11_17() {
    let rows = rows();
    let v = |l| row(&rows, l);
    assert_eq!(v(5), ("honor".into(), "violation".into()), "2020-11-16");
    assert_eq!(v(6), ("honor".into(), "clear".into()), "2020-11-17");
}

#[test]
fn chinese_legal_names_of_covered_makers_are_attributed() {
    let rows = rows();
    let v = |l| row(&rows, l);
    assert_eq!(v(7), ("hytera".into(), "violation".into()));
    assert_eq!(v(8), ("dahua".into(), "violation".into()));
}
