//! Debian's chromedriver as a child process, and a headless Chromium
//! session driven through it with fantoccini.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// Debian's `chromium` package; `JEMBATAN_TEST_CHROMIUM` overrides.
const CHROMIUM: &str = "chromium";
/// Debian's `chromium-driver` package; `JEMBATAN_TEST_CHROMEDRIVER` overrides.
const CHROMEDRIVER: &str = "chromedriver";

/// How long one element or page may take to appear.
pub const WAIT: Duration = Duration::from_secs(15);

/// The program named by `var`, else `name` on `PATH` or in `/usr/bin`;
/// panics (the tests fail, they never skip) with what to install.
fn program(var: &str, name: &str, package: &str) -> PathBuf {
    let path = match std::env::var_os(var) {
        Some(path) => PathBuf::from(path),
        None => std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .chain([PathBuf::from("/usr/bin")])
            .map(|dir| dir.join(name))
            .find(|path| path.is_file())
            .unwrap_or_else(|| PathBuf::from(name)),
    };
    assert!(
        path.is_file(),
        "{} not found: the browser tests need Debian's {package} package \
         (scripts/test installs it: apt-get install chromium chromium-driver), or {var} naming it",
        path.display()
    );
    path
}

/// A port nobody listens on right now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// A running chromedriver, stopped (with its browsers) when dropped.
pub struct ChromeDriver {
    child: Child,
    port: u16,
}

impl ChromeDriver {
    /// Starts chromedriver on a free port of 127.0.0.1, logging to
    /// `dir/chromedriver.log`, and waits until it is ready.
    /// Panics with what to install when chromedriver or Chromium is missing.
    pub async fn start(dir: &Path) -> anyhow::Result<ChromeDriver> {
        let binary = program("JEMBATAN_TEST_CHROMEDRIVER", CHROMEDRIVER, "chromium-driver");
        program("JEMBATAN_TEST_CHROMIUM", CHROMIUM, "chromium");
        let log = dir.join("chromedriver.log");
        let port = free_port();
        let child = Command::new(&binary)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        let mut driver = ChromeDriver { child, port };
        let started = Instant::now();
        loop {
            if driver.ready() {
                return Ok(driver);
            }
            if let Ok(Some(status)) = driver.child.try_wait() {
                bail!("chromedriver exited at start ({status})");
            }
            if started.elapsed() > WAIT {
                bail!("chromedriver not ready after {WAIT:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Whether `/status` answers that the driver is ready.
    fn ready(&self) -> bool {
        self.raw_get("/status").is_some_and(|body| body.contains("\"ready\":true"))
    }

    /// A blocking GET on the driver (usable in `Drop`, outside any runtime).
    fn raw_get(&self, path: &str) -> Option<String> {
        let mut stream =
            TcpStream::connect_timeout(&([127, 0, 0, 1], self.port).into(), Duration::from_secs(1)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").ok()?;
        // chromedriver keeps the connection open: read up to Content-Length.
        let mut bytes = Vec::new();
        let mut chunk = [0_u8; 4096];
        loop {
            let text = String::from_utf8_lossy(&bytes);
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let length = head.lines().find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length").then(|| value.trim().parse::<usize>().ok())?
                });
                if length.is_some_and(|n| body.len() >= n) {
                    return Some(body.to_owned());
                }
            }
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => return text.split_once("\r\n\r\n").map(|(_, body)| body.to_owned()),
                Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            }
        }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        // `/shutdown` closes the browsers it started; killing it would orphan them.
        let _ = self.raw_get("/shutdown");
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// How a browser session is set up.
#[derive(Debug, Clone, Copy)]
pub struct SessionOptions {
    pub javascript: bool,
    /// Window width and height in CSS pixels.
    pub window: (u32, u32),
}

impl SessionOptions {
    pub const DESKTOP: SessionOptions = SessionOptions { javascript: true, window: (1280, 900) };
    pub const NO_SCRIPT: SessionOptions = SessionOptions { javascript: false, window: (1280, 900) };
    pub const PHONE: SessionOptions = SessionOptions { javascript: true, window: (320, 800) };
}

/// One headless Chromium session pointed at the application.
pub struct Browser {
    client: Client,
    base: String,
}

impl Browser {
    /// Opens a session with a fresh profile in `profile`.
    pub async fn open(
        driver: &ChromeDriver,
        base: &str,
        profile: &Path,
        options: SessionOptions,
    ) -> anyhow::Result<Browser> {
        let chromium = program("JEMBATAN_TEST_CHROMIUM", CHROMIUM, "chromium");
        let mut args = vec![
            "--headless".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--disable-quic".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            format!("--user-data-dir={}", profile.display()),
            format!("--window-size={},{}", options.window.0, options.window.1),
        ];
        let mut prefs = json!({
            "credentials_enable_service": false,
            "profile.password_manager_enabled": false,
            "profile.password_manager_leak_detection": false,
        });
        if !options.javascript {
            args.push("--blink-settings=scriptEnabled=false".to_owned());
            prefs["webkit.webprefs.javascript_enabled"] = json!(false);
            prefs["profile.managed_default_content_settings.javascript"] = json!(2);
        }
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chromium, "args": args, "prefs": prefs },
            "timeouts": { "pageLoad": 30_000, "script": 10_000 },
        });
        let serde_json::Value::Object(capabilities) = capabilities else { unreachable!("an object") };
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = tokio::time::timeout(
            Duration::from_secs(60),
            ClientBuilder::new(connector).capabilities(capabilities).connect(&driver.url()),
        )
        .await
        .map_err(|_| anyhow!("Chromium did not start within 60 s"))?
        .context("open a Chromium session through chromedriver")?;
        let browser = Browser { client, base: base.to_owned() };
        if options.window.0 < 1000 {
            browser.client.set_window_size(options.window.0, options.window.1).await.context("set the window size")?;
        }
        Ok(browser)
    }

    /// Ends the session (Chromium exits).
    pub async fn close(self) {
        let _ = self.client.close().await;
    }

    /// Opens `path` of the application.
    pub async fn goto(&self, path: &str) -> anyhow::Result<()> {
        self.client.goto(&format!("{}{path}", self.base)).await.with_context(|| format!("open {path}"))
    }

    /// Opens any URL (e.g. a `data:` page).
    pub async fn goto_url(&self, url: &str) -> anyhow::Result<()> {
        self.client.goto(url).await.with_context(|| format!("open {url}"))
    }

    /// The path (and query) of the page shown.
    pub async fn path(&self) -> anyhow::Result<String> {
        let url = self.client.current_url().await?;
        Ok(match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        })
    }

    pub async fn title(&self) -> anyhow::Result<String> {
        Ok(self.client.title().await?)
    }

    /// Waits for an element to appear, up to [`WAIT`].
    pub async fn wait_for(&self, locator: Locator<'_>, what: &str) -> anyhow::Result<Element> {
        self.client
            .wait()
            .at_most(WAIT)
            .every(Duration::from_millis(50))
            .for_element(locator)
            .await
            .with_context(|| format!("waiting {WAIT:?} for {what} ({locator:?})"))
    }

    /// Waits for the page heading to read `text`.
    pub async fn heading(&self, text: &str) -> anyhow::Result<Element> {
        let xpath = format!("//h1[normalize-space()={}]", xpath_literal(text));
        self.wait_for(Locator::XPath(&xpath), &format!("the heading {text:?}")).await
    }

    /// Waits for some element's text to be exactly `text` (after trimming).
    pub async fn text(&self, text: &str) -> anyhow::Result<Element> {
        let xpath = format!("//body//*[normalize-space()={}]", xpath_literal(text));
        self.wait_for(Locator::XPath(&xpath), &format!("the text {text:?}")).await
    }

    /// Clicks the link whose visible text is `text` inside `scope`, an XPath
    /// such as `//main` or `//header`.
    pub async fn click_link(&self, scope: &str, text: &str) -> anyhow::Result<()> {
        let xpath = format!("{scope}//a[normalize-space()={}]", xpath_literal(text));
        let link = self.wait_for(Locator::XPath(&xpath), &format!("a link {text:?} in {scope}")).await?;
        link.click().await.with_context(|| format!("click the link {text:?}"))
    }

    /// Clicks the link pointing at `href` (as written in the page).
    pub async fn click_href(&self, href: &str) -> anyhow::Result<()> {
        let css = format!("main a[href=\"{href}\"]");
        let link = self.wait_for(Locator::Css(&css), &format!("a link to {href}")).await?;
        link.click().await.with_context(|| format!("click the link to {href}"))
    }

    /// Types `value` into the field named `name` of the form posting to `action`.
    pub async fn type_into(&self, action: &str, name: &str, value: &str) -> anyhow::Result<()> {
        let css = format!("form[action=\"{action}\"] [name=\"{name}\"]");
        let field = self.wait_for(Locator::Css(&css), &format!("the field {name} of {action}")).await?;
        field.clear().await.with_context(|| format!("clear {name}"))?;
        field.send_keys(value).await.with_context(|| format!("type into {name}"))
    }

    /// Ticks the checkbox named `name` of the form posting to `action`.
    pub async fn tick(&self, action: &str, name: &str) -> anyhow::Result<()> {
        let css = format!("form[action=\"{action}\"] input[type=checkbox][name=\"{name}\"]");
        let checkbox = self.wait_for(Locator::Css(&css), &format!("the checkbox {name} of {action}")).await?;
        if !checkbox.is_selected().await? {
            checkbox.click().await.with_context(|| format!("tick {name}"))?;
        }
        if !checkbox.is_selected().await? {
            bail!("the checkbox {name} of {action} did not tick");
        }
        Ok(())
    }

    /// Picks the radio button or checkbox named `name` with `value` of the
    /// form posting to `action` (one of several sharing the name).
    pub async fn pick(&self, action: &str, name: &str, value: &str) -> anyhow::Result<()> {
        let css = format!("form[action=\"{action}\"] input[name=\"{name}\"][value=\"{value}\"]");
        let input = self.wait_for(Locator::Css(&css), &format!("the choice {name}={value} of {action}")).await?;
        if !input.is_selected().await? {
            input.click().await.with_context(|| format!("pick {name}={value}"))?;
        }
        if !input.is_selected().await? {
            bail!("the choice {name}={value} of {action} is not selected after clicking it");
        }
        Ok(())
    }

    /// Chooses the file at `path` in the file input named `name` of the
    /// form posting to `action`, as a person does in the file picker.
    pub async fn attach(&self, action: &str, name: &str, path: &Path) -> anyhow::Result<()> {
        let css = format!("form[action=\"{action}\"] input[type=file][name=\"{name}\"]");
        let input = self.wait_for(Locator::Css(&css), &format!("the file input {name} of {action}")).await?;
        input
            .send_keys(&path.display().to_string())
            .await
            .with_context(|| format!("choose {} in {name}", path.display()))
    }

    /// Reloads the page shown, revalidating it with the server.
    pub async fn reload(&self) -> anyhow::Result<()> {
        self.client.refresh().await.context("reload the page")
    }

    /// Chooses the option with `value` in the select named `name` of the
    /// form posting to `action`.
    pub async fn choose(&self, action: &str, name: &str, value: &str) -> anyhow::Result<()> {
        let css = format!("form[action=\"{action}\"] select[name=\"{name}\"]");
        let select = self.wait_for(Locator::Css(&css), &format!("the choice {name} of {action}")).await?;
        select.select_by_value(value).await.with_context(|| format!("choose {value} in {name}"))
    }

    /// Clicks the submit button labelled `label` of the form posting to `action`.
    pub async fn submit(&self, action: &str, label: &str) -> anyhow::Result<()> {
        let xpath = format!(
            "//form[@action={}]//button[@type='submit' and normalize-space()={}]",
            xpath_literal(action),
            xpath_literal(label)
        );
        let button = self.wait_for(Locator::XPath(&xpath), &format!("the button {label:?} of {action}")).await?;
        button.click().await.with_context(|| format!("click {label:?}"))
    }

    /// The visible text of every element matching `css`.
    pub async fn texts(&self, css: &str) -> anyhow::Result<Vec<String>> {
        let mut texts = Vec::new();
        for element in self.client.find_all(Locator::Css(css)).await? {
            texts.push(element.text().await?.trim().to_owned());
        }
        Ok(texts)
    }

    /// The attribute `name` of every element matching `css`.
    pub async fn attrs(&self, css: &str, name: &str) -> anyhow::Result<Vec<String>> {
        let mut values = Vec::new();
        for element in self.client.find_all(Locator::Css(css)).await? {
            values.push(element.attr(name).await?.unwrap_or_default());
        }
        Ok(values)
    }

    /// Runs `script` in the page and returns its result.
    pub async fn eval(&self, script: &str) -> anyhow::Result<serde_json::Value> {
        self.client.execute(script, Vec::new()).await.with_context(|| format!("run {script:?}"))
    }

    /// Saves a screenshot and the page source beside `png`; returns what it saved.
    pub async fn save_failure(&self, png: &Path) -> Vec<PathBuf> {
        let mut saved = Vec::new();
        if let Ok(bytes) = self.client.screenshot().await
            && std::fs::write(png, bytes).is_ok()
        {
            saved.push(png.to_owned());
        }
        let html = png.with_extension("html");
        if let Ok(source) = self.client.source().await
            && std::fs::write(&html, source).is_ok()
        {
            saved.push(html);
        }
        saved
    }
}

/// An XPath string literal for `text`, whatever quotes it holds.
fn xpath_literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        let parts: Vec<String> = text.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}
