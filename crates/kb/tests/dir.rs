//! A KB directory is read without hanging: a FIFO named like a KB file is
//! refused by type before it is opened, and a symlink loop is entered once.

#![cfg(unix)]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use supplyscreen_kb::{KbFile, LoadError, dir_files};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("supplyscreen-kb-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("entities")).expect("temp dir");
    fs::write(
        dir.join("entities/acme.toml"),
        "id = \"acme\"\nname = \"Acme\"\n",
    )
    .expect("temp file");
    dir
}

/// `dir_files` on another thread, failing the test instead of hanging it.
fn read_within_seconds(dir: &Path) -> Result<Vec<KbFile>, LoadError> {
    let (tx, rx) = mpsc::channel();
    let dir = dir.to_owned();
    std::thread::spawn(move || {
        let _ = tx.send(dir_files(&dir));
    });
    rx.recv_timeout(Duration::from_secs(20))
        .expect("reading the KB directory did not finish")
}

#[test]
fn a_fifo_in_the_kb_directory_is_refused_by_type() {
    let dir = temp_dir("fifo");
    let fifo = dir.join("entities/pipe.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        // No mkfifo on this system: nothing to test.
        let _ = fs::remove_dir_all(&dir);
        return;
    }
    let result = read_within_seconds(&dir);
    let _ = fs::remove_dir_all(&dir);
    let err = result.expect_err("a FIFO must be refused").to_string();
    assert!(err.contains("pipe.toml"), "{err}");
    assert!(err.contains("not a regular file"), "{err}");
}

#[test]
fn symlink_loops_are_entered_once() {
    let dir = temp_dir("loop");
    std::os::unix::fs::symlink(".", dir.join("entities/again")).expect("symlink");
    std::os::unix::fs::symlink("..", dir.join("entities/up")).expect("symlink");
    let result = read_within_seconds(&dir);
    let _ = fs::remove_dir_all(&dir);
    let files = result.expect("readable");
    let rels: Vec<&str> = files.iter().map(|f| f.rel.as_str()).collect();
    assert_eq!(rels, ["entities/acme.toml"]);
}
