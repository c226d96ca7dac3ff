//! Coverage over an unlabelled table of memory Manufacturer/Part Number
//! pairs with counts (the linux-hardware.org DMI summary): the share of
//! modules, weighted by count, attributed to some maker, left unknown, or
//! attributed against what the part number's prefix says.
//!
//! "Against the part number" uses a short table of prefixes that each name
//! one maker ([`PREFIXES`]), kept apart from the knowledge base so that the
//! check does not grade the matcher with its own rules.

use supplyscreen_identify::Matcher;
use supplyscreen_model::{Component, ComponentKind, FieldRole, Role, SourceLocation};

use crate::MICRON_FAMILY;

/// One row of the pairs table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// How many modules reported this pair.
    pub count: u64,
    /// The Manufacturer field as printed.
    pub manufacturer: String,
    /// The Part Number field as printed.
    pub part_number: String,
}

/// Reads the tab-separated table (`count`, `Manufacturer`, `Part Number`,
/// then any columns); the header and malformed rows are skipped.
pub fn parse_pairs(text: &str) -> Vec<Pair> {
    text.lines()
        .filter_map(|l| {
            let mut cols = l.split('\t');
            let count = cols.next()?.trim().parse().ok()?;
            Some(Pair {
                count,
                manufacturer: cols.next()?.trim().to_owned(),
                part_number: cols.next()?.trim().to_owned(),
            })
        })
        .collect()
}

/// Part-number prefixes that name one maker, longest first where they
/// overlap; `micron` stands for the Micron family.
pub const PREFIXES: [(&str, &str); 24] = [
    ("M471", "samsung"),
    ("M474", "samsung"),
    ("M378", "samsung"),
    ("M391", "samsung"),
    ("M393", "samsung"),
    ("M425", "samsung"),
    ("M321", "samsung"),
    ("K4", "samsung"),
    ("HMA", "sk-hynix"),
    ("HMT", "sk-hynix"),
    ("HMCG", "sk-hynix"),
    ("H9", "sk-hynix"),
    ("H5", "sk-hynix"),
    ("KVR", "kingston"),
    ("KHX", "kingston"),
    ("9905", "kingston"),
    ("99U5", "kingston"),
    ("99P5", "kingston"),
    ("RMSA", "ramaxel"),
    ("RMT3", "ramaxel"),
    ("TEAMGROUP", "team-group"),
    ("MTA", "micron"),
    ("MT4", "micron"),
    ("MT5", "micron"),
];

/// The maker a part number's prefix names, if any.
pub fn prefix_maker(part: &str) -> Option<&'static str> {
    let part = part.trim().to_ascii_uppercase();
    PREFIXES
        .iter()
        .find(|(p, _)| part.starts_with(p))
        .map(|(_, m)| *m)
}

/// The coverage figures, in modules (rows weighted by count).
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    /// Modules in the table.
    pub total: u64,
    /// Modules attributed to some entity.
    pub attributed: u64,
    /// Modules attributed to the Micron family.
    pub micron: u64,
    /// Modules whose identification names Micron-family DRAM dies.
    pub micron_dies: u64,
    /// Modules attributed to another maker than their prefix names.
    pub against: u64,
    /// Modules attributed to the Micron family although their maker field
    /// alone names another company.
    pub micron_over_maker: u64,
    /// Those pairs, heaviest first, with the maker field's entity.
    pub micron_over_maker_pairs: Vec<(Pair, String)>,
    /// The pairs left unknown, heaviest first.
    pub unknown: Vec<Pair>,
    /// The pairs attributed against their prefix, heaviest first, with the
    /// prefix's maker and the attributed entity.
    pub against_pairs: Vec<(Pair, &'static str, String)>,
}

impl Coverage {
    /// A count as a percentage of all modules.
    pub fn share(&self, n: u64) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            100.0 * n as f64 / self.total as f64
        }
    }

    /// Modules left unknown.
    pub fn unknown_modules(&self) -> u64 {
        self.total - self.attributed
    }
}

fn maker_only(p: &Pair) -> Component {
    let source = SourceLocation {
        path: "pairs".into(),
        line: 1,
        locator: None,
    };
    let mut c = Component::new(ComponentKind::Memory, Role::Installed, source);
    c.push("Manufacturer", &p.manufacturer, FieldRole::Maker);
    c
}

fn component(p: &Pair) -> Component {
    let source = SourceLocation {
        path: "pairs".into(),
        line: 1,
        locator: None,
    };
    let mut c = Component::new(ComponentKind::Memory, Role::Installed, source);
    c.push("Manufacturer", &p.manufacturer, FieldRole::Maker);
    c.push("Part Number", &p.part_number, FieldRole::PartNumber);
    c
}

fn in_family(prefix: &str, entity: &str) -> bool {
    prefix == entity || (prefix == "micron" && MICRON_FAMILY.contains(&entity))
}

/// Identifies every pair and counts.
pub fn measure(m: &Matcher, pairs: &[Pair]) -> Coverage {
    let mut cov = Coverage::default();
    let mut unknown: Vec<usize> = Vec::new();
    for (i, p) in pairs.iter().enumerate() {
        cov.total += p.count;
        let id = m.identify(&component(p));
        if id
            .dies
            .as_ref()
            .is_some_and(|d| MICRON_FAMILY.contains(&d.entity.as_str()))
        {
            cov.micron_dies += p.count;
        }
        let Some(a) = id.attribution else {
            unknown.push(i);
            continue;
        };
        cov.attributed += p.count;
        let entity = a.entity.as_str();
        if MICRON_FAMILY.contains(&entity) {
            cov.micron += p.count;
            let by_maker = m.identify(&maker_only(p)).attribution;
            if let Some(other) = by_maker
                .map(|a| a.entity.to_string())
                .filter(|e| !MICRON_FAMILY.contains(&e.as_str()))
            {
                cov.micron_over_maker += p.count;
                cov.micron_over_maker_pairs.push((p.clone(), other));
            }
        }
        if let Some(maker) = prefix_maker(&p.part_number).filter(|mk| !in_family(mk, entity)) {
            cov.against += p.count;
            cov.against_pairs
                .push((p.clone(), maker, entity.to_owned()));
        }
    }
    let mut idx = unknown;
    idx.sort_by_key(|&i| (std::cmp::Reverse(pairs[i].count), i));
    cov.unknown = idx.into_iter().map(|i| pairs[i].clone()).collect();
    cov.against_pairs
        .sort_by_key(|(p, _, _)| std::cmp::Reverse(p.count));
    cov.micron_over_maker_pairs
        .sort_by_key(|(p, _)| std::cmp::Reverse(p.count));
    cov
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_parse_and_prefixes_name_makers() {
        let t =
            "count\tManufacturer\tPart Number\tType\n953\tSamsung\tM471A5244CB0-CRC\tDDR4\nx\ty\n";
        let p = parse_pairs(t);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].count, 953);
        assert_eq!(prefix_maker(&p[0].part_number), Some("samsung"));
        assert_eq!(prefix_maker("99U5702-101.A00G"), Some("kingston"));
        assert_eq!(prefix_maker("CT16G4DFRA32A"), None);
    }
}
