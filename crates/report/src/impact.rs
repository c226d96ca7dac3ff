//! `supplyscreen impact`: what a draft directive would reach, grouped by
//! entity, host and supplier, with quantities and spend.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;
use supplyscreen_screen::{Cents, Impact, ImpactHit};

/// The schema name and version of the JSON impact report.
pub const IMPACT_SCHEMA: &str = "supplyscreen/impact/v1";

/// Components, units and spend (per currency) of a group of hits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
struct Totals {
    components: usize,
    quantity: u64,
    /// Currency (as the price column's header names it; "" when it names none) -> amount.
    spend: BTreeMap<String, String>,
    /// Components without a unit price.
    unpriced: usize,
    #[serde(skip)]
    cents: BTreeMap<String, i64>,
}

impl Totals {
    fn add(&mut self, h: &ImpactHit) {
        self.components += 1;
        self.quantity += u64::from(h.component.quantity.unwrap_or(1));
        match &h.spend {
            Some((c, cur)) => {
                let sum = self.cents.entry(cur.clone()).or_default();
                *sum = sum.saturating_add(c.0);
                self.spend.insert(cur.clone(), Cents(*sum).to_string());
            }
            None => self.unpriced += 1,
        }
    }

    /// `3 component(s), quantity 250, spend 1234.00 CNY (1 without a unit price)`.
    fn text(&self) -> String {
        let mut s = format!(
            "{} component(s), quantity {}",
            self.components, self.quantity
        );
        for (cur, amount) in &self.spend {
            let _ = write!(s, ", spend {}", money(amount, cur));
        }
        if self.unpriced > 0 && !self.spend.is_empty() {
            let _ = write!(s, " ({} without a unit price)", self.unpriced);
        }
        s
    }
}

#[derive(Serialize)]
struct Group {
    key: String,
    #[serde(flatten)]
    totals: Totals,
}

fn group(hits: &[ImpactHit], key: impl Fn(&ImpactHit) -> String) -> Vec<Group> {
    let mut by: BTreeMap<String, Totals> = BTreeMap::new();
    for h in hits {
        by.entry(key(h)).or_default().add(h);
    }
    by.into_iter()
        .map(|(key, totals)| Group { key, totals })
        .collect()
}

/// `1234.00 CNY`, or `1234.00 (currency not stated)`.
fn money(amount: &str, currency: &str) -> String {
    if currency.is_empty() {
        format!("{amount} (currency not stated)")
    } else {
        format!("{amount} {currency}")
    }
}

fn host_key(h: &ImpactHit) -> String {
    h.component
        .host
        .clone()
        .unwrap_or_else(|| "(no host: purchase lines)".to_owned())
}

fn supplier_key(h: &ImpactHit) -> String {
    h.supplier
        .clone()
        .unwrap_or_else(|| "(not stated)".to_owned())
}

fn totals(hits: &[ImpactHit]) -> Totals {
    let mut t = Totals::default();
    hits.iter().for_each(|h| t.add(h));
    t
}

/// Renders an impact for people: totals, groups, then every component reached.
pub fn render_impact_table(i: &Impact) -> String {
    crate::visible::shown(render_impact_table_raw(i))
}

fn render_impact_table_raw(i: &Impact) -> String {
    let bound = if i.profile_from_draft {
        "whoever the draft binds (its own jurisdiction and sectors)".to_owned()
    } else {
        format!("profile {}", i.profile)
    };
    let mut s = format!(
        "impact of draft {} ({}) · {bound} · every measure taken as started, judged as of {}\n",
        i.directive, i.title, i.as_of
    );
    let _ = writeln!(
        s,
        "reaches {} of {} component(s) read: {}",
        i.hits.len(),
        i.components,
        totals(&i.hits).text()
    );
    if !i.binds_profile {
        let _ = writeln!(
            s,
            "the draft does not bind profile {} (its jurisdiction or sectors differ); omit --profile to screen as whoever it binds",
            i.profile
        );
    }
    if i.hits.is_empty() {
        return s;
    }
    for (title, groups) in [
        ("By entity", group(&i.hits, |h| h.entity.clone())),
        ("By host", group(&i.hits, host_key)),
        ("By supplier", group(&i.hits, supplier_key)),
    ] {
        let _ = writeln!(s, "\n{title}");
        for g in groups {
            let _ = writeln!(s, "  {}: {}", g.key, g.totals.text());
        }
    }
    let _ = writeln!(s, "\nComponents");
    for h in &i.hits {
        let _ = writeln!(s, "  {}", hit_line(h));
    }
    s
}

fn hit_line(h: &ImpactHit) -> String {
    let c = &h.component;
    let mut s = format!("{}:{}  {}", c.source.path, c.source.line, c.kind.as_str());
    if let Some(host) = &c.host {
        let _ = write!(s, " · host {host}");
    }
    if let Some(q) = c.quantity {
        let _ = write!(s, " · qty {q}");
    }
    let _ = write!(s, " · entity {}", h.entity);
    if let Some(sup) = &h.supplier {
        let _ = write!(s, " · supplier {sup}");
    }
    if let Some((p, cur)) = &h.spend {
        let _ = write!(s, " · spend {}", money(&p.to_string(), cur));
    }
    let codes: Vec<String> = h
        .findings
        .iter()
        .map(|f| format!("{} {} ({})", f.measure, f.verdict, f.code))
        .collect();
    let _ = write!(s, " · {}", codes.join(", "));
    s.trim_end().to_owned()
}

#[derive(Serialize)]
struct ImpactOut<'a> {
    schema: &'static str,
    directive: &'a str,
    title: &'a str,
    profile: &'a str,
    profile_from_draft: bool,
    binds_profile: bool,
    as_of: String,
    components_read: usize,
    totals: Totals,
    by_entity: Vec<Group>,
    by_host: Vec<Group>,
    by_supplier: Vec<Group>,
    hits: Vec<HitOut<'a>>,
}

#[derive(Serialize)]
struct HitOut<'a> {
    path: &'a str,
    line: u64,
    host: Option<&'a str>,
    kind: &'static str,
    entity: &'a str,
    supplier: Option<&'a str>,
    quantity: Option<u32>,
    unit_price: Option<String>,
    spend: Option<String>,
    currency: Option<&'a str>,
    verdict: &'static str,
    findings: Vec<FindingOut>,
}

#[derive(Serialize)]
struct FindingOut {
    id: String,
    measure: &'static str,
    verdict: &'static str,
    code: &'static str,
    kb: String,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    doubts: Vec<&'static str>,
}

fn hit_out(h: &ImpactHit) -> HitOut<'_> {
    let c = &h.component;
    HitOut {
        path: &c.source.path,
        line: c.source.line,
        host: c.host.as_deref(),
        kind: c.kind.as_str(),
        entity: &h.entity,
        supplier: h.supplier.as_deref(),
        quantity: c.quantity,
        unit_price: h.unit_price.as_ref().map(|(p, _)| p.to_string()),
        spend: h.spend.as_ref().map(|(p, _)| p.to_string()),
        currency: h.unit_price.as_ref().map(|(_, cur)| cur.as_str()),
        verdict: h.verdict.as_str(),
        findings: h
            .findings
            .iter()
            .map(|f| FindingOut {
                id: f.id.to_string(),
                measure: f.measure.as_str(),
                verdict: f.verdict.as_str(),
                code: f.code.as_str(),
                kb: f.kb.to_string(),
                doubts: f.doubts.iter().map(|d| d.code()).collect(),
            })
            .collect(),
    }
}

/// Renders an impact as pretty JSON (`supplyscreen/impact/v1`) with a trailing newline.
pub fn render_impact_json(i: &Impact) -> serde_json::Result<String> {
    let out = ImpactOut {
        schema: IMPACT_SCHEMA,
        directive: i.directive.as_str(),
        title: &i.title,
        profile: i.profile.as_str(),
        profile_from_draft: i.profile_from_draft,
        binds_profile: i.binds_profile,
        as_of: i.as_of.to_string(),
        components_read: i.components,
        totals: totals(&i.hits),
        by_entity: group(&i.hits, |h| h.entity.clone()),
        by_host: group(&i.hits, host_key),
        by_supplier: group(&i.hits, supplier_key),
        hits: i.hits.iter().map(hit_out).collect(),
    };
    let mut s = serde_json::to_string_pretty(&out)?;
    s.push('\n');
    Ok(s)
}
