//! Property tests: identification never panics and is deterministic.

use proptest::prelude::*;
use supplyscreen_identify::{Matcher, decode_jedec};
use supplyscreen_kb::Kb;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn jedec_decoding_never_panics(s in "\\PC{0,40}") {
        let _ = decode_jedec(&s);
    }

    #[test]
    fn jedec_codes_round_trip(bank in 1u8..=16, code in 1u8..=0x7E) {
        let c = supplyscreen_model::Jep106Code::new(bank, code).expect("in range");
        let printed = format!("{:02X}{:02X}", (bank - 1) | if (bank - 1).count_ones().is_multiple_of(2) { 0x80 } else { 0 }, c.code_with_parity());
        let d = decode_jedec(&printed).expect("decodes");
        prop_assert_eq!(d.maker, c);
        prop_assert!(d.parity_ok);
    }
}

#[test]
fn identification_is_deterministic_on_arbitrary_text() {
    let m = Matcher::new(&Kb::embedded().expect("KB"));
    let mut runner = proptest::test_runner::TestRunner::default();
    runner
        .run(&"\\PC{0,60}", |s| {
            prop_assert_eq!(m.identify_text(&s), m.identify_text(&s));
            Ok(())
        })
        .expect("deterministic");
}
