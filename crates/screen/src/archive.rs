//! Archives and compressed inputs, told apart by their first bytes (never
//! by seeking, so standard input and pipes work): gzip is decompressed
//! (every member of a concatenated stream), a tar archive is read member by
//! member, anything else is one document.
//!
//! Nothing in an archive is dropped silently. A member cut short, a bad
//! gzip checksum or length (the stream is read to its end so its trailer is
//! checked), a device, FIFO or symbolic-link member and a decompression bomb
//! are each a problem naming the member and the byte offset. A hard-link
//! member is read as the file it links to. A tar inside a tar is read, down
//! to [`MAX_DEPTH`] archives deep.

use std::cell::Cell;
use std::io::{self, Cursor, Read};
use std::rc::Rc;

use supplyscreen_ingest::InputLimits;

mod limit;
mod links;
#[cfg(test)]
mod tests;

use limit::{Failure, Guarded};
use links::LinkCache;

/// How many archives deep a member may be (`a.tar:b.tar:c.tar:x.dmi` is 3).
pub(crate) const MAX_DEPTH: usize = 3;

/// Bytes looked at to recognise gzip and tar.
const HEAD: usize = 512;

/// What reading an input found.
pub(crate) enum Event<'a> {
    /// A document to read, named `archive.tar:member` inside an archive.
    Document {
        /// The name to show.
        name: &'a str,
        /// Its bytes, decompressed.
        reader: &'a mut dyn Read,
        /// True for a member of an archive (not named by the user).
        in_archive: bool,
    },
    /// Something that could not be read, and why (with the byte offset).
    Problem {
        /// The input or member.
        name: &'a str,
        /// What is wrong.
        message: String,
    },
}

/// Reads one input: calls `visit` with each document it holds, and with
/// each problem found on the way.
pub(crate) fn read_input(
    name: &str,
    reader: Box<dyn Read>,
    limits: &InputLimits,
    visit: &mut dyn FnMut(Event<'_>),
) {
    let mut walker = Walker { limits, visit };
    let mut reader = reader;
    walker.stream(name, &mut reader, 0, false);
}

struct Walker<'v> {
    limits: &'v InputLimits,
    visit: &'v mut dyn FnMut(Event<'_>),
}

impl Walker<'_> {
    fn problem(&mut self, name: &str, message: impl Into<String>) {
        (self.visit)(Event::Problem {
            name,
            message: message.into(),
        });
    }

    /// One stream: decompressed when gzip, then a tar archive or a document.
    fn stream(&mut self, name: &str, reader: &mut dyn Read, depth: usize, in_archive: bool) {
        let (head, rest) = match peek(reader) {
            Ok(peeked) => peeked,
            Err(e) => return self.problem(name, e.to_string()),
        };
        let mut plain = Cursor::new(head.clone()).chain(rest);
        if !head.starts_with(&[0x1f, 0x8b]) {
            return self.content(name, &head, &mut plain, depth, in_archive, None);
        }
        let failure = Failure::default();
        let mut gz = Guarded::gzip(&mut plain, self.limits, failure.clone());
        let (head, rest) = match peek(&mut gz) {
            Ok(peeked) => peeked,
            Err(e) => return self.problem(name, e.to_string()),
        };
        let mut inner = Cursor::new(head.clone()).chain(rest);
        self.content(name, &head, &mut inner, depth, in_archive, Some(&failure));
        drop(inner);
        // Read to the end of the gzip stream so its checksum and length are checked.
        if !failure.seen()
            && let Err(e) = io::copy(&mut gz, &mut io::sink())
        {
            self.problem(name, e.to_string());
        }
    }

    /// Decompressed content: a tar archive (by its `ustar` magic) or one document.
    fn content(
        &mut self,
        name: &str,
        head: &[u8],
        reader: &mut dyn Read,
        depth: usize,
        in_archive: bool,
        failure: Option<&Failure>,
    ) {
        let is_tar = head.len() >= 262 && &head[257..262] == b"ustar";
        let is_gzip = head.starts_with(&[0x1f, 0x8b]);
        if is_gzip && failure.is_some() && depth < MAX_DEPTH {
            // gzip inside gzip (`.tar.gz.gz`): each layer under its own limits.
            return self.stream(name, reader, depth + 1, in_archive);
        }
        if !is_tar {
            return (self.visit)(Event::Document {
                name,
                reader,
                in_archive,
            });
        }
        if depth >= MAX_DEPTH {
            return self.problem(
                name,
                format!("an archive nested more than {MAX_DEPTH} deep; not read"),
            );
        }
        self.tar(name, reader, depth + 1, failure);
    }

    /// Every member of a tar archive, in archive order.
    fn tar(&mut self, name: &str, reader: &mut dyn Read, depth: usize, failure: Option<&Failure>) {
        let consumed = Rc::new(Cell::new(0u64));
        let counted = Counted {
            inner: reader,
            count: consumed.clone(),
        };
        let mut archive = tar::Archive::new(counted);
        // Archives concatenated (`cat a.tar b.tar`, or gzip members each
        // holding a whole tar) are all read, like `tar --ignore-zeros`.
        archive.set_ignore_zeros(true);
        let mut links = LinkCache::default();
        let mut end = 0u64;
        let mut last = String::from("(none)");
        let entries = match archive.entries() {
            Ok(entries) => entries,
            Err(e) => return self.problem(name, format!("not a readable tar archive: {e}")),
        };
        for entry in entries {
            let mut entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    if !body_reported(&e) {
                        self.problem(name, tar_error(&e, &last, end));
                    }
                    return;
                }
            };
            let member = member_name(&entry);
            let display = format!("{name}:{member}");
            end = entry.raw_file_position() + entry.size().div_ceil(512) * 512;
            let failed = self.member(&display, &member, &mut entry, depth, &mut links);
            last = member;
            // A member that failed was reported; the archive after it is not read.
            if failed || failure.is_some_and(Failure::seen) {
                return;
            }
        }
        if consumed.get() <= end {
            self.problem(
                name,
                format!(
                    "the tar archive ends at byte offset {end}, after member {last}, without its end-of-archive blocks (cut short?)"
                ),
            );
        }
    }

    /// One member, by its type; true when its body could not be read.
    fn member<R: Read>(
        &mut self,
        display: &str,
        member: &str,
        entry: &mut tar::Entry<'_, R>,
        depth: usize,
        links: &mut LinkCache,
    ) -> bool {
        let kind = entry.header().entry_type();
        if kind.is_file() || kind.is_contiguous() {
            let mut body = Member::new(entry, links.keep(entry.size()));
            self.stream(display, &mut body, depth, true);
            let result = io::copy(&mut body, &mut io::sink());
            let failed = body.failed.is_some();
            let kept = body.finish();
            match result {
                Ok(_) => links.insert(member, kept),
                Err(e) if !body_reported(&e) => self.problem(display, e.to_string()),
                Err(_) => {}
            }
            return failed;
        } else if kind.is_hard_link() {
            let target = link_target(entry);
            match links.get(&target) {
                Some(bytes) => {
                    let mut reader = Cursor::new(bytes);
                    self.stream(display, &mut reader, depth, true);
                }
                None => self.problem(
                    display,
                    format!(
                        "a hard link to {target:?}, which is not a file earlier in the archive (or is larger than can be kept); not read"
                    ),
                ),
            }
        } else if !(kind.is_dir() || kind.is_pax_global_extensions()) {
            let what = special_member(kind, &link_target(entry));
            self.problem(display, format!("{what}; not read"));
        }
        false
    }
}

/// What a member that is neither a file, a hard link nor a directory is.
fn special_member(kind: tar::EntryType, target: &str) -> String {
    if kind.is_symlink() {
        format!("a symbolic link to {target:?} (links are not followed)")
    } else if kind.is_character_special() {
        "a character device".to_owned()
    } else if kind.is_block_special() {
        "a block device".to_owned()
    } else if kind.is_fifo() {
        "a FIFO (named pipe)".to_owned()
    } else if kind.is_gnu_sparse() {
        "a sparse file (not supported)".to_owned()
    } else {
        format!("a member of type {:?}", kind.as_byte() as char)
    }
}

fn member_name<R: Read>(entry: &tar::Entry<'_, R>) -> String {
    String::from_utf8_lossy(&entry.path_bytes()).into_owned()
}

fn link_target<R: Read>(entry: &tar::Entry<'_, R>) -> String {
    entry
        .link_name_bytes()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

/// A tar error while looking for the next member.
fn tar_error(e: &io::Error, last: &str, end: u64) -> String {
    let what = match e.to_string().as_str() {
        "failed to read entire block" | "unexpected EOF during skip" => {
            "the archive is cut short".to_owned()
        }
        other => other.to_owned(),
    };
    format!("{what} at byte offset {end}, after member {last}")
}

/// True when the error came from reading the member's body and the document
/// reader already reported it (it reads the same stream first).
fn body_reported(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<Reported>())
}

/// Reads up to [`HEAD`] bytes (several reads on a pipe) and gives them back
/// with the rest of the stream.
fn peek(reader: &mut dyn Read) -> io::Result<(Vec<u8>, &mut dyn Read)> {
    let mut head = Vec::with_capacity(HEAD);
    reader.take(HEAD as u64).read_to_end(&mut head)?;
    Ok((head, reader))
}

/// Counts the bytes read through it.
struct Counted<'r> {
    inner: &'r mut dyn Read,
    count: Rc<Cell<u64>>,
}

impl Read for Counted<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// An error already given to the document reader once; draining the member
/// afterwards meets it again and does not report it twice.
#[derive(Debug)]
struct Reported(String);

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Reported {}

/// A member's body: counts its bytes against the size its header declares
/// (a member cut short is an error at its byte offset), keeps a copy for
/// hard links when small enough, and fails the same way every time once it
/// failed.
struct Member<'e, 'a, R: Read> {
    entry: &'e mut tar::Entry<'a, R>,
    declared: u64,
    start: u64,
    got: u64,
    kept: Option<Vec<u8>>,
    failed: Option<String>,
}

impl<'e, 'a, R: Read> Member<'e, 'a, R> {
    fn new(entry: &'e mut tar::Entry<'a, R>, keep: bool) -> Self {
        Self {
            declared: entry.size(),
            start: entry.raw_file_position(),
            got: 0,
            kept: keep.then(Vec::new),
            failed: None,
            entry,
        }
    }

    fn finish(self) -> Option<Vec<u8>> {
        self.kept
    }
}

impl<R: Read> Read for Member<'_, '_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if let Some(message) = &self.failed {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                Reported(message.clone()),
            ));
        }
        let result = self.entry.read(buf).and_then(|n| {
            if n == 0 && !buf.is_empty() && self.got < self.declared {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!(
                        "cut short at byte offset {}: the header declares {} bytes, the archive holds {}",
                        self.start + self.got,
                        self.declared,
                        self.got
                    ),
                ));
            }
            Ok(n)
        });
        match result {
            Ok(n) => {
                self.got += n as u64;
                if let Some(kept) = &mut self.kept {
                    kept.extend_from_slice(&buf[..n]);
                }
                Ok(n)
            }
            Err(e) => {
                self.failed = Some(e.to_string());
                Err(e)
            }
        }
    }
}
