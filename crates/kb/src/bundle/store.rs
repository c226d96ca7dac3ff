//! The installed KB: a directory per installed bundle under the KB home, and
//! an `active` file naming the one in use. Installing writes the new
//! directory first and then replaces `active` by a rename, so the switch is
//! atomic and a failure before it changes nothing.
//!
//! ```text
//! KB_HOME/active                      the directory in use (one line)
//! KB_HOME/kb-2026.12-3f2a9c0d1e4b/    the KB files, and bundle.info
//! KB_HOME/trusted-keys/*.pub          trusted public keys
//! ```

use std::fs;
use std::path::{Path, PathBuf};

use ed25519_dalek::VerifyingKey;

use super::{BundleError, compare_versions, fingerprint, parse, read_public_key};
use crate::{Kb, KbFile, dir_files};

const ACTIVE: &str = "active";
const INFO: &str = "bundle.info";

/// The KB a bundle installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    /// KB version.
    pub version: String,
    /// KB content hash (`sha256:...`).
    pub hash: String,
    /// Fingerprint of the key that signed it.
    pub signer: String,
    /// The bundle file it was installed from, as given.
    pub source: String,
    /// Its directory.
    pub dir: PathBuf,
}

/// What `install` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The bundle is now the active KB.
    Installed(Installed),
    /// The same version and content was already active; nothing changed.
    AlreadyActive(Installed),
}

/// The trusted keys: every `--trusted-key` file, then `KB_HOME/trusted-keys/*.pub`
/// in name order. At least one is required.
pub fn trusted_keys(home: &Path, extra: &[PathBuf]) -> Result<Vec<VerifyingKey>, BundleError> {
    let mut keys = extra
        .iter()
        .map(|p| read_public_key(p))
        .collect::<Result<Vec<_>, _>>()?;
    let dir = home.join("trusted-keys");
    if dir.is_dir() {
        let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
            .map_err(|source| io(&dir, source))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "pub"))
            .collect();
        paths.sort();
        for p in paths {
            keys.push(read_public_key(&p)?);
        }
    }
    if keys.is_empty() {
        return Err(BundleError::NoTrustedKeys(dir));
    }
    Ok(keys)
}

/// The active installed KB, if any.
pub fn installed(home: &Path) -> Result<Option<Installed>, BundleError> {
    let active = home.join(ACTIVE);
    if !active.exists() {
        return Ok(None);
    }
    let name = fs::read_to_string(&active).map_err(|source| io(&active, source))?;
    let dir = home.join(name.trim());
    let info_path = dir.join(INFO);
    let info = fs::read_to_string(&info_path).map_err(|source| io(&info_path, source))?;
    let field = |key: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(key).and_then(|v| v.strip_prefix(' ')))
            .unwrap_or_default()
            .to_owned()
    };
    Ok(Some(Installed {
        version: field("version"),
        hash: field("hash"),
        signer: field("signer"),
        source: field("source"),
        dir,
    }))
}

/// The active installed KB, loaded and validated, with where it came from.
pub fn load_installed(home: &Path) -> Result<Option<(Kb, Installed)>, BundleError> {
    let Some(inst) = installed(home)? else {
        return Ok(None);
    };
    let kb = Kb::load(dir_files(&inst.dir).map_err(BundleError::Invalid)?)
        .map_err(BundleError::Invalid)?;
    if kb.hash() != inst.hash {
        return Err(BundleError::HashMismatch {
            signed: inst.hash,
            computed: kb.hash().to_owned(),
        });
    }
    Ok(Some((kb, inst)))
}

/// Verifies the bundle at `path` and makes it the active KB under `home`.
/// `built_in` is the embedded KB's version: with nothing installed yet, a
/// bundle older than it is refused too.
pub fn install(
    path: &Path,
    home: &Path,
    trusted: &[VerifyingKey],
    built_in: &str,
) -> Result<Outcome, BundleError> {
    let bytes = fs::read(path).map_err(|source| io(path, source))?;
    let bundle = parse(&bytes)?;
    let kb = bundle.verify(trusted)?;
    let current = installed(home)?;
    if let Some(same) = check_version(kb.version(), kb.hash(), current.as_ref(), built_in)? {
        return Ok(Outcome::AlreadyActive(same));
    }
    let name = dir_name(kb.version(), kb.hash());
    let info = format!(
        "version {}\nhash {}\nsigner {}\nsource {}\n",
        kb.version(),
        kb.hash(),
        fingerprint(&bundle.key),
        path.display()
    );
    fs::create_dir_all(home).map_err(|source| io(home, source))?;
    let staging = home.join(format!(".staging-{}-{name}", std::process::id()));
    let written = write_dir(&staging, &bundle.files, &info).and_then(|()| {
        let dir = home.join(&name);
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|source| io(&dir, source))?;
        }
        fs::rename(&staging, &dir).map_err(|source| io(&dir, source))
    });
    if let Err(e) = written {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    switch_active(home, &name)?;
    installed(home)?
        .map(Outcome::Installed)
        .ok_or_else(|| BundleError::Format("the installed KB could not be read back".into()))
}

/// Refuses rollbacks and same-version replacements; `Some` when the very
/// same KB is already active.
fn check_version(
    version: &str,
    hash: &str,
    current: Option<&Installed>,
    built_in: &str,
) -> Result<Option<Installed>, BundleError> {
    let (against_version, against) = match current {
        Some(c) => (c.version.as_str(), "the installed KB"),
        None => (built_in, "the KB built into this program"),
    };
    match compare_versions(version, against_version) {
        std::cmp::Ordering::Less => Err(BundleError::Older {
            bundle: version.to_owned(),
            current: against_version.to_owned(),
            against,
        }),
        std::cmp::Ordering::Equal => match current {
            Some(c) if c.hash == hash => Ok(Some(c.clone())),
            Some(c) => Err(BundleError::SameVersion {
                version: version.to_owned(),
                installed: c.hash.clone(),
            }),
            None => Ok(None),
        },
        std::cmp::Ordering::Greater => Ok(None),
    }
}

/// `kb-<version>-<12 hex digits of the hash>`, with only safe characters.
fn dir_name(version: &str, hash: &str) -> String {
    let v: String = version
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let h: String = hash
        .trim_start_matches("sha256:")
        .chars()
        .take(12)
        .collect();
    format!("kb-{v}-{h}")
}

fn write_dir(dir: &Path, files: &[KbFile], info: &str) -> Result<(), BundleError> {
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|source| io(dir, source))?;
    }
    for f in files {
        // Paths were checked when the bundle was read (plain segments, `.toml`).
        let path = dir.join(&f.rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|source| io(parent, source))?;
        }
        fs::write(&path, &f.text).map_err(|source| io(&path, source))?;
    }
    let info_path = dir.join(INFO);
    fs::write(&info_path, info).map_err(|source| io(&info_path, source))
}

/// Replaces `active` by writing a temporary file and renaming it over.
fn switch_active(home: &Path, name: &str) -> Result<(), BundleError> {
    let tmp = home.join(format!(".{ACTIVE}-{}", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&tmp).map_err(|source| io(&tmp, source))?;
        std::io::Write::write_all(&mut file, format!("{name}\n").as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|source| io(&tmp, source))?;
        let active = home.join(ACTIVE);
        fs::rename(&tmp, &active).map_err(|source| io(&active, source))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn io(path: &Path, source: std::io::Error) -> BundleError {
    BundleError::Io {
        path: path.to_owned(),
        source,
    }
}
