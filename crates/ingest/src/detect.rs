//! Format detection from content, not file names.

use crate::{Format, headers};

/// Detects the format of an input from its first decoded bytes.
pub fn detect(head: &str) -> Option<Format> {
    let head = head.trim_start_matches('\u{feff}');
    let mut lines = head.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next()?;
    if is_dmidecode(head) {
        return Some(Format::Dmidecode);
    }
    if first.starts_with('{') {
        return Some(Format::Jsonl);
    }
    headers::looks_like_header(first).then_some(Format::Csv)
}

fn is_dmidecode(head: &str) -> bool {
    head.starts_with("# dmidecode")
        || head.lines().any(|l| {
            let l = l.trim_start();
            l.starts_with("Handle 0x") && (l.contains("DMI type") || l.len() <= 14)
        }) && head.contains("DMI type")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_format_by_content() {
        assert_eq!(
            detect("# dmidecode 3.4\nGetting SMBIOS data from sysfs.\n"),
            Some(Format::Dmidecode)
        );
        assert_eq!(
            detect("Handle 0x0000\n\tDMI type 0, 18 bytes.\n"),
            Some(Format::Dmidecode)
        );
        assert_eq!(detect("\n{\"kind\":\"memory\"}\n"), Some(Format::Jsonl));
        assert_eq!(detect("Vendor;MPN;Qty\nMicron;X;1\n"), Some(Format::Csv));
        assert_eq!(detect("just some text\n"), None);
        assert_eq!(detect(""), None);
    }
}
