//! Spreadsheet workbooks (XLSX/XLSM, XLS, ODS), read with calamine. Every
//! sheet that holds a table is read: its header row is found below title
//! and preamble rows, and each row below it becomes a component located as
//! `Sheet1!R7` (line 7). Date cells and Excel date serials in a date column
//! become dates; formula cells are read by their cached value.

use std::io::Cursor;

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use supplyscreen_model::Date;

use crate::headers;
use crate::table::{HEADER_SEARCH_LINES, Table, source};
use crate::{ReadOptions, Sink, SkipReason, Summary};

/// XLSX and XLSM: a ZIP archive holding `[Content_Types].xml` and `xl/`.
pub(crate) fn is_xlsx(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04")
        && (contains(head, b"[Content_Types].xml") || contains(head, b"xl/"))
        && !is_ods(head)
}

/// ODS: a ZIP archive whose first member, `mimetype`, names the spreadsheet type.
pub(crate) fn is_ods(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04")
        && contains(
            &head[..head.len().min(128)],
            b"application/vnd.oasis.opendocument.spreadsheet",
        )
}

/// XLS: an OLE2 compound document.
pub(crate) fn is_xls(head: &[u8]) -> bool {
    head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
}

/// Why an OLE2 compound document's header cannot be true of this file: its
/// sector size, or a directory or FAT longer than the whole file. Such a
/// header would make the workbook reader reserve memory by the header's
/// word (gigabytes for a few hundred bytes), so it is refused first.
fn impossible_cfb_header(bytes: &[u8]) -> Option<String> {
    let u16_at = |o: usize| Some(u16::from_le_bytes(bytes.get(o..o + 2)?.try_into().ok()?));
    let u32_at = |o: usize| Some(u32::from_le_bytes(bytes.get(o..o + 4)?.try_into().ok()?));
    let (Some(shift), Some(dir_len), Some(fat_len)) = (u16_at(0x1E), u32_at(0x28), u32_at(0x2C))
    else {
        return Some("the compound-document header is cut short".into());
    };
    if !matches!(shift, 9 | 12) {
        return Some(format!("sector size 2^{shift} is not 512 or 4096"));
    }
    let sectors = (bytes.len() >> shift) as u64;
    for (what, n) in [("directory", dir_len), ("FAT", fat_len)] {
        if u64::from(n) > sectors {
            return Some(format!(
                "its header claims {n} {what} sectors in a file of {sectors}"
            ));
        }
    }
    let fat = header_fat(bytes, shift, fat_len);
    let dir_start = u32_at(0x30)?;
    if let Some(why) = chain_problem(&fat, dir_start, sectors) {
        return Some(why);
    }
    oversized_stream(bytes, shift, &fat, dir_start)
}

/// A directory entry whose stream is longer than the whole file (the
/// workbook reader reserves a stream's declared size before reading it).
fn oversized_stream(bytes: &[u8], shift: u16, fat: &[u32], dir_start: u32) -> Option<String> {
    const END: u32 = 0xFFFF_FFFE;
    let size = 1usize << shift;
    let mut id = dir_start;
    while id != END {
        let sector = bytes.get((id as usize + 1) * size..(id as usize + 2) * size)?;
        for entry in sector.chunks_exact(128) {
            let declared = u64::from_le_bytes(entry.get(0x78..0x80)?.try_into().ok()?);
            // Version 3 files keep only the low 32 bits.
            let declared = if shift == 9 {
                declared & 0xFFFF_FFFF
            } else {
                declared
            };
            if declared > bytes.len() as u64 {
                return Some(format!(
                    "a stream declares {declared} bytes in a file of {}",
                    bytes.len()
                ));
            }
        }
        id = *fat.get(id as usize)?;
    }
    None
}

/// The FAT as far as the header's own list of FAT sectors (its first 109)
/// reaches into the file.
fn header_fat(bytes: &[u8], shift: u16, fat_len: u32) -> Vec<u32> {
    let size = 1usize << shift;
    let ids = (0..fat_len.min(109) as usize).filter_map(|i| {
        let at = 0x4C + 4 * i;
        Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
    });
    ids.filter_map(|id| bytes.get((id as usize + 1) * size..(id as usize + 2) * size))
        .flat_map(|sector| {
            sector
                .chunks_exact(4)
                .filter_map(|c| Some(u32::from_le_bytes(c.try_into().ok()?)))
        })
        .collect()
}

/// A chain of sectors from `start` that loops or leaves the file (which
/// would make the workbook reader follow it until memory runs out).
fn chain_problem(fat: &[u32], start: u32, sectors: u64) -> Option<String> {
    const END: u32 = 0xFFFF_FFFE;
    let mut seen = std::collections::HashSet::new();
    let mut id = start;
    while id != END {
        if u64::from(id) >= sectors || !seen.insert(id) {
            return Some(format!(
                "its directory chain loops or leaves the file at sector {id}"
            ));
        }
        id = *fat.get(id as usize)?;
    }
    None
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Reads every sheet of a workbook that holds a table.
pub(crate) fn read(
    path: &str,
    bytes: Vec<u8>,
    options: &ReadOptions,
    summary: &mut Summary,
    sink: &mut Sink<'_>,
) {
    if let Some(why) = is_xls(&bytes)
        .then(|| impossible_cfb_header(&bytes))
        .flatten()
    {
        return summary.error(0, format!("cannot read the workbook: {why}"));
    }
    let mut book = match open_workbook_auto_from_rs(Cursor::new(bytes)) {
        Ok(book) => book,
        Err(e) => return summary.error(0, format!("cannot read the workbook: {e}")),
    };
    let mut tables = 0;
    let mut seen: Vec<String> = Vec::new();
    for name in book.sheet_names() {
        let range = match book.worksheet_range(&name) {
            Ok(range) => range,
            Err(e) => {
                summary.error(0, format!("sheet {name:?}: cannot read: {e}"));
                continue;
            }
        };
        let first_row = range.start().map_or(0, |(r, _)| r) as u64 + 1;
        let rows: Vec<Vec<&Data>> = range.rows().map(|r| r.iter().collect()).collect();
        if read_sheet(path, &name, first_row, &rows, options, summary, sink) {
            tables += 1;
        } else if rows
            .iter()
            .any(|r| r.iter().any(|c| !matches!(c, Data::Empty)))
        {
            summary.skip(SkipReason::SheetWithoutTable);
            seen.push(format!("{name:?}"));
        }
    }
    if tables == 0 {
        summary.error(
            0,
            format!(
                "no sheet holds a table with a maker, supplier, part number, model or \
                 description column (sheets with content: {}); map one with --columns maker=HEADER",
                if seen.is_empty() {
                    "none".to_owned()
                } else {
                    seen.join(", ")
                }
            ),
        );
    }
}

/// Reads one sheet; false when no header row is found in it.
fn read_sheet(
    path: &str,
    sheet: &str,
    first_row: u64,
    rows: &[Vec<&Data>],
    options: &ReadOptions,
    summary: &mut Summary,
    sink: &mut Sink<'_>,
) -> bool {
    let texts: Vec<Vec<String>> = rows
        .iter()
        .take(HEADER_SEARCH_LINES)
        .map(|r| r.iter().map(|c| text(c)).collect())
        .collect();
    let Some(at) = texts.iter().position(|cells| {
        let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        headers::is_header_cells(&cells, &options.columns)
    }) else {
        return false;
    };
    for before in &texts[..at] {
        if before.iter().any(|c| !c.trim().is_empty()) {
            summary.skip(SkipReason::PreambleRow);
        }
    }
    let header: Vec<&str> = texts[at].iter().map(String::as_str).collect();
    let table = Table::from_header(&header, None, options);
    for (i, row) in rows.iter().enumerate().skip(at + 1) {
        let line = first_row + i as u64;
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(col, c)| {
                if table.is_date_column(col) {
                    date_text(c)
                } else {
                    text(c)
                }
            })
            .collect();
        let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        let at = source(path, line, Some(format!("{sheet}!R{line}")));
        table.row(at, &cells, summary, sink);
    }
    true
}

/// A cell as text: whole numbers without `.0`, errors as Excel prints them.
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string().to_uppercase(),
        Data::DateTime(d) => {
            serial_to_date(d.as_f64()).map_or_else(|| d.to_string(), |d| d.to_string())
        }
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// A cell of a date column: a date cell or an Excel serial as `YYYY-MM-DD`,
/// text as written (the table reader parses it).
fn date_text(cell: &Data) -> String {
    match cell {
        Data::DateTime(d) => {
            serial_to_date(d.as_f64()).map_or_else(|| text(cell), |d| d.to_string())
        }
        Data::Float(f) => serial_to_date(*f).map_or_else(|| text(cell), |d| d.to_string()),
        Data::Int(i) if (1..=2_958_465).contains(i) => {
            serial_to_date(*i as f64).map_or_else(|| text(cell), |d| d.to_string())
        }
        _ => text(cell),
    }
}

/// The day of an Excel serial (1900 date system; day 60 is Excel's
/// 1900-02-29, which did not exist, so serials from 61 count from 1899-12-30).
pub(crate) fn serial_to_date(serial: f64) -> Option<Date> {
    if !(61.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64 - 25_569; // days since 1970-01-01
    let (y, m, d) = civil_from_days(days);
    Date::new(i16::try_from(y).ok()?, m as i8, d as i8).ok()
}

/// Year, month and day of a count of days since 1970-01-01 (proleptic Gregorian).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serials_are_days_from_1899_12_30() {
        let day = |s: f64| serial_to_date(s).map(|d| d.to_string());
        assert_eq!(day(45_352.0), Some("2024-03-01".into()));
        assert_eq!(day(45_352.75), Some("2024-03-01".into()));
        assert_eq!(day(61.0), Some("1900-03-01".into()));
        assert_eq!(day(45_046.0), Some("2023-04-30".into()));
        assert_eq!(day(12.0), None);
    }

    #[test]
    fn detects_workbooks_by_their_bytes() {
        assert!(is_xlsx(b"PK\x03\x04\x14\x00\x00\x00[Content_Types].xml"));
        assert!(is_ods(
            b"PK\x03\x04\x14\x00\x00\x08\x00\x00mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
        ));
        assert!(!is_xlsx(
            b"PK\x03\x04\x14\x00\x00\x08\x00\x00mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
        ));
        assert!(is_xls(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]));
    }

    #[test]
    fn a_compound_document_header_larger_than_its_file_is_refused() {
        // Found by fuzzing: a directory-sector count that made the workbook
        // reader reserve 2 GiB for a few kilobytes.
        let mut bytes = vec![0u8; 2048];
        bytes[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        bytes[0x1E] = 9;
        bytes[0x28..0x2C].copy_from_slice(&0x0040_0000u32.to_le_bytes());
        let why = impossible_cfb_header(&bytes).expect("refused");
        assert!(
            why.contains("4194304 directory sectors in a file of 4"),
            "{why}"
        );
        bytes[0x28..0x2C].copy_from_slice(&0u32.to_le_bytes());
        bytes[0x2C..0x30].copy_from_slice(&1u32.to_le_bytes());
        // FAT in sector 0 (file offset 512); the directory starts at sector 0.
        bytes[512..516].copy_from_slice(&0xFFFF_FFFEu32.to_le_bytes());
        assert_eq!(impossible_cfb_header(&bytes), None);
        // A FAT whose directory chain points back at itself.
        bytes[512..516].copy_from_slice(&0u32.to_le_bytes());
        let why = impossible_cfb_header(&bytes).expect("refused");
        assert!(why.contains("loops or leaves the file"), "{why}");
        assert!(!is_xlsx(b"PK\x03\x04 some other archive"));
    }

    /// Gives at most 100 bytes per read, as a pipe or a decompressor may.
    struct Trickle(std::io::Cursor<Vec<u8>>);

    impl std::io::Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(100);
            self.0.read(&mut buf[..n])
        }
    }

    #[test]
    fn a_workbook_read_in_small_chunks_is_still_a_workbook() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/spreadsheets/po-2024.xlsx"
        );
        let bytes = std::fs::read(path).expect("fixture");
        let mut n = 0;
        let summary = crate::read(
            "po-2024.xlsx",
            Trickle(std::io::Cursor::new(bytes)),
            &mut |_| n += 1,
        )
        .expect("read");
        assert_eq!(summary.format.name(), "xlsx");
        assert_eq!(n, 5);
    }
}
