//! The verdict for one component under one measure of one directive, as data.

use supplyscreen_kb::{Directive, MeasureRule, Target};
use supplyscreen_model::{
    Attribution, Component, ComponentId, Confidence, Date, DateBasis, Doubt, EntityId, Finding,
    FindingCode, FindingId, MatchedRole, Measure, ProductScope, SuspensionRef, TargetBasis,
    Verdict, WaiverEffect, WaiverRef,
};

use crate::family::{Membership, membership};
use crate::scope::{self, Scope, UseScope};
use crate::{Context, Origin, WaiverLedger};

/// The fixed inputs of one (component, directive, target) judgement.
pub struct Judge<'a> {
    /// Everything besides the component.
    pub ctx: &'a Context<'a>,
    /// The directive.
    pub directive: &'a Directive,
    /// The target of the directive being judged.
    pub target: &'a Target,
    /// The component.
    pub component: &'a Component,
    /// Its stable id.
    pub component_id: ComponentId,
    /// Its attribution.
    pub attribution: &'a Attribution,
    /// The entity judged: the attributed one, one named by conflicting
    /// evidence, or the maker of the component's dies.
    pub entity: &'a EntityId,
    /// Why `entity` is judged.
    pub origin: Origin,
    /// True when the component is judged as a purchase.
    pub purchase: bool,
}

impl Judge<'_> {
    /// The date in question and why.
    fn date(&self) -> (Date, DateBasis) {
        let as_of = self.ctx.as_of;
        match (
            self.purchase,
            self.component.ordered,
            self.component.acquired,
        ) {
            (true, Some(d), _) => (d, DateBasis::OrderDate),
            (true, None, _) => (as_of, DateBasis::AsOfNoOrderDate),
            (false, _, Some(d)) => (d, DateBasis::AcquisitionDate),
            (false, _, None) => (as_of, DateBasis::AsOfNoAcquisitionDate),
        }
    }

    /// Judges one measure; `None` when the component is not in the target's
    /// family on the date, outside the product or use scope, or the measure
    /// is not in force or restricts no action on a component (exports).
    pub fn measure(&self, m: &MeasureRule, ledger: &mut WaiverLedger) -> Option<Finding> {
        if m.measure == Measure::Export {
            return None;
        }
        let (date, basis) = self.date();
        let kb = self.ctx.kb;
        let (via, certain) = match membership(
            kb,
            self.entity,
            &self.target.entity,
            self.target.affiliates,
            date,
        ) {
            Membership::No => return None,
            Membership::Yes(v) => (v, true),
            Membership::Unsure(v) => (v, false),
        };
        let mut doubts = Vec::new();
        let vocab = kb.vocabulary();
        let (d, t, c, a) = (
            self.directive,
            self.target,
            self.component,
            self.attribution,
        );
        let scope = match scope::products(vocab, self.ctx.kb.lexicon(), d, t, c, a) {
            Scope::Out => return None,
            Scope::In(s) => s,
            Scope::Unknown(doubt) => {
                doubts.push(doubt);
                ProductScope::Undecided
            }
        };
        match scope::uses(vocab, t, c) {
            UseScope::Out => return None,
            UseScope::In => {}
            UseScope::Unknown(doubt) => doubts.push(doubt),
        }
        let (code, verdict) = self.base_verdict(m, date)?;
        let mut f = Finding {
            id: FindingId::of(self.component_id, &d.id, m.measure),
            component: self.component_id,
            directive: d.id.clone(),
            measure: m.measure,
            verdict,
            code,
            measure_from: m.from,
            measure_until: m.until,
            judged_at: date,
            date_basis: basis,
            entity: self.entity.clone(),
            target: t.entity.clone(),
            role: MatchedRole::Maker,
            role_assumed: false,
            via,
            scope,
            doubts: Vec::new(),
            suspension: None,
            waiver: None,
            kb: m.kb.clone(),
            citation: d.sources.first().cloned().unwrap_or_default(),
            force: d.force,
            basis: TargetBasis::Named,
            basis_kb: None,
        };
        let branded = a.brand.is_some() && a.entity == *self.entity;
        set_basis(t, branded, &mut f);
        apply_suspension(m, self.acted_on(m, date), &mut f);
        self.downgrade(&mut f, certain, doubts, m.unverified.as_ref());
        self.apply_waivers(&mut f, ledger);
        Some(f)
    }

    /// The date the restricted act happened: a purchase on its own date; an
    /// installed item was bought (or installed) on its acquisition date when
    /// known; operating and updating happen on the screening date.
    fn acted_on(&self, m: &MeasureRule, date: Date) -> Date {
        match m.measure {
            _ if self.purchase => date,
            Measure::Purchase | Measure::Import | Measure::Deploy => {
                self.component.acquired.unwrap_or(self.ctx.as_of)
            }
            Measure::Operate | Measure::Update | Measure::Export => self.ctx.as_of,
        }
    }

    /// The verdict from dates alone, with the rule that gave it.
    fn base_verdict(&self, m: &MeasureRule, date: Date) -> Option<(FindingCode, Verdict)> {
        let in_period = m.from <= date && m.until.is_none_or(|u| date < u);
        let as_of = self.ctx.as_of;
        Some(match m.measure {
            Measure::Purchase | Measure::Import if self.purchase => match in_period {
                true => (FindingCode::PurchaseInPeriod, Verdict::Violation),
                false => (FindingCode::PurchaseOutsidePeriod, Verdict::Clear),
            },
            Measure::Deploy if self.purchase => match in_period {
                true => (FindingCode::DeployInPeriod, Verdict::Violation),
                false => (FindingCode::DeployOutsidePeriod, Verdict::Clear),
            },
            Measure::Purchase | Measure::Import | Measure::Deploy => {
                if as_of < m.from {
                    return None;
                }
                let ended = |d: Date| m.until.is_some_and(|u| d >= u);
                match self.component.acquired {
                    Some(d) if ended(d) => (FindingCode::AcquiredAfterEnd, Verdict::Clear),
                    Some(d) if d < m.from && ended(as_of) => {
                        (FindingCode::MeasureEnded, Verdict::Clear)
                    }
                    None => (FindingCode::AcquisitionDateUnknown, Verdict::Review),
                    Some(d) if d >= m.from => (FindingCode::AcquiredAfterStart, Verdict::Violation),
                    Some(_) => (FindingCode::AcquiredBeforeStart, Verdict::Restricted),
                }
            }
            Measure::Operate | Measure::Update => {
                if as_of < m.from {
                    return None;
                }
                match m.until {
                    Some(deadline) if as_of <= deadline => {
                        (FindingCode::DeadlineAhead, Verdict::Restricted)
                    }
                    Some(_) => (FindingCode::DeadlinePassed, Verdict::Violation),
                    None if m.measure == Measure::Update => {
                        (FindingCode::UpdatesEnded, Verdict::Restricted)
                    }
                    None => (FindingCode::OperationRestricted, Verdict::Violation),
                }
            }
            Measure::Export => return None,
        })
    }

    /// Uncertain attribution, relation dates, product category or use turn a
    /// violation or restriction into a review; the doubts say why.
    fn downgrade(
        &self,
        f: &mut Finding,
        certain: bool,
        scope_doubts: Vec<Doubt>,
        unverified: Option<&String>,
    ) {
        // Who is judged is said whatever the verdict: a finding about another
        // maker's product must never read as one about the target's own.
        let attributed = self.attribution.entity.clone();
        let origin = match self.origin {
            Origin::Conflict => Some(Doubt::ConflictingEvidence {
                attributed,
                judged: self.entity.clone(),
            }),
            Origin::Dies => Some(Doubt::ContainsTargetDies {
                attributed,
                dies: self.entity.clone(),
            }),
            Origin::Attributed => None,
        };
        let mut doubts: Vec<Doubt> = origin.into_iter().collect();
        if f.verdict <= Verdict::Review {
            f.doubts.extend(doubts);
            return;
        }
        if self.origin == Origin::Attributed && self.attribution.confidence == Confidence::Low {
            doubts.push(Doubt::LowConfidence);
        }
        if !certain {
            doubts.push(Doubt::ImpreciseRelation { date: f.judged_at });
        }
        if let Some(stated) = &self.component.ambiguous_date {
            doubts.push(Doubt::AmbiguousDate {
                stated: stated.clone(),
            });
        }
        doubts.extend(scope_doubts);
        if self.directive.force.is_guidance() {
            doubts.push(Doubt::GuidanceNotLaw);
        }
        if let Some(what) = unverified {
            doubts.push(Doubt::UnverifiedMeasure {
                what: what.clone(),
                kb: f.kb.clone(),
            });
        }
        if !doubts.is_empty() {
            f.verdict = Verdict::Review;
            f.doubts.extend(doubts);
        }
    }

    /// The first waiver of the directive that matches: applied until it
    /// expires, recorded as expired after.
    fn apply_waivers(&self, f: &mut Finding, ledger: &mut WaiverLedger) {
        if f.verdict <= Verdict::Waived {
            return;
        }
        let entity = self.attribution.entity.as_str();
        let hit = self
            .ctx
            .waivers
            .iter()
            .enumerate()
            .find(|(_, w)| w.directive == f.directive && w.matches(self.component, entity));
        let Some((i, w)) = hit else { return };
        let effect = if self.ctx.as_of <= w.expires {
            ledger.used[i] += 1;
            f.verdict = Verdict::Waived;
            WaiverEffect::Applied
        } else {
            ledger.expired_matches[i] += 1;
            WaiverEffect::Expired
        };
        f.waiver = Some(WaiverRef {
            at: w.at.clone(),
            approver: w.approver.clone(),
            reason: w.reason.clone(),
            expires: w.expires,
            effect,
            ticket: w.ticket.clone(),
        });
    }
}

/// The finding rests on the KB's reading when the target itself is one, or
/// when it reaches the judged entity through relations (or a brand of the
/// target) the instrument does not name; the target's line is where the
/// reading is written.
fn set_basis(t: &Target, branded: bool, f: &mut Finding) {
    let reached = !f.via.is_empty() || branded;
    let extended = reached && t.affiliates && t.affiliates_basis == TargetBasis::KbReading;
    if t.basis == TargetBasis::KbReading || extended {
        f.basis = TargetBasis::KbReading;
        f.basis_kb = Some(t.kb.clone());
    }
}

/// A measure suspended on the date acted on is not acted on; an
/// open-ended suspension is a review (its current status is unrecorded), and
/// so is a date after a suspension whose extension no source records.
fn apply_suspension(m: &MeasureRule, on: Date, f: &mut Finding) {
    if f.verdict <= Verdict::Review {
        return;
    }
    let covering = m
        .suspensions
        .iter()
        .find(|s| s.from <= on && s.until.is_none_or(|u| on < u));
    let Some(s) = covering else {
        let lapsed = m
            .suspensions
            .iter()
            .filter(|s| s.extension_unknown)
            .filter_map(|s| s.until.map(|u| (u, s)))
            .filter(|(u, _)| *u <= on)
            .max_by_key(|(u, _)| *u);
        if let Some((until, s)) = lapsed {
            f.verdict = Verdict::Review;
            f.doubts.push(Doubt::SuspensionLapsed {
                until,
                kb: s.kb.clone(),
            });
        }
        return;
    };
    f.suspension = Some(SuspensionRef {
        from: s.from,
        until: s.until,
        kb: s.kb.clone(),
    });
    match s.until {
        Some(_) => f.verdict = Verdict::Clear,
        None => {
            f.verdict = Verdict::Review;
            f.doubts.push(Doubt::OpenSuspension {
                from: s.from,
                kb: s.kb.clone(),
            });
        }
    }
}
