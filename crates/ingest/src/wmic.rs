//! `wmic ... get /format:list` exports (and `Get-CimInstance | Format-List`-
//! like `Key=Value` listings): one block of `Property=Value` lines per
//! instance, blocks separated by blank lines, usually UTF-16 with CRLF.
//! The class comes from `CreationClassName`, else from the file name
//! (`latitude-7480-MSFT_PhysicalDisk.wmi`).

use std::collections::BTreeMap;
use std::io::{self, BufRead};

use supplyscreen_model::{Component, ComponentKind, FieldRole, Role, SourceLocation};

use crate::windows::push_pnp;
use crate::{Sink, Summary, each_line, host_from_path};

/// True for a `Property=Value` line.
pub fn is_property_line(line: &str) -> bool {
    line.split_once('=').is_some_and(|(k, _)| {
        !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// One instance being read.
struct Block {
    line: u64,
    props: Vec<(String, String)>,
}

/// Reads the listing block by block.
pub fn read(
    path: &str,
    input: &mut dyn BufRead,
    summary: &mut Summary,
    sink: &mut Sink<'_>,
) -> io::Result<()> {
    let file_class = class_from_path(path);
    let mut counters: BTreeMap<String, usize> = BTreeMap::new();
    let mut block: Option<Block> = None;
    let mut finish = |b: Block, summary: &mut Summary, sink: &mut Sink<'_>| {
        let class = b
            .props
            .iter()
            .find(|(k, _)| k == "CreationClassName")
            .map(|(_, v)| v.clone())
            .or_else(|| file_class.clone())
            .unwrap_or_else(|| "instance".into());
        let n = counters.entry(class.clone()).or_default();
        let locator = format!("wmi:{class}[{n}]");
        *n += 1;
        sink(component(path, &class, locator, b), summary);
    };
    each_line(input, |line_no, line| {
        let line = line.trim();
        match line.split_once('=') {
            Some((key, value)) if is_property_line(line) => {
                let b = block.get_or_insert(Block {
                    line: line_no,
                    props: Vec::new(),
                });
                b.props.push((key.to_owned(), unescape(value.trim())));
            }
            _ if line.is_empty() => {
                if let Some(b) = block.take() {
                    finish(b, summary, sink);
                }
            }
            _ => {}
        }
        true
    })?;
    if let Some(b) = block {
        finish(b, summary, sink);
    }
    Ok(())
}

fn class_from_path(path: &str) -> Option<String> {
    let name = path.rsplit(['/', '\\']).next()?;
    ["Win32_", "MSFT_"].iter().find_map(|p| {
        let at = name.find(p)?;
        Some(name[at..].split('.').next().unwrap_or("").to_owned())
    })
}

fn kind_of(class: &str) -> ComponentKind {
    match class {
        "Win32_PhysicalMemory" => ComponentKind::Memory,
        "Win32_DiskDrive" | "MSFT_PhysicalDisk" => ComponentKind::Disk,
        _ => ComponentKind::Other,
    }
}

fn role_of(key: &str) -> FieldRole {
    match key {
        "Manufacturer" | "AdapterCompatibility" => FieldRole::Maker,
        "PartNumber" => FieldRole::PartNumber,
        "Model" | "FriendlyName" | "Name" | "Caption" => FieldRole::Model,
        _ => FieldRole::Other,
    }
}

/// wmic escapes `&` as `&amp;` (and the other XML entities) in list output.
fn unescape(v: &str) -> String {
    v.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn component(path: &str, class: &str, locator: String, b: Block) -> Component {
    let source = SourceLocation {
        path: path.to_owned(),
        line: b.line,
        locator: Some(locator),
    };
    let mut c = Component::new(kind_of(class), Role::Installed, source);
    c.host = b
        .props
        .iter()
        .find(|(k, _)| k == "SystemName" || k == "CSName")
        .map(|(_, v)| v.clone())
        .or_else(|| host_from_path(path));
    for (k, v) in &b.props {
        if !v.is_empty() {
            c.push(k, v, role_of(k));
        }
    }
    let pnp = b
        .props
        .iter()
        .find(|(k, _)| k == "PNPDeviceID")
        .map(|(_, v)| v.as_str());
    push_pnp(&mut c, pnp);
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_become_instances_of_their_class() {
        let text = "\r\n\r\nBankLabel=BANK 0\r\nCreationClassName=Win32_PhysicalMemory\r\nManufacturer=Micron\r\nPartNumber=8ATF1G64HZ-2G6E1\r\n\r\n\r\nCreationClassName=Win32_PhysicalMemory\r\nManufacturer=Samsung\r\nPartNumber=M471A1K43CB1-CTD\r\n\r\n";
        let (cs, _) = crate::run_reader("wmic-list", "7-Win32_PhysicalMemory.wmi", text);
        assert_eq!(cs.len(), 2);
        assert_eq!(cs[0].source.line, 3);
        assert_eq!(
            cs[1].source.locator.as_deref(),
            Some("wmi:Win32_PhysicalMemory[1]")
        );
        assert_eq!(cs[0].kind, ComponentKind::Memory);
        assert_eq!(
            class_from_path("x/latitude-7480-MSFT_PhysicalDisk.wmi").as_deref(),
            Some("MSFT_PhysicalDisk")
        );
        assert_eq!(unescape("Dell &amp; Co"), "Dell & Co");
    }
}
