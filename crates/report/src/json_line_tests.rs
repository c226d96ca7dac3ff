use proptest::prelude::*;
use supplyscreen_model::{
    Component, ComponentId, ComponentKind, Date, Field, FieldRole, Role, SourceLocation, Verdict,
};
use supplyscreen_screen::{Identification, Screened};

use serde::Serialize;
use supplyscreen_model::Attribution;

use super::{Layout, write_component, write_component_line};

/// A component as the JSON reports write it: its id and verdict, the
/// component's own entries, its attribution and notes. In JSON Lines the
/// line's `type` comes first. The reports write it directly
/// (`json_line.rs`); this serde form is what these tests hold that to.
struct ComponentOut<'a> {
    line_type: Option<&'static str>,
    id: ComponentId,
    verdict: Verdict,
    component: &'a Component,
    attribution: Option<&'a Attribution>,
    notes: &'a [String],
}

impl Serialize for ComponentOut<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        if let Some(t) = self.line_type {
            m.serialize_entry("type", t)?;
        }
        m.serialize_entry("id", &self.id)?;
        m.serialize_entry("verdict", &self.verdict)?;
        self.component.serialize_entries(&mut m)?;
        m.serialize_entry("attribution", &self.attribution)?;
        if !self.notes.is_empty() {
            m.serialize_entry("notes", self.notes)?;
        }
        m.end()
    }
}

/// A component as the JSON report writes it.
fn component_out(s: &Screened) -> ComponentOut<'_> {
    ComponentOut {
        line_type: None,
        id: s.id,
        verdict: s.verdict,
        component: &s.component,
        attribution: s.identification.attribution.as_ref(),
        notes: &s.identification.notes,
    }
}

/// A component as its JSON Lines line: `component_out` with `"type":
/// "component"` first (the reference the direct writer is tested against).
fn component_line(s: &Screened) -> ComponentOut<'_> {
    ComponentOut {
        line_type: Some("component"),
        ..component_out(s)
    }
}

/// Text with what JSON escapes (quotes, backslashes, every C0 control), DEL,
/// and characters beyond ASCII, in runs long and short.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => "[A-Za-z0-9 ._:/-]{0,20}",
            1 => prop::sample::select(vec![
                "\"", "\\", "\u{0}", "\u{8}", "\t", "\n", "\u{c}", "\r", "\u{1f}", "\u{7f}",
                "é", "中文", "🙂", "\u{2028}",
            ])
            .prop_map(str::to_owned),
        ],
        0..6,
    )
    .prop_map(|parts| parts.concat())
}

fn date() -> impl Strategy<Value = Option<Date>> {
    prop::option::of((2000i16..2030, 1i8..=12, 1i8..=28))
        .prop_map(|d| d.and_then(|(y, m, day)| Date::new(y, m, day).ok()))
}

prop_compose! {
    fn component()(
        path in text(), line in 0u64..100_000, locator in prop::option::of(text()),
        fields in prop::collection::vec((text(), text()), 0..8),
        host in prop::option::of(text()), acquired in date(), ordered in date(),
        quantity in prop::option::of(0u32..5000), category in prop::option::of(text()),
        usage in prop::option::of(text()), ambiguous_date in prop::option::of(text()),
    ) -> Component {
        // Every field named: a field added to `Component` fails to compile
        // here until this test (and the writer) know it.
        Component {
            kind: ComponentKind::Memory,
            role: Role::Installed,
            source: SourceLocation { path, line, locator },
            fields: fields
                .into_iter()
                .map(|(name, value)| Field { name, value, role: FieldRole::Other })
                .collect(),
            host,
            acquired,
            ordered,
            quantity,
            category,
            usage,
            ambiguous_date,
        }
    }
}

fn screened(component: Component, notes: Vec<String>) -> Screened {
    Screened {
        id: ComponentId::of(&component),
        component,
        identification: Identification {
            notes,
            ..Identification::default()
        },
        supplier: None,
        findings: Vec::new(),
        verdict: Verdict::Clear,
    }
}

proptest! {
    #[test]
    fn the_direct_line_is_what_serde_writes(
        c in component(),
        notes in prop::collection::vec(text(), 0..3),
    ) {
        let s = screened(c, notes);
        let mut fast = Vec::new();
        write_component_line(&s, &mut fast);
        let reference = serde_json::to_vec(&component_line(&s)).expect("plain data");
        prop_assert_eq!(String::from_utf8_lossy(&fast), String::from_utf8_lossy(&reference));
    }

    #[test]
    fn the_direct_element_is_what_serde_writes_indented(
        c in component(),
        notes in prop::collection::vec(text(), 0..3),
    ) {
        let s = screened(c, notes);
        let mut fast = Vec::new();
        write_component(&s, Layout::Nested("    "), &mut fast);
        let reference = crate::spool::pretty(&component_out(&s), "    ")
            .expect("plain data");
        prop_assert_eq!(String::from_utf8_lossy(&fast), String::from_utf8_lossy(&reference));
    }
}

#[test]
fn every_control_character_is_escaped_as_serde_escapes_it() {
    let all: String = (0u8..0x80).map(char::from).collect();
    let mut fast = Vec::new();
    super::string(&mut fast, &all);
    assert_eq!(fast, serde_json::to_vec(&all).expect("a string"));
}
