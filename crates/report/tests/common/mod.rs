//! A realistic outcome for the format tests: the examples (purchase orders,
//! an asset register, a dmidecode dump, the waivers) and a purchase order
//! whose supplier cell is a spreadsheet formula and whose description holds
//! an HTML script tag.

#![allow(dead_code)] // each test file uses its own subset

use std::io::Cursor;
use std::path::{Path, PathBuf};

use supplyscreen_model::{Date, ProfileId};
use supplyscreen_screen::{Input, Outcome, Request, Screener, load_kb, parse_waivers};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The hostile purchase order: line 2 is a Micron RDIMM (a violation)
/// from a supplier named by a formula, line 3 a Samsung SSD (clear).
pub const HOSTILE_PO: &str = "PO Number,Order Date,Manufacturer,Mfr Part #,Description,Qty,Unit Price (CNY),Supplier\n\
PO-2024-0907,2024-09-07,Micron Technology,MTA18ASF4G72PDZ-3G2R1,<script>alert(1)</script> 32GB RDIMM,64,\"1,150.00\",\"=HYPERLINK(\"\"http://evil.example/x\"\",\"\"click\"\")\"\n\
PO-2024-0908,2024-09-08,Samsung,MZ-77E1T0BW,Samsung 870 EVO 1TB,10,560.00,Acme & Sons <b>\n";

/// The display path of the hostile purchase order.
pub const HOSTILE_PATH: &str = "orders/po 2024:q3.csv";

fn input(display: &str, bytes: Vec<u8>) -> Input {
    Input::reader(display, Box::new(Cursor::new(bytes)))
}

/// Screens the examples and the hostile purchase order as of 2026-11-28.
pub fn outcome() -> Outcome {
    let kb = load_kb(None).expect("embedded KB");
    let waiver_text =
        std::fs::read_to_string(root().join("examples/waivers.toml")).expect("waivers");
    let waivers = parse_waivers("examples/waivers.toml", &waiver_text, &kb).expect("valid");
    let mut inputs = Vec::new();
    for name in ["asset-register.csv", "db-07.dmi", "purchase-order-2024.csv"] {
        let bytes = std::fs::read(root().join("examples").join(name)).expect("example");
        inputs.push(input(&format!("examples/{name}"), bytes));
    }
    inputs.push(input(HOSTILE_PATH, HOSTILE_PO.as_bytes().to_vec()));
    let req = Request {
        profile: ProfileId::new("cn-cii").expect("id"),
        as_of: Date::constant(2026, 11, 28),
        action: None,
        waivers,
        read: Default::default(),
    };
    Screener::new(kb).screen(inputs, &req).expect("screens")
}
