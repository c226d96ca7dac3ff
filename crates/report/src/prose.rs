//! Sentences written from findings' data. Nothing here decides: every word
//! follows from a code, a date, a doubt or a reference the finding carries.

use supplyscreen_model::{
    Date, DateBasis, Doubt, Finding, FindingCode, Hop, MatchedRole, Measure, ProductScope,
    TargetBasis, WaiverEffect,
};

/// Why a finding has its verdict, in one paragraph.
pub fn reason(f: &Finding, as_of: Date) -> String {
    let mut s = format!(
        "{} restricts {} from {}; {}",
        f.directive,
        f.measure,
        f.measure_from,
        base(f, as_of)
    );
    if let Some(sus) = &f.suspension {
        match sus.until {
            Some(u) => s.push_str(&format!(
                "; the measure is suspended from {} until {u} [{}]",
                sus.from, sus.kb
            )),
            None => s.push_str(&format!(
                "; the measure was suspended from {} with no end recorded [{}]: confirm whether it is enforced",
                sus.from, sus.kb
            )),
        }
    }
    let doubts: Vec<String> = f.doubts.iter().filter_map(doubt).collect();
    if !doubts.is_empty() {
        s.push_str("; ");
        s.push_str(&doubts.join("; "));
    }
    s.push_str(role(f));
    s.push_str(&reading(f));
    if f.scope == ProductScope::Unspecified {
        s.push_str(
            "; the directive names no product categories, so all of the target's products are covered",
        );
    }
    if let Some(w) = &f.waiver {
        match w.effect {
            WaiverEffect::Applied => {
                // An internal approval accepts a risk; it does not waive a law.
                s = format!(
                    "{s} (risk accepted by {} until {}: {} [{}{}])",
                    w.approver,
                    w.expires,
                    w.reason,
                    w.at,
                    ticket_suffix(w.ticket.as_deref())
                )
            }
            WaiverEffect::Expired => {
                s.push_str(&format!(
                    "; the waiver at {} expired on {}",
                    w.at, w.expires
                ));
            }
        }
    }
    s
}

/// Which role of the company matched, when it is worth saying: the
/// counterparty for a listing, or a role taken from the only company column.
fn role(f: &Finding) -> &'static str {
    match (f.role, f.role_assumed) {
        (MatchedRole::Supplier, false) => "; matched as the supplier (the counterparty)",
        (MatchedRole::Supplier, true) => {
            "; the maker was taken for the counterparty (the input names no supplier)"
        }
        (MatchedRole::Maker, true) => {
            "; the supplier column was taken for the maker (the input names no maker)"
        }
        (MatchedRole::Maker, false) => "",
    }
}

fn basis(b: DateBasis) -> &'static str {
    match b {
        DateBasis::OrderDate => "order date",
        DateBasis::AcquisitionDate => "acquisition date",
        DateBasis::AsOfNoOrderDate => "as-of (no order date)",
        DateBasis::AsOfNoAcquisitionDate => "as-of (acquisition date unknown)",
    }
}

/// The date rule's clause.
fn base(f: &Finding, as_of: Date) -> String {
    let (b, date) = (basis(f.date_basis), f.judged_at);
    let deadline = f.measure_until.unwrap_or(as_of);
    match f.code {
        FindingCode::PurchaseInPeriod => format!("this purchase ({b} {date}) falls under it"),
        FindingCode::DeployInPeriod => {
            format!("installing this purchase ({b} {date}) falls under it")
        }
        FindingCode::PurchaseOutsidePeriod | FindingCode::DeployOutsidePeriod => {
            format!("this purchase ({b} {date}) is outside the measure's period")
        }
        FindingCode::AcquiredAfterStart => format!("acquired {date}, on or after that date"),
        FindingCode::AcquiredBeforeStart if f.measure == Measure::Deploy => format!(
            "acquired {date}, before that date: new installations are barred; this one predates the measure"
        ),
        FindingCode::AcquiredBeforeStart => format!(
            "acquired {date}, before that date: keep it, but replacements must come from elsewhere"
        ),
        FindingCode::AcquisitionDateUnknown => {
            let verb = if f.measure == Measure::Deploy {
                "installed"
            } else {
                "bought"
            };
            format!(
                "the acquisition date is unknown, so whether it was {verb} after the measure cannot be told"
            )
        }
        FindingCode::DeadlineAhead => {
            let days = (deadline - as_of).get_days();
            format!("must stop by {deadline} ({days} days left)")
        }
        FindingCode::DeadlinePassed => format!("the deadline {deadline} has passed"),
        FindingCode::UpdatesEnded => {
            "the product no longer receives updates from its maker and should be replaced".into()
        }
        FindingCode::OperationRestricted => format!("in force on {as_of}"),
        FindingCode::AcquiredAfterEnd => {
            let end = f.measure_until.unwrap_or(as_of);
            format!("acquired {date}, after the measure ended on {end}")
        }
        FindingCode::MeasureEnded => {
            let end = f.measure_until.unwrap_or(as_of);
            format!("acquired {date}, before the measure; the measure ended on {end}")
        }
    }
}

/// Values separated by commas.
pub(crate) fn list<T: std::fmt::Display>(items: &[T]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// One doubt as a clause; an open suspension is said with the suspension.
fn doubt(d: &Doubt) -> Option<String> {
    Some(match d {
        Doubt::LowConfidence => {
            "attribution confidence is low (conflicting or weak evidence), so a person must confirm"
                .into()
        }
        Doubt::ConflictingEvidence { attributed, judged } => format!(
            "the strongest evidence says {attributed} (low confidence) but conflicting evidence says {judged}, a target: a person must decide"
        ),
        Doubt::ImpreciseRelation { date } => {
            format!("the family relation's source dates are imprecise around {date}")
        }
        Doubt::UnstatedCategory { covered } => format!(
            "the directive covers only {} for this target and the item's category is not stated (add a Category column)",
            list(covered)
        ),
        Doubt::UnknownCategory { stated, covered } => format!(
            "the stated category {stated:?} is not a product category the knowledge base knows; the directive covers only {} for this target",
            list(covered)
        ),
        Doubt::UnstatedUse { covered } => format!(
            "the restriction applies only when the item is used for {}, and the input does not say its use (add a Use column)",
            list(covered)
        ),
        Doubt::UnknownUse { stated, covered } => format!(
            "the stated use {stated:?} is not a use the knowledge base knows; the restriction applies only when the item is used for {}",
            list(covered)
        ),
        Doubt::AmbiguousDate { stated } => format!(
            "the input's date {stated:?} reads both day-first and month-first, so the date it was bought is not known (pass --date-order dmy|mdy|ymd)"
        ),
        Doubt::ContainsTargetDies { attributed, dies } => format!(
            "made by {attributed}, it contains {dies} DRAM dies; whether the directive reaches components inside other makers' products is not stated, so a person must decide"
        ),
        Doubt::SuspensionLapsed { until, kb } => format!(
            "the recorded suspension ended on {until} [{kb}] and no source recorded here says whether it was extended: confirm whether the measure is enforced"
        ),
        Doubt::GuidanceNotLaw => {
            "the instrument is guidance, not law: it prohibits nothing by itself, so a person must decide what it means here".into()
        }
        Doubt::UnverifiedMeasure { what, kb } => format!(
            "the knowledge base could not verify that this measure reaches the act ({what}) [{kb}]: confirm before acting"
        ),
        Doubt::OpenSuspension { .. } => return None,
    })
}

/// Says when the finding rests on the KB's reading rather than on the
/// instrument's own words, and through which relations.
fn reading(f: &Finding) -> String {
    let Some(kb) = f
        .basis_kb
        .as_ref()
        .filter(|_| f.basis == TargetBasis::KbReading)
    else {
        return String::new();
    };
    if f.via.is_empty() {
        return format!(
            "; the directive's reach to this item is the KB's reading, not its words (see {kb})"
        );
    }
    let hops: Vec<String> = f.via.iter().map(hop).collect();
    format!(
        "; this is the KB's reading of the directive, through {} ({kb})",
        hops.join(", ")
    )
}

/// A relation hop: `elpida acquired-by micron (from 2013-07-31) [data/entities/elpida.toml:30]`.
pub fn hop(h: &Hop) -> String {
    let mut s = format!("{} {} {}", h.from, h.kind, h.to);
    match (h.since, h.until) {
        (Some(f), Some(u)) => s.push_str(&format!(" (from {f} until {u})")),
        (Some(f), None) => s.push_str(&format!(" (from {f})")),
        (None, Some(u)) => s.push_str(&format!(" (until {u})")),
        (None, None) => {}
    }
    s.push_str(&format!(" [{}]", h.kb));
    s
}

/// `, ticket CHG-2291` when the waiver names its ticket, else nothing.
pub(crate) fn ticket_suffix(ticket: Option<&str>) -> String {
    ticket.map(|t| format!(", ticket {t}")).unwrap_or_default()
}
