//! The input formats: one entry per format in [`READERS`], giving its name,
//! how it is recognised, how it is read, and the opening bytes that tests and
//! the fuzz target start from. Adding a format is one module with its reader
//! and one entry here; detection, dispatch, the list of formats in the
//! "unknown input format" error and the fuzz seeds all follow this table.

use std::fmt;
use std::io::{self, BufRead};

use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::detect::{self, Sniff};
use crate::{
    ReadOptions, Sink, Summary, bom, cdx_xml, dmidecode, jsonl, lsblk, lshw, lspci, lsusb, macos,
    nvme, osquery, smartctl, smbios, spdx_tv, spreadsheet, table, windows, wmic,
};

/// One input format.
pub(crate) struct Reader {
    /// The format's name (kebab-case; it appears in reports).
    pub name: &'static str,
    /// How the format is recognised and read.
    pub input: Input,
    /// The opening bytes of a real input of this format.
    pub sample: &'static [u8],
}

/// How a format is recognised (`detect`) and read (`read`).
pub(crate) enum Input {
    /// Binary, recognised from its first raw bytes and read whole.
    Binary {
        /// True for this format's first bytes.
        detect: fn(&[u8]) -> bool,
        /// Reads the whole input.
        read: fn(&str, &[u8], &mut Summary, &mut Sink<'_>),
    },
    /// Text read line by line: memory holds one record at a time.
    Lines {
        /// True for this format's decoded head.
        detect: fn(&Sniff<'_>) -> bool,
        /// Reads the decoded stream.
        read: fn(&str, &mut dyn BufRead, &mut Summary, &mut Sink<'_>) -> io::Result<()>,
    },
    /// One JSON document, parsed whole (one host's output, small).
    Json {
        /// True for this format's decoded head.
        detect: fn(&Sniff<'_>) -> bool,
        /// Walks the document; the text is there to find line numbers.
        read: fn(&str, &str, &Value, &mut Summary, &mut Sink<'_>),
    },
    /// A table read line by line, with the user's column mapping and date order.
    Table {
        /// True for this format's decoded head.
        detect: fn(&Sniff<'_>) -> bool,
        /// Reads the decoded stream.
        read:
            fn(&str, &mut dyn BufRead, &ReadOptions, &mut Summary, &mut Sink<'_>) -> io::Result<()>,
    },
    /// A binary workbook (spreadsheet), recognised from its first raw bytes
    /// and read whole with the user's column mapping and date order.
    Workbook {
        /// True for this format's first bytes.
        detect: fn(&[u8]) -> bool,
        /// Reads the whole input.
        read: fn(&str, Vec<u8>, &ReadOptions, &mut Summary, &mut Sink<'_>),
    },
    /// Another whole text document (XML).
    Document {
        /// True for this format's decoded head.
        detect: fn(&Sniff<'_>) -> bool,
        /// Reads the text.
        read: fn(&str, &str, &mut Summary, &mut Sink<'_>),
    },
}

/// Every input format. Binary formats are recognised before the input is
/// decoded, text formats after; within each, the first entry whose
/// predicate holds wins, so the order below is the detection order.
pub(crate) static READERS: &[Reader] = &[
    Reader {
        name: "smbios-dump",
        input: Input::Binary {
            detect: smbios::is_dump,
            read: smbios::read_dump,
        },
        sample: b"_SM3_\x00\x18\x03\x02\x00\x01\x00\xff\x00\x00\x00\x20\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00",
    },
    Reader {
        name: "xlsx",
        input: Input::Workbook {
            detect: spreadsheet::is_xlsx,
            read: spreadsheet::read,
        },
        sample: b"PK\x03\x04\x14\x00\x00\x00\x08\x00\x00\x00!\x00[Content_Types].xml",
    },
    Reader {
        name: "ods",
        input: Input::Workbook {
            detect: spreadsheet::is_ods,
            read: spreadsheet::read,
        },
        sample: b"PK\x03\x04\x14\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00\x00\x00mimetypeapplication/vnd.oasis.opendocument.spreadsheet",
    },
    Reader {
        name: "xls",
        input: Input::Workbook {
            detect: spreadsheet::is_xls,
            read: spreadsheet::read,
        },
        sample: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x00\x00\x00\x00\x00\x00",
    },
    Reader {
        name: "dmidecode",
        input: Input::Lines {
            detect: detect::dmidecode,
            read: dmidecode::read,
        },
        sample: b"# dmidecode 3.4\nHandle 0x0000, DMI type 17, 40 bytes\nMemory Device\n",
    },
    Reader {
        name: "smartctl-text",
        input: Input::Lines {
            detect: detect::smartctl_text,
            read: smartctl::read_text,
        },
        sample: b"smartctl 7.3 2022-02-28 r5338 [x86_64-linux-6.1.0] (local build)\n=== START OF INFORMATION SECTION ===\n",
    },
    Reader {
        name: "cyclonedx-xml",
        input: Input::Document {
            detect: detect::cyclonedx_xml,
            read: cdx_xml::read,
        },
        sample: b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\" version=\"1\">\n",
    },
    Reader {
        name: "lshw-xml",
        input: Input::Document {
            detect: detect::lshw_xml,
            read: lshw::read_xml,
        },
        sample: b"<?xml version=\"1.0\" standalone=\"yes\" ?>\n<node id=\"h\" class=\"system\">",
    },
    Reader {
        name: "osquery-log",
        input: Input::Lines {
            detect: detect::osquery_log,
            read: osquery::read_log,
        },
        sample: b"{\"name\":\"p\",\"hostIdentifier\":\"h\",\"columns\":",
    },
    Reader {
        name: "cyclonedx-json",
        input: Input::Json {
            detect: detect::cyclonedx_json,
            read: bom::read_cyclonedx,
        },
        sample: b"{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.6\",\n  \"components\": [",
    },
    Reader {
        name: "spdx-json",
        input: Input::Json {
            detect: detect::spdx_json,
            read: bom::read_spdx,
        },
        sample: b"{\n  \"spdxVersion\": \"SPDX-2.3\",\n  \"SPDXID\": \"SPDXRef-DOCUMENT\",\n  \"packages\": [",
    },
    Reader {
        name: "spdx-tag-value",
        input: Input::Lines {
            detect: detect::spdx_tag_value,
            read: spdx_tv::read,
        },
        sample: b"SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\n",
    },
    Reader {
        name: "system-profiler",
        input: Input::Json {
            detect: detect::system_profiler,
            read: macos::read,
        },
        sample: b"{\"SPMemoryDataType\":[{\"_items\":[",
    },
    Reader {
        name: "windows-cim",
        input: Input::Json {
            detect: detect::windows_cim,
            read: windows::read_cim,
        },
        sample: b"[{\"Manufacturer\":\"Micron\",\"PartNumber\":",
    },
    Reader {
        name: "osquery-json",
        input: Input::Json {
            detect: detect::osquery_json,
            read: osquery::read_query,
        },
        sample: b"[{\"part_number\":",
    },
    Reader {
        name: "smartctl-json",
        input: Input::Json {
            detect: detect::smartctl_json,
            read: smartctl::read_json,
        },
        sample: b"{\"json_format_version\":[1,0],\"smartctl\":{},",
    },
    Reader {
        name: "nvme-list",
        input: Input::Json {
            detect: detect::nvme_list,
            read: nvme::read_list,
        },
        sample: b"{\"Devices\":[",
    },
    Reader {
        name: "nvme-id-ctrl",
        input: Input::Json {
            detect: detect::nvme_id_ctrl,
            read: nvme::read_id_ctrl,
        },
        sample: b"{\"vid\":4932,\"mn\":",
    },
    Reader {
        name: "lsblk",
        input: Input::Json {
            detect: detect::lsblk,
            read: lsblk::read,
        },
        sample: b"{\"blockdevices\":[",
    },
    Reader {
        name: "lshw-json",
        input: Input::Json {
            detect: detect::lshw_json,
            read: lshw::read_json,
        },
        sample: b"{\"id\":\"h\",\"class\":\"system\",\"children\":[",
    },
    Reader {
        name: "jsonl",
        input: Input::Lines {
            detect: detect::jsonl,
            read: jsonl::read,
        },
        sample: b"{\"kind\":\"memory\",\"manufacturer\":\"802C\"}\n",
    },
    Reader {
        name: "lsusb",
        input: Input::Lines {
            detect: detect::lsusb,
            read: lsusb::read,
        },
        sample: b"Bus 001 Device 001: ID 1d6b:0002 Linux Foundation 2.0 root hub\n",
    },
    Reader {
        name: "lspci",
        input: Input::Lines {
            detect: detect::lspci,
            read: lspci::read,
        },
        sample: b"00:00.0 Host bridge [0600]: Intel Corporation Device [8086:3e0f]\n",
    },
    Reader {
        name: "wmic-list",
        input: Input::Lines {
            detect: detect::wmic_list,
            read: wmic::read,
        },
        sample: b"\r\n\r\nCreationClassName=Win32_PhysicalMemory\r\nManufacturer=Micron\r\n",
    },
    Reader {
        name: "csv",
        input: Input::Table {
            detect: detect::csv,
            read: table::read,
        },
        sample: b"Manufacturer,Part Number,Order Date,Qty\n",
    },
];

/// An input format: a handle to one entry of the format table. Formats
/// order as the table does (detection order); they print and serialize as
/// their name.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Format(usize);

impl Format {
    /// The binary SMBIOS table format (the live table `collect` reads).
    pub(crate) const SMBIOS_DUMP: Format = Format(0);

    /// Every format, in detection order.
    pub fn all() -> impl Iterator<Item = Format> {
        (0..READERS.len()).map(Format)
    }

    /// The format of this name (`dmidecode`, `lshw-json`, ...).
    pub fn from_name(name: &str) -> Option<Format> {
        Format::all().find(|f| f.name() == name)
    }

    /// The format's name, as reports print it.
    pub fn name(self) -> &'static str {
        self.reader().name
    }

    /// The opening bytes of a real input of this format.
    pub fn sample(self) -> &'static [u8] {
        self.reader().sample
    }

    /// Every format's name, comma-separated, in detection order.
    pub fn names() -> String {
        Format::all()
            .map(Format::name)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// How this format is recognised and read.
    pub(crate) fn input(self) -> &'static Input {
        &self.reader().input
    }

    fn reader(self) -> &'static Reader {
        &READERS[self.0]
    }

    /// Reads a whole input already known to be of this format.
    pub(crate) fn read(
        self,
        path: &str,
        encoding: &str,
        input: &mut dyn BufRead,
        options: &ReadOptions,
        sink: &mut Sink<'_>,
    ) -> io::Result<Summary> {
        let mut summary = Summary::new(path, self, encoding);
        match self.input() {
            Input::Table { read, .. } => read(path, input, options, &mut summary, sink)?,
            Input::Workbook { read, .. } => {
                let mut bytes = Vec::new();
                input.read_to_end(&mut bytes)?;
                read(path, bytes, options, &mut summary, sink);
            }
            Input::Binary { read, .. } => {
                let mut bytes = Vec::new();
                input.read_to_end(&mut bytes)?;
                read(path, &bytes, &mut summary, sink);
            }
            Input::Lines { read, .. } => read(path, input, &mut summary, sink)?,
            Input::Json { read, .. } => {
                let text = read_text(input)?;
                match serde_json::from_str::<Value>(&text) {
                    Ok(doc) => read(path, &text, &doc, &mut summary, sink),
                    Err(e) => {
                        summary.error(e.line() as u64, format!("malformed {self} document: {e}"))
                    }
                }
            }
            Input::Document { read, .. } => read(path, &read_text(input)?, &mut summary, sink),
        }
        Ok(summary)
    }
}

fn read_text(input: &mut dyn BufRead) -> io::Result<String> {
    let mut text = String::new();
    input.read_to_string(&mut text)?;
    Ok(text)
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Debug for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Format({})", self.name())
    }
}

impl Serialize for Format {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn every_sample_is_detected_as_its_format() {
        for format in Format::all() {
            let mut sink = |_| {};
            let summary = crate::read("sample", format.sample(), &mut sink)
                .unwrap_or_else(|e| panic!("{format}: {e}"));
            assert_eq!(summary.format, format, "sample of {format}");
        }
    }

    #[test]
    fn names_are_unique_kebab_case_and_found_by_name() {
        let names: BTreeSet<&str> = Format::all().map(Format::name).collect();
        assert_eq!(names.len(), READERS.len());
        for format in Format::all() {
            let name = format.name();
            assert!(
                name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{name}"
            );
            assert_eq!(Format::from_name(name), Some(format));
        }
        assert_eq!(Format::from_name("excel"), None);
        assert_eq!(Format::SMBIOS_DUMP.name(), "smbios-dump");
        assert_eq!(
            serde_json::to_string(&Format::from_name("wmic-list")).expect("serializable"),
            "\"wmic-list\""
        );
    }
}
