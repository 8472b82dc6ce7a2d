//! A WordPress export (WXR) -> posts, read as a stream with quick-xml so a
//! large export is never held in memory: titles, dates with their zone,
//! slugs and `_wp_old_slug`s (both become aliases), authors, categories,
//! tags and custom taxonomies, statuses, and the post HTML converted to
//! Markdown with htmd after Gutenberg block comments and WordPress
//! shortcodes are dealt with (`wphtml`).

#[cfg(test)]
use std::collections::BTreeMap;
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use quick_xml::Reader;
use quick_xml::events::Event;

use super::Archive;
use super::post::{self, Post, Problem};

mod wphtml;

/// Counts newlines as the file is read, so that a byte position becomes a line.
struct Lines<R> {
    inner: R,
    read: u64,
    newlines: Vec<u64>,
}

impl<R: Read> Read for Lines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, b) in buf[..n].iter().enumerate() {
            if *b == b'\n' {
                self.newlines.push(self.read + i as u64);
            }
        }
        self.read += n as u64;
        Ok(n)
    }
}

impl<R> Lines<R> {
    fn line_of(&self, position: u64) -> usize {
        self.newlines.partition_point(|&n| n < position) + 1
    }
}

/// The fields of one `<item>` as text, by element name, and its terms.
#[derive(Default)]
struct Item {
    line: usize,
    fields: HashMap<String, String>,
    /// (domain, name) of each `<category>`.
    terms: Vec<(String, String)>,
    /// `_wp_old_slug` values.
    old_slugs: Vec<String>,
    content_line: usize,
}

/// Where the reader is: the open elements, and what it is collecting.
#[derive(Default)]
struct State {
    stack: Vec<String>,
    text: String,
    item: Option<Item>,
    domain: String,
    meta_key: String,
    channel: HashMap<String, String>,
    /// Author logins -> display names.
    authors: HashMap<String, String>,
    author_login: String,
    seen_wordpress: bool,
}

/// Reads the export file.
pub(crate) fn read(source: &Path) -> Result<Archive, Problem> {
    let file = File::open(source)
        .map_err(|e| Problem::new(source, 0, format!("cannot open the export: {e}")))?;
    let lines = Lines {
        inner: file,
        read: 0,
        newlines: Vec::new(),
    };
    let mut reader = Reader::from_reader(BufReader::new(lines));
    let mut buf = Vec::new();
    let mut state = State::default();
    let mut archive = Archive::default();
    loop {
        let position = reader.buffer_position();
        // Every byte before `position` has been read, so its newlines are counted.
        let here = reader.get_ref().get_ref().line_of(position);
        let event = match reader.read_event_into(&mut buf) {
            Ok(e) => e,
            Err(e) => {
                let at = reader.get_ref().get_ref().line_of(reader.error_position());
                return malformed(archive, &state, source, at, &e.to_string());
            }
        };
        match event {
            Event::Start(e) => start_element(&mut state, &e, here, source)?,
            Event::Empty(e) if state.stack.is_empty() => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                return Err(not_wxr(
                    source,
                    &format!("its first element is `<{name}/>`, not `<rss>`"),
                ));
            }
            Event::Text(t) => state.text.push_str(&t.decode().unwrap_or_default()),
            Event::CData(t) => state.text.push_str(&t.decode().unwrap_or_default()),
            Event::GeneralRef(r) => state.text.push_str(&entity(&r)),
            Event::End(_) => end_element(&mut state, &mut archive, source),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if !state.stack.is_empty() {
        let at = reader.get_ref().get_ref().newlines.len() + 1;
        return malformed(
            archive,
            &state,
            source,
            at,
            &format!(
                "the file ends before `</{}>`",
                state.stack.last().map_or("rss", String::as_str)
            ),
        );
    }
    if !state.seen_wordpress {
        return Err(not_wxr(source, "it has no WordPress (`wp:`) elements"));
    }
    archive.title = state.channel.get("title").cloned();
    Ok(archive)
}

fn not_wxr(source: &Path, why: &str) -> Problem {
    Problem::new(
        source,
        1,
        format!("this is not a WordPress export (WXR): {why}"),
    )
    .hint("in WordPress, Tools → Export → All content writes the file to pass")
}

/// A cut-off or malformed export: the posts read so far are kept, and the problem names the line.
fn malformed(
    mut archive: Archive,
    state: &State,
    source: &Path,
    line: usize,
    why: &str,
) -> Result<Archive, Problem> {
    if !state.seen_wordpress && archive.posts.is_empty() {
        return Err(not_wxr(source, why));
    }
    let lost = state.item.as_ref().map_or(String::new(), |i| {
        format!(
            " (the item that starts on line {} was not imported)",
            i.line
        )
    });
    archive.problems.push(
        Problem::new(PathBuf::new(), line, format!("the export is malformed or cut off here: {why}; the {} posts before it were read{lost}", archive.posts.len()))
            .hint("export again from WordPress (Tools → Export); a file cut off in transfer ends mid-item"),
    );
    archive.title = state.channel.get("title").cloned();
    Ok(archive)
}

/// Opens an element: the first must be `<rss>`; `<item>`, `<category>` and
/// `<content:encoded>` note what their closing needs.
fn start_element(
    state: &mut State,
    e: &quick_xml::events::BytesStart<'_>,
    here: usize,
    source: &Path,
) -> Result<(), Problem> {
    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
    if state.stack.is_empty() && name != "rss" {
        return Err(not_wxr(
            source,
            &format!("its first element is `<{name}>`, not `<rss>`"),
        ));
    }
    state.seen_wordpress |= name.starts_with("wp:");
    if name == "item" {
        state.item = Some(Item {
            line: here,
            ..Item::default()
        });
    } else if name == "category" {
        state.domain = e
            .try_get_attribute("domain")
            .ok()
            .flatten()
            .map(|a| String::from_utf8_lossy(&a.value).into_owned())
            .unwrap_or_else(|| "category".into());
    } else if name == "content:encoded"
        && let Some(item) = state.item.as_mut()
    {
        item.content_line = here;
    }
    state.stack.push(name);
    state.text.clear();
    Ok(())
}

/// `&amp;`, `&#8217;`: XML's references as text; any other name stays as written.
fn entity(r: &quick_xml::events::BytesRef<'_>) -> String {
    let decoded = r.decode().unwrap_or_default().into_owned();
    match (r.resolve_char_ref().ok().flatten(), decoded.as_str()) {
        (Some(c), _) => c.to_string(),
        (None, "amp") => "&".into(),
        (None, "lt") => "<".into(),
        (None, "gt") => ">".into(),
        (None, "quot") => "\"".into(),
        (None, "apos") => "'".into(),
        (None, other) => format!("&{other};"),
    }
}

/// Stores the text of the element that just closed where it belongs.
fn end_element(state: &mut State, archive: &mut Archive, source: &Path) {
    let Some(name) = state.stack.pop() else {
        return;
    };
    let text = std::mem::take(&mut state.text);
    let parent = state.stack.last().map_or("", String::as_str);
    match (parent, name.as_str()) {
        ("item", "category") => {
            if let Some(item) = state.item.as_mut() {
                item.terms
                    .push((std::mem::take(&mut state.domain), text.trim().to_string()));
            }
        }
        ("wp:postmeta", "wp:meta_key") => state.meta_key = text,
        ("wp:postmeta", "wp:meta_value") => {
            if state.meta_key == "_wp_old_slug"
                && let Some(item) = state.item.as_mut()
            {
                item.old_slugs.push(text.trim().to_string());
            }
        }
        ("item", field) => {
            if let Some(item) = state.item.as_mut() {
                item.fields.insert(field.to_string(), text);
            }
        }
        ("channel", "item") => {
            if let Some(item) = state.item.take() {
                take_item(item, &state.authors, archive, source);
            }
        }
        ("channel", field) => {
            state.channel.entry(field.to_string()).or_insert(text);
        }
        ("wp:author", "wp:author_login") => state.author_login = text.trim().to_string(),
        ("wp:author", "wp:author_display_name") => {
            state.authors.insert(
                std::mem::take(&mut state.author_login),
                text.trim().to_string(),
            );
        }
        _ => {}
    }
}

/// One `<item>`: a post, or a page, attachment or menu item counted as skipped.
fn take_item(item: Item, authors: &HashMap<String, String>, archive: &mut Archive, source: &Path) {
    let field = |k: &str| item.fields.get(k).map(|s| s.trim()).unwrap_or("");
    let kind = field("wp:post_type");
    let status = field("wp:status");
    if kind != "post" {
        let label = match kind {
            "attachment" => "attachments",
            "page" => "pages",
            "nav_menu_item" => "menu items",
            _ => "other post types",
        };
        *archive.skipped.entry(label.into()).or_default() += 1;
        return;
    }
    if matches!(status, "trash" | "auto-draft" | "inherit") {
        *archive
            .skipped
            .entry(format!("{status} posts"))
            .or_default() += 1;
        return;
    }
    let Some(date) = zoned_date(field("wp:post_date"), field("wp:post_date_gmt")) else {
        archive.problems.push(
            Problem::new(
                PathBuf::new(),
                item.line,
                format!("post `{}` has no `wp:post_date`", field("title")),
            )
            .hint("the post was not imported"),
        );
        return;
    };
    let origin = PathBuf::from(source.file_name().unwrap_or_default());
    let title = match field("title") {
        "" => "(untitled)".to_string(),
        t => t.to_string(),
    };
    let slug = percent_encoding::percent_decode_str(field("wp:post_name"))
        .decode_utf8_lossy()
        .into_owned();
    let aliases = old_urls(field("link"), &item.old_slugs);
    let (categories, tags) = split_terms(item.terms);
    let creator = field("dc:creator");
    let author = authors
        .get(creator)
        .cloned()
        .unwrap_or_else(|| creator.to_string());
    let body = wphtml::to_markdown(field("content:encoded"), item.content_line);
    let summary = plain_excerpt(field("excerpt:encoded"));
    let mut extra = serde_json::Map::new();
    if let Ok(id) = field("wp:post_id").parse::<u64>() {
        extra.insert("wordpress_id".into(), id.into());
    }
    archive.posts.push(Post {
        origin,
        line: item.line,
        title,
        date,
        slug: if slug.is_empty() {
            field("title").to_string()
        } else {
            slug
        },
        aliases,
        summary,
        authors: if author.is_empty() {
            Vec::new()
        } else {
            vec![author]
        },
        categories,
        tags,
        draft: status != "publish",
        body: body.markdown,
        media: body.media,
        extra,
        read_converted: body.converted,
        read_kept: body.kept,
        ..Post::default()
    });
}

/// The post's link as a path, and the same path with each `_wp_old_slug`
/// (WordPress redirects those itself; the new site must too). A `?p=12`
/// link has no path to keep.
fn old_urls(link: &str, old_slugs: &[String]) -> Vec<String> {
    let own = post::url_path(link);
    if own == "/" {
        return Vec::new();
    }
    let mut aliases = vec![own.clone()];
    let slash = if own.ends_with('/') { "/" } else { "" };
    if let Some((parent, _)) = own.trim_end_matches('/').rsplit_once('/') {
        for old in old_slugs {
            let path = format!("{parent}/{old}{slash}");
            if !aliases.contains(&path) {
                aliases.push(path);
            }
        }
    }
    aliases
}

/// `(domain, name)` terms -> (categories and custom taxonomies, tags);
/// post formats (`aside`, `gallery`) are layout, not subject.
fn split_terms(terms: Vec<(String, String)>) -> (Vec<String>, Vec<String>) {
    let (mut categories, mut tags) = (Vec::new(), Vec::new());
    for (domain, name) in terms {
        match domain.as_str() {
            "post_tag" => tags.push(name),
            "post_format" => {}
            _ => categories.push(name),
        }
    }
    (categories, tags)
}

/// The excerpt's HTML as one line of text, if there is any.
fn plain_excerpt(excerpt: &str) -> Option<String> {
    if excerpt.is_empty() {
        return None;
    }
    let text = htmd::convert(excerpt).unwrap_or_else(|_| excerpt.to_string());
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!line.is_empty()).then_some(line)
}

/// `wp:post_date` (site time) with the offset it has from `wp:post_date_gmt`:
/// `2019-05-20 13:00:00` and `... 11:00:00` -> `2019-05-20T13:00:00+02:00`.
fn zoned_date(local: &str, gmt: &str) -> Option<String> {
    let parse = |s: &str| s.replace(' ', "T").parse::<jiff::civil::DateTime>().ok();
    let l = parse(local)?;
    let Some(g) = parse(gmt).filter(|_| !gmt.starts_with("0000")) else {
        return Some(local.to_string());
    };
    let minutes = l.duration_since(g).as_secs() / 60;
    let sign = if minutes < 0 { '-' } else { '+' };
    let m = minutes.abs();
    Some(format!(
        "{}{sign}{:02}:{:02}",
        l.strftime("%Y-%m-%dT%H:%M:%S"),
        m / 60,
        m % 60
    ))
}

/// Term counts of a read archive, for tests.
#[cfg(test)]
fn terms_of(a: &Archive) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for p in &a.posts {
        for t in p.categories.iter().chain(&p.tags) {
            *m.entry(t.clone()).or_default() += 1;
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_get_the_offset_between_site_time_and_gmt() {
        assert_eq!(
            zoned_date("2019-05-20 13:00:00", "2019-05-20 11:00:00").as_deref(),
            Some("2019-05-20T13:00:00+02:00")
        );
        assert_eq!(
            zoned_date("2019-05-20 08:30:00", "2019-05-20 13:00:00").as_deref(),
            Some("2019-05-20T08:30:00-04:30")
        );
        assert_eq!(
            zoned_date("2019-05-20 13:00:00", "0000-00-00 00:00:00").as_deref(),
            Some("2019-05-20 13:00:00")
        );
    }

    #[test]
    fn an_export_is_read_with_its_terms_and_a_cut_off_one_keeps_what_came_before() {
        let dir = tempfile::tempdir().expect("tmp");
        let item = |n: u32| {
            format!(
                "<item><title>P{n} &amp; Co</title><link>https://old.org/2019/05/p{n}/</link><dc:creator><![CDATA[ann]]></dc:creator><content:encoded><![CDATA[<p>Hi</p>]]></content:encoded><wp:post_date>2019-05-2{n} 10:00:00</wp:post_date><wp:post_date_gmt>2019-05-2{n} 10:00:00</wp:post_date_gmt><wp:post_name>p{n}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type><category domain=\"post_tag\" nicename=\"x\"><![CDATA[Iran]]></category></item>\n"
            )
        };
        let whole = format!(
            "<?xml version=\"1.0\"?>\n<rss xmlns:wp=\"x\"><channel><title>Old</title>\n{}{}</channel></rss>\n",
            item(1),
            item(2)
        );
        let path = dir.path().join("export.xml");
        std::fs::write(&path, &whole).expect("write");
        let a = read(&path).expect("read");
        assert_eq!(a.posts.len(), 2);
        assert_eq!(a.posts[0].title, "P1 & Co");
        assert_eq!(a.posts[0].date, "2019-05-21T10:00:00+00:00");
        assert_eq!(terms_of(&a).get("Iran"), Some(&2));
        std::fs::write(&path, &whole[..whole.len() - 200]).expect("write");
        let cut = read(&path).expect("cut");
        assert_eq!(cut.posts.len(), 1);
        assert_eq!(cut.problems.len(), 1, "{:?}", cut.problems);
        std::fs::write(&path, "<html><body>no</body></html>").expect("write");
        assert!(read(&path).is_err());
    }
}
