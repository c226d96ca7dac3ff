//! Screening for the server, through the `screen` facade only: request items
//! are read as the lines of one table (their field names are the header, as
//! in a purchase order export) by ingest's table reader, uploaded bytes are
//! one stream (archives are recognised by `screen`), and the outcome is
//! rendered as the CLI's JSON report.

use std::collections::HashMap;
use std::io::Cursor;

use crate::columns::ColumnCache;

use supplyscreen_model::{Date, FieldRole, ProfileId};
use supplyscreen_report::{OutputFormat, render};
use supplyscreen_screen::{Action, Input, Outcome, RecordReader, Request, Screener, Waiver};
use supplyscreen_store::FindingDraft;

/// The parameters of one screening, as an API caller gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    /// The profile id.
    pub profile: String,
    /// `purchase`, `inventory`, or `None`/`auto` for each component's role.
    pub action: Option<String>,
    /// The screening date.
    pub as_of: Date,
}

/// Why a screening could not be done.
#[derive(Debug, thiserror::Error)]
pub enum ScreeningError {
    /// The profile, action or date is not usable.
    #[error("{0}")]
    Params(String),
    /// The input could not be screened (no known format, no component).
    #[error("{0}")]
    Input(String),
    /// The report could not be rendered.
    #[error("the report could not be rendered: {0}")]
    Render(String),
}

/// A finished screening: the report document and what the index needs.
#[derive(Debug, Clone)]
pub struct Screening {
    /// The JSON report, as `supplyscreen scan --format json` writes it.
    pub report: String,
    /// The KB hash it was screened with.
    pub kb_hash: String,
    /// The number of components read.
    pub components: usize,
    /// Each finding's verdict name (for the metrics).
    pub verdicts: Vec<&'static str>,
    /// The findings as the store indexes them (only for stored scans).
    pub rows: Vec<FindingDraft>,
}

/// Parses an action name as the CLI's `--action` does.
pub fn parse_action(name: Option<&str>) -> Result<Option<Action>, ScreeningError> {
    match name.map(str::trim) {
        None | Some("" | "auto") => Ok(None),
        Some("purchase") => Ok(Some(Action::Purchase)),
        Some("inventory") => Ok(Some(Action::Inventory)),
        Some(other) => Err(ScreeningError::Params(format!(
            "unknown action {other:?} (expected purchase, inventory or auto)"
        ))),
    }
}

fn request(
    screener: &Screener,
    p: &Params,
    waivers: Vec<Waiver>,
) -> Result<Request, ScreeningError> {
    let profile = ProfileId::new(&p.profile)
        .map_err(|e| ScreeningError::Params(format!("profile {:?}: {e}", p.profile)))?;
    if screener.kb().profile(&profile).is_none() {
        let known: Vec<String> = screener.kb().profiles().map(|p| p.id.to_string()).collect();
        return Err(ScreeningError::Params(format!(
            "unknown profile {:?} (profiles: {})",
            p.profile,
            known.join(", ")
        )));
    }
    Ok(Request {
        profile,
        as_of: p.as_of,
        action: parse_action(p.action.as_deref())?,
        waivers,
        read: Default::default(),
    })
}

/// Screens one stream of bytes named `name` (an upload).
pub fn screen_bytes(
    screener: &Screener,
    name: &str,
    bytes: Vec<u8>,
    p: &Params,
    waivers: Vec<Waiver>,
) -> Result<Screening, ScreeningError> {
    let req = request(screener, p, waivers)?;
    let input = Input::reader(name, Box::new(Cursor::new(bytes)));
    let outcome = screener
        .screen(vec![input], &req)
        .map_err(|e| ScreeningError::Input(e.to_string()))?;
    let mut s = finish(&outcome)?;
    s.rows = rows(&outcome, &s.report)?;
    Ok(s)
}

/// The name request items are screened under (reports show it as the path).
pub const ITEMS_NAME: &str = "request";

/// Screens request items (each a map from column header to value) as one
/// table named [`ITEMS_NAME`] whose header is every field name in the
/// order first seen (a field an item lacks is an empty cell): the outcome
/// of the CLI reading a CSV export of the items. The header is mapped
/// through `columns` (kept across requests) and the lines are read by
/// ingest's table reader without CSV text.
pub fn screen_items(
    screener: &Screener,
    columns: &ColumnCache,
    items: &[Vec<(String, String)>],
    p: &Params,
    waivers: Vec<Waiver>,
) -> Result<Screening, ScreeningError> {
    let mut req = request(screener, p, waivers)?;
    req.read = columns.options().clone();
    let header = Header::of(items);
    if header.names.is_empty() {
        return Err(ScreeningError::Input(
            "no item has a field: give each item `fields` with column headers".into(),
        ));
    }
    let mapping = columns.get(&header.names);
    let mut reader = RecordReader::new(ITEMS_NAME, &mapping)
        .map_err(|e| ScreeningError::Input(e.to_string()))?;
    let mut components = Vec::with_capacity(items.len());
    let mut row: Vec<&str> = Vec::with_capacity(header.names.len());
    for item in items {
        header.row(item, &mut row);
        reader.row(&row, &mut |c| components.push(c));
    }
    let outcome = screener
        .screen_read(reader.finish(), components, &req)
        .map_err(|e| ScreeningError::Input(e.to_string()))?;
    finish(&outcome)
}

/// Above this many columns a header is indexed by name; below, a search
/// along it is quicker.
const INDEXED_COLUMNS: usize = 16;

/// The union of the items' field names, in the order first seen.
struct Header<'a> {
    names: Vec<&'a str>,
    index: Option<HashMap<&'a str, usize>>,
}

impl<'a> Header<'a> {
    fn of(items: &'a [Vec<(String, String)>]) -> Self {
        let mut h = Header {
            names: Vec::new(),
            index: None,
        };
        for item in items {
            if h.is(item) {
                continue;
            }
            for (k, _) in item {
                if h.position(k).is_none() {
                    h.push(k);
                }
            }
        }
        h
    }

    /// True when the item's fields are the header, in order.
    fn is(&self, item: &[(String, String)]) -> bool {
        item.len() == self.names.len() && item.iter().zip(&self.names).all(|((k, _), n)| k == n)
    }

    fn position(&self, name: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(name).copied(),
            None => self.names.iter().position(|n| *n == name),
        }
    }

    fn push(&mut self, name: &'a str) {
        self.names.push(name);
        match &mut self.index {
            Some(index) => {
                index.insert(name, self.names.len() - 1);
            }
            None if self.names.len() > INDEXED_COLUMNS => {
                let all = self.names.iter().enumerate().map(|(i, n)| (*n, i));
                self.index = Some(all.collect());
            }
            None => {}
        }
    }

    /// The item's cells in the header's order into `row`.
    fn row<'i>(&self, item: &'i [(String, String)], row: &mut Vec<&'i str>) {
        row.clear();
        if self.is(item) {
            row.extend(item.iter().map(|(_, v)| v.as_str()));
            return;
        }
        row.resize(self.names.len(), "");
        for (k, v) in item {
            if let Some(i) = self.position(k) {
                row[i] = v;
            }
        }
    }
}

fn finish(outcome: &Outcome) -> Result<Screening, ScreeningError> {
    if outcome.components.is_empty() {
        return Err(ScreeningError::Input(outcome.problems().join("; ")));
    }
    let report =
        render(OutputFormat::Json, outcome).map_err(|e| ScreeningError::Render(e.to_string()))?;
    Ok(Screening {
        report,
        kb_hash: outcome.kb_hash.clone(),
        components: outcome.components.len(),
        verdicts: outcome.findings().map(|f| f.verdict.as_str()).collect(),
        rows: Vec::new(),
    })
}

/// One row per finding for the store's index: the typed keys from the
/// outcome, and for drill-down the finding and its component exactly as the
/// report wrote them (`{"finding": ..., "component": ...}`).
fn rows(outcome: &Outcome, report: &str) -> Result<Vec<FindingDraft>, ScreeningError> {
    let doc: serde_json::Value =
        serde_json::from_str(report).map_err(|e| ScreeningError::Render(e.to_string()))?;
    let empty = Vec::new();
    let list = |key: &str| doc.get(key).and_then(|v| v.as_array()).unwrap_or(&empty);
    let (components, findings) = (list("components"), list("findings"));
    let mut out = Vec::new();
    let mut written = findings.iter();
    for (c, c_json) in outcome.components.iter().zip(components) {
        let supplier = c
            .component
            .fields
            .iter()
            .find(|f| f.role == FieldRole::Supplier && !f.value.is_empty())
            .map(|f| f.value.clone());
        // The host column as ingest recognised it (every synonym of `Host`).
        let host = c.component.host.clone().filter(|h| !h.is_empty());
        for f in &c.findings {
            let f_json = written.next().cloned().unwrap_or_default();
            out.push(FindingDraft {
                finding_id: f.id.to_string(),
                component_id: c.id.to_string(),
                verdict: f.verdict.as_str().to_owned(),
                directive: f.directive.to_string(),
                entity: Some(f.entity.to_string()),
                supplier: supplier.clone(),
                host: host.clone(),
                detail: serde_json::json!({"finding": f_json, "component": c_json}),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
#[path = "screening_tests.rs"]
mod tests;
