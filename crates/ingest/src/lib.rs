//! Reads the files operators already have (dmidecode output, purchase-order
//! spreadsheets exported as CSV, our own JSON Lines) into [`Component`]s.
//!
//! Ingest knows formats and nothing about companies. Every reader streams
//! (memory does not grow with the input), keeps every field as printed with
//! the file and line it came from, and turns malformed input into
//! [`Diagnostic`]s instead of panicking. Nothing is dropped silently: the
//! [`Summary`] counts what was read and what was skipped, and why.

mod dates;
mod detect;
mod dmidecode;
mod headers;
mod json_doc;
mod jsonl;
mod local;
mod lsblk;
mod lshw;
mod lspci;
mod lsusb;
mod macos;
mod nvme;
mod osquery;
mod smartctl;
mod smbios;
mod table;
mod text;
mod windows;
mod wmic;

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;

use serde::Serialize;
use supplyscreen_model::Component;

pub use dates::parse_input_date;
pub use detect::detect;
pub use jsonl::to_line as to_jsonl_line;
pub use local::{Collection, collect};

/// An input format we can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// `dmidecode` text output (any version from 2.x on).
    Dmidecode,
    /// A purchase-order or inventory table exported as CSV/TSV.
    Csv,
    /// JSON Lines in the `supplyscreen/component/v1` schema.
    Jsonl,
    /// `smartctl -i/-a/-x` text.
    SmartctlText,
    /// `smartctl --json`.
    SmartctlJson,
    /// `nvme list -o json` (nvme-cli 1.x or 2.x layout).
    NvmeList,
    /// `nvme id-ctrl -o json`.
    NvmeIdCtrl,
    /// `lsblk --json`.
    Lsblk,
    /// `lshw -json`.
    LshwJson,
    /// `lshw -xml`.
    LshwXml,
    /// `lspci` (`-nn`, `-v`, `-vmm`, `-mm`).
    Lspci,
    /// `lsusb` (plain or `-v`).
    Lsusb,
    /// `osqueryi --json` rows of memory_devices, pci_devices, usb_devices, disk_info, block_devices.
    OsqueryJson,
    /// osqueryd result-log lines (differential or snapshot).
    OsqueryLog,
    /// PowerShell `Get-CimInstance ... | ConvertTo-Json`.
    WindowsCim,
    /// macOS `system_profiler -json`.
    SystemProfiler,
    /// `wmic ... /format:list` (`Property=Value` blocks).
    Wmic,
    /// A binary SMBIOS table (`dmidecode --dump-bin`, `/sys/firmware/dmi/tables/DMI`).
    SmbiosDump,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Dmidecode => "dmidecode",
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
            Format::SmartctlText => "smartctl-text",
            Format::SmartctlJson => "smartctl-json",
            Format::NvmeList => "nvme-list",
            Format::NvmeIdCtrl => "nvme-id-ctrl",
            Format::Lsblk => "lsblk",
            Format::LshwJson => "lshw-json",
            Format::LshwXml => "lshw-xml",
            Format::Lspci => "lspci",
            Format::Lsusb => "lsusb",
            Format::OsqueryJson => "osquery-json",
            Format::OsqueryLog => "osquery-log",
            Format::WindowsCim => "windows-cim",
            Format::SystemProfiler => "system-profiler",
            Format::SmbiosDump => "smbios-dump",
            Format::Wmic => "wmic-list",
        })
    }
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Something was read but is worth knowing (a record skipped on purpose).
    Warning,
    /// The input is malformed: screening it would be incomplete.
    Error,
}

/// A problem in an input, with its line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// 1-based line in the input.
    pub line: u64,
    /// Warning or error.
    pub severity: Severity,
    /// What is wrong, naming the offending value.
    pub message: String,
}

/// What reading one input produced, besides its components.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// The input's path as given.
    pub path: String,
    /// The detected format.
    pub format: Format,
    /// The detected text encoding (`UTF-8`, `GB18030`, `UTF-16LE`).
    pub encoding: String,
    /// Components produced.
    pub components: usize,
    /// Records read but not turned into components, by reason.
    pub skipped: BTreeMap<String, usize>,
    /// Problems, in line order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Summary {
    fn new(path: &str, format: Format, encoding: &str) -> Self {
        Self {
            path: path.to_owned(),
            format,
            encoding: encoding.to_owned(),
            components: 0,
            skipped: BTreeMap::new(),
            diagnostics: Vec::new(),
        }
    }

    fn skip(&mut self, reason: &str) {
        *self.skipped.entry(reason.to_owned()).or_default() += 1;
    }

    fn diag(&mut self, line: u64, severity: Severity, message: impl Into<String>) {
        let message = message.into();
        self.diagnostics.push(Diagnostic {
            line,
            severity,
            message,
        });
    }

    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }

    /// The error diagnostics.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }

    /// Total records skipped.
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }
}

/// Why an input could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// Reading failed.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The input.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// No reader recognises the content.
    #[error(
        "{path}:1: unknown input format (expected output of dmidecode, smartctl, nvme-cli, \
         lsblk, lshw, lspci, lsusb, osquery, wmic, Get-CimInstance or system_profiler, a CSV/TSV table with a manufacturer, part-number or \
         description column, or supplyscreen JSON Lines)"
    )]
    UnknownFormat {
        /// The input.
        path: String,
    },
}

/// Reads one input, detecting its encoding and format from its content, and
/// hands each component to `sink` as soon as it is complete.
pub fn read(
    path: &str,
    input: impl Read,
    sink: &mut dyn FnMut(Component),
) -> Result<Summary, IngestError> {
    let io = |source| IngestError::Io {
        path: path.to_owned(),
        source,
    };
    let mut input = std::io::BufReader::new(input);
    let head = std::io::BufRead::fill_buf(&mut input).map_err(io)?;
    if smbios::is_dump(head) {
        return read_smbios_dump(path, input, sink).map_err(io);
    }
    let decoded = text::decode(input).map_err(io)?;
    let format = detect(&decoded.head).ok_or_else(|| IngestError::UnknownFormat {
        path: path.to_owned(),
    })?;
    let reader = std::io::BufReader::with_capacity(64 * 1024, decoded.reader);
    let mut summary = Summary::new(path, format, decoded.encoding);
    let mut count = |c: Component, summary: &mut Summary| {
        summary.components += 1;
        sink(c);
    };
    match format {
        Format::Dmidecode => dmidecode::read(path, reader, &mut summary, &mut count),
        Format::Csv => table::read(path, reader, &mut summary, &mut count),
        Format::Jsonl => jsonl::read(path, reader, &mut summary, &mut count),
        Format::SmartctlText => smartctl::read_text(path, reader, &mut summary, &mut count),
        Format::Lspci => lspci::read(path, reader, &mut summary, &mut count),
        Format::Lsusb => lsusb::read(path, reader, &mut summary, &mut count),
        Format::OsqueryLog => osquery::read_log(path, reader, &mut summary, &mut count),
        Format::Wmic => wmic::read(path, reader, &mut summary, &mut count),
        _ => whole_document(path, format, reader, &mut summary, &mut count),
    }
    .map_err(io)?;
    Ok(summary)
}

/// A binary `dmidecode --dump-bin` file.
fn read_smbios_dump(
    path: &str,
    mut input: impl Read,
    sink: &mut dyn FnMut(Component),
) -> std::io::Result<Summary> {
    let mut dump = Vec::new();
    input.read_to_end(&mut dump)?;
    let mut summary = Summary::new(path, Format::SmbiosDump, "binary");
    let mut count = |c: Component, summary: &mut Summary| {
        summary.components += 1;
        sink(c);
    };
    smbios::read_dump(path, &dump, &mut summary, &mut count);
    Ok(summary)
}

/// Reads a live SMBIOS structure table (such as `/sys/firmware/dmi/tables/DMI`).
pub fn read_smbios_table(path: &str, table: &[u8], sink: &mut dyn FnMut(Component)) -> Summary {
    let mut summary = Summary::new(path, Format::SmbiosDump, "binary");
    let mut count = |c: Component, summary: &mut Summary| {
        summary.components += 1;
        sink(c);
    };
    smbios::read_table(path, table, 0, &mut summary, &mut count);
    summary
}

/// Formats printed as one document (JSON, XML): read whole, then walked.
/// These are one host's output each, a few hundred kilobytes at most.
fn whole_document(
    path: &str,
    format: Format,
    mut reader: impl Read,
    summary: &mut Summary,
    sink: &mut Sink<'_>,
) -> std::io::Result<()> {
    let mut text = String::new();
    reader.read_to_string(&mut text)?;
    if format == Format::LshwXml {
        lshw::read_xml(path, &text, summary, sink);
        return Ok(());
    }
    let doc: serde_json::Value = match serde_json::from_str(&text) {
        Ok(doc) => doc,
        Err(e) => {
            summary.diag(
                e.line() as u64,
                Severity::Error,
                format!("malformed {format} document: {e}"),
            );
            return Ok(());
        }
    };
    match format {
        Format::SmartctlJson => smartctl::read_json(path, &text, &doc, summary, sink),
        Format::NvmeList => nvme::read_list(path, &text, &doc, summary, sink),
        Format::NvmeIdCtrl => nvme::read_id_ctrl(path, &text, &doc, summary, sink),
        Format::Lsblk => lsblk::read(path, &text, &doc, summary, sink),
        Format::OsqueryJson => osquery::read_query(path, &text, &doc, summary, sink),
        Format::WindowsCim => windows::read_cim(path, &text, &doc, summary, sink),
        Format::SystemProfiler => macos::read(path, &text, &doc, summary, sink),
        _ => lshw::read_json(path, &text, &doc, summary, sink),
    }
    Ok(())
}

/// Calls `f` with each line's 1-based number and text (line end removed),
/// reusing one buffer so memory stays flat; stops early when `f` says false.
fn each_line(
    mut input: impl std::io::BufRead,
    mut f: impl FnMut(u64, &str) -> bool,
) -> std::io::Result<()> {
    let mut buf = String::new();
    let mut line_no = 0u64;
    loop {
        buf.clear();
        if input.read_line(&mut buf)? == 0 {
            return Ok(());
        }
        line_no += 1;
        if !f(line_no, buf.trim_end_matches(['\n', '\r'])) {
            return Ok(());
        }
    }
}

/// The callback readers hand components to.
type Sink<'a> = dyn FnMut(Component, &mut Summary) + 'a;

/// The host name a file stands for: its file name without directory and extension.
fn host_from_path(path: &str) -> Option<String> {
    let name = path.rsplit(['/', '\\']).next()?;
    let stem = name.split('.').next().unwrap_or(name);
    (!stem.is_empty() && stem != "-").then(|| stem.to_owned())
}

/// Runs one reader over `text` in tests, collecting components and the summary.
#[cfg(test)]
fn run_reader(
    read: fn(&str, &[u8], &mut Summary, &mut Sink<'_>) -> std::io::Result<()>,
    path: &str,
    format: Format,
    text: &str,
) -> (Vec<Component>, Summary) {
    let mut out = Vec::new();
    let mut summary = Summary::new(path, format, "UTF-8");
    let mut sink = |c: Component, s: &mut Summary| {
        s.components += 1;
        out.push(c);
    };
    read(path, text.as_bytes(), &mut summary, &mut sink).expect("in memory");
    (out, summary)
}
