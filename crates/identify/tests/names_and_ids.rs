//! Chinese names, full legal names and registry identifiers (IEEE OUI, USB,
//! JEDEC) of covered makers, against the embedded knowledge base.

mod common;

use common::{component, entity, matcher};

use supplyscreen_identify::Matcher;
use supplyscreen_model::{ComponentKind, FieldRole};

#[test]
fn chinese_names_and_legal_names() {
    let m = matcher();
    for (text, who) in [
        ("英睿达", "micron"),
        ("英睿達 DDR4 内存", "micron"),
        ("尔必达", "elpida"),
        ("雷克沙", "lexar"),
        ("事必达", "spectek"),
        ("长江存储", "ymtc"),
        ("长江存储科技有限责任公司", "ymtc"),
        ("江波龙", "longsys"),
        ("深圳市江波龙电子股份有限公司", "longsys"),
        ("大疆", "dji"),
        ("深圳市大疆创新科技有限公司", "dji"),
        ("杭州海康威视数字技术股份有限公司", "hikvision"),
        ("浙江大华技术股份有限公司", "dahua"),
        ("海能达通信股份有限公司", "hytera"),
        ("Honor Device Co., Ltd.", "honor"),
    ] {
        assert_eq!(entity(m, text).as_deref(), Some(who), "{text}");
    }
}

/// The entity a component with one identifier field is attributed to.
fn by_field(m: &Matcher, role: FieldRole, name: &str, value: &str) -> Option<String> {
    let c = component(ComponentKind::Other, "h.json", (name, value, role));
    m.identify(&c).attribution.map(|a| a.entity.to_string())
}

#[test]
fn registry_identifiers_of_covered_makers() {
    let m = matcher();
    for (oui, who) in [
        ("001882", "huawei"),
        ("0015EB", "zte"),
        ("4447CC", "hikvision"),
        ("08EDED", "dahua"),
        ("6469BC", "hytera"),
        ("481CB9", "dji"),
        ("A428B7", "ymtc"),
        ("001F54", "lorex"),
        ("64F2FB", "ezviz"),
    ] {
        assert_eq!(
            by_field(m, FieldRole::Oui, "wwn", oui).as_deref(),
            Some(who),
            "OUI {oui}"
        );
    }
    assert_eq!(
        by_field(m, FieldRole::UsbVendor, "vid", "2ca3").as_deref(),
        Some("dji")
    );
    for (text, who) in [
        ("Bank 12, Hex 0x77", "dahua-memory"),
        ("Bank 2, Hex 0x45", "mcms"),
    ] {
        assert_eq!(entity(m, text).as_deref(), Some(who), "{text}");
    }
}
