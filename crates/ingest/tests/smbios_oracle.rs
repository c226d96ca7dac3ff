//! The binary SMBIOS reader against the real dmidecode: a dump is built
//! here, decoded by our parser, and, where dmidecode is installed, decoded
//! by `dmidecode --from-dump` too; maker, part number and serial must agree.

use std::collections::BTreeMap;
use std::process::Command;

use supplyscreen_model::Component;

/// Builds one structure: formatted area (after the 4-byte header) and strings.
fn structure(kind: u8, handle: u16, body: &[u8], strings: &[&str]) -> Vec<u8> {
    let mut s = vec![kind, (body.len() + 4) as u8];
    s.extend(handle.to_le_bytes());
    s.extend(body);
    for t in strings {
        s.extend(t.as_bytes());
        s.push(0);
    }
    if strings.is_empty() {
        s.push(0);
    }
    s.push(0);
    s
}

/// A type 17 body (SMBIOS 3.2, 0x54 bytes) with strings 1..=6:
/// locator, bank, manufacturer, serial, asset tag, part number.
fn memory_device(size_mb: u16, extended_mb: u32, module_id: u16) -> Vec<u8> {
    let mut b = vec![0u8; 0x54 - 4];
    let mut put = |at: usize, bytes: &[u8]| b[at - 4..at - 4 + bytes.len()].copy_from_slice(bytes);
    put(0x04, &0x1000u16.to_le_bytes());
    put(0x06, &0xFFFEu16.to_le_bytes());
    put(0x08, &72u16.to_le_bytes());
    put(0x0A, &64u16.to_le_bytes());
    put(0x0C, &size_mb.to_le_bytes());
    put(0x0E, &[0x09, 0x01, 1, 2, 0x1A]);
    put(0x13, &0x2080u16.to_le_bytes());
    put(0x15, &3200u16.to_le_bytes());
    put(0x17, &[3, 4, 5, 6, 2]);
    put(0x1C, &extended_mb.to_le_bytes());
    put(0x28, &[0x03]);
    put(0x2C, &module_id.to_le_bytes());
    b
}

fn dump() -> Vec<u8> {
    let mut table = Vec::new();
    let mut sys = vec![1, 2, 3, 4];
    sys.extend([0u8; 16]);
    sys.extend([0x06, 5, 6]);
    table.extend(structure(
        1,
        0x0100,
        &sys,
        &[
            "Dell Inc.",
            "PowerEdge R740",
            "Not Specified",
            "7GQ2XK2",
            "SKU=NotProvided",
            "PowerEdge",
        ],
    ));
    table.extend(structure(
        17,
        0x1100,
        &memory_device(32768, 0, 0x2C80),
        &[
            "A1",
            "Not Specified",
            "802C0000802C",
            "2177C1A0",
            "01193162",
            "36ASF4G72PZ-2G9E2   ",
        ],
    ));
    table.extend(structure(
        17,
        0x1101,
        &memory_device(0x7FFF, 65536, 0x9B85),
        &[
            "A2",
            "Not Specified",
            "859B0000802C",
            "E4C1A7D0",
            "01193163",
            "CT32G4RFD4266.36FE1",
        ],
    ));
    table.extend(structure(
        17,
        0x1102,
        &memory_device(0, 0, 0),
        &[
            "A3",
            "Not Specified",
            "Not Specified",
            "Not Specified",
            "Not Specified",
            "Not Specified",
        ],
    ));
    table.extend(structure(127, 0xFEFF, &[], &[]));
    let mut ep = vec![0u8; 0x20];
    ep[..5].copy_from_slice(b"_SM3_");
    ep[6] = 0x18;
    ep[7] = 3;
    ep[8] = 2;
    ep[0x0A] = 1;
    ep[0x0C..0x10].copy_from_slice(&(table.len() as u32).to_le_bytes());
    ep[0x10..0x18].copy_from_slice(&0x20u64.to_le_bytes());
    let sum = ep[..0x18].iter().fold(0u8, |a, b| a.wrapping_add(*b));
    ep[5] = 0u8.wrapping_sub(sum);
    ep.extend(table);
    ep
}

/// (handle, field) -> value for the fields both decoders must agree on.
fn key_fields(components: &[Component]) -> BTreeMap<(String, String), String> {
    let mut out = BTreeMap::new();
    for c in components {
        let loc = c.source.locator.clone().unwrap_or_default();
        let handle = loc
            .split_whitespace()
            .nth(1)
            .unwrap_or("")
            .to_ascii_uppercase();
        for name in [
            "Manufacturer",
            "Part Number",
            "Serial Number",
            "Module Manufacturer ID",
            "Product Name",
        ] {
            if let Some(v) = c.field(name) {
                out.insert((handle.clone(), name.to_owned()), v.to_owned());
            }
        }
    }
    out
}

fn read(path: &str, bytes: &[u8]) -> (Vec<Component>, supplyscreen_ingest::Summary) {
    let mut got = Vec::new();
    let mut sink = |c: Component| got.push(c);
    let summary = supplyscreen_ingest::read(path, bytes, &mut sink).expect("readable");
    (got, summary)
}

#[test]
fn binary_dump_decodes_like_dmidecode() {
    let bytes = dump();
    let (ours, summary) = read("db-07.bin", &bytes);
    assert_eq!(summary.format.name(), "smbios-dump");
    assert_eq!(
        summary
            .skipped
            .get(&supplyscreen_ingest::SkipReason::EmptyMemorySlot),
        Some(&1)
    );
    assert!(summary.diagnostics.is_empty(), "{:?}", summary.diagnostics);
    let fields = key_fields(&ours);
    assert_eq!(
        fields[&("0X1100".into(), "Part Number".into())],
        "36ASF4G72PZ-2G9E2"
    );
    assert_eq!(
        fields[&("0X1100".into(), "Module Manufacturer ID".into())],
        "Bank 1, Hex 0x2C"
    );
    assert_eq!(
        fields[&("0X1101".into(), "Module Manufacturer ID".into())],
        "Bank 6, Hex 0x9B"
    );
    assert_eq!(
        ours.iter()
            .find(|c| c.field("Locator") == Some("A2"))
            .and_then(|c| c.field("Size")),
        Some("64 GB")
    );

    let dir = std::env::temp_dir().join(format!("supplyscreen-smbios-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("db-07.bin");
    std::fs::write(&file, &bytes).expect("write dump");
    let oracle = Command::new("dmidecode")
        .arg("--from-dump")
        .arg(&file)
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    let Ok(oracle) = oracle else {
        return; // dmidecode is not installed here (CI installs it)
    };
    assert!(
        oracle.status.success(),
        "dmidecode failed: {}",
        String::from_utf8_lossy(&oracle.stderr)
    );
    let (theirs, _) = read("db-07.dmi", &oracle.stdout);
    assert_eq!(
        key_fields(&ours),
        key_fields(&theirs),
        "our decoding differs from dmidecode --from-dump"
    );
    assert_eq!(ours.len(), theirs.len());
}
