//! Relation walks: chains of any length are found, a dense web without a path
//! to the target is walked once per entity.

mod common;

use supplyscreen_kb::{Kb, KbFile};
use supplyscreen_model::{Date, EntityId};
use supplyscreen_policy::{Membership, membership};

/// An entity file with one `owned-by` relation per target.
fn entity(id: &str, owners: &[String], since: &str) -> KbFile {
    let mut text = format!(
        "id = \"{id}\"\nname = \"{id} Ltd.\"\nnames = [\"{id}\"]\nsources = [\"https://example.org/{id}\"]\n"
    );
    for owner in owners {
        text.push_str(&format!(
            "\n[[relations]]\nkind = \"owned-by\"\nentity = \"{owner}\"\nfrom = \"{since}\"\nsource = \"https://example.org/{id}/owners\"\n"
        ));
    }
    KbFile {
        display: format!("t/entities/{id}.toml"),
        rel: format!("entities/{id}.toml"),
        text,
    }
}

/// The shared test knowledge base plus these entity files.
fn load(files: Vec<KbFile>) -> Kb {
    let pairs: Vec<(&str, &str)> = files
        .iter()
        .map(|f| (f.rel.as_str(), f.text.as_str()))
        .collect();
    common::kb_with(&pairs)
}

fn id(s: &str) -> EntityId {
    s.parse().expect("entity id")
}

fn day(s: &str) -> Date {
    s.parse().expect("date")
}

#[test]
fn an_eight_link_ownership_chain_reaches_the_target() {
    let mut files = vec![entity("target", &[], "2001-01-01")];
    for i in 0..8 {
        let owner = if i == 7 {
            "target".to_owned()
        } else {
            format!("link-{}", i + 1)
        };
        files.push(entity(&format!("link-{i}"), &[owner], "2010-01-01"));
    }
    let kb = load(files);
    match membership(&kb, &id("link-0"), &id("target"), true, day("2020-06-01")) {
        Membership::Yes(chain) => {
            assert_eq!(chain.len(), 8);
            assert_eq!(chain[0].from, id("link-0"));
            assert_eq!(chain[7].to, id("target"));
            assert!(chain.windows(2).all(|w| w[0].to == w[1].from));
        }
        other => panic!("8-link chain not followed: {other:?}"),
    }
    // Before the relations started, the chain does not hold.
    assert_eq!(
        membership(&kb, &id("link-0"), &id("target"), true, day("2009-06-01")),
        Membership::No
    );
}

#[test]
fn a_dense_web_without_a_path_is_walked_in_linear_time() {
    let n = 40;
    let names: Vec<String> = (0..n).map(|i| format!("web-{i}")).collect();
    let mut files = vec![entity("target", &[], "2001-01-01")];
    // Each entity is related to every later one (no cycle, which `kb validate`
    // refuses): 2^38 paths from web-0, so a walk that revisits entities never ends.
    for (i, name) in names.iter().enumerate() {
        let later: Vec<String> = names[i + 1..].to_vec();
        files.push(entity(name, &later, "2010-01-01"));
    }
    let kb = load(files);
    for name in &names {
        assert_eq!(
            membership(&kb, &id(name), &id("target"), true, day("2020-06-01")),
            Membership::No
        );
    }
}
