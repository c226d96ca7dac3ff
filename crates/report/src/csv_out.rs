//! One row per component, for spreadsheets: UTF-8 with a byte-order mark
//! (so Excel reads Chinese text), CRLF line ends, and every cell that a
//! spreadsheet would run as a formula neutralised as OWASP's CSV-injection
//! guidance describes (a leading `'`).

use std::io::{self, Write};

use supplyscreen_ingest::Summary;
use supplyscreen_model::{Date, Verdict};
use supplyscreen_screen::{End, Header, Outcome, Screened, SkippedFile, verdict_index};

use crate::facts;
use crate::spool::Spool;
use crate::stream::{Destination, FormatOut};

/// The header row.
pub const CSV_COLUMNS: [&str; 28] = [
    "verdict",
    "directive",
    "measure",
    "code",
    "reason",
    "citation",
    "entity",
    "brand",
    "confidence",
    "kind",
    "role",
    "maker",
    "part_number",
    "model",
    "description",
    "supplier",
    "host",
    "file",
    "line",
    "locator",
    "po_number",
    "quantity",
    "unit_price",
    "currency",
    "value_at_risk",
    "ordered",
    "acquired",
    "component_id",
];

/// Characters that make a spreadsheet read a cell as a formula (OWASP).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell that cannot run as a formula: one that starts with a formula
/// character, after any spaces, gets a leading apostrophe.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let first = cell.trim_start_matches(' ').chars().next();
    if first.is_some_and(|c| FORMULA_START.contains(&c)) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

fn joined<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let mut v: Vec<&str> = items.collect();
    v.dedup();
    v.join("; ")
}

fn row(s: &Screened, as_of: Date) -> Vec<String> {
    let c = &s.component;
    let a = s.identification.attribution.as_ref();
    let deciding: Vec<_> = facts::deciding(s).collect();
    let opt = |v: Option<&str>| v.unwrap_or_default().to_owned();
    let price = facts::unit_price(c);
    vec![
        s.verdict.to_string(),
        joined(deciding.iter().map(|f| f.directive.as_str())),
        joined(deciding.iter().map(|f| f.measure.as_str())),
        joined(deciding.iter().map(|f| f.code.as_str())),
        deciding
            .iter()
            .map(|f| crate::prose::reason(f, as_of))
            .collect::<Vec<_>>()
            .join(" | "),
        joined(deciding.iter().map(|f| f.citation.as_str())),
        a.map(|a| a.entity.to_string()).unwrap_or_default(),
        opt(a.and_then(|a| a.brand.as_deref())),
        a.map(|a| a.confidence.to_string()).unwrap_or_default(),
        c.kind.to_string(),
        format!("{:?}", c.role).to_lowercase(),
        opt(facts::maker(c)),
        opt(facts::part_number(c)),
        opt(facts::model(c)),
        opt(facts::description(c)),
        opt(facts::supplier(c)),
        opt(c.host.as_deref()),
        c.source.path.clone(),
        c.source.line.to_string(),
        opt(c.source.locator.as_deref()),
        opt(facts::po_number(c)),
        c.quantity.map(|q| q.to_string()).unwrap_or_default(),
        opt(price.map(|(p, _)| p)),
        opt(price.and_then(|(_, cur)| cur)),
        facts::value_at_risk(s)
            .map(|v| v.to_string())
            .unwrap_or_default(),
        c.ordered.map(|d| d.to_string()).unwrap_or_default(),
        c.acquired.map(|d| d.to_string()).unwrap_or_default(),
        s.id.to_string(),
    ]
}

/// Renders one row per component, most severe first, then in input order.
pub fn render_csv(o: &Outcome) -> Result<String, crate::RenderError> {
    crate::stream::replay(crate::OutputFormat::Csv, Default::default(), o)
}

/// A CSV writer of rows ending in CRLF.
fn csv_writer<W: Write>(to: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(to)
}

/// One component's row.
pub(crate) fn encode(s: &Screened, as_of: Date, out: &mut Vec<u8>) {
    let mut w = csv_writer(Vec::new());
    let cells = row(s, as_of);
    if w.write_record(cells.iter().map(|cell| neutralise(cell).into_owned()))
        .is_ok()
        && let Ok(bytes) = w.into_inner()
    {
        out.extend_from_slice(&bytes);
    }
}

/// Writes the header at once and the rows per verdict at the end.
pub(crate) struct CsvOut<'a> {
    to: Destination<'a>,
    rows: [Spool; 5],
}

impl<'a> CsvOut<'a> {
    pub(crate) fn new(to: Destination<'a>) -> Self {
        Self {
            to,
            rows: Default::default(),
        }
    }
}

impl FormatOut for CsvOut<'_> {
    fn begin(&mut self, _: &Header) -> io::Result<()> {
        self.to.write_all("\u{feff}".as_bytes())?;
        let mut w = csv_writer(&mut self.to);
        w.write_record(CSV_COLUMNS)?;
        w.flush()
    }

    fn component(&mut self, v: Verdict, chunk: &[u8]) -> io::Result<()> {
        self.rows[verdict_index(v)].put(chunk)
    }

    fn input(&mut self, _: &Summary) -> io::Result<()> {
        Ok(())
    }

    fn skipped(&mut self, _: &SkippedFile) -> io::Result<()> {
        Ok(())
    }

    fn end(&mut self, _: &End) -> io::Result<()> {
        for spool in std::mem::take(&mut self.rows) {
            spool.copy_to(&mut self.to)?;
        }
        self.to.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formula_cells_are_neutralised_and_others_kept() {
        assert_eq!(
            neutralise("=HYPERLINK(\"http://x\",\"y\")"),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        assert_eq!(neutralise("+1"), "'+1");
        assert_eq!(neutralise("-2+3"), "'-2+3");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("\rx"), "'\rx");
        assert_eq!(neutralise("  =1+1"), "'  =1+1");
        assert_eq!(neutralise("PO-2024-0122"), "PO-2024-0122");
        assert_eq!(neutralise("美光"), "美光");
        assert_eq!(neutralise(""), "");
    }
}
