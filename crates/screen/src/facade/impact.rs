//! What a draft directive would hit: the draft is validated like KB data
//! (laid over the KB), then the inputs are screened as if every measure of
//! the draft had started, whatever the inputs' dates.

use std::path::Path;

use supplyscreen_ingest::Summary;
use supplyscreen_kb::{KbFile, dir_files, embedded_files, overlay};
use supplyscreen_model::{
    Component, Date, DirectiveId, FieldRole, Finding, ProfileId, Role, Verdict,
};

use crate::{Input, Kb, LoadError, Request, ScreenError, Screener};

/// The id of the profile made up for a draft when no profile is given.
pub const DRAFT_PROFILE: &str = "draft-binding";

/// What to measure a draft against.
pub struct ImpactRequest<'a> {
    /// The draft directive file as given (named in errors).
    pub draft_path: &'a str,
    /// Its text.
    pub draft_text: &'a str,
    /// A KB directory laid over the embedded KB before the draft.
    pub kb_overlay: Option<&'a Path>,
    /// Who screens; `None`: whoever the draft binds (its jurisdiction and sectors).
    pub profile: Option<ProfileId>,
    /// Today: the screening date unless the draft starts later.
    pub today: Date,
}

/// An amount of money in hundredths of its currency's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cents(pub i64);

impl std::fmt::Display for Cents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

/// One component the draft reaches.
#[derive(Debug, Clone)]
pub struct ImpactHit {
    /// The component as read.
    pub component: Component,
    /// The entity judged (the attributed maker, or a relation of the target).
    pub entity: String,
    /// The supplier (a Supplier column, else a purchase line's vendor column).
    pub supplier: Option<String>,
    /// The unit price and its currency (from the price column's header), when given.
    pub unit_price: Option<(Cents, String)>,
    /// Quantity (1 when not stated) times the unit price.
    pub spend: Option<(Cents, String)>,
    /// The draft's findings for the component (one per measure).
    pub findings: Vec<Finding>,
    /// The most severe of those findings' verdicts on the date judged.
    pub verdict: Verdict,
}

/// What a draft directive would hit in the inputs.
#[derive(Debug, Clone)]
pub struct Impact {
    /// The draft's id.
    pub directive: DirectiveId,
    /// Its title.
    pub title: String,
    /// The profile screened as.
    pub profile: ProfileId,
    /// True when no profile was given and the draft's own jurisdiction and sectors were used.
    pub profile_from_draft: bool,
    /// False when the profile given is not bound by the draft (nothing can be reached).
    pub binds_profile: bool,
    /// The date judged: today, or the draft's latest measure start when later.
    pub as_of: Date,
    /// Components read in all.
    pub components: usize,
    /// One summary per input.
    pub inputs: Vec<Summary>,
    /// The components the draft reaches, in input order.
    pub hits: Vec<ImpactHit>,
}

/// Why an impact could not be measured.
#[derive(Debug, thiserror::Error)]
pub enum ImpactError {
    /// The draft, laid over the KB, does not validate.
    #[error(transparent)]
    Kb(#[from] LoadError),
    /// The draft has no `id` that names a directive.
    #[error("{0}: no directive id found (a draft directive needs `id = \"...\"`)")]
    NoId(String),
    /// Screening failed.
    #[error(transparent)]
    Screen(#[from] ScreenError),
}

/// Validates the draft over the KB and screens the inputs with it.
pub fn impact(req: &ImpactRequest<'_>, inputs: Vec<Input>) -> Result<Impact, ImpactError> {
    let base = match req.kb_overlay {
        Some(dir) => overlay(embedded_files(), dir_files(dir)?),
        None => embedded_files(),
    };
    let id = draft_id(req.draft_text).ok_or_else(|| ImpactError::NoId(req.draft_path.into()))?;
    let rel = replaced_rel(&base, &id).unwrap_or_else(|| format!("directives/draft/{id}.toml"));
    let draft = KbFile {
        rel,
        display: req.draft_path.to_owned(),
        text: req.draft_text.to_owned(),
    };
    let kb = Kb::load(overlay(base.clone(), vec![draft.clone()]))?;
    let directive_id =
        DirectiveId::new(&id).map_err(|_| ImpactError::NoId(req.draft_path.into()))?;
    let (kb, profile, from_draft) = match &req.profile {
        Some(p) => (kb, p.clone(), false),
        None => {
            let d = kb
                .directive(&directive_id)
                .ok_or_else(|| ImpactError::NoId(req.draft_path.into()))?;
            let profile = draft_profile(d);
            let kb = Kb::load(overlay(base, vec![draft, profile]))?;
            (
                kb,
                ProfileId::new(DRAFT_PROFILE)
                    .map_err(|_| ImpactError::NoId(DRAFT_PROFILE.into()))?,
                true,
            )
        }
    };
    let d = kb
        .directive(&directive_id)
        .ok_or_else(|| ImpactError::NoId(req.draft_path.into()))?;
    let title = d.title.clone();
    let binds_profile = kb
        .profile(&profile)
        .is_some_and(|p| supplyscreen_policy::binds(d, p));
    let latest = d.measures.iter().map(|m| m.from).max().unwrap_or(req.today);
    let as_of = latest.max(req.today);
    let screener = Screener::new(kb);
    let request = Request {
        profile: profile.clone(),
        as_of,
        action: None,
        waivers: Vec::new(),
        read: supplyscreen_ingest::ReadOptions::default(),
    };
    let outcome = screener.screen(inputs, &request)?;
    let components = outcome.components.len();
    let hits = outcome
        .components
        .into_iter()
        .filter_map(|s| hit(s.component, s.findings, &directive_id))
        .collect();
    Ok(Impact {
        directive: directive_id,
        title,
        profile,
        profile_from_draft: from_draft,
        binds_profile,
        as_of,
        components,
        inputs: outcome.inputs,
        hits,
    })
}

/// The draft's top-level `id`, if it has one.
fn draft_id(text: &str) -> Option<String> {
    let table: toml::Table = toml::from_str(text).ok()?;
    table.get("id")?.as_str().map(str::to_owned)
}

/// The relative path of the KB file that already holds directive `id` (a
/// draft revising a directive replaces it).
fn replaced_rel(files: &[KbFile], id: &str) -> Option<String> {
    files
        .iter()
        .filter(|f| f.rel.starts_with("directives/"))
        .find(|f| draft_id(&f.text).as_deref() == Some(id))
        .map(|f| f.rel.clone())
}

/// A profile bound by exactly the draft's jurisdiction and sectors.
fn draft_profile(d: &crate::Directive) -> KbFile {
    let sectors: Vec<String> = d
        .sectors
        .iter()
        .map(|s| format!("{:?}", s.as_str()))
        .collect();
    let text = format!(
        "id = \"{DRAFT_PROFILE}\"\ntitle = \"Whoever the draft directive binds\"\njurisdictions = [{:?}]\nsectors = [{}]\n",
        d.jurisdiction.as_str(),
        sectors.join(", ")
    );
    KbFile {
        rel: format!("profiles/{DRAFT_PROFILE}.toml"),
        display: format!("({DRAFT_PROFILE} profile)"),
        text,
    }
}

fn hit(component: Component, findings: Vec<Finding>, id: &DirectiveId) -> Option<ImpactHit> {
    let findings: Vec<Finding> = findings
        .into_iter()
        .filter(|f| &f.directive == id)
        .collect();
    let first = findings.first()?;
    let verdict = findings
        .iter()
        .map(|f| f.verdict)
        .max()
        .unwrap_or(Verdict::Clear);
    let entity = first.entity.to_string();
    let supplier = supplier(&component);
    let unit_price = unit_price(&component);
    let quantity = i64::from(component.quantity.unwrap_or(1));
    let spend = unit_price
        .as_ref()
        .and_then(|(p, cur)| p.0.checked_mul(quantity).map(|v| (Cents(v), cur.clone())));
    Some(ImpactHit {
        component,
        entity,
        supplier,
        unit_price,
        spend,
        findings,
        verdict,
    })
}

/// A supplier column's value (what ingest read as the supplier role, or a
/// column named so), else, for a purchase line, its maker column's
/// (installed items name a maker, not whom it was bought from).
fn supplier(c: &Component) -> Option<String> {
    let named = c.with_role(FieldRole::Supplier).next().or_else(|| {
        c.fields.iter().find(|f| {
            let n = f.name.to_lowercase();
            n.contains("supplier") || n.contains("供应商")
        })
    });
    let vendor = || {
        (c.role == Role::Order)
            .then(|| c.with_role(FieldRole::Maker).next())
            .flatten()
    };
    named
        .or_else(vendor)
        .map(|f| f.value.clone())
        .filter(|v| !v.is_empty())
}

/// The unit price from a column named like `Unit Price (CNY)`, `Price` or
/// `单价`, with the currency its header names in parentheses.
fn unit_price(c: &Component) -> Option<(Cents, String)> {
    c.fields.iter().find_map(|f| {
        let n = f.name.to_lowercase();
        let is_price = (n.contains("price") || n.contains("单价") || n.contains("价格"))
            && !n.contains("total")
            && !n.contains("extended");
        if !is_price {
            return None;
        }
        let currency = f
            .name
            .split_once(['(', '（'])
            .and_then(|(_, rest)| rest.split([')', '）']).next())
            .map(|s| s.trim().to_owned())
            .unwrap_or_default();
        parse_cents(&f.value).map(|c| (c, currency))
    })
}

/// `1,234.5` -> 123450; currency signs and spaces around are ignored.
fn parse_cents(s: &str) -> Option<Cents> {
    let t: String = s
        .trim()
        .trim_start_matches(|c: char| !c.is_ascii_digit() && c != '-')
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    let t = t.trim_end_matches(|c: char| !c.is_ascii_digit());
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if frac.len() > 2 || whole.is_empty() {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}").parse().ok()?
    };
    let sign = if whole < 0 { -1 } else { 1 };
    whole.checked_mul(100)?.checked_add(sign * frac).map(Cents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_parse_to_cents() {
        assert_eq!(parse_cents("449.00"), Some(Cents(44900)));
        assert_eq!(parse_cents("¥1,234.5"), Some(Cents(123450)));
        assert_eq!(parse_cents("12 CNY"), Some(Cents(1200)));
        assert_eq!(parse_cents("n/a"), None);
        assert_eq!(parse_cents("1.234"), None);
        assert_eq!(Cents(123405).to_string(), "1234.05");
    }
}
