//! Any text as a maker field and a part number: identification must never
//! panic and must be deterministic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use supplyscreen_identify::Matcher;

fn matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| Matcher::new(&supplyscreen_kb::Kb::embedded().expect("embedded KB")))
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let first = matcher().identify_text(&text);
    assert_eq!(first, matcher().identify_text(&text));
});
