//! Headless Debian Chromium driven over WebDriver (chromedriver), shared by
//! the browser tests (`browser.rs`, `search.rs`). See
//! ../shared/recipes/browser-tests.md for why fantoccini and these flags.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::wd::{TimeoutConfiguration, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};

/// Kills chromedriver's process group, Chromium included, even on panic.
pub(crate) struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        // SAFETY: kill(2) with a negative pid signals the process group that
        // `process_group(0)` gave chromedriver; it touches no memory.
        unsafe { libc::kill(-(self.0.id() as i32), libc::SIGKILL) };
        let _ = self.0.wait();
    }
}

/// chromedriver's extensions: `se/log` (browser log), `goog/cdp/execute` (DevTools).
#[derive(Debug)]
pub(crate) struct Goog(pub &'static str, pub Value);

impl WebDriverCompatibleCommand for Goog {
    fn endpoint(&self, base: &url::Url, id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/{}", id.unwrap_or_default(), self.0))
    }
    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.1.to_string()))
    }
}

// Only the layout and print checks of browser.rs use DevTools.
#[allow(dead_code)]
pub(crate) async fn cdp(c: &Client, cmd: &str, params: Value) -> Value {
    c.issue_cmd(Goog(
        "goog/cdp/execute",
        json!({"cmd": cmd, "params": params}),
    ))
    .await
    .unwrap_or_else(|e| panic!("DevTools {cmd}: {e}"))
}

pub(crate) async fn start_browser(profile: &Path) -> (Driver, Client) {
    let mut child = Command::new("chromedriver")
        .arg("--port=0")
        .process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver (apt-get install chromium-driver; see .ci/browser-setup)");
    let driver_out = child.stdout.take().expect("stdout");
    let driver = Driver(child);
    let line = BufReader::new(driver_out)
        .lines()
        .map_while(Result::ok)
        .find(|l| l.contains("started successfully"))
        .expect("chromedriver did not start");
    let port = line.trim_end_matches('.').rsplit(' ').next().expect("port");
    let caps = json!({
        "browserName": "chrome",
        "goog:loggingPrefs": {"browser": "ALL"},
        "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
            "--lang=en-US", format!("--user-data-dir={}", profile.display())]}
    });
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps.as_object().expect("caps").clone())
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("WebDriver session");
    client
        .update_timeouts(TimeoutConfiguration::new(
            Some(Duration::from_secs(120)),
            Some(Duration::from_secs(60)),
            Some(Duration::from_secs(0)),
        ))
        .await
        .expect("timeouts");
    (driver, client)
}

/// Browser log entries at level SEVERE since the last read: console errors,
/// uncaught exceptions, failed and 4xx/5xx requests.
pub(crate) async fn severe_log(c: &Client) -> Vec<String> {
    let log = c
        .issue_cmd(Goog("se/log", json!({"type": "browser"})))
        .await
        .expect("read browser log");
    log.as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["level"] == "SEVERE")
        .map(|e| e["message"].as_str().unwrap_or_default().to_string())
        .collect()
}
