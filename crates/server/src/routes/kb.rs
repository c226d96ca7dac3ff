//! The knowledge base the server screens with: its version, hash and
//! origin, its directives, and one entity with its relations.

use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};
use supplyscreen_screen::{DirectiveFilter, KbBase, KbItem, directive_views, kb_item};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Reader;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// The KB in use.
#[derive(Debug, Serialize, ToSchema)]
pub struct KbView {
    /// Its version.
    pub version: String,
    /// Its content hash (what reports and scans record).
    pub hash: String,
    /// `embedded` or `bundle`.
    pub base: String,
    /// The bundle's source, for `bundle`.
    pub source: Option<String>,
    /// The bundle's signer, for `bundle`.
    pub signer: Option<String>,
    /// The overlay directory laid over it, when any.
    pub overlay: Option<String>,
    /// The profiles it defines.
    pub profiles: Vec<String>,
}

/// The KB's version, hash and origin.
#[utoipa::path(
    get,
    path = "/v1/kb",
    tag = "kb",
    responses((status = 200, body = KbView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = []))
)]
pub async fn get_kb(State(state): State<AppState>, _who: Reader) -> axum::Json<KbView> {
    let screener = state.screener();
    let kb = screener.kb();
    let origin = kb.origin();
    let (base, source, signer) = match &origin.base {
        KbBase::Embedded => ("embedded", None, None),
        KbBase::Bundle { source, signer } => ("bundle", Some(source.clone()), Some(signer.clone())),
    };
    axum::Json(KbView {
        version: kb.version().to_owned(),
        hash: kb.hash().to_owned(),
        base: base.to_owned(),
        source,
        signer,
        overlay: origin.overlay.clone(),
        profiles: kb.profiles().map(|p| p.id.to_string()).collect(),
    })
}

/// One measure of a directive.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeasureView {
    /// The measure (`procurement-ban`, ...).
    pub measure: String,
    /// In force from.
    pub from: String,
    /// Until, when it ends.
    pub until: Option<String>,
    /// Where the KB records it (`file:line`).
    pub kb: String,
}

/// A directive.
#[derive(Debug, Serialize, ToSchema)]
pub struct DirectiveSummary {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The issuing authority.
    pub authority: String,
    /// The jurisdiction.
    pub jurisdiction: String,
    /// The publication date, when recorded.
    pub published: Option<String>,
    /// Its public sources.
    pub sources: Vec<String>,
    /// Targeted entity ids.
    pub targets: Vec<String>,
    /// Its measures.
    pub measures: Vec<MeasureView>,
    /// Where the KB records it.
    pub kb: String,
}

/// Which directives to list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DirectiveQuery {
    /// Only this jurisdiction.
    pub jurisdiction: Option<String>,
    /// Only those binding this profile.
    pub profile: Option<String>,
}

/// The KB's directives.
#[utoipa::path(
    get,
    path = "/v1/directives",
    tag = "kb",
    params(DirectiveQuery),
    responses((status = 200, body = Vec<DirectiveSummary>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = []))
)]
pub async fn list_directives(
    State(state): State<AppState>,
    _who: Reader,
    Query(q): Query<DirectiveQuery>,
) -> Result<axum::Json<Vec<DirectiveSummary>>, ApiError> {
    let screener = state.screener();
    let kb = screener.kb();
    let profile = match q.profile.as_deref().filter(|p| !p.is_empty()) {
        None => None,
        Some(p) => Some(
            kb.profiles()
                .find(|x| x.id.as_str() == p)
                .ok_or_else(|| ApiError::bad_request(format!("unknown profile {p:?}")))?,
        ),
    };
    let filter = DirectiveFilter {
        jurisdiction: q.jurisdiction.as_deref().filter(|j| !j.is_empty()),
        profile,
        in_force_on: None,
    };
    let out = directive_views(kb, &filter)
        .into_iter()
        .map(|v| {
            let d = v.directive;
            DirectiveSummary {
                id: d.id.to_string(),
                title: d.title.clone(),
                authority: d.authority.clone(),
                jurisdiction: d.jurisdiction.as_str().to_owned(),
                published: d.published.map(|p| p.to_string()),
                sources: d.sources.clone(),
                targets: d.targets.iter().map(|t| t.entity.to_string()).collect(),
                measures: d
                    .measures
                    .iter()
                    .map(|m| MeasureView {
                        measure: m.measure.to_string(),
                        from: m.from.to_string(),
                        until: m.until.map(|u| u.to_string()),
                        kb: m.kb.to_string(),
                    })
                    .collect(),
                kb: d.kb.to_string(),
            }
        })
        .collect();
    Ok(axum::Json(out))
}

/// A relation of an entity to another.
#[derive(Debug, Serialize, ToSchema)]
pub struct RelationView {
    /// The kind (`subsidiary-of`, ...).
    pub kind: String,
    /// The other entity.
    pub to: String,
    /// From, when recorded.
    pub from: Option<String>,
    /// Until, when recorded.
    pub until: Option<String>,
    /// Its public source.
    pub source: String,
    /// Where the KB records it.
    pub kb: String,
}

/// An entity of the KB.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntityView {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its country, when recorded.
    pub country: Option<String>,
    /// Other names.
    pub names: Vec<String>,
    /// Its public sources.
    pub sources: Vec<String>,
    /// Its relations to other entities.
    pub relations: Vec<RelationView>,
    /// Entities with a relation to this one: `(entity id, relation kind)`.
    pub affiliates: Vec<RelationView>,
    /// Where the KB records it.
    pub kb: String,
}

fn relation(r: &supplyscreen_screen::Relation, to: String) -> RelationView {
    RelationView {
        kind: r.kind.to_string(),
        to,
        from: r.from.map(|d| d.to_string()),
        until: r.until.map(|d| d.to_string()),
        source: r.source.clone(),
        kb: r.kb.to_string(),
    }
}

/// One entity with its relations and affiliates.
#[utoipa::path(
    get,
    path = "/v1/entities/{id}",
    tag = "kb",
    params(("id" = String, Path, description = "The entity id")),
    responses((status = 200, body = EntityView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = []))
)]
pub async fn get_entity(
    State(state): State<AppState>,
    _who: Reader,
    Path(id): Path<String>,
) -> Result<axum::Json<EntityView>, ApiError> {
    let screener = state.screener();
    let Some(KbItem::Entity { entity, affiliates }) = kb_item(screener.kb(), &id) else {
        return Err(ApiError::not_found(format!("no entity {id:?}")));
    };
    Ok(axum::Json(EntityView {
        id: entity.id.to_string(),
        name: entity.name.clone(),
        country: entity.country.clone(),
        names: entity.names.iter().map(|n| n.text.clone()).collect(),
        sources: entity.sources.clone(),
        relations: entity
            .relations
            .iter()
            .map(|r| relation(r, r.to.to_string()))
            .collect(),
        affiliates: affiliates
            .iter()
            .map(|(other, r)| relation(r, other.id.to_string()))
            .collect(),
        kb: entity.kb.to_string(),
    }))
}
