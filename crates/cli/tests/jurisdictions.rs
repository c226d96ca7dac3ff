//! Scenario tests across jurisdictions: profiles, directive dates, product
//! categories, uses, and imported public lists, through the real CLI.

mod common;

use common::{cli, json, rows};

/// (directive, measure, verdict) of a finding.
type Found = (String, String, String);
/// (line, verdict, findings) of a component.
type Row = (u64, String, Vec<Found>);

/// The rows of every component of a report.
fn findings_by_line(report: &serde_json::Value) -> Vec<Row> {
    let findings = report["findings"].as_array().expect("findings");
    report["components"]
        .as_array()
        .expect("components")
        .iter()
        .map(|c| {
            let mine = findings
                .iter()
                .filter(|f| f["component"] == c["id"])
                .map(|f| {
                    let s = |k: &str| f[k].as_str().unwrap_or("").to_owned();
                    (s("directive"), s("measure"), s("verdict"))
                })
                .collect();
            (
                c["source"]["line"].as_u64().unwrap_or(0),
                c["verdict"].as_str().unwrap_or("").to_owned(),
                mine,
            )
        })
        .collect()
}

fn f3(d: &str, m: &str, v: &str) -> Found {
    (d.to_owned(), m.to_owned(), v.to_owned())
}

#[test]
fn us_contractor_dates_categories_and_uses() {
    let scan = |as_of: &str| {
        let (_, out, _) = cli(&[
            "scan",
            "fixtures/multi-jurisdiction/us-contractor-assets.csv",
            "--profile",
            "us-federal-contractor",
            "--as-of",
            as_of,
            "--format",
            "json",
        ]);
        findings_by_line(&json(&out))
    };
    let now = scan("2026-11-28");
    let verdicts: Vec<(u64, &str)> = now.iter().map(|(l, v, _)| (*l, v.as_str())).collect();
    assert_eq!(
        verdicts,
        [
            (2, "review"),
            // "Office Access" is not a declared use: review, never silently out of scope.
            (3, "review"),
            (4, "violation"),
            (5, "violation"),
            // Maker field "Honor" alone: a common word, weak evidence.
            (6, "review"),
            (7, "clear"),
            (8, "clear"),
            (9, "violation"),
            (10, "restricted")
        ]
    );
    // Kaspersky: new sales barred from 2024-07-20, updates from 2024-09-29.
    let kaspersky = |rows: &[Row]| rows[8].2.clone();
    let d = "us-commerce-icts-kaspersky-2024";
    assert_eq!(
        kaspersky(&now),
        [
            f3(d, "purchase", "restricted"),
            f3(d, "update", "restricted")
        ]
    );
    assert_eq!(
        kaspersky(&scan("2024-09-28")),
        [f3(d, "purchase", "restricted")]
    );
    assert!(kaspersky(&scan("2024-07-19")).is_empty());
}

#[test]
fn cn_importer_uel_dates_and_suspensions() {
    let (code, out, _) = cli(&[
        "scan",
        "fixtures/multi-jurisdiction/cn-importer-po.csv",
        "--profile",
        "cn-enterprise",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    let rows = findings_by_line(&json(&out));
    assert_eq!(
        rows[0].2,
        [f3(
            "cn-mofcom-uel-2025-03-04-illumina",
            "import",
            "violation"
        )]
    );
    // Skydio is also under the MFA countermeasure of 2024-10-10, which bars
    // transactions with it and was not suspended with the UEL measures.
    assert_eq!(
        rows[1].2,
        [
            f3("cn-mfa-afsl-2024-10-10", "purchase", "violation"),
            f3("cn-mofcom-uel-2025-04-04", "import", "violation")
        ]
    );
    assert_eq!(
        rows[2].2,
        [
            f3("cn-mfa-afsl-2024-10-10", "purchase", "violation"),
            f3("cn-mofcom-uel-2025-04-04", "import", "clear")
        ],
        "ordered during the 90-day suspension of the UEL measures"
    );
    // Shield AI's countermeasure of 2024-12-05 is a review: no source checked
    // confirms a transaction ban on the firm.
    assert_eq!(
        rows[3].2,
        [
            f3("cn-mfa-afsl-2024-12-05", "purchase", "review"),
            f3("cn-mofcom-uel-2025-04-09", "import", "clear")
        ],
        "UEL measures paused from 2025-05-14, stopped from 2025-08-12"
    );
    assert!(rows[4].2.is_empty(), "DJI is not on a Chinese list");
    // The same order screened by a CII operator: UEL measures bind every PRC organisation.
    let (_, out, _) = cli(&[
        "scan",
        "fixtures/multi-jurisdiction/cn-importer-po.csv",
        "--profile",
        "cn-cii",
        "--format",
        "json",
    ]);
    assert_eq!(findings_by_line(&json(&out))[1].1, "violation");
}

#[test]
fn directives_by_profile_and_date() {
    let (_, out, _) = cli(&[
        "directives",
        "--profile",
        "us-federal-agency",
        "--as-of",
        "2020-01-01",
    ]);
    let ids: Vec<&str> = out
        .lines()
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        ids,
        [
            "us-bis-entity-list-hikvision-dahua-2019",
            "us-bis-entity-list-huawei-2019",
            "us-ndaa-fy2018-1634-kaspersky",
            "us-ndaa-fy2019-889-a1a"
        ]
    );
    let (_, out, _) = cli(&["directives", "--jurisdiction", "UK"]);
    assert_eq!(out.lines().filter(|l| !l.starts_with(' ')).count(), 3);
    let (_, out, _) = cli(&["kb", "show", "cn-mofcom-uel-2025-04-04"]);
    assert!(
        out.contains("suspended from 2025-05-14 until 2025-08-12"),
        "{out}"
    );
    let (_, out, _) = cli(&["kb", "show", "honor"]);
    assert!(
        out.contains("relation owned-by huawei until 2020-11-17"),
        "{out}"
    );
}

#[test]
fn public_lists_import_into_a_layer_that_name_matching_uses() {
    let dir = std::env::temp_dir().join(format!("supplyscreen-layer-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let into = dir.to_str().expect("utf-8 path");
    let (code, out, err) = cli(&[
        "kb",
        "import",
        "--csl",
        "fixtures/public-lists/csl.json",
        "--into",
        into,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("imported 2 organisation(s) from csl.json (sha256:[hash])"),
        "{out}"
    );
    let (code, out, err) = cli(&[
        "kb",
        "import",
        "--opensanctions",
        "fixtures/public-lists/targets.nested.json",
        "--into",
        into,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("imported 2 organisation(s)"), "{out}");
    assert!(dir.join("imports/opensanctions.layer").is_file());
    let (_, shown, _) = cli(&["kb", "show", "os-nk-examplelens", "--kb", into]);
    assert!(
        shown.contains("relation owned-by os-nk-exampleimaging"),
        "ownership edge kept: {shown}"
    );

    // A broken list fails and leaves the last good layer in place.
    let before = std::fs::read(dir.join("imports/csl.layer")).expect("layer");
    let (code, _, err) = cli(&[
        "kb",
        "import",
        "--csl",
        "fixtures/public-lists/broken.json",
        "--into",
        into,
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("broken.json:1: not Consolidated Screening List JSON"),
        "{err}"
    );
    assert!(
        err.contains("the previous layer, if any, is unchanged"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(dir.join("imports/csl.layer")).expect("layer"),
        before
    );

    let (_, out, _) = cli(&[
        "scan",
        "fixtures/public-lists/order.csv",
        "--kb",
        into,
        "--profile",
        "us-federal-agency",
        "--format",
        "json",
    ]);
    let r = json(&out);
    let layers: Vec<&str> = r["kb"]["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .filter_map(|l| l["name"].as_str())
        .collect();
    assert_eq!(layers, ["csl", "opensanctions"]);
    assert_eq!(
        r["components"][0]["attribution"]["entity"],
        "csl-e0e1f2a3b4c5"
    );
    assert_eq!(
        r["components"][1]["attribution"]["entity"], "huawei",
        "the curated entity wins"
    );
    let (_, out, _) = cli(&["kb", "search", "example imaging", "--kb", into]);
    assert!(
        out.contains("(imported: csl)") && out.contains("(imported: opensanctions)"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_module_with_micron_dies_is_a_review_under_the_cac_decision() {
    let (code, out, _) = cli(&[
        "scan",
        "fixtures/dram-dies/po.csv",
        "--profile",
        "cn-cii",
        "--as-of",
        "2026-11-28",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "a review does not fail at the default --fail-on");
    let report = json(&out);
    let verdicts: Vec<&str> = report["components"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| c["verdict"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(verdicts, ["review", "clear"]);
    let f = &report["findings"][0];
    assert_eq!(f["entity"], "micron");
    assert_eq!(f["doubts"][0]["doubt"], "contains-target-dies");
    assert_eq!(f["doubts"][0]["attributed"], "kingston");
}

/// A directive may target an organisation of an imported list; the list's
/// ownership edges then bring its subsidiaries under it, as the KB's own do.
#[test]
fn an_imported_lists_ownership_edges_reach_a_directive_target() {
    let dir = tempfile::tempdir().expect("dir");
    let kb = dir.path().join("kb");
    let directives = kb.join("directives/acme");
    std::fs::create_dir_all(&directives).expect("dirs");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/public-lists/overlay/directives/acme/no-example-imaging.toml"
        ),
        directives.join("no-example-imaging.toml"),
    )
    .expect("copy");
    let into = kb.to_str().expect("utf-8 path");
    let (code, _, err) = cli(&[
        "kb",
        "import",
        "--opensanctions",
        "fixtures/public-lists/targets.nested.json",
        "--into",
        into,
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = cli(&[
        "scan",
        "fixtures/public-lists/group-order.csv",
        "--kb",
        into,
        "--profile",
        "cn-cii",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    let r = json(&out);
    let verdicts: Vec<(String, String)> = r["components"]
        .as_array()
        .expect("components")
        .iter()
        .map(|c| {
            let s = |v: &serde_json::Value| v.as_str().unwrap_or("-").to_owned();
            (s(&c["attribution"]["entity"]), s(&c["verdict"]))
        })
        .collect();
    assert_eq!(
        verdicts,
        rows(&[
            ("os-nk-examplelens", "violation"),
            ("os-nk-exampleimaging", "violation"),
            ("samsung", "clear"),
        ])
    );
    let lens = r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["entity"] == "os-nk-examplelens")
        .expect("the subsidiary's finding");
    assert_eq!(lens["target"], "os-nk-exampleimaging");
    assert_eq!(lens["via"][0]["kind"], "owned-by", "{lens}");
    assert_eq!(lens["via"][0]["to"], "os-nk-exampleimaging", "{lens}");
}
