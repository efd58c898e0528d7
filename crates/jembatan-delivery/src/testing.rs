//! A real SMTP server for tests: Python's `aiosmtpd`, storing every message
//! it accepts in a maildir that [`SmtpServer::messages`] reads back decoded.
//!
//! The interpreter is `$JEMBATAN_TEST_PYTHON` (scripts/test points it at a
//! virtualenv holding aiosmtpd), else `python3`. Without aiosmtpd the tests
//! fail, saying how to install it: a mail test that skips proves nothing.

use std::fs::File;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The environment variable naming the Python interpreter for tests.
pub const PYTHON_VAR: &str = "JEMBATAN_TEST_PYTHON";

/// Reads a maildir and prints its messages, oldest first, as JSON with
/// headers and bodies decoded (RFC 2047 words, quoted-printable, base64).
const READ_MAILDIR: &str = r#"
import email, email.policy, email.utils, json, mailbox, sys
box = mailbox.Maildir(sys.argv[1], factory=None, create=False)
found = []
for key in box.keys():
    delivered = box.get_message(key).get_date()
    msg = email.message_from_bytes(box.get_bytes(key), policy=email.policy.default)
    body = msg.get_body(preferencelist=("plain",))
    to = [addr for _, addr in email.utils.getaddresses([str(msg.get("To", ""))])]
    found.append((delivered, key, {
        "to": to[0] if to else "",
        "from": str(msg.get("From", "")),
        "subject": str(msg.get("Subject", "")),
        "text": body.get_content() if body is not None else "",
    }))
found.sort(key=lambda item: (item[0], item[1]))
json.dump([item[2] for item in found], sys.stdout)
"#;

/// An e-mail the test server received, decoded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct ReceivedMail {
    /// The first recipient's address.
    pub to: String,
    /// The From header as written.
    pub from: String,
    pub subject: String,
    /// The plain-text body.
    pub text: String,
}

/// A running SMTP server; stopped and its maildir removed when dropped.
pub struct SmtpServer {
    pub port: u16,
    pub maildir: PathBuf,
    python: String,
    child: Child,
    _folder: tempfile::TempDir,
}

impl std::fmt::Debug for SmtpServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpServer").field("port", &self.port).field("maildir", &self.maildir).finish()
    }
}

/// The interpreter tests use.
pub fn python() -> String {
    std::env::var(PYTHON_VAR).ok().filter(|p| !p.trim().is_empty()).unwrap_or_else(|| "python3".into())
}

/// A port nothing listens on (taken from the OS, then released).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free local port").port()
}

/// An SMTP URL where nothing answers, to test what happens when the
/// server is down.
pub fn unreachable_url() -> String {
    format!("smtp://127.0.0.1:{}", free_port())
}

impl SmtpServer {
    /// Starts a server on a free local port and waits until it accepts
    /// connections. Panics (failing the test) when aiosmtpd is missing.
    pub fn start() -> SmtpServer {
        let python = python();
        let probe = Command::new(&python).args(["-c", "import aiosmtpd"]).stderr(Stdio::null()).status();
        if !probe.is_ok_and(|s| s.success()) {
            panic!(
                "the SMTP tests need Python's aiosmtpd, which `{python}` cannot import: run the tests through \
                 scripts/test (it sets {PYTHON_VAR} to a virtualenv with it) or `pip install aiosmtpd`"
            );
        }
        let folder = tempfile::tempdir().expect("temporary folder");
        let maildir = folder.path().join("maildir");
        let log = folder.path().join("aiosmtpd.log");
        let port = free_port();
        let child = Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(File::create(&log).expect("server log"))
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start `{python} -m aiosmtpd`: {e}"));
        let mut server = SmtpServer { port, maildir, python, child, _folder: folder };
        server.wait_until_listening(&log);
        server
    }

    fn wait_until_listening(&mut self, log: &Path) {
        let address = SocketAddr::from(([127, 0, 0, 1], self.port));
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                let output = std::fs::read_to_string(log).unwrap_or_default();
                panic!("aiosmtpd exited ({status}) before listening:\n{output}");
            }
            if Instant::now() > deadline {
                panic!("aiosmtpd did not listen on port {} within 20 s", self.port);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The URL to configure a [`crate::Mailer`] with.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// How many messages arrived so far (cheap: counts files).
    pub fn count(&self) -> usize {
        ["new", "cur"]
            .iter()
            .filter_map(|sub| std::fs::read_dir(self.maildir.join(sub)).ok())
            .map(|entries| entries.filter_map(Result::ok).filter(|e| e.path().is_file()).count())
            .sum()
    }

    /// Every message received so far, oldest first, decoded.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        if self.count() == 0 {
            return Vec::new();
        }
        let output = Command::new(&self.python)
            .args(["-c", READ_MAILDIR])
            .arg(&self.maildir)
            .output()
            .unwrap_or_else(|e| panic!("cannot run `{}` to read the maildir: {e}", self.python));
        assert!(output.status.success(), "reading the maildir failed: {}", String::from_utf8_lossy(&output.stderr));
        serde_json::from_slice(&output.stdout).expect("maildir reader output")
    }

    /// Waits until at least `n` messages arrived (for tests where a worker
    /// runs in the background) and returns them; panics after `timeout`.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let deadline = Instant::now() + timeout;
        while self.count() < n {
            if Instant::now() > deadline {
                panic!("expected {n} e-mails within {timeout:?}, got {}", self.count());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        self.messages()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
