//! Identifiers of knowledge-base records.

use std::sync::Arc;

/// Why a textual id was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid id {value:?}: ids are lowercase ASCII letters, digits and '-', not starting or ending with '-'"
)]
pub struct IdError {
    /// The rejected text.
    pub value: String,
}

fn check_id(value: &str) -> Result<(), IdError> {
    let ok = !value.is_empty()
        && value.len() <= 64
        && !value.starts_with('-')
        && !value.ends_with('-')
        && value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(IdError {
            value: value.to_owned(),
        })
    }
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// Shared text: cloning an id (every attribution and finding does)
        /// does not copy it.
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Arc<str>);

        impl $name {
            /// Parses and checks an id.
            pub fn new(value: &str) -> Result<Self, IdError> {
                check_id(value)?;
                Ok(Self(Arc::from(value)))
            }
        }

        text_newtype_impls!($name, IdError);
    };
}

id_type!(
    /// The id of an entity (a company or organisation), e.g. `micron`.
    EntityId
);
id_type!(
    /// The id of a directive, e.g. `cn-cac-2023-micron`.
    DirectiveId
);
id_type!(
    /// The id of a screening profile, e.g. `cn-cii`.
    ProfileId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_kebab_case_and_rejects_the_rest() {
        assert_eq!(
            EntityId::new("micron").map(|i| i.to_string()),
            Ok("micron".into())
        );
        assert!(DirectiveId::new("cn-cac-2023-micron").is_ok());
        for bad in ["", "Micron", "-x", "x-", "a b", "美光", "a_b"] {
            assert!(EntityId::new(bad).is_err(), "{bad:?} accepted");
        }
    }
}
