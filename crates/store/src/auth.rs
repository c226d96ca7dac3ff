//! Roles, permissions, tokens and the authenticated principal.

use crate::{Actor, TokenId};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a token may do. Each role includes the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Reads everything (scans, findings, waivers, KB).
    Viewer,
    /// Also screens, uploads inventories and proposes waivers.
    Submitter,
    /// Also approves or rejects waivers proposed by someone else.
    Approver,
    /// Also manages tokens.
    Admin,
}

/// One thing a route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Permission {
    /// Read scans, findings, waivers, directives, entities, KB state, audit.
    Read,
    /// `POST /v1/screen` and inventory uploads.
    Submit,
    /// Propose a waiver.
    ProposeWaiver,
    /// Approve or reject a waiver.
    DecideWaiver,
    /// Create, list and revoke tokens.
    ManageTokens,
}

impl Role {
    /// Every role, lowest first.
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Submitter, Role::Approver, Role::Admin];

    /// The role's name as written on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Submitter => "submitter",
            Role::Approver => "approver",
            Role::Admin => "admin",
        }
    }

    /// Parses a role name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The least role holding the permission.
    pub fn least_for(p: Permission) -> Role {
        match p {
            Permission::Read => Role::Viewer,
            Permission::Submit | Permission::ProposeWaiver => Role::Submitter,
            Permission::DecideWaiver => Role::Approver,
            Permission::ManageTokens => Role::Admin,
        }
    }

    /// True when this role holds the permission.
    pub fn can(self, p: Permission) -> bool {
        self >= Role::least_for(p)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who a valid bearer token belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    /// The token.
    pub token_id: TokenId,
    /// Its name (a person or a system).
    pub name: String,
    /// Its role.
    pub role: Role,
}

/// A stored token as listed (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenInfo {
    /// Its id (also the token's visible prefix).
    pub id: TokenId,
    /// Its name.
    pub name: String,
    /// Its role.
    pub role: Role,
    /// When it was created.
    pub created_at: Timestamp,
    /// Who created it (an [`Actor::label`]).
    pub created_by: String,
    /// When it was revoked, if it was.
    pub revoked_at: Option<Timestamp>,
}

/// A new token's bearer string, returned once by `create_token` and never stored.
/// `Debug` does not show it.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretToken(pub(crate) String);

impl SecretToken {
    /// The bearer string to hand to the token's holder (`sst_<id>_<64 hex digits>`).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretToken(..)")
    }
}

/// Helper kept here so route code can name the actor of a principal directly.
impl From<&Principal> for Actor {
    fn from(p: &Principal) -> Self {
        Actor::token(p)
    }
}
