//! Screening for the server, through the `screen` facade only: request items
//! become one CSV table (their field names are the header, as in a purchase
//! order export), uploaded bytes are one stream (archives are recognised by
//! `screen`), and the outcome is rendered as the CLI's JSON report.

use std::collections::HashMap;
use std::io::Cursor;

use supplyscreen_model::{Date, FieldRole, ProfileId};
use supplyscreen_report::{OutputFormat, render};
use supplyscreen_screen::{Action, Input, Outcome, Request, Screener, Waiver};
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

/// Screens request items (each a map from column header to value) as one
/// table named `request`.
pub fn screen_items(
    screener: &Screener,
    items: &[Vec<(String, String)>],
    p: &Params,
    waivers: Vec<Waiver>,
) -> Result<Screening, ScreeningError> {
    let req = request(screener, p, waivers)?;
    let table = items_table(items)?;
    let input = Input::reader("request", Box::new(Cursor::new(table)));
    let outcome = screener
        .screen(vec![input], &req)
        .map_err(|e| ScreeningError::Input(e.to_string()))?;
    finish(&outcome)
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

/// The items as CSV: the header is every field name in the order first
/// seen; a missing field is an empty cell. Linear in the number of cells.
pub fn items_table(items: &[Vec<(String, String)>]) -> Result<Vec<u8>, ScreeningError> {
    let mut header: Vec<&str> = Vec::new();
    let mut column: HashMap<&str, usize> = HashMap::new();
    for (k, _) in items.iter().flatten() {
        column.entry(k.as_str()).or_insert_with(|| {
            header.push(k);
            header.len() - 1
        });
    }
    if header.is_empty() {
        return Err(ScreeningError::Input(
            "no item has a field: give each item `fields` with column headers".into(),
        ));
    }
    let mut w = csv::Writer::from_writer(Vec::with_capacity(64 * (items.len() + 1)));
    let err = |e: csv::Error| ScreeningError::Input(format!("items cannot be tabulated: {e}"));
    w.write_record(&header).map_err(err)?;
    let mut row: Vec<&str> = vec![""; header.len()];
    for item in items {
        row.iter_mut().for_each(|cell| *cell = "");
        for (k, v) in item {
            if let Some(&i) = column.get(k.as_str()) {
                row[i] = v;
            }
        }
        w.write_record(&row).map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| ScreeningError::Input(format!("items cannot be tabulated: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn items_become_one_table_with_the_union_of_headers() -> Result<(), ScreeningError> {
        let items = [
            item(&[
                ("Manufacturer", "Micron"),
                ("Part Number", "MTA18ASF4G72PDZ-3G2R1"),
            ]),
            item(&[
                ("Part Number", "CT1000MX500SSD1"),
                ("Description", "SSD, 1 TB \"MX500\""),
            ]),
        ];
        let text = String::from_utf8(items_table(&items)?).unwrap_or_default();
        assert_eq!(
            text,
            "Manufacturer,Part Number,Description\n\
             Micron,MTA18ASF4G72PDZ-3G2R1,\n\
             ,CT1000MX500SSD1,\"SSD, 1 TB \"\"MX500\"\"\"\n"
        );
        Ok(())
    }

    #[test]
    fn actions_are_read_as_the_cli_reads_them() {
        assert!(matches!(
            parse_action(Some("purchase")),
            Ok(Some(Action::Purchase))
        ));
        assert!(matches!(parse_action(None), Ok(None)));
        assert!(matches!(parse_action(Some("auto")), Ok(None)));
        assert!(parse_action(Some("buy")).is_err());
    }
}
