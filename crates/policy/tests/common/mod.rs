//! Small knowledge bases written inline, so that the engine's semantics are
//! pinned independently of the shipped data.

#![allow(dead_code)] // each test file uses its own subset

use supplyscreen_kb::{Kb, KbFile};
use supplyscreen_model::{
    Attribution, Component, ComponentId, ComponentKind, Confidence, Date, EntityId, FieldRole,
    Finding, ProfileId, Role, SourceLocation,
};
use supplyscreen_policy::{Action, Context, Waiver, WaiverLedger, evaluate};

/// A product ban on Acme and its affiliates for CII operators, from 2023-05-21.
pub const BAN: (&str, &str) = (
    "directives/cn/ban.toml",
    r#"id = "cn-ban"
title = "Stop purchasing Acme products"
authority = "Authority"
jurisdiction = "CN"
sources = ["https://example.org/ban"]
binds = { sectors = ["critical-information-infrastructure"] }
products = "unspecified"
force = "administrative-decision"
force_source = "https://example.org/ban"

[[targets]]
entity = "acme"
affiliates = true
affiliates_basis = "named"

[[measures]]
restricts = "purchase"
from = "2023-05-21"
"#,
);

const VOCABULARY: &str = r#"
[[jurisdictions]]
id = "CN"
description = "China"
[[jurisdictions]]
id = "US"
description = "United States"
[[sectors]]
id = "critical-information-infrastructure"
description = "CII operator"
[[sectors]]
id = "federal-agency"
description = "US executive agency"
[[categories]]
id = "memory"
description = "Memory"
[[categories]]
id = "storage"
description = "Drives"
[[categories]]
id = "video-surveillance"
description = "Cameras and recorders"
[[uses]]
id = "public-safety"
description = "Public safety"
[[uses]]
id = "office"
description = "Office use"
"#;

const PROFILES: [(&str, &str); 2] = [
    (
        "profiles/cii.toml",
        "id = \"cii\"\ntitle = \"CII operator\"\njurisdictions = [\"CN\"]\nsectors = [\"critical-information-infrastructure\"]\n",
    ),
    (
        "profiles/agency.toml",
        "id = \"agency\"\ntitle = \"US agency\"\njurisdictions = [\"US\"]\nsectors = [\"federal-agency\"]\n",
    ),
];

/// An entity file; `relation` is a TOML inline table body or empty.
fn entity(id: &str, relation: &str) -> (String, String) {
    let mut text = format!(
        "id = \"{id}\"\nname = \"{id} Inc.\"\nnames = [\"{id}\"]\nsources = [\"https://example.org/{id}\"]\n"
    );
    if !relation.is_empty() {
        text.push_str(&format!(
            "\n[[relations]]\n{relation}\nsource = \"https://example.org/{id}/history\"\n"
        ));
    }
    (format!("entities/{id}.toml"), text)
}

/// The test families plus the given directive files.
pub fn kb_with(directives: &[(&str, &str)]) -> Kb {
    let mut files = vec![
        entity("acme", ""),
        entity(
            "acme-memory",
            "kind = \"acquired-by\"\nentity = \"acme\"\nfrom = \"2013-07-31\"",
        ),
        entity(
            "oldco",
            "kind = \"owned-by\"\nentity = \"acme\"\nfrom = \"2006\"\nuntil = \"2017\"",
        ),
        entity("vision", ""),
        entity("other", ""),
        ("vocabulary.toml".to_owned(), VOCABULARY.to_owned()),
    ];
    files.extend(
        PROFILES
            .iter()
            .map(|(r, t)| ((*r).to_owned(), (*t).to_owned())),
    );
    files.extend(
        directives
            .iter()
            .map(|(r, t)| ((*r).to_owned(), (*t).to_owned())),
    );
    let files = files
        .into_iter()
        .map(|(rel, text)| KbFile {
            display: format!("t/{rel}"),
            rel,
            text,
        })
        .collect();
    match Kb::load(files) {
        Ok(kb) => kb,
        Err(e) => panic!("test KB invalid: {e}"),
    }
}

/// A parsed date.
pub fn date(s: &str) -> Date {
    s.parse().expect("date")
}

/// A memory line of a PO (`Role::Order`) or an installed DIMM.
pub fn memory(role: Role, ordered: Option<&str>, acquired: Option<&str>) -> Component {
    let source = SourceLocation {
        path: "in.csv".into(),
        line: 2,
        locator: None,
    };
    let mut c = Component::new(ComponentKind::Memory, role, source);
    c.push("Part Number", "AC-4G-100", FieldRole::PartNumber);
    c.host = Some("db-01".into());
    c.ordered = ordered.map(date);
    c.acquired = acquired.map(date);
    c
}

/// An attribution with no evidence (the engine reads entity, category, confidence, conflicts).
pub fn attribution(entity: &str, confidence: Confidence) -> Attribution {
    Attribution {
        entity: EntityId::new(entity).expect("id"),
        brand: None,
        category: None,
        confidence,
        reason: "".into(),
        evidence: Vec::new(),
        conflicts: Vec::new(),
    }
}

/// The findings for one component under a profile on a date.
pub fn judge(
    kb: &Kb,
    profile: &str,
    as_of: &str,
    c: &Component,
    a: &Attribution,
    waivers: &[Waiver],
    ledger: &mut WaiverLedger,
) -> Vec<Finding> {
    judge_with_dies(kb, profile, as_of, c, a, None, waivers, ledger)
}

/// Like [`judge`], with the maker of the component's DRAM dies.
#[allow(clippy::too_many_arguments)]
pub fn judge_with_dies(
    kb: &Kb,
    profile: &str,
    as_of: &str,
    c: &Component,
    a: &Attribution,
    dies: Option<&str>,
    waivers: &[Waiver],
    ledger: &mut WaiverLedger,
) -> Vec<Finding> {
    let dies = dies.map(|d| EntityId::new(d).expect("id"));
    let profile = kb
        .profile(&ProfileId::new(profile).expect("id"))
        .expect("profile");
    let ctx = Context::new(kb, profile, date(as_of), None::<Action>, waivers);
    evaluate(&ctx, ComponentId::of(c), c, Some(a), dies.as_ref(), ledger)
}
