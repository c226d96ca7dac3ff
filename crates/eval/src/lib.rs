//! The identification evaluation: records, scoring, and the naive baseline.
//! The binary prints the figures; tests use the same scoring.

pub mod coverage;

use std::collections::BTreeMap;

use serde::Deserialize;
use supplyscreen_identify::Matcher;
use supplyscreen_model::{Component, ComponentKind, EvidenceKind, FieldRole, Role, SourceLocation};

/// Entities whose products are Micron's (the positive class).
pub const MICRON_FAMILY: [&str; 3] = ["micron", "elpida", "spectek"];

/// One field of a record.
#[derive(Debug, Clone, Deserialize)]
pub struct RecordField {
    /// `maker`, `part-number`, `model`, `description`, `pci-vendor`, `usb-vendor`, `oui`.
    pub role: String,
    /// As the tool prints it.
    pub value: String,
}

/// One labelled record of `eval/records.jsonl`.
#[derive(Debug, Clone, Deserialize)]
pub struct Record {
    /// Its id.
    pub id: String,
    /// The fields.
    pub fields: Vec<RecordField>,
    /// The entity the KB should attribute, if any.
    pub expect_entity: Option<String>,
    /// `micron` or `not-micron`.
    pub expect_family: String,
    /// Hard-case markers.
    pub tags: Vec<String>,
    /// Where the form comes from.
    pub provenance: String,
}

impl Record {
    /// True for the positive class.
    pub fn is_micron(&self) -> bool {
        self.expect_family == "micron"
    }

    /// A record a name matcher can fairly be judged on: text fields only
    /// (maker, model, description), no JEDEC code.
    pub fn is_name_record(&self) -> bool {
        !self.tags.iter().any(|t| t == "jedec")
            && self
                .fields
                .iter()
                .all(|f| matches!(f.role.as_str(), "maker" | "model" | "description"))
    }

    /// The record as a component.
    pub fn component(&self) -> Component {
        let source = SourceLocation {
            path: "eval".into(),
            line: 1,
            locator: Some(self.id.clone()),
        };
        let mut c = Component::new(ComponentKind::Other, Role::Installed, source);
        for f in &self.fields {
            let role = match f.role.as_str() {
                "maker" => FieldRole::Maker,
                "part-number" => FieldRole::PartNumber,
                "model" => FieldRole::Model,
                "description" => FieldRole::Description,
                "pci-vendor" => FieldRole::PciVendor,
                "usb-vendor" => FieldRole::UsbVendor,
                "oui" => FieldRole::Oui,
                _ => FieldRole::Other,
            };
            c.push(&f.role, &f.value, role);
        }
        c
    }
}

/// Parses the JSON Lines file.
pub fn parse(text: &str) -> Result<Vec<Record>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).map_err(|e| format!("records.jsonl:{}: {e}", i + 1)))
        .collect()
}

/// What a system said about a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prediction {
    /// The attributed entity, if any.
    pub entity: Option<String>,
    /// Whether it claims a Micron-family product.
    pub micron: bool,
    /// The strongest evidence kind, for our system.
    pub kind: Option<EvidenceKind>,
}

/// Our identification.
pub fn ours(m: &Matcher, r: &Record) -> Prediction {
    let a = m.identify(&r.component()).attribution;
    let entity = a.as_ref().map(|a| a.entity.to_string());
    let micron = entity
        .as_deref()
        .is_some_and(|e| MICRON_FAMILY.contains(&e));
    Prediction {
        entity,
        micron,
        kind: a.and_then(|a| a.evidence.first().map(|e| e.kind)),
    }
}

/// The naive baseline: any field containing a Micron-family name or brand.
pub fn naive(r: &Record) -> Prediction {
    const NEEDLES: [&str; 8] = [
        "micron",
        "crucial",
        "ballistix",
        "elpida",
        "spectek",
        "美光",
        "镁光",
        "鎂光",
    ];
    let micron = r.fields.iter().any(|f| {
        let v = f.value.to_lowercase();
        NEEDLES.iter().any(|n| v.contains(n))
    });
    Prediction {
        entity: micron.then(|| "micron".to_owned()),
        micron,
        kind: None,
    }
}

/// Counts for the Micron-family class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// True positives.
    pub tp: usize,
    /// False positives.
    pub fp: usize,
    /// False negatives.
    pub fn_: usize,
    /// True negatives.
    pub tn: usize,
}

impl Counts {
    /// Adds one outcome.
    pub fn add(&mut self, expected: bool, predicted: bool) {
        match (expected, predicted) {
            (true, true) => self.tp += 1,
            (false, true) => self.fp += 1,
            (true, false) => self.fn_ += 1,
            (false, false) => self.tn += 1,
        }
    }

    /// Precision (1 when nothing was claimed).
    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }

    /// Recall (1 when nothing was expected).
    pub fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }

    /// F1.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// The full score of one system.
#[derive(Debug, Clone, Default)]
pub struct Score {
    /// The Micron-family class.
    pub micron: Counts,
    /// False positives among records tagged `hard-negative`.
    pub hard_negative_fp: usize,
    /// Records whose attributed entity equals the expected one (None = None).
    pub entity_correct: usize,
    /// Records.
    pub total: usize,
    /// Per tag: Micron-family counts.
    pub by_tag: BTreeMap<String, Counts>,
    /// Per expected entity: (correct, total).
    pub by_entity: BTreeMap<String, (usize, usize)>,
    /// Per family (an entity, the Micron family counted as one): its
    /// records against the rest.
    pub by_family: BTreeMap<String, Counts>,
    /// Per strongest evidence kind of our prediction: Micron-family counts.
    pub by_kind: BTreeMap<String, Counts>,
    /// Records the system got wrong: (id, expected, predicted, first field).
    pub confusion: Vec<(String, String, String, String)>,
}

/// Scores a system over the records.
pub fn score(records: &[Record], mut predict: impl FnMut(&Record) -> Prediction) -> Score {
    let mut s = Score {
        total: records.len(),
        ..Score::default()
    };
    let mut pairs = Vec::with_capacity(records.len());
    for r in records {
        let p = predict(r);
        pairs.push((
            family(r.expect_entity.as_deref()),
            family(p.entity.as_deref()),
        ));
        let expected = r.is_micron();
        s.micron.add(expected, p.micron);
        if !expected && p.micron && r.tags.iter().any(|t| t == "hard-negative") {
            s.hard_negative_fp += 1;
        }
        for t in &r.tags {
            s.by_tag
                .entry(t.clone())
                .or_default()
                .add(expected, p.micron);
        }
        let kind = p.kind.map_or("none".to_owned(), |k| k.to_string());
        s.by_kind.entry(kind).or_default().add(expected, p.micron);
        let exp = r.expect_entity.clone().unwrap_or_else(|| "-".into());
        let got = p.entity.clone().unwrap_or_else(|| "-".into());
        let e = s.by_entity.entry(exp.clone()).or_default();
        e.1 += 1;
        if exp == got {
            e.0 += 1;
            s.entity_correct += 1;
        } else {
            let first = r
                .fields
                .iter()
                .map(|f| f.value.as_str())
                .collect::<Vec<_>>()
                .join(" | ");
            s.confusion.push((r.id.clone(), exp, got, first));
        }
    }
    s.by_family = by_family(&pairs);
    s
}

/// The family an entity counts in: the Micron family as one, others alone.
fn family(entity: Option<&str>) -> Option<String> {
    entity.map(|e| {
        if MICRON_FAMILY.contains(&e) {
            "micron family".to_owned()
        } else {
            e.to_owned()
        }
    })
}

/// One-vs-rest counts for every family expected or predicted.
fn by_family(pairs: &[(Option<String>, Option<String>)]) -> BTreeMap<String, Counts> {
    let mut names: Vec<&str> = pairs
        .iter()
        .flat_map(|(e, p)| [e.as_deref(), p.as_deref()])
        .flatten()
        .collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .map(|f| {
            let mut c = Counts::default();
            for (e, p) in pairs {
                c.add(e.as_deref() == Some(f), p.as_deref() == Some(f));
            }
            (f.to_owned(), c)
        })
        .collect()
}
