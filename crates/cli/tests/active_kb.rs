//! An installed signed bundle becomes the KB every command uses, and reports
//! name where the KB came from.

mod common;

use common::{TODAY, cli_in, json};
use supplyscreen_cli::Environment;

#[test]
fn scans_use_the_installed_bundle_and_say_so() {
    let dir = tempfile::tempdir().expect("dir");
    let path = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    let home = dir.path().join("home");
    let env = Environment {
        kb_home: Some(home.clone()),
        ..Environment::fixed(TODAY)
    };
    let scan = |env: &Environment| {
        let args = [
            "scan",
            "examples/purchase-order-2024.csv",
            "--profile",
            "cn-cii",
            "--as-of",
            "2026-11-28",
            "--format",
            "json",
        ];
        json(&cli_in(env, &args).1)
    };
    let before = scan(&env);
    assert_eq!(before["kb"]["origin"]["base"], "embedded");

    // A newer KB: the shipped data with a higher version, bundled and installed.
    let kb_dir = dir.path().join("kb");
    copy_dir(std::path::Path::new("data"), &kb_dir);
    let meta = std::fs::read_to_string(kb_dir.join("kb.toml")).expect("kb.toml");
    let version = meta
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .expect("a version line");
    std::fs::write(
        kb_dir.join("kb.toml"),
        meta.replace(version, &format!("{version}.1")),
    )
    .expect("write");
    let key = path("signing.key");
    let bundle = path("kb.bundle");
    assert_eq!(cli_in(&env, &["kb", "keygen", "--out", &key]).0, 0);
    let kb = kb_dir.to_string_lossy().into_owned();
    let (code, _, err) = cli_in(&env, &["kb", "bundle", &kb, "--key", &key, "-o", &bundle]);
    assert_eq!(code, 0, "{err}");
    let public = format!("{key}.pub");
    let (code, _, err) = cli_in(&env, &["kb", "install", &bundle, "--trusted-key", &public]);
    assert_eq!(code, 0, "{err}");

    let after = scan(&env);
    assert_eq!(after["kb"]["origin"]["base"], "bundle");
    assert_eq!(after["kb"]["origin"]["source"], bundle.as_str());
    assert_eq!(after["kb"]["version"], format!("{version}.1").as_str());
    assert_eq!(
        after["summary"], before["summary"],
        "the same facts screen the same"
    );
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}
