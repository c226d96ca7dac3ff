//! Everything besides screening that a front end (the CLI, later the server)
//! needs from the library crates: loading the KB, attributing free text,
//! choosing directives, looking things up in the KB, importing public lists
//! and reading waivers, plus the types those name. A front end depends on
//! `screen` and `report` (and `model` for vocabulary), never on `kb`,
//! `identify` or `policy` directly.

mod diff;
mod impact;

use std::path::{Path, PathBuf};

use supplyscreen_identify::Matcher;
use supplyscreen_kb::import::read_list_compact;
use supplyscreen_kb::{dir_files, dir_layers, embedded_files, overlay};
use supplyscreen_model::{Date, Explanation};
use supplyscreen_policy::{binding, binds, in_force};

pub use diff::{
    ChangedFinding, DiffError, REPORT_SCHEMA, ReportContext, ReportDiff, ReportFinding,
    ReportFindings, diff_reports, read_report_findings,
};
pub use impact::{Cents, DRAFT_PROFILE, Impact, ImpactError, ImpactHit, ImpactRequest, impact};
pub use supplyscreen_identify::{ALGORITHM, Identification};
pub use supplyscreen_kb::import::{ImportError, Layer, ListFormat};
pub use supplyscreen_kb::registry::Registry;
pub use supplyscreen_kb::toml_message;
pub use supplyscreen_kb::{
    Directive, Entity, Kb, LayerInfo, LoadError, Products, Profile, Relation,
};
pub use supplyscreen_policy::waivers::edit::{
    EditError, ExpiryLimit, MATCH_KEYS, NewWaiver, Renewal, add as add_waiver, check_expiry,
    prune as prune_waivers, renew as renew_waiver,
};
pub use supplyscreen_policy::waivers::parse as parse_waivers;
pub use supplyscreen_policy::{Action, Waiver, WaiverError};

/// The embedded KB, with the directory `overlay` laid over it when given
/// (same layout as `data/`; its files replace or add to the embedded ones).
pub fn load_kb(overlay_dir: Option<&Path>) -> Result<Kb, LoadError> {
    let files = match overlay_dir {
        Some(dir) => overlay(embedded_files(), dir_files(dir)?),
        None => embedded_files(),
    };
    let layers = overlay_dir.map(dir_layers).transpose()?.unwrap_or_default();
    Ok(Kb::load_with_layers(files, layers)?.with_origin(KbOrigin {
        base: KbBase::Embedded,
        overlay: overlay_dir.map(|d| d.display().to_string()),
    }))
}

/// Why the active KB could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ActiveKbError {
    /// The files have errors.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The installed bundle could not be read or does not match what was signed.
    #[error("the KB installed in {home} cannot be used: {source}")]
    Bundle {
        /// The KB home.
        home: String,
        /// Why.
        source: bundle::BundleError,
    },
}

/// The active KB: the signed bundle installed in `home` when there is one,
/// else the built-in KB; with `overlay_dir` laid over it. The KB records
/// where it came from, and every report names it.
pub fn load_active_kb(
    home: Option<&Path>,
    overlay_dir: Option<&Path>,
) -> Result<Kb, ActiveKbError> {
    let bundle_err = |source| ActiveKbError::Bundle {
        home: home.map(|h| h.display().to_string()).unwrap_or_default(),
        source,
    };
    let installed = match home {
        Some(h) => bundle::load_installed(h).map_err(bundle_err)?,
        None => None,
    };
    let Some((_, inst)) = installed else {
        return Ok(load_kb(overlay_dir)?);
    };
    let base = dir_files(&inst.dir)?;
    let files = match overlay_dir {
        Some(dir) => overlay(base, dir_files(dir)?),
        None => base,
    };
    let layers = overlay_dir.map(dir_layers).transpose()?.unwrap_or_default();
    Ok(Kb::load_with_layers(files, layers)?.with_origin(KbOrigin {
        base: KbBase::Bundle {
            source: inst.source,
            signer: inst.signer,
        },
        overlay: overlay_dir.map(|d| d.display().to_string()),
    }))
}

/// One free text (maker string, JEDEC code, part number) and what it was
/// attributed to.
#[derive(Debug, Clone)]
pub struct IdentifiedText {
    /// The text as given.
    pub text: String,
    /// The attribution (if any) and notes.
    pub identification: Identification,
    /// The attributed entity's display name.
    pub entity_name: Option<String>,
    /// Why, when asked for (`identify --explain`).
    pub explanation: Option<Explanation>,
}

/// Attributes each text against the KB, naming makers the KB does not know
/// from `registry` (notes only); with `explain`, says why for each.
pub fn identify_texts(
    kb: &Kb,
    registry: Registry,
    texts: &[String],
    explain: bool,
) -> Vec<IdentifiedText> {
    let matcher = Matcher::new(kb).with_registry(registry);
    texts
        .iter()
        .map(|text| {
            let identification = matcher.identify_text(text);
            let entity_name = identification
                .attribution
                .as_ref()
                .and_then(|a| matcher.entity_name(&a.entity))
                .map(str::to_owned);
            let explanation = explain.then(|| matcher.explain(text, &identification));
            IdentifiedText {
                text: text.clone(),
                identification,
                entity_name,
                explanation,
            }
        })
        .collect()
}

/// Which directives to list; every condition given must hold.
#[derive(Debug, Clone, Copy, Default)]
pub struct DirectiveFilter<'a> {
    /// Only this jurisdiction (compared without regard to ASCII case).
    pub jurisdiction: Option<&'a str>,
    /// Only directives binding this profile.
    pub profile: Option<&'a Profile>,
    /// Only directives with a measure in force on this date.
    pub in_force_on: Option<Date>,
}

/// The KB's directives that pass `filter`, in KB order.
pub fn directives_binding<'k>(kb: &'k Kb, filter: &DirectiveFilter<'_>) -> Vec<&'k Directive> {
    kb.directives()
        .filter(|d| {
            filter
                .jurisdiction
                .is_none_or(|j| j.eq_ignore_ascii_case(d.jurisdiction.as_str()))
        })
        .filter(|d| filter.profile.is_none_or(|p| binds(d, p)))
        .filter(|d| filter.in_force_on.is_none_or(|day| in_force(d, day)))
        .collect()
}

/// One KB record found by id, with what its page shows beside it.
#[derive(Debug, Clone)]
pub enum KbItem<'k> {
    /// An entity, and every relation of another entity that points at it.
    Entity {
        /// The entity.
        entity: &'k Entity,
        /// (other entity, its relation to this one), in KB order.
        affiliates: Vec<(&'k Entity, &'k Relation)>,
    },
    /// A directive.
    Directive(&'k Directive),
    /// A profile, and the directives that bind it.
    Profile {
        /// The profile.
        profile: &'k Profile,
        /// The directives binding it, in KB order.
        bound_by: Vec<&'k Directive>,
    },
}

/// The entity, directive or profile with this id (looked up in that order).
pub fn kb_item<'k>(kb: &'k Kb, id: &str) -> Option<KbItem<'k>> {
    let entity = supplyscreen_model::EntityId::new(id)
        .ok()
        .and_then(|i| kb.entity(&i));
    if let Some(entity) = entity {
        let affiliates = kb
            .entities()
            .flat_map(|other| {
                other
                    .relations
                    .iter()
                    .filter(|r| r.to == entity.id)
                    .map(move |r| (other, r))
            })
            .collect();
        return Some(KbItem::Entity { entity, affiliates });
    }
    if let Some(d) = kb.directives().find(|d| d.id.as_str() == id) {
        return Some(KbItem::Directive(d));
    }
    let profile = kb.profiles().find(|p| p.id.as_str() == id)?;
    Some(KbItem::Profile {
        profile,
        bound_by: binding(kb, profile),
    })
}

/// What `search_kb` found, in KB order.
#[derive(Debug, Clone, Default)]
pub struct KbMatches<'k> {
    /// Entities whose id, name or other names contain the text.
    pub entities: Vec<&'k Entity>,
    /// Directives whose id, title or target ids contain the text.
    pub directives: Vec<&'k Directive>,
}

/// Entities and directives whose ids or names contain `text`, ignoring case.
pub fn search_kb<'k>(kb: &'k Kb, text: &str) -> KbMatches<'k> {
    KbMatches {
        // Indexed: an imported list may hold a million organisations.
        entities: kb.search_entities(text),
        directives: kb.search_directives(&text.to_lowercase()),
    }
}

/// A public list imported into a KB layer.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The layer written: name, source (the list file's name), date, the
    /// list's hash and how many organisations it holds.
    pub layer: LayerInfo,
    /// The layer file written.
    pub written: PathBuf,
}

/// Why an import failed; the previous layer is then unchanged, except after
/// `Load`, where the new layer is written but does not load with the KB.
#[derive(Debug, thiserror::Error)]
pub enum ImportFailure {
    /// The list could not be read or parsed.
    #[error("{0} (the previous layer, if any, is unchanged)")]
    Read(#[source] ImportError),
    /// The layer could not be written.
    #[error(transparent)]
    Write(ImportError),
    /// The written layer does not load with the KB.
    #[error(transparent)]
    Load(#[from] LoadError),
}

/// Reads a public list and writes it as `into/imports/<name>.layer`, recording
/// `retrieved` as the retrieval date; the layer must then load with the KB.
pub fn import_list(
    path: &Path,
    format: ListFormat,
    into: &Path,
    retrieved: Date,
) -> Result<Imported, ImportFailure> {
    let source = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let list = read_list_compact(path, format, &source).map_err(ImportFailure::Read)?;
    let written = list
        .write(into, &retrieved.to_string())
        .map_err(ImportFailure::Write)?;
    load_kb(Some(into))?;
    Ok(Imported {
        layer: written.info,
        written: written.path,
    })
}

/// Signed KB bundles: key pairs, packing, verifying and installing.
pub use supplyscreen_kb::bundle;
pub use supplyscreen_kb::{KbBase, KbOrigin};
pub use supplyscreen_policy::MeasureStatus;

/// The embedded KB's version, against which an installed bundle must not roll back.
pub fn embedded_kb_version() -> Result<String, LoadError> {
    Ok(Kb::load(supplyscreen_kb::embedded_files())?
        .version()
        .to_owned())
}

/// A directive with, when a date was asked for, where each of its measures
/// stands on that date (in the order of its measures).
#[derive(Debug, Clone)]
pub struct DirectiveView<'k> {
    /// The directive.
    pub directive: &'k Directive,
    /// Each measure's status on the filter's date.
    pub statuses: Option<Vec<supplyscreen_policy::MeasureStatus>>,
}

/// The directives that pass `filter`, each with its measures' statuses on
/// the filter's date.
pub fn directive_views<'k>(kb: &'k Kb, filter: &DirectiveFilter<'_>) -> Vec<DirectiveView<'k>> {
    directives_binding(kb, filter)
        .into_iter()
        .map(|d| DirectiveView {
            directive: d,
            statuses: filter.in_force_on.map(|day| {
                d.measures
                    .iter()
                    .map(|m| supplyscreen_policy::measure_status(m, day))
                    .collect()
            }),
        })
        .collect()
}
