//! Which entities can reach a target of a binding directive at all, through
//! relations of any date: computed once per KB and profile (it depends on
//! nothing else) and shared by every screening under them. A component whose
//! entity is not here is judged under no binding directive, so it needs no
//! dated walk. Imported public lists' ownership edges count like the KB's.

use std::collections::{HashMap, HashSet};

use supplyscreen_kb::{Kb, Profile};
use supplyscreen_model::EntityId;

/// For each entity from which a chain of relations (whatever its dates) leads
/// to a target of a directive binding the profile, the (directive, target)
/// positions it may reach, in order; positions are those of [`crate::binding`].
#[derive(Debug, Clone, Default)]
pub struct Reach {
    positions: HashMap<EntityId, Vec<(usize, usize)>>,
}

impl Reach {
    /// The reach of the directives binding `profile` in `kb`.
    pub fn new(kb: &Kb, profile: &Profile) -> Self {
        let binding = crate::binding(kb, profile);
        let inbound = inbound(kb);
        let mut reaching: HashMap<&EntityId, HashSet<EntityId>> = HashMap::new();
        let mut positions: HashMap<EntityId, Vec<(usize, usize)>> = HashMap::new();
        for (di, d) in binding.iter().enumerate() {
            for (ti, t) in d.targets.iter().enumerate() {
                let family = reaching
                    .entry(&t.entity)
                    .or_insert_with(|| upstream(&inbound, &t.entity));
                for e in family.iter() {
                    positions.entry(e.clone()).or_default().push((di, ti));
                }
            }
        }
        Self { positions }
    }

    /// The (directive, target) positions `entity` may reach, in order.
    pub fn of(&self, entity: &EntityId) -> &[(usize, usize)] {
        self.positions.get(entity).map_or(&[], Vec::as_slice)
    }
}

/// For each entity, the entities with a relation to it: the KB's relations and
/// the imported layers' ownership edges.
fn inbound(kb: &Kb) -> HashMap<EntityId, Vec<EntityId>> {
    let mut inbound: HashMap<EntityId, Vec<EntityId>> = HashMap::new();
    for e in kb.entities() {
        for r in &e.relations {
            inbound.entry(r.to.clone()).or_default().push(e.id.clone());
        }
    }
    for (owned, owner) in kb.imported_ownership() {
        inbound.entry(owner).or_default().push(owned);
    }
    inbound
}

/// `target` and every entity from which a chain of relations leads to it.
fn upstream(inbound: &HashMap<EntityId, Vec<EntityId>>, target: &EntityId) -> HashSet<EntityId> {
    let mut seen = HashSet::from([target.clone()]);
    let mut queue = vec![target.clone()];
    while let Some(to) = queue.pop() {
        for from in inbound.get(&to).into_iter().flatten() {
            if seen.insert(from.clone()) {
                queue.push(from.clone());
            }
        }
    }
    seen
}
