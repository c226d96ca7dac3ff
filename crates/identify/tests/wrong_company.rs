//! Names and codes that belong to other companies: weak names (common words,
//! other firms' names), JEDEC codes of former units, look-alikes and part
//! numbers of other makers, against the embedded knowledge base.

mod common;

use common::{matcher, who};

use supplyscreen_model::Confidence;

#[test]
fn weak_names_inside_other_companies_names_do_not_match() {
    let m = matcher();
    for text in [
        "Sierra Nevada Brewing Co.",
        "Cubic Sensor and Instrument Co., Ltd.",
        "Honor Guard Security Inc",
        "VSE Logistics Partners",
    ] {
        assert_eq!(who(m, text), None, "{text}");
    }
}

#[test]
fn a_bare_weak_name_is_low_confidence_and_the_legal_name_high() {
    let m = matcher();
    for (text, entity) in [
        ("Cubic", "cubic-corporation"),
        ("Sierra Nevada", "sierra-nevada-corporation"),
        ("TCOM", "tcom-lp"),
        ("VSE", "vse"),
        ("Group W", "group-w"),
        ("Honor", "honor"),
    ] {
        assert_eq!(
            who(m, text),
            Some((entity.to_owned(), Confidence::Low)),
            "{text}"
        );
    }
    for (text, entity) in [
        ("Cubic Corporation", "cubic-corporation"),
        ("Sierra Nevada Corp.", "sierra-nevada-corporation"),
        ("TCOM, Limited Partnership", "tcom-lp"),
        // Initials with dots read as the legal form without them.
        ("TCOM, L.P.", "tcom-lp"),
        ("TCOM L.P.", "tcom-lp"),
        ("VSE Corporation", "vse"),
    ] {
        assert_eq!(
            who(m, text),
            Some((entity.to_owned(), Confidence::High)),
            "{text}"
        );
    }
    // A longer, distinctive name is not weak.
    assert_eq!(
        who(m, "Cubic Global Defense"),
        Some(("cubic-global-defense".to_owned(), Confidence::High))
    );
}

#[test]
fn micron_cms_code_and_look_alikes_are_not_micron_technology() {
    let m = matcher();
    let entity = |t: &str| who(m, t).map(|(e, _)| e);
    assert_eq!(entity("Bank 2, Hex 0x45").as_deref(), Some("mcms"));
    assert_eq!(entity("Micron CMS").as_deref(), Some("mcms"));
    assert_eq!(entity("Bright Micron Technology"), None);
    assert_eq!(
        entity("Micron Electronics").as_deref(),
        Some("micron-electronics")
    );
    assert_eq!(entity("Bank 1, Hex 0x2C").as_deref(), Some("micron"));
}

#[test]
fn hittite_rf_parts_are_not_sk_hynix_modules() {
    let m = matcher();
    assert_eq!(who(m, "HMC1099LP5DE"), None);
    assert_eq!(who(m, "HMC7044LP10BE"), None);
    for part in ["HMA81GU6DJR8N-VK", "HMCA2GR8AJR8C"] {
        assert_eq!(
            who(m, part).map(|(e, _)| e).as_deref(),
            Some("sk-hynix"),
            "{part}"
        );
    }
}
