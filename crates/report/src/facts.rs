//! What several formats show about a component besides its identification:
//! its maker and product as printed, its supplier, purchase-order number,
//! unit price and the value at risk. These are read from the fields the
//! input printed, by their column names; nothing is inferred.

use supplyscreen_model::{Component, FieldRole, Finding, Verdict};
use supplyscreen_screen::Screened;

/// Column names of the supplier (who sells the item), normalised by [`norm`].
const SUPPLIER: &[&str] = &[
    "supplier",
    "suppliername",
    "vendor",
    "vendorname",
    "distributor",
    "reseller",
    "seller",
    "供应商",
    "供货商",
    "供应商名称",
    "经销商",
    "代理商",
    "供應商",
];

/// Column names of the purchase-order number.
const PO_NUMBER: &[&str] = &[
    "po",
    "ponumber",
    "pono",
    "purchaseorder",
    "purchaseordernumber",
    "purchaseorderno",
    "ordernumber",
    "orderno",
    "采购订单号",
    "采购单号",
    "订单号",
    "订单编号",
    "採購單號",
];

/// Column names of the unit price (a currency in brackets is allowed).
const UNIT_PRICE: &[&str] = &[
    "unitprice",
    "price",
    "unitcost",
    "priceeach",
    "单价",
    "含税单价",
    "未税单价",
    "單價",
];

/// A header without case, blanks and the punctuation spreadsheets vary.
fn norm(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && !"_-./:#".contains(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The header before a bracketed note (`Unit Price (CNY)`, `单价（元）`).
fn base(name: &str) -> &str {
    name.split(['(', '（', '[']).next().unwrap_or(name)
}

fn field_named<'a>(c: &'a Component, names: &[&str]) -> Option<&'a str> {
    c.fields
        .iter()
        .find(|f| !f.value.is_empty() && names.contains(&norm(base(&f.name)).as_str()))
        .map(|f| f.value.as_str())
}

fn with_role(c: &Component, role: FieldRole) -> Option<&str> {
    c.with_role(role)
        .find(|f| !f.value.is_empty())
        .map(|f| f.value.as_str())
}

/// The maker as printed (first non-empty maker field).
pub(crate) fn maker(c: &Component) -> Option<&str> {
    with_role(c, FieldRole::Maker)
}

/// The part number as printed.
pub(crate) fn part_number(c: &Component) -> Option<&str> {
    with_role(c, FieldRole::PartNumber)
}

/// The model or product name as printed.
pub(crate) fn model(c: &Component) -> Option<&str> {
    with_role(c, FieldRole::Model)
}

/// The description as printed.
pub(crate) fn description(c: &Component) -> Option<&str> {
    with_role(c, FieldRole::Description)
}

/// A short name for the component: its part number, model, description or kind.
pub(crate) fn product(c: &Component) -> String {
    part_number(c)
        .or_else(|| model(c))
        .or_else(|| description(c))
        .map_or_else(|| c.kind.to_string(), str::to_owned)
}

/// Who sells it: a Supplier (Vendor, Distributor, 供应商) column.
pub(crate) fn supplier(c: &Component) -> Option<&str> {
    field_named(c, SUPPLIER)
}

/// The purchase-order number.
pub(crate) fn po_number(c: &Component) -> Option<&str> {
    field_named(c, PO_NUMBER)
}

/// The unit price as printed, and the currency its column names in brackets.
pub(crate) fn unit_price(c: &Component) -> Option<(&str, Option<&str>)> {
    let f = c
        .fields
        .iter()
        .find(|f| !f.value.is_empty() && UNIT_PRICE.contains(&norm(base(&f.name)).as_str()))?;
    let currency = f
        .name
        .split_once(['(', '（'])
        .map(|(_, rest)| rest.trim_end_matches([')', '）']).trim())
        .filter(|cur| cur.len() == 3 && cur.bytes().all(|b| b.is_ascii_uppercase()));
    Some((f.value.as_str(), currency))
}

/// A non-negative decimal amount as `units / 10^scale`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Amount {
    units: u128,
    scale: u32,
}

impl Amount {
    /// Reads `1,150.00`, `¥449`, `CNY 12.5`: a currency sign or code around
    /// digits with optional thousands commas and decimals. Anything else
    /// (`1.150,00`, ranges, negative amounts) is not read.
    pub(crate) fn parse(s: &str) -> Option<Self> {
        let core = s
            .trim()
            .trim_start_matches(|c: char| !c.is_ascii_digit() && c != '-')
            .trim_end_matches(|c: char| !c.is_ascii_digit());
        let (int, frac) = core.split_once('.').unwrap_or((core, ""));
        let groups: Vec<&str> = int.split(',').collect();
        let grouped_ok = groups.len() == 1
            || (!groups[0].is_empty()
                && groups[0].len() <= 3
                && groups[1..].iter().all(|g| g.len() == 3));
        let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() || !grouped_ok || !groups.iter().all(|g| digits(g)) || !digits(frac) {
            return None;
        }
        if frac.len() > 6 || int.len() > 24 {
            return None;
        }
        let all: String = groups.concat() + frac;
        Some(Self {
            units: all.parse().ok()?,
            scale: u32::try_from(frac.len()).ok()?,
        })
    }

    /// The amount times a quantity.
    pub(crate) fn times(self, n: u32) -> Option<Self> {
        Some(Self {
            units: self.units.checked_mul(u128::from(n))?,
            scale: self.scale,
        })
    }
}

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let p = 10u128.pow(self.scale);
        let (int, frac) = (self.units / p, self.units % p);
        if self.scale == 0 {
            write!(f, "{int}")
        } else {
            write!(f, "{int}.{frac:0width$}", width = self.scale as usize)
        }
    }
}

/// Quantity times unit price, for a component whose verdict needs action
/// (violation, restricted or review) and whose input gives both.
pub(crate) fn value_at_risk(s: &Screened) -> Option<Amount> {
    if !matches!(
        s.verdict,
        Verdict::Violation | Verdict::Restricted | Verdict::Review
    ) {
        return None;
    }
    let (price, _) = unit_price(&s.component)?;
    Amount::parse(price)?.times(s.component.quantity?)
}

/// The findings that gave the component its verdict (none when clear).
pub(crate) fn deciding(s: &Screened) -> impl Iterator<Item = &Finding> {
    s.findings
        .iter()
        .filter(move |f| f.verdict == s.verdict && f.verdict > Verdict::Clear)
}

/// The findings worth listing: every one that is not clear.
pub(crate) fn listed(s: &Screened) -> impl Iterator<Item = &Finding> {
    s.findings.iter().filter(|f| f.verdict > Verdict::Clear)
}

#[cfg(test)]
mod tests {
    use super::*;
    use supplyscreen_model::{ComponentKind, Role, SourceLocation};

    #[test]
    fn amounts_are_read_only_when_unambiguous() {
        let show = |s: &str| Amount::parse(s).map(|a| a.to_string());
        assert_eq!(show("1,150.00").as_deref(), Some("1150.00"));
        assert_eq!(show("¥449").as_deref(), Some("449"));
        assert_eq!(show("CNY 12.5").as_deref(), Some("12.5"));
        assert_eq!(show("1.150,00"), None);
        assert_eq!(show("12,34"), None);
        assert_eq!(show("-5.00"), None);
        assert_eq!(show("n/a"), None);
        let a = Amount::parse("980.00").and_then(|a| a.times(64));
        assert_eq!(a.map(|a| a.to_string()).as_deref(), Some("62720.00"));
    }

    #[test]
    fn columns_are_found_by_their_names_in_english_and_chinese() {
        let src = SourceLocation {
            path: "po.csv".into(),
            line: 2,
            locator: None,
        };
        let mut c = Component::new(ComponentKind::OrderLine, Role::Order, src);
        c.push("PO Number", "PO-2024-0122", FieldRole::Other);
        c.push("Unit Price (CNY)", "980.00", FieldRole::Other);
        c.push("供应商", "华强电子", FieldRole::Other);
        assert_eq!(po_number(&c), Some("PO-2024-0122"));
        assert_eq!(unit_price(&c), Some(("980.00", Some("CNY"))));
        assert_eq!(supplier(&c), Some("华强电子"));
    }
}
