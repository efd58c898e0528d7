//! An acknowledged report survives SIGKILL. A burst of concurrent filings
//! over HTTP, each with its own Idempotency-Key; the server is killed
//! (SIGKILL, no chance to flush anything) in the middle; restarted on the
//! same database. Every report whose tracking number came back is there;
//! every key sent again (acknowledged or not) files at most once, so the
//! database holds exactly one report per key. On SQLite and PostgreSQL.

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jembatan_store::testing::TestDatabase;
use jembatan_store::{Backend, aspirations};
use serde_json::{Value, json};

/// Concurrent clients of the burst.
const CLIENTS: usize = 8;
/// Acknowledged filings to wait for before the kill.
const ACKED_BEFORE_KILL: usize = 40;

/// One filing of the burst: its key, its body, and its tracking number if
/// the server acknowledged it.
type Sent = (String, Value, Option<String>);

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Starts `jembatan serve` on `database` and waits until it is ready.
async fn start(database: &TestDatabase, port: u16, search_dir: &std::path::Path) -> Child {
    let server = Command::new(env!("CARGO_BIN_EXE_jembatan"))
        .arg("serve")
        .env("JEMBATAN_DATABASE_URL", &database.url)
        .env("JEMBATAN_BIND", format!("127.0.0.1:{port}"))
        .env("JEMBATAN_SEARCH_DIR", search_dir)
        .env("JEMBATAN_REPORTS_PER_IP_PER_MINUTE", "1000000")
        .env("JEMBATAN_REPORTS_PER_CONTACT_PER_HOUR", "1000000")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start jembatan serve");
    let mut server = server;
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let ready = client.get(format!("http://127.0.0.1:{port}/readyz")).send().await;
        if ready.is_ok_and(|r| r.status().is_success()) {
            return server;
        }
        if Instant::now() > deadline {
            server.kill().ok();
            server.wait().ok();
            panic!("the server did not become ready");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn report(client: usize, n: usize) -> Value {
    json!({
        "class": "pengaduan",
        "title": format!("Laporan beruntun {client}-{n}"),
        "description": format!("Laporan nomor {n} dari klien {client} saat server dimatikan paksa."),
        "category": "lainnya",
        "region": "35.23.01.2001",
        "name": "Penguji Daya Tahan",
        "phone": format!("0813{:04}{:04}", client, n % 10_000),
    })
}

async fn post(client: &reqwest::Client, port: u16, key: &str, body: &Value) -> reqwest::Result<reqwest::Response> {
    client
        .post(format!("http://127.0.0.1:{port}/api/v1/aspirations"))
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
}

async fn acknowledged_reports_survive_sigkill(backend: Backend) {
    let Some(database) = TestDatabase::create(backend).await else { return };
    let search_dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = start(&database, port, search_dir.path()).await;

    // (key, body, tracking number if acknowledged)
    let sent: Arc<Mutex<Vec<Sent>>> = Arc::default();
    let acked = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut clients = Vec::new();
    for c in 0..CLIENTS {
        let (sent, acked) = (sent.clone(), acked.clone());
        clients.push(tokio::spawn(async move {
            let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
            for n in 0..10_000 {
                let key = format!("kill-{c}-{n}");
                let body = report(c, n);
                let answer = post(&client, port, &key, &body).await;
                let tracking = match answer {
                    Ok(response) if response.status() == 201 => {
                        let json: Value = response.json().await.unwrap_or_default();
                        json["tracking"].as_str().map(str::to_owned)
                    }
                    _ => None,
                };
                let stop = tracking.is_none();
                if tracking.is_some() {
                    acked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                sent.lock().unwrap().push((key, body, tracking));
                if stop {
                    return;
                }
            }
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    while acked.load(std::sync::atomic::Ordering::Relaxed) < ACKED_BEFORE_KILL {
        assert!(Instant::now() < deadline, "the burst did not get going");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().expect("SIGKILL");
    server.wait().unwrap();
    for client in clients {
        client.await.unwrap();
    }
    let sent = std::mem::take(&mut *sent.lock().unwrap());
    let acknowledged: Vec<&Sent> = sent.iter().filter(|s| s.2.is_some()).collect();
    assert!(acknowledged.len() >= ACKED_BEFORE_KILL);

    let mut server = start(&database, port, search_dir.path()).await;
    let client = reqwest::Client::new();
    for (_, _, tracking) in &acknowledged {
        let tracking = tracking.as_ref().unwrap();
        let response =
            client.get(format!("http://127.0.0.1:{port}/api/v1/aspirations/{tracking}")).send().await.unwrap();
        assert_eq!(response.status(), 200, "acknowledged {tracking} is stored");
    }
    // Every key again: an acknowledged one answers with its first report;
    // one cut off by the kill files now, or (committed, unanswered) replays.
    for (key, body, tracking) in &sent {
        let response = post(&client, port, key, body).await.unwrap();
        assert_eq!(response.status(), 201, "{key}");
        let replayed = response.headers().get("idempotent-replayed").is_some();
        let json: Value = response.json().await.unwrap();
        if let Some(tracking) = tracking {
            assert!(replayed, "{key} was stored once");
            assert_eq!(json["tracking"], tracking.as_str());
        }
    }
    let db = database.connect().await.unwrap();
    assert_eq!(aspirations::count(&db).await.unwrap(), sent.len() as i64, "one report per key, none twice");
    server.kill().unwrap();
    server.wait().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_reports_survive_sigkill_on_sqlite() {
    acknowledged_reports_survive_sigkill(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_reports_survive_sigkill_on_postgres() {
    acknowledged_reports_survive_sigkill(Backend::Postgres).await;
}
