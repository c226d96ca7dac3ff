//! A lone carriage return ends a line, as `\n` and `\r\n` do: a text saved
//! with old Mac line ends reads the same as the Unix one.

use supplyscreen_model::Component;

const DMIDECODE: &str = "# dmidecode 3.3
Getting SMBIOS data from sysfs.
SMBIOS 3.2.0 present.

Handle 0x0021, DMI type 17, 84 bytes
Memory Device
\tSize: 16 GB
\tLocator: DIMM_A1
\tType: DDR4
\tManufacturer: Micron
\tSerial Number: 2A1B3C4D
\tPart Number: MTA18ASF2G72PZ-3G2E1

Handle 0x0022, DMI type 17, 84 bytes
Memory Device
\tSize: 16 GB
\tLocator: DIMM_B1
\tType: DDR4
\tManufacturer: Samsung
\tSerial Number: 0F1E2D3C
\tPart Number: M393A2K43DB3-CWE
";

fn read(text: &str) -> Vec<Component> {
    let mut out = Vec::new();
    let mut sink = |c: Component| out.push(c);
    if let Err(e) = supplyscreen_ingest::read("host-1.dmi", text.as_bytes(), &mut sink) {
        panic!("read failed: {e}");
    }
    out
}

fn described(cs: &[Component]) -> Vec<String> {
    cs.iter()
        .map(|c| format!("line {} {:?}", c.source.line, c.fields))
        .collect()
}

#[test]
fn dmidecode_with_bare_cr_reads_like_unix_line_ends() {
    let unix = read(DMIDECODE);
    assert_eq!(unix.len(), 2);
    let cr = read(&DMIDECODE.replace('\n', "\r"));
    assert_eq!(described(&cr), described(&unix));
    let crlf = read(&DMIDECODE.replace('\n', "\r\n"));
    assert_eq!(described(&crlf), described(&unix));
}

#[test]
fn a_bare_cr_inside_a_value_does_not_hide_the_maker() {
    // `Samsung\rMicron` shows as `Micron` on a terminal; read as two lines
    // the second is not a field of the record, and the maker is Samsung.
    let text = DMIDECODE.replace("Manufacturer: Micron", "Manufacturer: Samsung\rMicron");
    let cs = read(&text);
    let first = format!("{:?}", cs[0].fields);
    assert!(first.contains("Samsung"), "{first}");
    assert!(!first.contains("Micron\""), "{first}");
}
