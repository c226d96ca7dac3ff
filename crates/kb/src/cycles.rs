//! Relation cycles: an entity owned, through a chain of relations that all
//! hold at the same time, by itself. Screening walks relations breadth-first
//! with a visited set, so a cycle cannot make it loop; it is still a mistake
//! in the data, reported by `kb validate` at the relation that closes it.

use std::collections::BTreeMap;

use supplyscreen_model::{Diagnostic, EntityId, KbRef};

use crate::{Entity, Relation};

/// One error per cycle whose relations all hold on some common day.
pub(crate) fn relation_cycles(all: &BTreeMap<EntityId, (Entity, KbRef)>) -> Vec<Diagnostic> {
    let mut state: BTreeMap<&EntityId, Mark> = BTreeMap::new();
    let mut out = Vec::new();
    for start in all.keys() {
        if state.contains_key(start) {
            continue;
        }
        walk(start, all, &mut state, &mut out);
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mark {
    OnPath,
    Done,
}

/// Depth-first from `start` without recursion; the path holds (entity, the
/// relation taken from its predecessor, the next relation index to try).
fn walk<'a>(
    start: &'a EntityId,
    all: &'a BTreeMap<EntityId, (Entity, KbRef)>,
    state: &mut BTreeMap<&'a EntityId, Mark>,
    out: &mut Vec<Diagnostic>,
) {
    let mut path: Vec<(&'a EntityId, Option<&'a Relation>, usize)> = vec![(start, None, 0)];
    state.insert(start, Mark::OnPath);
    while let Some(top) = path.last_mut() {
        let (id, _, next) = *top;
        let relations = all.get(id).map_or(&[][..], |(e, _)| e.relations.as_slice());
        let Some(r) = relations.get(next) else {
            state.insert(id, Mark::Done);
            path.pop();
            continue;
        };
        top.2 += 1;
        match state.get(&r.to) {
            Some(Mark::OnPath) => {
                let from = path.iter().position(|(e, _, _)| *e == &r.to).unwrap_or(0);
                let mut chain: Vec<&Relation> =
                    path[from + 1..].iter().filter_map(|p| p.1).collect();
                chain.push(r);
                if at_once(&chain) {
                    out.push(cycle_error(&path[from..], r));
                }
            }
            Some(Mark::Done) => {}
            None if all.contains_key(&r.to) => {
                state.insert(&r.to, Mark::OnPath);
                path.push((&r.to, Some(r), 0));
            }
            None => {}
        }
    }
}

/// True when every relation of the chain certainly holds on some common day.
fn at_once(chain: &[&Relation]) -> bool {
    let start = chain
        .iter()
        .filter_map(|r| r.from.map(|d| d.latest()))
        .max();
    let end = chain
        .iter()
        .filter_map(|r| r.until.map(|d| d.earliest()))
        .min();
    match (start, end) {
        (Some(s), Some(e)) => s < e,
        _ => true,
    }
}

fn cycle_error(path: &[(&EntityId, Option<&Relation>, usize)], closing: &Relation) -> Diagnostic {
    let mut names: Vec<String> = Vec::new();
    for (id, _, _) in path {
        names.push(id.to_string());
    }
    names.push(closing.to.to_string());
    Diagnostic::error(
        closing.kb.file.clone(),
        u64::from(closing.kb.line),
        format!(
            "relation cycle: {} (each related to the next at the same time; an entity cannot own itself)",
            names.join(" -> ")
        ),
    )
}
