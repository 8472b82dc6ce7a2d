//! A fixture site in a temp dir, built with the real `briefly` binary.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use assert_fs::TempDir;

#[path = "../support/fixtures.rs"]
mod fixtures;
pub(crate) use fixtures::copy_tree;

pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) struct TestSite {
    pub dir: TempDir,
}

impl TestSite {
    /// `tests/fixtures/site` plus the repository's default theme.
    pub(crate) fn fixture() -> Self {
        let site = Self::empty();
        copy_tree(&repo().join("tests/fixtures/site"), site.root());
        copy_tree(
            &repo().join("themes/default"),
            &site.root().join("themes/default"),
        );
        site
    }

    pub(crate) fn empty() -> Self {
        TestSite {
            dir: TempDir::new().expect("temp dir"),
        }
    }

    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn write(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }

    /// Runs `briefly check` with `args`: whether it passed, and its stdout
    /// and stderr together.
    pub(crate) fn check(&self, args: &[&str]) -> (bool, String) {
        let output = self
            .cmd()
            .arg("check")
            .args(args)
            .output()
            .expect("run check");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        (output.status.success(), text)
    }

    /// Replaces the first `from` in the file at `rel` with `to`.
    pub(crate) fn edit(&self, rel: &str, from: &str, to: &str) {
        let path = self.root().join(rel);
        let text = fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{rel} has no {from:?}");
        fs::write(&path, text.replacen(from, to, 1)).expect("write");
    }

    /// Builds without the build cache (with `args`) into `clean/` and
    /// asserts that `output/` holds the same bytes.
    pub(crate) fn assert_output_as_clean_build(&self, args: &[&str]) {
        let clean_dir = self.root().join("clean");
        let mut clean = vec!["--no-cache", "--output", clean_dir.to_str().expect("utf-8")];
        clean.extend_from_slice(args);
        self.build(&clean).success();
        let (with, without) = (
            snapshot_tree(&self.root().join("output")),
            snapshot_tree(&clean_dir),
        );
        let differ: Vec<&PathBuf> = (with.keys().chain(without.keys()))
            .filter(|p| with.get(*p) != without.get(*p))
            .collect();
        assert!(
            differ.is_empty(),
            "output/ and a clean build differ: {differ:?}"
        );
    }

    pub(crate) fn remove(&self, rel: &str) {
        fs::remove_file(self.root().join(rel)).expect("remove");
    }

    pub(crate) fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("briefly").expect("binary");
        cmd.current_dir(self.root());
        cmd
    }

    /// `briefly build` with extra arguments.
    pub(crate) fn build(&self, args: &[&str]) -> assert_cmd::assert::Assert {
        self.cmd().arg("build").args(args).assert()
    }

    pub(crate) fn out(&self, rel: &str) -> String {
        let path = self.root().join("output").join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    pub(crate) fn out_exists(&self, rel: &str) -> bool {
        self.root().join("output").join(rel).exists()
    }

    /// The filters Pagefind recorded for the page at `url` (its fragment in
    /// the built `pagefind/`, gzipped JSON after a `pagefind_dcd` signature):
    /// the facets, which published pages no longer carry.
    pub(crate) fn search_filters(&self, url: &str) -> serde_json::Value {
        use std::io::Read;
        let dir = self.root().join("output/pagefind/fragment");
        for entry in fs::read_dir(&dir).expect("pagefind/fragment").flatten() {
            let bytes = fs::read(entry.path()).expect("read fragment");
            let mut text = String::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut text)
                .expect("gzipped fragment");
            let json = text.trim_start_matches("pagefind_dcd");
            let fragment: serde_json::Value = serde_json::from_str(json).expect("fragment JSON");
            if fragment["url"] == url {
                return fragment["filters"].clone();
            }
        }
        panic!("no fragment for {url} in {}", dir.display())
    }
}

/// Every file under `dir` with its bytes, keyed by relative path.
pub(crate) fn snapshot_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("prefix").to_path_buf();
            (rel, fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// The stderr of a finished command as text.
pub(crate) fn stderr(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

/// Values of `attr="..."` in an HTML text (our templates always quote attributes).
pub(crate) fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// Checks that every local `href` and `src` of every HTML page under `out`
/// starts with `base_path` and points to a file there; returns how many
/// were checked.
pub(crate) fn assert_local_links_resolve(out: &Path, base_path: &str) -> usize {
    let mut checked = 0;
    for (path, bytes) in snapshot_tree(out) {
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        for url in attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
        {
            if ["https://", "http://", "#", "mailto:", "data:"]
                .iter()
                .any(|p| url.starts_with(p))
            {
                continue;
            }
            let local = url.strip_prefix(base_path).unwrap_or_else(|| {
                panic!(
                    "{}: link {url} does not start with the base path {base_path}",
                    path.display()
                )
            });
            let local = local.split('#').next().unwrap_or_default();
            let target = if local.is_empty() || local.ends_with('/') {
                out.join(local).join("index.html")
            } else {
                out.join(local)
            };
            assert!(
                target.is_file(),
                "{}: link {url} points to no file",
                path.display()
            );
            checked += 1;
        }
    }
    checked
}
