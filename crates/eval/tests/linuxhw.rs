//! Coverage on the linux-hardware.org memory pairs table, when present (set
//! SUPPLYSCREEN_CORPUS to the folder holding `linuxhw-memory-pairs.tsv`).
//! Skips cleanly otherwise. Prints the figures the README's accuracy table
//! quotes.

#![allow(clippy::print_stderr)] // a measurement test reports its figures

use std::path::PathBuf;

use supplyscreen_eval::coverage::{measure, parse_pairs};
use supplyscreen_identify::Matcher;
use supplyscreen_kb::Kb;

fn table() -> Option<String> {
    let dir = PathBuf::from(std::env::var_os("SUPPLYSCREEN_CORPUS")?);
    let bytes = std::fs::read(dir.join("linuxhw-memory-pairs.tsv")).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

#[test]
fn linuxhw_memory_pairs_coverage() {
    let Some(text) = table() else {
        eprintln!("linuxhw-memory-pairs.tsv not found: skipped");
        return;
    };
    let pairs = parse_pairs(&text);
    let kb = Kb::embedded().expect("embedded KB");
    let cov = measure(&Matcher::new(&kb), &pairs);
    eprintln!(
        "{} pairs, {} modules: attributed {:.2}%, unknown {:.2}%, against the part number {:.3}% ({} modules); Micron family {:.2}%, Micron-family dies named {:.2}%",
        pairs.len(),
        cov.total,
        cov.share(cov.attributed),
        cov.share(cov.unknown_modules()),
        cov.share(cov.against),
        cov.against,
        cov.share(cov.micron),
        cov.share(cov.micron_dies),
    );
    let top = std::env::var("COVERAGE_TOP")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    for p in cov.unknown.iter().take(top) {
        eprintln!(
            "  unknown {:>6} {:?} {:?}",
            p.count, p.manufacturer, p.part_number
        );
    }
    for (p, prefix, got) in cov.against_pairs.iter().take(top) {
        eprintln!(
            "  against {:>6} {:?} {:?}: prefix says {prefix}, attributed {got}",
            p.count, p.manufacturer, p.part_number
        );
    }
    eprintln!(
        "Micron family although the maker field names another company: {} modules",
        cov.micron_over_maker
    );
    for (p, other) in cov.micron_over_maker_pairs.iter().take(top) {
        eprintln!(
            "  micron {:>6} {:?} {:?}: maker field says {other}",
            p.count, p.manufacturer, p.part_number
        );
    }
    assert!(pairs.len() > 10_000, "{} pairs", pairs.len());
    assert!(
        cov.share(cov.against) < 0.1,
        "{:.3}% attributed against the part number",
        cov.share(cov.against)
    );
}

#[test]
fn coverage_counts_modules_by_weight() {
    let table = "count\tManufacturer\tPart Number\n\
                 10\tMicron\t9905702-017.A00G\n\
                 5\tUnknown\tArray1_PartNumber0\n\
                 3\tSamsung\t53E1G32D4NQ-046WTE\n\
                 2\tCorsair\tKHX2666C13/16GX\n";
    let pairs = parse_pairs(table);
    let kb = Kb::embedded().expect("embedded KB");
    let cov = measure(&Matcher::new(&kb), &pairs);
    assert_eq!(cov.total, 20);
    // Kingston (dies Micron), Micron (maker field Samsung), Corsair.
    assert_eq!(cov.attributed, 15);
    assert_eq!(cov.unknown_modules(), 5);
    assert_eq!(cov.micron, 3);
    assert_eq!(cov.micron_dies, 10);
    assert_eq!(cov.micron_over_maker, 3);
    // KHX is a Kingston prefix; the maker field says Corsair.
    assert_eq!(cov.against, 2);
}
