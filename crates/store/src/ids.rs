//! Newtype ids of stored records, and who acted.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map(Self)
            }
        }
    };
}

id_type!(
    /// A scan: one screening of one stored inventory (the first, or a re-screen).
    ScanId
);
id_type!(
    /// A bearer token (its public part; the secret is never stored).
    TokenId
);
id_type!(
    /// A waiver held by the service.
    WaiverId
);
id_type!(
    /// An uploaded inventory (its bytes are kept to re-screen it).
    UploadId
);

/// Who made a change: recorded in the audit log and used for the four-eyes rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    /// The token the request carried; `None` for local commands (`supplyscreen token ...`)
    /// and the service itself.
    pub token: Option<TokenId>,
    /// The token's name, or the local account or component name.
    pub name: String,
}

impl Actor {
    /// The holder of an authenticated token.
    pub fn token(principal: &crate::Principal) -> Self {
        Self {
            token: Some(principal.token_id),
            name: principal.name.clone(),
        }
    }

    /// A local operator or component (no token), e.g. `"cli"` or `"service"`.
    pub fn local(name: impl Into<String>) -> Self {
        Self {
            token: None,
            name: name.into(),
        }
    }

    /// The stable text the audit log records for this actor: `token:ID:NAME` or `local:NAME`.
    pub fn label(&self) -> String {
        match self.token {
            Some(id) => format!("token:{id}:{}", self.name),
            None => format!("local:{}", self.name),
        }
    }

    /// True when both are the same person for the four-eyes rule: the same token, or the
    /// same name.
    pub fn same_person(&self, other: &Actor) -> bool {
        (self.token.is_some() && self.token == other.token) || self.name == other.name
    }
}

/// The identity of one worker (a `serve` process's scan loop) holding scan leases.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WorkerId(pub String);

impl fmt::Display for WorkerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
