//! What the browser tests share: headless Chromium driven over WebDriver by `chromedriver` (in a
//! process group of its own, ended with the test), the Mycel router served on a local port,
//! polling waits, screenshots into `MYCEL_TEST_ARTIFACTS`, and on failure a report of what the
//! page showed and what the browser's console said.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`scripts/install-browser` installs them);
//! without them a test fails rather than passing silently.
#![allow(dead_code, clippy::expect_used)]

use fantoccini::elements::Element;
use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// How long to wait for a page to show what it should (generous: speed is never a test).
pub const PAGE_TIMEOUT: Duration = Duration::from_secs(30);
/// How often a polling wait looks again.
pub const POLL_INTERVAL: Duration = Duration::from_millis(100);
/// How often, and how far apart, chromedriver's `/status` is asked whether it is ready.
const STATUS_ATTEMPTS: u32 = 150;
const STATUS_INTERVAL: Duration = Duration::from_millis(100);

/// The workspace root (two levels above this crate).
pub fn workspace_root() -> PathBuf {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    crate_dir
        .parent()
        .and_then(Path::parent)
        .unwrap_or(crate_dir)
        .to_path_buf()
}

/// Where screenshots and logs go: `MYCEL_TEST_ARTIFACTS`, else `target/test-artifacts` (relative
/// paths counted from the workspace root).
pub fn artifacts_dir() -> PathBuf {
    let dir = match std::env::var_os("MYCEL_TEST_ARTIFACTS").filter(|v| !v.is_empty()) {
        Some(dir) => workspace_root().join(dir),
        None => workspace_root().join("target").join("test-artifacts"),
    };
    std::fs::create_dir_all(&dir)
        .unwrap_or_else(|e| panic!("cannot create the artifacts folder {}: {e}", dir.display()));
    dir
}

/// A port that was free a moment ago.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

/// A local port bound for the server, known before the app is built (so that its `public_url`
/// can name it).
pub struct Listener {
    listener: tokio::net::TcpListener,
    pub address: SocketAddr,
}

impl Listener {
    pub async fn bind() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a local port");
        let address = listener.local_addr().expect("the server's address");
        Self { listener, address }
    }

    /// `http://127.0.0.1:port`: the one host name the browser and the server's URLs use.
    pub fn base(&self) -> String {
        format!("http://{}", self.address)
    }

    /// Serves the router until the returned task is aborted.
    pub fn serve(self, router: axum::Router) -> tokio::task::JoinHandle<std::io::Result<()>> {
        let service = router.into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move { axum::serve(self.listener, service).await })
    }
}

/// A running chromedriver, in a process group of its own (with the browsers it starts); dropping it
/// ends them all, also when the test fails.
pub struct Chromedriver {
    child: Child,
    port: u16,
    pub log: PathBuf,
}

impl Chromedriver {
    /// Starts chromedriver (its log in `log_name` under the artifacts) and waits until its
    /// `/status` says it is ready.
    pub async fn start(artifacts: &Path, log_name: &str) -> Self {
        for binary in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                Path::new(binary).exists(),
                "{binary} is missing: run scripts/install-browser (it installs Debian's chromium \
                 and chromium-driver packages) before the browser tests"
            );
        }
        let port = free_port();
        let log = artifacts.join(log_name);
        let child = {
            use std::os::unix::process::CommandExt;
            Command::new(CHROMEDRIVER)
                .arg(format!("--port={port}"))
                .arg(format!("--log-path={}", log.display()))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .process_group(0)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {CHROMEDRIVER}: {e}"))
        };
        let mut driver = Self { child, port, log };
        driver.wait_until_ready().await;
        driver
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    async fn wait_until_ready(&mut self) {
        let mut last = String::from("no answer yet");
        for _ in 0..STATUS_ATTEMPTS {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "chromedriver exited with {status} before it was ready (log: {})",
                    self.log.display()
                );
            }
            match status(self.port).await {
                Ok(body) if is_ready(&body) => return,
                Ok(body) => last = body,
                Err(error) => last = error.to_string(),
            }
            tokio::time::sleep(STATUS_INTERVAL).await;
        }
        panic!(
            "chromedriver on port {} was not ready after {STATUS_ATTEMPTS} attempts; last answer: \
             {last} (log: {})",
            self.port,
            self.log.display()
        );
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // The group's id is chromedriver's pid (`process_group(0)`); the group holds only what this
        // test started.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The body of chromedriver's answer to a request. chromedriver speaks only HTTP/1.1; the body is
/// read up to its `Content-Length` (or the end of the connection).
async fn driver_request(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> std::io::Result<String> {
    let ask = async {
        let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
        let mut request =
            format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        if let Some(body) = body {
            request.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            ));
        } else {
            request.push_str("\r\n");
        }
        stream.write_all(request.as_bytes()).await?;
        let mut answer = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let read = stream.read(&mut chunk).await?;
            answer.extend_from_slice(&chunk[..read]);
            let text = String::from_utf8_lossy(&answer);
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let length = head.lines().find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.trim()
                        .eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())
                        .flatten()
                });
                if read == 0 || length.is_some_and(|n| body.len() >= n) {
                    return Ok(body.to_owned());
                }
            }
            if read == 0 {
                return Ok(text.into_owned());
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(5), ask)
        .await
        .unwrap_or_else(|_| Err(std::io::ErrorKind::TimedOut.into()))
}

async fn status(port: u16) -> std::io::Result<String> {
    driver_request(port, "GET", "/status", None).await
}

fn is_ready(body: &str) -> bool {
    serde_json::from_str::<Value>(body)
        .map(|v| v["value"]["ready"] == json!(true))
        .unwrap_or(false)
}

/// A headless Chromium with a fresh profile, asking for English pages, with its driver. Fields drop
/// in order: the session is gone before chromedriver, and the profile is removed last.
pub struct Browser {
    pub client: Client,
    driver: Chromedriver,
    profile: tempfile::TempDir,
    pub artifacts: PathBuf,
}

impl Browser {
    /// Starts chromedriver (its log as `log_name` in the artifacts) and a browser session.
    pub async fn start(log_name: &str) -> Self {
        let artifacts = artifacts_dir();
        let profile = tempfile::tempdir().expect("a temporary browser profile");
        let driver = Chromedriver::start(&artifacts, log_name).await;
        let options = json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--autoplay-policy=no-user-gesture-required",
                "--lang=en-US",
                format!("--user-data-dir={}", profile.path().display()),
            ],
            "prefs": { "intl.accept_languages": "en-US,en" },
        });
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities.insert("goog:chromeOptions".into(), options);
        capabilities.insert("goog:loggingPrefs".into(), json!({"browser": "ALL"}));
        // A dialog stays open until the test answers it (`Page::wait_for_alert`).
        capabilities.insert("unhandledPromptBehavior".into(), json!("ignore"));
        let client = ClientBuilder::rustls()
            .expect("rustls for the WebDriver client")
            .capabilities(capabilities)
            .connect(&driver.url())
            .await
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start a Chromium session through chromedriver: {e} (log: {})",
                    driver.log.display()
                )
            });
        client
            .set_window_size(1280, 900)
            .await
            .expect("set the window size");
        Self {
            client,
            driver,
            profile,
            artifacts,
        }
    }

    /// The helpers for pages of this browser.
    pub fn page(&self) -> Page {
        Page {
            client: self.client.clone(),
        }
    }

    /// Runs a walk through pages in a task of its own (so that the session can still be closed and
    /// the failure reported when an assertion fails). On failure: what the page showed (address,
    /// text), the browser's console and a screenshot `failure-{name}.png`.
    pub async fn run<T, F>(&self, name: &str, walk: F) -> Outcome<T>
    where
        T: Send + 'static,
        F: Future<Output = Result<T, CmdError>> + Send + 'static,
    {
        // A picture of an earlier failure would only mislead.
        let _ = std::fs::remove_file(self.artifacts.join(format!("failure-{name}.png")));
        let failure = match tokio::spawn(walk).await {
            Ok(Ok(value)) => return Outcome::Done(value),
            Ok(Err(error)) => Failure::Command(error),
            Err(failure) => Failure::Task(failure),
        };
        self.report_failure(name).await;
        Outcome::Failed(failure)
    }

    async fn report_failure(&self, name: &str) {
        let c = &self.client;
        // Out of any frame the walk had entered.
        let _ = self.page().leave_frames().await;
        if let Ok(url) = c.current_url().await {
            eprintln!("the page at the failure: {url}");
        }
        if let Ok(text) = c
            .execute(
                "return document.body ? document.body.innerText : '';",
                vec![],
            )
            .await
        {
            eprintln!("it showed:\n{}", text.as_str().unwrap_or_default().trim());
        }
        eprintln!("{}", console_text(&self.console().await));
        let failure = self.artifacts.join(format!("failure-{name}.png"));
        if let Ok(png) = c.screenshot().await {
            if std::fs::write(&failure, png).is_ok() {
                eprintln!("a screenshot of it: {}", failure.display());
            }
        }
        eprintln!("chromedriver's log: {}", self.driver.log.display());
    }

    /// The browser console's entries since the last call, from chromedriver's (non-W3C)
    /// `POST /session/{id}/se/log`; a note instead when it will not say.
    pub async fn console(&self) -> Vec<Value> {
        let note = |message: String| vec![json!({"level": "(none)", "message": message})];
        let Ok(Some(session)) = self.client.session_id().await else {
            return note("no session".into());
        };
        let path = format!("/session/{session}/se/log");
        let body = json!({"type": "browser"}).to_string();
        match driver_request(self.driver.port, "POST", &path, Some(&body)).await {
            Ok(answer) => match serde_json::from_str::<Value>(&answer) {
                Ok(Value::Object(mut answer)) => match answer.remove("value") {
                    Some(Value::Array(entries)) => entries,
                    other => note(format!("chromedriver answered {other:?}")),
                },
                _ => note(format!("chromedriver answered {answer}")),
            },
            Err(error) => note(format!("no console log: {error}")),
        }
    }

    /// Ends the browser session (the driver and the profile go with `self`).
    pub async fn close(self) {
        self.client
            .clone()
            .close()
            .await
            .expect("close the browser session");
    }
}

/// The browser console's entries, one per line.
pub fn console_text(entries: &[Value]) -> String {
    let mut text = String::from("the browser console:");
    if entries.is_empty() {
        text.push_str(" (nothing)");
    }
    for entry in entries {
        text.push_str(&format!(
            "\n  {} {}",
            entry["level"].as_str().unwrap_or_default(),
            entry["message"].as_str().unwrap_or_default()
        ));
    }
    text
}

/// How a walk ended.
pub enum Outcome<T> {
    Done(T),
    Failed(Failure),
}

impl Outcome<()> {
    /// Panics with the walk's failure, if any.
    pub fn check(self) {
        if let Self::Failed(failure) = self {
            failure.raise()
        }
    }
}

/// Why a walk did not finish.
pub enum Failure {
    /// A WebDriver command failed (or a wait timed out).
    Command(CmdError),
    /// The walk panicked (a failed assertion) or was cancelled.
    Task(tokio::task::JoinError),
}

impl Failure {
    /// Panics with the failure (the walk's own panic, if it panicked).
    pub fn raise(self) -> ! {
        match self {
            Self::Command(error) => panic!("a WebDriver command failed: {error}"),
            Self::Task(failure) => match failure.try_into_panic() {
                Ok(panic) => std::panic::resume_unwind(panic),
                Err(failure) => panic!("the walk did not finish: {failure}"),
            },
        }
    }
}

/// Waiting for, reading and filling in what a page shows.
#[derive(Clone)]
pub struct Page {
    pub client: Client,
}

impl Page {
    /// Waits until the element is on the page (or in the frame entered).
    pub async fn element(&self, css: &str) -> Result<Element, CmdError> {
        self.client
            .wait()
            .at_most(PAGE_TIMEOUT)
            .every(POLL_INTERVAL)
            .for_element(Locator::Css(css))
            .await
            .map_err(|e| explain(e, css))
    }

    /// Waits until the element is on the page and displayed, then clicks it.
    pub async fn click(&self, css: &str) -> Result<(), CmdError> {
        let element = self.element(css).await?;
        let deadline = Instant::now() + PAGE_TIMEOUT;
        while !element.is_displayed().await? || !element.is_enabled().await? {
            if Instant::now() > deadline {
                eprintln!("timed out after {PAGE_TIMEOUT:?} waiting for {css} to be clickable");
                return Err(CmdError::WaitTimeout);
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
        element.click().await
    }

    /// Waits until the browser is at this path (with query) of the server.
    pub async fn wait_for_path(&self, path_and_query: &str) -> Result<(), CmdError> {
        let here = self.client.current_url().await?;
        let target = here
            .join(path_and_query)
            .expect("a path joins onto the current address");
        self.client
            .wait()
            .at_most(PAGE_TIMEOUT)
            .every(POLL_INTERVAL)
            .for_url(&target)
            .await
            .map_err(|e| explain(e, path_and_query))
    }

    /// Waits until the script returns `true` (it runs in the page or frame entered).
    pub async fn wait_for_script(&self, what: &str, script: &str) -> Result<(), CmdError> {
        let deadline = Instant::now() + PAGE_TIMEOUT;
        loop {
            if self.client.execute(script, vec![]).await? == json!(true) {
                return Ok(());
            }
            if Instant::now() > deadline {
                eprintln!("timed out after {PAGE_TIMEOUT:?} waiting for {what}");
                return Err(CmdError::WaitTimeout);
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }

    /// Waits until the page shows an alert or confirm dialog; answers its text.
    pub async fn wait_for_alert(&self) -> Result<String, CmdError> {
        let deadline = Instant::now() + PAGE_TIMEOUT;
        loop {
            match self.client.get_alert_text().await {
                Ok(text) => return Ok(text),
                Err(CmdError::Standard(error))
                    if error.error == fantoccini::error::ErrorStatus::NoSuchAlert => {}
                Err(error) => return Err(error),
            }
            if Instant::now() > deadline {
                eprintln!("timed out after {PAGE_TIMEOUT:?} waiting for a dialog");
                return Err(CmdError::WaitTimeout);
            }
            tokio::time::sleep(POLL_INTERVAL).await;
        }
    }

    /// Enters the iframe the selector names (inside the frame entered so far), once it is there.
    pub async fn enter_frame(&self, css: &str) -> Result<(), CmdError> {
        self.element(css).await?.enter_frame().await
    }

    /// Back to the top-level page (from frames nested up to four deep; going to the parent of the
    /// top-level page changes nothing).
    pub async fn leave_frames(&self) -> Result<(), CmdError> {
        for _ in 0..4 {
            self.client.enter_parent_frame().await?;
        }
        Ok(())
    }

    pub async fn text(&self, css: &str) -> Result<String, CmdError> {
        self.client.find(Locator::Css(css)).await?.text().await
    }

    pub async fn attr(&self, css: &str, name: &str) -> Result<Option<String>, CmdError> {
        self.client.find(Locator::Css(css)).await?.attr(name).await
    }

    pub async fn prop(&self, css: &str, name: &str) -> Result<String, CmdError> {
        Ok(self
            .client
            .find(Locator::Css(css))
            .await?
            .prop(name)
            .await?
            .unwrap_or_default())
    }

    pub async fn fill(&self, css: &str, value: &str) -> Result<(), CmdError> {
        let field = self.element(css).await?;
        field.clear().await?;
        field.send_keys(value).await
    }

    /// A screenshot of the whole window into `path`.
    pub async fn screenshot(&self, path: &Path) -> Result<(), CmdError> {
        let png = self.client.screenshot().await?;
        assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
        std::fs::write(path, &png)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        Ok(())
    }

    /// Logs in through the login form and waits for "My learning".
    pub async fn log_in(
        &self,
        base: &str,
        organisation: &str,
        email: &str,
        password: &str,
    ) -> Result<(), CmdError> {
        self.client.goto(&format!("{base}/login")).await?;
        self.fill("#organisation", organisation).await?;
        self.fill("#email", email).await?;
        self.fill("#password", password).await?;
        self.click("#login-submit").await?;
        self.wait_for_path("/learn").await
    }
}

fn explain(error: CmdError, waited_for: &str) -> CmdError {
    if matches!(error, CmdError::WaitTimeout) {
        eprintln!("timed out after {PAGE_TIMEOUT:?} waiting for {waited_for}");
    }
    error
}
