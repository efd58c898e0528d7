//! In-person password resets: many villagers have a phone number and no
//! e-mail, so a reset link cannot reach them. A KIM manager (for members of
//! the KIM) or a regency officer (for members of the regency's KIMs) sets a
//! new password while the person is present; the reset is audited and the
//! account holder is told at the next login (on `/akun`). Accounts with
//! roles beyond KIM contributor are left to a province admin
//! (`authz::can`, `Action::ResetMemberPassword`).

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use jembatan_domain::account::check_new_password;
use jembatan_domain::authz::{Action, Resource, UserTarget};
use jembatan_domain::{FieldError, RegionCode, UserId, ValidationCode};
use jembatan_store::accounts::{self, User};
use jembatan_store::{StoreError, grants, in_person, kims};
use serde::Deserialize;

use super::{NavLink, admin_nav, admin_page, csrf_of, home_region, parse_path_id};
use crate::auth::{CsrfForm, Viewer};
use crate::error::AppError;
use crate::forms::FormErrors;
use crate::html::common::render_private;
use crate::layout::{Ctx, Page};

/// What authorization needs to know about another account: its grants and
/// the KIMs whose roster lists it.
pub async fn user_target(ctx: &Ctx, user: UserId) -> Result<UserTarget, AppError> {
    let db = &ctx.state.db;
    Ok(UserTarget {
        id: user,
        grants: grants::grants_of_user(db, user).await?,
        kim_memberships: kims::kim_memberships_of_user(db, user).await?,
    })
}

/// The live account in the path; 404 for a malformed id, an unknown or a
/// deleted account.
async fn load_user(ctx: &Ctx, raw: &str) -> Result<User, AppError> {
    let id: UserId = parse_path_id(raw)?;
    accounts::get_user(&ctx.state.db, id).await?.filter(|u| !u.is_deleted()).ok_or(AppError::NotFound)
}

/// The region the audit entry of a reset belongs to: the village of a KIM
/// of the person that the viewer manages or oversees, else the region of
/// one of the person's grants, else where the viewer administers.
fn audit_region(ctx: &Ctx, viewer: &Viewer, target: &UserTarget) -> RegionCode {
    target
        .kim_memberships
        .iter()
        .find(|kim| viewer.can(Action::ManageKimMembers, &Resource::Organisation(kim)))
        .map(|kim| kim.region.clone())
        .or_else(|| target.grants.first().map(|g| g.scope.region().clone()))
        .unwrap_or_else(|| home_region(ctx, viewer))
}

#[derive(Debug, Default, Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    pub password: String,
    #[serde(default)]
    pub password_confirm: String,
}

#[derive(Template)]
#[template(path = "admin/password.html")]
struct ResetPage {
    page: Page,
    nav: Vec<NavLink>,
    csrf: String,
    name: String,
    action: String,
    errors: FormErrors,
    done: bool,
}

fn reset_page(
    ctx: &Ctx,
    viewer: &Viewer,
    user: &User,
    errors: FormErrors,
    done: bool,
    status: StatusCode,
) -> Result<Response, AppError> {
    let template = ResetPage {
        page: admin_page(ctx, viewer, ctx.t.get("admin-reset-title")),
        nav: admin_nav(ctx, viewer),
        csrf: csrf_of(viewer)?,
        name: user.name.clone(),
        action: ctx.t.href(&format!("/admin/pengguna/{}/sandi", user.id)),
        errors,
        done,
    };
    render_private(template, status)
}

/// `GET /admin/pengguna/{id}/sandi`: the form to set a member's password.
pub async fn show_reset(ctx: Ctx, viewer: Viewer, Path(id): Path<String>) -> Result<Response, AppError> {
    viewer.authorize(Action::OpenAdmin, &Resource::Platform)?;
    let user = load_user(&ctx, &id).await?;
    viewer.authorize(Action::ResetMemberPassword, &Resource::User(&user_target(&ctx, user.id).await?))?;
    reset_page(&ctx, &viewer, &user, FormErrors::default(), false, StatusCode::OK)
}

/// `POST /admin/pengguna/{id}/sandi`: sets the new password, ends the
/// person's sessions, and records the reset in the audit log, in one
/// transaction.
pub async fn reset(
    ctx: Ctx,
    Path(id): Path<String>,
    CsrfForm { viewer, form }: CsrfForm<ResetForm>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::OpenAdmin, &Resource::Platform)?;
    let user = load_user(&ctx, &id).await?;
    let target = user_target(&ctx, user.id).await?;
    viewer.authorize(Action::ResetMemberPassword, &Resource::User(&target))?;
    let problems = match check_new_password("password", &form.password) {
        Err(e) => vec![e],
        Ok(()) if form.password != form.password_confirm => {
            vec![FieldError::new("password_confirm", ValidationCode::PasswordMismatch)]
        }
        Ok(()) => vec![],
    };
    if !problems.is_empty() {
        let errors = FormErrors::from_fields(&ctx.t, &problems);
        return reset_page(&ctx, &viewer, &user, errors, false, StatusCode::BAD_REQUEST);
    }
    let officer = viewer.require_user()?.id;
    let region = audit_region(&ctx, &viewer, &target);
    match in_person::reset_password_in_person_audited(&ctx.state.db, officer, user.id, &form.password, region).await {
        Ok(()) => reset_page(&ctx, &viewer, &user, FormErrors::default(), true, StatusCode::OK),
        Err(StoreError::Invalid(e)) => {
            let errors = FormErrors::from_fields(&ctx.t, &[e]);
            reset_page(&ctx, &viewer, &user, errors, false, StatusCode::BAD_REQUEST)
        }
        Err(e) => Err(e.into()),
    }
}
