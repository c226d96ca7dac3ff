use std::io::{Read, Write};

use super::*;

/// A host dump as dmidecode prints it, with one DIMM.
fn dump(host: &str, maker: &str, part: &str) -> Vec<u8> {
    format!(
        "# dmidecode 3.4\nSMBIOS 3.2.0 present.\n\nHandle 0x0001, DMI type 1, 27 bytes\nSystem Information\n\tManufacturer: Dell Inc.\n\tProduct Name: PowerEdge R740\n\tSerial Number: {host}\n\nHandle 0x1100, DMI type 17, 84 bytes\nMemory Device\n\tSize: 32 GB\n\tLocator: A1\n\tManufacturer: {maker}\n\tPart Number: {part}\n\n"
    )
    .into_bytes()
}

enum Kind {
    File(Vec<u8>),
    Link(&'static str),
    Special(tar::EntryType, &'static str),
}

fn tar_of(members: Vec<(&str, Kind)>) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, kind) in members {
        let mut h = tar::Header::new_ustar();
        h.set_mode(0o644);
        h.set_mtime(1_700_000_000);
        match kind {
            Kind::File(bytes) => {
                h.set_size(bytes.len() as u64);
                h.set_cksum();
                b.append_data(&mut h, name, bytes.as_slice())
                    .expect("in memory");
            }
            Kind::Special(t, "") => {
                h.set_entry_type(t);
                h.set_size(0);
                h.set_cksum();
                b.append_data(&mut h, name, io::empty()).expect("in memory");
            }
            Kind::Link(target) | Kind::Special(_, target) => {
                let t = match kind {
                    Kind::Special(t, _) => t,
                    _ => tar::EntryType::Link,
                };
                h.set_entry_type(t);
                h.set_size(0);
                b.append_link(&mut h, name, target).expect("in memory");
            }
        }
    }
    b.into_inner().expect("in memory")
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).expect("in memory");
    enc.finish().expect("in memory")
}

/// What reading `bytes` gives: documents as `name: first line with a
/// Part Number` and problems as `name! message`.
fn events(bytes: Vec<u8>) -> Vec<String> {
    events_with(Box::new(Cursor::new(bytes)), &InputLimits::default())
}

fn events_with(reader: Box<dyn Read>, limits: &InputLimits) -> Vec<String> {
    let mut out = Vec::new();
    read_input("fleet", reader, limits, &mut |e| match e {
        Event::Document { name, reader, .. } => {
            let mut text = String::new();
            match reader.read_to_string(&mut text) {
                Ok(_) => {
                    let part = text.lines().find(|l| l.contains("Part Number"));
                    out.push(format!("{name}: {}", part.unwrap_or("").trim()));
                }
                Err(e) => out.push(format!("{name}! {e}")),
            }
        }
        Event::Problem { name, message } => out.push(format!("{name}! {message}")),
    });
    out
}

const MICRON: &str = "MTA18ASF2G72PZ-2G6E1";

#[test]
fn a_hard_link_member_is_read_as_the_file_it_links_to() {
    let t = tar_of(vec![
        (
            "fleet/db-01.dmi",
            Kind::File(dump("db-01", "Micron", MICRON)),
        ),
        ("fleet/db-02.dmi", Kind::Link("./fleet/db-01.dmi")),
        ("fleet/db-03.dmi", Kind::Link("fleet/missing.dmi")),
    ]);
    let got = events(gzip(&t));
    assert_eq!(
        got[0],
        format!("fleet:fleet/db-01.dmi: Part Number: {MICRON}")
    );
    assert_eq!(
        got[1],
        format!("fleet:fleet/db-02.dmi: Part Number: {MICRON}")
    );
    assert!(got[2].starts_with("fleet:fleet/db-03.dmi! a hard link to \"fleet/missing.dmi\""));
    assert_eq!(got.len(), 3, "{got:?}");
}

#[test]
fn device_fifo_and_symlink_members_are_problems_naming_them() {
    let t = tar_of(vec![
        ("fleet/dev.dmi", Kind::Special(tar::EntryType::Char, "")),
        ("fleet/pipe.dmi", Kind::Special(tar::EntryType::Fifo, "")),
        (
            "fleet/link.dmi",
            Kind::Special(tar::EntryType::Symlink, "/etc/passwd"),
        ),
        (
            "fleet/db-01.dmi",
            Kind::File(dump("db-01", "Micron", MICRON)),
        ),
    ]);
    let got = events(t);
    assert_eq!(got[0], "fleet:fleet/dev.dmi! a character device; not read");
    assert_eq!(
        got[1],
        "fleet:fleet/pipe.dmi! a FIFO (named pipe); not read"
    );
    assert!(
        got[2].contains("a symbolic link to \"/etc/passwd\""),
        "{}",
        got[2]
    );
    assert!(got[3].ends_with(MICRON), "{got:?}");
}

#[test]
fn a_tar_cut_inside_a_member_names_it_and_the_offset() {
    let t = tar_of(vec![
        (
            "fleet/db-01.dmi",
            Kind::File(dump("db-01", "Samsung", "M393A2K40DB3-CWE")),
        ),
        (
            "fleet/db-02.dmi",
            Kind::File(dump("db-02", "Micron", MICRON)),
        ),
    ]);
    let cut = t[..512 * 3 + 100].to_vec();
    let got = events(cut);
    assert!(got[0].ends_with("M393A2K40DB3-CWE"), "{got:?}");
    assert!(
        got[1].starts_with(
            "fleet:fleet/db-02.dmi! cut short at byte offset 1636: the header declares"
        ),
        "{got:?}"
    );
    assert_eq!(got.len(), 2, "{got:?}");
    // Cut between members: the end-of-archive blocks are missing.
    let got = events(t[..1024].to_vec());
    assert!(
        got[1].contains("without its end-of-archive blocks"),
        "{got:?}"
    );
}

#[test]
fn a_bad_gzip_checksum_after_the_last_member_is_found() {
    let t = tar_of(vec![(
        "fleet/db-01.dmi",
        Kind::File(dump("db-01", "Micron", MICRON)),
    )]);
    let mut gz = gzip(&t);
    let at = gz.len() - 8;
    gz[at] ^= 0xff;
    let got = events(gz);
    assert!(got[0].ends_with(MICRON), "{got:?}");
    assert!(got[1].starts_with("fleet! gzip stream: "), "{got:?}");
    assert!(got[1].contains("checksum"), "{got:?}");
    assert_eq!(got.len(), 2);
}

#[test]
fn concatenated_gzip_members_and_tars_are_all_read() {
    let first = tar_of(vec![(
        "a/db-01.dmi",
        Kind::File(dump("db-01", "Samsung", "X1")),
    )]);
    let second = tar_of(vec![(
        "a/db-02.dmi",
        Kind::File(dump("db-02", "Micron", MICRON)),
    )]);
    // Each member a whole tar with its end-of-archive blocks, as `cat a.tar.gz b.tar.gz` makes.
    let mut both = gzip(&first);
    both.extend(gzip(&second));
    let got = events(both);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got[1].starts_with("fleet:a/db-02.dmi") && got[1].ends_with(MICRON));
}

#[test]
fn a_gzip_file_that_is_not_a_tar_is_one_document_and_gzip_in_gzip_is_unwrapped() {
    let got = events(gzip(&dump("db-01", "Micron", MICRON)));
    assert_eq!(got, vec![format!("fleet: Part Number: {MICRON}")]);
    let got = events(gzip(&gzip(&dump("db-01", "Micron", MICRON))));
    assert_eq!(got, vec![format!("fleet: Part Number: {MICRON}")]);
}

#[test]
fn a_tar_inside_a_tar_is_read_down_to_the_depth_limit() {
    let inner = tar_of(vec![(
        "db-01.dmi",
        Kind::File(dump("db-01", "Micron", MICRON)),
    )]);
    let middle = tar_of(vec![("inner.tar.gz", Kind::File(gzip(&inner)))]);
    let got = events(tar_of(vec![("middle.tar", Kind::File(middle.clone()))]));
    assert_eq!(
        got,
        vec![format!(
            "fleet:middle.tar:inner.tar.gz:db-01.dmi: Part Number: {MICRON}"
        )]
    );
    let deep = tar_of(vec![("m.tar", Kind::File(middle))]);
    let got = events(tar_of(vec![("d.tar", Kind::File(deep))]));
    assert!(got[0].contains("nested more than 3 deep"), "{got:?}");
}

/// Hands out at most 7 bytes per read, like a pipe under load.
struct Trickle(Cursor<Vec<u8>>);

impl Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(7);
        self.0.read(&mut buf[..n])
    }
}

#[test]
fn a_tar_gz_arriving_in_small_reads_is_still_recognised() {
    let t = tar_of(vec![(
        "fleet/db-01.dmi",
        Kind::File(dump("db-01", "Micron", MICRON)),
    )]);
    let reader = Box::new(Trickle(Cursor::new(gzip(&t))));
    let got = events_with(reader, &InputLimits::default());
    assert_eq!(
        got,
        vec![format!("fleet:fleet/db-01.dmi: Part Number: {MICRON}")]
    );
}

#[test]
fn a_decompression_bomb_stops_at_the_ratio_or_the_size() {
    let mut csv = b"Manufacturer,Part Number\n".to_vec();
    csv.resize(20 << 20, b'\n');
    let gz = gzip(&csv);
    let got = events(gz.clone());
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].contains("--max-expansion 500"), "{got:?}");
    let limits = InputLimits {
        max_expansion: 100_000,
        max_input_size: supplyscreen_ingest::ByteSize(1 << 20),
    };
    let got = events_with(Box::new(Cursor::new(gz)), &limits);
    assert!(got[0].contains("--max-input-size 1M"), "{got:?}");
}
