//! Turning the paths a user gives into inputs: files, directories walked in
//! name order, tar archives, gzip-compressed files and standard input. A
//! file is opened only when it is read, so a walk over any number of files
//! holds one open at a time; FIFOs, sockets, devices and broken or looping
//! symbolic links are refused by their file type before anything opens them.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::{Input, Source};

/// Why a file was not screened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FileSkip {
    /// Its content is in no format the tool reads.
    UnknownFormat,
    /// It could not be opened or read (permission denied, vanished, I/O error).
    Unreadable,
    /// A table none of whose columns names a maker, supplier, part number,
    /// model or description: never screened on nothing.
    TableWithoutIdentity,
    /// A FIFO, socket or device: never opened, never waited on.
    SpecialFile,
    /// A symbolic link that points nowhere or into a loop.
    BrokenLink,
    /// A symbolic link to a directory, not followed (it could loop).
    LinkToDirectory,
}

impl FileSkip {
    /// True when a file refused for this reason leaves the screening
    /// incomplete even when it was only found in a directory: a FIFO, socket
    /// or device and a broken link may stand for an inventory that was not
    /// read (a README in a directory is not screened by design).
    pub fn fails_screening(self) -> bool {
        matches!(
            self,
            Self::BrokenLink | Self::SpecialFile | Self::Unreadable
        )
    }

    /// The reason as a kebab-case code.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UnknownFormat => "unknown-format",
            Self::Unreadable => "unreadable",
            Self::TableWithoutIdentity => "table-without-identity",
            Self::SpecialFile => "special-file",
            Self::BrokenLink => "broken-link",
            Self::LinkToDirectory => "link-to-directory",
        }
    }

    /// One line saying what the reason means.
    pub fn description(self) -> &'static str {
        match self {
            Self::UnknownFormat => "not in any input format the tool reads",
            Self::Unreadable => "cannot open or read",
            Self::TableWithoutIdentity => {
                "a table with no maker, supplier, part number, model or description column"
            }
            Self::SpecialFile => "not a regular file (FIFO, socket or device)",
            Self::BrokenLink => "a symbolic link that points nowhere or loops",
            Self::LinkToDirectory => "a symbolic link to a directory (not followed)",
        }
    }
}

/// A file that was not screened, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedFile {
    /// The path as displayed.
    pub path: String,
    /// Why.
    pub reason: FileSkip,
    /// The particulars (`Permission denied (os error 13)`, `a FIFO (named pipe)`).
    pub detail: String,
    /// True when the screening is incomplete because of it (an unreadable
    /// file, or one named by the user that is in no known format); false for
    /// files not screened by design (a README found in a directory).
    pub error: bool,
}

/// Opens paths as inputs: files as they are, tar and tar.gz archives as
/// their member files, gzip-compressed files as their content, directories
/// as their files in name order (recursively, hidden entries skipped), `-`
/// as standard input. Nothing is opened yet; what cannot be read is an
/// input that says why.
pub fn open_inputs(paths: &[PathBuf]) -> Vec<Input> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::reader("-", Box::new(io::stdin())));
            continue;
        }
        match fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut out),
            Ok(_) if is_open_descriptor(p) => out.push(Input {
                display: display(p),
                source: Source::Path(p.to_path_buf()),
                from_dir: false,
            }),
            Ok(m) => out.push(file_input(p, &m, false)),
            Err(e) => out.push(refused(p, FileSkip::Unreadable, e.to_string(), false)),
        }
    }
    out
}

/// True for `/dev/stdin` and `/dev/fd/N` (what `<(zcat ...)` passes): a
/// descriptor this process already holds, a pipe whose writer is there, so
/// opening it cannot wait, whatever its file type.
fn is_open_descriptor(p: &Path) -> bool {
    let s = p.to_string_lossy();
    s == "/dev/stdin"
        || ["/dev/fd/", "/proc/self/fd/"]
            .iter()
            .any(|d| s.strip_prefix(d).is_some_and(|n| n.parse::<u32>().is_ok()))
}

/// An input for a path whose metadata is known.
fn file_input(p: &Path, meta: &fs::Metadata, from_dir: bool) -> Input {
    match special_kind(meta) {
        Some(kind) => refused(p, FileSkip::SpecialFile, kind.to_owned(), from_dir),
        None => Input {
            display: display(p),
            source: Source::Path(p.to_path_buf()),
            from_dir,
        },
    }
}

fn refused(p: &Path, reason: FileSkip, detail: String, from_dir: bool) -> Input {
    Input {
        display: display(p),
        source: Source::Refused(reason, detail),
        from_dir,
    }
}

fn display(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// What a file that is neither regular nor a directory is.
#[cfg(unix)]
fn special_kind(meta: &fs::Metadata) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_fifo() {
        Some("a FIFO (named pipe)")
    } else if t.is_socket() {
        Some("a socket")
    } else if t.is_block_device() || t.is_char_device() {
        Some("a device")
    } else {
        None
    }
}

#[cfg(not(unix))]
fn special_kind(meta: &fs::Metadata) -> Option<&'static str> {
    (!meta.is_file()).then_some("not a regular file")
}

/// Adds a directory's entries in name order, recursively; symbolic links to
/// directories are listed, not followed (no loops).
fn walk(dir: &Path, out: &mut Vec<Input>) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return out.push(refused(dir, FileSkip::Unreadable, e.to_string(), true)),
    };
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => paths.push(entry.path()),
            Err(e) => out.push(refused(dir, FileSkip::Unreadable, e.to_string(), true)),
        }
    }
    paths.sort();
    for path in paths {
        let hidden = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden {
            continue;
        }
        let Ok(link) = fs::symlink_metadata(&path) else {
            out.push(refused(
                &path,
                FileSkip::Unreadable,
                "vanished".into(),
                true,
            ));
            continue;
        };
        if link.file_type().is_symlink() {
            match fs::metadata(&path) {
                Ok(m) if m.is_dir() => out.push(refused(
                    &path,
                    FileSkip::LinkToDirectory,
                    "symbolic link to a directory, not followed".into(),
                    true,
                )),
                Ok(m) => out.push(file_input(&path, &m, true)),
                Err(e) => out.push(refused(&path, FileSkip::BrokenLink, e.to_string(), true)),
            }
        } else if link.is_dir() {
            walk(&path, out);
        } else {
            out.push(file_input(&path, &link, true));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn special_files_and_loops_are_refused_without_opening_them() {
        let dir = std::env::temp_dir().join(format!("supplyscreen-walk-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("sub")).expect("temp dir");
        fs::write(dir.join("sub/po.csv"), "Manufacturer,MPN\nMicron,X\n").expect("temp file");
        std::os::unix::fs::symlink(&dir, dir.join("sub/loop")).expect("symlink");
        std::os::unix::fs::symlink(dir.join("nowhere"), dir.join("dangling")).expect("symlink");
        let fifo = std::process::Command::new("mkfifo")
            .arg(dir.join("pipe"))
            .status()
            .is_ok_and(|s| s.success());
        let inputs = open_inputs(std::slice::from_ref(&dir));
        let kinds: Vec<(String, String)> = inputs
            .iter()
            .map(|i| {
                let name = i.display.rsplit('/').next().unwrap_or("").to_owned();
                let what = match &i.source {
                    Source::Path(_) => "read".to_owned(),
                    Source::Refused(r, _) => r.as_str().to_owned(),
                    _ => "other".to_owned(),
                };
                (name, what)
            })
            .collect();
        let mut expected = vec![("dangling".to_owned(), "broken-link".to_owned())];
        if fifo {
            expected.push(("pipe".into(), "special-file".into()));
        }
        expected.push(("loop".into(), "link-to-directory".into()));
        expected.push(("po.csv".into(), "read".into()));
        assert_eq!(kinds, expected);
        let _ = fs::remove_dir_all(&dir);
    }
}
