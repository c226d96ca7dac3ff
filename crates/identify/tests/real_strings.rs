//! Real maker strings and part numbers, as dmidecode, smartctl and purchase
//! orders print them, against the embedded knowledge base.

mod common;

use common::{dimm, entity, matcher};

use supplyscreen_model::{Component, ComponentKind, Confidence, FieldRole, Role, SourceLocation};

#[test]
fn micron_family_part_numbers_are_found() {
    let m = matcher();
    for (text, who) in [
        ("MTA18ASF2G72PZ-2G6E1", "micron"),
        ("MTA9ASF1G72PZ-2G9E1", "micron"),
        ("MT36KSF2G72PZ-1G6E1", "micron"),
        ("18ASF2G72PDZ-2G3D1", "micron"),
        ("16KTF51264HZ-1G6M1", "micron"),
        ("MTC20F2085S1RC48BA1", "micron"),
        ("MT40A1G8SA-075:E", "micron"),
        ("MT53E1G32D2NQ-046:B", "micron"),
        ("MTFDDAK480TDS-1AW1ZABYY", "micron"),
        ("Micron_5300_MTFDDAK480TDS", "micron"),
        ("CT16G4DFRA32A", "micron"),
        ("CT8G4SFS824A.C8FN", "micron"),
        ("CT102464BA160B.M16", "micron"),
        ("CT500MX500SSD1", "micron"),
        ("Crucial_CT250MX200SSD1", "micron"),
        ("CT2000P2SSD8", "micron"),
        ("BLS16G4D30AESB.M16FE", "micron"),
        ("BL8G32C16U4B.M8FE1", "micron"),
        ("BLT8G3D1608ET3LX0.", "micron"),
        ("EBJ41EF8BDWA-GN-F", "elpida"),
        ("EDFB232A1MA-JD-F", "elpida"),
        ("0x384A53463235363634485A2D314734443120", "micron"),
        ("0x45424A3430554738454655302D474E2D4620", "elpida"),
    ] {
        assert_eq!(entity(m, text).as_deref(), Some(who), "{text}");
    }
}

#[test]
fn micron_family_maker_strings_are_found() {
    let m = matcher();
    for (text, who) in [
        ("802C", "micron"),
        ("0x802C", "micron"),
        ("2C00000000000000", "micron"),
        ("JEDEC ID:80 2C", "micron"),
        ("802C0000802C", "micron"),
        ("Micron", "micron"),
        ("Micron Technology", "micron"),
        ("MICRON TECH.", "micron"),
        ("Micron Technolo", "micron"),
        ("Micron Semiconductor Malaysia Sdn. Bhd.", "micron"),
        ("美光", "micron"),
        ("美光科技有限公司", "micron"),
        ("美光科技(西安)有限公司", "micron"),
        ("CRUCIAL", "micron"),
        ("Crucial Technology", "micron"),
        ("859B", "micron"),
        ("Unknown - [0x9B85]", "micron"),
        ("Unknown ID:0x9B05", "micron"),
        ("7F7F7F7F7F9B0000", "micron"),
        ("Ballistix", "micron"),
        ("Elpida", "elpida"),
        ("7F7FFE0000000000", "elpida"),
        ("0x02FE", "elpida"),
        ("SpecTek", "spectek"),
        ("02B5", "spectek"),
    ] {
        assert_eq!(entity(m, text).as_deref(), Some(who), "{text}");
    }
}

#[test]
fn other_makers_and_near_namesakes_are_not_micron() {
    let m = matcher();
    for text in [
        "HMA82GR7AFR8N-VK",
        "HMA81GS6CJR8N-VK",
        "H9CCNNNCLTMLAR-NUD",
        "M393A2K43BB1-CTD",
        "M471A5244BB0-CPB",
        "M378A1K43CB2-CTD",
        "KVR24N17S8/8",
        "KHX2666C16/8G",
        "9905702-017.A00G",
        "NT8GA72D89FX3R-JR",
        "CMK16GX4M2B3200C16",
        "F4-3200C16-8GVKB",
        "AD4U26668G19-SGN",
        "TLZGD416G3200HC16CDC01",
        "HKED4081CAB1S2ZA1/8G",
        "RMSA3260ME78HAF-2666",
        "HT Micron",
        "HT Micron Semicondutores",
        "Hana Micron",
        "Micronics",
        "Micronet",
        "Micro-Star International Co., Ltd.",
        "MSI",
        "Microchip Technology",
        "Microsoft Corporation",
        "Micron Electronics",
        "Micro Center",
        "JMicron Technology Corp.",
        "Super Micro Computer",
        "Sun Microsystems",
        "Omicron",
        "0B2C",
        "0x0B2C",
        "1315",
        "Unknown",
        "Undefined",
        "Not Specified",
        "<BAD INDEX>",
        "Manufacturer01",
        "0000",
        "FFFF",
        "完美光学",
        "华美光电",
    ] {
        let got = entity(m, text);
        assert!(
            got.as_deref() != Some("micron"),
            "{text} attributed to {got:?}"
        );
        assert!(
            !matches!(got.as_deref(), Some("elpida" | "spectek")),
            "{text} attributed to {got:?}"
        );
    }
    assert_eq!(
        entity(m, "Micron Electronics").as_deref(),
        Some("micron-electronics")
    );
    assert_eq!(entity(m, "80CE000080CE").as_deref(), Some("samsung"));
    assert_eq!(entity(m, "80AD000080AD").as_deref(), Some("sk-hynix"));
    assert_eq!(entity(m, "Kingston").as_deref(), Some("kingston"));
    assert_eq!(entity(m, "CXMT").as_deref(), Some("cxmt"));
    assert_eq!(entity(m, "长鑫存储技术有限公司").as_deref(), Some("cxmt"));
}

#[test]
fn agreement_raises_confidence_and_conflicts_are_reported() {
    let m = matcher();
    let a = m
        .identify(&dimm("802C", "MTA18ASF2G72PZ-2G6E1"))
        .attribution
        .expect("attributed");
    assert_eq!(
        (a.entity.as_str(), a.confidence),
        ("micron", Confidence::High)
    );
    assert_eq!(a.evidence.len(), 2);
    assert!(
        a.evidence
            .iter()
            .all(|e| &*e.kb.file == "data/entities/micron.toml")
    );

    let a = m
        .identify(&dimm("Unknown", "18ASF2G72PDZ-2G3D1"))
        .attribution
        .expect("attributed");
    assert_eq!(
        (a.entity.as_str(), a.confidence),
        ("micron", Confidence::Medium)
    );

    // A BIOS printing Samsung's code for a Crucial module: the part number
    // decides; Samsung, a DRAM maker, is recorded as what the field says
    // about the dies, not as a conflict.
    let id = m.identify(&dimm("80CE", "CT16G4SFD8213.C16FER"));
    let a = id.attribution.expect("attributed");
    assert_eq!(
        (a.entity.as_str(), a.confidence),
        ("micron", Confidence::Medium)
    );
    assert!(a.conflicts.is_empty());
    let dies = id.dies.expect("die maker as the field says");
    assert_eq!(
        (dies.entity.as_str(), dies.basis),
        ("samsung", supplyscreen_identify::DieBasis::MakerField)
    );

    // A maker that makes no DRAM against a part number stays a conflict.
    let a = m
        .identify(&dimm("Kingston", "CT16G4SFD8213.C16FER"))
        .attribution
        .expect("attributed");
    assert_eq!(
        (a.entity.as_str(), a.confidence),
        ("micron", Confidence::Low)
    );
    assert_eq!(a.conflicts[0].entity.as_str(), "kingston");

    // Kingston module with Micron DRAM dies: Kingston, with the die maker noted.
    let id = m.identify(&dimm("01980000802C", "9905702-017.A00G"));
    assert_eq!(
        id.attribution.map(|a| a.entity.to_string()).as_deref(),
        Some("kingston")
    );
    assert!(
        id.notes
            .iter()
            .any(|n| n.contains("DRAM-die maker Micron Technology")),
        "{:?}",
        id.notes
    );
}

#[test]
fn crucial_as_an_adjective_in_free_text_is_not_a_brand() {
    let m = matcher();
    let source = SourceLocation {
        path: "po.csv".into(),
        line: 2,
        locator: None,
    };
    let mut c = Component::new(ComponentKind::OrderLine, Role::Order, source);
    c.push(
        "Description",
        "crucial spare part for the storage array",
        FieldRole::Description,
    );
    assert!(m.identify(&c).attribution.is_none());
    c.push(
        "Description",
        "Crucial 16GB DDR4-3200 UDIMM",
        FieldRole::Description,
    );
    let a = m.identify(&c).attribution.expect("brand in free text");
    assert_eq!(
        (a.entity.as_str(), a.confidence, a.brand.as_deref()),
        ("micron", Confidence::Low, Some("Crucial"))
    );
}

fn with_vendor(role: FieldRole, id: &str) -> Component {
    let source = SourceLocation {
        path: "inv.jsonl".into(),
        line: 1,
        locator: None,
    };
    let mut c = Component::new(ComponentKind::Pci, Role::Installed, source);
    c.push("vendor", id, role);
    c
}

#[test]
fn vendor_ids_attribute_only_to_their_owner() {
    let m = matcher();
    let who = |role, id| {
        m.identify(&with_vendor(role, id))
            .attribution
            .map(|a| a.entity.to_string())
    };
    assert_eq!(who(FieldRole::PciVendor, "1344").as_deref(), Some("micron"));
    assert_eq!(who(FieldRole::PciVendor, "c0a9").as_deref(), Some("micron"));
    assert_eq!(who(FieldRole::UsbVendor, "0634").as_deref(), Some("micron"));
    assert_eq!(who(FieldRole::PciVendor, "1e49").as_deref(), Some("ymtc"));
    // Legacy PCI 1042 ("Micron", PC Tech RZ1000) is not Micron Technology's.
    assert_eq!(who(FieldRole::PciVendor, "1042"), None);
    // USB 0496 is Micron Electronics, another company; 05dc is Lexar.
    assert_eq!(
        who(FieldRole::UsbVendor, "0496").as_deref(),
        Some("micron-electronics")
    );
    assert_eq!(who(FieldRole::UsbVendor, "05dc").as_deref(), Some("lexar"));
}

#[test]
fn legal_forms_in_several_languages_do_not_block_a_name() {
    let m = matcher();
    for (text, who) in [
        ("Micron Semiconductor (Deutschland) GmbH", "micron"),
        ("Micron Technology, Inc.", "micron"),
        ("MICRON TECHNOLOGY INC", "micron"),
        ("Micron Memory Japan, K.K.", "elpida"),
        ("Elpida Memory, Inc.", "elpida"),
        ("美光科技股份有限公司", "micron"),
        ("美光半导体", "micron"),
        ("鎂光", "micron"),
        ("Yangtze Memory Technologies Co., Ltd.", "ymtc"),
        ("ZhiTai", "ymtc"),
        ("SK hynix Inc.", "sk-hynix"),
    ] {
        assert_eq!(entity(m, text).as_deref(), Some(who), "{text}");
    }
    // Generic words alone never match.
    for text in [
        "Technology",
        "Memory Technologies Co., Ltd.",
        "科技有限公司",
        "Semiconductor",
    ] {
        assert_eq!(entity(m, text), None, "{text}");
    }
}
