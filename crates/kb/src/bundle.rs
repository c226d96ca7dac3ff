//! Signed KB bundles, for machines that never reach the internet: a KB
//! directory is packed with its version and content hash and signed with
//! ed25519; a bundle is installed only if its signature verifies with a
//! trusted public key, its files match the signed hash, it validates like the
//! embedded KB and it is not older than the KB it replaces. Installation
//! writes a new directory and then switches one pointer file, so a refused or
//! interrupted install leaves the active KB as it was.
//!
//! Bundle format (UTF-8 text, one header per line, then the files):
//!
//! ```text
//! supplyscreen-kb-bundle v1
//! version 2026.12
//! hash sha256:<hex>            (the KB content hash, as reports print it)
//! key <64 hex digits>          (the signer's public key)
//! signature <128 hex digits>   (over the first three lines' values)
//! files <n>
//! file <byte length> <relative path>
//! <contents>
//! ```

mod format;
mod keys;
mod store;

pub use ed25519_dalek::{SigningKey, VerifyingKey};
pub use format::{Bundle, pack, parse};
pub use keys::{fingerprint, generate_key, read_public_key, read_signing_key, write_key_pair};
pub use store::{Installed, Outcome, install, installed, load_installed, trusted_keys};

use std::path::PathBuf;

use crate::LoadError;

/// Why a bundle could not be made, read or installed. Every refusal leaves
/// the installed KB unchanged.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// A file or directory could not be read or written.
    #[error("cannot read or write {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not a bundle of this format.
    #[error("not a KB bundle: {0}")]
    Format(String),
    /// The bundle carries no signature.
    #[error("the bundle is not signed")]
    Unsigned,
    /// The signer's key is not trusted here.
    #[error("the bundle is signed with key {0}, which is not among the trusted keys")]
    UntrustedKey(String),
    /// The signature does not verify.
    #[error(
        "the bundle's signature does not verify with key {0}: its header was altered or it was signed with another key"
    )]
    BadSignature(String),
    /// The files do not hash to the signed value.
    #[error(
        "the bundle's files do not match its signed hash (signed {signed}, computed {computed}): the bundle was altered"
    )]
    HashMismatch {
        /// The hash in the signed header.
        signed: String,
        /// The hash of the files as read.
        computed: String,
    },
    /// `kb.toml` inside the bundle disagrees with the header.
    #[error("the bundle's header says version {header} but its kb.toml says {inner}")]
    VersionMismatch {
        /// The header's version.
        header: String,
        /// The version in `kb.toml`.
        inner: String,
    },
    /// The KB in the bundle (or the directory to pack) does not validate.
    #[error("the bundle's knowledge base is invalid: {0}")]
    Invalid(LoadError),
    /// The bundle would roll the KB back.
    #[error(
        "the bundle has KB version {bundle}, older than {current} ({against}): refusing to roll back"
    )]
    Older {
        /// The bundle's version.
        bundle: String,
        /// The version it would replace.
        current: String,
        /// Which KB that is (installed or built in).
        against: &'static str,
    },
    /// Same version as the installed KB, other content.
    #[error(
        "KB version {version} is already installed with other content ({installed}); a changed KB needs a new version"
    )]
    SameVersion {
        /// The version.
        version: String,
        /// The installed KB's hash.
        installed: String,
    },
    /// No key to verify against.
    #[error("no trusted public key: pass --trusted-key FILE, or put FILE.pub files in {0}")]
    NoTrustedKeys(PathBuf),
    /// A key file is malformed.
    #[error("{path}: not a supplyscreen {what} key file")]
    Key {
        /// The file.
        path: PathBuf,
        /// `secret` or `public`.
        what: &'static str,
    },
    /// A key file would be overwritten.
    #[error("{0} already exists; refusing to overwrite a key")]
    Exists(PathBuf),
    /// The operating system's random source failed.
    #[error("the system random source failed: {0}")]
    Random(String),
}

/// Lowercase hexadecimal.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses exactly `N` bytes of hexadecimal.
fn unhex<const N: usize>(text: &str) -> Option<[u8; N]> {
    let text = text.trim();
    if text.len() != 2 * N || !text.is_ascii() {
        return None;
    }
    let mut out = [0u8; N];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// Compares KB versions (`2026.11` < `2026.12` < `2027.1`): dot-separated
/// parts, numerically where both are numbers.
pub fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    let mut xs = a.split('.');
    let mut ys = b.split('.');
    loop {
        match (xs.next(), ys.next()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => {
                let ord = match (x.parse::<u64>(), y.parse::<u64>()) {
                    (Ok(m), Ok(n)) => m.cmp(&n),
                    _ => x.cmp(y),
                };
                if ord.is_ne() {
                    return ord;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering::*;

    #[test]
    fn versions_compare_by_number() {
        assert_eq!(compare_versions("2026.11", "2026.12"), Less);
        assert_eq!(compare_versions("2026.12", "2026.9"), Greater);
        assert_eq!(compare_versions("2026.12", "2026.12"), Equal);
        assert_eq!(compare_versions("2026.12", "2026.12.1"), Less);
    }

    #[test]
    fn hex_round_trips_and_rejects_bad_input() {
        let bytes = [0u8, 1, 0xab, 0xff];
        assert_eq!(unhex::<4>(&hex(&bytes)), Some(bytes));
        assert_eq!(unhex::<4>("00ab"), None);
        assert_eq!(unhex::<2>("zz00"), None);
    }
}
