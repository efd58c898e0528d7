//! The audit log viewer: every privileged action within a region the
//! viewer administers (and the regions below it), newest first, with who
//! acted, when, on what, and the state before and after. Deleted accounts
//! appear under a stable pseudonym; the log itself holds ids only.

use std::collections::HashMap;

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use jembatan_domain::authz::{Action, Resource};
use jembatan_domain::{AuditId, OrgId, RegionCode, UserId};
use jembatan_store::audit::{self, AuditRecord};
use jembatan_store::{accounts, organisations};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{NavLink, admin_nav, admin_page, administered, home_region, region_label};
use crate::auth::Viewer;
use crate::error::AppError;
use crate::html::common::{format_time, render_private};
use crate::layout::{Ctx, Page};

/// Entries per page of the viewer.
const PER_PAGE: i64 = 50;

/// The stable pseudonym of an account that no longer has a name (deleted):
/// `pengguna-` and the first 8 hex digits of the SHA-256 of its id. The
/// same account always gets the same pseudonym, so its entries can be
/// followed without showing who it was.
pub fn pseudonym(user: UserId) -> String {
    let digest = Sha256::digest(user.to_string().as_bytes());
    format!("pengguna-{}", &hex::encode(digest)[..8])
}

/// An entry as the viewer shows it.
pub struct EntryView {
    pub when: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub region: String,
    pub before: String,
    pub after: String,
}

/// A region the viewer may read the log of, as a link.
pub struct RegionLink {
    pub label: String,
    pub href: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    page: Page,
    nav: Vec<NavLink>,
    region: String,
    regions: Vec<RegionLink>,
    entries: Vec<EntryView>,
    newest: Option<String>,
    older: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    /// The region whose log to read; the viewer's widest by default.
    pub wilayah: Option<String>,
    /// Show entries older than this entry (the "older" link's cursor).
    pub sebelum: Option<String>,
}

/// Names actors and targets, reading each once per page.
#[derive(Default)]
struct Names {
    users: HashMap<UserId, String>,
    orgs: HashMap<OrgId, String>,
}

impl Names {
    async fn user(&mut self, ctx: &Ctx, id: UserId) -> Result<String, AppError> {
        if let Some(name) = self.users.get(&id) {
            return Ok(name.clone());
        }
        let name = match accounts::get_user(&ctx.state.db, id).await? {
            Some(user) if !user.is_deleted() && !user.name.is_empty() => user.name,
            _ => pseudonym(id),
        };
        self.users.insert(id, name.clone());
        Ok(name)
    }

    async fn org(&mut self, ctx: &Ctx, id: OrgId) -> Result<String, AppError> {
        if let Some(name) = self.orgs.get(&id) {
            return Ok(name.clone());
        }
        let name =
            organisations::get(&ctx.state.db, id).await?.map(|o| o.profile.name).unwrap_or_else(|| id.to_string());
        self.orgs.insert(id, name.clone());
        Ok(name)
    }

    async fn target(&mut self, ctx: &Ctx, entry: &AuditRecord) -> Result<String, AppError> {
        let kind = entry.target_kind.as_str();
        let name = match kind {
            "user" => match entry.target_id.parse() {
                Ok(id) => self.user(ctx, id).await?,
                Err(_) => entry.target_id.clone(),
            },
            "organisation" => match entry.target_id.parse() {
                Ok(id) => self.org(ctx, id).await?,
                Err(_) => entry.target_id.clone(),
            },
            // A roster entry: named by its KIM and the end of its id (the
            // log keeps no member names).
            "member" => {
                let kim = [&entry.after, &entry.before]
                    .into_iter()
                    .flatten()
                    .find_map(|state| state.get("kim_id")?.as_str()?.parse::<OrgId>().ok());
                let tail: String =
                    entry.target_id.chars().rev().take(6).collect::<Vec<_>>().into_iter().rev().collect();
                match kim {
                    Some(kim) => format!("{} #{tail}", self.org(ctx, kim).await?),
                    None => format!("#{tail}"),
                }
            }
            _ => entry.target_id.clone(),
        };
        let key = format!("admin-target-{kind}");
        let label = if ctx.state.catalog.has(ctx.t.locale, &key) { ctx.t.get(&key) } else { kind.to_owned() };
        Ok(format!("{label}: {name}"))
    }
}

/// The translated name of an audited action (`audit-action-<name>`), or the
/// stable name itself for an action this build has no text for.
fn action_label(ctx: &Ctx, action: &str) -> String {
    let key = format!("audit-action-{}", action.replace(['.', '_'], "-"));
    if ctx.state.catalog.has(ctx.t.locale, &key) { ctx.t.get(&key) } else { action.to_owned() }
}

fn compact(value: &Option<serde_json::Value>) -> String {
    value.as_ref().map(|v| v.to_string()).unwrap_or_else(|| "—".to_owned())
}

/// `GET /admin/audit?wilayah=35.23&sebelum=<id>`: one page of a region's log.
pub async fn show_audit(ctx: Ctx, viewer: Viewer, Query(query): Query<AuditQuery>) -> Result<Response, AppError> {
    viewer.authorize(Action::OpenAdmin, &Resource::Platform)?;
    let region = match query.wilayah.as_deref().map(str::trim).filter(|w| !w.is_empty()) {
        Some(raw) => RegionCode::parse(raw)
            .map_err(|e| AppError::BadRequest { code: e.code.as_str(), field: Some("wilayah".into()) })?,
        None => home_region(&ctx, &viewer),
    };
    viewer.authorize(Action::ViewAudit, &Resource::Region(&region))?;
    let before = match query.sebelum.as_deref().filter(|s| !s.is_empty()) {
        Some(raw) => Some(raw.parse::<AuditId>().map_err(|_| AppError::bad_request("bad_request"))?),
        None => None,
    };
    let log = audit::list(&ctx.state.db, &region, before, PER_PAGE).await?;
    let mut names = Names::default();
    let mut entries = Vec::with_capacity(log.entries.len());
    for entry in &log.entries {
        entries.push(EntryView {
            when: format_time(&ctx, entry.at),
            actor: match entry.actor {
                Some(id) => names.user(&ctx, id).await?,
                None => ctx.t.get("admin-audit-system"),
            },
            action: action_label(&ctx, &entry.action),
            target: names.target(&ctx, entry).await?,
            region: entry.scope_region.to_string(),
            before: compact(&entry.before),
            after: compact(&entry.after),
        });
    }
    let href = |cursor: Option<AuditId>| {
        let mut path = format!("/admin/audit?wilayah={region}");
        if let Some(cursor) = cursor {
            path.push_str(&format!("&sebelum={cursor}"));
        }
        ctx.t.href(&path)
    };
    let mut regions = Vec::new();
    for code in administered(&viewer) {
        regions.push(RegionLink {
            label: region_label(&ctx, &code).await?,
            href: ctx.t.href(&format!("/admin/audit?wilayah={code}")),
            current: code == region,
        });
    }
    let template = AuditPage {
        page: admin_page(&ctx, &viewer, ctx.t.get("admin-audit-title")),
        nav: admin_nav(&ctx, &viewer),
        region: region_label(&ctx, &region).await?,
        regions,
        entries,
        newest: before.is_some().then(|| href(None)),
        older: log.next.map(|cursor| href(Some(cursor))),
    };
    render_private(template, StatusCode::OK)
}
