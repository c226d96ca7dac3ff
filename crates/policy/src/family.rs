//! Whether an entity belongs to a target's family on a given date, following
//! only relations valid on that date.

use supplyscreen_kb::{Holds, Kb};
use supplyscreen_model::{Date, EntityId};

/// How an entity belongs to a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Membership {
    /// It is the target, or a relation chain valid on the date leads to it.
    Yes(Vec<String>),
    /// A chain leads to it, but one relation's dates are imprecise around the date.
    Unsure(Vec<String>),
    /// It does not belong.
    No,
}

/// Follows relations from `entity` towards `target` (at most a few hops).
pub fn membership(
    kb: &Kb,
    entity: &EntityId,
    target: &EntityId,
    affiliates: bool,
    date: Date,
) -> Membership {
    if entity == target {
        return Membership::Yes(Vec::new());
    }
    if !affiliates {
        return Membership::No;
    }
    walk(kb, entity, target, date, 0).unwrap_or(Membership::No)
}

const MAX_HOPS: usize = 6;

fn walk(
    kb: &Kb,
    from: &EntityId,
    target: &EntityId,
    date: Date,
    depth: usize,
) -> Option<Membership> {
    if depth >= MAX_HOPS {
        return None;
    }
    let entity = kb.entity(from)?;
    let mut best: Option<Membership> = None;
    for r in &entity.relations {
        let holds = r.holds_at(date);
        if holds == Holds::No {
            continue;
        }
        let step = describe(from, r);
        let rest = if &r.to == target {
            Some(Membership::Yes(Vec::new()))
        } else {
            walk(kb, &r.to, target, date, depth + 1)
        };
        let found = match (rest, holds) {
            (Some(Membership::Yes(chain)), Holds::Yes) => Membership::Yes(prepend(step, chain)),
            (Some(Membership::Yes(chain) | Membership::Unsure(chain)), _) => {
                Membership::Unsure(prepend(step, chain))
            }
            _ => continue,
        };
        if matches!(found, Membership::Yes(_)) {
            return Some(found);
        }
        best = best.or(Some(found));
    }
    best
}

fn prepend(step: String, mut chain: Vec<String>) -> Vec<String> {
    chain.insert(0, step);
    chain
}

fn describe(from: &EntityId, r: &supplyscreen_kb::Relation) -> String {
    let mut s = format!("{from} {} {}", r.kind.as_str(), r.to);
    match (r.from, r.until) {
        (Some(f), Some(u)) => s.push_str(&format!(" (from {f} until {u})")),
        (Some(f), None) => s.push_str(&format!(" (from {f})")),
        (None, Some(u)) => s.push_str(&format!(" (until {u})")),
        (None, None) => {}
    }
    s.push_str(&format!(" [{}]", r.kb));
    s
}
