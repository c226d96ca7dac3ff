//! Where scan reports go: `-o FORMAT` to standard output, `-o FORMAT=FILE`
//! to a file written atomically (a temporary file in the same directory,
//! renamed over the target once complete, so a reader never sees half a
//! report and a failed run leaves the previous file in place).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use supplyscreen_report::OutputFormat;

use crate::CliError;

/// One requested report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSpec {
    /// Its format.
    pub format: OutputFormat,
    /// The file to write, or standard output.
    pub file: Option<PathBuf>,
}

impl FromStr for OutputSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (name, file) = match s.split_once('=') {
            Some((_, "")) => return Err(format!("{s:?}: no file after '='")),
            Some((name, file)) => (name, Some(PathBuf::from(file))),
            None => (s, None),
        };
        let format = name
            .parse()
            .map_err(|e: supplyscreen_report::UnknownFormat| e.to_string())?;
        Ok(Self { format, file })
    }
}

/// Checks a set of outputs: at most one on standard output, no file twice.
pub fn check(outputs: &[OutputSpec]) -> Result<(), CliError> {
    let to_stdout = outputs.iter().filter(|o| o.file.is_none()).count();
    if to_stdout > 1 {
        return Err(CliError::Usage(
            "only one report can go to standard output; name a file for the others (-o FORMAT=FILE)"
                .into(),
        ));
    }
    let mut files: Vec<&Path> = outputs.iter().filter_map(|o| o.file.as_deref()).collect();
    files.sort();
    if let Some(w) = files.windows(2).find(|w| w[0] == w[1]) {
        return Err(CliError::Usage(format!(
            "{} is named by two outputs",
            w[0].display()
        )));
    }
    Ok(())
}

/// A report file being written: a temporary file beside the target,
/// renamed over it by [`ReportFile::persist`]; dropped, it is removed and
/// the previous file stays.
pub struct ReportFile {
    path: PathBuf,
    tmp: tempfile::NamedTempFile,
}

impl ReportFile {
    /// Creates the temporary file and a buffered writer into it (dropping
    /// ANSI styles when `plain`); write errors name the path.
    pub fn create(path: &Path, plain: bool) -> Result<(Self, Box<dyn Write>), CliError> {
        let io = |source| CliError::Io {
            path: path.to_owned(),
            action: "write",
            source,
        };
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut builder = tempfile::Builder::new();
        builder.prefix(".supplyscreen-").suffix(".tmp");
        // A report is an ordinary file: read-write for all, less the umask.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let tmp = builder.tempfile_in(dir).map_err(io)?;
        let file = tmp.as_file().try_clone().map_err(io)?;
        let named = Named {
            path: path.to_owned(),
            inner: std::io::BufWriter::with_capacity(1 << 16, file),
        };
        let to: Box<dyn Write> = if plain {
            Box::new(Plain {
                inner: named,
                strip: anstream::adapter::StripBytes::new(),
            })
        } else {
            Box::new(named)
        };
        let file = Self {
            path: path.to_owned(),
            tmp,
        };
        Ok((file, to))
    }

    fn error(&self, source: std::io::Error) -> CliError {
        CliError::Io {
            path: self.path.clone(),
            action: "write",
            source,
        }
    }

    /// Syncs the written report and renames it over the target.
    pub fn persist(self) -> Result<(), CliError> {
        self.tmp.as_file().sync_all().map_err(|e| self.error(e))?;
        let path = self.path;
        self.tmp.persist(&path).map_err(|e| CliError::Io {
            path,
            action: "write",
            source: e.error,
        })?;
        Ok(())
    }
}

/// A writer whose errors name the report file.
struct Named {
    path: PathBuf,
    inner: std::io::BufWriter<std::fs::File>,
}

impl Named {
    fn named(&self, e: std::io::Error) -> std::io::Error {
        std::io::Error::new(e.kind(), format!("{}: {e}", self.path.display()))
    }
}

impl Write for Named {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.inner.write(b).map_err(|e| self.named(e))
    }
    fn write_all(&mut self, b: &[u8]) -> std::io::Result<()> {
        self.inner.write_all(b).map_err(|e| self.named(e))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush().map_err(|e| self.named(e))
    }
}

/// A writer that drops ANSI styles (for a table written to a file).
struct Plain<W> {
    inner: W,
    strip: anstream::adapter::StripBytes,
}

impl<W: Write> Write for Plain<W> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        for part in self.strip.strip_next(b) {
            self.inner.write_all(part)?;
        }
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Standard output for a streamed report: buffered, and a failed write
/// (a closed pipe) is kept instead of stopping the reports written to
/// files; later writes are dropped.
pub struct Tolerant<'a> {
    inner: std::io::BufWriter<&'a mut dyn Write>,
    error: std::rc::Rc<std::cell::Cell<Option<std::io::Error>>>,
}

/// The first error standard output gave, once the report is written.
pub struct FirstError(std::rc::Rc<std::cell::Cell<Option<std::io::Error>>>);

impl FirstError {
    /// The error, if there was one.
    pub fn take(&self) -> Option<std::io::Error> {
        self.0.take()
    }
}

impl<'a> Tolerant<'a> {
    /// Wraps standard output.
    pub fn new(out: &'a mut dyn Write) -> Self {
        Self {
            inner: std::io::BufWriter::with_capacity(1 << 16, out),
            error: Default::default(),
        }
    }

    /// Where the first error will be.
    pub fn error(&self) -> FirstError {
        FirstError(self.error.clone())
    }

    fn keep(&mut self, r: std::io::Result<()>) {
        if let Err(e) = r {
            self.error.set(Some(e));
        }
    }

    fn failed(&self) -> bool {
        let e = self.error.take();
        let failed = e.is_some();
        self.error.set(e);
        failed
    }
}

impl Write for Tolerant<'_> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        if !self.failed() {
            let r = self.inner.write_all(b);
            self.keep(r);
        }
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        if !self.failed() {
            let r = self.inner.flush();
            self.keep(r);
        }
        Ok(())
    }
}

impl Drop for Tolerant<'_> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_format_and_file() {
        let s: OutputSpec = "sarif=out/x.sarif".parse().expect("parses");
        assert_eq!(s.format, OutputFormat::Sarif);
        assert_eq!(s.file.as_deref(), Some(Path::new("out/x.sarif")));
        let t: OutputSpec = "table".parse().expect("parses");
        assert_eq!((t.format, t.file), (OutputFormat::Table, None));
        assert!("html=".parse::<OutputSpec>().is_err());
        let e = "xml=a.xml".parse::<OutputSpec>().expect_err("unknown");
        assert!(e.contains("unknown output format \"xml\""), "{e}");
    }

    #[test]
    fn two_reports_on_stdout_or_one_file_twice_are_refused() {
        let p = |s: &str| s.parse::<OutputSpec>().expect("parses");
        assert!(check(&[p("table"), p("json")]).is_err());
        assert!(check(&[p("json=a"), p("csv=a")]).is_err());
        assert!(check(&[p("table"), p("json=a"), p("csv=b")]).is_ok());
    }
}
