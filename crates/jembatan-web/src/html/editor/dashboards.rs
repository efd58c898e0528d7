//! The author's dashboard (`GET /akun/tulisan`: own drafts, items returned
//! with the reviewer's comment, submitted, scheduled, published, archived)
//! and the reviewer's queue (`GET /admin/konten`: submitted items the
//! viewer may publish, longest waiting first).

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use jembatan_domain::authz::{self, Action, Resource};
use jembatan_domain::content::ContentStatus;
use jembatan_store::content::{self, CommentKind, ContentSummary};

use super::items::writable_orgs;
use super::{Names, item_path, kind_label, status_label};
use crate::auth::Viewer;
use crate::error::AppError;
use crate::html::admin::{NavLink, admin_nav};
use crate::html::common::{format_time, private_page, render_private};
use crate::layout::{Ctx, Page};

/// Items listed per section of a dashboard.
const PER_SECTION: i64 = 100;

/// An item as a dashboard lists it.
pub struct ItemRow {
    pub title: String,
    pub href: String,
    pub kind: String,
    pub org: String,
    pub status: String,
    pub status_class: &'static str,
    /// The time that matters in its section (updated, submitted, due, published).
    pub when: String,
    pub score: i64,
    /// The reviewer's comment on an item returned to its author.
    pub note: Option<String>,
    pub by: Option<String>,
}

/// A titled list of items.
pub struct Section {
    pub heading: String,
    pub empty: String,
    pub rows: Vec<ItemRow>,
}

fn row(ctx: &Ctx, item: &ContentSummary, when_key: &str, at: Option<jembatan_domain::Timestamp>) -> ItemRow {
    let (status, status_class) = status_label(&ctx.t, item.status);
    ItemRow {
        title: item.title.clone(),
        href: ctx.t.href(&item_path(item.id)),
        kind: kind_label(&ctx.t, item.kind),
        org: item.org_name.clone(),
        status,
        status_class,
        when: ctx.t.arg(when_key, "when", &format_time(ctx, at.unwrap_or(item.updated_at))),
        score: item.quality_score,
        note: None,
        by: None,
    }
}

#[derive(Template)]
#[template(path = "editor/mine.html")]
struct MinePage {
    page: Page,
    sections: Vec<Section>,
    write_href: Option<String>,
    queue_href: Option<String>,
}

/// `GET /akun/tulisan`: what the viewer wrote, by where it stands.
pub async fn show_mine(ctx: Ctx, viewer: Viewer) -> Result<Response, AppError> {
    viewer.authorize(Action::UseOwnAccount, &Resource::Platform)?;
    let user = viewer.require_user()?.id;
    let db = &ctx.state.db;
    let items = content::by_author(db, user, &[], PER_SECTION * 5).await?;
    let t = &ctx.t;
    let mut returned = Vec::new();
    let mut names = Names::default();
    for item in items.iter().filter(|i| i.status == ContentStatus::Draft && i.returned) {
        let mut r = row(&ctx, item, "editor-when-returned", None);
        let comments = content::comments(db, item.id).await?;
        if let Some(c) = comments.iter().rev().find(|c| c.kind == CommentKind::Return) {
            r.note = Some(c.body.clone());
            r.by = Some(names.of(&ctx, c.author).await?);
        }
        returned.push(r);
    }
    let section = |status: ContentStatus, key: &str, when_key: &str, pick: &dyn Fn(&ContentSummary) -> bool| Section {
        heading: t.get(key),
        empty: t.get("editor-mine-empty"),
        rows: items
            .iter()
            .filter(|i| i.status == status && pick(i))
            .map(|i| {
                let at = match status {
                    ContentStatus::Submitted => i.submitted_at,
                    ContentStatus::Scheduled => i.publish_at,
                    ContentStatus::Published => i.published_at,
                    _ => None,
                };
                row(&ctx, i, when_key, at)
            })
            .collect(),
    };
    let sections = vec![
        Section { heading: t.get("editor-mine-returned"), empty: t.get("editor-mine-empty"), rows: returned },
        section(ContentStatus::Draft, "editor-mine-drafts", "editor-when-updated", &|i| !i.returned),
        section(ContentStatus::Submitted, "editor-mine-submitted", "editor-when-submitted", &|_| true),
        section(ContentStatus::Scheduled, "editor-mine-scheduled", "editor-when-scheduled", &|_| true),
        section(ContentStatus::Published, "editor-mine-published", "editor-when-published", &|_| true),
        section(ContentStatus::Archived, "editor-mine-archived", "editor-when-updated", &|_| true),
    ];
    let write_href = (!writable_orgs(&ctx, &viewer).await?.is_empty()).then(|| t.href("/tulis"));
    let queue_href = viewer.can(Action::ReviewContent, &Resource::Platform).then(|| t.href("/admin/konten"));
    let template =
        MinePage { page: private_page(&ctx, &viewer, t.get("editor-mine-title")), sections, write_href, queue_href };
    render_private(template, StatusCode::OK)
}

#[derive(Template)]
#[template(path = "editor/queue.html")]
struct QueuePage {
    page: Page,
    nav: Vec<NavLink>,
    rows: Vec<ItemRow>,
}

/// `GET /admin/konten`: submitted items the viewer may publish, longest
/// waiting first, with their quality score.
pub async fn show_queue(ctx: Ctx, viewer: Viewer) -> Result<Response, AppError> {
    viewer.authorize(Action::ReviewContent, &Resource::Platform)?;
    let scope = authz::review_scope(&viewer.actor);
    let items = content::review_queue(&ctx.state.db, &scope, PER_SECTION).await?;
    let mut names = Names::default();
    let mut rows = Vec::new();
    for item in &items {
        let mut r = row(&ctx, item, "editor-when-submitted", item.submitted_at);
        r.by = Some(names.of(&ctx, item.author).await?);
        rows.push(r);
    }
    let template = QueuePage {
        page: private_page(&ctx, &viewer, ctx.t.get("editor-queue-title")),
        nav: admin_nav(&ctx, &viewer),
        rows,
    };
    render_private(template, StatusCode::OK)
}
