//! The audit log: a hash chain of every state change.
//!
//! Each entry's hash is SHA-256 over the previous entry's hash and a canonical,
//! length-prefixed encoding of the entry (sequence number, time in microseconds,
//! actor, event kind, subject, detail text as stored). The chain's head (last
//! sequence number and hash) is also kept in its own row, so removing entries at
//! the end is detected too.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The hash of the entry before the first one.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuditEvent {
    /// A token was created.
    TokenCreated,
    /// A token was revoked.
    TokenRevoked,
    /// An inventory was uploaded (and its first scan queued).
    InventoryUploaded,
    /// A scan finished with a report.
    ScanFinished,
    /// A scan failed for good.
    ScanFailed,
    /// A waiver was proposed.
    WaiverProposed,
    /// A waiver was approved.
    WaiverApproved,
    /// A waiver was rejected.
    WaiverRejected,
    /// The knowledge base in use changed (version or hash).
    KbChanged,
    /// Re-screens of stored inventories were queued.
    RescreensQueued,
    /// An approved waiver passed its expiry day (recorded once, the first day after it).
    WaiverExpired,
}

impl AuditEvent {
    /// Every event kind.
    pub const ALL: [AuditEvent; 11] = [
        AuditEvent::TokenCreated,
        AuditEvent::TokenRevoked,
        AuditEvent::InventoryUploaded,
        AuditEvent::ScanFinished,
        AuditEvent::ScanFailed,
        AuditEvent::WaiverProposed,
        AuditEvent::WaiverApproved,
        AuditEvent::WaiverRejected,
        AuditEvent::KbChanged,
        AuditEvent::RescreensQueued,
        AuditEvent::WaiverExpired,
    ];

    /// The kind's stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditEvent::TokenCreated => "token-created",
            AuditEvent::TokenRevoked => "token-revoked",
            AuditEvent::InventoryUploaded => "inventory-uploaded",
            AuditEvent::ScanFinished => "scan-finished",
            AuditEvent::ScanFailed => "scan-failed",
            AuditEvent::WaiverProposed => "waiver-proposed",
            AuditEvent::WaiverApproved => "waiver-approved",
            AuditEvent::WaiverRejected => "waiver-rejected",
            AuditEvent::KbChanged => "kb-changed",
            AuditEvent::RescreensQueued => "rescreens-queued",
            AuditEvent::WaiverExpired => "waiver-expired",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<AuditEvent> {
        AuditEvent::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

impl fmt::Display for AuditEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// When (microsecond precision).
    pub at: Timestamp,
    /// Who ([`crate::Actor::label`]).
    pub actor: String,
    /// What changed.
    pub event: AuditEvent,
    /// The id of what changed (`scan:12`, `waiver:3`, `token:5`, `kb`).
    pub subject: String,
    /// Details as compact JSON text (hashed as stored).
    pub detail: String,
    /// The previous entry's hash ([`GENESIS_HASH`] for the first).
    pub prev_hash: String,
    /// This entry's hash (lowercase hex SHA-256).
    pub hash: String,
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum AuditCheck {
    /// Every entry is in place and unchanged.
    Intact {
        /// How many entries.
        entries: u64,
        /// The last entry's hash ([`GENESIS_HASH`] when empty); publish it to anchor the log.
        head: String,
    },
    /// The chain is broken.
    Broken {
        /// The first entry that does not check (for a removed tail: the first missing seq).
        seq: i64,
        /// Why.
        reason: AuditBreak,
    },
}

/// Why the chain is broken at an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuditBreak {
    /// The entry's content does not match its hash (it was changed).
    HashMismatch,
    /// The entry does not link to the one before (an entry before it was changed,
    /// removed or moved).
    PrevHashMismatch,
    /// The sequence numbers skip or repeat (entries removed or reordered).
    SequenceGap,
    /// The recorded head does not match the last entry (entries removed at the end).
    HeadMismatch,
    /// A stored field could not be read (e.g. an unknown event kind).
    Unreadable,
}

impl fmt::Display for AuditBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AuditBreak::HashMismatch => "its content does not match its hash (changed)",
            AuditBreak::PrevHashMismatch => {
                "it does not link to the entry before (an entry was changed, removed or moved)"
            }
            AuditBreak::SequenceGap => "the sequence skips or repeats (removed or reordered)",
            AuditBreak::HeadMismatch => {
                "the recorded head is not the last entry (removed at the end)"
            }
            AuditBreak::Unreadable => "a stored field cannot be read",
        })
    }
}
