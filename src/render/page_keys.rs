//! Page keys: a 128-bit hash of everything a page shows, so that a build
//! can tell, without rendering it, that a page would come out as the last
//! build wrote it (then it is neither rendered nor written). A listing
//! page's key hashes its template variables ([`listing_key`]); a brief
//! page's is made before rendering, from what the page shows (see
//! `pages/brief.rs`, and the rules in [`super::invalidate`] that the
//! preview server follows):
//!
//! - the brief itself, whole ([`identities`]: every field as validated);
//! - its related briefs' cards (`LazyCards::keys`), and the links to its
//!   translations;
//! - its PDF's size;
//! - site-wide values: the `site` variable, and the names and links of
//!   authors, countries, actors and source publishers that cards and source
//!   lists show, some of which come from other briefs (an unregistered
//!   publisher's name);
//! - what templates read besides their variables: the templates, interface
//!   strings, asset names, the configuration and registries, the options
//!   and the binary. These are the build's render key (`base`,
//!   `cache::up_to_date::render_base`), which every key starts from.
//!
//! A brief page's key misses nothing as long as this list is what
//! `pages/brief.rs` reads; the build cache tests compare builds that
//! skipped pages with clean builds byte for byte after edits of each kind.

use std::path::PathBuf;

use rayon::prelude::*;
use tera::Value;
use xxhash_rust::xxh3::Xxh3;

use super::pages::languages::{self, Sibling};
use super::views::Views;
use super::{Page, Site, output_path};
use crate::content::model::Brief;
use crate::index::BriefId;

/// Each brief's identity: a hash of every field of it as validated.
/// `known` holds identities the build cache kept with the parsed briefs
/// (`cache::briefs`), taken when they still hold ([`Known::of`]).
pub(crate) fn identities(briefs: &[Brief], known: &Known) -> Vec<u128> {
    each_hashed(briefs, |brief| known.of(brief), identity_of)
}

/// `hash` of each brief, or what `remembered` gives when it gives it
/// (debug builds check that it is what `hash` gives).
fn each_hashed(
    briefs: &[Brief],
    remembered: impl Fn(&Brief) -> Option<u128> + Sync,
    hash: impl Fn(&Brief) -> u128 + Sync,
) -> Vec<u128> {
    briefs
        .par_iter()
        .map(|brief| match remembered(brief) {
            Some(hashed) => {
                debug_assert_eq!(hashed, hash(brief), "{:?}", brief.path);
                hashed
            }
            None => hash(brief),
        })
        .collect()
}

/// Each brief's [`listing_hash_of`], taken from `known` when it was hashed
/// as the brief was parsed (at 50,000 briefs, 50 MB of fields encoded and
/// hashed in every build otherwise).
pub(crate) fn listing_hashes(briefs: &[Brief], known: &Known) -> Vec<u128> {
    each_hashed(briefs, |brief| known.listing_of(brief), listing_hash_of)
}

/// A hash of what listing pages and feeds without bodies can show of a
/// brief ([`Brief::listing_fields`]).
pub(crate) fn listing_hash_of(brief: &Brief) -> u128 {
    let mut hasher = Xxh3::new();
    hash_serialized(&brief.listing_fields(), &mut hasher);
    hasher.digest128()
}

/// A hash of what every listing page and every feed without bodies can
/// show of the briefs (each brief's [`listing_hashes`] and card key), from
/// the build's render key `base`. When it is the last build's, as after an
/// edit of a brief's body only, those pages are what the last build wrote.
pub(crate) fn listings_key(base: u128, listing_hashes: &[u128], card_keys: &[u128]) -> u128 {
    let mut hasher = Xxh3::new();
    hasher.update(b"listings");
    hasher.update(&base.to_le_bytes());
    hasher.update(&(listing_hashes.len() as u64).to_le_bytes());
    for (fields, card) in listing_hashes.iter().zip(card_keys) {
        hasher.update(&fields.to_le_bytes());
        hasher.update(&card.to_le_bytes());
    }
    hasher.update(&(card_keys.len() as u64).to_le_bytes());
    hasher.digest128()
}

/// A brief's identity, hashed.
pub(crate) fn identity_of(brief: &Brief) -> u128 {
    // Encoded straight into the hasher: encoding into a buffer first
    // copied 250 MB of bodies at 50,000 briefs.
    let mut hasher = Xxh3::new();
    hash_serialized(brief, &mut hasher);
    hasher.digest128()
}

/// Identities and listing hashes made when the briefs were parsed, by
/// path, each with the brief's `scheduled` then. Hashing 50,000 briefs
/// (250 MB of bodies) was 0.14 s of CPU in every build, for briefs restored
/// as they were saved.
#[derive(Default)]
pub(crate) struct Known(rustc_hash::FxHashMap<std::ffi::OsString, (Hashed, bool)>);

/// A brief's identity ([`identity_of`]) and listing hash ([`listing_hash_of`]).
pub(crate) type Hashed = (u128, u128);

/// [`Hashed`] of `brief`.
pub(crate) fn hashed(brief: &Brief) -> Hashed {
    (identity_of(brief), listing_hash_of(brief))
}

impl Known {
    pub(crate) fn insert(&mut self, brief: &Brief, hashed: Hashed) {
        let path = brief.path.clone().into_os_string();
        self.0.insert(path, (hashed, brief.scheduled));
    }

    pub(crate) fn reserve(&mut self, more: usize) {
        self.0.reserve(more);
    }

    /// The identity known for `brief`, when it is still what the brief
    /// hashes to: a brief changes after it is parsed (or restored) only
    /// by the clock (`scheduled`) and by its links to other briefs being
    /// filled in its body. Debug builds (the tests') check every one.
    fn of(&self, brief: &Brief) -> Option<u128> {
        let ((identity, _), scheduled) = self.0.get(brief.path.as_os_str())?;
        (*scheduled == brief.scheduled && brief.links.is_empty()).then_some(*identity)
    }

    /// The listing hash known for `brief`, when it is still what the brief
    /// hashes to: links filled in change only its body, which listings do
    /// not show.
    fn listing_of(&self, brief: &Brief) -> Option<u128> {
        let ((_, listing), scheduled) = self.0.get(brief.path.as_os_str())?;
        (*scheduled == brief.scheduled).then_some(*listing)
    }
}

/// Feeds a value's postcard encoding into `hasher`, without a buffer.
pub(crate) fn hash_serialized(value: &impl serde::Serialize, hasher: &mut Xxh3) {
    if postcard::to_io(value, HashWriter(hasher)).is_err() {
        // Not expected (postcard writes any of our values); a random key is
        // never equal to the last build's, so the page is rendered.
        hasher.update(&fresh_key().to_le_bytes());
    }
}

/// Bytes written are fed to a hasher.
struct HashWriter<'h>(&'h mut Xxh3);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A key no page had before.
fn fresh_key() -> u128 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    xxhash_rust::xxh3::xxh3_128(format!("{:?}{n}", std::time::SystemTime::now()).as_bytes())
}

/// The key of every brief page `site` renders among `pages`, by output path.
pub(crate) fn brief_page_keys(
    site: &Site<'_>,
    pages: &[Page],
    base: u128,
    (identities, card_keys): (&[u128], &[u128]),
) -> Vec<(PathBuf, u128)> {
    let site_key = site_key(site, base);
    pages
        .par_iter()
        .filter_map(|page| {
            let Page::Brief(id) = page else { return None };
            Some((
                output_path(site, page),
                brief_key(site, site_key, (identities, card_keys), *id),
            ))
        })
        .collect()
}

/// What every brief page of `site` shows alike.
fn site_key(site: &Site<'_>, base: u128) -> u128 {
    let views = Views::new(site);
    let mut hasher = Xxh3::new();
    hasher.update(&base.to_le_bytes());
    hasher.update(&(site.lang as u64).to_le_bytes());
    hasher.update(&[u8::from(site.search), u8::from(site.pdf_sizes.is_some())]);
    hash_value(&views.site_value, &mut hasher);
    let links = views.compute_link_values();
    for table in [&links.authors, &links.countries, &links.actors] {
        let mut entries: Vec<(&&str, &Value)> = table.iter().collect();
        entries.sort_by(|a, b| a.0.cmp(b.0));
        hasher.update(&(entries.len() as u64).to_le_bytes());
        for (key, value) in entries {
            hash_bytes(key.as_bytes(), &mut hasher);
            hash_value(value, &mut hasher);
        }
    }
    for key in site.index.sources.keys() {
        let link = super::pages::source_link(&views, key);
        hash_bytes(key.as_bytes(), &mut hasher);
        hash_value(&Value::from_serializable(&link), &mut hasher);
    }
    hasher.digest128()
}

/// One brief page's key.
fn brief_key(
    site: &Site<'_>,
    site_key: u128,
    (identities, card_keys): (&[u128], &[u128]),
    id: BriefId,
) -> u128 {
    let mut hasher = Xxh3::new();
    hasher.update(&site_key.to_le_bytes());
    hasher.update(
        &identities
            .get(id)
            .copied()
            .unwrap_or_else(fresh_key)
            .to_le_bytes(),
    );
    // Related briefs show as their cards.
    let related = site.index.related.get(id).map_or(&[][..], Vec::as_slice);
    hasher.update(&(related.len() as u64).to_le_bytes());
    for &other in related {
        let card = card_keys.get(other).copied().unwrap_or_else(fresh_key);
        hasher.update(&card.to_le_bytes());
    }
    let versions = languages::versions(site, &Sibling::Brief(id));
    hasher.update(&(versions.len() as u64).to_le_bytes());
    for version in &versions {
        hash_bytes(version.url.as_bytes(), &mut hasher);
        hasher.update(&[u8::from(version.exists)]);
    }
    let pdf_size = site.pdf_sizes.and_then(|s| s.get(id).copied().flatten());
    hasher.update(&pdf_size.map_or([0xff; 8], u64::to_le_bytes));
    hasher.digest128()
}

/// A listing page's key: its template, every variable of `ctx` but the
/// cards, and the keys of the cards on it (`slice`), which are hashed once
/// per build rather than once per page they are on.
pub(crate) fn listing_key(
    keep: &dyn super::KeepPages,
    ctx: &tera::Context,
    template: &str,
    slice: &[BriefId],
) -> u128 {
    let mut hasher = Xxh3::new();
    hasher.update(&keep.base().to_le_bytes());
    hash_bytes(template.as_bytes(), &mut hasher);
    for name in super::pages::LISTING_VARIABLES {
        if let Some(value) = ctx.get(name) {
            hash_bytes(name.as_bytes(), &mut hasher);
            hash_value(value, &mut hasher);
        }
    }
    hasher.update(&(slice.len() as u64).to_le_bytes());
    for &id in slice {
        hasher.update(&keep.card_key(id).to_le_bytes());
    }
    hasher.digest128()
}

/// A feed's key: the feed as written but for its entries' bodies (`feed`,
/// whose `content_html` are blank), whether entries carry bodies, and, when
/// they do, the identity of each entry's brief, which covers its body.
pub(crate) fn feed_key(
    base: u128,
    feed: &crate::publish::feeds::Feed<'_>,
    full: bool,
    identities: impl Iterator<Item = u128>,
) -> u128 {
    use std::hash::Hash;
    let mut hasher = Xxh3::new();
    hasher.update(&base.to_le_bytes());
    hasher.update(b"feed");
    feed.hash(&mut hasher);
    hasher.update(&[u8::from(full)]);
    for identity in identities {
        hasher.update(&identity.to_le_bytes());
    }
    hasher.digest128()
}

/// Feeds a template value into `hasher`, kinds and lengths included, so
/// that no two different values feed the same bytes.
pub(crate) fn hash_value(value: &Value, hasher: &mut Xxh3) {
    if let Some(s) = value.as_str() {
        hasher.update(if value.is_safe() { b"s" } else { b"n" });
        hash_bytes(s.as_bytes(), hasher);
    } else if let Some(map) = value.as_map() {
        hasher.update(b"m");
        hasher.update(&(map.len() as u64).to_le_bytes());
        for (key, value) in map {
            match key.as_str() {
                Some(name) => hash_bytes(name.as_bytes(), hasher),
                None => hash_bytes(key.to_string().as_bytes(), hasher),
            }
            hash_value(value, hasher);
        }
    } else if let Some(items) = value.as_array() {
        hasher.update(b"a");
        hasher.update(&(items.len() as u64).to_le_bytes());
        for item in items {
            hash_value(item, hasher);
        }
    } else if let Some(b) = value.as_bool() {
        hasher.update(if b { b"T" } else { b"F" });
    } else if value.is_none() {
        hasher.update(b"0");
    } else if value.is_undefined() {
        hasher.update(b"u");
    } else if let Some(bytes) = value.as_bytes() {
        hasher.update(b"b");
        hash_bytes(bytes, hasher);
    } else {
        // Numbers: their kind and text (as templates print them).
        hasher.update(format!("{:?}{value}", value.kind()).as_bytes());
        hasher.update(b";");
    }
}

fn hash_bytes(bytes: &[u8], hasher: &mut Xxh3) {
    hasher.update(&(bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}
