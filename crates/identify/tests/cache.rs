//! The identification cache answers exactly what identifying again would.

mod common;

use common::{dimm, matcher};
use supplyscreen_identify::IdentifyCache;
use supplyscreen_model::{Component, FieldRole};

/// Memory modules as dmidecode prints them: known makers by name and by
/// JEDEC code, a DRAM-die code, a maker the KB does not know, and empty slots.
fn modules() -> Vec<Component> {
    let rows = [
        ("Micron", "MTA18ASF4G72PDZ-3G2R1"),
        ("802C0000802C", "MTA36ASF8G72PZ-2G9E1"),
        ("Samsung", "M393A4K40DB3-CWE"),
        ("80CE000080CE", "M393A2K43BB1-CTD"),
        ("Hynix Semiconductor", "HMA84GR7CJR4N-XN"),
        ("Kingston", "9965745-002.A00G"),
        ("Unknown", "CT16G4DFRA32A"),
        ("Not Specified", "Not Specified"),
        ("Smart Modular", "SH4097RV310493SDV"),
        ("", ""),
    ];
    let mut out = Vec::new();
    for (i, (maker, part)) in rows.iter().enumerate() {
        for serial in ["0A1B2C3D", "FFEE0011"] {
            let mut c = dimm(maker, part);
            c.push("Serial Number", serial, FieldRole::Other);
            c.push("Locator", &format!("DIMM_A{i}"), FieldRole::Other);
            out.push(c);
        }
    }
    out
}

#[test]
fn cached_identifications_equal_fresh_ones() {
    let m = matcher();
    let mut cache = IdentifyCache::default();
    for round in 0..2 {
        for c in modules() {
            let fresh = m.identify(&c);
            assert_eq!(
                m.identify_cached(&c, &mut cache),
                fresh,
                "round {round}: {c:?}"
            );
        }
    }
    // Each module is seen four times: identified once, then reused three
    // times (serials and locators are not what identifies it).
    assert_eq!(cache.hits(), 30);
}

#[test]
fn a_different_identifying_field_is_identified_anew() {
    let m = matcher();
    let mut cache = IdentifyCache::default();
    let micron = dimm("Micron", "MTA18ASF4G72PDZ-3G2R1");
    let samsung = dimm("Samsung", "MTA18ASF4G72PDZ-3G2R1");
    let who = |c: &Component, cache: &mut IdentifyCache| {
        m.identify_cached(c, cache)
            .attribution
            .map(|a| a.entity.to_string())
    };
    assert_eq!(who(&micron, &mut cache).as_deref(), Some("micron"));
    let other = who(&samsung, &mut cache);
    assert_eq!(
        other,
        m.identify(&samsung)
            .attribution
            .map(|a| a.entity.to_string())
    );
    assert_eq!(cache.hits(), 0);
}
