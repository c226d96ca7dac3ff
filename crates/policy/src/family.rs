//! Whether an entity belongs to a target's family on a given date, following
//! only relations valid on that date. The walk is bounded in depth and never
//! revisits an entity on its path, so a dense web of relations costs no more
//! than its size.

use supplyscreen_kb::{Holds, Kb, Relation};
use supplyscreen_model::{Date, EntityId, Hop};

/// How an entity belongs to a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Membership {
    /// It is the target, or a relation chain valid on the date leads to it.
    Yes(Vec<Hop>),
    /// A chain leads to it, but one relation's dates are imprecise around the date.
    Unsure(Vec<Hop>),
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
    let mut path = vec![entity.clone()];
    walk(kb, entity, target, date, &mut path).unwrap_or(Membership::No)
}

const MAX_HOPS: usize = 6;

fn walk(
    kb: &Kb,
    from: &EntityId,
    target: &EntityId,
    date: Date,
    path: &mut Vec<EntityId>,
) -> Option<Membership> {
    if path.len() > MAX_HOPS {
        return None;
    }
    let entity = kb.entity(from)?;
    let mut best: Option<Membership> = None;
    for r in &entity.relations {
        let holds = r.holds_at(date);
        if holds == Holds::No || path.contains(&r.to) {
            continue;
        }
        let rest = if &r.to == target {
            Some(Membership::Yes(Vec::new()))
        } else {
            path.push(r.to.clone());
            let rest = walk(kb, &r.to, target, date, path);
            path.pop();
            rest
        };
        let step = hop(from, r, holds == Holds::Yes);
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

fn prepend(step: Hop, mut chain: Vec<Hop>) -> Vec<Hop> {
    chain.insert(0, step);
    chain
}

fn hop(from: &EntityId, r: &Relation, certain: bool) -> Hop {
    Hop {
        from: from.clone(),
        kind: r.kind,
        to: r.to.clone(),
        since: r.from,
        until: r.until,
        certain,
        kb: r.kb.clone(),
    }
}
