//! Purchase-order and inventory tables exported as CSV or TSV.
//!
//! The header row decides what each column means (see `headers`). A table
//! with an asset/host column is an inventory (its date is the acquisition
//! date); otherwise it is a purchase order (its date is the order date).

mod lines;

use std::cell::RefCell;
use std::io::{self, BufRead, Cursor, Read};
use std::rc::Rc;

use supplyscreen_model::{Component, ComponentKind, FieldRole, Role, SourceLocation};

use self::lines::{CountLines, LineTracker, Quotes};
use crate::headers::{self, Column};
use crate::{Sink, SkipReason, Summary, dates};

/// Reads a table; every row becomes a component or a diagnostic.
pub fn read(
    path: &str,
    mut input: &mut dyn BufRead,
    summary: &mut Summary,
    sink: &mut Sink<'_>,
) -> io::Result<()> {
    let head = first_line(&mut input)?;
    let (first, skipped_lines) = (head.line, head.skipped);
    let delimiter = headers::delimiter(&first);
    let lines = Rc::new(RefCell::new(LineTracker::default()));
    let counted = CountLines::new(
        Cursor::new(first.into_bytes()).chain(input),
        lines.clone(),
        Quotes::new(delimiter),
    );
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(counted);
    let mut table: Option<Table> = None;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            // Bytes invalid in the input's encoding: the input cannot be read.
            Err(e) if e.is_io_error() => return Err(e.into()),
            Err(e) => {
                let byte = e.position().map_or(0, |p| p.byte());
                let line = lines.borrow_mut().line_of(byte) + skipped_lines;
                summary.error(line, format!("malformed CSV: {e}"));
                summary.skip(SkipReason::MalformedRow);
                continue;
            }
        }
        // The record's last line, less the newlines quoted inside it, is its
        // first line; its start offset would count skipped blank lines too.
        let end = reader.position().byte();
        let inner_newlines = record
            .iter()
            .map(|f| f.matches('\n').count() as u64)
            .sum::<u64>();
        let line =
            lines.borrow_mut().line_of(end.saturating_sub(1)) - inner_newlines + skipped_lines;
        match &table {
            None => {
                table = Some(Table::from_header(
                    &record,
                    cim_kind(head.cim_class.as_deref()),
                ))
            }
            Some(t) => t.row(path, line, &record, summary, sink),
        }
    }
    if table.is_none() {
        let msg = "the table has no header row: the export ends before it";
        summary.error(skipped_lines + 1, msg);
    }
    if let Some(open) = reader.get_ref().quotes().open_line() {
        let msg = "unbalanced quote: the quoted field that starts on this line is never closed, \
                   so every row after it was read as part of that field";
        summary.error(open + skipped_lines, msg);
    }
    Ok(())
}

/// The header line, how many lines came before it, and the CIM class that
/// PowerShell's Export-Csv names on a `#TYPE ...` line before the header.
struct Head {
    line: String,
    skipped: u64,
    cim_class: Option<String>,
}

/// Reads up to the first line that is neither blank, nor `#TYPE`, nor a
/// `#` comment (as ERP exports and `collect` write) that names no column.
fn first_line(input: &mut impl BufRead) -> io::Result<Head> {
    let mut head = Head {
        line: String::new(),
        skipped: 0,
        cim_class: None,
    };
    loop {
        head.line.clear();
        if input.read_line(&mut head.line)? == 0 {
            return Ok(head);
        }
        let line = head.line.trim();
        if let Some(t) = head.line.strip_prefix("#TYPE ") {
            head.cim_class = t.trim().rsplit('/').next().map(str::to_owned);
        } else if line.starts_with('#') && !headers::looks_like_header(line) {
            // A comment; a header whose first column is `#` names columns.
        } else if !line.is_empty() {
            return Ok(head);
        }
        head.skipped += 1;
    }
}

/// The component kind a CIM class stands for.
fn cim_kind(class: Option<&str>) -> Option<ComponentKind> {
    match class? {
        "Win32_PhysicalMemory" => Some(ComponentKind::Memory),
        "Win32_DiskDrive" => Some(ComponentKind::Disk),
        "Win32_PnPEntity" => Some(ComponentKind::Other),
        _ => None,
    }
}

/// The meaning of each column, from the header row.
struct Table {
    names: Vec<String>,
    columns: Vec<Column>,
    role: Role,
    kind: ComponentKind,
}

impl Table {
    fn from_header(header: &csv::StringRecord, cim: Option<ComponentKind>) -> Self {
        let names: Vec<String> = header
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_owned())
            .collect();
        let columns: Vec<Column> = names.iter().map(|n| headers::classify(n)).collect();
        let role = if columns.contains(&Column::Host) {
            Role::Installed
        } else {
            Role::Order
        };
        let kind = cim.unwrap_or(if role == Role::Order {
            ComponentKind::OrderLine
        } else {
            ComponentKind::Other
        });
        Self {
            names,
            columns,
            role,
            kind,
        }
    }

    fn row(
        &self,
        path: &str,
        line: u64,
        rec: &csv::StringRecord,
        summary: &mut Summary,
        sink: &mut Sink<'_>,
    ) {
        if rec.iter().all(|c| c.trim().is_empty()) {
            return summary.skip(SkipReason::BlankRow);
        }
        if rec.len() != self.names.len() {
            let msg = format!(
                "row has {} fields but the header has {}",
                rec.len(),
                self.names.len()
            );
            summary.error(line, msg);
            return summary.skip(SkipReason::MalformedRow);
        }
        let kind = self.kind;
        let source = SourceLocation {
            path: path.to_owned(),
            line,
            locator: None,
        };
        let mut c = Component::new(kind, self.role, source);
        for ((name, col), value) in self.names.iter().zip(&self.columns).zip(rec.iter()) {
            c.push(name, value, field_role(*col));
            self.interpret(&mut c, *col, name, value.trim(), line, summary);
        }
        sink(c, summary);
    }

    /// Reads the columns that carry dates, quantities and hosts.
    fn interpret(
        &self,
        c: &mut Component,
        col: Column,
        name: &str,
        value: &str,
        line: u64,
        summary: &mut Summary,
    ) {
        if value.is_empty() {
            return;
        }
        match col {
            Column::Date => match dates::parse_input_date(value) {
                Ok(d) if self.role == Role::Order => c.ordered = Some(d),
                Ok(d) => c.acquired = Some(d),
                Err(e) => summary.error(line, format!("column {name:?}: {e}")),
            },
            Column::Quantity => match parse_quantity(value) {
                Some(q) => c.quantity = Some(q),
                None => summary.warning(
                    line,
                    format!("column {name:?}: quantity {value:?} is not a whole number"),
                ),
            },
            Column::Host => c.host = Some(value.to_owned()),
            Column::Category => c.category = Some(slug(value)),
            Column::Use => c.usage = Some(slug(value)),
            Column::PnpDeviceId => crate::windows::push_pnp(c, Some(value)),
            _ => {}
        }
    }
}

fn field_role(col: Column) -> FieldRole {
    match col {
        Column::Maker => FieldRole::Maker,
        Column::PartNumber => FieldRole::PartNumber,
        Column::Model => FieldRole::Model,
        Column::Description => FieldRole::Description,
        _ => FieldRole::Other,
    }
}

/// `Video Surveillance` -> `video-surveillance`: the KB's spelling of categories and uses.
pub fn slug(value: &str) -> String {
    value
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

fn parse_quantity(value: &str) -> Option<u32> {
    let digits: String = value
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '_'))
        .collect();
    let digits = digits
        .strip_suffix(".0")
        .or_else(|| digits.strip_suffix(".00"))
        .unwrap_or(&digits);
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Severity;

    fn run(text: &str) -> (Vec<Component>, Summary) {
        crate::run_reader("csv", "po.csv", text)
    }

    #[test]
    fn reads_rows_with_roles_dates_and_lines() {
        let (cs, s) = run(
            "Line;Mfr;MPN;Description;Qty;Order Date\n1;Micron;MTA18ASF2G72PZ-2G6E1;\"16GB; RDIMM\";1,000;2024/3/15\n\n2;Kingston;KVR24N17S8/8;8GB;2;2024-03-16\n",
        );
        assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
        assert_eq!(cs.len(), 2);
        assert_eq!(cs[0].source.line, 2);
        assert_eq!(cs[1].source.line, 4);
        assert_eq!(cs[0].role, Role::Order);
        assert_eq!(cs[0].quantity, Some(1000));
        assert_eq!(
            cs[0].ordered.map(|d| d.to_string()).as_deref(),
            Some("2024-03-15")
        );
        assert_eq!(
            cs[0]
                .with_role(FieldRole::Description)
                .next()
                .map(|f| f.value.as_str()),
            Some("16GB; RDIMM")
        );
    }

    #[test]
    fn bad_rows_and_dates_are_errors_with_lines() {
        let (cs, s) =
            run("厂商,型号,日期\n美光,MT40A1G8SA-075:E,2024-02-30\nSamsung,M393A2K43BB1-CTD\n");
        assert_eq!(cs.len(), 1);
        let lines: Vec<(u64, Severity)> =
            s.diagnostics.iter().map(|d| (d.line, d.severity)).collect();
        assert_eq!(lines, vec![(2, Severity::Error), (3, Severity::Error)]);
        assert!(s.diagnostics[0].message.contains("日期"));
        assert_eq!(s.skipped.get(&SkipReason::MalformedRow), Some(&1));
    }

    #[test]
    fn an_unclosed_quote_is_an_error_on_the_row_it_starts_on() {
        let rows = "Micron,MTA18ASF2G72PZ-2G6E1,2024-02-01,x\n".repeat(5);
        let text = format!(
            "\nManufacturer,Part Number,Order Date,Note\nSamsung,M393A2K40DB3-CWE,2024-03-01,\"urgent\n{rows}"
        );
        let (_, s) = run(&text);
        let errors: Vec<u64> = s.errors().map(|d| d.line).collect();
        assert_eq!(errors, vec![3], "{:?}", s.diagnostics);
        assert!(s.diagnostics[0].message.contains("unbalanced quote"));
        // In the header: every row is lost to it.
        let (cs, s) = run(&format!("Manufacturer,\"Part Number,Order Date\n{rows}"));
        assert!(cs.is_empty());
        assert_eq!(s.errors().map(|d| d.line).collect::<Vec<_>>(), vec![1]);
    }

    #[test]
    fn closed_and_literal_quotes_are_not_errors() {
        let (cs, s) = run(
            "Manufacturer,Part Number,Note\nMicron,X1,\"two\nlines, \"\"quoted\"\"\"\nKingston,19\" rail,y\n",
        );
        assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
        assert_eq!(cs.len(), 2);
        assert_eq!(cs[1].source.line, 4);
        assert_eq!(cs[1].field("Part Number"), Some("19\" rail"));
    }

    #[test]
    fn bytes_invalid_in_the_encoding_fail_the_read() {
        // UTF-8 from the first line (制造商), then a byte UTF-8 never has.
        let mut bytes = "制造商,Part Number\n".as_bytes().to_vec();
        bytes.extend_from_slice(&b"Samsung,M393A2K40DB3-CWE\n".repeat(2000));
        bytes.extend_from_slice(b"Micron \xff,MTA18ASF2G72PZ-2G6E1\n");
        let decoded = crate::text::decode(bytes.as_slice()).expect("in memory");
        let mut summary = Summary::new(
            "po.csv",
            crate::Format::from_name("csv").expect("a format"),
            decoded.encoding,
        );
        let mut sink = |_: Component, _: &mut Summary| {};
        let mut input = io::BufReader::new(decoded.reader);
        let err = read("po.csv", &mut input, &mut summary, &mut sink).expect_err("invalid UTF-8");
        assert!(err.to_string().contains("line 2002"), "{err}");
    }

    #[test]
    fn comment_lines_before_the_header_are_skipped() {
        let (cs, s) = run(
            "# Exported from ERP\n# 2024-03-02\nVendor,Mfr Part #,Order Date\nMicron,MTA18ASF4G72PDZ-3G2R1,2024-03-01\n",
        );
        assert!(s.diagnostics.is_empty(), "{:?}", s.diagnostics);
        assert_eq!(cs.len(), 1);
        assert_eq!(cs[0].source.line, 4);
        assert_eq!(cs[0].field("Vendor"), Some("Micron"));
        // A header whose first column is named `#` is the header.
        let (cs, _) = run("#,Manufacturer,Part Number\n1,Micron,X1\n");
        assert_eq!(cs[0].field("Manufacturer"), Some("Micron"));
    }

    #[test]
    fn an_export_cut_before_its_header_is_an_error() {
        let (cs, s) = run(
            "#TYPE Microsoft.Management.Infrastructure.CimInstance#root/cimv2/Win32_PhysicalMemory\n",
        );
        assert!(cs.is_empty());
        assert_eq!(s.errors().map(|d| d.line).collect::<Vec<_>>(), vec![2]);
    }

    #[test]
    fn blank_lines_still_count() {
        let text = format!("Mfr,MPN\n{}Micron,X1\n", "\n".repeat(100_000));
        let (cs, _) = run(&text);
        assert_eq!(cs[0].source.line, 100_002);
    }

    #[test]
    fn category_and_use_columns_are_read() {
        let (cs, _) = run(
            "Asset,Manufacturer,Model,Category,Use\ncam-07,Hikvision,DS-2CD2143G2-I,Video Surveillance,Public Safety\n",
        );
        assert_eq!(cs[0].category.as_deref(), Some("video-surveillance"));
        assert_eq!(cs[0].usage.as_deref(), Some("public-safety"));
        assert_eq!(slug(" Telecom_equipment "), "telecom-equipment");
    }

    #[test]
    fn an_asset_column_makes_an_inventory() {
        let (cs, _) = run(
            "Asset,Manufacturer,Part Number,Purchase Date\ndb-01,Crucial,CT16G4DFRA32A,2022-11-02\n",
        );
        assert_eq!(cs[0].role, Role::Installed);
        assert_eq!(cs[0].host.as_deref(), Some("db-01"));
        assert_eq!(
            cs[0].acquired.map(|d| d.to_string()).as_deref(),
            Some("2022-11-02")
        );
    }
}
