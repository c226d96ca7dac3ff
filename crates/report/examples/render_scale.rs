//! Prints how long each output format takes to render a screening of N
//! generated purchase-order lines, for several N, so that a cost growing
//! faster than the number of lines shows.
//!
//! `cargo run --release -p supplyscreen-report --example render_scale [N...]`
//! (default 25000 50000 100000 200000). Figures are printed, never asserted.

#![allow(clippy::print_stdout)] // a benchmark program prints its figures

use std::io::Cursor;
use std::time::Instant;

use supplyscreen_model::{Date, ProfileId};
use supplyscreen_report::{OutputFormat, render};
use supplyscreen_screen::{Input, Request, Screener, load_kb};

/// (maker, part number, description) as purchase orders print them.
const LINES: &[(&str, &str, &str)] = &[
    (
        "Micron Technology",
        "MTA18ASF4G72PDZ-3G2R1",
        "32GB DDR4-3200 ECC RDIMM",
    ),
    ("Samsung", "MZ-77E1T0BW", "Samsung 870 EVO 1TB SATA SSD"),
    ("SK hynix", "HMA84GR7CJR4N-XN", "32GB DDR4-3200 ECC RDIMM"),
    ("Kingston", "KSM32RD4/32MRR", "Kingston Server Premier 32GB"),
    ("Crucial", "CT1000MX500SSD1", "Crucial MX500 1TB SATA SSD"),
    ("Elpida", "EDJ4216EFBG-GN-F", "4Gb DDR3 SDRAM component"),
    ("HT Micron", "HTM-SIP-LT1", "HT Micron LTE module"),
    ("Nanya", "NT8GA64D88CX3S-JR", "8GB DDR4-2666 SODIMM"),
];

fn purchase_order(n: usize) -> String {
    let mut s = String::from(
        "PO Number,Line,Order Date,Vendor,Mfr Part #,Description,Qty,Unit Price (CNY)\n",
    );
    for i in 0..n {
        let (maker, part, desc) = LINES[i % LINES.len()];
        s.push_str(&format!(
            "PO-2024-{:06},{},2024-0{}-1{},{maker},{part},{desc},{},{}.00\n",
            i / 4,
            i % 4 + 1,
            1 + i % 9,
            i % 10,
            1 + i % 50,
            100 + i % 900
        ));
    }
    s
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![25_000, 50_000, 100_000, 200_000]
    } else {
        sizes
    };
    let screener = Screener::new(load_kb(None).expect("embedded KB"));
    let req = Request {
        profile: ProfileId::new("cn-cii").expect("id"),
        as_of: Date::constant(2026, 11, 28),
        action: None,
        waivers: Vec::new(),
        read: Default::default(),
    };
    for n in sizes {
        let input = Input::reader("po.csv", Box::new(Cursor::new(purchase_order(n))));
        let t = Instant::now();
        let outcome = screener.screen(vec![input], &req).expect("screens");
        print!("{n:>7} lines: screen {:>6.2} s", t.elapsed().as_secs_f64());
        for format in OutputFormat::ALL {
            let t = Instant::now();
            let text = render(format, &outcome).expect("renders");
            print!(
                " · {format} {:>6.2} s ({:.0} MB)",
                t.elapsed().as_secs_f64(),
                text.len() as f64 / 1e6
            );
        }
        println!();
    }
}
