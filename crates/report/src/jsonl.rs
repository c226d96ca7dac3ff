//! JSON Lines, schema `supplyscreen/report-lines/v1`: one record per line,
//! each with a `type`: the `report` header first, then every `component`
//! followed by its `finding`s, then each `input`, each `waiver`, and the
//! `summary` last. A consumer can act on each line as it arrives.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;
use supplyscreen_ingest::Summary;
use supplyscreen_model::{Date, Verdict};
use supplyscreen_policy::Action;
use supplyscreen_screen::{End, Header, Outcome, Screened, SkippedFile};

use crate::json::{KbInfo, Tool, finding_out, kb_info, tool, waiver_out};
use crate::spool::Spool;
use crate::stream::{Destination, FormatOut};

/// The schema name and version of the JSON Lines report.
pub const LINES_SCHEMA: &str = "supplyscreen/report-lines/v1";

#[derive(Serialize)]
struct Line<T: Serialize> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    body: T,
}

#[derive(Serialize)]
struct Head<'a> {
    schema: &'static str,
    tool: Tool,
    kb: KbInfo<'a>,
    profile: &'a str,
    action: &'static str,
    as_of: String,
}

#[derive(Serialize)]
struct Counts {
    components: usize,
    verdicts: BTreeMap<&'static str, usize>,
}

fn push<T: Serialize>(out: &mut Vec<u8>, kind: &'static str, body: T) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &Line { kind, body }).map_err(io::Error::other)?;
    out.push(b'\n');
    Ok(())
}

/// Renders the outcome as JSON Lines.
pub fn render_jsonl(o: &Outcome) -> Result<String, crate::RenderError> {
    crate::stream::replay(crate::OutputFormat::Jsonl, Default::default(), o)
}

/// One component's line, then its findings' lines.
pub(crate) fn encode(s: &Screened, as_of: Date, out: &mut Vec<u8>) {
    crate::json_line::write_component_line(s, out);
    out.push(b'\n');
    for f in &s.findings {
        let _ = push(out, "finding", finding_out(f, as_of));
    }
}

/// Writes components and findings as they come; the inputs' lines wait
/// in a spool for the end.
pub(crate) struct JsonlOut<'a> {
    to: Destination<'a>,
    inputs: Spool,
}

impl<'a> JsonlOut<'a> {
    pub(crate) fn new(to: Destination<'a>) -> Self {
        Self {
            to,
            inputs: Spool::default(),
        }
    }
}

impl FormatOut for JsonlOut<'_> {
    fn begin(&mut self, h: &Header) -> io::Result<()> {
        let head = Head {
            schema: LINES_SCHEMA,
            tool: tool(h),
            kb: kb_info(h),
            profile: h.profile.as_str(),
            action: Action::name(h.action),
            as_of: h.as_of.to_string(),
        };
        let mut line = Vec::new();
        push(&mut line, "report", head)?;
        self.to.write_all(&line)
    }

    fn component(&mut self, _: Verdict, chunk: &[u8]) -> io::Result<()> {
        self.to.write_all(chunk)
    }

    fn input(&mut self, s: &Summary) -> io::Result<()> {
        let mut line = Vec::new();
        push(&mut line, "input", s)?;
        self.inputs.put(&line)
    }

    fn skipped(&mut self, _: &SkippedFile) -> io::Result<()> {
        Ok(())
    }

    fn end(&mut self, end: &End) -> io::Result<()> {
        std::mem::take(&mut self.inputs).copy_to(&mut self.to)?;
        let mut lines = Vec::new();
        for w in &end.waivers {
            push(&mut lines, "waiver", waiver_out(w))?;
        }
        let counts = Counts {
            components: end.totals.components(),
            verdicts: end
                .totals
                .counts()
                .into_iter()
                .map(|(v, n)| (v.as_str(), n))
                .collect(),
        };
        push(&mut lines, "summary", counts)?;
        self.to.write_all(&lines)?;
        self.to.flush()
    }
}
