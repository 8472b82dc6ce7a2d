//! How big a build's output is, against what free static hosts accept:
//! GitHub Pages and GitLab Pages refuse a published site over 1 GB, so a
//! build over it says so, with the folders that make it that big and the
//! settings that shrink them, rather than leaving the news to a failed deploy.

use std::collections::BTreeMap;
use std::path::Path;

use super::WrittenFile;
use crate::diagnostic::Diagnostic;

/// What GitHub Pages and GitLab Pages accept: 1 GB (decimal, as they write it).
pub(crate) const HOST_LIMIT: u64 = 1_000_000_000;

/// Total bytes and number of files of an output folder.
pub(crate) fn total(written: &[WrittenFile]) -> (u64, usize) {
    (written.iter().map(|f| f.len).sum(), written.len())
}

/// `345 MB`, `1.45 GB`: sizes as hosts state their limits (decimal units).
pub fn display(bytes: u64) -> String {
    match bytes {
        b if b >= 1_000_000_000 => format!("{:.2} GB", b as f64 / 1e9),
        b if b >= 1_000_000 => format!("{} MB", b.div_ceil(1_000_000)),
        b => format!("{} KB", b.div_ceil(1_000)),
    }
}

/// `32,444`: a count with its thousands separated, as hosts write limits.
pub fn display_count(n: usize) -> String {
    let digits = n.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// A warning when `written` (the whole output folder `output`) is over
/// [`HOST_LIMIT`]: its size, its largest top-level folders and the
/// settings of `site.yaml` that shrink them.
pub(crate) fn over_host_limit(output: &Path, written: &[WrittenFile]) -> Option<Diagnostic> {
    let (bytes, files) = total(written);
    if bytes <= HOST_LIMIT {
        return None;
    }
    // Summed by the top folder's name, named once (130,000 files at 50,000 briefs).
    let mut by_top: BTreeMap<Option<&std::ffi::OsStr>, u64> = BTreeMap::new();
    for file in written {
        let mut parts = file.path.components();
        let top = match (parts.next(), parts.next()) {
            (Some(top), Some(_)) => Some(top.as_os_str()),
            _ => None,
        };
        *by_top.entry(top).or_default() += file.len;
    }
    let mut largest: Vec<(String, u64)> = (by_top.into_iter())
        .map(|(top, size)| match top {
            Some(top) => (format!("{}/", top.to_string_lossy()), size),
            None => ("files at the top".to_string(), size),
        })
        .collect();
    largest.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let largest: Vec<String> = (largest.iter().take(4))
        .map(|(folder, size)| format!("{folder} {}", display(*size)))
        .collect();
    Some(
        Diagnostic::file_error(
            output,
            format!(
                "the site is {} in {} files: GitHub Pages and GitLab Pages refuse a site over 1 GB",
                display(bytes),
                display_count(files)
            ),
        )
        .warning()
        .with_hint(format!(
            "largest: {}. {}Other hosts (Netlify, S3, your own server) have no such limit",
            largest.join(", "),
            shrinking_settings(written)
        )),
    )
}

/// The `site.yaml` settings that would leave out files this output has:
/// none is named that is off already.
fn shrinking_settings(written: &[WrittenFile]) -> String {
    let parts = |file: &WrittenFile| -> Vec<String> {
        (file.path.components())
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect()
    };
    let (mut search, mut term_feeds, mut pairs) = (false, false, false);
    for file in written {
        let parts = parts(file);
        search |= parts.iter().any(|p| p == "pagefind");
        term_feeds |= parts.len() >= 3 && parts.last().is_some_and(|p| p == "feed.xml");
        // [<lang>/]countries/<a>/<b>/index.html, <b> not a page number's folder
        pairs |= parts.len() >= 4
            && parts[parts.len() - 4] == "countries"
            && parts[parts.len() - 2] != "page"
            && parts[parts.len() - 1] == "index.html";
        if search && term_feeds && pairs {
            break;
        }
    }
    let settings: Vec<&str> = [
        (search, "`search: false` drops pagefind/"),
        (
            term_feeds,
            "`feeds: site` drops the feeds of every country, actor and author",
        ),
        (
            pairs,
            "a higher `pair_min_briefs` drops the pages of country pairs with fewer briefs",
        ),
    ]
    .into_iter()
    .filter_map(|(has, setting)| has.then_some(setting))
    .collect();
    if settings.is_empty() {
        String::new()
    } else {
        format!("In site.yaml, {}. ", settings.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, len: u64) -> WrittenFile {
        WrittenFile {
            path: path.into(),
            len,
            modified: 0,
        }
    }

    #[test]
    fn a_site_over_a_gigabyte_is_warned_of_with_its_largest_folders() {
        let output = Path::new("output");
        let small = [
            file("index.html", 30_000),
            file("briefs/a/index.html", 999_000_000),
        ];
        assert!(over_host_limit(output, &small).is_none(), "1 GB is allowed");
        let large = [
            file("index.html", 30_000),
            file("briefs/a/index.html", 700_000_000),
            file("briefs/b/index.html", 148_000_000),
            file("pagefind/x.pf_index", 204_000_000),
            file("actors/x/index.html", 1_000_000),
        ];
        let warning = over_host_limit(output, &large).expect("a warning");
        assert!(!warning.is_error());
        assert!(
            warning.message.contains("the site is 1.05 GB in 5 files"),
            "{}",
            warning.message
        );
        let hint = warning.hint.clone().unwrap_or_default();
        assert!(
            hint.starts_with(
                "largest: briefs/ 848 MB, pagefind/ 204 MB, actors/ 1 MB, files at the top 30 KB."
            ),
            "{hint}"
        );
        assert!(hint.contains("`search: false`"), "{hint}");
        assert!(
            !hint.contains("`feeds: site`"),
            "no term feeds to drop: {hint}"
        );

        // Settings already off are not named.
        let without_search = [
            file("briefs/a/index.html", 999_000_000),
            file("countries/iran/feed.xml", 1_000_000),
            file("countries/iran/iraq/index.html", 1_000_000),
        ];
        let hint =
            (over_host_limit(output, &without_search).and_then(|w| w.hint)).unwrap_or_default();
        assert!(!hint.contains("`search: false`"), "{hint}");
        assert!(
            hint.ends_with(
                "In site.yaml, `feeds: site` drops the feeds of every country, actor and author; \
                 a higher `pair_min_briefs` drops the pages of country pairs with fewer briefs. \
                 Other hosts (Netlify, S3, your own server) have no such limit"
            ),
            "each setting says what it drops: {hint}"
        );
        let bare = [file("briefs/a/index.html", 1_100_000_000)];
        let hint = (over_host_limit(output, &bare).and_then(|w| w.hint)).unwrap_or_default();
        assert!(!hint.contains("site.yaml"), "{hint}");
    }

    #[test]
    fn sizes_show_as_hosts_write_limits() {
        assert_eq!(display(999), "1 KB");
        assert_eq!(display(344_600_000), "345 MB");
        assert_eq!(display(1_449_000_000), "1.45 GB");
        assert_eq!(display_count(999), "999");
        assert_eq!(display_count(32_444), "32,444");
        assert_eq!(display_count(129_947), "129,947");
    }
}
