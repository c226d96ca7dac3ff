//! Policy: which directives bind a profile, and what each says about an
//! attributed component on a date.
//!
//! Policy knows directives, dates and profiles, nothing about formats. It is
//! a pure function of its inputs; the clock is passed in as `as_of`.

mod family;
mod judge;
mod scope;
pub mod waivers;

use supplyscreen_kb::{Directive, Kb, Profile};
use supplyscreen_model::{Attribution, Component, Confidence, Date, EntityId, Finding, Role};

pub use family::{Membership, membership};
pub use scope::component_category;
pub use waivers::{Waiver, WaiverError};

/// What the screening is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Every component is a prospective purchase (a quote, a purchase order).
    Purchase,
    /// Every component is installed (the installed base).
    Inventory,
}

/// Everything a verdict depends on besides the component.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The knowledge base.
    pub kb: &'a Kb,
    /// Who is screening.
    pub profile: &'a Profile,
    /// The date of the screening.
    pub as_of: Date,
    /// Forces every component to purchase or inventory; `None` follows each
    /// component's role (PO lines are purchases, dumps are inventory).
    pub action: Option<Action>,
    /// Approved exceptions.
    pub waivers: &'a [Waiver],
}

/// How often each waiver was used, or matched after it expired.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WaiverLedger {
    /// Per waiver (same order as `Context::waivers`): findings waived.
    pub used: Vec<usize>,
    /// Per waiver: findings it would have covered had it not expired.
    pub expired_matches: Vec<usize>,
}

impl WaiverLedger {
    /// A ledger for `n` waivers.
    pub fn new(n: usize) -> Self {
        Self {
            used: vec![0; n],
            expired_matches: vec![0; n],
        }
    }
}

/// True when the directive binds the profile: same jurisdiction, and the
/// directive names no sectors or one of the profile's.
pub fn binds(d: &Directive, p: &Profile) -> bool {
    p.jurisdictions
        .iter()
        .any(|j| j.eq_ignore_ascii_case(&d.jurisdiction))
        && (d.sectors.is_empty() || d.sectors.iter().any(|s| p.sectors.contains(s)))
}

/// True when some measure of the directive is in force on `date`.
pub fn in_force(d: &Directive, date: Date) -> bool {
    d.measures
        .iter()
        .any(|m| m.from <= date && m.until.is_none_or(|u| date < u))
}

/// The directives binding a profile, in id order.
pub fn binding<'a>(kb: &'a Kb, p: &Profile) -> Vec<&'a Directive> {
    kb.directives().filter(|d| binds(d, p)).collect()
}

/// The findings for one component: one per (directive, measure) whose target
/// family the attributed entity belongs to.
pub fn evaluate(
    cx: &Context<'_>,
    index: usize,
    c: &Component,
    attribution: Option<&Attribution>,
    ledger: &mut WaiverLedger,
) -> Vec<Finding> {
    let Some(a) = attribution else {
        return Vec::new();
    };
    let purchase = match cx.action {
        Some(Action::Purchase) => true,
        Some(Action::Inventory) => false,
        None => c.role == Role::Order,
    };
    let mut out = Vec::new();
    for d in binding(cx.kb, cx.profile) {
        for t in &d.targets {
            // The attributed entity first; when the attribution is weak, an
            // entity that conflicting evidence points to is judged as well.
            for (entity, from_conflict) in candidates(a) {
                let judge = judge::Judge {
                    cx,
                    d,
                    target: t,
                    c,
                    a,
                    entity,
                    from_conflict,
                    purchase,
                    index,
                };
                let found: Vec<Finding> = d
                    .measures
                    .iter()
                    .filter_map(|m| judge.measure(m, ledger))
                    .collect();
                if !found.is_empty() {
                    out.extend(found);
                    break;
                }
            }
        }
    }
    out
}

/// The entities to judge a component as: the attributed one, then, for a
/// low-confidence attribution, each entity conflicting evidence names.
fn candidates(a: &Attribution) -> Vec<(&EntityId, bool)> {
    let mut out = vec![(&a.entity, false)];
    if a.confidence == Confidence::Low {
        for e in &a.conflicts {
            if out.iter().all(|(id, _)| *id != &e.entity) {
                out.push((&e.entity, true));
            }
        }
    }
    out
}
