//! Role grants in the administration area: who holds which role within the
//! viewer's scope, granting a role to an account found by e-mail or phone,
//! and revoking. What may be granted where is `authz::can` with
//! `Action::GrantRole` / `Action::RevokeRole` on the grant's scope: a
//! province admin anything in the province, a regency officer the roles
//! below it in the regency, a KIM manager contributors of the KIM.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use jembatan_domain::authz::{Action, AdminSection, Resource};
use jembatan_domain::contact::LoginIdentifier;
use jembatan_domain::organisation::OrgKind;
use jembatan_domain::role::{Role, Scope};
use jembatan_domain::{GrantId, OrgId};
use jembatan_store::grants::{self, GrantRecord};
use jembatan_store::{StoreError, accounts, organisations};
use serde::Deserialize;
use serde::de::IgnoredAny;

use super::audit::pseudonym;
use super::{Choice, NavLink, admin_nav, admin_page, administered, csrf_of, granted_orgs, parse_path_id, region_label};
use crate::auth::{CsrfForm, Viewer};
use crate::error::{AppError, message_key};
use crate::forms::FormErrors;
use crate::html::common::{format_time, redirect, render_private};
use crate::layout::{Ctx, Page};

/// A grant as the list shows it.
pub struct GrantView {
    pub holder: String,
    pub role: String,
    pub scope: String,
    pub granted_at: String,
    pub revoke_action: Option<String>,
}

/// The grants within one administered region or one managed KIM.
pub struct GrantGroup {
    pub heading: String,
    pub grants: Vec<GrantView>,
}

/// A scope the viewer may grant roles in, as a hint for the scope field.
pub struct ScopeHint {
    pub label: String,
    pub value: String,
}

/// The grant form as typed (kept when refused).
#[derive(Debug, Default, Deserialize)]
pub struct GrantFields {
    /// The e-mail address or phone number of the account.
    #[serde(default)]
    pub account: String,
    #[serde(default)]
    pub role: String,
    /// A region code or an organisation's id.
    #[serde(default)]
    pub scope: String,
}

#[derive(Template)]
#[template(path = "admin/roles.html")]
struct RolesPage {
    page: Page,
    nav: Vec<NavLink>,
    csrf: String,
    groups: Vec<GrantGroup>,
    form: GrantFields,
    errors: FormErrors,
    roles: Vec<Choice>,
    scopes: Vec<ScopeHint>,
    flash: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct RolesQuery {
    pub selesai: Option<String>,
    /// A scope to fill in the grant form (links from a KIM's or an
    /// organisation's page).
    pub lingkup: Option<String>,
}

/// Names scopes for a list, reading each organisation once.
#[derive(Default)]
struct ScopeNames(HashMap<OrgId, String>);

impl ScopeNames {
    async fn label(&mut self, ctx: &Ctx, scope: &Scope) -> Result<String, AppError> {
        match scope {
            Scope::Region(code) => region_label(ctx, code).await,
            Scope::Organisation(org) => {
                if let Some(name) = self.0.get(&org.id) {
                    return Ok(name.clone());
                }
                let name = organisations::get(&ctx.state.db, org.id)
                    .await?
                    .map(|o| o.profile.name)
                    .unwrap_or_else(|| org.id.to_string());
                self.0.insert(org.id, name.clone());
                Ok(name)
            }
        }
    }
}

async fn grant_view(
    ctx: &Ctx,
    viewer: &Viewer,
    record: &GrantRecord,
    names: &mut ScopeNames,
) -> Result<GrantView, AppError> {
    let grant = &record.grant;
    Ok(GrantView {
        holder: record.user_name.clone().filter(|n| !n.is_empty()).unwrap_or_else(|| pseudonym(record.user)),
        role: ctx.t.get(&format!("role-{}", grant.role.as_str())),
        scope: names.label(ctx, &grant.scope).await?,
        granted_at: format_time(ctx, record.granted_at),
        revoke_action: viewer
            .can(Action::RevokeRole(grant.role), &Resource::Scope(&grant.scope))
            .then(|| ctx.t.href(&format!("/admin/peran/{}/cabut", grant.id))),
    })
}

async fn roles_page(
    ctx: &Ctx,
    viewer: &Viewer,
    form: GrantFields,
    errors: FormErrors,
    flash: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let db = &ctx.state.db;
    let mut names = ScopeNames::default();
    let mut groups = Vec::new();
    let mut scopes = Vec::new();
    let regions: Vec<_> =
        administered(viewer).into_iter().filter(|r| viewer.can(Action::ViewGrants, &Resource::Region(r))).collect();
    for region in &regions {
        let mut views = Vec::new();
        for record in grants::list_within(db, region).await? {
            views.push(grant_view(ctx, viewer, &record, &mut names).await?);
        }
        let heading = region_label(ctx, region).await?;
        scopes.push(ScopeHint { label: heading.clone(), value: region.to_string() });
        groups.push(GrantGroup { heading, grants: views });
    }
    for kim in granted_orgs(viewer, OrgKind::Kim, Action::ManageKimMembers) {
        if regions.iter().any(|r| r.contains(&kim.region)) {
            continue;
        }
        let here = Scope::Organisation(kim.clone());
        let mut views = Vec::new();
        for record in grants::list_within(db, &kim.region).await? {
            if record.grant.scope.is_organisation(kim.id) {
                views.push(grant_view(ctx, viewer, &record, &mut names).await?);
            }
        }
        let heading = names.label(ctx, &here).await?;
        scopes.push(ScopeHint { label: heading.clone(), value: kim.id.to_string() });
        groups.push(GrantGroup { heading, grants: views });
    }
    let role = form.role.clone();
    let template = RolesPage {
        page: admin_page(ctx, viewer, ctx.t.get("admin-roles-title")),
        nav: admin_nav(ctx, viewer),
        csrf: csrf_of(viewer)?,
        groups,
        roles: Role::GRANTABLE
            .iter()
            .map(|r| Choice {
                value: r.as_str().to_owned(),
                label: ctx.t.get(&format!("role-{}", r.as_str())),
                selected: r.as_str() == role,
            })
            .collect(),
        form,
        errors,
        scopes,
        flash,
    };
    render_private(template, status)
}

/// `GET /admin/peran`: the grants within the viewer's scope, with revoke
/// buttons where the viewer may revoke, and the form to grant a role.
pub async fn show_grants(ctx: Ctx, viewer: Viewer, Query(query): Query<RolesQuery>) -> Result<Response, AppError> {
    viewer.authorize(Action::OpenAdminSection(AdminSection::Roles), &Resource::Platform)?;
    let flash = match query.selesai.as_deref() {
        Some("diberikan") => Some(ctx.t.get("admin-done-granted")),
        Some("dicabut") => Some(ctx.t.get("admin-done-revoked")),
        _ => None,
    };
    let form = GrantFields { scope: query.lingkup.unwrap_or_default(), ..GrantFields::default() };
    roles_page(&ctx, &viewer, form, FormErrors::default(), flash, StatusCode::OK).await
}

/// `POST /admin/peran`: grants a role to the account with the given e-mail
/// or phone, within the given scope. Input problems are field errors; a
/// scope beyond the viewer's is 403; nothing is stored unless all is well.
pub async fn grant(ctx: Ctx, CsrfForm { viewer, form }: CsrfForm<GrantFields>) -> Result<Response, AppError> {
    viewer.authorize(Action::OpenAdminSection(AdminSection::Roles), &Resource::Platform)?;
    let db = &ctx.state.db;
    let mut errors = FormErrors::default();
    let message = |code: &str| ctx.t.get(&message_key(code));
    let user = match LoginIdentifier::parse("account", &form.account) {
        Err(e) => {
            errors.add("account", message(e.code.as_str()));
            None
        }
        Ok(identifier) => match accounts::find_for_login(db, &identifier).await? {
            Some(account) => Some(account.user.id),
            None => {
                errors.add("account", ctx.t.get("admin-account-unknown"));
                None
            }
        },
    };
    let role = Role::parse_grantable("role", &form.role).map_err(|e| errors.add("role", message(e.code.as_str()))).ok();
    let scope = match grants::parse_scope(db, &form.scope).await {
        Ok(scope) => Some(scope),
        Err(StoreError::Invalid(e)) => {
            errors.add("scope", message(e.code.as_str()));
            None
        }
        Err(e) => return Err(e.into()),
    };
    if let (Some(role), Some(scope)) = (role, &scope)
        && !role.accepts(scope)
    {
        errors.add("scope", ctx.t.get("admin-grant-scope-mismatch"));
    }
    let (Some(user), Some(role), Some(scope), true) = (user, role, scope, errors.is_empty()) else {
        return roles_page(&ctx, &viewer, form, errors, None, StatusCode::BAD_REQUEST).await;
    };
    viewer.authorize(Action::GrantRole(role), &Resource::Scope(&scope))?;
    let actor = viewer.require_user()?.id;
    let written =
        db.write(move |tx| Box::pin(async move { grants::grant(tx, user, role, &scope, Some(actor)).await })).await;
    match written {
        Ok(_) => Ok(redirect(&ctx, "/admin/peran?selesai=diberikan")),
        Err(StoreError::Conflict(_)) => {
            errors.add("account", ctx.t.get("admin-grant-exists"));
            roles_page(&ctx, &viewer, form, errors, None, StatusCode::BAD_REQUEST).await
        }
        Err(StoreError::NotFound) => {
            errors.add("account", ctx.t.get("admin-account-unknown"));
            roles_page(&ctx, &viewer, form, errors, None, StatusCode::BAD_REQUEST).await
        }
        Err(StoreError::Invalid(e)) => {
            errors.add(&e.field, message(e.code.as_str()));
            roles_page(&ctx, &viewer, form, errors, None, StatusCode::BAD_REQUEST).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/peran/{grant}/cabut`: revokes a grant within the viewer's scope.
pub async fn revoke(
    ctx: Ctx,
    Path(id): Path<String>,
    CsrfForm { viewer, .. }: CsrfForm<IgnoredAny>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::OpenAdmin, &Resource::Platform)?;
    let id: GrantId = parse_path_id(&id)?;
    let record = grants::get(&ctx.state.db, id).await?.ok_or(AppError::NotFound)?;
    viewer.authorize(Action::RevokeRole(record.grant.role), &Resource::Scope(&record.grant.scope))?;
    let actor = viewer.require_user()?.id;
    ctx.state.db.write(move |tx| Box::pin(async move { grants::revoke(tx, id, Some(actor)).await })).await?;
    Ok(redirect(&ctx, "/admin/peran?selesai=dicabut"))
}
