//! Property tests: no input makes a reader panic, and every component keeps
//! a line inside the input.

use proptest::prelude::*;
use supplyscreen_model::Component;

fn read_all(bytes: &[u8]) -> Vec<Component> {
    let mut out = Vec::new();
    let mut sink = |c: Component| out.push(c);
    let _ = supplyscreen_ingest::read("fuzz.txt", bytes, &mut sink);
    out
}

fn lines_in_range(bytes: &[u8], cs: &[Component]) -> bool {
    let lines = bytes.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    cs.iter()
        .all(|c| c.source.line >= 1 && c.source.line <= lines)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let cs = read_all(&bytes);
        prop_assert!(lines_in_range(&bytes, &cs));
    }

    #[test]
    fn mangled_dmidecode_never_panics(
        body in proptest::collection::vec(
            prop_oneof![
                Just("Handle 0x0011, DMI type 17, 40 bytes\n".to_owned()),
                Just("Handle 0x0012\n".to_owned()),
                Just("\tDMI type 17, 27 bytes.\n".to_owned()),
                Just("Memory Device\n".to_owned()),
                Just("\tManufacturer: 802C\n".to_owned()),
                Just("\tSize: No Module Installed\n".to_owned()),
                Just("\t\tnested item\n".to_owned()),
                Just("\r\n".to_owned()),
                "[ -~\t]{0,40}\n",
            ],
            0..60,
        )
    ) {
        let text = format!("# dmidecode 3.4\n{}", body.concat());
        let cs = read_all(text.as_bytes());
        prop_assert!(lines_in_range(text.as_bytes(), &cs));
    }

    #[test]
    fn mangled_csv_never_panics(
        rows in proptest::collection::vec("[a-zA-Z0-9 ,;\"\\-/年月日]{0,60}", 0..40)
    ) {
        let text = format!("Manufacturer,Part Number,Order Date,Qty\n{}\n", rows.join("\n"));
        let cs = read_all(text.as_bytes());
        prop_assert!(lines_in_range(text.as_bytes(), &cs));
    }

    #[test]
    fn mangled_jsonl_never_panics(rows in proptest::collection::vec("[{}\":,a-z0-9 \\[\\]]{0,80}", 0..30)) {
        let text = format!("{{\"kind\":\"memory\"}}\n{}\n", rows.join("\n"));
        let cs = read_all(text.as_bytes());
        prop_assert!(lines_in_range(text.as_bytes(), &cs));
    }
}

#[test]
fn csv_lines_count_quoted_newlines_and_blank_lines() {
    let text = "Mfr,MPN,Description\n\nMicron,MT40A1G8SA-075:E,\"two\nline description\"\n\nCrucial,CT500MX500SSD1,x\n";
    let cs = read_all(text.as_bytes());
    let lines: Vec<u64> = cs.iter().map(|c| c.source.line).collect();
    assert_eq!(lines, [3, 6]);
}
