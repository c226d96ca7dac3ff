//! SPDX 2.x tag-value documents: one component per package (`PackageName:`
//! opens it), read as the JSON form is (see `bom`): `PackageOriginator`
//! names the maker, `PackageSupplier` the supplier, purl external
//! references give their namespace. Files, snippets and licences after a
//! package do not belong to it.

use std::io::{self, BufRead};

use supplyscreen_model::{Component, ComponentKind, FieldRole, Role};

use crate::table::source;
use crate::{Sink, SkipReason, Summary, each_record};

/// One package being read.
struct Package {
    c: Component,
    /// A file, snippet or licence section started: later tags are not the package's.
    closed: bool,
}

/// Reads a tag-value document.
pub(crate) fn read(
    path: &str,
    input: &mut dyn BufRead,
    summary: &mut Summary,
    sink: &mut Sink<'_>,
) -> io::Result<()> {
    each_record(
        input,
        |line_no, line| {
            let name = line.strip_prefix("PackageName:")?.trim();
            let mut c = Component::new(
                ComponentKind::Other,
                Role::Installed,
                source(path, line_no, None),
            );
            c.push("name", name, FieldRole::Model);
            Some(Package { c, closed: false })
        },
        add,
        |p| {
            if p.c.fields.iter().any(|f| f.role != FieldRole::Other) {
                sink(p.c, summary);
            } else {
                summary.skip(SkipReason::BomEntryWithoutIdentity);
            }
        },
    )
}

fn add(p: &mut Package, line: &str) {
    let Some((tag, value)) = line.split_once(':') else {
        return;
    };
    let value = value.trim();
    let value = value
        .strip_prefix("<text>")
        .map_or(value, |v| v.split("</text>").next().unwrap_or(v))
        .trim();
    if matches!(tag, "FileName" | "SnippetSPDXID" | "LicenseID") {
        p.closed = true;
    }
    if p.closed || value.is_empty() {
        return;
    }
    match tag {
        "SPDXID" => p.c.source.locator = Some(value.to_owned()),
        "PackageOriginator" => push_party(&mut p.c, "originator", value, FieldRole::Maker),
        "PackageSupplier" => push_party(&mut p.c, "supplier", value, FieldRole::Supplier),
        "PrimaryPackagePurpose" => p.c.push("primaryPackagePurpose", value, FieldRole::Other),
        "PackageVersion" => p.c.push("versionInfo", value, FieldRole::Other),
        "PackageSummary" => p.c.push("summary", value, FieldRole::Description),
        "PackageDescription" => p.c.push("description", value, FieldRole::Description),
        "ExternalRef" => {
            let mut parts = value.split_whitespace();
            if let (Some(_), Some("purl"), Some(purl)) = (parts.next(), parts.next(), parts.next())
            {
                crate::bom::push_purl(&mut p.c, purl);
            }
        }
        _ => {}
    }
}

fn push_party(c: &mut Component, name: &str, value: &str, role: FieldRole) {
    crate::bom::push_party(c, name, Some(&serde_json::Value::from(value)), role);
}

#[cfg(test)]
mod tests {
    #[test]
    fn packages_with_their_parties_and_not_their_files() {
        let text = "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nCreated: 2025-06-01T08:00:00Z\n\n\
PackageName: AR6140-16G4XG\nSPDXID: SPDXRef-router\nPackageSupplier: Organization: Example Distribution Ltd\n\
PackageOriginator: Organization: Huawei Technologies Co., Ltd.\nPrimaryPackagePurpose: DEVICE\n\
PackageDescription: <text>Enterprise router</text>\n\nFileName: ./notes.txt\nSPDXID: SPDXRef-notes\n\n\
PackageName: serde\nSPDXID: SPDXRef-serde\nPackageSupplier: NOASSERTION\n\
ExternalRef: PACKAGE-MANAGER purl pkg:cargo/serde@1.0.228\n";
        let (cs, _) = crate::run_reader("spdx-tag-value", "sbom.spdx", text);
        assert_eq!(cs.len(), 2);
        assert_eq!(cs[0].source.line, 6);
        assert_eq!(cs[0].source.locator.as_deref(), Some("SPDXRef-router"));
        assert_eq!(
            cs[0].field("originator"),
            Some("Huawei Technologies Co., Ltd.")
        );
        assert_eq!(cs[0].field("supplier"), Some("Example Distribution Ltd"));
        assert_eq!(cs[0].field("description"), Some("Enterprise router"));
        assert_eq!(cs[1].source.locator.as_deref(), Some("SPDXRef-serde"));
        assert_eq!(cs[1].field("supplier"), None);
        assert_eq!(cs[1].field("purl"), Some("pkg:cargo/serde@1.0.228"));
    }
}
