//! `/api/v1/me`: the account a token (or session) belongs to.

use axum::Json;
use jembatan_domain::authz::{Action, Resource};
use jembatan_domain::role::Scope;
use jembatan_store::accounts;
use serde::Serialize;

use crate::auth::Viewer;
use crate::error::AppError;
use crate::layout::Ctx;

/// A role held, in API responses.
#[derive(Debug, Serialize)]
pub struct RoleJson {
    pub role: String,
    /// `region` or `organisation`.
    pub scope_kind: &'static str,
    /// A region code or an organisation id.
    pub scope: String,
}

/// The calling account.
#[derive(Debug, Serialize)]
pub struct MeJson {
    pub id: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub roles: Vec<RoleJson>,
    /// The account page.
    pub url: String,
}

/// `GET /api/v1/me`.
pub async fn get_me(ctx: Ctx, viewer: Viewer) -> Result<Json<MeJson>, AppError> {
    viewer.authorize(Action::UseOwnAccount, &Resource::Platform)?;
    let id = viewer.require_user()?.id;
    let user = accounts::get_user(&ctx.state.db, id).await?.ok_or(AppError::Unauthorized)?;
    let roles = viewer
        .actor
        .grants
        .iter()
        .map(|g| {
            let (scope_kind, scope) = match &g.scope {
                Scope::Region(code) => ("region", code.to_string()),
                Scope::Organisation(org) => ("organisation", org.id.to_string()),
            };
            RoleJson { role: g.role.as_str().to_owned(), scope_kind, scope }
        })
        .collect();
    Ok(Json(MeJson {
        id: user.id.to_string(),
        name: user.name,
        email: user.email.map(|e| e.to_string()),
        phone: user.phone.map(|p| p.to_string()),
        roles,
        url: ctx.state.config.absolute("/akun"),
    }))
}
