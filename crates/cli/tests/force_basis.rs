//! What a finding says about the instrument behind it: its legal force
//! (guidance is never a violation) and whether the target is the
//! instrument's own word or the KB's reading (a brand, an acquired company).
//! Each changed date is screened with purchases on either side of it.

mod common;

use common::{cli, po_of, scan_report};
use serde_json::Value;

/// The findings of `directive` and `measure`, as (PO number, finding).
fn of<'a>(r: &'a Value, directive: &str, measure: &str) -> Vec<(String, &'a Value)> {
    r["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["directive"] == directive && f["measure"] == measure)
        .map(|f| (po_of(r, f), f))
        .collect()
}

#[test]
fn cac_findings_say_whether_they_rest_on_the_decisions_words_or_the_kbs_reading() {
    let r = scan_report(
        "fixtures/multi-jurisdiction/cn-cii-micron-family.csv",
        "cn-cii",
        "2024-01-01",
    );
    let got: Vec<(String, String, String)> = of(&r, "cn-cac-2023-micron", "purchase")
        .into_iter()
        .map(|(po, f)| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_owned();
            (po, s("verdict"), s("basis"))
        })
        .collect();
    let want = [
        ("MF-01", "clear", "named"),
        ("MF-02", "violation", "named"),
        ("MF-03", "violation", "kb-reading"),
        ("MF-04", "violation", "kb-reading"),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
        .collect();
    assert_eq!(got, want);
    let elpida = of(&r, "cn-cac-2023-micron", "purchase")
        .into_iter()
        .find(|(po, _)| po == "MF-04")
        .map(|(_, f)| f.clone())
        .expect("MF-04");
    let reason = elpida["reason"].as_str().unwrap_or("");
    assert!(
        reason.contains(
            "this is the KB's reading of the directive, through elpida acquired-by micron"
        ),
        "{reason}"
    );
    assert!(
        elpida["basis_kb"]
            .as_str()
            .is_some_and(|k| k.starts_with("data/directives/cn/cac-2023-micron.toml:")),
        "{elpida}"
    );
    assert_eq!(elpida["force"], "administrative-decision");
    let micron = of(&r, "cn-cac-2023-micron", "purchase")
        .into_iter()
        .find(|(po, _)| po == "MF-02")
        .map(|(_, f)| f.clone())
        .expect("MF-02");
    assert!(micron.get("basis_kb").is_none(), "{micron}");
    assert!(
        !micron["reason"]
            .as_str()
            .unwrap_or("")
            .contains("KB's reading")
    );
}

#[test]
fn the_uk_2020_decision_is_guidance_a_review_from_2021_01_01_never_a_violation() {
    let r = scan_report(
        "fixtures/multi-jurisdiction/uk-provider-po.csv",
        "uk-telecom-provider",
        "2021-06-01",
    );
    let got = of(&r, "uk-2020-huawei-5g-decision", "purchase");
    let verdicts: Vec<(&str, &str)> = got
        .iter()
        .filter(|(po, _)| po == "UK-01" || po == "UK-02")
        .map(|(po, f)| (po.as_str(), f["verdict"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(verdicts, [("UK-01", "clear"), ("UK-02", "review")]);
    let f = got.iter().find(|(po, _)| po == "UK-02").expect("UK-02").1;
    assert_eq!(f["force"], "guidance");
    let doubts: Vec<&str> = f["doubts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["doubt"].as_str())
        .collect();
    assert!(doubts.contains(&"guidance-not-law"), "{f}");
    assert!(
        f["reason"]
            .as_str()
            .is_some_and(|s| s.contains("guidance, not law")),
        "{f}"
    );
    // A provider that was not given a designated vendor direction is not bound by it.
    let any_dvd = r["findings"].as_array().expect("findings").iter().any(|f| {
        f["directive"]
            .as_str()
            .is_some_and(|d| d.starts_with("uk-dvd"))
    });
    assert!(!any_dvd);
}

#[test]
fn designated_vendor_directions_bind_their_recipients_from_2022_10_13() {
    let r = scan_report(
        "fixtures/multi-jurisdiction/uk-provider-po.csv",
        "uk-dvd-recipient",
        "2023-06-01",
    );
    let deploy: Vec<(String, String)> = of(&r, "uk-dvd-2022-huawei-5g", "deploy")
        .into_iter()
        .filter(|(po, _)| po == "UK-03" || po == "UK-04")
        .map(|(po, f)| (po, f["verdict"].as_str().unwrap_or("").to_owned()))
        .collect();
    assert_eq!(
        deploy,
        [
            ("UK-03".to_owned(), "clear".to_owned()),
            ("UK-04".to_owned(), "violation".to_owned())
        ]
    );
}

#[test]
fn huawei_out_of_any_network_core_by_2023_12_31_not_only_5g_cores() {
    let core = |as_of: &str| -> Vec<(String, String)> {
        let r = scan_report(
            "fixtures/multi-jurisdiction/uk-provider-po.csv",
            "uk-dvd-recipient",
            as_of,
        );
        of(&r, "uk-dvd-2022-huawei-core", "operate")
            .into_iter()
            .map(|(po, f)| (po, f["verdict"].as_str().unwrap_or("").to_owned()))
            .collect()
    };
    let pair = |v: &str| vec![("UK-05".to_owned(), v.to_owned())];
    assert_eq!(core("2023-12-31"), pair("restricted"));
    assert_eq!(core("2024-01-01"), pair("violation"));
}

#[test]
fn the_directives_list_says_which_instruments_are_not_law_and_which_reach_is_unverified() {
    let (_, out, _) = cli(&["directives", "--jurisdiction", "AU"]);
    assert!(out.contains("  guidance, not law"), "{out}");
    let (_, out, _) = cli(&[
        "directives",
        "--profile",
        "cn-enterprise",
        "--as-of",
        "2025-01-01",
    ]);
    let block = |id: &str| -> String {
        out.lines()
            .skip_while(|l| !l.starts_with(id))
            .skip(1)
            .take_while(|l| l.starts_with(' '))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(
        block("cn-mfa-afsl-2024-12-05").contains("reach not verified"),
        "{out}"
    );
    assert!(
        !block("cn-mfa-afsl-2024-12-27").contains("reach not verified"),
        "{out}"
    );
}

#[test]
fn kb_show_prints_the_force_with_its_source_and_each_targets_basis() {
    let (_, out, _) = cli(&["kb", "show", "au-2018-5g-security-guidance"]);
    assert!(
        out.contains("  force: guidance, not law — source: https://"),
        "{out}"
    );
    assert!(
        out.contains("targets: huawei (not named in the instrument: the KB's reading) with affiliates (the KB's reading)"),
        "{out}"
    );
    let (_, out, _) = cli(&["kb", "show", "us-ndaa-fy2019-889-a1a"]);
    assert!(out.contains("  force: statute — source: https://"), "{out}");
    assert!(
        out.contains("targets: huawei with affiliates (named in the instrument)"),
        "{out}"
    );
}
