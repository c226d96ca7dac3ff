//! What the identification tests share: the embedded KB's matcher (built once
//! per test binary) and components as the readers build them.
#![allow(dead_code)]

use std::sync::OnceLock;

use supplyscreen_identify::Matcher;
use supplyscreen_kb::Kb;
use supplyscreen_model::{Component, ComponentKind, Confidence, FieldRole, Role, SourceLocation};

/// The matcher of the embedded KB.
pub fn matcher() -> &'static Matcher {
    static M: OnceLock<Matcher> = OnceLock::new();
    M.get_or_init(|| Matcher::new(&Kb::embedded().expect("embedded KB is valid")))
}

/// The entity a free text is attributed to.
pub fn entity(m: &Matcher, text: &str) -> Option<String> {
    m.identify_text(text)
        .attribution
        .map(|a| a.entity.to_string())
}

/// (entity, confidence) of a free text's attribution.
pub fn who(m: &Matcher, text: &str) -> Option<(String, Confidence)> {
    m.identify_text(text)
        .attribution
        .map(|a| (a.entity.to_string(), a.confidence))
}

/// A component of `kind` read from line 1 of `path`, with one field.
pub fn component(kind: ComponentKind, path: &str, field: (&str, &str, FieldRole)) -> Component {
    let source = SourceLocation {
        path: path.into(),
        line: 1,
        locator: None,
    };
    let mut c = Component::new(kind, Role::Installed, source);
    c.push(field.0, field.1, field.2);
    c
}

/// A memory module as dmidecode prints it: a maker field and a part number.
pub fn dimm(manufacturer: &str, part: &str) -> Component {
    let mut c = component(
        ComponentKind::Memory,
        "h.dmi",
        ("Manufacturer", manufacturer, FieldRole::Maker),
    );
    c.push("Part Number", part, FieldRole::PartNumber);
    c
}
