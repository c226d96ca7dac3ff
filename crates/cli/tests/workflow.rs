//! The workflow commands: diff, impact, waivers, configuration, init,
//! completions and the manual page, on the examples and fixtures.

mod common;

use std::path::PathBuf;
use std::process::Command;

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
        err.contains("fixtures/impact-draft/broken-draft.toml:8: target entity"),
        "{err}"
    );
    assert!(
        err.contains("fixtures/impact-draft/broken-draft.toml:13: invalid date \"2027-02-30\""),
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
    assert_eq!(i["hits"].as_array().map(Vec::len), Some(16));
}

#[test]
fn waivers_add_renew_list_and_prune() {
    let dir = scratch("waivers");
    let file = dir.join("waivers.toml");
    std::fs::copy("examples/waivers.toml", &file).ok();
    let f = s(&file);
    let today = ["--today", "2026-11-28"];
    let mut add = vec![
        "waivers",
        "add",
        "--file",
        &f,
        "--directive",
        "cn-cac-2023-micron",
        "--reason",
        "Spare DIMMs for the db cluster",
        "--approver",
        "Wang Fang, CIO",
        "--expires",
        "2027-06-30",
        "--ticket",
        "RISK-77",
        "--match",
        "host=db-09",
    ];
    add.extend_from_slice(&today);
    let (code, out, err) = cli(&add);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with(&format!("added {f}:26: cn-cac-2023-micron")),
        "{out}"
    );
    let text = std::fs::read_to_string(&file).expect("read");
    let original = std::fs::read_to_string("examples/waivers.toml").expect("read");
    assert!(text.starts_with(&original), "existing entries changed");

    // Too far ahead, unless allowed.
    let mut far = add.clone();
    let expires = far.iter().position(|a| *a == "2027-06-30").expect("expiry");
    far[expires] = "2027-12-31";
    let (code, _, err) = cli(&far);
    assert_eq!(code, 2);
    assert!(err.contains("398 days ahead; at most 365"), "{err}");
    far.extend_from_slice(&["--max-days", "400"]);
    assert_eq!(cli(&far).0, 0);

    let at = format!("{f}:5");
    let mut renew = vec![
        "waivers",
        "renew",
        &at,
        "--expires",
        "2027-09-30",
        "--approver",
        "Li Wei, CISO",
    ];
    renew.extend_from_slice(&today);
    assert_eq!(cli(&renew).0, 0);

    let mut list = vec![
        "waivers",
        "list",
        "--waivers",
        &f,
        "--expiring",
        "30d",
        "--format",
        "json",
    ];
    list.extend_from_slice(&today);
    let (code, out, err) = cli(&list);
    assert_eq!(code, 0, "{err}");
    let l = json(&out);
    let listed = l["waivers"].as_array().expect("waivers");
    // Only the expired one is due within 30 days (the renewed one now runs to September).
    assert_eq!(listed.len(), 1, "{out}");
    assert_eq!(listed[0]["state"], "expired");
    let mut all = vec!["waivers", "list", "--waivers", &f];
    all.extend_from_slice(&today);
    let (_, out, _) = cli(&all);
    assert!(out.contains(&format!("{f}:5 · cn-cac-2023-micron · risk accepted by Li Wei, CISO until 2027-09-30 (306 days left)")), "{out}");
    assert!(out.contains("ticket RISK-77"), "{out}");

    let mut prune = vec!["waivers", "prune", "--waivers", &f];
    prune.extend_from_slice(&today);
    let (code, out, _) = cli(&prune);
    assert_eq!(code, 0);
    assert!(out.contains("removed 1 expired waiver(s)"), "{out}");
    let text = std::fs::read_to_string(&file).expect("read");
    assert!(!text.contains("Evaluation samples"), "{text}");
    assert!(
        text.starts_with("# Approved exceptions to directives."),
        "{text}"
    );
}

#[test]
fn scan_takes_several_waiver_files() {
    let dir = scratch("two-waivers");
    let second = dir.join("lab.toml");
    std::fs::write(
        &second,
        "[[waivers]]\ndirective = \"cn-cac-2023-micron\"\nreason = \"Lab stock\"\napprover = \"Zhang Min, Procurement\"\nexpires = \"2027-01-31\"\nticket = \"CHG-9\"\nmatch = { host = \"db-03\" }\n",
    )
    .expect("write");
    let (_, out, err) = cli(&[
        "scan",
        "examples/",
        "--as-of",
        "2026-11-28",
        "--format",
        "json",
        "--profile",
        "cn-cii",
        "--waivers",
        "examples/waivers.toml",
        "--waivers",
        &s(&second),
    ]);
    let r = json(&out);
    let waivers = r["waivers"].as_array().expect("waivers");
    assert_eq!(waivers.len(), 4, "{err}");
    let lab = waivers
        .iter()
        .find(|w| w["at"] == format!("{}:1", s(&second)))
        .expect("second file");
    assert_eq!(lab["status"], "used");
    assert!(r.get("profile_assumed").is_none());
}

#[test]
fn the_profile_assumed_is_said_and_a_config_chooses_one() {
    let (_, out, _) = cli(&[
        "scan",
        "examples/asset-register.csv",
        "--as-of",
        "2026-11-28",
    ]);
    let first = out.lines().next().unwrap_or_default();
    assert!(first.starts_with("note: profile cn-cii assumed"), "{first}");
    assert!(first.contains("--profile"), "{first}");
    let (_, out, _) = cli(&[
        "scan",
        "examples/asset-register.csv",
        "--as-of",
        "2026-11-28",
        "--format",
        "json",
    ]);
    assert_eq!(json(&out)["profile_assumed"], true);

    let dir = scratch("config");
    let cfg = dir.join("supplyscreen.toml");
    std::fs::write(&cfg, "profile = \"cn-enterprise\"\n").expect("write");
    let config = ["--config", &s(&cfg)];
    let mut argv = config.to_vec();
    argv.extend_from_slice(&[
        "scan",
        "examples/asset-register.csv",
        "--as-of",
        "2026-11-28",
    ]);
    let (code, out, _) = cli(&argv);
    assert!(
        out.lines()
            .next()
            .is_some_and(|l| l.starts_with("supplyscreen ") && l.contains("profile cn-enterprise")),
        "{out}"
    );
    assert_eq!(code, 0, "the CAC decision binds CII operators only");

    // db-07's modules are reviews: below the default threshold, at the config's.
    let dump = ["scan", "examples/db-07.dmi", "--as-of", "2026-11-28"];
    assert_eq!(cli(&dump).0, 0);
    std::fs::write(&cfg, "profile = \"cn-cii\"\nfail_on = \"review\"\n").expect("write");
    let mut argv = config.to_vec();
    argv.extend_from_slice(&dump);
    assert_eq!(cli(&argv).0, 1);

    std::fs::write(
        &cfg,
        "profile = \"cn-cii\"\n[columns]\nmaker = \"Lieferant\"\n[output]\nformat = \"json\"\n",
    )
    .expect("write");
    let (code, _, err) = cli(&["--config", &s(&cfg), "scan", "examples/asset-register.csv"]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!("{}:4: unknown field `output`", s(&cfg))),
        "{err}"
    );
}

#[test]
fn init_writes_a_config_the_binary_finds_from_a_subdirectory() {
    let dir = scratch("init");
    let bin = env!("CARGO_BIN_EXE_supplyscreen");
    let out = Command::new(bin)
        .arg("init")
        .current_dir(&dir)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(dir.join("supplyscreen.toml")).expect("written");
    assert!(text.starts_with("# supplyscreen configuration."), "{text}");
    let again = Command::new(bin)
        .arg("init")
        .current_dir(&dir)
        .output()
        .expect("runs");
    assert_eq!(again.status.code(), Some(2), "no overwrite without --force");

    std::fs::write(
        dir.join("supplyscreen.toml"),
        "profile = \"cn-enterprise\"\n",
    )
    .expect("write");
    let sub = dir.join("site/a");
    std::fs::create_dir_all(&sub).expect("mkdir");
    let register = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/asset-register.csv"
    );
    let out = Command::new(bin)
        .args(["scan", register, "--as-of", "2026-11-28"])
        .current_dir(&sub)
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.lines().next().unwrap_or_default();
    assert!(first.contains("profile cn-enterprise"), "{first}");
}

#[test]
fn completions_and_manual_come_from_the_cli_definition() {
    let (code, out, _) = cli(&["completions", "bash"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("supplyscreen__subcmd__scan)"),
        "{}",
        &out[..out.len().min(400)]
    );
    assert!(out.contains("--fail-on"));
    for shell in ["zsh", "fish", "powershell"] {
        let (code, out, _) = cli(&["completions", shell]);
        assert_eq!(code, 0);
        assert!(out.contains("scan") && out.contains("waivers"), "{shell}");
    }
    let (code, man, _) = cli(&["manpage"]);
    assert_eq!(code, 0);
    assert!(man.starts_with(".ie \\n(.g .ds Aq"), "roff");
    assert!(man.contains(".TH supplyscreen-scan"), "a page for scan");
    for option in [
        "\\-\\-fail\\-on",
        "\\-\\-waivers",
        "\\-\\-as\\-of",
        "\\-\\-profile",
    ] {
        assert!(man.contains(option), "{option}");
    }
}
