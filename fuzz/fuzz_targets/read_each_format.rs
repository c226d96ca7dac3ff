//! The first byte picks a format's real opening bytes (the sample of its
//! entry in the format table), the rest is the body, so that every reader
//! (not only the one random bytes detect) is fuzzed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use supplyscreen_ingest::Format;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let formats: Vec<Format> = Format::all().collect();
    let format = formats[pick as usize % formats.len()];
    let mut input = format.sample().to_vec();
    input.extend_from_slice(body);
    let mut sink = |_c: supplyscreen_model::Component| {};
    let _ = supplyscreen_ingest::read("fuzz", input.as_slice(), &mut sink);
});
