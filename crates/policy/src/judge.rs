//! The verdict for one component under one measure of one directive.

use supplyscreen_kb::{Directive, MeasureRule, Products, Target};
use supplyscreen_model::{
    Attribution, Component, Confidence, Date, EntityId, Finding, Measure, Verdict,
};

use crate::family::{Membership, membership};
use crate::{Context, WaiverLedger, category};

/// The fixed inputs of one (component, directive, target) judgement.
pub struct Judge<'a> {
    pub cx: &'a Context<'a>,
    pub d: &'a Directive,
    pub target: &'a Target,
    pub c: &'a Component,
    pub a: &'a Attribution,
    /// The entity judged: the attributed one, or one named by conflicting evidence.
    pub entity: &'a EntityId,
    /// True when `entity` comes from conflicting evidence, not the attribution.
    pub from_conflict: bool,
    pub purchase: bool,
    pub index: usize,
}

impl Judge<'_> {
    /// The date in question and what it is.
    fn date(&self) -> (Date, &'static str) {
        let as_of = self.cx.as_of;
        if self.purchase {
            match self.c.ordered {
                Some(d) => (d, "order date"),
                None => (as_of, "as-of (no order date)"),
            }
        } else {
            match self.c.acquired {
                Some(d) => (d, "acquisition date"),
                None => (as_of, "as-of (acquisition date unknown)"),
            }
        }
    }

    /// Judges one measure; `None` when the component is not in the target's
    /// family on the date or the measure is not in force.
    pub fn measure(&self, m: &MeasureRule, ledger: &mut WaiverLedger) -> Option<Finding> {
        let (date, basis) = self.date();
        let via = match membership(
            self.cx.kb,
            self.entity,
            &self.target.entity,
            self.target.affiliates,
            date,
        ) {
            Membership::No => return None,
            Membership::Yes(v) => (v, false),
            Membership::Unsure(v) => (v, true),
        };
        let (mut verdict, mut reason) = self.base_verdict(m, date, basis)?;
        self.downgrade(&mut verdict, &mut reason, via.1, date);
        let mut f = Finding {
            component: self.index,
            directive: self.d.id.clone(),
            measure: m.measure,
            verdict,
            reason,
            judged_at: date,
            date_basis: basis.to_owned(),
            target: self.target.entity.clone(),
            via: via.0,
            kb: m.kb.clone(),
            citation: self.d.sources.first().cloned().unwrap_or_default(),
            waiver: None,
        };
        self.apply_waivers(&mut f, ledger);
        Some(f)
    }

    fn in_period(m: &MeasureRule, date: Date) -> bool {
        m.from <= date && m.until.is_none_or(|u| date < u)
    }

    /// The verdict from dates alone.
    fn base_verdict(&self, m: &MeasureRule, date: Date, basis: &str) -> Option<(Verdict, String)> {
        let as_of = self.cx.as_of;
        let from = m.from;
        let what = format!("{} restricts {} from {from}", self.d.id, m.measure);
        match (m.measure, self.purchase) {
            (Measure::Purchase | Measure::Import, true) => Some(if Self::in_period(m, date) {
                (
                    Verdict::Violation,
                    format!("{what}; this purchase ({basis} {date}) falls under it"),
                )
            } else {
                (
                    Verdict::Clear,
                    format!(
                        "{what}; this purchase ({basis} {date}) is outside the measure's period"
                    ),
                )
            }),
            (Measure::Purchase | Measure::Import, false) if as_of < from => None,
            (Measure::Purchase | Measure::Import, false) => Some(match self.c.acquired {
                None => (
                    Verdict::Review,
                    format!(
                        "{what}; the acquisition date is unknown, so whether it was bought after the ban cannot be told"
                    ),
                ),
                Some(d) if d >= from => (
                    Verdict::Violation,
                    format!("{what}; acquired {d}, on or after that date"),
                ),
                Some(d) => (
                    Verdict::Restricted,
                    format!(
                        "{what}; acquired {d}, before that date: keep it, but replacements must come from elsewhere"
                    ),
                ),
            }),
            (Measure::Operate | Measure::Deploy | Measure::Update, _) if as_of < from => None,
            (Measure::Operate | Measure::Deploy | Measure::Update, _) => Some(match m.until {
                Some(deadline) if as_of < deadline => {
                    let days = (deadline - as_of).get_days();
                    (
                        Verdict::Restricted,
                        format!(
                            "{} restricts {} from {from}; must stop by {deadline} ({days} days left)",
                            self.d.id, m.measure
                        ),
                    )
                }
                Some(deadline) => (
                    Verdict::Violation,
                    format!(
                        "{} restricts {} from {from}; the deadline {deadline} has passed",
                        self.d.id, m.measure
                    ),
                ),
                None => (Verdict::Violation, format!("{what}; in force on {as_of}")),
            }),
        }
    }

    /// Uncertain attribution, relation dates or product scope turn a
    /// violation or restriction into a review; the reason says why.
    fn downgrade(
        &self,
        verdict: &mut Verdict,
        reason: &mut String,
        unsure_relation: bool,
        date: Date,
    ) {
        if *verdict <= Verdict::Review {
            return self.note_scope(reason);
        }
        if self.from_conflict {
            *verdict = Verdict::Review;
            reason.push_str(&format!(
                "; the strongest evidence says {} (low confidence) but conflicting evidence says {}, a target: a person must decide",
                self.a.entity, self.entity
            ));
        } else if self.a.confidence == Confidence::Low {
            *verdict = Verdict::Review;
            reason.push_str("; attribution confidence is low (conflicting or weak evidence), so a person must confirm");
        }
        if unsure_relation {
            *verdict = Verdict::Review;
            reason.push_str(&format!(
                "; the family relation's source dates are imprecise around {date}"
            ));
        }
        if let Products::Categories(cats) = &self.d.products
            && category(self.c.kind).is_none()
        {
            *verdict = Verdict::Review;
            reason.push_str(&format!(
                "; the directive covers only {} and this item's category is not evident",
                cats.join(", ")
            ));
        }
        self.note_scope(reason);
    }

    fn note_scope(&self, reason: &mut String) {
        if self.d.products == Products::Unspecified {
            reason.push_str("; the directive names no product categories, so all of the target's products are covered");
        }
    }

    fn apply_waivers(&self, f: &mut Finding, ledger: &mut WaiverLedger) {
        if f.verdict <= Verdict::Waived {
            return;
        }
        let entity = self.a.entity.as_str();
        let hit = self
            .cx
            .waivers
            .iter()
            .enumerate()
            .find(|(_, w)| w.directive == f.directive && w.matches(self.c, entity));
        let Some((i, w)) = hit else { return };
        if self.cx.as_of <= w.expires {
            ledger.used[i] += 1;
            f.reason = format!(
                "{} (waived by {}: {}; approved by {}; expires {})",
                f.reason, w.at, w.reason, w.approver, w.expires
            );
            f.verdict = Verdict::Waived;
            f.waiver = Some(w.at.clone());
        } else {
            ledger.expired_matches[i] += 1;
            f.reason.push_str(&format!(
                "; the waiver at {} expired on {}",
                w.at, w.expires
            ));
        }
    }
}
