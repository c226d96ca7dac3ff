//! Why a record that was read did not become a component.

use std::cmp::Ordering;
use std::fmt;

use serde::{Serialize, Serializer};

/// Why a record was read but not turned into a component. Reports count
/// skipped records by reason: the code is the JSON key, the description is
/// what the table report prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SkipReason {
    /// A table row whose cells are all blank.
    BlankRow,
    /// A `#` comment line before a table's header row.
    CommentLine,
    /// A bill-of-materials entry that names neither maker, supplier nor product.
    BomEntryWithoutIdentity,
    /// A Windows CIM object with none of the properties that identify hardware.
    CimObjectWithoutIdentity,
    /// A DMI structure of a type that names no product (BIOS, cache, slot, ...).
    DmiStructureWithoutProduct,
    /// A memory slot with no module installed.
    EmptyMemorySlot,
    /// An lshw node with neither vendor nor product (or an empty bank).
    LshwNodeWithoutProduct,
    /// A JSON Lines line that is not a valid component record.
    MalformedRecord,
    /// A table row with no maker, supplier, part number, model or description (a note, a signature line).
    NoteRow,
    /// A table row that cannot be read (bad quoting, wrong number of fields).
    MalformedRow,
    /// A title or preamble row before a table's header row (a buyer line, a merged title).
    PreambleRow,
    /// An `nvme list` document with no devices.
    NvmeListWithoutDevices,
    /// An osquery differential result that reports a row as removed.
    OsqueryDifferentialRowRemoved,
    /// An osquery result-log line with neither `columns` nor `snapshot`.
    OsqueryLogLineWithoutRows,
    /// An osquery row of a table that names no hardware we screen.
    OsqueryRowOfAnotherTable,
    /// A partition or holder listed under a disk (the disk itself is read).
    PartitionOrHolder,
    /// A power-supply bay with no supply present.
    PowerSupplyNotPresent,
    /// A row of a table none of whose columns can identify an item.
    RowOfUnscreenableTable,
    /// A spreadsheet sheet with content but no header row naming an identifying column.
    SheetWithoutTable,
    /// A smartctl report without the device's identity lines.
    SmartctlReportWithoutIdentity,
    /// A system_profiler section of hardware we do not screen.
    SystemProfilerSectionNotScreened,
    /// A totals row (`Total`, `合计`).
    TotalsRow,
    /// A processor socket with no processor.
    UnpopulatedProcessorSocket,
}

impl SkipReason {
    /// The stable kebab-case code (the key in JSON reports).
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::BlankRow => "blank-row",
            SkipReason::BomEntryWithoutIdentity => "bom-entry-without-identity",
            SkipReason::SheetWithoutTable => "sheet-without-table",
            SkipReason::TotalsRow => "totals-row",
            SkipReason::RowOfUnscreenableTable => "row-of-unscreenable-table",
            SkipReason::PreambleRow => "preamble-row",
            SkipReason::NoteRow => "note-row",
            SkipReason::CommentLine => "comment-line",
            SkipReason::CimObjectWithoutIdentity => "cim-object-without-identity",
            SkipReason::DmiStructureWithoutProduct => "dmi-structure-without-product",
            SkipReason::EmptyMemorySlot => "empty-memory-slot",
            SkipReason::LshwNodeWithoutProduct => "lshw-node-without-product",
            SkipReason::MalformedRecord => "malformed-record",
            SkipReason::MalformedRow => "malformed-row",
            SkipReason::NvmeListWithoutDevices => "nvme-list-without-devices",
            SkipReason::OsqueryDifferentialRowRemoved => "osquery-differential-row-removed",
            SkipReason::OsqueryLogLineWithoutRows => "osquery-log-line-without-rows",
            SkipReason::OsqueryRowOfAnotherTable => "osquery-row-of-another-table",
            SkipReason::PartitionOrHolder => "partition-or-holder",
            SkipReason::PowerSupplyNotPresent => "power-supply-not-present",
            SkipReason::SmartctlReportWithoutIdentity => "smartctl-report-without-identity",
            SkipReason::SystemProfilerSectionNotScreened => "system-profiler-section-not-screened",
            SkipReason::UnpopulatedProcessorSocket => "unpopulated-processor-socket",
        }
    }

    /// One line of prose, as the table report prints it.
    pub fn description(self) -> &'static str {
        match self {
            SkipReason::BlankRow => "blank row",
            SkipReason::BomEntryWithoutIdentity => {
                "BOM entry that names no maker, supplier or product"
            }
            SkipReason::SheetWithoutTable => "sheet with no table of items",
            SkipReason::TotalsRow => "totals row",
            SkipReason::RowOfUnscreenableTable => {
                "row of a table with no maker, part number or description column"
            }
            SkipReason::PreambleRow => "title or preamble row before the header row",
            SkipReason::NoteRow => {
                "note row (no maker, supplier, part number, model or description)"
            }
            SkipReason::CommentLine => "comment line before the header row",
            SkipReason::CimObjectWithoutIdentity => "CIM object without identity",
            SkipReason::DmiStructureWithoutProduct => {
                "DMI structure that names no product (BIOS, cache, slot, ...)"
            }
            SkipReason::EmptyMemorySlot => "empty memory slot",
            SkipReason::LshwNodeWithoutProduct => "lshw node that names no product",
            SkipReason::MalformedRecord => "malformed record",
            SkipReason::MalformedRow => "malformed row",
            SkipReason::NvmeListWithoutDevices => "nvme list without devices",
            SkipReason::OsqueryDifferentialRowRemoved => "osquery differential row removed",
            SkipReason::OsqueryLogLineWithoutRows => "osquery log line without rows",
            SkipReason::OsqueryRowOfAnotherTable => "osquery row of another table",
            SkipReason::PartitionOrHolder => "partition or holder of a listed disk",
            SkipReason::PowerSupplyNotPresent => "power supply not present",
            SkipReason::SmartctlReportWithoutIdentity => "smartctl report without device identity",
            SkipReason::SystemProfilerSectionNotScreened => {
                "system_profiler section that names no hardware we screen"
            }
            SkipReason::UnpopulatedProcessorSocket => "unpopulated processor socket",
        }
    }
}

/// Ordered by code, so that reports list reasons alphabetically by their JSON key.
impl Ord for SkipReason {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for SkipReason {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The description (prose); the code is what serializes.
impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

impl Serialize for SkipReason {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn counts_serialize_with_codes_as_keys_in_code_order() {
        let mut skipped = BTreeMap::new();
        skipped.insert(SkipReason::EmptyMemorySlot, 1);
        skipped.insert(SkipReason::DmiStructureWithoutProduct, 4);
        let json = serde_json::to_string(&skipped).expect("serializable");
        assert_eq!(
            json,
            r#"{"dmi-structure-without-product":4,"empty-memory-slot":1}"#
        );
        assert_eq!(SkipReason::EmptyMemorySlot.to_string(), "empty memory slot");
    }
}
