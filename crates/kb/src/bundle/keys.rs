//! ed25519 key files: `NAME` holds the secret key, `NAME.pub` the public
//! key, each as a header line and 32 bytes of hex.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use ed25519_dalek::{SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

use super::{BundleError, hex, unhex};

const SECRET_HEADER: &str = "supplyscreen-kb-secret-key v1";
const PUBLIC_HEADER: &str = "supplyscreen-kb-public-key v1";

/// A new key pair from the operating system's random source.
pub fn generate_key() -> Result<SigningKey, BundleError> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| BundleError::Random(e.to_string()))?;
    Ok(SigningKey::from_bytes(&secret))
}

/// A short, stable name for a public key: `ed25519:` and the first 16 hex
/// digits of its SHA-256.
pub fn fingerprint(key: &VerifyingKey) -> String {
    let digest = Sha256::digest(key.as_bytes());
    format!("ed25519:{}", &hex(&digest)[..16])
}

/// Writes `path` (secret key, readable by the owner only on Unix) and
/// `path.pub` (public key); never overwrites. Returns the public key's path.
pub fn write_key_pair(path: &Path, key: &SigningKey) -> Result<PathBuf, BundleError> {
    let public = public_path(path);
    for p in [path, public.as_path()] {
        if p.exists() {
            return Err(BundleError::Exists(p.to_owned()));
        }
    }
    let secret = format!("{SECRET_HEADER}\n{}\n", hex(&key.to_bytes()));
    write_new(path, &secret, true)?;
    let public_text = format!("{PUBLIC_HEADER}\n{}\n", hex(key.verifying_key().as_bytes()));
    write_new(&public, &public_text, false)?;
    Ok(public)
}

/// Reads a secret key file written by [`write_key_pair`].
pub fn read_signing_key(path: &Path) -> Result<SigningKey, BundleError> {
    let bytes = read_key(path, SECRET_HEADER, "secret")?;
    Ok(SigningKey::from_bytes(&bytes))
}

/// Reads a public key file written by [`write_key_pair`].
pub fn read_public_key(path: &Path) -> Result<VerifyingKey, BundleError> {
    let bytes = read_key(path, PUBLIC_HEADER, "public")?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| BundleError::Key {
        path: path.to_owned(),
        what: "public",
    })
}

fn public_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".pub");
    PathBuf::from(name)
}

fn read_key(path: &Path, header: &str, what: &'static str) -> Result<[u8; 32], BundleError> {
    let text = std::fs::read_to_string(path).map_err(|source| BundleError::Io {
        path: path.to_owned(),
        source,
    })?;
    let mut lines = text.lines();
    let bad = || BundleError::Key {
        path: path.to_owned(),
        what,
    };
    if lines.next() != Some(header) {
        return Err(bad());
    }
    lines.next().and_then(unhex::<32>).ok_or_else(bad)
}

fn write_new(path: &Path, text: &str, private: bool) -> Result<(), BundleError> {
    let io = |source| BundleError::Io {
        path: path.to_owned(),
        source,
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut file = options.open(path).map_err(io)?;
    file.write_all(text.as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)
}
