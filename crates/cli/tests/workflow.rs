//! The workflow commands besides diff and impact: waivers, configuration,
//! init, completions and the manual page.

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
        out.starts_with(&format!("added {f}:27: cn-cac-2023-micron")),
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

#[test]
fn config_outputs_write_files_and_standard_output() {
    let dir = scratch("outputs");
    let cfg = dir.join("supplyscreen.toml");
    std::fs::write(
        &cfg,
        "profile = \"cn-cii\"\noutputs = [\"json=report.json\", \"table\"]\n",
    )
    .expect("write");
    let (code, out, err) = cli(&[
        "--config",
        &s(&cfg),
        "scan",
        "examples/asset-register.csv",
        "--as-of",
        "2026-11-28",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.starts_with("supplyscreen "),
        "the table on standard output: {out}"
    );
    let written =
        std::fs::read_to_string(dir.join("report.json")).expect("report.json beside the config");
    assert_eq!(json(&written)["schema"], "supplyscreen/report/v2");
    // --format overrides the configured outputs.
    let (_, out, _) = cli(&[
        "--config",
        &s(&cfg),
        "scan",
        "examples/asset-register.csv",
        "--format",
        "json",
    ]);
    assert_eq!(json(&out)["profile"], "cn-cii");
}
