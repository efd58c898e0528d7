//! Topic pages: the managed list of topics (`/topik`) and each topic's
//! published items, newest first (`/topik/{slug}`), with its feeds. An
//! unknown topic is 404.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use jembatan_domain::authz::{Action, Resource};
use jembatan_store::content::ContentFilter;
use jembatan_store::topics;

use crate::auth::Viewer;
use crate::cache::{Tag, cacheable};
use crate::error::AppError;
use crate::html::common::render_public;
use crate::html::content::{LinkView, ListQuery, ListingFrame, home_crumb, render_listing, topic_path};
use crate::layout::{Ctx, Page};

#[derive(Template)]
#[template(path = "content/topics.html")]
struct TopicIndexPage {
    page: Page,
    crumbs: Vec<LinkView>,
    topics: Vec<LinkView>,
}

/// Links to every topic's page, in display order.
pub async fn topic_links(ctx: &Ctx) -> Result<Vec<LinkView>, AppError> {
    let all = topics::list(&ctx.state.db).await?;
    Ok(all
        .iter()
        .map(|t| LinkView { text: t.name(ctx.t.lang()).to_owned(), href: ctx.t.href(&topic_path(&t.slug)) })
        .collect())
}

/// `GET /topik`: every topic.
pub async fn list_topics(ctx: Ctx, viewer: Viewer) -> Result<Response, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let template = TopicIndexPage {
        page: ctx.page(ctx.t.get("topic-index-title")).with_description(ctx.t.get("topic-index-intro")),
        crumbs: vec![home_crumb(&ctx)],
        topics: topic_links(&ctx).await?,
    };
    // Topics change rarely; a change drops every cached page.
    Ok(cacheable(render_public(template, StatusCode::OK)?, Vec::new()))
}

/// `GET /topik/{slug}`: a topic's items, newest first.
pub async fn show_topic(
    ctx: Ctx,
    viewer: Viewer,
    Path(slug): Path<String>,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    viewer.authorize(Action::ViewPublic, &Resource::Platform)?;
    let topic = topics::get(&ctx.state.db, &slug).await?.ok_or(AppError::NotFound)?;
    let name = topic.name(ctx.t.lang()).to_owned();
    let frame = ListingFrame {
        title: ctx.t.arg("topic-title", "name", &name),
        description: ctx.t.arg("topic-description", "name", &name),
        crumbs: vec![home_crumb(&ctx), LinkView { text: ctx.t.get("topic-index-title"), href: ctx.t.href("/topik") }],
        intro: None,
        links: None,
        links_empty: None,
        feed_base: Some(topic_path(&topic.slug)),
        feed_name: name,
    };
    let filter = ContentFilter { topic: Some(topic.slug.clone()), ..ContentFilter::default() };
    render_listing(&ctx, frame, &filter, &query, vec![Tag::ContentTopic(topic.slug)]).await
}
