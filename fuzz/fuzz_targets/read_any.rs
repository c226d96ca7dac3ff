//! Any bytes through format and encoding detection and whichever reader
//! they select: must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut sink = |_c: supplyscreen_model::Component| {};
    let _ = supplyscreen_ingest::read("fuzz", data, &mut sink);
});
