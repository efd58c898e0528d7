//! `/api/v1/organisations`: Diskominfo offices, agencies (OPD) and bodies
//! within a region (cursor-paginated, filtered by kind), and one
//! organisation. KIMs are under `/api/v1/kims`; a KIM's id here redirects there.

use axum::Json;
use axum::extract::{Path, Query};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jembatan_domain::authz::{Action, Resource};
use jembatan_domain::organisation::{BodyKind, OrgKind, WorkCategory};
use jembatan_store::organisations::{self, Organisation};
use serde::{Deserialize, Serialize};

use super::ListPage;
use super::kims::{RegionRefJson, decode_cursor, encode_cursor, parse_limit, parse_region};
use crate::auth::Viewer;
use crate::error::AppError;
use crate::html::kims::parse_org_id;
use crate::html::organisations::{org_path, parse_kind_filter};
use crate::layout::Ctx;

/// An organisation in lists.
#[derive(Debug, Serialize)]
pub struct OrganisationSummaryJson {
    pub id: String,
    /// `diskominfo`, `agency` or `body`.
    pub kind: OrgKind,
    /// For a body: what it is.
    pub body_kind: Option<BodyKind>,
    pub name: String,
    /// For an agency: the areas it works in.
    pub categories: Vec<WorkCategory>,
    pub region: RegionRefJson,
    /// The organisation's public page.
    pub url: String,
}

/// One organisation with its public contacts.
#[derive(Debug, Serialize)]
pub struct OrganisationJson {
    #[serde(flatten)]
    pub summary: OrganisationSummaryJson,
    pub description: String,
    pub address: Option<String>,
    /// The office's number as published (landlines allowed).
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
}

fn summary(ctx: &Ctx, org: &Organisation, region_name: String) -> OrganisationSummaryJson {
    OrganisationSummaryJson {
        id: org.id.to_string(),
        kind: org.kind,
        body_kind: org.profile.body_kind,
        name: org.profile.name.clone(),
        categories: org.profile.categories.clone(),
        region: RegionRefJson::new(ctx, org.region.as_str(), region_name),
        url: ctx.state.config.absolute(&org_path(org.id, org.kind)),
    }
}

/// Query of `GET /api/v1/organisations`.
#[derive(Debug, Deserialize)]
pub struct OrganisationListQuery {
    /// A region code at any level; the deployment's province when absent.
    pub region: Option<String>,
    /// `diskominfo`, `agency` or `body`; all three when absent.
    pub kind: Option<String>,
    pub cursor: Option<String>,
    pub limit: Option<String>,
}

/// `GET /api/v1/organisations?region=35.23&kind=agency`: organisations in
/// the region and below, higher levels first, then by name.
pub async fn list_organisations(
    ctx: Ctx,
    viewer: Viewer,
    Query(query): Query<OrganisationListQuery>,
) -> Result<Json<ListPage<OrganisationSummaryJson>>, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let limit = parse_limit(query.limit.as_deref())?;
    let offset = decode_cursor(query.cursor.as_deref())?;
    let kind = parse_kind_filter(query.kind.as_deref(), "kind")?;
    let region = parse_region(&ctx, query.region.as_deref()).await?;
    viewer.authorize(Action::ViewPublic, &Resource::Region(&region))?;
    let all = organisations::list(&ctx.state.db, kind, &region).await?;
    let start = usize::try_from(offset).unwrap_or(usize::MAX).min(all.len());
    let shown: Vec<&Organisation> = all[start..].iter().take(limit as usize).collect();
    let end = start + shown.len();
    let next_cursor = (end < all.len()).then(|| encode_cursor(end as i64));
    let names =
        jembatan_store::regions::names(&ctx.state.db, &shown.iter().map(|o| &o.region).collect::<Vec<_>>()).await?;
    let items = shown
        .iter()
        .map(|org| summary(&ctx, org, names.get(org.region.as_str()).cloned().unwrap_or_default()))
        .collect();
    Ok(Json(ListPage { items, next_cursor }))
}

/// `GET /api/v1/organisations/{id}`: an unknown or malformed id is 404; a
/// KIM's id redirects (301) to `/api/v1/kims/{id}`.
pub async fn get_organisation(ctx: Ctx, viewer: Viewer, Path(id): Path<String>) -> Result<Response, AppError> {
    let id = parse_org_id(&id)?;
    let org = organisations::get(&ctx.state.db, id).await?.ok_or(AppError::NotFound)?;
    viewer.authorize(Action::ViewPublic, &Resource::Organisation(&org.org_ref()))?;
    if org.kind == OrgKind::Kim {
        let location = format!("/api/v1/kims/{id}");
        return Ok((StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, location)]).into_response());
    }
    let names = jembatan_store::regions::names(&ctx.state.db, &[&org.region]).await?;
    let region_name = names.get(org.region.as_str()).cloned().unwrap_or_default();
    let body = OrganisationJson {
        summary: summary(&ctx, &org, region_name),
        description: org.profile.description.clone(),
        address: org.profile.address.clone(),
        phone: org.profile.phone.clone(),
        email: org.profile.email.as_ref().map(|e| e.to_string()),
        website: org.profile.website.clone(),
    };
    Ok(Json(body).into_response())
}
