//! Validated content: plain data that later stages read and that the preview
//! server can replace one brief at a time.

use crate::cache::EntryBytes;
use std::path::PathBuf;

/// A publication date as written: a calendar date, or an RFC 3339 instant.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BriefDate {
    /// The calendar date shown to readers (in the written offset for instants).
    pub date: jiff::civil::Date,
    /// The machine-readable form for `<time datetime>` (`2018-01-02` or the RFC 3339 text).
    pub machine: String,
    /// Seconds since the epoch, for ordering (midnight UTC for plain dates).
    pub sort_key: i64,
}

/// One entry of a brief's sources list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Source {
    /// Citation id for `[@id]`.
    pub id: Option<String>,
    /// Title, or the whole text of a plain-string source.
    pub title: String,
    /// Who published it.
    pub publisher: Option<String>,
    /// The publisher's key (URL slug of its source page): the registry's
    /// key when the name or an alias is registered, else the name's slug.
    pub publisher_key: Option<String>,
    /// An http(s) link.
    pub url: Option<String>,
    /// When it was published.
    pub date: Option<BriefDate>,
    /// Free word such as `state-media` or `official-readout`.
    pub kind: Option<String>,
    /// Where the entry is in the brief file (line, column), for `check`.
    pub at: (usize, usize),
}

/// An actor as a brief names it, resolved to its canonical key.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ActorMention {
    /// Canonical key (URL slug).
    pub key: String,
    /// The spelling used in the brief.
    pub written: String,
    /// Where it is in the brief file (line, column), for `check`.
    pub at: (usize, usize),
}

/// A validated brief.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Brief {
    /// Source file relative to the site root.
    pub path: PathBuf,
    /// URL segment, unique in the site.
    pub slug: String,
    /// Where the slug was set (line, column), or (1, 1) when it comes from the file name.
    pub slug_at: (usize, usize),
    /// Title as plain text (entities decoded, Markdown marks removed): for
    /// `<title>`, meta tags, JSON-LD, citations and feeds.
    pub title: String,
    /// Title as inline HTML (emphasis, code), for headings and links.
    pub title_html: String,
    /// Publication date.
    pub date: BriefDate,
    /// Last update.
    pub updated: Option<BriefDate>,
    /// Plain-text summary (given, or taken from the first paragraph).
    pub summary: String,
    /// The summary as inline HTML.
    pub summary_html: String,
    /// Whether the author wrote the summary (a derived one repeats the body).
    pub summary_given: bool,
    /// Author names as written.
    pub authors: Vec<String>,
    /// The authors' keys (URL slugs), in the same order.
    pub author_keys: Vec<String>,
    /// Country codes, in the order given, without repeats.
    pub countries: Vec<String>,
    /// Actors, in the order given, without repeats.
    pub actors: Vec<ActorMention>,
    /// Topic names as written (the optional third taxonomy), without repeats.
    pub topics: Vec<String>,
    /// The topics' keys (URL slugs), in the same order.
    pub topic_keys: Vec<String>,
    /// Old URLs of the brief (`aliases:`), each published as a redirect.
    pub aliases: Vec<Alias>,
    /// Sources, numbered from 1 in this order.
    pub sources: Vec<Source>,
    /// For each source (by index), the anchors of the citations pointing at it.
    pub source_backlinks: Vec<Vec<String>>,
    /// Disclaimer key (already checked against the site's disclaimers).
    pub disclaimer: Option<String>,
    /// Language tag (BCP 47, canonical case): `lang:`, else site.yaml's
    /// `language`. Its direction is [`crate::content::lang::direction`]'s.
    pub lang: String,
    /// `translation_of:`: the slug of the brief this one translates, and
    /// where it is written (line, column).
    pub translation_of: Option<(String, (usize, usize))>,
    /// `translation_key:`: briefs sharing it are translations of each other.
    pub translation_key: Option<(String, (usize, usize))>,
    /// Left out of builds unless drafts are asked for.
    pub draft: bool,
    /// Dated after the build's clock: left out until then (`serve` shows it
    /// with a banner). See `content::calendar`.
    pub scheduled: bool,
    /// Body HTML (a build lets go of it once the page is rendered).
    pub body_html: BodyHtml,
    /// Words in the body.
    pub word_count: usize,
    /// Free data for the theme.
    #[serde(with = "extra_as_json")]
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Links to other briefs' source files, resolved once every brief is
    /// known (`validate::links`); kept so that `serve` knows who links to whom.
    pub links: Vec<BriefLink>,
    /// Problems that do not stop the build (raw HTML removed, leftover
    /// template syntax), printed by `build`.
    pub warnings: Vec<crate::diagnostic::Diagnostic>,
}

/// A brief's body as HTML. `build` lets go of it once the brief's page is
/// rendered and handed to the search index ([`BodyHtml::release`]): at
/// 50,000 briefs the bodies are 250 MB of the build's peak memory, which
/// would otherwise be held until the last page. Reading a released body
/// gives `None`, never an empty body. An `Arc<String>`, not an `Arc<str>`,
/// so that it is made from the rendered or restored `String` without
/// copying it.
///
/// A body restored from the build cache stays in the pack it was read
/// from until something reads it ([`BodyHtml::restoring`]): a build after
/// one edit reads a few hundred of 50,000, and copying them all out was
/// half the time of restoring the briefs (most of it first touches of
/// fresh memory). A build that parses briefs moves their bodies into the
/// packs it saves once they are written ([`BodyHandle::move_to_pack`]).
#[derive(Default)]
pub struct BodyHtml(std::sync::Arc<std::sync::Mutex<Option<Body>>>);

/// A brief's body, reachable without borrowing the brief: the thread that
/// writes the parsed briefs to the build cache moves each body into the
/// pack it wrote, while the pages render.
pub(crate) struct BodyHandle(std::sync::Arc<std::sync::Mutex<Option<Body>>>);

#[derive(Clone)]
enum Body {
    Owned(std::sync::Arc<String>),
    /// Bytes `range` of a build cache entry as read (a string encoded by
    /// postcard: UTF-8, checked when read).
    Packed(std::sync::Arc<EntryBytes>, std::ops::Range<usize>),
}

thread_local! {
    /// The cache entry being restored on this thread ([`BodyHtml::restoring`]).
    static RESTORING: std::cell::RefCell<Option<std::sync::Arc<EntryBytes>>> =
        const { std::cell::RefCell::new(None) };
}

/// Clears [`RESTORING`] when dropped, also on a panic.
struct RestoringGuard;

impl Drop for RestoringGuard {
    fn drop(&mut self) {
        RESTORING.with(|r| r.borrow_mut().take());
    }
}

impl BodyHtml {
    /// A body holding `html`.
    pub fn new(html: String) -> BodyHtml {
        BodyHtml::holding(Some(Body::Owned(std::sync::Arc::new(html))))
    }

    fn holding(body: Option<Body>) -> BodyHtml {
        BodyHtml(std::sync::Arc::new(std::sync::Mutex::new(body)))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Body>> {
        lock_body(&self.0)
    }

    /// Whether the body is held in a mapped build cache entry, unread.
    #[cfg(test)]
    pub(crate) fn is_in_mapped_pack(&self) -> bool {
        matches!(&*self.lock(), Some(Body::Packed(pack, _)) if pack.is_mapped())
    }

    /// A handle on this body for [`BodyHandle::move_to_pack`].
    pub(crate) fn handle(&self) -> BodyHandle {
        BodyHandle(self.0.clone())
    }

    /// The HTML, or `None` once released.
    pub fn get(&self) -> Option<std::sync::Arc<String>> {
        let mut body = self.lock();
        match &*body {
            None => None,
            Some(Body::Owned(html)) => Some(html.clone()),
            Some(Body::Packed(pack, range)) => {
                let html = (pack.copy_range(range.clone()))
                    .and_then(|bytes| String::from_utf8(bytes).ok());
                let html = std::sync::Arc::new(html?);
                *body = Some(Body::Owned(html.clone()));
                Some(html)
            }
        }
    }

    /// Lets go of the HTML: nothing will read it again in this build.
    pub(crate) fn release(&self) {
        self.lock().take();
    }

    /// Runs `restore`, which decodes briefs from `pack` (a build cache
    /// entry as read) on this thread: their bodies stay in it, unread.
    pub(crate) fn restoring<R>(
        pack: &std::sync::Arc<EntryBytes>,
        restore: impl FnOnce() -> R,
    ) -> R {
        RESTORING.with(|r| *r.borrow_mut() = Some(pack.clone()));
        let _clear = RestoringGuard;
        restore()
    }
}

impl Clone for BodyHtml {
    fn clone(&self) -> Self {
        BodyHtml::holding(self.lock().clone())
    }
}

impl PartialEq for BodyHtml {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl std::fmt::Debug for BodyHtml {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

impl serde::Serialize for BodyHtml {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // A packed body is written from where it is (brief identities hash
        // every body, which would otherwise copy them all out).
        match &*self.lock() {
            None => None::<&str>.serialize(serializer),
            Some(Body::Owned(html)) => Some(html.as_str()).serialize(serializer),
            Some(Body::Packed(pack, range)) => (pack.get(range.clone()))
                .and_then(|b| std::str::from_utf8(b).ok())
                .serialize(serializer),
        }
    }
}

impl<'de> serde::Deserialize<'de> for BodyHtml {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let pack = RESTORING.with(|r| r.borrow().clone());
        let Some(pack) = pack else {
            let html: Option<String> = serde::Deserialize::deserialize(deserializer)?;
            return Ok(BodyHtml::holding(
                html.map(|h| Body::Owned(std::sync::Arc::new(h))),
            ));
        };
        // Borrowed from the entry being restored: postcard writes a string
        // as its length and bytes, which read as bytes too. They are checked
        // as UTF-8 when read or encoded, not here: the identities' encoding
        // checks every body once anyway.
        let html: Option<&'de [u8]> = serde::Deserialize::deserialize(deserializer)?;
        let body = html.map(|html| {
            let start = (html.as_ptr() as usize).checked_sub(pack.as_ptr() as usize);
            match start.filter(|start| start + html.len() <= pack.len()) {
                Some(start) => Body::Packed(pack.clone(), start..start + html.len()),
                None => Body::Owned(std::sync::Arc::new(
                    String::from_utf8_lossy(html).into_owned(),
                )),
            }
        });
        Ok(BodyHtml::holding(body))
    }
}

fn lock_body(body: &std::sync::Mutex<Option<Body>>) -> std::sync::MutexGuard<'_, Option<Body>> {
    body.lock().unwrap_or_else(|e| e.into_inner())
}

impl BodyHandle {
    /// Holds the body in `packed`, the same brief's body as read back from
    /// the mapped build cache entry just written, instead of in this
    /// process's memory: at 50,000 briefs the bodies are 250 MB of a cold
    /// build's peak, and each is read once more, by the page that renders
    /// it. Nothing changes when the body was released or already read from
    /// a pack, when `packed` is not in a mapped entry, or when it differs.
    /// Returns whether the body moved.
    pub(crate) fn move_to_pack(&self, packed: &BodyHtml) -> bool {
        let Some(Body::Packed(pack, range)) = packed.lock().clone() else {
            return false;
        };
        if !pack.is_mapped() {
            return false;
        }
        let mut body = lock_body(&self.0);
        let Some(Body::Owned(html)) = &*body else {
            return false;
        };
        // Debug builds (the tests) compare every byte; a release build
        // trusts the entry it just wrote and checked, down to its length.
        let same = if cfg!(debug_assertions) {
            pack.get(range.clone()) == Some(html.as_bytes())
        } else {
            range.len() == html.len()
        };
        if same {
            *body = Some(Body::Packed(pack, range));
        }
        same
    }
}

/// An old URL of a brief, kept alive by a redirect page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Alias {
    /// The path under the base URL, without its leading `/`, decoded
    /// (`2019/05/old-post/` or `news/item.html`).
    pub path: String,
    /// Where it is in the brief file (line, column).
    pub at: (usize, usize),
}

/// A link in a brief body to another brief's file (`other.md`, `@/briefs/x.md`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BriefLink {
    /// The target file, relative to the site root (`content/briefs/x.md`).
    pub target: PathBuf,
    /// `#anchor` as written, without the `#`.
    pub anchor: Option<String>,
    /// The destination as written, for messages.
    pub written: String,
    /// Where the link is (line, column).
    pub at: (usize, usize),
}

/// A registered actor (`content/actors/<slug>.md`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorEntry {
    /// Source file.
    pub path: PathBuf,
    /// Canonical key and URL segment (from the file name).
    pub key: String,
    /// Display name.
    pub name: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// Person, organisation, ...
    pub kind: Option<String>,
    /// Country code.
    pub country: Option<String>,
    /// Its name in other languages, by language tag (`names:`).
    pub names: std::collections::BTreeMap<String, String>,
    /// Biography HTML.
    pub bio_html: Option<String>,
}

/// An author record (`content/authors/<slug>.md`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorEntry {
    /// Source file.
    pub path: PathBuf,
    /// The author's key and URL segment (from the file name).
    pub key: String,
    /// Display name.
    pub name: String,
    /// Position, e.g. "Senior Fellow".
    pub role: Option<String>,
    /// Institution.
    pub affiliation: Option<String>,
    /// Photo URL (already under the base path when root-relative).
    pub photo: Option<String>,
    /// ORCID iD, checked, without the URL (`0000-0002-1825-0097`).
    pub orcid: Option<String>,
    /// An organization (a desk, an institute) rather than a person.
    pub organization: bool,
    /// Other profile pages (http(s) URLs).
    pub links: Vec<String>,
    /// Biography HTML.
    pub bio_html: Option<String>,
}

/// A country profile (`content/countries/<code or name>.md`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryProfile {
    /// Source file.
    pub path: PathBuf,
    /// Country code.
    pub code: String,
    /// Profile HTML.
    pub html: String,
}

/// A registered source publisher (`content/sources/<slug>.md`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PublisherEntry {
    /// Source file.
    pub(crate) path: PathBuf,
    /// Canonical key and URL segment (from the file name).
    pub(crate) key: String,
    /// Display name.
    pub(crate) name: String,
    /// Other names briefs may use (`Fars`, `خبرگزاری فارس`).
    pub(crate) aliases: Vec<String>,
    /// State media, official, independent press, think tank...
    pub(crate) kind: Option<String>,
    /// Country code.
    pub(crate) country: Option<String>,
    /// Description HTML.
    pub(crate) about_html: Option<String>,
}

/// `extra` as JSON text inside the build cache's binary form, which cannot
/// hold a self-describing value (postcard reads by type, not by tag).
/// The fields of a brief that listing pages and feeds without bodies can
/// show, through the index, the cards and their own views: every field but
/// the body and what is counted or collected from it alone (`word_count`,
/// `links`) and the build's warnings. Made by destructuring without `..`:
/// a new field of [`Brief`] must be sorted here, in or out.
#[derive(serde::Serialize)]
pub(crate) struct ListingFields<'b> {
    path: &'b PathBuf,
    slug: &'b str,
    slug_at: (usize, usize),
    title: &'b str,
    title_html: &'b str,
    date: &'b BriefDate,
    updated: &'b Option<BriefDate>,
    summary: &'b str,
    summary_html: &'b str,
    summary_given: bool,
    authors: &'b [String],
    author_keys: &'b [String],
    countries: &'b [String],
    actors: &'b [ActorMention],
    topics: &'b [String],
    topic_keys: &'b [String],
    aliases: &'b [Alias],
    sources: &'b [Source],
    source_backlinks: &'b [Vec<String>],
    disclaimer: &'b Option<String>,
    lang: &'b str,
    translation_of: &'b Option<(String, (usize, usize))>,
    translation_key: &'b Option<(String, (usize, usize))>,
    draft: bool,
    scheduled: bool,
    #[serde(serialize_with = "extra_by_ref")]
    extra: &'b serde_json::Map<String, serde_json::Value>,
}

fn extra_by_ref<S: serde::Serializer>(
    extra: &&serde_json::Map<String, serde_json::Value>,
    to: S,
) -> Result<S::Ok, S::Error> {
    extra_as_json::serialize(extra, to)
}

impl Brief {
    /// [`ListingFields`] of this brief.
    pub(crate) fn listing_fields(&self) -> ListingFields<'_> {
        let Brief {
            path,
            slug,
            slug_at,
            title,
            title_html,
            date,
            updated,
            summary,
            summary_html,
            summary_given,
            authors,
            author_keys,
            countries,
            actors,
            topics,
            topic_keys,
            aliases,
            sources,
            source_backlinks,
            disclaimer,
            lang,
            translation_of,
            translation_key,
            draft,
            scheduled,
            body_html: _,
            word_count: _,
            extra,
            links: _,
            warnings: _,
        } = self;
        ListingFields {
            path,
            slug,
            slug_at: *slug_at,
            title,
            title_html,
            date,
            updated,
            summary,
            summary_html,
            summary_given: *summary_given,
            authors,
            author_keys,
            countries,
            actors,
            topics,
            topic_keys,
            aliases,
            sources,
            source_backlinks,
            disclaimer,
            lang,
            translation_of,
            translation_key,
            draft: *draft,
            scheduled: *scheduled,
            extra,
        }
    }
}

mod extra_as_json {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    type Extra = serde_json::Map<String, serde_json::Value>;

    pub(super) fn serialize<S: Serializer>(extra: &Extra, to: S) -> Result<S::Ok, S::Error> {
        serde_json::to_string(extra)
            .map_err(serde::ser::Error::custom)?
            .serialize(to)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(from: D) -> Result<Extra, D::Error> {
        let text = String::deserialize(from)?;
        serde_json::from_str(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body restored from a cache entry stays in it, reads and encodes
    /// as the body it was (brief identities hash the encoding), and is let
    /// go of like any other.
    #[test]
    fn a_body_restored_from_a_pack_reads_and_encodes_as_it_was() {
        let html = "<p>Caf\u{e9} \u{2014} \u{627}\u{644}\u{639}\u{631}\u{628}\u{64a}\u{629}</p>"
            .to_string();
        let owned = BodyHtml::new(html.clone());
        let pack = std::sync::Arc::new(EntryBytes::Read(
            postcard::to_stdvec(&(7u8, &owned)).expect("encode"),
        ));
        let (_, packed): (u8, BodyHtml) =
            BodyHtml::restoring(&pack, || postcard::from_bytes(&pack).expect("decode"));
        assert!(
            matches!(&*packed.lock(), Some(Body::Packed(..))),
            "left in the pack"
        );
        assert_eq!(
            postcard::to_stdvec(&packed).expect("packed"),
            postcard::to_stdvec(&owned).expect("owned")
        );
        assert_eq!(packed.get().as_deref(), Some(&html));
        assert!(
            matches!(&*packed.lock(), Some(Body::Owned(_))),
            "read once, held"
        );
        packed.release();
        assert_eq!(packed.get(), None);
        // Outside a restore, a body is read as its own string.
        let decoded: (u8, BodyHtml) = postcard::from_bytes(&pack).expect("decode");
        assert!(matches!(&*decoded.1.lock(), Some(Body::Owned(_))));
    }
}
