//! `jembatan serve` shuts down gracefully on SIGTERM: a request already in
//! flight is answered, then the process exits successfully.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use jembatan_store::Backend;
use jembatan_store::testing::TestDatabase;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_requests_in_flight() {
    let database = TestDatabase::create(Backend::Sqlite).await.unwrap();
    let port = free_port();
    let search_dir = tempfile::tempdir().unwrap();
    let mut server = Command::new(env!("CARGO_BIN_EXE_jembatan"))
        .arg("serve")
        .env("JEMBATAN_DATABASE_URL", &database.url)
        .env("JEMBATAN_BIND", format!("127.0.0.1:{port}"))
        .env("JEMBATAN_SEARCH_DIR", search_dir.path())
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start jembatan serve");
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut stream = loop {
        match TcpStream::connect(("127.0.0.1", port)) {
            Ok(stream) => break stream,
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => panic!("server did not start: {e}"),
        }
    };
    // Half a request: the server is now serving this connection.
    stream.write_all(b"GET /wilayah/35.23 HTTP/1.1\r\nHost: 127.0.0.1\r\n").unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let status = Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    assert!(status.success());
    std::thread::sleep(Duration::from_millis(200));
    stream.write_all(b"Connection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{}", response.lines().next().unwrap_or_default());
    assert!(response.contains("Kabupaten Tuban"));
    let exit = server.wait().unwrap();
    assert!(exit.success(), "exits cleanly after SIGTERM: {exit}");
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err(), "no longer listening");
}
