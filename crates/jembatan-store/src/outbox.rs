//! The outbox: messages to people (e-mail now; WhatsApp, Telegram, web
//! push and SMS later, through the same rows), each written in the same
//! transaction as what it tells about, and one [`DELIVER_JOB`] per message
//! so the job worker delivers it with its leases and retries.
//!
//! Invariants:
//! - A message is enqueued with the change it reports, or not at all.
//! - Once a message is settled (sent, or given up), its recipient and
//!   arguments are blanked: the outbox keeps that a message went, not to
//!   whom or what it said.

use std::collections::BTreeMap;

use jembatan_domain::Timestamp;
use serde::{Deserialize, Serialize};

use crate::batch::Batch;
use crate::db::{Db, Tx};
use crate::error::{StoreError, StoreResult};
use crate::jobs::{self, NewJob};
use crate::{exec, on_pool};

/// The job kind that delivers one message; its payload is a [`DeliverJob`].
pub const DELIVER_JOB: &str = "outbox.deliver";

/// What a [`DELIVER_JOB`] carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliverJob {
    pub message_id: String,
}

/// The channels messages go out on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "email" => Some(Channel::Email),
            _ => None,
        }
    }
}

/// A message to enqueue.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub channel: Channel,
    /// The address on the channel (an e-mail address).
    pub recipient: String,
    /// The message's name in the translation catalog.
    pub template: &'static str,
    pub locale: String,
    /// The template's arguments; a `path` argument becomes a link under the
    /// public URL.
    pub args: BTreeMap<String, String>,
    /// What it is about, e.g. `report:<id>`.
    pub subject_ref: String,
}

/// Enqueues a message and its delivery job in the transaction.
pub async fn enqueue(tx: &mut Tx<'_>, message: &NewMessage) -> StoreResult<String> {
    let mut batch = Batch::new(tx.backend());
    let ids = add(&mut batch, std::slice::from_ref(message))?;
    batch.run(tx).await?;
    ids.into_iter().next().ok_or_else(|| StoreError::Internal("no message id".into()))
}

/// Adds messages and their delivery jobs to a batch of writes; returns
/// the messages' ids.
pub(crate) fn add(batch: &mut Batch<'_>, messages: &[NewMessage]) -> StoreResult<Vec<String>> {
    let now = Timestamp::now().millis();
    let mut rows = Vec::with_capacity(messages.len());
    for message in messages {
        let args = serde_json::to_string(&message.args).map_err(|e| StoreError::Internal(e.to_string()))?;
        rows.push((uuid::Uuid::now_v7().to_string(), message, args));
    }
    batch.insert(
        "INSERT INTO outbox (id, channel, recipient, template, locale, args, status, attempts, subject_ref, created_at)",
        10,
        "",
        &rows,
        |values, (id, message, args)| {
            values
                .add(id.clone())
                .add(message.channel.as_str())
                .add(message.recipient.clone())
                .add(message.template)
                .add(message.locale.clone())
                .add(args.clone())
                .add("pending")
                .add(0_i64)
                .add(message.subject_ref.clone())
                .add(now);
        },
    );
    let deliveries: Vec<NewJob> = rows
        .iter()
        .map(|(id, _, _)| NewJob::new(DELIVER_JOB, &DeliverJob { message_id: id.clone() }).once(format!("outbox:{id}")))
        .collect();
    jobs::add(batch, &deliveries);
    Ok(rows.into_iter().map(|(id, _, _)| id).collect())
}

/// A message waiting to go out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingMessage {
    pub id: String,
    pub channel: Channel,
    pub recipient: String,
    pub template: String,
    pub locale: String,
    pub args: BTreeMap<String, String>,
}

/// The message, if it still waits to go out (`None` once settled).
pub async fn pending(db: &Db, id: &str) -> StoreResult<Option<PendingMessage>> {
    let row: Option<(String, String, String, String, String)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT channel, recipient, template, locale, args FROM outbox WHERE id = $1 AND status = 'pending'",
    )
    .bind(id)
    .fetch_optional(pool)
    .await)?;
    let Some((channel, recipient, template, locale, args)) = row else { return Ok(None) };
    Ok(Some(PendingMessage {
        id: id.to_owned(),
        channel: Channel::parse(&channel).ok_or_else(|| StoreError::Internal("stored channel".into()))?,
        recipient,
        template,
        locale,
        args: serde_json::from_str(&args).map_err(|e| StoreError::Internal(e.to_string()))?,
    }))
}

/// Records an attempt that failed and will be retried (`error` names the
/// kind of failure, never an address).
pub async fn record_failure(db: &Db, id: &str, error: &str) -> StoreResult<()> {
    let (id, error) = (id.to_owned(), error.to_owned());
    db.write(move |tx| {
        Box::pin(async move {
            exec!(
                tx,
                sqlx::query("UPDATE outbox SET attempts = attempts + 1, last_error = $1 WHERE id = $2")
                    .bind(error)
                    .bind(id)
            )?;
            Ok(())
        })
    })
    .await
}

/// Settles a message: `sent`, or `failed` for good; blanks what it said and to whom.
pub async fn settle(db: &Db, id: &str, sent: bool, error: Option<&str>) -> StoreResult<()> {
    let (id, error) = (id.to_owned(), error.map(str::to_owned));
    let status = if sent { "sent" } else { "failed" };
    db.write(move |tx| {
        Box::pin(async move {
            exec!(
                tx,
                sqlx::query(
                    "UPDATE outbox SET status = $1, recipient = '', args = '{}', attempts = attempts + 1, \
                     last_error = COALESCE($2, last_error), settled_at = $3 WHERE id = $4",
                )
                .bind(status)
                .bind(error)
                .bind(Timestamp::now().millis())
                .bind(id)
            )?;
            Ok(())
        })
    })
    .await
}

/// A message as officers (and tests) see it afterwards: no recipient, no text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRecord {
    pub template: String,
    pub status: String,
    pub attempts: i64,
}

/// The messages about `subject_ref`, oldest first.
pub async fn about(db: &Db, subject_ref: &str) -> StoreResult<Vec<MessageRecord>> {
    let rows: Vec<(String, String, i64)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT template, status, attempts FROM outbox WHERE subject_ref = $1 ORDER BY created_at, id",
    )
    .bind(subject_ref)
    .fetch_all(pool)
    .await)?;
    Ok(rows.into_iter().map(|(template, status, attempts)| MessageRecord { template, status, attempts }).collect())
}
