//! E-mail over SMTP: the [`Mailer`] (lettre, pooled connections, TLS as the
//! URL asks), plain-text UTF-8 messages, and failures sorted into what is
//! worth retrying and what is not, described without personal data.

use std::time::Duration;

use jembatan_domain::contact::Email;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, Message};
use lettre::transport::smtp::Error as SmtpError;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

/// How long one SMTP conversation step may take before the attempt fails.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// The text of the e-mails the platform sends, from the application's
/// translation catalog (the web layer owns it). Each method returns the
/// subject and the plain-text body in `locale` (`id`, `jv`, `mad`, `en`;
/// implementations fall back to Indonesian).
pub trait MailText: Send + Sync {
    /// A password reset e-mail to `name`, carrying `link`.
    fn password_reset(&self, locale: &str, name: &str, link: &str) -> (String, String);

    /// An outbox message: the catalog's `mail-<template>-subject` and
    /// `mail-<template>-body` with `args` (a `path` argument also comes as
    /// `link`, under the public URL).
    fn message(&self, locale: &str, template: &str, args: &[(&str, &str)]) -> (String, String);
}

/// One e-mail to send.
#[derive(Debug, Clone)]
pub struct OutgoingMail {
    pub to: Email,
    pub subject: String,
    /// Plain text, UTF-8; lettre picks a transfer encoding that keeps it intact.
    pub text: String,
}

/// Why a [`Mailer`] could not be built from its configuration.
#[derive(Debug, thiserror::Error)]
pub enum MailerConfigError {
    /// The SMTP URL was refused (the reason never repeats the URL, which
    /// may hold a password).
    #[error("SMTP URL refused: {0}")]
    Url(String),
    #[error("the sender address is not a valid mailbox (e.g. `Jembatan <noreply@example.id>`)")]
    From,
}

/// Why sending failed. The text holds no address and no server reply, so
/// it may be stored with the job and shown to administrators.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    /// The recipient address cannot be written as an SMTP mailbox.
    #[error("invalid recipient address")]
    InvalidRecipient,
    /// The message could not be assembled.
    #[error("cannot build the message")]
    Build,
    /// The server refused the recipient for good (SMTP 550, 551, 553).
    #[error("smtp refused the recipient ({0})")]
    RecipientRefused(String),
    /// Anything that may work later: no connection, timeouts, TLS, 4xx
    /// replies, and 5xx replies that are about the server or our account
    /// rather than the recipient (e.g. 535, bad credentials, fixed by an
    /// operator).
    #[error("smtp {0}")]
    Temporary(String),
}

impl MailError {
    /// Whether trying again can succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, MailError::Temporary(_))
    }

    fn from_smtp(e: &SmtpError) -> MailError {
        if let Some(code) = e.status() {
            let code = code.to_string();
            if e.is_permanent() && matches!(code.as_str(), "550" | "551" | "553") {
                return MailError::RecipientRefused(code);
            }
            let kind = if e.is_permanent() { "permanent" } else { "transient" };
            return MailError::Temporary(format!("{kind} error {code}"));
        }
        let what = if e.is_timeout() {
            "timed out".to_owned()
        } else if e.is_tls() {
            "tls error".to_owned()
        } else if let Some(kind) = io_error_kind(e) {
            format!("connection failed: {kind}")
        } else if e.is_response() {
            "unreadable server response".to_owned()
        } else if e.is_transport_shutdown() {
            "transport shut down".to_owned()
        } else {
            "connection failed".to_owned()
        };
        MailError::Temporary(what)
    }
}

/// The kind of the I/O error under an SMTP error (`connection refused`),
/// which says what went wrong without quoting anyone.
fn io_error_kind(e: &SmtpError) -> Option<std::io::ErrorKind> {
    let mut source = std::error::Error::source(e);
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        source = err.source();
    }
    None
}

/// Sends e-mail through one SMTP server. Cheap to clone (connections are pooled).
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The domain of Message-IDs: the sender's.
    domain: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The transport holds the credentials; show only the sender's domain.
        f.debug_struct("Mailer").field("domain", &self.domain).finish_non_exhaustive()
    }
}

impl Mailer {
    /// A mailer for `smtp_url` sending as `from` (`Name <address>` or an
    /// address). The URL forms: `smtp://host:port` (no TLS, for a local
    /// relay), `smtp://user:pass@host?tls=required` (STARTTLS, port 587 by
    /// default), `smtps://user:pass@host` (TLS from the start, port 465).
    /// Nothing connects until the first send. Call within a Tokio runtime:
    /// the connection pool runs a task of its own.
    pub fn new(smtp_url: &str, from: &str) -> Result<Mailer, MailerConfigError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| MailerConfigError::Url(e.to_string()))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        let from: Mailbox = from.trim().parse().map_err(|_| MailerConfigError::From)?;
        let domain = from.email.domain().to_owned();
        Ok(Mailer { transport, from, domain })
    }

    /// Sends one plain-text e-mail.
    pub async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        let to: Address = mail.to.as_str().parse().map_err(|_| MailError::InvalidRecipient)?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(None, to))
            .subject(mail.subject.clone())
            .message_id(Some(format!("<{}@{}>", uuid::Uuid::now_v7().simple(), self.domain)))
            .header(ContentType::TEXT_PLAIN)
            .body(mail.text.clone())
            .map_err(|_| MailError::Build)?;
        self.transport.send(message).await.map(|_| ()).map_err(|e| MailError::from_smtp(&e))
    }

    /// Connects and greets the server, for readiness checks at startup.
    pub async fn check(&self) -> Result<(), MailError> {
        match self.transport.test_connection().await {
            Ok(true) => Ok(()),
            Ok(false) => Err(MailError::Temporary("server did not accept the connection".into())),
            Err(e) => Err(MailError::from_smtp(&e)),
        }
    }
}
