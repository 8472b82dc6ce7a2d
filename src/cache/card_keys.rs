//! Card keys remembered across builds. A build that keeps pages keys every
//! brief's card (`render::LazyCards::keys`: its typed values, hashed), and
//! at 50,000 briefs that was 0.2 s of CPU after every edit, on the way to
//! the first page rendered. A card is made from its brief and from what the
//! whole site shares, so each key is remembered under a hash of the brief's
//! identity and of that (`LazyCards::keys_remembered`): a brief whose
//! fields and site are as before takes its key back without its card being
//! built. One entry holds the current briefs' keys; it is rewritten when
//! one of them was made anew or a brief left.

use std::collections::HashMap;
use std::path::PathBuf;

use rustc_hash::FxBuildHasher;

use super::{BuildCache, Key};
use crate::render::LazyCards;

/// The cache kind of the remembered card keys.
const KIND: &str = "card-keys";

/// The one file of the entry: 32 bytes a brief, where it is remembered
/// and its key.
const FILE: &str = "card-keys";

/// Every brief's card key (by brief id), taken from `cache` where it
/// remembers them, and how many were; the entry is brought up to date.
pub(crate) fn keys(
    cache: Option<&BuildCache>,
    cards: &LazyCards<'_>,
    base: u128,
    identities: &[u128],
) -> (Vec<u128>, usize) {
    let Some(cache) = cache else {
        return (cards.keys(), 0);
    };
    let remembered = read(cache);
    let keyed = cards.keys_remembered(base, identities, &remembered);
    let found = (keyed.iter())
        .filter(|(under, _)| remembered.contains_key(under))
        .count();
    if found == keyed.len() && found == remembered.len() {
        cache.claim(KIND, Key::from_u128(0));
    } else {
        let mut bytes = Vec::with_capacity(keyed.len() * 32);
        for (under, key) in &keyed {
            bytes.extend_from_slice(&under.to_le_bytes());
            bytes.extend_from_slice(&key.to_le_bytes());
        }
        cache.put(KIND, Key::from_u128(0), &[(PathBuf::from(FILE), bytes)]);
    }
    (keyed.into_iter().map(|(_, key)| key).collect(), found)
}

/// The remembered keys, none when the entry is missing or not ours.
fn read(cache: &BuildCache) -> HashMap<u128, u128, FxBuildHasher> {
    let pairs = cache.read_with(KIND, Key::from_u128(0), |_, files| match files {
        [(name, bytes)] if *name == FILE && bytes.len().is_multiple_of(32) => Some(
            (bytes.chunks_exact(32))
                .filter_map(|pair| {
                    let (under, key) = pair.split_first_chunk::<16>()?;
                    Some((
                        u128::from_le_bytes(*under),
                        u128::from_le_bytes(key.try_into().ok()?),
                    ))
                })
                .collect(),
        ),
        _ => None,
    });
    pairs.unwrap_or_default()
}
