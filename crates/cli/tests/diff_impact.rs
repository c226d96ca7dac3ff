//! `diff` and `impact` on the examples and fixtures.

mod common;

use std::path::PathBuf;

use common::{cli, json};

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("supplyscreen-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

fn s(p: &std::path::Path) -> String {
    p.to_string_lossy().into_owned()
}

/// Writes a JSON report of a scan to a file.
fn report(path: &std::path::Path, args: &[&str]) {
    let mut argv = vec!["scan", "--as-of", "2026-11-28", "--format", "json"];
    argv.extend_from_slice(args);
    let (code, out, err) = cli(&argv);
    assert!(code <= 1, "{err}");
    std::fs::write(path, out).expect("write report");
}

#[test]
fn diff_lists_new_resolved_and_changed_findings_by_id() {
    let dir = scratch("diff");
    let (register, all, waived) = (dir.join("r.json"), dir.join("a.json"), dir.join("w.json"));
    report(&register, &["examples/asset-register.csv"]);
    report(&all, &["examples/"]);
    report(
        &waived,
        &["examples/", "--waivers", "examples/waivers.toml"],
    );

    // The purchase orders' violations are new: exit 1 at the default threshold.
    let (code, out, _) = cli(&["diff", &s(&register), &s(&all), "--format", "json"]);
    assert_eq!(code, 1, "{out}");
    let d = json(&out);
    assert_eq!(d["schema"], "supplyscreen/diff/v1");
    let new = d["new"].as_array().expect("new");
    assert!(new.iter().any(|f| f["verdict"] == "violation"), "{out}");
    assert!(
        new.iter()
            .all(|f| f["id"].as_str().is_some_and(|i| i.len() == 16))
    );
    assert_eq!(d["resolved"].as_array().map(Vec::len), Some(0));
    assert_eq!(d["changed"].as_array().map(Vec::len), Some(0));

    assert_eq!(d["contexts"]["old"]["profile"], "cn-cii");
    assert_eq!(d["contexts"]["new"]["as_of"], "2026-11-28");

    // Backwards, the same findings are resolved, and nothing fails.
    let (code, out, _) = cli(&["diff", &s(&all), &s(&register)]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("0 new,") && out.contains("RESOLVED"), "{out}");
    assert!(
        out.contains("examples/purchase-order-2024.csv:9 · cn-cac-2023-micron purchase"),
        "{out}"
    );

    // Waivers change three review findings to waived and note an expired waiver.
    let (code, out, _) = cli(&["diff", &s(&all), &s(&waived), "--format", "json"]);
    assert_eq!(code, 0, "{out}");
    let changed = json(&out)["changed"].as_array().cloned().expect("changed");
    assert_eq!(changed.len(), 4, "{out}");
    let first = &changed[0];
    assert_eq!(first["old"]["verdict"], "review");
    assert_eq!(first["new"]["verdict"], "waived");
    assert_eq!(first["old"]["id"], first["new"]["id"]);
    assert!(
        first["new"]["reason"]
            .as_str()
            .is_some_and(|r| r.contains("risk accepted by Li Wei, CISO until 2027-03-31")),
        "{first}"
    );

    // Another profile is pointed out.
    let other = dir.join("o.json");
    report(&other, &["examples/", "--profile", "cn-enterprise"]);
    let (_, out, _) = cli(&["diff", &s(&all), &s(&other)]);
    assert!(
        out.contains("  new: profile cn-enterprise · as of 2026-11-28"),
        "{out}"
    );
    assert!(out.contains("note: the reports differ in profile"), "{out}");

    // Losing the waivers makes findings worse: review fails on it.
    let (code, _, _) = cli(&["diff", &s(&waived), &s(&all), "--fail-on", "review"]);
    assert_eq!(code, 1);
    let (code, _, _) = cli(&["diff", &s(&waived), &s(&all)]);
    assert_eq!(code, 0, "review is below the default threshold");
}

#[test]
fn diff_names_the_file_that_is_not_a_v2_report() {
    let dir = scratch("diff-bad");
    let good = dir.join("good.json");
    report(&good, &["examples/asset-register.csv"]);
    let v1 = dir.join("v1.json");
    std::fs::write(
        &v1,
        "{\"schema\": \"supplyscreen/report/v1\", \"findings\": []}",
    )
    .expect("write");
    let (code, _, err) = cli(&["diff", &s(&v1), &s(&good)]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!(
            "{}: not a supplyscreen/report/v2 report: its schema is \"supplyscreen/report/v1\"",
            s(&v1)
        )),
        "{err}"
    );
    let (code, _, err) = cli(&["diff", &s(&good), "examples/asset-register.csv"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("examples/asset-register.csv:1:1: not a JSON report"),
        "{err}"
    );
    let broken = dir.join("broken.json");
    std::fs::write(
        &broken,
        "{\"schema\": \"supplyscreen/report/v2\", \"findings\": [{\"id\": \"xyz\"}]}",
    )
    .expect("write");
    let (code, _, err) = cli(&["diff", &s(&good), &s(&broken)]);
    assert_eq!(code, 2);
    assert!(
        err.contains("findings[0].id: missing or not a finding id"),
        "{err}"
    );
}

#[test]
fn impact_groups_what_a_draft_reaches_with_spend() {
    let draft = "fixtures/impact-draft/draft-no-micron-memory.toml";
    let (code, out, err) = cli(&[
        "impact",
        "--directive",
        draft,
        "examples/",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let i = json(&out);
    assert_eq!(i["schema"], "supplyscreen/impact/v1");
    assert_eq!(i["directive"], "acme-draft-no-micron");
    assert_eq!(i["profile_from_draft"], true);
    // Judged as if the draft's measure (from 2027-07-01) had started.
    assert_eq!(i["as_of"], "2027-07-01");
    assert_eq!(i["components_read"], 37);
    let hits = i["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 16, "{out}");
    // Purchase lines of 2024 are reached whatever their dates.
    let elpida = hits
        .iter()
        .find(|h| h["path"] == "examples/purchase-order-2024.csv" && h["line"] == 9)
        .expect("the Elpida line");
    assert_eq!(elpida["entity"], "elpida");
    assert_eq!(elpida["quantity"], 200);
    assert_eq!(elpida["unit_price"], "12.00");
    assert_eq!(elpida["spend"], "2400.00");
    assert_eq!(elpida["currency"], "CNY");
    let by_entity = i["by_entity"].as_array().expect("groups");
    assert_eq!(by_entity[0]["key"], "elpida");
    assert_eq!(by_entity[1]["key"], "micron");
    assert_eq!(by_entity[1]["components"], 15);
    let db07 = i["by_host"]
        .as_array()
        .and_then(|g| g.iter().find(|g| g["key"] == "db-07"))
        .expect("db-07");
    assert_eq!(db07["components"], 3);
    assert_eq!(i["totals"]["spend"]["CNY"], "99830.00");

    let (code, out, _) = cli(&["impact", "--directive", draft, "examples/"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("impact of draft acme-draft-no-micron"),
        "{out}"
    );
    assert!(
        out.contains("  db-07: 3 component(s), quantity 3\n"),
        "{out}"
    );
    assert!(
        out.contains("  Elpida: 1 component(s), quantity 200, spend 2400.00 CNY\n"),
        "{out}"
    );
}

#[test]
fn impact_validates_the_draft_like_kb_data() {
    let (code, out, err) = cli(&[
        "impact",
        "--directive",
        "fixtures/impact-draft/broken-draft.toml",
        "examples/",
    ]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("fixtures/impact-draft/broken-draft.toml:10: target entity"),
        "{err}"
    );
    assert!(
        err.contains("fixtures/impact-draft/broken-draft.toml:15: invalid date \"2027-02-30\""),
        "{err}"
    );
}

#[test]
fn impact_of_a_revision_replaces_the_directive_and_says_when_a_profile_is_not_bound() {
    let draft = "fixtures/impact-draft/draft-no-micron-memory.toml";
    let (code, out, _) = cli(&[
        "impact",
        "--directive",
        draft,
        "--profile",
        "us-federal-agency",
        "examples/",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("reaches 0 of 37 component(s)"), "{out}");
    assert!(
        out.contains("the draft does not bind profile us-federal-agency"),
        "{out}"
    );

    // A draft with the id of a KB directive replaces it instead of clashing.
    let dir = scratch("revision");
    let text = std::fs::read_to_string("data/directives/cn/cac-2023-micron.toml").expect("read");
    let revised = text.replace(
        "binds = { sectors = [\"critical-information-infrastructure\"] }",
        "binds = {}",
    );
    assert_ne!(revised, text, "the KB file binds a sector");
    let path = dir.join("revision.toml");
    std::fs::write(&path, revised).expect("write");
    let (code, out, err) = cli(&[
        "impact",
        "--directive",
        &s(&path),
        "examples/",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let i = json(&out);
    assert_eq!(i["directive"], "cn-cac-2023-micron");
    // Every Micron-family line whatever its date, the one ordered before the decision included.
    assert_eq!(i["hits"].as_array().map(Vec::len), Some(17));
}
