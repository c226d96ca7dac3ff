//! `kb keygen`, `kb bundle`, `kb install`, `kb active`: signed KB bundles for
//! machines without network access.

use std::io::Write;
use std::path::{Path, PathBuf};

use supplyscreen_kb::bundle::{self, Installed, Outcome};
use supplyscreen_kb::embedded_files;

use super::{CmdResult, emit};
use crate::args::BundleCommand;

/// Runs one bundle subcommand.
pub fn run(cmd: BundleCommand, out: &mut dyn Write) -> CmdResult<u8> {
    match cmd {
        BundleCommand::Keygen { out: path } => keygen(&path, out),
        BundleCommand::Bundle {
            dir,
            key,
            out: path,
        } => pack(&dir, &key, &path, out),
        BundleCommand::Install {
            bundle,
            trusted_keys,
            kb_home,
        } => install(&bundle, &trusted_keys, kb_home, out),
        BundleCommand::Active { kb_home } => active(kb_home, out),
    }
}

fn keygen(path: &Path, out: &mut dyn Write) -> CmdResult<u8> {
    let key = bundle::generate_key().map_err(|e| e.to_string())?;
    let public = bundle::write_key_pair(path, &key).map_err(|e| e.to_string())?;
    let fp = bundle::fingerprint(&key.verifying_key());
    emit(
        out,
        &format!(
            "wrote {} (secret: keep it off the screened machines) and {} (public) · {fp}\n",
            path.display(),
            public.display()
        ),
    )?;
    Ok(0)
}

fn pack(dir: &Path, key: &Path, path: &Path, out: &mut dyn Write) -> CmdResult<u8> {
    let key = bundle::read_signing_key(key).map_err(|e| e.to_string())?;
    let bytes = bundle::pack(dir, &key).map_err(|e| e.to_string())?;
    let parsed = bundle::parse(&bytes).map_err(|e| e.to_string())?;
    std::fs::write(path, &bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    emit(
        out,
        &format!(
            "wrote {} · KB {} {} · {} file(s) · signed by {}\n",
            path.display(),
            parsed.version,
            parsed.hash,
            parsed.files.len(),
            bundle::fingerprint(&parsed.key)
        ),
    )?;
    Ok(0)
}

fn install(
    path: &Path,
    trusted: &[PathBuf],
    home: Option<PathBuf>,
    out: &mut dyn Write,
) -> CmdResult<u8> {
    let home = kb_home(home)?;
    let keys = bundle::trusted_keys(&home, trusted).map_err(|e| e.to_string())?;
    let built_in = built_in_version()?;
    let outcome = bundle::install(path, &home, &keys, &built_in)
        .map_err(|e| format!("{} refused, nothing changed: {e}", path.display()))?;
    let text = match outcome {
        Outcome::Installed(i) => format!("installed {}\n", describe(&i)),
        Outcome::AlreadyActive(i) => format!("already active, nothing changed: {}\n", describe(&i)),
    };
    emit(out, &text)?;
    Ok(0)
}

fn active(home: Option<PathBuf>, out: &mut dyn Write) -> CmdResult<u8> {
    let home = kb_home(home)?;
    let text = match bundle::installed(&home).map_err(|e| e.to_string())? {
        Some(i) => format!("{}\n", describe(&i)),
        None => format!(
            "no KB installed in {}; the built-in KB {} is used\n",
            home.display(),
            built_in_version()?
        ),
    };
    emit(out, &text)?;
    Ok(0)
}

fn describe(i: &Installed) -> String {
    format!(
        "KB {} {} · signed by {} · from {} · in {}",
        i.version,
        i.hash,
        i.signer,
        i.source,
        i.dir.display()
    )
}

/// The embedded KB's version, for the no-rollback check.
fn built_in_version() -> CmdResult<String> {
    let kb = supplyscreen_kb::Kb::load(embedded_files()).map_err(|e| e.to_string())?;
    Ok(kb.version().to_owned())
}

/// `--kb-home`, else `$SUPPLYSCREEN_KB_HOME`, else the per-user data
/// directory (`$XDG_DATA_HOME` or `~/.local/share`, `%APPDATA%` on Windows)
/// followed by `supplyscreen/kb`.
fn kb_home(flag: Option<PathBuf>) -> CmdResult<PathBuf> {
    if let Some(dir) = flag {
        return Ok(dir);
    }
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = var("SUPPLYSCREEN_KB_HOME") {
        return Ok(dir);
    }
    let data = var("XDG_DATA_HOME")
        .or_else(|| var("HOME").map(|h| h.join(".local").join("share")))
        .or_else(|| var("APPDATA"))
        .ok_or("no KB home: pass --kb-home DIR or set SUPPLYSCREEN_KB_HOME")?;
    Ok(data.join("supplyscreen").join("kb"))
}
