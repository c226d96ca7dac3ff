//! Whether an entity belongs to a target's family on a given date, following
//! only relations valid on that date. The walk is breadth-first over entities
//! with a visited set: each entity is expanded at most once per pass, so a
//! chain of any length is found and a dense web of relations costs time linear
//! in its size.

use std::collections::{HashMap, VecDeque};

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

/// Follows relations from `entity` towards `target`. A chain of relations that
/// all certainly hold on `date` makes it `Yes` (the shortest such chain);
/// otherwise a chain with some imprecise relation makes it `Unsure`.
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
    if let Some(chain) = shortest_chain(kb, entity, target, date, false) {
        return Membership::Yes(chain);
    }
    match shortest_chain(kb, entity, target, date, true) {
        Some(chain) => Membership::Unsure(chain),
        None => Membership::No,
    }
}

/// Breadth-first search from `start` to `target` over relations that hold on
/// `date` (and, with `imprecise`, those that may hold). Returns the hops of
/// the shortest chain found.
fn shortest_chain(
    kb: &Kb,
    start: &EntityId,
    target: &EntityId,
    date: Date,
    imprecise: bool,
) -> Option<Vec<Hop>> {
    // For every entity reached, the entity and relation that first reached
    // it; hops are written only for the chain found.
    let mut reached: HashMap<&EntityId, Step<'_>> = HashMap::new();
    let mut queue: VecDeque<&EntityId> = VecDeque::from([start]);
    while let Some(from) = queue.pop_front() {
        let Some(entity) = kb.entity(from) else {
            continue;
        };
        for r in &entity.relations {
            let holds = r.holds_at(date);
            let usable = holds == Holds::Yes || (imprecise && holds == Holds::Unsure);
            if !usable || &r.to == start || reached.contains_key(&r.to) {
                continue;
            }
            reached.insert(&r.to, (from, r, holds == Holds::Yes));
            if &r.to == target {
                return Some(chain_to(&reached, start, target));
            }
            queue.push_back(&r.to);
        }
    }
    None
}

/// How the walk first reached an entity: from where, by which relation, and
/// whether the relation certainly holds on the date.
type Step<'k> = (&'k EntityId, &'k Relation, bool);

/// The hops from `start` to `end`, read back through `reached`.
fn chain_to(reached: &HashMap<&EntityId, Step<'_>>, start: &EntityId, end: &EntityId) -> Vec<Hop> {
    let mut chain = Vec::new();
    let mut at = end;
    while at != start {
        let Some(&(from, r, certain)) = reached.get(at) else {
            break;
        };
        chain.push(hop(from, r, certain));
        at = from;
    }
    chain.reverse();
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
