//! Tables that arrive as records rather than as text (the lines of an API
//! request, each a map of column header to value): the header row is mapped
//! once, by the code that maps a CSV or spreadsheet header (`table.rs`), and
//! each record is read as a row of that table, at the line it would have in
//! a CSV export of the same records. No CSV text is written or parsed.

use supplyscreen_model::Component;

use crate::table::{Table, source};
use crate::{Format, IngestError, ReadOptions, Summary};

/// What each column of a header row means, mapped once and reusable for any
/// number of tables with that header (it holds no state of one reading).
pub struct Columns {
    table: Table,
    /// Line ends inside the header cells (a CSV export would quote them).
    header_line_ends: u64,
}

impl Columns {
    /// The columns of `header`, read as a CSV file with this header row
    /// would read them under `options` (`--columns`, `--date-order`).
    pub fn new(header: &[&str], options: &ReadOptions) -> Self {
        Self {
            table: Table::from_header(header, None, options),
            header_line_ends: header.iter().map(|h| crate::table::line_ends(h)).sum(),
        }
    }

    /// True when some column can name a maker, supplier, part number, model
    /// or description (else no row can be screened).
    pub fn screenable(&self) -> bool {
        self.table.screenable()
    }

    /// The number of columns.
    pub fn len(&self) -> usize {
        self.table.width()
    }

    /// True for a header without columns.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Reads records as the rows of one table named `path`, as the CSV reader
/// reads a UTF-8 file whose first line is the header and whose following
/// lines are the records: the same components, skip counts and diagnostics.
pub struct RecordReader<'c> {
    columns: &'c Columns,
    summary: Summary,
    /// The line the next record starts on.
    line: u64,
}

impl<'c> RecordReader<'c> {
    /// A reader of records under `columns`; a header none of whose columns
    /// can identify an item is refused as the CLI refuses such a table.
    pub fn new(path: &str, columns: &'c Columns) -> Result<Self, IngestError> {
        if !columns.screenable() {
            return Err(IngestError::TableWithoutIdentity {
                path: path.to_owned(),
                headers: columns.table.names().to_vec(),
            });
        }
        let csv = Format::from_name("csv").ok_or_else(|| IngestError::UnknownFormat {
            path: path.to_owned(),
        })?;
        Ok(Self {
            columns,
            summary: Summary::new(path, csv, "UTF-8"),
            line: 2 + columns.header_line_ends,
        })
    }

    /// Reads one record, its cells in the header's order (an absent field
    /// is an empty cell), handing its component to `sink` or counting why
    /// it is not one.
    pub fn row(&mut self, cells: &[&str], sink: &mut dyn FnMut(Component)) {
        let line = self.line;
        self.line += 1 + cells
            .iter()
            .map(|c| crate::table::line_ends(c))
            .sum::<u64>();
        let mut count = |c: Component, summary: &mut Summary| {
            summary.components += 1;
            sink(c);
        };
        let at = source(&self.summary.path, line, None);
        self.columns
            .table
            .row(at, cells, &mut self.summary, &mut count);
    }

    /// What was read besides the components.
    pub fn finish(mut self) -> Summary {
        self.summary.close();
        self.summary
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The records as a CSV file with `header` as its first line.
    fn as_csv(header: &[&str], rows: &[Vec<&str>]) -> Vec<u8> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(header).expect("in memory");
        for r in rows {
            w.write_record(r).expect("in memory");
        }
        w.into_inner().expect("in memory")
    }

    #[test]
    fn records_read_as_the_lines_of_the_same_csv() {
        let header = [
            "Manufacturer",
            "Part Number",
            "Description",
            "Qty",
            "Order Date",
        ];
        let rows = vec![
            vec![
                "Micron",
                "MTA18ASF4G72PDZ-3G2R1",
                "32GB RDIMM",
                "64",
                "2024-01-22",
            ],
            vec!["", "", "", "", ""],
            vec![
                "Hikvision",
                "DS-2CD2143G2-I",
                "IP camera\n4 MP",
                "twelve",
                "03/04/2024",
            ],
            vec!["", "", "Total", "76", ""],
            vec!["Note: prices exclude VAT", "", "", "", ""],
            vec!["Crucial", "CT1000MX500SSD1", "SSD", "4", "2024-02-30"],
        ];
        let mut from_csv = Vec::new();
        let csv_summary = crate::read("po.csv", &as_csv(&header, &rows)[..], &mut |c| {
            from_csv.push(c)
        })
        .expect("a table");
        let columns = Columns::new(&header, &ReadOptions::default());
        let mut reader = RecordReader::new("po.csv", &columns).expect("screenable");
        let mut from_records = Vec::new();
        for r in &rows {
            reader.row(r, &mut |c| from_records.push(c));
        }
        let summary = reader.finish();
        assert_eq!(from_records.len(), 3);
        assert_eq!(from_records, from_csv);
        assert_eq!(summary, csv_summary);
        assert_eq!(from_records[2].source.line, 8, "after the quoted line end");
        assert!(summary.has_errors(), "2024-02-30 is no date");
    }

    #[test]
    fn a_header_that_names_nothing_screenable_is_refused() {
        let columns = Columns::new(&["Lieferant", "Teilenummer"], &ReadOptions::default());
        assert!(!columns.screenable());
        let Err(e) = RecordReader::new("request", &columns) else {
            panic!("the header names no maker, supplier, part, model or description");
        };
        assert!(
            e.to_string().contains("\"Lieferant\", \"Teilenummer\""),
            "{e}"
        );
    }
}
