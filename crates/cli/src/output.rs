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

/// Writes `text` to `path` atomically; an error names the path.
pub fn write_atomically(path: &Path, text: &str) -> Result<(), CliError> {
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
    let mut tmp = builder.tempfile_in(dir).map_err(io)?;
    tmp.write_all(text.as_bytes()).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
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
