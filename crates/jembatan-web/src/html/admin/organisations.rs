//! Organisations in the administration area: Diskominfo offices (created
//! by the province), agencies (OPD) with the categories of work they cover,
//! and bodies without accounts that cases can be handed to (village and
//! district offices, BUMD, vertical agencies such as Polres, state
//! companies such as PLN). Edits are optimistic: a stale form is refused
//! with 409 and nothing is overwritten. KIMs have their own pages.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use jembatan_domain::authz::{Action, AdminSection, Resource};
use jembatan_domain::organisation::{BodyKind, OrgKind, OrganisationForm, WorkCategory};
use jembatan_domain::role::{Role, Scope};
use jembatan_domain::{OrgId, RegionCode};
use jembatan_store::organisations::{self as org_store, Organisation};
use jembatan_store::{StoreError, regions};
use serde::Deserialize;

use super::{
    Choice, Fields, NavLink, admin_nav, admin_page, administered, choices, csrf_of, granted_orgs, home_region,
    parse_path_id, parse_version, region_label,
};
use crate::auth::{CsrfForm, Viewer};
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::html::common::{redirect, render_private};
use crate::layout::{Ctx, Page};

/// The kinds created on these pages (KIMs are registered on their own).
const KINDS: [OrgKind; 3] = [OrgKind::Diskominfo, OrgKind::Agency, OrgKind::Body];

/// The admin page of an organisation.
fn org_admin_path(id: OrgId) -> String {
    format!("/admin/organisasi/{id}")
}

fn kind_label(ctx: &Ctx, org: &Organisation) -> String {
    let kind = ctx.t.get(&format!("admin-kind-{}", org.kind.as_str()));
    match org.profile.body_kind {
        Some(body) => format!("{kind}: {}", ctx.t.get(&format!("admin-body-kind-{}", body.as_str().replace('_', "-")))),
        None => kind,
    }
}

fn category_labels(ctx: &Ctx, categories: &[WorkCategory]) -> String {
    categories.iter().map(|c| ctx.t.get(&format!("admin-category-{}", c.as_str()))).collect::<Vec<_>>().join(", ")
}

// ------------------------------------------------------------ list

/// An organisation as the admin list shows it.
pub struct OrgRowView {
    pub name: String,
    pub href: Option<String>,
    pub kind: String,
    pub region: String,
    pub categories: String,
}

/// The organisations of one administered region, or the viewer's own agencies.
pub struct OrgGroup {
    pub heading: String,
    pub orgs: Vec<OrgRowView>,
}

#[derive(Template)]
#[template(path = "admin/organisations.html")]
struct OrgListPage {
    page: Page,
    nav: Vec<NavLink>,
    groups: Vec<OrgGroup>,
    can_create: bool,
}

/// Names regions for a list, reading each region once.
#[derive(Default)]
struct RegionNames(HashMap<RegionCode, String>);

impl RegionNames {
    async fn label(&mut self, ctx: &Ctx, code: &RegionCode) -> Result<String, AppError> {
        if let Some(label) = self.0.get(code) {
            return Ok(label.clone());
        }
        let label = region_label(ctx, code).await?;
        self.0.insert(code.clone(), label.clone());
        Ok(label)
    }
}

async fn row_view(
    ctx: &Ctx,
    viewer: &Viewer,
    org: &Organisation,
    names: &mut RegionNames,
) -> Result<OrgRowView, AppError> {
    Ok(OrgRowView {
        name: org.profile.name.clone(),
        href: viewer
            .can(Action::EditOrganisation, &Resource::Organisation(&org.org_ref()))
            .then(|| ctx.t.href(&org_admin_path(org.id))),
        kind: kind_label(ctx, org),
        region: names.label(ctx, &org.region).await?,
        categories: category_labels(ctx, &org.profile.categories),
    })
}

/// `GET /admin/organisasi`: the offices, agencies and bodies of the regions
/// the viewer administers, and the agencies the viewer serves.
pub async fn list_organisations(ctx: Ctx, viewer: Viewer) -> Result<Response, AppError> {
    viewer.authorize(Action::OpenAdminSection(AdminSection::Organisations), &Resource::Platform)?;
    let db = &ctx.state.db;
    let regions = administered(&viewer);
    let mut names = RegionNames::default();
    let mut groups = Vec::new();
    for region in &regions {
        let mut orgs = Vec::new();
        for org in org_store::list(db, None, region).await? {
            orgs.push(row_view(&ctx, &viewer, &org, &mut names).await?);
        }
        groups.push(OrgGroup { heading: names.label(&ctx, region).await?, orgs });
    }
    let mut own = Vec::new();
    for org in granted_orgs(&viewer, OrgKind::Agency, Action::EditOrganisation) {
        if regions.iter().any(|r| r.contains(&org.region)) {
            continue;
        }
        if let Some(org) = org_store::get(db, org.id).await? {
            own.push(row_view(&ctx, &viewer, &org, &mut names).await?);
        }
    }
    if !own.is_empty() {
        groups.push(OrgGroup { heading: ctx.t.get("admin-organisations-own"), orgs: own });
    }
    let home = home_region(&ctx, &viewer);
    let template = OrgListPage {
        page: admin_page(&ctx, &viewer, ctx.t.get("admin-organisations-title")),
        nav: admin_nav(&ctx, &viewer),
        groups,
        can_create: viewer.can(Action::CreateOrganisation(OrgKind::Agency), &Resource::Region(&home)),
    };
    render_private(template, StatusCode::OK)
}

// ------------------------------------------------------------ the form

/// The organisation form as typed (kept when refused).
#[derive(Debug, Default, Clone)]
pub struct OrgFields {
    pub kind: String,
    pub body_kind: String,
    pub name: String,
    pub region: String,
    pub categories: Vec<String>,
    pub description: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub version: String,
}

impl OrgFields {
    fn from_fields(fields: &Fields) -> OrgFields {
        OrgFields {
            kind: fields.get("kind"),
            body_kind: fields.get("body_kind"),
            name: fields.get("name"),
            region: fields.get("region"),
            categories: fields.all("categories"),
            description: fields.get("description"),
            address: fields.get("address"),
            phone: fields.get("phone"),
            email: fields.get("email"),
            website: fields.get("website"),
            version: fields.get("version"),
        }
    }

    fn from_org(org: &Organisation) -> OrgFields {
        let p = &org.profile;
        OrgFields {
            kind: org.kind.as_str().to_owned(),
            body_kind: p.body_kind.map(|b| b.as_str().to_owned()).unwrap_or_default(),
            name: p.name.clone(),
            region: org.region.to_string(),
            categories: p.categories.iter().map(|c| c.as_str().to_owned()).collect(),
            description: p.description.clone(),
            address: p.address.clone().unwrap_or_default(),
            phone: p.phone.clone().unwrap_or_default(),
            email: p.email.as_ref().map(|e| e.to_string()).unwrap_or_default(),
            website: p.website.clone().unwrap_or_default(),
            version: org.version.to_string(),
        }
    }

    fn to_form(&self) -> OrganisationForm {
        OrganisationForm {
            kind: self.kind.clone(),
            body_kind: self.body_kind.clone(),
            name: self.name.clone(),
            region: self.region.clone(),
            categories: self.categories.clone(),
            description: self.description.clone(),
            address: self.address.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            website: self.website.clone(),
        }
    }
}

/// The options of the form's selects and checkboxes.
pub struct OrgChoices {
    pub kinds: Vec<Choice>,
    pub body_kinds: Vec<Choice>,
    pub categories: Vec<Choice>,
}

impl OrgChoices {
    fn new(ctx: &Ctx, form: &OrgFields) -> OrgChoices {
        let ticked: Vec<&str> = form.categories.iter().map(String::as_str).collect();
        OrgChoices {
            kinds: choices(ctx, KINDS.iter().map(|k| k.as_str()), "admin-kind-", &[&form.kind]),
            body_kinds: choices(ctx, BodyKind::ALL.iter().map(|b| b.as_str()), "admin-body-kind-", &[&form.body_kind]),
            categories: choices(ctx, WorkCategory::ALL.iter().map(|c| c.as_str()), "admin-category-", &ticked),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/organisation_form.html")]
struct OrgFormPage {
    page: Page,
    nav: Vec<NavLink>,
    csrf: String,
    action: String,
    form: OrgFields,
    errors: FormErrors,
    options: OrgChoices,
    /// Set when editing: the kind and region, which do not change.
    existing: Option<ExistingOrg>,
    flash: Option<String>,
    roles_href: Option<String>,
}

/// What the edit form states about the organisation besides its fields.
pub struct ExistingOrg {
    pub kind: String,
    pub region: String,
    pub is_body: bool,
    pub is_agency: bool,
    pub id: String,
}

fn new_page(
    ctx: &Ctx,
    viewer: &Viewer,
    form: OrgFields,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let template = OrgFormPage {
        page: admin_page(ctx, viewer, ctx.t.get("admin-organisation-new-title")),
        nav: admin_nav(ctx, viewer),
        csrf: csrf_of(viewer)?,
        action: ctx.t.href("/admin/organisasi/baru"),
        options: OrgChoices::new(ctx, &form),
        form,
        errors,
        existing: None,
        flash: None,
        roles_href: None,
    };
    render_private(template, status)
}

async fn edit_page(
    ctx: &Ctx,
    viewer: &Viewer,
    org: &Organisation,
    form: OrgFields,
    errors: FormErrors,
    flash: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let existing = ExistingOrg {
        kind: kind_label(ctx, org),
        region: region_label(ctx, &org.region).await?,
        is_body: org.kind == OrgKind::Body,
        is_agency: org.kind == OrgKind::Agency,
        id: org.id.to_string(),
    };
    let template = OrgFormPage {
        page: admin_page(ctx, viewer, org.profile.name.clone()),
        nav: admin_nav(ctx, viewer),
        csrf: csrf_of(viewer)?,
        action: ctx.t.href(&org_admin_path(org.id)),
        options: OrgChoices::new(ctx, &form),
        form,
        errors,
        existing: Some(existing),
        flash,
        roles_href: viewer
            .can(Action::GrantRole(Role::AgencyOfficer), &Resource::Scope(&Scope::Organisation(org.org_ref())))
            .then(|| ctx.t.href(&format!("/admin/peran?lingkup={}", org.id))),
    };
    render_private(template, status)
}

/// `GET /admin/organisasi/baru`.
pub async fn show_create(ctx: Ctx, viewer: Viewer) -> Result<Response, AppError> {
    viewer.authorize(Action::OpenAdmin, &Resource::Platform)?;
    let home = home_region(&ctx, &viewer);
    viewer.authorize(Action::CreateOrganisation(OrgKind::Agency), &Resource::Region(&home))?;
    let form =
        OrgFields { kind: OrgKind::Agency.as_str().to_owned(), region: home.to_string(), ..OrgFields::default() };
    new_page(&ctx, &viewer, form, FormErrors::default(), StatusCode::OK)
}

/// `POST /admin/organisasi/baru`: creates an office, agency or body in a
/// region of the viewer's scope.
pub async fn create(
    ctx: Ctx,
    CsrfForm { viewer, form }: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::OpenAdmin, &Resource::Platform)?;
    let form = OrgFields::from_fields(&Fields(form));
    // Out of scope is refused whatever else was typed.
    if let (Some(kind), Ok(region)) = (OrgKind::parse(form.kind.trim()), RegionCode::parse(&form.region)) {
        viewer.authorize(Action::CreateOrganisation(kind), &Resource::Region(&region))?;
    }
    let new = match form.to_form().validate() {
        Ok(new) => new,
        Err(errors) => {
            return new_page(&ctx, &viewer, form, FormErrors::from_fields(&ctx.t, &errors), StatusCode::BAD_REQUEST);
        }
    };
    viewer.authorize(Action::CreateOrganisation(new.kind), &Resource::Region(&new.region))?;
    if let Err(StoreError::Invalid(e)) = regions::require(&ctx.state.db, "region", &new.region).await {
        return new_page(&ctx, &viewer, form, FormErrors::from_fields(&ctx.t, &[e]), StatusCode::BAD_REQUEST);
    }
    let user = viewer.require_user()?.id;
    let written =
        ctx.state.db.write(move |tx| Box::pin(async move { org_store::create(tx, &new, Some(user)).await })).await;
    match written {
        Ok(org) => Ok(redirect(&ctx, &format!("{}?selesai=dibuat", org_admin_path(org.id)))),
        Err(StoreError::Invalid(e)) => {
            new_page(&ctx, &viewer, form, FormErrors::from_fields(&ctx.t, &[e]), StatusCode::BAD_REQUEST)
        }
        Err(e) => Err(e.into()),
    }
}

/// An organisation by the id in the path; 404 for a malformed or unknown id.
async fn load_org(ctx: &Ctx, raw: &str) -> Result<Organisation, AppError> {
    let id: OrgId = parse_path_id(raw)?;
    org_store::get(&ctx.state.db, id).await?.ok_or(AppError::NotFound)
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    pub selesai: Option<String>,
}

/// `GET /admin/organisasi/{id}`: the edit form (a KIM's page is elsewhere).
pub async fn show_edit(
    ctx: Ctx,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<DoneQuery>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::OpenAdmin, &Resource::Platform)?;
    let org = load_org(&ctx, &id).await?;
    viewer.authorize(Action::EditOrganisation, &Resource::Organisation(&org.org_ref()))?;
    if org.kind == OrgKind::Kim {
        return Ok(redirect(&ctx, &format!("/admin/kim/{}", org.id)));
    }
    let flash = match query.selesai.as_deref() {
        Some("dibuat") => Some(ctx.t.get("admin-done-created")),
        Some("disimpan") => Some(ctx.t.get("admin-done-saved")),
        _ => None,
    };
    edit_page(&ctx, &viewer, &org, OrgFields::from_org(&org), FormErrors::default(), flash, StatusCode::OK).await
}

/// `POST /admin/organisasi/{id}`: saves the profile if nobody changed it
/// since the form was opened (409 with the typed values otherwise).
pub async fn edit(
    ctx: Ctx,
    Path(id): Path<String>,
    CsrfForm { viewer, form }: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::OpenAdmin, &Resource::Platform)?;
    let org = load_org(&ctx, &id).await?;
    viewer.authorize(Action::EditOrganisation, &Resource::Organisation(&org.org_ref()))?;
    if org.kind == OrgKind::Kim {
        return Err(AppError::NotFound);
    }
    // The kind and region do not change.
    let form = OrgFields {
        kind: org.kind.as_str().to_owned(),
        region: org.region.to_string(),
        ..OrgFields::from_fields(&Fields(form))
    };
    let version = parse_version(&form.version)?;
    let profile = match form.to_form().validate_profile(org.kind, &org.region) {
        Ok(profile) => profile,
        Err(errors) => {
            let errors = FormErrors::from_fields(&ctx.t, &errors);
            return edit_page(&ctx, &viewer, &org, form, errors, None, StatusCode::BAD_REQUEST).await;
        }
    };
    let (user, org_id) = (viewer.require_user()?.id, org.id);
    let written = ctx
        .state
        .db
        .write(move |tx| Box::pin(async move { org_store::update(tx, org_id, version, &profile, Some(user)).await }))
        .await;
    match written {
        Ok(_) => Ok(redirect(&ctx, &format!("{}?selesai=disimpan", org_admin_path(org_id)))),
        Err(StoreError::Stale) => {
            let current = load_org(&ctx, &id).await?;
            let errors = FormErrors::general(ctx.t.get("error-stale"));
            edit_page(&ctx, &viewer, &current, form, errors, None, StatusCode::CONFLICT).await
        }
        Err(StoreError::Invalid(e)) => {
            let errors = FormErrors::from_fields(&ctx.t, &[e]);
            edit_page(&ctx, &viewer, &org, form, errors, None, StatusCode::BAD_REQUEST).await
        }
        Err(e) => Err(e.into()),
    }
}
