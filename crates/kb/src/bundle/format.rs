//! Writing, reading and verifying the bundle file.

use std::fmt::Write as _;
use std::path::Path;

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};

use super::{BundleError, fingerprint, hex, unhex};
use crate::{Kb, KbFile, LoadError, dir_files};

const MAGIC: &str = "supplyscreen-kb-bundle v1";

/// A parsed bundle, not yet trusted.
#[derive(Debug, Clone)]
pub struct Bundle {
    /// The KB version in the header.
    pub version: String,
    /// The KB content hash in the header (`sha256:...`).
    pub hash: String,
    /// The signer's public key.
    pub key: VerifyingKey,
    /// The signature, if any.
    pub signature: Option<Signature>,
    /// The KB files.
    pub files: Vec<KbFile>,
}

/// The bytes the signature covers: the format, version and content hash.
fn signed_message(version: &str, hash: &str) -> Vec<u8> {
    format!("{MAGIC}\nversion {version}\nhash {hash}\n").into_bytes()
}

/// Packs and signs the KB in `dir`, which must validate on its own (a full
/// KB, not an overlay). Returns the bundle's bytes.
pub fn pack(dir: &Path, key: &SigningKey) -> Result<Vec<u8>, BundleError> {
    let files = dir_files(dir).map_err(|e| match e {
        LoadError::Io { path, source } => BundleError::Io { path, source },
        other => BundleError::Invalid(other),
    })?;
    let kb = Kb::load(files.clone()).map_err(BundleError::Invalid)?;
    let signature = key.sign(&signed_message(kb.version(), kb.hash()));
    let mut out = String::new();
    let _ = writeln!(out, "{MAGIC}");
    let _ = writeln!(out, "version {}", kb.version());
    let _ = writeln!(out, "hash {}", kb.hash());
    let _ = writeln!(out, "key {}", hex(key.verifying_key().as_bytes()));
    let _ = writeln!(out, "signature {}", hex(&signature.to_bytes()));
    let _ = writeln!(out, "files {}", files.len());
    let mut sorted = files;
    sorted.sort_by(|a, b| a.rel.cmp(&b.rel));
    for f in &sorted {
        let _ = writeln!(out, "file {} {}", f.text.len(), f.rel);
        out.push_str(&f.text);
        out.push('\n');
    }
    Ok(out.into_bytes())
}

/// Reads a bundle's structure; nothing is trusted yet (see [`Bundle::verify`]).
pub fn parse(bytes: &[u8]) -> Result<Bundle, BundleError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| BundleError::Format("the file is not UTF-8 text".into()))?;
    let mut r = Reader { rest: text };
    if r.line()? != MAGIC {
        return Err(BundleError::Format(format!(
            "the first line is not {MAGIC:?}"
        )));
    }
    let version = r.field("version")?.to_owned();
    let hash = r.field("hash")?.to_owned();
    let key_hex = r.field("key")?;
    let key = unhex::<32>(key_hex)
        .and_then(|b| VerifyingKey::from_bytes(&b).ok())
        .ok_or_else(|| BundleError::Format("the key line is not an ed25519 public key".into()))?;
    let signature = match r.field("signature")? {
        "" | "-" => None,
        s => Some(Signature::from_bytes(&unhex::<64>(s).ok_or_else(|| {
            BundleError::Format("the signature line is not 64 bytes of hex".into())
        })?)),
    };
    let count: usize = r
        .field("files")?
        .parse()
        .map_err(|_| BundleError::Format("the files line has no count".into()))?;
    let mut files: Vec<KbFile> = Vec::new();
    for _ in 0..count {
        let f = r.file()?;
        if files.iter().any(|g| g.rel == f.rel) {
            return Err(BundleError::Format(format!("{} appears twice", f.rel)));
        }
        files.push(f);
    }
    if !r.rest.is_empty() {
        return Err(BundleError::Format("data after the last file".into()));
    }
    Ok(Bundle {
        version,
        hash,
        key,
        signature,
        files,
    })
}

impl Bundle {
    /// Checks the signature against `trusted` keys, the files against the
    /// signed hash, and validates the KB like the embedded one. Returns the
    /// loaded KB.
    pub fn verify(&self, trusted: &[VerifyingKey]) -> Result<Kb, BundleError> {
        let signature = self.signature.ok_or(BundleError::Unsigned)?;
        let who = fingerprint(&self.key);
        if !trusted.iter().any(|k| k.as_bytes() == self.key.as_bytes()) {
            return Err(BundleError::UntrustedKey(who));
        }
        self.key
            .verify_strict(&signed_message(&self.version, &self.hash), &signature)
            .map_err(|_| BundleError::BadSignature(who))?;
        let kb = Kb::load(self.files.clone()).map_err(BundleError::Invalid)?;
        if kb.hash() != self.hash {
            return Err(BundleError::HashMismatch {
                signed: self.hash.clone(),
                computed: kb.hash().to_owned(),
            });
        }
        if kb.version() != self.version {
            return Err(BundleError::VersionMismatch {
                header: self.version.clone(),
                inner: kb.version().to_owned(),
            });
        }
        Ok(kb)
    }
}

/// A cursor over the bundle text.
struct Reader<'a> {
    rest: &'a str,
}

impl<'a> Reader<'a> {
    fn line(&mut self) -> Result<&'a str, BundleError> {
        let Some(end) = self.rest.find('\n') else {
            return Err(BundleError::Format("the file ends early".into()));
        };
        let line = &self.rest[..end];
        self.rest = &self.rest[end + 1..];
        Ok(line)
    }

    /// `name value` on the next line; the value may be empty.
    fn field(&mut self, name: &str) -> Result<&'a str, BundleError> {
        let line = self.line()?;
        match line.split_once(' ') {
            Some((n, v)) if n == name => Ok(v),
            None if line == name => Ok(""),
            _ => Err(BundleError::Format(format!("expected a {name:?} line"))),
        }
    }

    fn file(&mut self) -> Result<KbFile, BundleError> {
        let line = self.line()?;
        let bad = || BundleError::Format(format!("bad file line {line:?}"));
        let (len, rel) = line
            .strip_prefix("file ")
            .and_then(|l| l.split_once(' '))
            .ok_or_else(bad)?;
        let len: usize = len.parse().map_err(|_| bad())?;
        if !safe_rel(rel) {
            return Err(BundleError::Format(format!("unsafe file path {rel:?}")));
        }
        let text = self
            .rest
            .get(..len)
            .ok_or_else(|| BundleError::Format(format!("{rel} is cut short")))?;
        self.rest = self.rest[len..]
            .strip_prefix('\n')
            .ok_or_else(|| BundleError::Format(format!("{rel} has the wrong length")))?;
        Ok(KbFile {
            rel: rel.to_owned(),
            display: format!("bundle:{rel}"),
            text: text.to_owned(),
        })
    }
}

/// A relative path of plain segments ending in `.toml`: nothing that could
/// escape the install directory.
pub(super) fn safe_rel(rel: &str) -> bool {
    rel.ends_with(".toml")
        && rel.split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_could_escape_are_unsafe() {
        assert!(safe_rel("entities/micron.toml"));
        assert!(safe_rel("kb.toml"));
        for bad in [
            "../x.toml",
            "/etc/x.toml",
            "a//b.toml",
            "a/./b.toml",
            "x.txt",
            "a\\b.toml",
            "é.toml",
        ] {
            assert!(!safe_rel(bad), "{bad}");
        }
    }
}
