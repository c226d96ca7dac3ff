//! This machine's inventory, read from sysfs: SMBIOS (the live table, which
//! needs root; otherwise the world-readable `/sys/class/dmi/id` names), PCI
//! and USB devices, disks and NVMe controllers. What cannot be read is said
//! in `notes`, never silently dropped. `root` is `/` on a real machine; tests
//! point it at a directory laid out like one.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

use supplyscreen_model::{Component, ComponentKind, FieldRole, Role, SourceLocation};

/// What `collect` found.
#[derive(Debug, Clone, Default)]
pub struct Collection {
    /// The machine's host name.
    pub host: String,
    /// Components, in the order read.
    pub components: Vec<Component>,
    /// What could not be read, and what that means for the inventory.
    pub notes: Vec<String>,
}

/// Reads the machine under `root`.
pub fn collect(root: &Path) -> Collection {
    let host = read_value(root, "proc/sys/kernel/hostname")
        .or_else(|| read_value(root, "etc/hostname"))
        .unwrap_or_else(|| "localhost".into());
    let mut col = Collection {
        host,
        ..Collection::default()
    };
    smbios(root, &mut col);
    pci(root, &mut col);
    usb(root, &mut col);
    disks(root, &mut col);
    let host = col.host.clone();
    for c in &mut col.components {
        c.host = Some(host.clone());
    }
    col
}

/// The largest SMBIOS table read (the kernel's is 64 KiB or less in practice).
const MAX_TABLE: u64 = 16 << 20;

/// The largest sysfs attribute read (the kernel's are one page).
const MAX_ATTRIBUTE: u64 = 64 << 10;

/// Reads a regular file of at most `limit` bytes. Anything else (a FIFO or a
/// device left where sysfs has a file) is refused before it is opened: it
/// could block forever or never end.
fn read_file(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    if !fs::metadata(path)?.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    let mut bytes = Vec::new();
    fs::File::open(path)?
        .take(limit + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("larger than {limit} bytes, not read"),
        ));
    }
    Ok(bytes)
}

/// A sysfs attribute, trimmed; `None` when absent, unreadable or empty.
fn read_value(root: &Path, rel: &str) -> Option<String> {
    let text = read_file(&root.join(rel), MAX_ATTRIBUTE).ok()?;
    let v = String::from_utf8_lossy(&text).trim().to_owned();
    (!v.is_empty()).then_some(v)
}

/// Sorted entries of a sysfs directory (relative path, name).
fn entries(root: &Path, rel: &str) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(root.join(rel))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn component(kind: ComponentKind, rel: String, locator: String) -> Component {
    let source = SourceLocation {
        path: format!("/{rel}"),
        line: 1,
        locator: Some(locator),
    };
    Component::new(kind, Role::Installed, source)
}

/// Adds attributes that exist, each with its role; ids lose their `0x`.
fn attrs(c: &mut Component, root: &Path, dir: &str, spec: &[(&str, FieldRole)]) {
    for (name, role) in spec {
        if let Some(v) = read_value(root, &format!("{dir}/{name}")) {
            c.push(name, v.trim_start_matches("0x"), *role);
        }
    }
}

fn smbios(root: &Path, col: &mut Collection) {
    const TABLE: &str = "sys/firmware/dmi/tables/DMI";
    match read_file(&root.join(TABLE), MAX_TABLE) {
        Ok(table) => {
            let mut sink = |c: Component| col.components.push(c);
            let summary = crate::read_smbios_table(&format!("/{TABLE}"), &table, &mut sink);
            col.notes.extend(
                summary
                    .diagnostics
                    .iter()
                    .map(|d| format!("/{TABLE}: {}", d.message)),
            );
        }
        Err(e) => {
            let why = match e.kind() {
                io::ErrorKind::PermissionDenied => "permission denied (run as root)",
                io::ErrorKind::InvalidInput => "not a regular file, not read",
                io::ErrorKind::InvalidData => "larger than 16 MiB, not read",
                _ => "not present (a virtual machine or a kernel without DMI)",
            };
            col.notes.push(format!("/{TABLE}: {why}; memory modules are not listed, system and board names come from /sys/class/dmi/id where present"));
            dmi_id(root, col);
        }
    }
}

/// The world-readable DMI names (no serial numbers without root).
fn dmi_id(root: &Path, col: &mut Collection) {
    const DIR: &str = "sys/class/dmi/id";
    for (kind, maker, model) in [
        (ComponentKind::System, "sys_vendor", "product_name"),
        (ComponentKind::Baseboard, "board_vendor", "board_name"),
        (ComponentKind::Chassis, "chassis_vendor", "chassis_version"),
    ] {
        let mut c = component(kind, DIR.into(), format!("dmi-id:{}", kind.as_str()));
        attrs(
            &mut c,
            root,
            DIR,
            &[(maker, FieldRole::Maker), (model, FieldRole::Model)],
        );
        if !c.fields.is_empty() {
            col.components.push(c);
        }
    }
}

fn pci(root: &Path, col: &mut Collection) {
    const DIR: &str = "sys/bus/pci/devices";
    for slot in entries(root, DIR) {
        let dir = format!("{DIR}/{slot}");
        let mut c = component(ComponentKind::Pci, dir.clone(), format!("pci:{slot}"));
        attrs(
            &mut c,
            root,
            &dir,
            &[
                ("vendor", FieldRole::PciVendor),
                ("device", FieldRole::Other),
                ("subsystem_vendor", FieldRole::PciSubsystemVendor),
                ("subsystem_device", FieldRole::Other),
                ("class", FieldRole::Other),
            ],
        );
        col.components.push(c);
    }
}

fn usb(root: &Path, col: &mut Collection) {
    const DIR: &str = "sys/bus/usb/devices";
    let names = entries(root, DIR);
    if names.is_empty() {
        col.notes.push(format!("/{DIR}: no USB devices visible"));
    }
    for name in names.into_iter().filter(|n| !n.contains(':')) {
        let dir = format!("{DIR}/{name}");
        if read_value(root, &format!("{dir}/idVendor")).is_none() {
            continue;
        }
        let mut c = component(ComponentKind::Usb, dir.clone(), format!("usb:{name}"));
        attrs(
            &mut c,
            root,
            &dir,
            &[
                ("idVendor", FieldRole::UsbVendor),
                ("idProduct", FieldRole::Other),
                ("manufacturer", FieldRole::Maker),
                ("product", FieldRole::Model),
                ("serial", FieldRole::Other),
            ],
        );
        col.components.push(c);
    }
}

fn disks(root: &Path, col: &mut Collection) {
    const DIR: &str = "sys/block";
    let virtual_dev = ["loop", "ram", "zram", "dm-", "md", "sr", "nbd"];
    for name in entries(root, DIR)
        .into_iter()
        .filter(|n| !virtual_dev.iter().any(|p| n.starts_with(p)))
    {
        let dir = format!("{DIR}/{name}/device");
        let mut c = component(
            ComponentKind::Disk,
            format!("{DIR}/{name}"),
            format!("block:{name}"),
        );
        attrs(
            &mut c,
            root,
            &dir,
            &[
                ("vendor", FieldRole::Maker),
                ("model", FieldRole::Model),
                ("serial", FieldRole::Other),
                ("firmware_rev", FieldRole::Other),
            ],
        );
        // An NVMe namespace's controller is `device`; its PCI function is `device/device`.
        attrs(
            &mut c,
            root,
            &format!("{dir}/device"),
            &[
                ("vendor", FieldRole::PciVendor),
                ("subsystem_vendor", FieldRole::PciSubsystemVendor),
            ],
        );
        if let Some(wwid) = read_value(root, &format!("{DIR}/{name}/device/wwid"))
            .or_else(|| read_value(root, &format!("{DIR}/{name}/wwid")))
        {
            c.push("wwid", &wwid, FieldRole::Other);
            if let Some(oui) = wwid_oui(&wwid) {
                c.push("wwid.oui", &oui, FieldRole::Oui);
            }
        }
        col.components.push(c);
    }
}

/// The OUI of a sysfs `wwid`: `naa.500a0751...`, `eui.00a075...` or an NVMe NGUID.
fn wwid_oui(wwid: &str) -> Option<String> {
    crate::lsblk::wwn_oui(wwid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_where_sysfs_has_a_file_is_refused_not_opened() {
        let root = std::env::temp_dir().join(format!("supplyscreen-local-{}", std::process::id()));
        let tables = root.join("sys/firmware/dmi/tables");
        fs::create_dir_all(&tables).expect("temp dir");
        fs::create_dir_all(root.join("proc/sys/kernel")).expect("temp dir");
        fs::write(root.join("proc/sys/kernel/hostname"), "db-01\n").expect("temp file");
        let made = std::process::Command::new("mkfifo")
            .arg(tables.join("DMI"))
            .status()
            .is_ok_and(|s| s.success());
        if !made {
            // No mkfifo here: a directory in its place is refused the same way.
            fs::create_dir_all(tables.join("DMI")).expect("temp dir");
        }
        let col = collect(&root);
        let _ = fs::remove_dir_all(&root);
        assert_eq!(col.host, "db-01");
        assert!(
            col.notes
                .iter()
                .any(|n| n.contains("DMI: not a regular file")),
            "{:?}",
            col.notes
        );
    }
}
