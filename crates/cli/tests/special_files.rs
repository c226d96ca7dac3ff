//! A FIFO given as `--waivers` is refused by its type, never opened: opening
//! it would block the scan until something writes to it.

#![cfg(unix)]

mod common;

use std::sync::mpsc;
use std::time::Duration;

use common::cli;

#[test]
fn a_fifo_as_waivers_is_an_error_naming_it() {
    let dir = std::env::temp_dir().join(format!("supplyscreen-fifo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let fifo = dir.join("waivers.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        // No mkfifo on this system: nothing to test.
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    let waivers = fifo.to_string_lossy().into_owned();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(cli(&["scan", "examples/", "--waivers", &waivers]));
    });
    let result = rx.recv_timeout(Duration::from_secs(60));
    let _ = std::fs::remove_dir_all(&dir);
    let (code, _, err) = result.expect("the scan blocked on the FIFO");
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("waivers.toml"), "{err}");
    assert!(err.contains("not a regular file"), "{err}");
}
