//! The closed vocabularies directives, profiles and inputs share: product
//! categories, uses, sectors and jurisdictions.
//!
//! Each is a newtype whose spelling is checked here; which values exist is
//! declared once, in the knowledge base's `vocabulary.toml`, and `kb validate`
//! rejects any value a directive, profile or overlay uses that the list does
//! not declare. The values the code itself relies on (a memory module is in
//! `memory`, a disk in `storage`) are constants here and must be declared too.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Why a vocabulary value was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind} {value:?}: {rule}")]
pub struct VocabError {
    /// Which vocabulary.
    pub kind: &'static str,
    /// The rejected text.
    pub value: String,
    /// The spelling rule.
    pub rule: &'static str,
}

const KEBAB: &str = "lowercase ASCII letters, digits and '-'";
const CODE: &str =
    "2 to 8 uppercase ASCII letters or digits (an ISO 3166 code or a bloc such as EU)";

fn kebab(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 64
        && !value.starts_with('-')
        && !value.ends_with('-')
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn code(value: &str) -> bool {
    (2..=8).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

macro_rules! vocab_type {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $check:ident, $rule:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Arc<str>);

        impl $name {
            /// The vocabulary's name in messages.
            pub const KIND: &'static str = $kind;

            /// Checks the spelling (not membership: the KB declares the members).
            pub fn new(value: &str) -> Result<Self, VocabError> {
                if $check(value) {
                    Ok(Self(Arc::from(value)))
                } else {
                    Err(VocabError { kind: $kind, value: value.to_owned(), rule: $rule })
                }
            }
        }

        text_newtype_impls!($name, VocabError);
    };
}

vocab_type!(
    /// A product category a directive may name (`memory`, `video-surveillance`).
    Category, "product category", kebab, KEBAB
);
vocab_type!(
    /// A use a restriction may depend on (`public-safety`).
    Use, "use", kebab, KEBAB
);
vocab_type!(
    /// A sector a directive binds and a profile belongs to (`critical-information-infrastructure`).
    Sector, "sector", kebab, KEBAB
);
vocab_type!(
    /// The jurisdiction of an authority or an operator (`CN`, `US`, `UK`).
    Jurisdiction, "jurisdiction", code, CODE
);

impl Category {
    /// DRAM modules and components: what a memory device or memory part number is.
    pub fn memory() -> Self {
        Self(Arc::from("memory"))
    }

    /// Drives: what a disk or an SSD part number is.
    pub fn storage() -> Self {
        Self(Arc::from("storage"))
    }

    /// The categories the code assigns by itself; the KB must declare each.
    pub fn built_in() -> [Self; 2] {
        [Self::memory(), Self::storage()]
    }
}

/// What a part-number grammar's parts are, as the KB declares it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PartKind {
    /// A memory module (DIMM, SODIMM).
    MemoryModule,
    /// A memory component (a DRAM or NAND package).
    MemoryComponent,
    /// A solid-state drive.
    Ssd,
}

impl PartKind {
    /// Every kind, in declaration order.
    pub const ALL: [PartKind; 3] = [Self::MemoryModule, Self::MemoryComponent, Self::Ssd];

    /// The KB spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MemoryModule => "memory-module",
            Self::MemoryComponent => "memory-component",
            Self::Ssd => "ssd",
        }
    }

    /// The product category the parts are in.
    pub fn category(self) -> Category {
        match self {
            Self::MemoryModule | Self::MemoryComponent => Category::memory(),
            Self::Ssd => Category::storage(),
        }
    }
}

impl fmt::Display for PartKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_is_checked_per_vocabulary() {
        assert!(Sector::new("federal-agency").is_ok());
        assert!(Sector::new("Federal Agency").is_err());
        assert!(Jurisdiction::new("CN").is_ok());
        assert!(Jurisdiction::new("cn").is_err());
        assert!(Jurisdiction::new("C").is_err());
        let e = Category::new("CCTV camera").expect_err("spaces are not kebab-case");
        assert_eq!(e.kind, "product category");
    }

    #[test]
    fn part_kinds_map_to_built_in_categories() {
        for k in PartKind::ALL {
            assert!(Category::built_in().contains(&k.category()), "{k}");
        }
    }
}
