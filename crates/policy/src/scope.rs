//! Whether a component falls within a directive's product scope and, for
//! directives that bind by use, within the uses it names.

use supplyscreen_kb::{Directive, Products, Target};
use supplyscreen_model::{Attribution, Component, ComponentKind};

/// In scope, out of scope, or not decidable from the input (and why).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Covered.
    In,
    /// Not covered: no finding.
    Out,
    /// Covered only if a fact the input does not give holds: review.
    Unknown(String),
}

/// The component's product category: stated by the input, implied by the
/// matching part-number pattern, or evident from its kind.
pub fn component_category(c: &Component, a: &Attribution) -> Option<String> {
    c.category
        .clone()
        .or_else(|| a.category.clone())
        .or_else(|| {
            match c.kind {
                ComponentKind::Memory => Some("memory"),
                ComponentKind::Disk => Some("storage"),
                _ => None,
            }
            .map(str::to_owned)
        })
}

/// Product scope: the target's categories, else the directive's.
pub fn products(d: &Directive, t: &Target, c: &Component, a: &Attribution) -> Scope {
    let cats: &[String] = match (&t.products, &d.products) {
        (Some(cats), _) => cats,
        (None, Products::Categories(cats)) => cats,
        (None, Products::Unspecified) => return Scope::In,
    };
    match component_category(c, a) {
        Some(cat) if cats.contains(&cat) => Scope::In,
        Some(_) => Scope::Out,
        None => Scope::Unknown(format!(
            "the directive covers only {} for this target and the item's category is not stated (add a Category column)",
            cats.join(", ")
        )),
    }
}

/// Use scope: targets restricted only for some uses (NDAA 889's public-safety clause).
pub fn uses(t: &Target, c: &Component) -> Scope {
    let Some(uses) = &t.uses else {
        return Scope::In;
    };
    match &c.usage {
        Some(u) if uses.iter().any(|x| x.eq_ignore_ascii_case(u)) => Scope::In,
        Some(_) => Scope::Out,
        None => Scope::Unknown(format!(
            "the restriction applies only when the item is used for {}, and the input does not say its use (add a Use column)",
            uses.join(", ")
        )),
    }
}
