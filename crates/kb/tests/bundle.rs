//! Signed KB bundles: a good bundle installs; tampered, unsigned, wrongly
//! signed, untrusted and older bundles are refused and change nothing.

use std::fs;
use std::path::{Path, PathBuf};

use supplyscreen_kb::bundle::{
    self, BundleError, Outcome, SigningKey, generate_key, install, installed, load_installed, pack,
};
use supplyscreen_kb::embedded_files;

/// A fresh directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("supplyscreen-bundle-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Writes the embedded KB to `dir` with its version set to `version`.
fn kb_dir(dir: &Path, version: &str) -> PathBuf {
    let root = dir.join(format!("kb-src-{version}"));
    for f in embedded_files() {
        let path = root.join(&f.rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        let text = if f.rel == "kb.toml" {
            f.text
                .lines()
                .map(|l| {
                    if l.starts_with("version") {
                        format!("version = \"{version}\"")
                    } else {
                        l.to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            f.text
        };
        fs::write(&path, text).expect("write");
    }
    root
}

/// A signed bundle file of the embedded KB at `version`.
fn bundle_file(dir: &Path, version: &str, key: &SigningKey) -> PathBuf {
    let bytes = pack(&kb_dir(dir, version), key).expect("pack");
    let path = dir.join(format!("kb-{version}.bundle"));
    fs::write(&path, bytes).expect("write bundle");
    path
}

/// The state of the KB home that a refused install must not change.
fn snapshot(home: &Path) -> Option<String> {
    fs::read_to_string(home.join("active")).ok()
}

#[test]
fn a_signed_bundle_installs_and_loads() {
    let dir = scratch("good");
    let key = generate_key().expect("key");
    let path = bundle_file(&dir, "2099.1", &key);
    let home = dir.join("home");
    let out = install(&path, &home, &[key.verifying_key()], "2026.11").expect("install");
    let Outcome::Installed(inst) = out else {
        panic!("expected a fresh install, got {out:?}");
    };
    assert_eq!(inst.version, "2099.1");
    assert_eq!(inst.signer, bundle::fingerprint(&key.verifying_key()));
    let (kb, again) = load_installed(&home).expect("load").expect("installed");
    assert_eq!(kb.version(), "2099.1");
    assert_eq!(kb.hash(), inst.hash);
    assert_eq!(again, inst);
    // Installing the same bundle again changes nothing.
    let out = install(&path, &home, &[key.verifying_key()], "2026.11").expect("again");
    assert!(matches!(out, Outcome::AlreadyActive(_)));
}

#[test]
fn refusals_leave_the_installed_kb_unchanged() {
    let dir = scratch("refuse");
    let key = generate_key().expect("key");
    let other = generate_key().expect("key");
    let home = dir.join("home");
    let good = bundle_file(&dir, "2099.2", &key);
    install(&good, &home, &[key.verifying_key()], "2026.11").expect("install");
    let before = snapshot(&home);
    let trusted = [key.verifying_key()];
    let try_install = |bytes: &[u8], name: &str| {
        let p = dir.join(name);
        fs::write(&p, bytes).expect("write");
        install(&p, &home, &trusted, "2026.11")
    };
    let newer = fs::read_to_string(bundle_file(&dir, "2099.3", &key)).expect("read");

    // Tampered: one file's content changed, lengths adjusted.
    let tampered = newer.replacen("Micron Technology, Inc.", "Micron Technology, Inx.", 1);
    let err = try_install(tampered.as_bytes(), "tampered.bundle").expect_err("tampered");
    assert!(matches!(err, BundleError::HashMismatch { .. }), "{err}");

    // Tampered header: a newer version claimed without a new signature.
    let relabelled = newer.replacen("version 2099.3", "version 2099.9", 1);
    let err = try_install(relabelled.as_bytes(), "relabelled.bundle").expect_err("relabelled");
    assert!(matches!(err, BundleError::BadSignature(_)), "{err}");

    // Unsigned.
    let sig_line = newer.lines().nth(4).expect("signature line").to_owned();
    let unsigned = newer.replacen(&sig_line, "signature -", 1);
    let err = try_install(unsigned.as_bytes(), "unsigned.bundle").expect_err("unsigned");
    assert!(matches!(err, BundleError::Unsigned), "{err}");

    // Signed by a key that is not trusted.
    let stranger = fs::read(bundle_file(&dir, "2099.4", &other)).expect("read");
    let err = try_install(&stranger, "stranger.bundle").expect_err("untrusted");
    assert!(matches!(err, BundleError::UntrustedKey(_)), "{err}");

    // Wrongly signed: the trusted key's name on another key's signature.
    let key_line = newer.lines().nth(3).expect("key line").to_owned();
    let forged = String::from_utf8(stranger.clone())
        .expect("utf-8")
        .replacen(stranger_key_line(&stranger).as_str(), &key_line, 1);
    let err = try_install(forged.as_bytes(), "forged.bundle").expect_err("forged");
    assert!(matches!(err, BundleError::BadSignature(_)), "{err}");

    // Older than the installed version.
    let older = fs::read(bundle_file(&dir, "2099.1", &key)).expect("read");
    let err = try_install(&older, "older.bundle").expect_err("older");
    assert!(matches!(err, BundleError::Older { .. }), "{err}");

    // Not a bundle at all.
    let err = try_install(b"version = \"2099.9\"\n", "junk.bundle").expect_err("junk");
    assert!(matches!(err, BundleError::Format(_)), "{err}");

    assert_eq!(snapshot(&home), before, "the active KB changed");
    let inst = installed(&home).expect("read").expect("installed");
    assert_eq!(inst.version, "2099.2");
}

fn stranger_key_line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .nth(3)
        .expect("key line")
        .to_owned()
}

#[test]
fn with_nothing_installed_a_bundle_older_than_the_built_in_kb_is_refused() {
    let dir = scratch("builtin");
    let key = generate_key().expect("key");
    let path = bundle_file(&dir, "2020.1", &key);
    let home = dir.join("home");
    let err = install(&path, &home, &[key.verifying_key()], "2026.11").expect_err("older");
    assert!(matches!(err, BundleError::Older { .. }), "{err}");
    assert!(!home.join("active").exists());
}

#[test]
fn an_invalid_kb_is_neither_packed_nor_installed() {
    let dir = scratch("invalid");
    let key = generate_key().expect("key");
    let src = kb_dir(&dir, "2099.5");
    fs::write(src.join("entities/broken.toml"), "id = \"broken\"\n").expect("write");
    let err = pack(&src, &key).expect_err("invalid KB packed");
    assert!(matches!(err, BundleError::Invalid(_)), "{err}");
}
