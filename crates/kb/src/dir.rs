//! Reading a KB directory: every `.toml` file under it, each real directory
//! visited once (symlink loops are not followed round), and only regular
//! files opened (a FIFO or device named `*.toml` would block or never end).

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

use crate::{KbFile, LayerFile, LoadError};

/// Reads every `.toml` file under `dir` as KB files.
pub fn dir_files(dir: &Path) -> Result<Vec<KbFile>, LoadError> {
    let mut paths = Vec::new();
    let mut seen = HashSet::new();
    walk(dir, &mut seen, &mut paths)?;
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = check_regular(&path)
                .and_then(|()| std::fs::read_to_string(&path))
                .map_err(|source| LoadError::Io {
                    path: path.clone(),
                    source,
                })?;
            Ok(KbFile {
                rel: rel_of(dir, &path),
                display: path.to_string_lossy().into_owned(),
                text,
            })
        })
        .collect()
}

/// Reads the compact imported layers of a KB directory: every
/// `imports/*.layer` file, in name order.
pub fn dir_layers(dir: &Path) -> Result<Vec<LayerFile>, LoadError> {
    let imports = dir.join("imports");
    if !imports.is_dir() {
        return Ok(Vec::new());
    }
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| LoadError::Io { path, source }
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(&imports).map_err(io(&imports))? {
        let path = entry.map_err(io(&imports))?.path();
        if path.extension().is_some_and(|e| e == "layer") {
            paths.push(path);
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let bytes = check_regular(&path)
                .and_then(|()| std::fs::read(&path))
                .map_err(io(&path))?;
            Ok(LayerFile {
                rel: rel_of(dir, &path),
                display: path.to_string_lossy().into_owned(),
                bytes,
            })
        })
        .collect()
}

/// Refuses `path` by file type, before it is opened, unless it is a regular file.
fn check_regular(path: &Path) -> io::Result<()> {
    if std::fs::metadata(path)?.is_file() {
        return Ok(());
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        "not a regular file (a FIFO, socket, device or directory)",
    ))
}

/// `path` relative to the KB directory, with `/` separators.
fn rel_of(dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}

/// Collects the `.toml` files under `dir`, entering each real directory
/// once: `seen` holds the canonical paths of directories already entered.
fn walk(dir: &Path, seen: &mut HashSet<PathBuf>, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let io = |source| LoadError::Io {
        path: dir.to_owned(),
        source,
    };
    if !seen.insert(std::fs::canonicalize(dir).map_err(io)?) {
        return Ok(());
    }
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let path = entry.path();
        let kind = entry.file_type().map_err(io)?;
        // A symlink is followed to find what it names; a dangling one is
        // kept when it looks like a KB file, so that reading it reports it.
        let is_dir = kind.is_dir() || (kind.is_symlink() && path.is_dir());
        if is_dir {
            walk(&path, seen, out)?;
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
    Ok(())
}
