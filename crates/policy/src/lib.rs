//! Policy: which directives bind a profile, and what each says about an
//! attributed component on a date (ARCHITECTURE.md, "Policy semantics").
//!
//! Policy knows directives, dates and profiles, nothing about formats. It is
//! a pure function of its inputs; the clock is passed in as `as_of`. Its
//! findings are data (codes, dates, relation hops, doubts); the report layer
//! writes the sentences.

mod family;
mod judge;
mod reach;
mod scope;
pub mod waivers;

use std::sync::Arc;

use supplyscreen_kb::{Components, Directive, DirectiveKind, Kb, Profile};
use supplyscreen_model::{
    Attribution, Component, ComponentId, Confidence, Date, EntityId, Finding, MatchedRole, Measure,
    Role,
};

pub use family::{Membership, membership};
pub use reach::Reach;
pub use scope::assigned_category;
pub use waivers::{Waiver, WaiverError, WaiverState, WaiverStatus};

/// What the screening is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    /// Every component is a prospective purchase (a quote, a purchase order).
    Purchase,
    /// Every component is installed (the installed base).
    Inventory,
}

impl Action {
    /// The action as reports name it; `None` (each component's role) is `auto`.
    pub fn name(action: Option<Action>) -> &'static str {
        match action {
            None => "auto",
            Some(Action::Purchase) => "purchase",
            Some(Action::Inventory) => "inventory",
        }
    }
}

/// Everything a verdict depends on besides the component.
#[derive(Debug, Clone)]
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
    /// The directives binding the profile, computed once.
    binding: Vec<&'a Directive>,
    /// Which entities may reach which binding (directive, target) at all.
    reach: Arc<Reach>,
}

impl<'a> Context<'a> {
    /// The context of one screening.
    pub fn new(
        kb: &'a Kb,
        profile: &'a Profile,
        as_of: Date,
        action: Option<Action>,
        waivers: &'a [Waiver],
    ) -> Self {
        let reach = Arc::new(Reach::new(kb, profile));
        Self::with_reach(kb, profile, as_of, action, waivers, reach)
    }

    /// The context of one screening, with the reach computed before for the
    /// same KB and profile ([`Reach::new`]), so that many screenings share it.
    pub fn with_reach(
        kb: &'a Kb,
        profile: &'a Profile,
        as_of: Date,
        action: Option<Action>,
        waivers: &'a [Waiver],
        reach: Arc<Reach>,
    ) -> Self {
        Self {
            kb,
            profile,
            as_of,
            action,
            waivers,
            binding: binding(kb, profile),
            reach,
        }
    }

    /// The (directive, target) positions `entity` may reach, in order.
    fn reachable(&self, entity: &EntityId) -> &[(usize, usize)] {
        self.reach.of(entity)
    }
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

    /// Each waiver with what became of it on `as_of`.
    pub fn statuses(&self, waivers: &[Waiver], as_of: Date) -> Vec<WaiverStatus> {
        waivers
            .iter()
            .enumerate()
            .map(|(i, w)| {
                WaiverStatus::new(w.clone(), self.used[i], self.expired_matches[i], as_of)
            })
            .collect()
    }
}

/// True when the directive binds the profile: same jurisdiction, and the
/// directive names no sectors or one of the profile's.
pub fn binds(d: &Directive, p: &Profile) -> bool {
    p.jurisdictions.contains(&d.jurisdiction)
        && (d.sectors.is_empty() || d.sectors.iter().any(|s| p.sectors.contains(s)))
}

/// True when some measure of the directive is in force on `date`.
pub fn in_force(d: &Directive, date: Date) -> bool {
    d.measures
        .iter()
        .any(|m| m.from <= date && m.until.is_none_or(|u| date < u))
}

/// Where a measure stands on a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MeasureStatus {
    /// Not in force yet.
    NotYet,
    /// In force.
    InForce,
    /// Ended (its `until` has passed).
    Ended,
    /// Suspended on the date, until a recorded day or with no end recorded.
    Suspended {
        /// First day suspended.
        from: Date,
        /// First day enforced again, when recorded.
        until: Option<Date>,
    },
    /// A recorded suspension ended and no source says whether it was extended.
    Unknown {
        /// The day the recorded suspension ended.
        since: Date,
    },
}

/// Where measure `m` stands on `date`.
pub fn measure_status(m: &supplyscreen_kb::MeasureRule, date: Date) -> MeasureStatus {
    if date < m.from {
        return MeasureStatus::NotYet;
    }
    if m.until.is_some_and(|u| date >= u) {
        return MeasureStatus::Ended;
    }
    if let Some(s) = m
        .suspensions
        .iter()
        .find(|s| s.from <= date && s.until.is_none_or(|u| date < u))
    {
        return MeasureStatus::Suspended {
            from: s.from,
            until: s.until,
        };
    }
    let lapsed = m
        .suspensions
        .iter()
        .filter(|s| s.extension_unknown)
        .filter_map(|s| s.until)
        .filter(|u| *u <= date)
        .max();
    lapsed.map_or(MeasureStatus::InForce, |since| MeasureStatus::Unknown {
        since,
    })
}

/// The directives binding a profile, in id order.
pub fn binding<'a>(kb: &'a Kb, p: &Profile) -> Vec<&'a Directive> {
    kb.directives().filter(|d| binds(d, p)).collect()
}

/// Who a purchase involves, as identified: the maker (judged under product
/// bans) and the supplier (judged under listings), each with whether the
/// input named it in a column of its own or its role was assumed.
#[derive(Debug, Clone, Copy, Default)]
pub struct Parties<'a> {
    /// Who made the item.
    pub maker: Option<&'a Attribution>,
    /// True when no maker column exists and the supplier column was taken for the maker.
    pub maker_assumed: bool,
    /// Who sells it.
    pub supplier: Option<&'a Attribution>,
    /// True when no supplier column exists and the maker was taken for the counterparty.
    pub supplier_assumed: bool,
    /// The maker of the item's DRAM dies, when identification found one
    /// other than its maker (a Kingston module with Micron dies).
    pub dies: Option<&'a EntityId>,
}

impl<'a> Parties<'a> {
    /// An input that names only the maker (a hardware dump, an inventory):
    /// the maker is also taken for the counterparty.
    pub fn maker_only(maker: Option<&'a Attribution>) -> Self {
        Self {
            maker,
            maker_assumed: false,
            supplier: maker,
            supplier_assumed: true,
            dies: None,
        }
    }

    /// The same parties, with the maker of the item's dies.
    pub fn with_dies(self, dies: Option<&'a EntityId>) -> Self {
        Self { dies, ..self }
    }
}

/// True for listing-type directives, which restrict dealings with the
/// target as a counterparty (export controls, countermeasures, and lists
/// whose measures are only import and export bans, as the Unreliable Entity
/// List's); other directives are product bans on what the target made.
pub fn is_listing(d: &Directive) -> bool {
    matches!(
        d.kind,
        DirectiveKind::ExportControl | DirectiveKind::Countermeasure
    ) || (!d.measures.is_empty()
        && d.measures
            .iter()
            .all(|m| matches!(m.measure, Measure::Import | Measure::Export)))
}

/// The findings for one component whose maker is also taken for its
/// counterparty (see [`evaluate_parties`]).
pub fn evaluate(
    ctx: &Context<'_>,
    id: ComponentId,
    c: &Component,
    attribution: Option<&Attribution>,
    dies: Option<&EntityId>,
    ledger: &mut WaiverLedger,
) -> Vec<Finding> {
    let parties = Parties::maker_only(attribution).with_dies(dies);
    evaluate_parties(ctx, id, c, &parties, ledger)
}

/// The findings for one component: at most one per (directive, measure),
/// the most severe when several targets of a directive reach the component.
/// Listings are judged on the supplier, product bans on the maker; every
/// finding says which role matched and whether it was assumed.
pub fn evaluate_parties(
    ctx: &Context<'_>,
    id: ComponentId,
    c: &Component,
    parties: &Parties<'_>,
    ledger: &mut WaiverLedger,
) -> Vec<Finding> {
    let purchase = match ctx.action {
        Some(Action::Purchase) => true,
        Some(Action::Inventory) => false,
        None => c.role == Role::Order,
    };
    let mut out: Vec<Finding> = Vec::new();
    // Most components are made by no target and no entity related to one.
    let related = |a: Option<&Attribution>| {
        a.is_some_and(|a| {
            candidates(a, parties.dies)
                .iter()
                .any(|(e, _)| !ctx.reachable(e).is_empty())
        })
    };
    if !related(parties.maker) && !related(parties.supplier) {
        return out;
    }
    for (di, d) in ctx.binding.iter().enumerate() {
        let (party, role, assumed) = if is_listing(d) {
            (
                parties.supplier,
                MatchedRole::Supplier,
                parties.supplier_assumed,
            )
        } else {
            (parties.maker, MatchedRole::Maker, parties.maker_assumed)
        };
        let Some(a) = party else {
            continue;
        };
        // The attributed entity first; when the attribution is weak, an
        // entity that conflicting evidence points to is judged as well.
        // A product ban may reach the target's dies inside the item.
        let dies = parties
            .dies
            .filter(|_| role == MatchedRole::Maker && d.components == Components::Review);
        let cands = candidates(a, dies);
        for (ti, t) in d.targets.iter().enumerate() {
            for &(entity, origin) in &cands {
                // No chain of relations leads to the target: no finding on any date.
                if ctx.reachable(entity).binary_search(&(di, ti)).is_err() {
                    continue;
                }
                let judge = judge::Judge {
                    ctx,
                    directive: d,
                    target: t,
                    component: c,
                    component_id: id,
                    attribution: a,
                    entity,
                    origin,
                    purchase,
                };
                let found: Vec<Finding> = d
                    .measures
                    .iter()
                    .filter_map(|m| judge.measure(m, ledger))
                    .collect();
                if !found.is_empty() {
                    for mut f in found {
                        f.role = role;
                        f.role_assumed = assumed;
                        keep_worst(&mut out, f);
                    }
                    break;
                }
            }
        }
    }
    out
}

/// Adds a finding, or replaces one with the same id when it is more severe.
fn keep_worst(out: &mut Vec<Finding>, f: Finding) {
    match out.iter_mut().find(|g| g.id == f.id) {
        Some(g) if f.verdict > g.verdict => *g = f,
        Some(_) => {}
        None => out.push(f),
    }
}

/// Why an entity is judged for a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// It is the attributed maker.
    Attributed,
    /// Conflicting evidence of a low-confidence attribution names it.
    Conflict,
    /// It made the component's dies (for directives whose reach to
    /// components is unsettled).
    Dies,
}

/// The entities to judge a component as: the attributed one, then, for a
/// low-confidence attribution, each entity conflicting evidence names, then
/// the maker of its dies.
fn candidates<'a>(a: &'a Attribution, dies: Option<&'a EntityId>) -> Vec<(&'a EntityId, Origin)> {
    let mut out = vec![(&a.entity, Origin::Attributed)];
    if a.confidence == Confidence::Low {
        for e in &a.conflicts {
            if out.iter().all(|(id, _)| *id != &e.entity) {
                out.push((&e.entity, Origin::Conflict));
            }
        }
    }
    if let Some(d) = dies.filter(|d| out.iter().all(|(id, _)| id != d)) {
        out.push((d, Origin::Dies));
    }
    out
}
