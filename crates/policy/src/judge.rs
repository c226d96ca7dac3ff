//! The verdict for one component under one measure of one directive.

use supplyscreen_kb::{Directive, MeasureRule, Products, Target};
use supplyscreen_model::{
    Attribution, Component, Confidence, Date, EntityId, Finding, Measure, Verdict,
};

use crate::family::{Membership, membership};
use crate::scope::{self, Scope};
use crate::{Context, WaiverLedger};

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

/// Why a verdict must be reviewed rather than acted on, if it must.
struct Doubts {
    relation: bool,
    scope: Vec<String>,
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
    /// family on the date, outside the product or use scope, or the measure
    /// is not in force or restricts no action on a component (exports).
    pub fn measure(&self, m: &MeasureRule, ledger: &mut WaiverLedger) -> Option<Finding> {
        if m.measure == Measure::Export {
            return None;
        }
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
        let mut doubts = Doubts {
            relation: via.1,
            scope: Vec::new(),
        };
        for s in [
            scope::products(self.d, self.target, self.c, self.a),
            scope::uses(self.target, self.c),
        ] {
            match s {
                Scope::Out => return None,
                Scope::Unknown(why) => doubts.scope.push(why),
                Scope::In => {}
            }
        }
        let (mut verdict, mut reason) = self.base_verdict(m, date, basis)?;
        // A purchase is judged on its own date; installed items on the screening date.
        let acted = if self.purchase { date } else { self.cx.as_of };
        self.suspension(m, acted, &mut verdict, &mut reason);
        self.downgrade(&mut verdict, &mut reason, &doubts, date);
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
        let what = format!("{} restricts {} from {}", self.d.id, m.measure, m.from);
        match m.measure {
            Measure::Purchase | Measure::Import if self.purchase => {
                Some(if Self::in_period(m, date) {
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
                })
            }
            Measure::Purchase | Measure::Import => self.installed_after(
                m,
                &what,
                "bought",
                "keep it, but replacements must come from elsewhere",
            ),
            Measure::Deploy if self.purchase => Some(if Self::in_period(m, date) {
                (
                    Verdict::Violation,
                    format!("{what}; installing this purchase ({basis} {date}) falls under it"),
                )
            } else {
                (
                    Verdict::Clear,
                    format!(
                        "{what}; this purchase ({basis} {date}) is outside the measure's period"
                    ),
                )
            }),
            Measure::Deploy => self.installed_after(
                m,
                &what,
                "installed",
                "new installations are barred; this one predates the measure",
            ),
            Measure::Operate | Measure::Update => self.deadline(m, &what),
            Measure::Export => None,
        }
    }

    /// Installed items: after the measure's start a violation, before it restricted.
    fn installed_after(
        &self,
        m: &MeasureRule,
        what: &str,
        verb: &str,
        before: &str,
    ) -> Option<(Verdict, String)> {
        if self.cx.as_of < m.from {
            return None;
        }
        Some(match self.c.acquired {
            None => (
                Verdict::Review,
                format!(
                    "{what}; the acquisition date is unknown, so whether it was {verb} after the measure cannot be told"
                ),
            ),
            Some(d) if d >= m.from => (
                Verdict::Violation,
                format!("{what}; acquired {d}, on or after that date"),
            ),
            Some(d) => (
                Verdict::Restricted,
                format!("{what}; acquired {d}, before that date: {before}"),
            ),
        })
    }

    /// Operate/update measures: restricted until the deadline (inclusive), a violation after.
    fn deadline(&self, m: &MeasureRule, what: &str) -> Option<(Verdict, String)> {
        let as_of = self.cx.as_of;
        if as_of < m.from {
            return None;
        }
        Some(match m.until {
            Some(deadline) if as_of <= deadline => {
                let days = (deadline - as_of).get_days();
                (
                    Verdict::Restricted,
                    format!("{what}; must stop by {deadline} ({days} days left)"),
                )
            }
            Some(deadline) => (
                Verdict::Violation,
                format!("{what}; the deadline {deadline} has passed"),
            ),
            None if m.measure == Measure::Update => (
                Verdict::Restricted,
                format!(
                    "{what}; the product no longer receives updates from its maker and should be replaced"
                ),
            ),
            None => (Verdict::Violation, format!("{what}; in force on {as_of}")),
        })
    }

    /// A measure suspended on the screening date is not acted on; an
    /// open-ended suspension is a review (its current status is unrecorded).
    fn suspension(&self, m: &MeasureRule, on: Date, verdict: &mut Verdict, reason: &mut String) {
        let Some(s) = m
            .suspensions
            .iter()
            .find(|s| s.from <= on && s.until.is_none_or(|u| on < u))
        else {
            return;
        };
        if *verdict <= Verdict::Review {
            return;
        }
        let note = s
            .note
            .as_ref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        match s.until {
            Some(u) => {
                *verdict = Verdict::Clear;
                reason.push_str(&format!(
                    "; the measure is suspended from {} until {u} [{}]{note}",
                    s.from, s.kb
                ));
            }
            None => {
                *verdict = Verdict::Review;
                reason.push_str(&format!("; the measure was suspended from {} with no end recorded [{}]{note}: confirm whether it is enforced", s.from, s.kb));
            }
        }
    }

    /// Uncertain attribution, relation dates, product category or use turn a
    /// violation or restriction into a review; the reason says why.
    fn downgrade(&self, verdict: &mut Verdict, reason: &mut String, doubts: &Doubts, date: Date) {
        if *verdict > Verdict::Review {
            let mut why = Vec::new();
            if self.from_conflict {
                why.push(format!("the strongest evidence says {} (low confidence) but conflicting evidence says {}, a target: a person must decide", self.a.entity, self.entity));
            } else if self.a.confidence == Confidence::Low {
                why.push("attribution confidence is low (conflicting or weak evidence), so a person must confirm".to_owned());
            }
            if doubts.relation {
                why.push(format!(
                    "the family relation's source dates are imprecise around {date}"
                ));
            }
            why.extend(doubts.scope.iter().cloned());
            if !why.is_empty() {
                *verdict = Verdict::Review;
                reason.push_str(&format!("; {}", why.join("; ")));
            }
        }
        if self.d.products == Products::Unspecified && self.target.products.is_none() {
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
