//! What the user tells the readers that the content cannot: which column
//! means what (`--columns`), and in which order ambiguous dates are written
//! (`--date-order`).

use std::fmt;
use std::str::FromStr;

use crate::headers::{Column, normalise};

/// Options for reading tables (CSV and spreadsheets). The default reads
/// headers by their usual spellings and refuses ambiguous dates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Headers the user named, with what each holds; they win over the synonyms.
    pub columns: ColumnMap,
    /// How to read `03/04/2024`; `None` leaves such dates unread, with an error.
    pub date_order: Option<DateOrder>,
    /// How far a compressed input may expand (`--max-expansion`, `--max-input-size`).
    pub limits: crate::InputLimits,
}

/// The order of day, month and year in dates written with a two-digit
/// first part (`03/04/2024`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateOrder {
    /// Day, month, year (`31/12/2024`).
    Dmy,
    /// Month, day, year (`12/31/2024`).
    Mdy,
    /// Year, month, day (`2024/12/31`); the default reading, stated explicitly.
    Ymd,
}

impl FromStr for DateOrder {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "dmy" => Ok(Self::Dmy),
            "mdy" => Ok(Self::Mdy),
            "ymd" => Ok(Self::Ymd),
            other => Err(format!(
                "unknown date order {other:?} (expected dmy, mdy or ymd)"
            )),
        }
    }
}

/// Headers mapped to their meaning by the user:
/// `maker=Supplier,part=Item Number,date=PO Date`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap {
    /// Normalised header, with its meaning, in the order given.
    entries: Vec<(String, Column)>,
}

/// Why a `--columns` value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ColumnMapError {
    /// An item without `=`.
    #[error("{0:?}: expected ROLE=HEADER (e.g. maker=Supplier)")]
    MissingEquals(String),
    /// A role we do not know.
    #[error("unknown column role {0:?} (expected one of: {roles})", roles = ROLE_NAMES.join(", "))]
    UnknownRole(String),
    /// `maker=` with nothing after it.
    #[error("{0:?}: the header is empty")]
    EmptyHeader(String),
}

/// The roles `--columns` accepts and what each means.
const ROLES: &[(&str, Column)] = &[
    ("maker", Column::Maker),
    ("manufacturer", Column::Maker),
    ("supplier", Column::Supplier),
    ("vendor", Column::Supplier),
    ("part", Column::PartNumber),
    ("part-number", Column::PartNumber),
    ("model", Column::Model),
    ("description", Column::Description),
    ("date", Column::Date),
    ("quantity", Column::Quantity),
    ("category", Column::Category),
    ("use", Column::Use),
    ("host", Column::Host),
    ("po", Column::Other),
    ("price", Column::Other),
    ("ignore", Column::Other),
];

const ROLE_NAMES: &[&str] = &[
    "maker",
    "supplier",
    "part",
    "model",
    "description",
    "date",
    "quantity",
    "category",
    "use",
    "host",
    "po",
    "price",
    "ignore",
];

impl ColumnMap {
    /// Parses `role=Header,role=Header`; a header may not contain a comma
    /// (give the option again for such a header).
    pub fn parse(spec: &str) -> Result<Self, ColumnMapError> {
        let mut map = Self::default();
        map.add(spec)?;
        Ok(map)
    }

    /// Adds the items of another `role=Header,...` value.
    pub fn add(&mut self, spec: &str) -> Result<(), ColumnMapError> {
        for item in spec.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (role, header) = item
                .split_once('=')
                .ok_or_else(|| ColumnMapError::MissingEquals(item.to_owned()))?;
            let role = role.trim().to_ascii_lowercase();
            let column = ROLES
                .iter()
                .find(|(name, _)| *name == role)
                .map(|(_, c)| *c)
                .ok_or_else(|| ColumnMapError::UnknownRole(role.clone()))?;
            let key = normalise(header.trim());
            if key.is_empty() {
                return Err(ColumnMapError::EmptyHeader(item.to_owned()));
            }
            self.entries.push((key, column));
        }
        Ok(())
    }

    /// True when no header is mapped.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// What the user said a header holds, if they named it.
    pub(crate) fn get(&self, header: &str) -> Option<Column> {
        let key = normalise(header);
        self.entries
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, c)| *c)
    }
}

impl fmt::Display for DateOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Dmy => "dmy",
            Self::Mdy => "mdy",
            Self::Ymd => "ymd",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_roles_and_headers() {
        let map = ColumnMap::parse("maker=Supplier, part=Item Number,date=PO Date").expect("ok");
        assert_eq!(map.get("Item Number"), Some(Column::PartNumber));
        assert_eq!(map.get("item_number"), Some(Column::PartNumber));
        assert_eq!(map.get("Supplier"), Some(Column::Maker));
        assert_eq!(map.get("PO Date"), Some(Column::Date));
        assert_eq!(map.get("Qty"), None);
    }

    #[test]
    fn refuses_unknown_roles_and_missing_parts() {
        let e = ColumnMap::parse("colour=Red").expect_err("refused");
        assert!(e.to_string().contains("maker, supplier, part"), "{e}");
        assert_eq!(
            ColumnMap::parse("Supplier"),
            Err(ColumnMapError::MissingEquals("Supplier".into()))
        );
        assert!(ColumnMap::parse("maker= ").is_err());
        assert_eq!("DMY".parse::<DateOrder>(), Ok(DateOrder::Dmy));
        assert!("ydm".parse::<DateOrder>().is_err());
    }
}
