//! SARIF 2.1.0 (OASIS), for code-scanning and GRC dashboards: one rule per
//! directive with its citation, one result per finding that is not clear,
//! located at the input file and line, its level from the verdict and its
//! partial fingerprint from the stable finding id. A waived finding carries
//! an accepted suppression naming the waiver.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Read, Write};

use serde::Serialize;
use supplyscreen_ingest::Summary;
use supplyscreen_model::{Date, DirectiveId, Finding, Verdict};
use supplyscreen_screen::{
    DirectiveTitles, End, Header, Outcome, Screened, SkippedFile, TOOL_VERSION,
};

use crate::prose;
use crate::spool::{Spool, pretty, put_bytes, record, records, take_bytes};
use crate::stream::{Destination, FormatOut};

const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    results: Vec<SarifResult>,
    column_kind: &'static str,
    properties: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Message,
    full_description: Message,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<&'a str>,
    help: Message,
    properties: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    rule_index: usize,
    kind: &'static str,
    level: &'static str,
    message: Message,
    locations: [Location; 1],
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    properties: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    logical_locations: Vec<LogicalLocation>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation {
    name: String,
    kind: &'static str,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
}

/// The SARIF level of a verdict: violations are errors, restricted items
/// warnings, reviews and waived findings notes.
pub fn level(v: Verdict) -> &'static str {
    match v {
        Verdict::Violation => "error",
        Verdict::Restricted => "warning",
        Verdict::Review | Verdict::Waived | Verdict::Clear => "note",
    }
}

/// A relative URI reference for an input path as reports print it:
/// unreserved characters and `/` kept, everything else percent-encoded
/// (so `fleet.tar.gz:hosts/db-07.dmi` cannot read as a URI scheme); an
/// absolute path becomes a `file://` URI.
pub fn path_uri(path: &str) -> String {
    let mut s = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            s.push(char::from(b));
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    if path.starts_with('/') {
        format!("file://{s}")
    } else {
        s
    }
}

/// Per directive: the citation of its first finding and its measures.
type RuleFacts = BTreeMap<String, (String, BTreeSet<String>)>;

fn rules<'a>(by_id: &'a RuleFacts, titles: &'a DirectiveTitles) -> Vec<Rule<'a>> {
    by_id
        .iter()
        .map(|(id, (citation, measures))| {
            let measures: Vec<&str> = measures.iter().map(String::as_str).collect();
            let citation = citation.as_str();
            let web = citation.starts_with("https://") || citation.starts_with("http://");
            let title = DirectiveId::new(id)
                .ok()
                .and_then(|d| titles.get(&d))
                .map_or(id.as_str(), String::as_str);
            Rule {
                id,
                name: id,
                short_description: Message {
                    text: title.to_owned(),
                },
                full_description: Message {
                    text: format!(
                        "{title} ({id}) restricts {}. Source: {citation}",
                        measures.join("; ")
                    ),
                },
                help_uri: web.then_some(citation),
                help: Message {
                    text: format!("Source: {citation}"),
                },
                properties: BTreeMap::from([("citation", citation.to_owned())]),
            }
        })
        .collect()
}

fn result(s: &Screened, f: &Finding, as_of: Date, rule_index: usize) -> SarifResult {
    let c = &s.component;
    let mut logical = Vec::new();
    if let Some(l) = &c.source.locator {
        logical.push(LogicalLocation {
            name: l.clone(),
            kind: "object",
        });
    }
    if let Some(h) = &c.host {
        logical.push(LogicalLocation {
            name: h.clone(),
            kind: "module",
        });
    }
    let suppressions = f
        .waiver
        .iter()
        .filter(|_| f.verdict == Verdict::Waived)
        .map(|w| Suppression {
            kind: "external",
            status: "accepted",
            justification: format!(
                "risk accepted by {} until {} ({}{}): {}",
                w.approver,
                w.expires,
                w.at,
                crate::prose::ticket_suffix(w.ticket.as_deref()),
                w.reason
            ),
        })
        .collect();
    let mut props = BTreeMap::from([
        ("verdict", f.verdict.to_string()),
        ("code", f.code.as_str().to_owned()),
        ("measure", f.measure.to_string()),
        ("entity", f.entity.to_string()),
        ("target", f.target.to_string()),
        ("componentId", s.id.to_string()),
        ("findingId", f.id.to_string()),
        ("kb", f.kb.to_string()),
        ("product", crate::facts::product(c)),
    ]);
    if let Some(a) = &s.identification.attribution {
        props.insert("confidence", a.confidence.to_string());
    }
    SarifResult {
        rule_id: f.directive.to_string(),
        rule_index,
        kind: "fail",
        level: level(f.verdict),
        message: Message {
            text: format!(
                "{} ({}) attributed to {}: {}",
                crate::facts::product(c),
                c.kind,
                f.entity,
                prose::reason(f, as_of)
            ),
        },
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: path_uri(&c.source.path),
                },
                region: Region {
                    start_line: c.source.line.max(1),
                },
            },
            logical_locations: logical,
        }],
        partial_fingerprints: BTreeMap::from([("supplyscreenFindingId/v1", f.id.to_string())]),
        suppressions,
        properties: props,
    }
}

/// Renders the outcome as a SARIF 2.1.0 log with one run.
pub fn render_sarif(o: &Outcome) -> Result<String, crate::RenderError> {
    crate::stream::replay(crate::OutputFormat::Sarif, Default::default(), o)
}

/// Stands for a result's rule index until every directive is known.
const RULE_INDEX_LATER: usize = usize::MAX;
/// Where results sit in the log.
const RESULT: &str = "        ";

/// Each finding's directive, measure and citation (section 1), and each
/// listed finding's result with its directive (section 0).
pub(crate) fn encode(s: &Screened, as_of: Date, out: &mut Vec<u8>) {
    let mut facts = Vec::new();
    for f in &s.findings {
        facts.clear();
        put_bytes(&mut facts, f.directive.as_str().as_bytes());
        let measure = format!("{} from {} [{}]", f.measure, f.measure_from, f.kb);
        put_bytes(&mut facts, measure.as_bytes());
        put_bytes(&mut facts, f.citation.as_bytes());
        record(out, 1, &facts);
    }
    for f in crate::facts::listed(s) {
        facts.clear();
        put_bytes(&mut facts, f.directive.as_str().as_bytes());
        if let Ok(json) = pretty(&result(s, f, as_of, RULE_INDEX_LATER), RESULT) {
            put_bytes(&mut facts, &json);
            record(out, 0, &facts);
        }
    }
}

/// Keeps the rules' facts in memory and the results in a spool: the rules
/// come first in the log and the results name their index.
pub(crate) struct SarifOut<'a> {
    to: Destination<'a>,
    header: Option<Header>,
    rules: RuleFacts,
    results: Spool,
}

impl<'a> SarifOut<'a> {
    pub(crate) fn new(to: Destination<'a>) -> Self {
        Self {
            to,
            header: None,
            rules: BTreeMap::new(),
            results: Spool::default(),
        }
    }

    /// Copies the results from the spool, each with its rule's index.
    fn results(&mut self, index: &BTreeMap<&str, usize>, spool: Spool) -> io::Result<()> {
        if spool.is_empty() {
            return self.to.write_all(b"[]");
        }
        let later = format!("\"ruleIndex\": {RULE_INDEX_LATER}");
        let mut r = spool.reader()?;
        let mut first = true;
        while let Some(directive) = read_framed(&mut r)? {
            let json = read_framed(&mut r)?.unwrap_or_default();
            let json = String::from_utf8_lossy(&json);
            let directive = String::from_utf8_lossy(&directive);
            let i = index.get(directive.as_ref()).copied().unwrap_or(0);
            let json = json.replacen(&later, &format!("\"ruleIndex\": {i}"), 1);
            let sep = if first { "[\n" } else { ",\n" };
            first = false;
            write!(self.to, "{sep}{RESULT}{json}")?;
        }
        write!(self.to, "\n{}]", &RESULT[2..])
    }
}

/// Reads bytes written by `put_bytes`; `None` at the end.
fn read_framed(r: &mut dyn Read) -> io::Result<Option<Vec<u8>>> {
    let mut len = [0; 4];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let mut bytes = vec![0; u32::from_le_bytes(len) as usize];
    r.read_exact(&mut bytes)?;
    Ok(Some(bytes))
}

impl FormatOut for SarifOut<'_> {
    fn begin(&mut self, h: &Header) -> io::Result<()> {
        self.header = Some(h.clone());
        Ok(())
    }

    fn component(&mut self, _: Verdict, chunk: &[u8]) -> io::Result<()> {
        for (section, mut bytes) in records(chunk) {
            if section == 0 {
                self.results.put(bytes)?;
                continue;
            }
            let mut next =
                || String::from_utf8_lossy(take_bytes(&mut bytes).unwrap_or_default()).into_owned();
            let (directive, measure, citation) = (next(), next(), next());
            self.rules
                .entry(directive)
                .or_insert_with(|| (citation, BTreeSet::new()))
                .1
                .insert(measure);
        }
        Ok(())
    }

    fn input(&mut self, _: &Summary) -> io::Result<()> {
        Ok(())
    }

    fn skipped(&mut self, _: &SkippedFile) -> io::Result<()> {
        Ok(())
    }

    fn end(&mut self, _: &End) -> io::Result<()> {
        let h = self
            .header
            .take()
            .ok_or_else(|| io::Error::other("SARIF log ended before it began"))?;
        let facts = std::mem::take(&mut self.rules);
        let rules = rules(&facts, &h.directive_titles);
        let index: BTreeMap<&str, usize> =
            rules.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
        let log = Log {
            schema: SCHEMA_URI,
            version: "2.1.0",
            runs: [Run {
                tool: Tool {
                    driver: Driver {
                        name: "supplyscreen",
                        version: TOOL_VERSION,
                        semantic_version: TOOL_VERSION,
                        rules,
                    },
                },
                results: Vec::new(),
                column_kind: "unicodeCodePoints",
                properties: BTreeMap::from([
                    ("profile", h.profile.to_string()),
                    ("asOf", h.as_of.to_string()),
                    ("kbVersion", h.kb_version.clone()),
                    ("kbHash", h.kb_hash.clone()),
                    ("algorithm", h.algorithm().to_owned()),
                ]),
            }],
        };
        let text = serde_json::to_string_pretty(&log).map_err(io::Error::other)?;
        // The only unescaped `"results": []` is the empty array itself.
        let (before, after) = text
            .split_once("\"results\": []")
            .ok_or_else(|| io::Error::other("SARIF log without results"))?;
        self.to.write_all(before.as_bytes())?;
        self.to.write_all(b"\"results\": ")?;
        let spool = std::mem::take(&mut self.results);
        self.results(&index, spool)?;
        self.to.write_all(after.as_bytes())?;
        self.to.write_all(b"\n")?;
        self.to.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_relative_uris_that_cannot_read_as_a_scheme() {
        assert_eq!(path_uri("examples/po 2024.csv"), "examples/po%202024.csv");
        assert_eq!(
            path_uri("fleet.tar.gz:hosts/db-07.dmi"),
            "fleet.tar.gz%3Ahosts/db-07.dmi"
        );
        assert_eq!(
            path_uri("/srv/in/采购.csv"),
            "file:///srv/in/%E9%87%87%E8%B4%AD.csv"
        );
        assert_eq!(level(Verdict::Violation), "error");
        assert_eq!(level(Verdict::Restricted), "warning");
        assert_eq!(level(Verdict::Review), "note");
    }
}
