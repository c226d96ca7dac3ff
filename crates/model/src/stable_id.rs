//! Stable identities of components and findings: the same input gives the
//! same ids in every run, so scan diffs and the service can key on them.

use std::fmt;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{Component, DirectiveId, Measure};

/// 16 hex digits (64 bits) of a SHA-256 over the identifying parts, each
/// terminated by a NUL so that `("ab", "c")` and `("a", "bc")` differ.
fn short_hash<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> [u8; 8] {
    // Fed piece by piece: the hasher buffers partial blocks, so the digest
    // is that of the concatenation, with no copy of the parts.
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
        h.update([0u8]);
    }
    let digest = h.finalize();
    let mut out = [0u8; 8];
    out.copy_from_slice(&digest[..8]);
    out
}

/// The 16 lowercase hex digits of an id.
fn hex_digits(bytes: &[u8; 8]) -> [u8; 16] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 16];
    for (i, b) in bytes.iter().enumerate() {
        out[2 * i] = DIGITS[usize::from(b >> 4)];
        out[2 * i + 1] = DIGITS[usize::from(b & 0xf)];
    }
    out
}

fn hex(bytes: &[u8; 8], f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let digits = hex_digits(bytes);
    // Hex digits are ASCII.
    f.write_str(std::str::from_utf8(&digits).map_err(|_| fmt::Error)?)
}

/// A component's identity: a hash of its input path, line, locator, kind
/// and every field as printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ComponentId([u8; 8]);

impl ComponentId {
    /// The id of a component as read.
    pub fn of(c: &Component) -> Self {
        let line = c.source.line.to_le_bytes();
        let locator = c.source.locator.as_deref().unwrap_or("");
        let head = [
            c.source.path.as_bytes(),
            &line[..],
            locator.as_bytes(),
            c.kind.as_str().as_bytes(),
        ];
        let fields = c
            .fields
            .iter()
            .flat_map(|f| [f.name.as_bytes(), f.value.as_bytes()]);
        Self(short_hash(head.into_iter().chain(fields)))
    }

    /// Parses the 16-hex-digit form.
    pub fn parse(s: &str) -> Option<Self> {
        parse_hex(s).map(Self)
    }
}

/// A finding's identity: its component, directive and measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FindingId([u8; 8]);

impl FindingId {
    /// The id of the finding of `measure` of `directive` on a component.
    pub fn of(component: ComponentId, directive: &DirectiveId, measure: Measure) -> Self {
        Self(short_hash([
            &component.0[..],
            directive.as_str().as_bytes(),
            measure.as_str().as_bytes(),
        ]))
    }

    /// Parses the 16-hex-digit form.
    pub fn parse(s: &str) -> Option<Self> {
        parse_hex(s).map(Self)
    }
}

fn parse_hex(s: &str) -> Option<[u8; 8]> {
    if s.len() != 16 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let mut out = [0u8; 8];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

macro_rules! hex_display {
    ($name:ident) => {
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                hex(&self.0, f)
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let digits = hex_digits(&self.0);
                match std::str::from_utf8(&digits) {
                    Ok(text) => s.serialize_str(text),
                    Err(_) => s.collect_str(self),
                }
            }
        }
    };
}

hex_display!(ComponentId);
hex_display!(FindingId);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ComponentKind, FieldRole, Role, SourceLocation};

    fn dimm(handle: &str, part: &str) -> Component {
        let mut c = Component::new(
            ComponentKind::Memory,
            Role::Installed,
            SourceLocation {
                path: "host1.dmi".into(),
                line: 120,
                locator: Some(format!("handle {handle}")),
            },
        );
        c.push("Manufacturer", "802C", FieldRole::Maker);
        c.push("Part Number", part, FieldRole::PartNumber);
        c
    }

    #[test]
    fn ids_are_stable_and_distinguish_inputs() {
        let a = ComponentId::of(&dimm("0x1100", "MTA18ASF2G72PZ-2G6E1"));
        assert_eq!(a, ComponentId::of(&dimm("0x1100", "MTA18ASF2G72PZ-2G6E1")));
        assert_ne!(a, ComponentId::of(&dimm("0x1101", "MTA18ASF2G72PZ-2G6E1")));
        assert_ne!(a, ComponentId::of(&dimm("0x1100", "MTA18ASF2G72PZ-2G6E2")));
        let text = a.to_string();
        assert_eq!(text.len(), 16);
        assert_eq!(ComponentId::parse(&text), Some(a));
        let d = DirectiveId::new("cn-cac-2023-micron").expect("valid id");
        let f = FindingId::of(a, &d, Measure::Purchase);
        assert_ne!(f, FindingId::of(a, &d, Measure::Operate));
        assert_eq!(FindingId::parse(&f.to_string()), Some(f));
    }
}
