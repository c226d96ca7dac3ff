//! Prints throughput and peak memory of the pipeline on generated inputs.
//!
//! `cargo run --release -p supplyscreen-screen --example throughput [N]`
//! (N components per input, default 200000). Figures are printed, never asserted.

#![allow(clippy::print_stdout)] // a benchmark program prints its figures

use std::io::Cursor;
use std::time::Instant;

use supplyscreen_identify::Matcher;
use supplyscreen_kb::Kb;
use supplyscreen_model::{Component, ComponentKind, FieldRole, ProfileId, Role, SourceLocation};
use supplyscreen_screen::{Input, Request, Screener};

/// Real-world (maker, part number) pairs as dmidecode prints them.
const DIMMS: &[(&str, &str)] = &[
    ("802C", "MTA18ASF2G72PZ-2G6E1"),
    ("00AD063200AD", "HMA84GR7CJR4N-XN"),
    ("Samsung", "M393A4K40CB2-CVF"),
    ("Unknown", "18ASF2G72PDZ-2G3D1"),
    ("859B", "CT16G4DFRA32A.C16FE"),
    ("Kingston", "9905702-017.A00G"),
    ("Micron Technology", "MTA9ASF1G72PZ-2G9E1"),
    ("01980000802C", "KSM26RD4/32MEI"),
];

fn dmidecode(n: usize) -> String {
    let mut s =
        String::from("# dmidecode 3.4\nGetting SMBIOS data from sysfs.\nSMBIOS 3.2.0 present.\n\n");
    for i in 0..n {
        let (mfr, part) = DIMMS[i % DIMMS.len()];
        s.push_str(&format!(
            "Handle 0x{i:04X}, DMI type 17, 84 bytes\nMemory Device\n\tArray Handle: 0x1000\n\tSize: 32 GB\n\tForm Factor: DIMM\n\tLocator: A{i}\n\tType: DDR4\n\tSpeed: 3200 MT/s\n\tManufacturer: {mfr}\n\tSerial Number: 2A9F03C7\n\tAsset Tag: 01193162\n\tPart Number: {part}\n\tRank: 2\n\n"
        ));
    }
    s
}

fn csv(n: usize) -> String {
    let mut s = String::from("PO,Line,Order Date,Vendor,Mfr Part #,Description,Qty\n");
    for i in 0..n {
        let (mfr, part) = DIMMS[i % DIMMS.len()];
        s.push_str(&format!(
            "PO-{i},1,2024-03-15,{mfr},{part},32GB DDR4 RDIMM,4\n"
        ));
    }
    s
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

fn pipeline(screener: &Screener, name: &str, text: String) {
    let bytes = text.len();
    let input = Input::reader(name, Box::new(Cursor::new(text.into_bytes())));
    let req = Request {
        profile: ProfileId::new("cn-cii").expect("id"),
        as_of: supplyscreen_model::Date::constant(2026, 11, 28),
        action: None,
        waivers: Vec::new(),
        read: Default::default(),
    };
    let t = Instant::now();
    let outcome = screener.screen(vec![input], &req).expect("screens");
    let secs = t.elapsed().as_secs_f64();
    let n = outcome.components.len();
    println!(
        "pipeline {name:<10} {n:>8} components {:>8.1} MB  {:>10.0} components/s  {:>6.1} MB/s",
        bytes as f64 / 1e6,
        n as f64 / secs,
        bytes as f64 / 1e6 / secs
    );
}

fn component(fields: &[(&str, &str, FieldRole)]) -> Component {
    let source = SourceLocation {
        path: "bench".into(),
        line: 1,
        locator: None,
    };
    let mut c = Component::new(ComponentKind::Memory, Role::Installed, source);
    for (k, v, r) in fields {
        c.push(k, v, *r);
    }
    c
}

fn attribution(matcher: &Matcher, label: &str, cs: &[Component], rounds: usize) {
    let t = Instant::now();
    let mut hits = 0usize;
    for _ in 0..rounds {
        for c in cs {
            hits += usize::from(matcher.identify(c).attribution.is_some());
        }
    }
    let n = cs.len() * rounds;
    println!(
        "identify {label:<24} {:>10.0} components/s per core ({hits}/{n} attributed)",
        n as f64 / t.elapsed().as_secs_f64()
    );
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200_000);
    let kb = Kb::embedded().expect("KB");
    let matcher = Matcher::new(&kb);
    let m = FieldRole::Maker;
    let p = FieldRole::PartNumber;
    let ids: Vec<Component> = [
        "802C",
        "859B",
        "00AD063200AD",
        "80CE000080CE",
        "Unknown - [0x9B85]",
    ]
    .iter()
    .map(|v| component(&[("Manufacturer", v, m)]))
    .collect();
    let parts: Vec<Component> = [
        "MTA18ASF2G72PZ-2G6E1",
        "CT16G4DFRA32A",
        "HMA84GR7CJR4N-XN",
        "KSM26RD4/32MEI",
        "BL8G32C16U4B.M8FE1",
    ]
    .iter()
    .map(|v| component(&[("Part Number", v, p)]))
    .collect();
    let names: Vec<Component> = [
        "Micron Technology",
        "美光科技有限公司",
        "HT Micron",
        "Kingston Technology",
        "Crucial",
    ]
    .iter()
    .map(|v| component(&[("Manufacturer", v, m)]))
    .collect();
    attribution(&matcher, "JEDEC identifiers", &ids, 200_000);
    attribution(&matcher, "part numbers", &parts, 200_000);
    attribution(&matcher, "names", &names, 200_000);
    let screener = Screener::new(kb);
    pipeline(&screener, "dmidecode", dmidecode(n));
    pipeline(&screener, "csv", csv(n));
    println!(
        "peak resident memory {:.1} MiB (inputs are generated in memory; the report keeps every component)",
        peak_rss_mib()
    );
}
