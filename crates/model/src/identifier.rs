//! Machine-readable maker identifiers: JEDEC JEP106, PCI and USB vendor ids.

use std::fmt;

use serde::{Serialize, Serializer};

/// Why an identifier's text was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdentifierError {
    /// The scheme is not one we know.
    #[error(
        "unknown identifier scheme {0:?} (expected jep106, pci-vendor, usb-vendor or ieee-oui)"
    )]
    UnknownScheme(String),
    /// The value does not have the scheme's form.
    #[error("invalid {scheme} value {value:?}: {why}")]
    BadValue {
        /// The scheme the value was read for.
        scheme: Scheme,
        /// The rejected text.
        value: String,
        /// What form was expected.
        why: &'static str,
    },
}

/// An identifier scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scheme {
    /// JEDEC JEP106 manufacturer code.
    Jep106,
    /// PCI-SIG vendor id.
    PciVendor,
    /// USB-IF vendor id.
    UsbVendor,
    /// IEEE organisationally unique identifier (in WWNs, NVMe `ieee`, MAC addresses).
    IeeeOui,
}

impl Scheme {
    /// The scheme's name as written in the knowledge base.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Jep106 => "jep106",
            Scheme::PciVendor => "pci-vendor",
            Scheme::UsbVendor => "usb-vendor",
            Scheme::IeeeOui => "ieee-oui",
        }
    }

    /// Parses a scheme name.
    pub fn parse(s: &str) -> Result<Self, IdentifierError> {
        match s {
            "jep106" => Ok(Scheme::Jep106),
            "pci-vendor" => Ok(Scheme::PciVendor),
            "usb-vendor" => Ok(Scheme::UsbVendor),
            "ieee-oui" => Ok(Scheme::IeeeOui),
            other => Err(IdentifierError::UnknownScheme(other.to_owned())),
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Highest JEP106 bank we accept (JEP106 has grown one bank every few years).
pub const MAX_JEP106_BANK: u8 = 16;

/// A JEDEC JEP106 manufacturer code: a bank (1-based) and a 7-bit code,
/// written `bank:code` in the knowledge base (`1:2C` is Micron Technology).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Jep106Code {
    bank: u8,
    code: u8,
}

impl Jep106Code {
    /// A code from a 1-based bank and a code without its parity bit.
    /// Returns `None` outside the table (bank 1..=16, code 0x01..=0x7E).
    pub fn new(bank: u8, code: u8) -> Option<Self> {
        let valid = (1..=MAX_JEP106_BANK).contains(&bank) && (0x01..=0x7E).contains(&code);
        valid.then_some(Self { bank, code })
    }

    /// The 1-based bank.
    pub fn bank(self) -> u8 {
        self.bank
    }

    /// The 7-bit code, without parity.
    pub fn code(self) -> u8 {
        self.code
    }

    /// The code byte with JEDEC's odd-parity bit set as the standard stores it.
    pub fn code_with_parity(self) -> u8 {
        if self.code.count_ones().is_multiple_of(2) {
            self.code | 0x80
        } else {
            self.code
        }
    }

    fn parse(s: &str) -> Result<Self, IdentifierError> {
        let bad = |why| IdentifierError::BadValue {
            scheme: Scheme::Jep106,
            value: s.to_owned(),
            why,
        };
        let (bank, code) = s
            .split_once(':')
            .ok_or(bad("expected BANK:CODE, e.g. 1:2C"))?;
        let bank: u8 = bank
            .parse()
            .map_err(|_| bad("bank is not a decimal number"))?;
        if code.len() != 2 {
            return Err(bad("code must be two hex digits without parity, e.g. 2C"));
        }
        let code = u8::from_str_radix(code, 16).map_err(|_| bad("code is not hexadecimal"))?;
        Self::new(bank, code).ok_or(bad("bank must be 1-16 and code 01-7E (without parity)"))
    }
}

impl fmt::Display for Jep106Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{:02X}", self.bank, self.code)
    }
}

macro_rules! vendor_id {
    ($(#[$doc:meta])* $name:ident, $scheme:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u16);

        impl $name {
            fn parse(s: &str) -> Result<Self, IdentifierError> {
                let ok = s.len() == 4 && s.bytes().all(|b| b.is_ascii_hexdigit());
                let value = ok.then(|| u16::from_str_radix(s, 16).ok()).flatten();
                value.map(Self).ok_or_else(|| IdentifierError::BadValue {
                    scheme: $scheme,
                    value: s.to_owned(),
                    why: "expected four hex digits, e.g. 1344",
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{:04x}", self.0)
            }
        }
    };
}

vendor_id!(
    /// A PCI vendor id, written as four hex digits (`1344`).
    PciVendorId,
    Scheme::PciVendor
);
vendor_id!(
    /// A USB vendor id, written as four hex digits (`0634`).
    UsbVendorId,
    Scheme::UsbVendor
);

/// An IEEE OUI: 24 bits, written as six hex digits (`00A075`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OuiId(u32);

impl OuiId {
    /// An OUI from its 24-bit value; `None` when wider.
    pub fn new(value: u32) -> Option<Self> {
        (value <= 0xFF_FFFF).then_some(Self(value))
    }

    /// The 24-bit value.
    pub fn value(self) -> u32 {
        self.0
    }

    /// Parses six hex digits, with or without `0x` or `-`/`:` separators.
    pub fn parse_hex(s: &str) -> Option<Self> {
        let hex: String = s
            .trim()
            .trim_start_matches("0x")
            .chars()
            .filter(|c| !matches!(c, '-' | ':'))
            .collect();
        (hex.len() == 6)
            .then(|| u32::from_str_radix(&hex, 16).ok())
            .flatten()
            .and_then(Self::new)
    }
}

impl fmt::Display for OuiId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06X}", self.0)
    }
}

/// A maker identifier of any scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Identifier {
    /// JEDEC JEP106 code.
    Jep106(Jep106Code),
    /// PCI vendor id.
    PciVendor(PciVendorId),
    /// USB vendor id.
    UsbVendor(UsbVendorId),
    /// IEEE OUI.
    Oui(OuiId),
}

impl Identifier {
    /// Parses `value` under `scheme`.
    pub fn parse(scheme: Scheme, value: &str) -> Result<Self, IdentifierError> {
        Ok(match scheme {
            Scheme::Jep106 => Identifier::Jep106(Jep106Code::parse(value)?),
            Scheme::PciVendor => Identifier::PciVendor(PciVendorId::parse(value)?),
            Scheme::UsbVendor => Identifier::UsbVendor(UsbVendorId::parse(value)?),
            Scheme::IeeeOui => Identifier::Oui(OuiId::parse_hex(value).ok_or_else(|| {
                IdentifierError::BadValue {
                    scheme,
                    value: value.to_owned(),
                    why: "expected six hex digits, e.g. 00A075",
                }
            })?),
        })
    }

    /// The identifier's scheme.
    pub fn scheme(&self) -> Scheme {
        match self {
            Identifier::Jep106(_) => Scheme::Jep106,
            Identifier::PciVendor(_) => Scheme::PciVendor,
            Identifier::UsbVendor(_) => Scheme::UsbVendor,
            Identifier::Oui(_) => Scheme::IeeeOui,
        }
    }
}

impl fmt::Display for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Identifier::Jep106(c) => write!(f, "jep106 {c}"),
            Identifier::PciVendor(v) => write!(f, "pci-vendor {v}"),
            Identifier::UsbVendor(v) => write!(f, "usb-vendor {v}"),
            Identifier::Oui(v) => write!(f, "ieee-oui {v}"),
        }
    }
}

impl Serialize for Identifier {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jep106_round_trips_and_knows_parity() {
        let micron = Identifier::parse(Scheme::Jep106, "1:2C").expect("valid");
        assert_eq!(micron.to_string(), "jep106 1:2C");
        let crucial = Jep106Code::new(6, 0x1B).expect("valid");
        assert_eq!(crucial.code_with_parity(), 0x9B);
        assert_eq!(
            Jep106Code::new(1, 0x2C).map(|c| c.code_with_parity()),
            Some(0x2C)
        );
        let elpida = Jep106Code::new(3, 0x7E).expect("valid");
        assert_eq!(elpida.code_with_parity(), 0xFE);
    }

    #[test]
    fn rejects_malformed_identifiers() {
        for bad in ["2C", "0:2C", "17:2C", "1:AC", "1:2", "x:2C", "1:00"] {
            assert!(Identifier::parse(Scheme::Jep106, bad).is_err(), "{bad}");
        }
        assert!(Identifier::parse(Scheme::PciVendor, "0x1344").is_err());
        assert!(Identifier::parse(Scheme::UsbVendor, "634").is_err());
        assert_eq!(
            Identifier::parse(Scheme::PciVendor, "C0A9").map(|i| i.to_string()),
            Ok("pci-vendor c0a9".into())
        );
    }
}
