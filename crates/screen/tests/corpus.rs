//! Accuracy on the labelled development corpus of real tool outputs, when
//! SUPPLYSCREEN_CORPUS names its folder. Skips cleanly otherwise: users do
//! not have it.

#![allow(clippy::print_stderr)] // a measurement test reports its figures

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use supplyscreen_identify::Matcher;
use supplyscreen_kb::Kb;
use supplyscreen_model::Component;

fn corpus_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(std::env::var_os("SUPPLYSCREEN_CORPUS")?);
    dir.join("labels.jsonl").is_file().then_some(dir)
}

#[derive(serde::Deserialize)]
struct Label {
    raw_file: String,
    locator: String,
    input_format: String,
    micron_family: String,
}

/// Formats this build reads, as the corpus names them.
const READ: [&str; 7] = [
    "dmidecode-text",
    "smartctl-text",
    "smartctl-json",
    "nvme-list-json",
    "lspci-text",
    "lsusb-text",
    "wmi-list",
];
const FAMILY: [&str; 3] = ["micron", "elpida", "spectek"];

/// Our locator in the corpus's spelling, numbering repeats `#2`, `#3`, ...
fn corpus_locators(components: Vec<Component>) -> HashMap<String, Component> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = HashMap::new();
    for c in components {
        let loc = c
            .source
            .locator
            .clone()
            .unwrap_or_default()
            .replace("handle ", "dmi:");
        let n = seen.entry(loc.clone()).or_default();
        *n += 1;
        let key = if *n == 1 { loc } else { format!("{loc} #{n}") };
        out.insert(key, c);
    }
    out
}

#[derive(Default, Debug)]
struct Score {
    tp: usize,
    fp: usize,
    fn_: usize,
    unknown_claimed: usize,
    missing: usize,
}

fn read(dir: &Path, file: &str) -> HashMap<String, Component> {
    let bytes = std::fs::read(dir.join(file)).expect("raw file");
    let mut got = Vec::new();
    let mut sink = |c: Component| got.push(c);
    if let Err(e) = supplyscreen_ingest::read(file, bytes.as_slice(), &mut sink) {
        eprintln!("  cannot read {file}: {e}");
    }
    corpus_locators(got)
}

#[test]
fn every_read_format_matches_the_labels() {
    let Some(dir) = corpus_dir() else {
        eprintln!("corpus not present: skipped");
        return;
    };
    let text = std::fs::read_to_string(dir.join("labels.jsonl")).expect("labels");
    let labels: Vec<Label> = text
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let mut by_file: BTreeMap<&str, Vec<&Label>> = BTreeMap::new();
    for l in labels
        .iter()
        .filter(|l| READ.contains(&l.input_format.as_str()))
    {
        by_file.entry(&l.raw_file).or_default().push(l);
    }
    let matcher = Matcher::new(&Kb::embedded().expect("KB"));
    let mut scores: BTreeMap<String, Score> = BTreeMap::new();
    let mut errors = Vec::new();
    for (file, want) in &by_file {
        let got = read(&dir, file);
        for l in want {
            let s = scores.entry(l.input_format.clone()).or_default();
            let Some(c) = got.get(&l.locator) else {
                s.missing += 1;
                errors.push(format!("missing {file} {}", l.locator));
                continue;
            };
            let a = matcher.identify(c).attribution;
            let claimed = a
                .as_ref()
                .is_some_and(|a| FAMILY.contains(&a.entity.as_str()));
            match (l.micron_family.as_str(), claimed) {
                ("yes", true) => s.tp += 1,
                ("yes", false) => {
                    s.fn_ += 1;
                    errors.push(format!("missed {file} {}", l.locator));
                }
                ("no", true) => {
                    s.fp += 1;
                    errors.push(format!(
                        "false alarm {file} {}: {:?}",
                        l.locator,
                        a.map(|a| a.evidence)
                    ));
                }
                ("unknown", true) => s.unknown_claimed += 1,
                _ => {}
            }
        }
    }
    let total = scores.values().fold(Score::default(), |t, s| Score {
        tp: t.tp + s.tp,
        fp: t.fp + s.fp,
        fn_: t.fn_ + s.fn_,
        unknown_claimed: t.unknown_claimed + s.unknown_claimed,
        missing: t.missing + s.missing,
    });
    for (format, s) in &scores {
        eprintln!("{format:<16} {s:?}");
    }
    let recall = total.tp as f64 / (total.tp + total.fn_).max(1) as f64;
    let precision = total.tp as f64 / (total.tp + total.fp).max(1) as f64;
    eprintln!("all: {total:?}; recall {recall:.4} precision {precision:.4}");
    for e in errors.iter().take(40) {
        eprintln!("  {e}");
    }
    assert_eq!(total.missing, 0, "every labelled component must be read");
    // Floors under the measured figures (see README, Accuracy); they catch regressions.
    assert!(recall >= 0.995, "recall {recall}");
    assert!(precision >= 0.985, "precision {precision}");
}
