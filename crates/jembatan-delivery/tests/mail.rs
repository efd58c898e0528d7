//! Delivery through a real SMTP server (aiosmtpd), on SQLite and PostgreSQL:
//! password reset links arrive by e-mail, failures are retried with backoff
//! and recorded without personal data, and the worker drains the queue.

use std::sync::Arc;
use std::time::Duration;

use jembatan_delivery::testing::{SmtpServer, unreachable_url};
use jembatan_delivery::{JobContext, JobError, JobHandler, MailText, Mailer, Worker, WorkerConfig};
use jembatan_domain::account::NewAccount;
use jembatan_domain::contact::{Email, PhoneNumber};
use jembatan_store::accounts::{self, PASSWORD_RESET_EMAIL, User};
use jembatan_store::jobs::{self, ClaimedJob, NewJob};
use jembatan_store::{Db, contract_tests};
use tokio_util::sync::CancellationToken;

const PUBLIC_URL: &str = "https://kim.jatimprov.go.id/";
const FROM: &str = "Jembatan KIM Jatim <noreply@kim.jatimprov.go.id>";

/// Stands in for the web layer's catalog; the text is non-ASCII and its
/// lines long, so the transfer encoding must be decoded right.
struct CatalogText;

impl MailText for CatalogText {
    fn password_reset(&self, locale: &str, name: &str, link: &str) -> (String, String) {
        (
            format!("[{locale}] Atur ulang kata sandi — Jembatan ✓"),
            format!(
                "Halo {name},\n\nSeseorang meminta pengaturan ulang kata sandi akun Jembatan Anda; bukalah tautan \
                 berikut dalam satu jam:\n\n{link}\n\nSalam hangat — Tim KIM Jawa Timur ✓\n"
            ),
        )
    }

    fn message(&self, locale: &str, template: &str, args: &[(&str, &str)]) -> (String, String) {
        let listed: Vec<String> = args.iter().map(|(k, v)| format!("{k}={v}")).collect();
        (format!("[{locale}] {template}"), listed.join("\n"))
    }
}

async fn register(db: &Db, name: &str, email: Option<&str>, phone: &str) -> User {
    let account = NewAccount {
        name: name.into(),
        email: email.map(|e| Email::parse("email", e).unwrap()),
        phone: Some(PhoneNumber::parse("phone", phone).unwrap()),
        password: "kopi tubruk pagi".into(),
    };
    accounts::create_user(db, &account, "2025-01").await.unwrap()
}

fn worker(db: &Db, mailer: Option<Mailer>) -> Worker {
    Worker::new(db.clone(), mailer, Arc::new(CatalogText), WorkerConfig::new(PUBLIC_URL))
}

fn mailer(url: &str) -> Mailer {
    Mailer::new(url, FROM).unwrap()
}

fn link(token: &str) -> String {
    format!("https://kim.jatimprov.go.id/atur-ulang-sandi?token={token}")
}

#[tokio::test]
async fn mailer_configuration_is_checked() {
    assert!(Mailer::new("smtp://localhost:2525", FROM).is_ok());
    assert!(Mailer::new("smtps://user:secret@mail.example.id", "noreply@example.id").is_ok());
    assert!(Mailer::new("smtp://mail.example.id?tls=required", "noreply@example.id").is_ok());
    let bad_url = Mailer::new("http://user:secret@mail.example.id", FROM).unwrap_err();
    assert!(!bad_url.to_string().contains("secret"), "{bad_url}");
    assert!(Mailer::new("smtp://localhost", "not an address").is_err());
}

contract_tests! {
    async fn a_reset_link_arrives_by_email(db) {
        let smtp = SmtpServer::start();
        let user = register(&db, "Siti Aminah", Some("siti@contoh.co.id"), "081234567890").await;
        let token = accounts::create_password_reset(&db, user.id, "jv", 3600).await.unwrap();

        let worker = worker(&db, Some(mailer(&smtp.url())));
        assert_eq!(worker.run_until_idle().await.unwrap(), 1);

        let mail = smtp.messages();
        assert_eq!(mail.len(), 1);
        assert_eq!(mail[0].to, "siti@contoh.co.id");
        assert_eq!(mail[0].from, FROM);
        assert_eq!(mail[0].subject, "[jv] Atur ulang kata sandi — Jembatan ✓");
        assert!(mail[0].text.starts_with("Halo Siti Aminah,\n"), "{}", mail[0].text);
        assert!(mail[0].text.lines().any(|line| line == link(&token)), "{}", mail[0].text);
        assert!(mail[0].text.contains("Salam hangat — Tim KIM Jawa Timur ✓"));

        let job = &jobs::list_by_kind(&db, PASSWORD_RESET_EMAIL).await.unwrap()[0];
        assert_eq!((job.status.as_str(), job.payload.as_str()), ("done", "{}"), "the token leaves the queue");
        assert_eq!(worker.run_until_idle().await.unwrap(), 0);
        assert_eq!(accounts::consume_password_reset(&db, &token, "sandi yang baru sekali").await.unwrap(), user.id);
    }

    async fn a_failed_send_is_retried_later_and_recorded_without_the_address(db) {
        let user = register(&db, "Siti Aminah", Some("siti@contoh.co.id"), "081234567890").await;
        accounts::create_password_reset(&db, user.id, "id", 3600).await.unwrap();

        let down = worker(&db, Some(mailer(&unreachable_url())));
        assert_eq!(down.run_until_idle().await.unwrap(), 1);
        let job = &jobs::list_by_kind(&db, PASSWORD_RESET_EMAIL).await.unwrap()[0];
        assert_eq!((job.status.as_str(), job.attempts), ("pending", 1));
        let error = job.last_error.clone().expect("the failure is recorded");
        assert!(error.starts_with("smtp "), "{error}");
        assert!(!error.contains('@') && !error.contains("siti") && !error.contains("contoh"), "{error}");
        assert_eq!(down.run_until_idle().await.unwrap(), 0, "the job waits for its backoff");
        assert_eq!(jobs::stats(&db).await.unwrap().pending, 1);
    }

    async fn without_smtp_the_job_waits_for_configuration(db) {
        let user = register(&db, "Siti Aminah", Some("siti@contoh.co.id"), "081234567890").await;
        accounts::create_password_reset(&db, user.id, "id", 3600).await.unwrap();
        assert_eq!(worker(&db, None).run_until_idle().await.unwrap(), 1);
        let job = &jobs::list_by_kind(&db, PASSWORD_RESET_EMAIL).await.unwrap()[0];
        assert_eq!((job.status.as_str(), job.last_error.as_deref()), ("pending", Some("smtp not configured")));
    }

    async fn nothing_is_sent_when_there_is_nothing_useful_to_send(db) {
        let smtp = SmtpServer::start();
        let phone_only = register(&db, "Budi", None, "081311112222").await;
        accounts::create_password_reset(&db, phone_only.id, "id", 3600).await.unwrap();
        let used = register(&db, "Wati", Some("wati@contoh.co.id"), "081333334444").await;
        let token = accounts::create_password_reset(&db, used.id, "id", 3600).await.unwrap();
        accounts::consume_password_reset(&db, &token, "sandi yang baru sekali").await.unwrap();
        let deleted = register(&db, "Tono", Some("tono@contoh.co.id"), "081355556666").await;
        accounts::create_password_reset(&db, deleted.id, "id", 3600).await.unwrap();
        accounts::delete_account(&db, deleted.id).await.unwrap();

        let worker = worker(&db, Some(mailer(&smtp.url())));
        assert_eq!(worker.run_until_idle().await.unwrap(), 3);
        assert!(smtp.messages().is_empty());
        assert_eq!(jobs::stats(&db).await.unwrap().done, 3);
    }

    async fn run_until_idle_counts_the_jobs_it_ran(db) {
        let smtp = SmtpServer::start();
        let siti = register(&db, "Siti", Some("siti@contoh.co.id"), "081234567890").await;
        let budi = register(&db, "Budi", Some("budi@contoh.co.id"), "081311112222").await;
        accounts::create_password_reset(&db, siti.id, "id", 3600).await.unwrap();
        let newest = accounts::create_password_reset(&db, siti.id, "id", 3600).await.unwrap();
        accounts::create_password_reset(&db, budi.id, "en", 3600).await.unwrap();

        assert_eq!(worker(&db, Some(mailer(&smtp.url()))).run_until_idle().await.unwrap(), 3);
        let mail = smtp.messages();
        let mut to: Vec<&str> = mail.iter().map(|m| m.to.as_str()).collect();
        to.sort();
        assert_eq!(to, ["budi@contoh.co.id", "siti@contoh.co.id"], "a replaced link is not sent");
        let to_siti = mail.iter().find(|m| m.to == "siti@contoh.co.id").unwrap();
        assert!(to_siti.text.contains(&link(&newest)));
    }

    async fn unknown_kinds_are_retried_and_failing_handlers_recorded(db) {
        struct Refuses;
        impl JobHandler for Refuses {
            fn run<'a>(&'a self, _: &'a JobContext, _: &'a ClaimedJob) -> futures::future::BoxFuture<'a, Result<(), JobError>> {
                Box::pin(async { Err(JobError::give_up("refused for good")) })
            }
        }
        jobs::enqueue_now(&db, NewJob::new("mystery", &"x")).await.unwrap();
        jobs::enqueue_now(&db, NewJob::new("refused", &"y")).await.unwrap();
        let mut worker = worker(&db, None);
        worker.register("refused", Refuses);
        assert_eq!(worker.run_until_idle().await.unwrap(), 2);

        let mystery = &jobs::list_by_kind(&db, "mystery").await.unwrap()[0];
        assert_eq!((mystery.status.as_str(), mystery.last_error.as_deref()), ("pending", Some("no handler for job kind mystery")));
        let refused = &jobs::list_by_kind(&db, "refused").await.unwrap()[0];
        assert_eq!((refused.status.as_str(), refused.attempts), ("failed", 1), "no retry when it cannot help");
    }

    async fn the_running_worker_sends_when_woken_and_stops_when_cancelled(db) {
        let smtp = SmtpServer::start();
        let user = register(&db, "Siti Aminah", Some("siti@contoh.co.id"), "081234567890").await;
        let mut config = WorkerConfig::new(PUBLIC_URL);
        // Only a wake-up can make it send within the test's time.
        config.poll_interval = Duration::from_secs(3600);
        let worker = Worker::new(db.clone(), Some(mailer(&smtp.url())), Arc::new(CatalogText), config);
        let notifier = worker.notifier();
        let cancel = CancellationToken::new();
        let running = tokio::spawn(worker.run(cancel.clone()));

        let token = accounts::create_password_reset(&db, user.id, "id", 3600).await.unwrap();
        notifier.notify_one();
        let mail = smtp.wait_for(1, Duration::from_secs(20)).await;
        assert!(mail[0].text.contains(&link(&token)));

        cancel.cancel();
        tokio::time::timeout(Duration::from_secs(10), running).await.expect("stops when cancelled").unwrap();
    }
}
