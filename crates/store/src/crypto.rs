//! Hashes and secrets: token secrets, their salted hashes, and audit entry hashes.

use crate::StoreError;
use sha2::{Digest, Sha256};

/// Prefix of every bearer string.
pub(crate) const TOKEN_PREFIX: &str = "sst_";

/// Lowercase hex of bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// SHA-256 of bytes, lowercase hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// `n` random bytes from the operating system.
pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N], StoreError> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|e| StoreError::backend("reading random bytes", e))?;
    Ok(buf)
}

/// SHA-256 of salt then secret: what the tokens table keeps.
pub(crate) fn token_hash(salt: &[u8], secret: &str) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(salt);
    h.update(secret.as_bytes());
    h.finalize().to_vec()
}

/// Compares two byte strings in time independent of where they differ.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The bearer string of a token: prefix, id, underscore, secret.
pub(crate) fn bearer(id: i64, secret: &str) -> String {
    format!("{TOKEN_PREFIX}{id}_{secret}")
}

/// Splits a bearer string into id and secret; `None` when it is not one of ours.
pub(crate) fn parse_bearer(bearer: &str) -> Option<(i64, &str)> {
    let rest = bearer.strip_prefix(TOKEN_PREFIX)?;
    let (id, secret) = rest.split_once('_')?;
    let ok_secret = secret.len() == 64 && secret.bytes().all(|b| b.is_ascii_hexdigit());
    let id = id.parse::<i64>().ok().filter(|id| *id > 0)?;
    ok_secret.then_some((id, secret))
}

/// The fields an audit entry's hash covers, in their canonical order.
pub(crate) struct AuditFields<'a> {
    pub seq: i64,
    pub at_micros: i64,
    pub actor: &'a str,
    pub event: &'a str,
    pub subject: &'a str,
    pub detail: &'a str,
}

/// SHA-256 over the previous hash and the entry's fields, each length-prefixed
/// (8-byte big-endian length, then the UTF-8 bytes; integers as 8-byte big-endian),
/// lowercase hex.
pub(crate) fn audit_hash(prev_hash: &str, f: &AuditFields<'_>) -> String {
    let mut h = Sha256::new();
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(bytes);
    };
    field(b"supplyscreen-audit-v1");
    field(prev_hash.as_bytes());
    field(&f.seq.to_be_bytes());
    field(&f.at_micros.to_be_bytes());
    field(f.actor.as_bytes());
    field(f.event.as_bytes());
    field(f.subject.as_bytes());
    field(f.detail.as_bytes());
    hex(&h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_round_trips_and_rejects_malformed_strings() {
        let secret = "ab".repeat(32);
        let b = bearer(42, &secret);
        assert_eq!(parse_bearer(&b), Some((42, secret.as_str())));
        assert_eq!(parse_bearer("sst_42_short"), None);
        assert_eq!(parse_bearer(&format!("sst_0_{secret}")), None);
        assert_eq!(parse_bearer(&format!("xyz_1_{secret}")), None);
        assert_eq!(parse_bearer(&format!("sst_x_{secret}")), None);
    }

    #[test]
    fn constant_time_eq_compares_content_and_length() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }

    #[test]
    fn audit_hash_depends_on_every_field_and_the_previous_hash() {
        let f = AuditFields {
            seq: 1,
            at_micros: 5,
            actor: "local:cli",
            event: "token-created",
            subject: "token:1",
            detail: "{}",
        };
        let base = audit_hash(crate::GENESIS_HASH, &f);
        assert_eq!(base.len(), 64);
        assert_ne!(base, audit_hash(&"1".repeat(64), &f));
        assert_ne!(
            base,
            audit_hash(crate::GENESIS_HASH, &AuditFields { seq: 2, ..f })
        );
        // Moving a byte from one field to the next changes the hash (length prefixes).
        let a = AuditFields {
            actor: "ab",
            subject: "c",
            ..f
        };
        let b = AuditFields {
            actor: "a",
            subject: "bc",
            ..f
        };
        assert_ne!(
            audit_hash(crate::GENESIS_HASH, &a),
            audit_hash(crate::GENESIS_HASH, &b)
        );
    }
}
