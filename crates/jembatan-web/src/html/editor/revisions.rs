//! The revision history of an item (`GET /tulis/{id}/revisi`) and the
//! changes one version made to the title, summary and body (`GET
//! /tulis/{id}/revisi/{version}`), word by word with `<ins>`/`<del>`.

use std::time::Duration;

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use jembatan_domain::authz::{Action, Resource};
use jembatan_store::content::{self, Revision};
use similar::{ChangeTag, TextDiff};

use super::items::load_item;
use super::{Names, item_path, load_ref};
use crate::auth::Viewer;
use crate::error::AppError;
use crate::html::common::{format_time, private_page, render_private};
use crate::layout::{Ctx, Page};

/// How long one diff may take before it settles for a coarser answer (a
/// body may hold 100,000 characters).
const DIFF_TIMEOUT: Duration = Duration::from_millis(250);

/// A run of text that stayed, was added or was removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffPart {
    /// `same`, `ins` or `del`.
    pub kind: &'static str,
    pub text: String,
}

/// The word-level changes from `old` to `new`, adjacent runs of a kind merged.
pub fn diff_words(old: &str, new: &str) -> Vec<DiffPart> {
    let diff = TextDiff::configure().timeout(DIFF_TIMEOUT).diff_words(old, new);
    let mut parts: Vec<DiffPart> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => "same",
            ChangeTag::Insert => "ins",
            ChangeTag::Delete => "del",
        };
        match parts.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(change.value()),
            _ => parts.push(DiffPart { kind, text: change.value().to_owned() }),
        }
    }
    parts
}

/// A version as the history lists it.
pub struct RevisionRow {
    pub version: i64,
    pub editor: String,
    pub when: String,
    pub href: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "editor/revisions.html")]
struct HistoryPage {
    page: Page,
    item_href: String,
    rows: Vec<RevisionRow>,
}

/// `GET /tulis/{id}/revisi`: every saved version, newest first.
pub async fn show_history(ctx: Ctx, viewer: Viewer, Path(id): Path<String>) -> Result<Response, AppError> {
    let item = load_item(&ctx, &id).await?;
    viewer.authorize(Action::ViewContentPrivate, &Resource::Content(&item.content_ref()))?;
    let mut names = Names::default();
    let mut rows = Vec::new();
    for r in content::revisions(&ctx.state.db, item.id).await? {
        rows.push(RevisionRow {
            version: r.version,
            editor: names.of(&ctx, r.editor).await?,
            when: format_time(&ctx, r.at),
            href: ctx.t.href(&format!("{}/revisi/{}", item_path(item.id), r.version)),
            current: r.version == item.version,
        });
    }
    let template = HistoryPage {
        page: private_page(&ctx, &viewer, ctx.t.arg("editor-history-title", "title", &item.title)),
        item_href: ctx.t.href(&item_path(item.id)),
        rows,
    };
    render_private(template, StatusCode::OK)
}

/// One field's changes.
pub struct FieldDiff {
    pub label: String,
    pub parts: Vec<DiffPart>,
    pub changed: bool,
}

#[derive(Template)]
#[template(path = "editor/diff.html")]
struct DiffPage {
    page: Page,
    item_href: String,
    history_href: String,
    intro: String,
    fields: Vec<FieldDiff>,
    previous_href: Option<String>,
    next_href: Option<String>,
}

fn field(label: String, old: &str, new: &str) -> FieldDiff {
    FieldDiff { label, parts: diff_words(old, new), changed: old != new }
}

/// `GET /tulis/{id}/revisi/{version}`: what that version changed from the
/// one before (the first version against nothing).
pub async fn show_diff(
    ctx: Ctx,
    viewer: Viewer,
    Path((id, version)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let item_ref = load_ref(&ctx, &id).await?;
    viewer.authorize(Action::ViewContentPrivate, &Resource::Content(&item_ref))?;
    let version: i64 = version.parse().ok().filter(|v| *v >= 1).ok_or(AppError::NotFound)?;
    let db = &ctx.state.db;
    let revision = content::revision(db, item_ref.id, version).await?.ok_or(AppError::NotFound)?;
    let before = if version > 1 { content::revision(db, item_ref.id, version - 1).await? } else { None };
    let empty = Revision {
        version: 0,
        title: String::new(),
        summary: None,
        body: String::new(),
        editor: None,
        at: revision.at,
    };
    let old = before.as_ref().unwrap_or(&empty);
    let t = &ctx.t;
    let fields = vec![
        field(t.get("editor-field-title"), &old.title, &revision.title),
        field(
            t.get("editor-field-summary"),
            old.summary.as_deref().unwrap_or_default(),
            revision.summary.as_deref().unwrap_or_default(),
        ),
        field(t.get("editor-field-body"), &old.body, &revision.body),
    ];
    let mut names = Names::default();
    let intro = t.args(
        "editor-diff-intro",
        &[
            ("version", &version.to_string()),
            ("editor", &names.of(&ctx, revision.editor).await?),
            ("when", &format_time(&ctx, revision.at)),
        ],
    );
    let path = item_path(item_ref.id);
    let latest = content::revisions(db, item_ref.id).await?.first().map(|r| r.version).unwrap_or(version);
    let template = DiffPage {
        page: private_page(&ctx, &viewer, t.arg("editor-diff-title", "version", &version.to_string())),
        item_href: t.href(&path),
        history_href: t.href(&format!("{path}/revisi")),
        intro,
        fields,
        previous_href: (version > 1).then(|| t.href(&format!("{path}/revisi/{}", version - 1))),
        next_href: (version < latest).then(|| t.href(&format!("{path}/revisi/{}", version + 1))),
    };
    render_private(template, StatusCode::OK)
}

#[cfg(test)]
mod tests {
    use super::{DiffPart, diff_words};

    #[test]
    fn words_added_and_removed_are_marked() {
        let parts = diff_words("Panen raya jagung di Jlodro", "Panen raya padi di Desa Jlodro");
        let marked: Vec<(&str, &str)> = parts.iter().map(|p| (p.kind, p.text.as_str())).collect();
        assert!(marked.contains(&("del", "jagung")), "{marked:?}");
        assert!(marked.contains(&("ins", "padi")), "{marked:?}");
        assert!(marked.iter().any(|(k, t)| *k == "ins" && t.contains("Desa")), "{marked:?}");
        let unchanged = diff_words("sama", "sama");
        assert_eq!(unchanged, vec![DiffPart { kind: "same", text: "sama".into() }]);
        assert!(diff_words("", "").is_empty());
    }
}
