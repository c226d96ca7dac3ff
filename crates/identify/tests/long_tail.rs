//! The long tail of firmware strings: padded JEP106 lists, Micron numbers
//! without their prefix, legacy Crucial numbering, and other makers' part
//! numbers beside a maker field that names a DRAM maker (the part number
//! decides; the DRAM-die maker is recorded apart, in `Identification::dies`).

mod common;

use common::matcher;

use supplyscreen_identify::{DieBasis, Identification, Matcher};
use supplyscreen_model::Confidence;

fn dimm(m: &Matcher, manufacturer: &str, part: &str) -> Identification {
    m.identify(&common::dimm(manufacturer, part))
}

fn entity(id: &Identification) -> Option<&str> {
    id.attribution.as_ref().map(|a| a.entity.as_str())
}

#[test]
fn ff_padded_and_swapped_jedec_forms_attribute() {
    let m = matcher();
    for (mfr, who) in [
        ("7F7F7F7F7F9BFFFF", "micron"),
        ("7F7FB5FFFFFFFFFF", "spectek"),
        ("JEDEC ID:7F 7F 7F 7F 7F 9B FF FF", "micron"),
        ("7F7FFEFF", "elpida"),
        ("98012C80", "kingston"),
        ("AD80AD80", "sk-hynix"),
    ] {
        assert_eq!(entity(&dimm(m, mfr, "")), Some(who), "{mfr}");
    }
}

#[test]
fn micron_numbers_as_firmware_prints_them() {
    let m = matcher();
    for (mfr, part, who) in [
        ("Micron Technology", "53E1G32D4NQ-046", "micron"),
        ("Unknown", "ATF2G64AZ-3G2F1", "micron"),
        ("Unknown", "MT8VDDT3264AG-40B", "micron"),
        ("Unknown", "18VDDF12872DG-40B", "micron"),
        ("Unknown", "0x3136564444543634363441472D333335", "micron"),
        ("1315", "CB8GS2666.C8ET", "micron"),
        ("Undefined", "CT2KIT51264BF160B", "micron"),
        ("859B", "ST51264BA1339.16FM", "micron"),
        ("859B", "RM102464BA1339.16F", "micron"),
        ("859B", "BL25664TB1608.16FF", "micron"),
        ("Unknown", "4GB DDR3 MICRON", "micron"),
        ("Undefined", "Crucial", "micron"),
    ] {
        assert_eq!(entity(&dimm(m, mfr, part)), Some(who), "{mfr} {part}");
    }
    // Ramaxel's own numbering is not Crucial's RM legacy numbering.
    assert_eq!(
        entity(&dimm(m, "Unknown", "RMT3170ME68F9F1600")),
        Some("ramaxel")
    );
}

#[test]
fn a_dram_makers_name_beside_another_module_number_names_the_dies() {
    let m = matcher();
    for (mfr, part, who) in [
        ("Micron", "9905702-017.A00G", "kingston"),
        ("Micron Technology", "99U5584-005.A00LF", "kingston"),
        ("Micron", "RMSA3260ME78HAF-2666", "ramaxel"),
        ("Elpida", "TEAMGROUP-UD4-3600", "team-group"),
        ("802C", "M471A5244CB0-CRC", "samsung"),
        ("Micron", "M395T5663QZ4-CE66", "samsung"),
        ("Elpida", "HYMP125S64CP8-S6", "sk-hynix"),
        ("Micron", "HMP125S6EFR8C-S6", "sk-hynix"),
    ] {
        let id = dimm(m, mfr, part);
        let a = id.attribution.as_ref().expect("attributed");
        assert_eq!(a.entity.as_str(), who, "{mfr} {part}");
        assert!(a.conflicts.is_empty(), "{mfr} {part}: {:?}", a.conflicts);
        assert_eq!(a.confidence, Confidence::Medium, "{mfr} {part}");
        let dies = id.dies.as_ref().expect("die maker recorded");
        assert_eq!(dies.basis, DieBasis::MakerField, "{mfr} {part}");
        assert!(["micron", "elpida"].contains(&dies.entity.as_str()));
        assert!(id.notes.iter().any(|n| n.contains("part number decides")));
    }
}

#[test]
fn a_dram_component_number_beside_another_dram_maker_is_a_table_error() {
    let m = matcher();
    for (mfr, part, who) in [
        ("Micron", "H9CCNNNCLTMLAR-NUD", "sk-hynix"),
        ("Micron", "K4A8G165WC-BCWE", "samsung"),
        ("Micron", "H5ANAG6NCMR-XNC", "sk-hynix"),
        ("Samsung", "53E1G32D4NQ-046WTE", "micron"),
    ] {
        let id = dimm(m, mfr, part);
        assert_eq!(entity(&id), Some(who), "{mfr} {part}");
        assert_eq!(id.dies, None, "{mfr} {part}: the part number is the die");
        assert!(id.notes.iter().any(|n| n.contains("wrong firmware table")));
    }
}

#[test]
fn a_jedec_die_code_is_recorded_apart_from_the_module_maker() {
    let m = matcher();
    let id = dimm(m, "01980000802C", "");
    assert_eq!(entity(&id), Some("kingston"));
    let dies = id.dies.expect("die maker");
    assert_eq!(
        (dies.entity.as_str(), dies.basis),
        ("micron", DieBasis::JedecDieCode)
    );
    // A module maker outside the knowledge base still has its dies named.
    let id = dimm(m, "029E0000802C", "CMK16GX4M2B3200C16");
    assert_eq!(
        id.dies.map(|d| d.entity.to_string()).as_deref(),
        Some("micron")
    );
    // A maker that makes no DRAM stays a conflict: a person decides.
    let id = dimm(m, "Kingston", "M471A5244CB0-CRC");
    let a = id.attribution.expect("attributed");
    assert_eq!(a.entity.as_str(), "samsung");
    assert_eq!(a.confidence, Confidence::Low);
    assert_eq!(id.dies, None);
}
