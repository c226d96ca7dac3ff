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
    // A line ends at `\n`, `\r\n` or a lone `\r`.
    let lone_cr = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
        .count();
    let lines = (bytes.iter().filter(|&&b| b == b'\n').count() + lone_cr) as u64 + 1;
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Tool outputs with their real first lines and random bodies.
    #[test]
    fn mangled_tool_outputs_never_panic(
        header in prop_oneof![
            Just("smartctl 7.3 2022-02-28 r5338 [x86_64-linux-6.1.0] (local build)\n=== START OF INFORMATION SECTION ===\n"),
            Just("00:00.0 Host bridge [0600]: Intel Corporation Device [8086:3e0f]\n"),
            Just("Slot:\t00:00.0\n"),
            Just("Bus 001 Device 001: ID 1d6b:0002 Linux Foundation 2.0 root hub\n"),
            Just("{\"name\":\"p\",\"hostIdentifier\":\"h\",\"columns\":{}}\n"),
        ],
        body in proptest::collection::vec("[ -~\t]{0,60}", 0..40),
    ) {
        let text = format!("{header}{}\n", body.join("\n"));
        let cs = read_all(text.as_bytes());
        prop_assert!(lines_in_range(text.as_bytes(), &cs));
    }

    /// JSON documents of every tool, with random values in the places readers look.
    #[test]
    fn json_documents_with_odd_values_never_panic(
        value in prop_oneof![Just("null".to_owned()), Just("[]".to_owned()), Just("{}".to_owned()), "[0-9]{0,12}", "\"[ -~]{0,20}\""],
        which in 0usize..7,
    ) {
        let docs = [
            format!("{{\"json_format_version\":[1,0],\"smartctl\":{{}},\"model_name\":{value},\"wwn\":{{\"oui\":{value}}},\"nvme_pci_vendor\":{value}}}"),
            format!("{{\"Devices\":[{{\"DevicePath\":{value},\"ModelNumber\":{value},\"Subsystems\":{value}}}]}}"),
            format!("{{\"vid\":{value},\"mn\":{value},\"ieee\":{value}}}"),
            format!("{{\"blockdevices\":[{{\"name\":{value},\"wwn\":{value},\"children\":{value}}}]}}"),
            format!("{{\"id\":\"h\",\"class\":\"system\",\"children\":[{{\"id\":{value},\"class\":\"memory\",\"vendor\":{value},\"children\":{value}}}]}}"),
            format!("[{{\"part_number\":{value},\"manufacturer\":{value}}}]"),
            format!("{{\"SPMemoryDataType\":[{{\"_items\":[{{\"_name\":{value},\"dimm_manufacturer\":{value},\"_items\":{value}}}]}}]}}"),
        ];
        let text = &docs[which];
        let cs = read_all(text.as_bytes());
        prop_assert!(lines_in_range(text.as_bytes(), &cs));
    }

    /// Binary SMBIOS dumps with random tables after a valid entry point.
    #[test]
    fn random_smbios_tables_never_panic(table in proptest::collection::vec(any::<u8>(), 0..600), len in 0u32..800) {
        let mut dump = vec![0u8; 0x20];
        dump[..5].copy_from_slice(b"_SM3_");
        dump[6] = 0x18;
        dump[0x0C..0x10].copy_from_slice(&len.to_le_bytes());
        dump[0x10..0x18].copy_from_slice(&0x20u64.to_le_bytes());
        dump.extend(table);
        let _ = read_all(&dump);
    }
}

#[test]
fn csv_lines_count_quoted_newlines_and_blank_lines() {
    let text = "Mfr,MPN,Description\n\nMicron,MT40A1G8SA-075:E,\"two\nline description\"\n\nCrucial,CT500MX500SSD1,x\n";
    let cs = read_all(text.as_bytes());
    let lines: Vec<u64> = cs.iter().map(|c| c.source.line).collect();
    assert_eq!(lines, [3, 6]);
}
