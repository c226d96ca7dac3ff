//! SARIF 2.1.0 (OASIS), for code-scanning and GRC dashboards: one rule per
//! directive with its citation, one result per finding that is not clear,
//! located at the input file and line, its level from the verdict and its
//! partial fingerprint from the stable finding id. A waived finding carries
//! an accepted suppression naming the waiver.

use std::collections::BTreeMap;

use serde::Serialize;
use supplyscreen_model::{Finding, Verdict};
use supplyscreen_screen::{Outcome, Screened, TOOL_VERSION};

use crate::prose;

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

fn rules(o: &Outcome) -> Vec<Rule<'_>> {
    let mut by_id: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in o.findings() {
        by_id.entry(f.directive.as_str()).or_default().push(f);
    }
    by_id
        .into_iter()
        .map(|(id, fs)| {
            let mut measures: Vec<String> = fs
                .iter()
                .map(|f| format!("{} from {} [{}]", f.measure, f.measure_from, f.kb))
                .collect();
            measures.sort();
            measures.dedup();
            let citation = fs[0].citation.as_str();
            let web = citation.starts_with("https://") || citation.starts_with("http://");
            Rule {
                id,
                name: id,
                short_description: Message {
                    text: format!("Directive {id} restricts {}", measures.join("; ")),
                },
                full_description: Message {
                    text: format!("{id}: {}. Source: {citation}", measures.join("; ")),
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

fn result(s: &Screened, f: &Finding, o: &Outcome, rule_index: usize) -> SarifResult {
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
                "risk accepted by {} until {} ({}): {}",
                w.approver, w.expires, w.at, w.reason
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
                prose::reason(f, o.as_of)
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
pub fn render_sarif(o: &Outcome) -> serde_json::Result<String> {
    let rules = rules(o);
    let index: BTreeMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    let results = o
        .components
        .iter()
        .flat_map(|s| crate::facts::listed(s).map(move |f| (s, f)))
        .map(|(s, f)| {
            let i = index.get(f.directive.as_str()).copied().unwrap_or(0);
            result(s, f, o, i)
        })
        .collect();
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
            results,
            column_kind: "unicodeCodePoints",
            properties: BTreeMap::from([
                ("profile", o.profile.to_string()),
                ("asOf", o.as_of.to_string()),
                ("kbVersion", o.kb_version.clone()),
                ("kbHash", o.kb_hash.clone()),
                ("algorithm", o.algorithm().to_owned()),
            ]),
        }],
    };
    let mut s = serde_json::to_string_pretty(&log)?;
    s.push('\n');
    Ok(s)
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
