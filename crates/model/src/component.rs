//! Components: one thing read from an input, with its raw fields and origin.

use std::fmt;

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};

use crate::Date;

/// What a component is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComponentKind {
    /// A memory module (DIMM, SODIMM) or memory device.
    Memory,
    /// A disk, SSD or other block device.
    Disk,
    /// A processor.
    Processor,
    /// The system as a whole (DMI type 1).
    System,
    /// A baseboard (DMI type 2).
    Baseboard,
    /// A chassis (DMI type 3).
    Chassis,
    /// A portable battery (DMI type 22).
    Battery,
    /// A power supply (DMI type 39).
    PowerSupply,
    /// A PCI function.
    Pci,
    /// A USB device.
    Usb,
    /// A network interface.
    Network,
    /// A line of a purchase order or quote whose kind is not stated.
    OrderLine,
    /// Anything else.
    Other,
}

impl ComponentKind {
    /// The kind's name as written in reports and input schemas.
    pub fn as_str(self) -> &'static str {
        match self {
            ComponentKind::Memory => "memory",
            ComponentKind::Disk => "disk",
            ComponentKind::Processor => "processor",
            ComponentKind::System => "system",
            ComponentKind::Baseboard => "baseboard",
            ComponentKind::Chassis => "chassis",
            ComponentKind::Battery => "battery",
            ComponentKind::PowerSupply => "power-supply",
            ComponentKind::Pci => "pci",
            ComponentKind::Usb => "usb",
            ComponentKind::Network => "network",
            ComponentKind::OrderLine => "order-line",
            ComponentKind::Other => "other",
        }
    }
}

impl fmt::Display for ComponentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a component is already owned or is about to be bought.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Part of the installed base (an inventory, a hardware dump).
    Installed,
    /// A line of a purchase order or quote.
    Order,
}

/// What a field says about the component, as the reader of its format knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FieldRole {
    /// The maker: a name, a brand, or a code such as a JEDEC id (`802C`).
    Maker,
    /// Who sells the item (supplier, vendor, distributor): the counterparty
    /// of a purchase, screened against listings rather than as the maker.
    Supplier,
    /// A manufacturer part number (`MTA18ASF2G72PZ-2G6E1`).
    PartNumber,
    /// A product or model name that may embed a maker (`Crucial_CT250MX200SSD1`).
    Model,
    /// Free text describing the item.
    Description,
    /// A PCI vendor id as four hex digits.
    PciVendor,
    /// A PCI subsystem vendor id (the brand that sold a device built on
    /// another maker's chip) as four hex digits.
    PciSubsystemVendor,
    /// A USB vendor id as four hex digits.
    UsbVendor,
    /// An IEEE OUI as six hex digits (from a WWN, an NVMe `ieee` field, a MAC).
    Oui,
    /// Any other field, kept for the record.
    Other,
}

/// One field as the input printed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The field's name in the input (`Manufacturer`, `型号`).
    pub name: String,
    /// The value, trimmed of surrounding blanks.
    pub value: String,
    /// What the field means for identification.
    pub role: FieldRole,
}

/// Where a component was read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SourceLocation {
    /// The input's path as given (or `-` for standard input).
    pub path: String,
    /// The 1-based line where the record starts.
    pub line: u64,
    /// A locator inside the input (`handle 0x0028`, `row 7`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locator: Option<String>,
}

impl fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.path, self.line)
    }
}

/// One thing read from an input: a DIMM, a disk, a PO line. Serialised as
/// a map of the entries [`Component::serialize_entries`] writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    /// What it is.
    pub kind: ComponentKind,
    /// Owned or to be bought.
    pub role: Role,
    /// Where it was read.
    pub source: SourceLocation,
    /// All fields as printed, in input order; serialised as a list of
    /// `{"name", "value"}` objects, so a repeated column keeps every value
    /// and no key is written twice.
    pub fields: Vec<Field>,
    /// The machine holding it, when the input says.
    pub host: Option<String>,
    /// When it was acquired, when the input says.
    pub acquired: Option<Date>,
    /// When it was (or is to be) ordered, for purchase lines.
    pub ordered: Option<Date>,
    /// How many units the record stands for.
    pub quantity: Option<u32>,
    /// The product category, when the input states it (`video-surveillance`).
    pub category: Option<String>,
    /// What the item is used for, when the input states it (`public-safety`).
    pub usage: Option<String>,
    /// A date the input states that reads both day-first and month-first
    /// (`03/04/2024` without `--date-order`): kept as written, never guessed.
    pub ambiguous_date: Option<String>,
}

impl Component {
    /// A component with no fields yet.
    pub fn new(kind: ComponentKind, role: Role, source: SourceLocation) -> Self {
        Self {
            kind,
            role,
            source,
            fields: Vec::new(),
            host: None,
            acquired: None,
            ordered: None,
            quantity: None,
            category: None,
            usage: None,
            ambiguous_date: None,
        }
    }

    /// Adds a field; blank values are kept as printed.
    pub fn push(&mut self, name: &str, value: &str, role: FieldRole) {
        self.fields.push(Field {
            name: name.to_owned(),
            value: value.trim().to_owned(),
            role,
        });
    }

    /// The value of the first field with this name.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|f| f.name == name)
            .map(|f| f.value.as_str())
    }

    /// The fields playing a role.
    pub fn with_role(&self, role: FieldRole) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(move |f| f.role == role)
    }

    /// The date the policy should judge by: the order date, else the acquisition date.
    pub fn date_in_question(&self) -> Option<Date> {
        self.ordered.or(self.acquired)
    }
}

impl Component {
    /// Writes the component's entries into a map being serialised, so that a
    /// report can put its own entries around them: `kind`, `role`, `source`,
    /// `fields` (a list of `{"name", "value"}` objects in input order, so a
    /// repeated column keeps every value and no key is written twice), then
    /// `host`, `acquired`, `ordered`, `quantity`, `category`, `use` and
    /// `ambiguous_date` when known.
    pub fn serialize_entries<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        m.serialize_entry("kind", &self.kind)?;
        m.serialize_entry("role", &self.role)?;
        m.serialize_entry("source", &self.source)?;
        m.serialize_entry("fields", &FieldsInOrder(&self.fields))?;
        optional(m, "host", &self.host)?;
        optional(m, "acquired", &self.acquired)?;
        optional(m, "ordered", &self.ordered)?;
        optional(m, "quantity", &self.quantity)?;
        optional(m, "category", &self.category)?;
        optional(m, "use", &self.usage)?;
        optional(m, "ambiguous_date", &self.ambiguous_date)
    }
}

/// Writes an entry when it has a value.
fn optional<M: SerializeMap, T: Serialize>(
    m: &mut M,
    key: &'static str,
    value: &Option<T>,
) -> Result<(), M::Error> {
    match value {
        Some(v) => m.serialize_entry(key, v),
        None => Ok(()),
    }
}

impl Serialize for Component {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        self.serialize_entries(&mut m)?;
        m.end()
    }
}

/// A component's fields, serialised in order as `{"name", "value"}` objects.
struct FieldsInOrder<'a>(&'a [Field]);

impl Serialize for FieldsInOrder<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fields_in_order(self.0, s)
    }
}

/// A field as reports write it: its name and value.
#[derive(Serialize)]
struct NamedValue<'a> {
    name: &'a str,
    value: &'a str,
}

fn fields_in_order<S: Serializer>(fields: &[Field], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(fields.iter().map(|f| NamedValue {
        name: &f.name,
        value: &f.value,
    }))
}
