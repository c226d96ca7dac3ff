//! Any bytes as one input of a whole screening (archives, gzip and every
//! reader, then identification and the verdict): must never panic, and the
//! outcome must be the same on a second run.
#![no_main]

use std::io::Cursor;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use supplyscreen_ingest::{ByteSize, InputLimits, ReadOptions};
use supplyscreen_model::{Date, ProfileId};
use supplyscreen_screen::{Input, Request, Screener};

fn screener() -> &'static Screener {
    static S: OnceLock<Screener> = OnceLock::new();
    S.get_or_init(|| Screener::new(supplyscreen_kb::Kb::embedded().expect("embedded KB")))
}

fn request() -> Request {
    Request {
        profile: ProfileId::new("cn-cii").expect("profile id"),
        as_of: Date::constant(2026, 11, 28),
        action: None,
        waivers: Vec::new(),
        // Compressed inputs stop at 4 MiB out: what a fuzzer builds from a
        // large seed is then refused quickly (the limit is what is tested).
        read: ReadOptions {
            limits: InputLimits {
                max_input_size: ByteSize(4 << 20),
                ..InputLimits::default()
            },
            ..ReadOptions::default()
        },
    }
}

fn verdicts(data: &[u8]) -> Vec<String> {
    let input = Input::reader("fuzz.bin", Box::new(Cursor::new(data.to_vec())));
    match screener().screen(vec![input], &request()) {
        Ok(outcome) => {
            let mut out: Vec<String> = outcome
                .components
                .iter()
                .map(|c| format!("{:?}", c.verdict))
                .collect();
            out.extend(outcome.problems());
            out
        }
        Err(e) => vec![e.to_string()],
    }
}

fuzz_target!(|data: &[u8]| {
    assert_eq!(verdicts(data), verdicts(data));
});
