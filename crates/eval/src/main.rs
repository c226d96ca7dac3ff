//! `cargo run --release -p supplyscreen-eval [-- RECORDS]`: prints precision,
//! recall and F1 of our identification and of a naive substring baseline on
//! the evaluation set, per family, tag and evidence kind, the confusion list
//! and the throughput per path. Figures are printed, never asserted.

#![allow(clippy::print_stdout)] // a measurement program prints its figures

use std::time::Instant;

use supplyscreen_eval::{Counts, Record, Score, naive, ours, parse, score};
use supplyscreen_identify::{ALGORITHM, Matcher};
use supplyscreen_kb::Kb;

fn line(name: &str, c: &Counts) {
    println!(
        "  {name:<34} P {:>7.3}%  R {:>7.3}%  F1 {:>6.4}  (tp {} fp {} fn {} tn {})",
        100.0 * c.precision(),
        100.0 * c.recall(),
        c.f1(),
        c.tp,
        c.fp,
        c.fn_,
        c.tn
    );
}

fn report(name: &str, s: &Score, detail: bool) {
    println!("\n{name}");
    line("Micron family", &s.micron);
    println!("  hard negatives claimed as Micron: {}", s.hard_negative_fp);
    println!(
        "  entity exactly right: {}/{} ({:.2}%)",
        s.entity_correct,
        s.total,
        100.0 * s.entity_correct as f64 / s.total as f64
    );
    if !detail {
        return;
    }
    println!("  by family (its records against the rest):");
    for (f, c) in &s.by_family {
        line(f, c);
    }
    println!("  by evidence kind (strongest piece, Micron family):");
    for (k, c) in &s.by_kind {
        line(k, c);
    }
    println!("  by tag:");
    for (t, c) in &s.by_tag {
        line(t, c);
    }
    println!("  by expected entity (entity exactly right / records):");
    for (e, (ok, n)) in &s.by_entity {
        println!("    {e:<34} {ok}/{n}");
    }
    println!("  confusion ({} records):", s.confusion.len());
    for (id, exp, got, fields) in s.confusion.iter().take(60) {
        println!("    {id:<14} expected {exp:<20} got {got:<20} {fields}");
    }
}

/// Attributions per second on the records whose tags select a path: the
/// median of five trials of about 400,000 attributions each, with the range.
fn throughput(m: &Matcher, records: &[Record], label: &str, select: impl Fn(&Record) -> bool) {
    let chosen: Vec<_> = records
        .iter()
        .filter(|r| select(r))
        .map(Record::component)
        .collect();
    if chosen.is_empty() {
        return;
    }
    let rounds = (400_000 / chosen.len()).max(1);
    let mut attributed = 0usize;
    let mut rates: Vec<f64> = (0..5)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..rounds {
                for c in &chosen {
                    attributed += usize::from(m.identify(c).attribution.is_some());
                }
            }
            (rounds * chosen.len()) as f64 / t.elapsed().as_secs_f64()
        })
        .collect();
    rates.sort_by(f64::total_cmp);
    println!(
        "  {label:<34} {:>10.0} components/s (median of 5; range {:.0}-{:.0}; {} records x {rounds}; {} attributed per trial)",
        rates[2],
        rates[0],
        rates[4],
        chosen.len(),
        attributed / 5
    );
}

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../eval/records.jsonl").to_owned()
    });
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            println!("cannot read {path}: {e}");
            std::process::exit(2);
        }
    };
    let records = match parse(&text) {
        Ok(r) => r,
        Err(e) => {
            println!("{e}");
            std::process::exit(2);
        }
    };
    let kb = Kb::embedded().unwrap_or_else(|e| panic!("embedded KB: {e}"));
    let m = Matcher::new(&kb);
    let positives = records.iter().filter(|r| r.is_micron()).count();
    let hard = records
        .iter()
        .filter(|r| r.tags.iter().any(|t| t == "hard-negative"))
        .count();
    println!(
        "{} records ({positives} Micron family, {hard} hard negatives); algorithm {ALGORITHM}; KB {} {}",
        records.len(),
        kb.version(),
        kb.hash()
    );
    report("supplyscreen", &score(&records, |r| ours(&m, r)), true);
    report(
        "baseline: naive substring (micron, crucial, ballistix, elpida, spectek, 美光, 镁光)",
        &score(&records, naive),
        false,
    );
    let names: Vec<Record> = records
        .iter()
        .filter(|r| r.is_name_record())
        .cloned()
        .collect();
    println!(
        "\nname records only ({} records: text fields, no JEDEC code; the subset name matchers can fairly be judged on)",
        names.len()
    );
    report("supplyscreen", &score(&names, |r| ours(&m, r)), false);
    report("baseline: naive substring", &score(&names, naive), false);
    println!("\nthroughput (release build, one core):");
    let only =
        |role: &'static str| move |r: &Record| r.fields.len() == 1 && r.fields[0].role == role;
    throughput(&m, &records, "identifiers (JEDEC, PCI, USB, OUI)", |r| {
        r.tags.iter().any(|t| t == "jedec" || t == "identifier")
    });
    throughput(&m, &records, "part numbers", only("part-number"));
    throughput(&m, &records, "names", |r| {
        r.fields.len() == 1 && r.fields[0].role == "maker" && r.tags.iter().any(|t| t == "name")
    });
    throughput(&m, &records, "all records", |_| true);
}
