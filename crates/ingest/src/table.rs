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
use crate::{DateOrder, ReadOptions, Sink, SkipReason, Summary, dates};

/// How many lines may come before the header row (titles, a buyer line,
/// comments, blank lines) and still be searched for it.
pub(crate) const HEADER_SEARCH_LINES: usize = 40;

/// Reads a table; every row becomes a component or a diagnostic.
pub fn read(
    path: &str,
    mut input: &mut dyn BufRead,
    options: &ReadOptions,
    summary: &mut Summary,
    sink: &mut Sink<'_>,
) -> io::Result<()> {
    let head = find_header(&mut input, options, summary)?;
    let skipped_lines = head.skipped;
    let delimiter = head
        .delimiter
        .unwrap_or_else(|| headers::delimiter(&head.text, &options.columns));
    let lines = Rc::new(RefCell::new(LineTracker::default()));
    let counted = CountLines::new(
        Cursor::new(head.text.into_bytes()).chain(input),
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
        let inner_newlines = record.iter().map(line_ends).sum::<u64>();
        let line =
            lines.borrow_mut().line_of(end.saturating_sub(1)) - inner_newlines + skipped_lines;
        let cells: Vec<&str> = record.iter().collect();
        match &table {
            None => {
                let t = Table::from_header(&cells, cim_kind(head.cim_class.as_deref()), options);
                t.check(line, summary);
                table = Some(t);
            }
            Some(t) => t.row(source(path, line, None), &cells, summary, sink),
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

/// The location of a row.
pub(crate) fn source(path: &str, line: u64, locator: Option<String>) -> SourceLocation {
    SourceLocation {
        path: path.to_owned(),
        line,
        locator,
    }
}

/// The header row and the lines after it that were read while looking for
/// it, how many lines came before it, the delimiter a `sep=` line declared,
/// and the CIM class that PowerShell's Export-Csv names on a `#TYPE ...` line.
struct Head {
    text: String,
    skipped: u64,
    delimiter: Option<u8>,
    cim_class: Option<String>,
}

/// Finds the header row among the first [`HEADER_SEARCH_LINES`] lines (see
/// `headers::find_header_line`); the lines before it are counted. When none
/// is found, the first line that is not blank or a comment is taken (the
/// table's check then says what it lacks).
fn find_header(
    input: &mut impl BufRead,
    options: &ReadOptions,
    summary: &mut Summary,
) -> io::Result<Head> {
    let mut head = Head {
        text: String::new(),
        skipped: 0,
        delimiter: None,
        cim_class: None,
    };
    let mut read: Vec<String> = Vec::new();
    while read.len() < HEADER_SEARCH_LINES {
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            break;
        }
        if let Some(t) = line.trim().strip_prefix("#TYPE ") {
            // PowerShell's Export-Csv: its header comes next, whatever its columns.
            head.cim_class = t.trim().rsplit('/').next().map(str::to_owned);
            head.skipped = read.len() as u64 + 1;
            input.read_line(&mut head.text)?;
            return Ok(head);
        }
        read.push(line);
    }
    let lines: Vec<&str> = read
        .iter()
        .map(|l| l.trim_end_matches(['\n', '\r']))
        .collect();
    let found = headers::find_header_line(&lines, &options.columns);
    let at = match found {
        Some((at, delimiter)) => {
            head.delimiter = delimiter;
            at
        }
        None => lines
            .iter()
            .position(|l| !l.trim().is_empty() && !headers::is_comment(l.trim()))
            .unwrap_or(lines.len()),
    };
    let sep = usize::from(head.delimiter.is_some());
    for before in read.iter().take(at).skip(sep) {
        count_preamble(before, summary);
    }
    head.skipped = at as u64;
    head.text = read.split_off(at).concat();
    Ok(head)
}

/// Counts a line before the header row by what it is (blank lines are not counted).
fn count_preamble(line: &str, summary: &mut Summary) {
    let t = line.trim();
    let blank = t
        .chars()
        .all(|c| c.is_whitespace() || matches!(c, ',' | ';' | '\t' | '|' | '"'));
    if blank {
        return;
    }
    if headers::is_comment(t) {
        summary.skip(SkipReason::CommentLine);
    } else if !t.is_empty() {
        summary.skip(SkipReason::PreambleRow);
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
pub(crate) struct Table {
    names: Vec<String>,
    columns: Vec<Column>,
    role: Role,
    kind: ComponentKind,
    date_order: Option<DateOrder>,
    /// A CIM export: identified by its PnP device id or its class.
    cim: bool,
}

impl Table {
    /// The table a header row describes.
    pub(crate) fn from_header(
        header: &[&str],
        cim: Option<ComponentKind>,
        options: &ReadOptions,
    ) -> Self {
        let names: Vec<String> = header
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_owned())
            .collect();
        let columns: Vec<Column> = names
            .iter()
            .map(|n| headers::classify_with(n, &options.columns))
            .collect();
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
            date_order: options.date_order,
            cim: cim.is_some(),
        }
    }

    /// The header cells, trimmed.
    pub(crate) fn names(&self) -> &[String] {
        &self.names
    }

    /// The number of columns.
    pub(crate) fn width(&self) -> usize {
        self.names.len()
    }

    /// True when some column can carry a maker, supplier, part number, model or description.
    pub(crate) fn screenable(&self) -> bool {
        self.cim || self.columns.iter().any(|c| c.identifies())
    }

    /// Records an error at the header line when no column can identify an item.
    pub(crate) fn check(&self, line: u64, summary: &mut Summary) {
        if !self.screenable() {
            let seen: Vec<String> = self.names.iter().map(|n| format!("{n:?}")).collect();
            summary.error(
                line,
                format!(
                    "no column names a maker, supplier, part number, model or description \
                     (headers: {}); map one with --columns maker=HEADER,part=HEADER",
                    seen.join(", ")
                ),
            );
        }
    }

    /// Reads one row into a component, or counts why it is not one.
    pub(crate) fn row(
        &self,
        source: SourceLocation,
        rec: &[&str],
        summary: &mut Summary,
        sink: &mut Sink<'_>,
    ) {
        let line = source.line;
        if rec.iter().all(|c| c.trim().is_empty()) {
            return summary.skip(SkipReason::BlankRow);
        }
        if !self.screenable() {
            return summary.skip(SkipReason::RowOfUnscreenableTable);
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
        if let Some(reason) = self.not_an_item(rec) {
            return summary.skip(reason);
        }
        let mut c = Component::new(self.kind, self.role, source);
        for ((name, col), value) in self.names.iter().zip(&self.columns).zip(rec.iter()) {
            c.push(name, value, field_role(*col));
            self.interpret(&mut c, *col, name, value.trim(), line, summary);
        }
        sink(c, summary);
    }

    /// A totals row (`Total`, `合计`) or a note row (text in one cell, no
    /// maker, part number or description): read, counted, not an item.
    fn not_an_item(&self, rec: &[&str]) -> Option<SkipReason> {
        if self.cim {
            return None;
        }
        let identifying = self
            .columns
            .iter()
            .zip(rec)
            .filter(|(c, v)| c.identifies() && !v.trim().is_empty())
            .count();
        let totals = rec.iter().any(|v| is_totals_label(v));
        if totals && identifying <= 1 {
            return Some(SkipReason::TotalsRow);
        }
        let filled: Vec<&str> = rec
            .iter()
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .collect();
        let note = matches!(filled.as_slice(), [only] if is_note_label(only));
        (identifying == 0 || note).then_some(SkipReason::NoteRow)
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
            Column::Date => match dates::parse_input_date_with(value, self.date_order) {
                Ok(d) if self.role == Role::Order => c.ordered = Some(d),
                Ok(d) => c.acquired = Some(d),
                Err(dates::InputDateError::Ambiguous(text)) => {
                    summary.warning(
                        line,
                        format!("column {name:?}: {text:?} reads day-first and month-first; its findings are a review (pass --date-order dmy|mdy|ymd to read it)"),
                    );
                    c.ambiguous_date = Some(text);
                }
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

    /// True when the column at `index` holds dates.
    pub(crate) fn is_date_column(&self, index: usize) -> bool {
        self.columns.get(index) == Some(&Column::Date)
    }
}

/// Text that opens with a note label and a colon (`Note: ...`, `备注：...`).
fn is_note_label(value: &str) -> bool {
    let Some((label, _)) = value.split_once([':', '：']) else {
        return false;
    };
    let label = headers::normalise(label);
    [
        "note",
        "notes",
        "remark",
        "remarks",
        "comment",
        "comments",
        "preparedby",
        "approvedby",
        "备注",
        "注",
        "说明",
        "附注",
        "備註",
        "註",
    ]
    .contains(&label.as_str())
}

/// `Total`, `Grand total`, `Subtotal`, `合计`, `总计`, `小计`, `合計`.
fn is_totals_label(value: &str) -> bool {
    let v = headers::normalise(value);
    let v = v.trim_end_matches(':').trim_end_matches('：');
    [
        "total",
        "grandtotal",
        "subtotal",
        "sum",
        "合计",
        "总计",
        "小计",
        "合計",
        "總計",
    ]
    .contains(&v)
}

fn field_role(col: Column) -> FieldRole {
    match col {
        Column::Maker => FieldRole::Maker,
        Column::Supplier => FieldRole::Supplier,
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
#[path = "table_tests.rs"]
mod tests;

/// Line ends inside a quoted field: `\n`, `\r\n` and a lone `\r`.
pub(crate) fn line_ends(field: &str) -> u64 {
    let b = field.as_bytes();
    let lone_cr = b
        .iter()
        .enumerate()
        .filter(|&(i, &c)| c == b'\r' && b.get(i + 1) != Some(&b'\n'))
        .count();
    (field.matches('\n').count() + lone_cr) as u64
}
