//! `sitemap.xml` (sitemaps.org protocol 0.9) and `robots.txt`.
//!
//! This module owns the XML of the sitemap files, the split into a sitemap
//! index plus numbered parts when there are too many URLs for one file, the
//! normalisation of `<lastmod>` dates, and the text of `robots.txt`. Pure
//! text in, text out: it does no I/O, and the same input always gives the
//! same bytes. URLs are written in the order given.

use crate::escape::push_escaped;
use crate::publish::dates::instant;
use std::fmt::Write as _;
use std::path::PathBuf;

/// The protocol's limit of URLs in one sitemap file (and of sitemaps in one
/// index): what callers normally pass as `max_per_file`.
pub(crate) const MAX_URLS_PER_FILE: usize = 50_000;

/// The sitemaps.org namespace, for both `urlset` and `sitemapindex`.
const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// One page to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct SitemapUrl<'a> {
    /// Absolute URL of the page (blank ones are skipped).
    pub loc: &'a str,
    /// Last modification, `YYYY-MM-DD` or RFC 3339. Written as `YYYY-MM-DD`
    /// for a date and as UTC (`...Z`) for an instant; omitted when it is
    /// neither.
    pub lastmod: Option<&'a str>,
    /// The page in each language (`hreflang`, absolute URL), itself
    /// included, `x-default` last; empty on a single-language site.
    pub alternates: &'a [(&'a str, String)],
}

/// Writes the sitemap files for `urls`. Returns `(path relative to the
/// output root, XML)` pairs, index first.
///
/// With at most `max_per_file` URLs (blank `loc`s are not counted) the
/// result is one `sitemap.xml` `<urlset>`. With more, `sitemap.xml` is a
/// `<sitemapindex>` pointing at `{base_url}sitemap-1.xml`,
/// `{base_url}sitemap-2.xml`, ... (each part's `<lastmod>` is the latest of
/// its URLs), followed by those parts, each with at most `max_per_file`
/// URLs. `max_per_file` is clamped to `1..=`[`MAX_URLS_PER_FILE`].
/// `base_url` is the site's absolute URL, with or without the trailing
/// slash (`https://org.github.io/briefs/`). Zero URLs give an empty
/// `<urlset>`. The 50 MB per-file limit is not checked: at 50,000 URLs it
/// is only reached by URLs of 1,000 characters or more.
pub(crate) fn sitemaps(
    base_url: &str,
    urls: &[SitemapUrl<'_>],
    max_per_file: usize,
) -> Vec<(PathBuf, String)> {
    let max = max_per_file.clamp(1, MAX_URLS_PER_FILE);
    let urls: Vec<&SitemapUrl<'_>> = urls.iter().filter(|u| !u.loc.trim().is_empty()).collect();
    if urls.len() <= max {
        return vec![(PathBuf::from("sitemap.xml"), urlset(&urls))];
    }
    let base = with_slash(base_url);
    let parts: Vec<&[&SitemapUrl<'_>]> = urls.chunks(max).collect();
    let mut index = String::with_capacity(128 + parts.len() * 128);
    index.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(index, "<sitemapindex xmlns=\"{SITEMAP_NS}\">");
    let mut files = Vec::with_capacity(parts.len() + 1);
    for (i, part) in parts.iter().enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        index.push_str("  <sitemap>\n    <loc>");
        push_escaped(&mut index, &base);
        push_escaped(&mut index, &name);
        index.push_str("</loc>\n");
        if let Some(latest) = part.iter().filter_map(|u| lastmod(u.lastmod)).max() {
            let _ = writeln!(index, "    <lastmod>{}</lastmod>", latest.text);
        }
        index.push_str("  </sitemap>\n");
        files.push((PathBuf::from(name), urlset(part)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, (PathBuf::from("sitemap.xml"), index));
    files
}

/// `robots.txt` allowing every crawler everything and naming
/// `{base_url}sitemap.xml`. The `Sitemap:` line is left out when `base_url`
/// is not an absolute `http(s)://` URL, since robots.txt needs one there.
///
/// Crawlers only read `/robots.txt` at the root of a host: a site served
/// under a sub-path (`https://org.github.io/briefs/`) writes one that no
/// crawler fetches, though it does no harm.
pub(crate) fn robots_txt(base_url: &str) -> String {
    let mut out = String::from("User-agent: *\nAllow: /\n");
    let base = with_slash(base_url);
    if base.starts_with("https://") || base.starts_with("http://") {
        let base: String = base
            .chars()
            .filter(|c| !c.is_control() && !c.is_whitespace())
            .collect();
        let _ = write!(out, "\nSitemap: {base}sitemap.xml\n");
    }
    out
}

/// A normalised `<lastmod>` with the instant it stands for, ordered by instant.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Lastmod {
    at: jiff::Timestamp,
    text: String,
}

/// Normalises a `YYYY-MM-DD` or RFC 3339 text into a W3C Datetime (a day
/// stays a day, an instant is written in UTC); `None` for anything else.
fn lastmod(text: Option<&str>) -> Option<Lastmod> {
    let read = instant(text?)?;
    let text = match read.day {
        Some(day) => day.to_string(),
        None => read.at.to_string(),
    };
    Some(Lastmod { at: read.at, text })
}

/// One `<urlset>` document.
fn urlset(urls: &[&SitemapUrl<'_>]) -> String {
    let mut out = String::with_capacity(128 + urls.len() * 128);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    // The xhtml namespace only when some page has language versions, so a
    // single-language sitemap stays as it was.
    if urls.iter().any(|u| !u.alternates.is_empty()) {
        let _ = writeln!(
            out,
            "<urlset xmlns=\"{SITEMAP_NS}\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">"
        );
    } else {
        let _ = writeln!(out, "<urlset xmlns=\"{SITEMAP_NS}\">");
    }
    for url in urls {
        out.push_str("  <url>\n    <loc>");
        push_escaped(&mut out, url.loc.trim());
        out.push_str("</loc>\n");
        if let Some(m) = lastmod(url.lastmod) {
            let _ = writeln!(out, "    <lastmod>{}</lastmod>", m.text);
        }
        for (lang, href) in url.alternates {
            out.push_str("    <xhtml:link rel=\"alternate\" hreflang=\"");
            push_escaped(&mut out, lang);
            out.push_str("\" href=\"");
            push_escaped(&mut out, href);
            out.push_str("\"/>\n");
        }
        out.push_str("  </url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `base_url` trimmed, ending in `/`.
fn with_slash(base_url: &str) -> String {
    let base = base_url.trim();
    if base.ends_with('/') {
        base.to_string()
    } else {
        format!("{base}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://org.github.io/briefs/";

    /// `(root tag, [(loc, lastmod)])` of a sitemap or index, checking the
    /// namespace and that every child has exactly the allowed elements.
    fn read(xml: &str) -> (String, Vec<(String, Option<String>)>) {
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
        let doc = match roxmltree::Document::parse(xml) {
            Ok(d) => d,
            Err(e) => panic!("not well-formed: {e}\n{xml}"),
        };
        let root = doc.root_element();
        assert_eq!(root.tag_name().namespace(), Some(SITEMAP_NS));
        let child_tag = match root.tag_name().name() {
            "urlset" => "url",
            "sitemapindex" => "sitemap",
            other => panic!("unexpected root {other}"),
        };
        let mut items = Vec::new();
        for child in root.children().filter(|n| n.is_element()) {
            assert_eq!(child.tag_name().name(), child_tag);
            assert_eq!(child.tag_name().namespace(), Some(SITEMAP_NS));
            let mut loc = None;
            let mut lastmod = None;
            for field in child.children().filter(|n| n.is_element()) {
                let value = field.text().map(str::to_string);
                match field.tag_name().name() {
                    "loc" => loc = value,
                    "lastmod" => lastmod = value,
                    other => panic!("unexpected element {other}"),
                }
            }
            items.push((loc.unwrap_or_default(), lastmod));
        }
        (root.tag_name().name().to_string(), items)
    }

    fn pages(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("{BASE}brief-{i}/")).collect()
    }

    fn urls(locs: &[String]) -> Vec<SitemapUrl<'_>> {
        locs.iter()
            .map(|loc| SitemapUrl {
                loc,
                lastmod: Some("2018-01-02"),
                ..Default::default()
            })
            .collect()
    }

    #[test]
    fn single_file_up_to_max() {
        let locs = pages(3);
        let files = sitemaps(BASE, &urls(&locs), 3);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].0, PathBuf::from("sitemap.xml"));
        let (root, items) = read(&files[0].1);
        assert_eq!(root, "urlset");
        let got: Vec<_> = items.iter().map(|(l, _)| l.clone()).collect();
        assert_eq!(got, locs);
        assert!(
            items
                .iter()
                .all(|(_, m)| m.as_deref() == Some("2018-01-02"))
        );
    }

    #[test]
    fn splits_at_max_plus_one() {
        let locs = pages(4);
        let files = sitemaps(BASE, &urls(&locs), 3);
        let paths: Vec<_> = files.iter().map(|(p, _)| p.clone()).collect();
        assert_eq!(
            paths,
            [
                PathBuf::from("sitemap.xml"),
                PathBuf::from("sitemap-1.xml"),
                PathBuf::from("sitemap-2.xml")
            ]
        );
        let (root, index) = read(&files[0].1);
        assert_eq!(root, "sitemapindex");
        assert_eq!(
            index,
            [
                (
                    "https://org.github.io/briefs/sitemap-1.xml".to_string(),
                    Some("2018-01-02".to_string())
                ),
                (
                    "https://org.github.io/briefs/sitemap-2.xml".to_string(),
                    Some("2018-01-02".to_string())
                ),
            ]
        );
        let (root1, part1) = read(&files[1].1);
        let (root2, part2) = read(&files[2].1);
        assert_eq!((root1.as_str(), root2.as_str()), ("urlset", "urlset"));
        assert_eq!(part1.len(), 3);
        assert_eq!(part2.len(), 1);
        let all: Vec<_> = part1.iter().chain(&part2).map(|(l, _)| l.clone()).collect();
        assert_eq!(all, locs);
    }

    #[test]
    fn index_lists_every_part_under_the_base_url() {
        let locs = pages(10);
        // Without the trailing slash, the base still gets one.
        let files = sitemaps("https://org.github.io/briefs", &urls(&locs), 3);
        assert_eq!(files.len(), 5);
        let (_, index) = read(&files[0].1);
        let listed: Vec<_> = index.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(
            listed,
            [
                "https://org.github.io/briefs/sitemap-1.xml",
                "https://org.github.io/briefs/sitemap-2.xml",
                "https://org.github.io/briefs/sitemap-3.xml",
                "https://org.github.io/briefs/sitemap-4.xml",
            ]
        );
        for (i, (path, _)) in files.iter().skip(1).enumerate() {
            assert_eq!(path, &PathBuf::from(format!("sitemap-{}.xml", i + 1)));
        }
        let sizes: Vec<_> = files.iter().skip(1).map(|(_, x)| read(x).1.len()).collect();
        assert_eq!(sizes, [3, 3, 3, 1]);
    }

    #[test]
    fn protocol_limit_boundary() {
        let locs = pages(MAX_URLS_PER_FILE + 1);
        let list = urls(&locs);
        let one = sitemaps(BASE, &list[..MAX_URLS_PER_FILE], MAX_URLS_PER_FILE);
        assert_eq!(one.len(), 1);
        assert_eq!(read(&one[0].1).1.len(), MAX_URLS_PER_FILE);
        let split = sitemaps(BASE, &list, MAX_URLS_PER_FILE);
        assert_eq!(split.len(), 3);
        assert_eq!(read(&split[1].1).1.len(), MAX_URLS_PER_FILE);
        assert_eq!(read(&split[2].1).1.len(), 1);
        // More than the protocol allows per file is clamped to it.
        assert_eq!(sitemaps(BASE, &list, usize::MAX).len(), 3);
    }

    #[test]
    fn zero_max_and_empty_input() {
        let locs = pages(2);
        assert_eq!(sitemaps(BASE, &urls(&locs), 0).len(), 3);
        let empty = sitemaps(BASE, &[], MAX_URLS_PER_FILE);
        assert_eq!(empty.len(), 1);
        let (root, items) = read(&empty[0].1);
        assert_eq!(root, "urlset");
        assert!(items.is_empty());
    }

    #[test]
    fn blank_locs_are_skipped_and_not_counted() {
        let locs = pages(2);
        let mut list = urls(&locs);
        list.insert(
            1,
            SitemapUrl {
                loc: "  ",
                ..Default::default()
            },
        );
        let files = sitemaps(BASE, &list, 2);
        assert_eq!(files.len(), 1);
        assert_eq!(read(&files[0].1).1.len(), 2);
    }

    #[test]
    fn loc_is_escaped() {
        let loc = "https://example.org/search?q=a&b='c'&d=\"e\"<f>\u{7}";
        let files = sitemaps(
            BASE,
            &[SitemapUrl {
                loc,
                ..Default::default()
            }],
            10,
        );
        let xml = &files[0].1;
        assert!(xml.contains(
            "<loc>https://example.org/search?q=a&amp;b=&apos;c&apos;&amp;d=&quot;e&quot;&lt;f&gt;</loc>"
        ));
        assert_eq!(
            read(xml).1,
            [(
                "https://example.org/search?q=a&b='c'&d=\"e\"<f>".to_string(),
                None
            )]
        );
    }

    #[test]
    fn lastmod_is_normalised_or_dropped() {
        let list = [
            SitemapUrl {
                loc: "https://e.org/a",
                lastmod: Some(" 2018-01-02 "),
                ..Default::default()
            },
            SitemapUrl {
                loc: "https://e.org/b",
                lastmod: Some("2018-01-02T10:00:00+03:30"),
                ..Default::default()
            },
            SitemapUrl {
                loc: "https://e.org/c",
                lastmod: Some("2018-01-02T10:00:00"),
                ..Default::default()
            },
            SitemapUrl {
                loc: "https://e.org/d",
                lastmod: Some("last tuesday"),
                ..Default::default()
            },
            SitemapUrl {
                loc: "https://e.org/e",
                lastmod: Some("2018-02-30"),
                ..Default::default()
            },
            SitemapUrl {
                loc: "https://e.org/f",
                lastmod: None,
                ..Default::default()
            },
        ];
        let files = sitemaps(BASE, &list, 10);
        let mods: Vec<_> = read(&files[0].1).1.into_iter().map(|(_, m)| m).collect();
        assert_eq!(
            mods,
            [
                Some("2018-01-02".to_string()),
                Some("2018-01-02T06:30:00Z".to_string()),
                Some("2018-01-02T10:00:00Z".to_string()),
                None,
                None,
                None,
            ]
        );
    }

    #[test]
    fn index_lastmod_is_latest_of_part() {
        let list = [
            SitemapUrl {
                loc: "https://e.org/a",
                lastmod: Some("2019-03-01"),
                ..Default::default()
            },
            SitemapUrl {
                loc: "https://e.org/b",
                lastmod: Some("2019-02-28T23:00:00-05:00"),
                ..Default::default()
            },
            SitemapUrl {
                loc: "https://e.org/c",
                lastmod: None,
                ..Default::default()
            },
            SitemapUrl {
                loc: "https://e.org/d",
                lastmod: Some("nonsense"),
                ..Default::default()
            },
        ];
        let files = sitemaps(BASE, &list, 2);
        let (_, index) = read(&files[0].1);
        assert_eq!(index[0].1.as_deref(), Some("2019-03-01T04:00:00Z"));
        assert_eq!(index[1].1, None);
    }

    #[test]
    fn deterministic() {
        let locs = pages(7);
        let list = urls(&locs);
        assert_eq!(sitemaps(BASE, &list, 3), sitemaps(BASE, &list, 3));
    }

    #[test]
    fn robots() {
        assert_eq!(
            robots_txt(BASE),
            "User-agent: *\nAllow: /\n\nSitemap: https://org.github.io/briefs/sitemap.xml\n"
        );
        assert_eq!(
            robots_txt(" https://example.org "),
            "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sitemap.xml\n"
        );
        assert_eq!(
            robots_txt("http://localhost:8000/"),
            "User-agent: *\nAllow: /\n\nSitemap: http://localhost:8000/sitemap.xml\n"
        );
        // A root-relative base cannot name an absolute sitemap URL.
        assert_eq!(robots_txt("/"), "User-agent: *\nAllow: /\n");
        assert_eq!(robots_txt("/briefs/"), "User-agent: *\nAllow: /\n");
    }
}
