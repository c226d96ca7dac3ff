//! SMBIOS tables in binary: `dmidecode --dump-bin` files (an entry point,
//! then the structure table at the offset the entry point names) and the
//! live table in `/sys/firmware/dmi/tables/DMI`. Components carry the same
//! field names dmidecode prints, so identification treats both alike.

use supplyscreen_model::{Component, ComponentKind, FieldRole, Role, SourceLocation};

use crate::{Sink, SkipReason, Summary, host_from_path};

/// True when bytes start with an SMBIOS entry point (`_SM3_`, `_SM_`, `_DMI_`).
pub fn is_dump(head: &[u8]) -> bool {
    head.starts_with(b"_SM3_") || head.starts_with(b"_SM_") || head.starts_with(b"_DMI_")
}

/// One structure of the table.
struct Structure<'a> {
    kind: u8,
    handle: u16,
    offset: usize,
    formatted: &'a [u8],
    strings: Vec<String>,
}

impl Structure<'_> {
    fn byte(&self, at: usize) -> Option<u8> {
        self.formatted.get(at).copied()
    }

    fn word(&self, at: usize) -> Option<u16> {
        Some(u16::from_le_bytes([self.byte(at)?, self.byte(at + 1)?]))
    }

    fn dword(&self, at: usize) -> Option<u32> {
        Some(u32::from_le_bytes([
            self.byte(at)?,
            self.byte(at + 1)?,
            self.byte(at + 2)?,
            self.byte(at + 3)?,
        ]))
    }

    /// The string a byte at `at` points to, as dmidecode prints it.
    fn string(&self, at: usize) -> Option<String> {
        let index = self.byte(at)? as usize;
        Some(match index {
            0 => "Not Specified".to_owned(),
            i => self
                .strings
                .get(i - 1)
                .cloned()
                .unwrap_or_else(|| "<BAD INDEX>".to_owned()),
        })
    }
}

/// Where the structure table is inside a dump file, from its entry point.
fn table_range(dump: &[u8]) -> Option<(usize, usize)> {
    let u32_at = |at: usize| {
        dump.get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let u16_at = |at: usize| {
        dump.get(at..at + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]) as usize)
    };
    if dump.starts_with(b"_SM3_") {
        let len = u32_at(0x0C)?;
        let addr = dump
            .get(0x10..0x18)
            .map(|b| u64::from_le_bytes(b.try_into().unwrap_or([0; 8])) as usize)?;
        Some((addr, len))
    } else if dump.starts_with(b"_SM_") {
        Some((u32_at(0x18)?, u16_at(0x16)?))
    } else if dump.starts_with(b"_DMI_") {
        Some((u32_at(0x08)?, u16_at(0x06)?))
    } else {
        None
    }
}

/// Splits a structure table into structures; stops at end-of-table (127),
/// at the end of the data, or at a structure that would run past it.
fn structures(table: &[u8], base: usize) -> (Vec<Structure<'_>>, Option<String>) {
    let mut out = Vec::new();
    let mut at = 0;
    while at + 4 <= table.len() {
        let (kind, len) = (table[at], table[at + 1] as usize);
        if len < 4 || at + len > table.len() {
            return (
                out,
                Some(format!(
                    "structure at offset 0x{:X} has an invalid length {len}",
                    base + at
                )),
            );
        }
        let formatted = &table[at..at + len];
        let handle = u16::from_le_bytes([table[at + 2], table[at + 3]]);
        // Strings follow, each NUL-terminated, the set ending with an extra NUL.
        let mut end = at + len;
        let mut strings = Vec::new();
        loop {
            let Some(rel) = table
                .get(end..)
                .and_then(|t| t.iter().position(|&b| b == 0))
            else {
                return (
                    out,
                    Some(format!(
                        "structure at offset 0x{:X} has unterminated strings",
                        base + at
                    )),
                );
            };
            if rel == 0 {
                end += 1;
                break;
            }
            strings.push(
                String::from_utf8_lossy(&table[end..end + rel])
                    .trim_end()
                    .to_owned(),
            );
            end += rel + 1;
        }
        if strings.is_empty() {
            end += 1; // no strings: the formatted area is followed by two NULs
        }
        out.push(Structure {
            kind,
            handle,
            offset: base + at,
            formatted,
            strings,
        });
        if kind == 127 {
            break;
        }
        at = end;
    }
    (out, None)
}

/// Reads a `--dump-bin` file.
pub fn read_dump(path: &str, dump: &[u8], summary: &mut Summary, sink: &mut Sink<'_>) {
    let Some((start, len)) = table_range(dump) else {
        return summary.error(1, "SMBIOS entry point is truncated");
    };
    let Some(table) = dump.get(start..start.saturating_add(len).min(dump.len())) else {
        return summary.error(
            1,
            format!("SMBIOS table offset 0x{start:X} is past the end of the file"),
        );
    };
    if len == 0 {
        return summary.error(
            1,
            "SMBIOS entry point gives a table length of 0: no structure can be read",
        );
    }
    read_table(path, table, start, summary, sink);
    if table.len() < len {
        summary.error(
            1, format!(
                "SMBIOS table is cut short: the entry point gives {len} bytes at offset 0x{start:X}, \
                 the file holds {}",
                table.len()
            ),
        );
    }
}

/// Reads a bare structure table (the live `/sys/firmware/dmi/tables/DMI`).
pub fn read_table(
    path: &str,
    table: &[u8],
    base: usize,
    summary: &mut Summary,
    sink: &mut Sink<'_>,
) {
    let (list, problem) = structures(table, base);
    if table.is_empty() {
        return summary.error(1, "SMBIOS table is empty");
    }
    if let Some(p) = after_end(&list, table, base) {
        summary.error(1, format!("malformed SMBIOS table: {p}"));
    }
    for s in &list {
        match component(path, s) {
            Ok(c) => sink(c, summary),
            Err(reason) => summary.skip(reason),
        }
    }
    if let Some(p) = problem {
        summary.error(1, format!("malformed SMBIOS table: {p}"));
    }
}

/// Structures after the end-of-table marker (type 127) would be silently
/// ignored: the marker must come last, followed by nothing but zero padding.
fn after_end(list: &[Structure<'_>], table: &[u8], base: usize) -> Option<String> {
    let end = list.last().filter(|s| s.kind == 127)?;
    let rest = table.get(end.offset - base + end.formatted.len()..)?;
    // The marker's own string set (two NULs) is part of it.
    let rest = rest.get(2..).unwrap_or_default();
    let data = rest.iter().filter(|&&b| b != 0).count();
    (data > 0).then(|| {
        format!(
            "end-of-table marker at offset 0x{:X} is followed by {} more bytes of structures{}",
            end.offset,
            rest.len(),
            if list.len() == 1 {
                " (it is the first structure)"
            } else {
                ""
            }
        )
    })
}

/// The dmidecode-named fields of a structure, or why it is no component.
fn component(path: &str, s: &Structure<'_>) -> Result<Component, SkipReason> {
    let (kind, fields) = fields(s)?;
    let source = SourceLocation {
        path: path.to_owned(),
        line: 1,
        locator: Some(format!(
            "handle 0x{:04X} at offset 0x{:X}",
            s.handle, s.offset
        )),
    };
    let mut c = Component::new(kind, Role::Installed, source);
    c.host = host_from_path(path);
    for (name, value, role) in fields {
        c.push(name, &value, role);
    }
    Ok(c)
}

type Fields = Vec<(&'static str, String, FieldRole)>;

fn strings(s: &Structure<'_>, spec: &[(&'static str, usize, FieldRole)]) -> Fields {
    spec.iter()
        .filter_map(|(name, at, role)| Some((*name, s.string(*at)?, *role)))
        .collect()
}

fn fields(s: &Structure<'_>) -> Result<(ComponentKind, Fields), SkipReason> {
    use FieldRole::{Maker, Model, Other, PartNumber};
    Ok(match s.kind {
        1 => (
            ComponentKind::System,
            strings(
                s,
                &[
                    ("Manufacturer", 4, Maker),
                    ("Product Name", 5, Model),
                    ("Version", 6, Other),
                    ("Serial Number", 7, Other),
                    ("SKU Number", 0x19, Other),
                    ("Family", 0x1A, Other),
                ],
            ),
        ),
        2 => (
            ComponentKind::Baseboard,
            strings(
                s,
                &[
                    ("Manufacturer", 4, Maker),
                    ("Product Name", 5, Model),
                    ("Version", 6, Other),
                    ("Serial Number", 7, Other),
                    ("Asset Tag", 8, Other),
                ],
            ),
        ),
        3 => (
            ComponentKind::Chassis,
            strings(
                s,
                &[
                    ("Manufacturer", 4, Maker),
                    ("Version", 6, Other),
                    ("Serial Number", 7, Other),
                    ("Asset Tag", 8, Other),
                ],
            ),
        ),
        4 if s.byte(0x18).is_some_and(|st| st & 0x40 == 0) => {
            return Err(SkipReason::UnpopulatedProcessorSocket);
        }
        4 => (
            ComponentKind::Processor,
            strings(
                s,
                &[
                    ("Socket Designation", 4, Other),
                    ("Manufacturer", 7, Maker),
                    ("Version", 0x10, Model),
                    ("Serial Number", 0x20, Other),
                    ("Part Number", 0x22, PartNumber),
                ],
            ),
        ),
        17 => return memory_device(s),
        22 => (
            ComponentKind::Battery,
            strings(
                s,
                &[
                    ("Location", 4, Other),
                    ("Manufacturer", 5, Maker),
                    ("Serial Number", 7, Other),
                    ("Name", 8, Model),
                ],
            ),
        ),
        39 if s.word(0x0E).is_some_and(|ch| ch & 0x02 == 0) => {
            return Err(SkipReason::PowerSupplyNotPresent);
        }
        39 => (
            ComponentKind::PowerSupply,
            strings(
                s,
                &[
                    ("Location", 5, Other),
                    ("Name", 6, Model),
                    ("Manufacturer", 7, Maker),
                    ("Serial Number", 8, Other),
                    ("Model Part Number", 0x0A, PartNumber),
                ],
            ),
        ),
        _ => return Err(SkipReason::DmiStructureWithoutProduct),
    })
}

/// Type 17: skipped when no module is installed.
fn memory_device(s: &Structure<'_>) -> Result<(ComponentKind, Fields), SkipReason> {
    use FieldRole::{Maker, Other, PartNumber};
    let size = match s.word(0x0C) {
        None | Some(0) => return Err(SkipReason::EmptyMemorySlot),
        Some(0xFFFF) => "Unknown".to_owned(),
        Some(0x7FFF) => s.dword(0x1C).map_or("Unknown".into(), |mb| {
            format!("{} GB", (mb & 0x7FFF_FFFF) / 1024)
        }),
        Some(w) if w & 0x8000 != 0 => format!("{} kB", w & 0x7FFF),
        Some(w) if w >= 1024 && w % 1024 == 0 => format!("{} GB", w / 1024),
        Some(w) => format!("{w} MB"),
    };
    let mut f: Fields = vec![("Size", size, Other)];
    f.extend(strings(
        s,
        &[
            ("Locator", 0x10, Other),
            ("Bank Locator", 0x11, Other),
            ("Manufacturer", 0x17, Maker),
            ("Serial Number", 0x18, Other),
            ("Asset Tag", 0x19, Other),
            ("Part Number", 0x1A, PartNumber),
        ],
    ));
    if let Some(id) = s.word(0x2C).filter(|id| *id != 0) {
        f.push((
            "Module Manufacturer ID",
            format!("Bank {}, Hex 0x{:02X}", (id & 0x7F) + 1, id >> 8),
            Maker,
        ));
    }
    Ok((ComponentKind::Memory, f))
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// A type 17 structure: 32 GB, manufacturer string 1, part number string 2.
    fn dimm(handle: u16) -> Vec<u8> {
        let mut b = vec![0u8; 0x28 - 4];
        b[0x0C - 4..0x0E - 4].copy_from_slice(&32768u16.to_le_bytes());
        b[0x17 - 4] = 1;
        b[0x1A - 4] = 2;
        structure(17, handle, &b, &["Micron", "MTA18ASF2G72PZ-2G6E1"])
    }

    fn end() -> Vec<u8> {
        structure(127, 0xFEFF, &[], &[])
    }

    /// An SMBIOS 3 dump: entry point at 0, table at 0x20, `len` as given.
    fn dump(table: &[u8], len: u32) -> Vec<u8> {
        let mut d = vec![0u8; 0x20];
        d[..5].copy_from_slice(b"_SM3_");
        d[0x0C..0x10].copy_from_slice(&len.to_le_bytes());
        d[0x10..0x18].copy_from_slice(&0x20u64.to_le_bytes());
        d.extend(table);
        d
    }

    fn read(bytes: &[u8]) -> (usize, Vec<String>) {
        let mut n = 0;
        let mut summary = Summary::new(
            "db.bin",
            crate::Format::from_name("smbios-dump").expect("a format"),
            "binary",
        );
        let mut sink = |_: Component, _: &mut Summary| n += 1;
        read_dump("db.bin", bytes, &mut summary, &mut sink);
        (n, summary.errors().map(|d| d.message.clone()).collect())
    }

    #[test]
    fn a_whole_table_reads_without_errors() {
        let table = [dimm(0x1100), end(), vec![0; 16]].concat();
        assert_eq!(read(&dump(&table, table.len() as u32)), (1, vec![]));
    }

    #[test]
    fn a_table_of_length_zero_is_an_error() {
        let table = [dimm(0x1100), end()].concat();
        let (n, errors) = read(&dump(&table, 0));
        assert_eq!(n, 0);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].contains("length of 0"), "{errors:?}");
    }

    #[test]
    fn structures_after_the_end_marker_are_an_error() {
        let table = [end(), dimm(0x1100), end()].concat();
        let (n, errors) = read(&dump(&table, table.len() as u32));
        assert_eq!(n, 0);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].contains("offset 0x20"), "{errors:?}");
        assert!(errors[0].contains("first structure"), "{errors:?}");
    }

    #[test]
    fn a_table_shorter_than_its_entry_point_says_is_an_error() {
        let table = [dimm(0x1100), end()].concat();
        let (n, errors) = read(&dump(&table, 4096));
        assert_eq!(n, 1);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].contains("cut short"), "{errors:?}");
    }
}
