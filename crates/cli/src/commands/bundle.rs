//! `kb keygen`, `kb bundle`, `kb install`, `kb active`: signed KB bundles for
//! machines without network access.

use std::io::Write;
use std::path::{Path, PathBuf};

use supplyscreen_report::{render_active, render_bundled, render_installed, render_keygen};
use supplyscreen_screen::{bundle, embedded_kb_version};

use super::{CmdResult, emit};
use crate::args::BundleCommand;
use crate::{CliError, ExitStatus};

/// Runs one bundle subcommand.
pub fn run(
    cmd: BundleCommand,
    env: &crate::Environment,
    out: &mut dyn Write,
) -> CmdResult<ExitStatus> {
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
        } => install(&bundle, &trusted_keys, kb_home, env, out),
        BundleCommand::Active { kb_home } => active(kb_home, env, out),
    }
}

fn keygen(path: &Path, out: &mut dyn Write) -> CmdResult<ExitStatus> {
    let key = bundle::generate_key()?;
    let public = bundle::write_key_pair(path, &key)?;
    let fp = bundle::fingerprint(&key.verifying_key());
    emit(out, &render_keygen(path, &public, &fp), ExitStatus::Clean)?;
    Ok(ExitStatus::Clean)
}

fn pack(dir: &Path, key: &Path, path: &Path, out: &mut dyn Write) -> CmdResult<ExitStatus> {
    let key = bundle::read_signing_key(key)?;
    let bytes = bundle::pack(dir, &key)?;
    let parsed = bundle::parse(&bytes)?;
    std::fs::write(path, &bytes).map_err(|source| CliError::Io {
        path: path.to_owned(),
        action: "write",
        source,
    })?;
    let signer = bundle::fingerprint(&parsed.key);
    emit(
        out,
        &render_bundled(path, &parsed, &signer),
        ExitStatus::Clean,
    )?;
    Ok(ExitStatus::Clean)
}

fn install(
    path: &Path,
    trusted: &[PathBuf],
    home: Option<PathBuf>,
    env: &crate::Environment,
    out: &mut dyn Write,
) -> CmdResult<ExitStatus> {
    let home = kb_home(home, env)?;
    let keys = bundle::trusted_keys(&home, trusted)?;
    let built_in = embedded_kb_version()?;
    let outcome =
        bundle::install(path, &home, &keys, &built_in).map_err(|source| CliError::Refused {
            path: path.to_owned(),
            source,
        })?;
    emit(out, &render_installed(&outcome), ExitStatus::Clean)?;
    Ok(ExitStatus::Clean)
}

fn active(
    home: Option<PathBuf>,
    env: &crate::Environment,
    out: &mut dyn Write,
) -> CmdResult<ExitStatus> {
    let home = kb_home(home, env)?;
    let installed = bundle::installed(&home)?;
    let text = render_active(installed.as_ref(), &home, &embedded_kb_version()?);
    emit(out, &text, ExitStatus::Clean)?;
    Ok(ExitStatus::Clean)
}

/// `--kb-home`, else the environment's KB home.
fn kb_home(flag: Option<PathBuf>, env: &crate::Environment) -> CmdResult<PathBuf> {
    flag.or_else(|| env.kb_home.clone()).ok_or_else(|| {
        CliError::Usage("no KB home: pass --kb-home DIR or set SUPPLYSCREEN_KB_HOME".into())
    })
}
