//! `kb keygen`, `kb bundle`, `kb install`, `kb active` through the real CLI:
//! a signed bundle installs; tampered, unsigned, wrongly signed and older
//! bundles are refused with exit status 2 and leave the active KB as it was.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::cli;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "supplyscreen-cli-bundle-{}-{name}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch");
    dir
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// Copies the workspace KB (`data/`) to `dst` with another version.
fn kb_copy(dst: &Path, version: &str) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data");
    copy_dir(&root, dst);
    let kb = dst.join("kb.toml");
    let text = fs::read_to_string(&kb).expect("kb.toml");
    let text: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with("version") {
                format!("version = \"{version}\"")
            } else {
                l.to_owned()
            }
        })
        .collect();
    fs::write(&kb, text.join("\n")).expect("write kb.toml");
}

fn copy_dir(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).expect("mkdir");
    for e in fs::read_dir(src).expect("read_dir") {
        let p = e.expect("entry").path();
        let to = dst.join(p.file_name().expect("name"));
        if p.is_dir() {
            copy_dir(&p, &to);
        } else {
            fs::copy(&p, &to).expect("copy");
        }
    }
}

/// Makes a signed bundle of the KB at `version`; returns its path.
fn make_bundle(dir: &Path, key: &Path, version: &str) -> PathBuf {
    let src = dir.join(format!("src-{version}"));
    kb_copy(&src, version);
    let out = dir.join(format!("kb-{version}.bundle"));
    let (code, text, err) = cli(&["kb", "bundle", &s(&src), "--key", &s(key), "-o", &s(&out)]);
    assert_eq!(code, 0, "{text}{err}");
    assert!(text.contains(&format!("KB {version} sha256:")), "{text}");
    out
}

#[test]
fn keygen_bundle_install_and_refusals() {
    let dir = scratch("flow");
    let key = dir.join("signer");
    let (code, text, _) = cli(&["kb", "keygen", "-o", &s(&key)]);
    assert_eq!(code, 0);
    assert!(text.contains("ed25519:"), "{text}");
    // Never overwrites a key.
    assert_eq!(cli(&["kb", "keygen", "-o", &s(&key)]).0, 2);
    let other = dir.join("other");
    assert_eq!(cli(&["kb", "keygen", "-o", &s(&other)]).0, 0);

    let home = dir.join("home");
    let pubkey = s(&dir.join("signer.pub"));
    let install = |bundle: &Path| {
        cli(&[
            "kb",
            "install",
            &s(bundle),
            "--trusted-key",
            &pubkey,
            "--kb-home",
            &s(&home),
        ])
    };
    let good = make_bundle(&dir, &key, "2099.2");
    let (code, text, err) = install(&good);
    assert_eq!(code, 0, "{err}");
    assert!(text.starts_with("installed KB 2099.2 sha256:"), "{text}");
    let active = || cli(&["kb", "active", "--kb-home", &s(&home)]).1;
    let before = active();
    assert!(before.contains("KB 2099.2"), "{before}");

    let newer = fs::read_to_string(make_bundle(&dir, &key, "2099.3")).expect("read");
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        fs::write(&p, text).expect("write");
        p
    };
    let refused = |bundle: &Path, why: &str| {
        let (code, _, err) = install(bundle);
        assert_eq!(code, 2, "{}: {err}", bundle.display());
        assert!(err.contains("refused, nothing changed"), "{err}");
        assert!(err.contains(why), "{why} not in {err}");
    };
    let tampered = newer.replacen("Micron Technology, Inc.", "Micron Technology, Inx.", 1);
    refused(&write("tampered.bundle", &tampered), "was altered");
    let sig = newer.lines().nth(4).expect("signature line");
    refused(
        &write("unsigned.bundle", &newer.replacen(sig, "signature -", 1)),
        "not signed",
    );
    let foreign = fs::read_to_string(make_bundle(&dir, &other, "2099.4")).expect("read");
    refused(
        &write("foreign.bundle", &foreign),
        "not among the trusted keys",
    );
    let forged = foreign.replacen(
        foreign.lines().nth(3).expect("key line"),
        newer.lines().nth(3).expect("key line"),
        1,
    );
    refused(&write("forged.bundle", &forged), "does not verify");
    refused(&make_bundle(&dir, &key, "2099.1"), "older than");
    assert_eq!(active(), before, "a refused bundle changed the active KB");
}
