//! The identification targets on the repository's evaluation set
//! (eval/records.jsonl): the set is what the issue asks for, and our scores
//! on it meet the targets and beat the naive baseline. Throughput is printed
//! by the harness, never asserted here.

use supplyscreen_eval::{MICRON_FAMILY, Record, naive, ours, parse, score};
use supplyscreen_identify::Matcher;
use supplyscreen_kb::Kb;

fn records() -> Vec<Record> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../eval/records.jsonl");
    let text = std::fs::read_to_string(path).expect("eval/records.jsonl is in the repository");
    parse(&text).expect("every record parses")
}

#[test]
fn the_set_is_large_labelled_and_a_quarter_hard_negatives() {
    let rs = records();
    assert!(rs.len() >= 2000, "{} records", rs.len());
    let hard = rs
        .iter()
        .filter(|r| r.tags.iter().any(|t| t == "hard-negative"))
        .count();
    assert!(
        hard * 4 >= rs.len(),
        "{hard} hard negatives of {}",
        rs.len()
    );
    let mut ids: Vec<&str> = rs.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), rs.len(), "record ids are unique");
    for r in &rs {
        assert!(
            !r.provenance.trim().is_empty(),
            "{} has no provenance",
            r.id
        );
        assert!(!r.fields.is_empty(), "{} has no fields", r.id);
        assert!(
            r.is_micron()
                == r.expect_entity
                    .as_deref()
                    .is_some_and(|e| MICRON_FAMILY.contains(&e)),
            "{}: family label disagrees with the entity",
            r.id
        );
    }
}

#[test]
fn micron_family_targets_are_met_and_the_baseline_beaten() {
    let rs = records();
    let kb = Kb::embedded().expect("embedded KB");
    let m = Matcher::new(&kb);
    let s = score(&rs, |r| ours(&m, r));
    assert!(
        s.micron.recall() >= 0.995,
        "recall {:.4}",
        s.micron.recall()
    );
    assert!(
        s.micron.precision() >= 0.999,
        "precision {:.4}",
        s.micron.precision()
    );
    assert_eq!(
        s.hard_negative_fp, 0,
        "hard negatives claimed: {:?}",
        s.confusion
    );
    let baseline = score(&rs, naive);
    assert!(
        s.micron.f1() > baseline.micron.f1(),
        "ours {:.4} vs naive {:.4}",
        s.micron.f1(),
        baseline.micron.f1()
    );
    // Names alone (no identifier, no part number): the same holds.
    let names: Vec<Record> = rs.iter().filter(|r| r.is_name_record()).cloned().collect();
    assert!(names.len() >= 200, "{} name records", names.len());
    let ours_names = score(&names, |r| ours(&m, r));
    assert!(ours_names.micron.f1() > score(&names, naive).micron.f1());
    assert_eq!(ours_names.hard_negative_fp, 0);
}
