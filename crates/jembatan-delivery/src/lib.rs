//! Jembatan's delivery side: the [`Worker`] that runs jobs from the durable
//! queue (`jembatan_store::jobs`), the channels they send through ([`Mailer`]
//! for SMTP e-mail), and the handlers of each job kind, named after the
//! capability that enqueues them ([`accounts`] for password reset e-mails),
//! and [`outbox`], the one delivery path of messages to people.
//!
//! Invariants:
//! - Delivery is at least once: a job is marked done only after its handler
//!   returned, so a crash between sending and recording resends once.
//! - Nothing personal is stored with a failure: job errors name the kind of
//!   failure (and an SMTP reply code), never an address or a server's reply
//!   text, which may quote the address.
//! - Text people read comes from the application's translations through
//!   [`MailText`]; this crate holds no sentences.

pub mod accounts;
pub mod content;
pub mod kims;
pub mod mail;
pub mod outbox;
#[cfg(feature = "testing")]
pub mod testing;
pub mod worker;

pub use mail::{MailError, MailText, Mailer, MailerConfigError, OutgoingMail};
pub use worker::{JobContext, JobError, JobHandler, Worker, WorkerConfig};
