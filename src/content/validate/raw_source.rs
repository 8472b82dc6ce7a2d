//! One entry of a brief's `sources:` list, read straight from YAML.
//!
//! A source is a string (its title) or a map of known keys. Mistakes inside
//! one source (an unknown key, a list where text belongs) are kept as a
//! problem instead of failing the whole front matter, so every other mistake
//! in the file is still reported. Reading into these fields directly, rather
//! than through a generic JSON tree, keeps front matter parsing cheap.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// Keys a source map may have, in the order hints list them. Kept by hand
/// with the `match` in `visit_map`; a test checks both against the fields.
pub(super) const SOURCE_KEYS: &[&str] = &["id", "title", "publisher", "url", "date", "kind"];

/// A source as written, with at most one problem found in it.
#[derive(Debug, Default)]
pub(super) struct RawSource {
    pub(super) id: Option<String>,
    pub(super) title: Option<String>,
    pub(super) publisher: Option<String>,
    pub(super) url: Option<String>,
    pub(super) date: Option<String>,
    pub(super) kind: Option<String>,
    pub(super) problem: Option<SourceProblem>,
}

/// What is wrong with a source entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum SourceProblem {
    /// A key that is not in [`SOURCE_KEYS`].
    UnknownKey(String),
    /// A field whose value is a list or a map instead of text.
    NotText(String),
    /// The entry is neither a string nor a map.
    NotAnEntry,
}

impl<'de> Deserialize<'de> for RawSource {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SourceVisitor)
    }
}

struct SourceVisitor;

impl SourceVisitor {
    fn not_an_entry<E>() -> Result<RawSource, E> {
        Ok(RawSource {
            problem: Some(SourceProblem::NotAnEntry),
            ..RawSource::default()
        })
    }
}

impl<'de> Visitor<'de> for SourceVisitor {
    type Value = RawSource;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a source: a string or a map")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawSource, E> {
        Ok(RawSource {
            title: Some(v.to_string()),
            ..RawSource::default()
        })
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<RawSource, E> {
        Self::not_an_entry()
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<RawSource, E> {
        Self::not_an_entry()
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<RawSource, E> {
        Self::not_an_entry()
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<RawSource, E> {
        Self::not_an_entry()
    }

    fn visit_unit<E: de::Error>(self) -> Result<RawSource, E> {
        Self::not_an_entry()
    }

    fn visit_none<E: de::Error>(self) -> Result<RawSource, E> {
        Self::not_an_entry()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawSource, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Self::not_an_entry()
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawSource, A::Error> {
        let mut source = RawSource::default();
        while let Some(key) = map.next_key::<String>()? {
            let slot = match key.as_str() {
                "id" => &mut source.id,
                "title" => &mut source.title,
                "publisher" => &mut source.publisher,
                "url" => &mut source.url,
                "date" => &mut source.date,
                "kind" => &mut source.kind,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    source.problem.get_or_insert(SourceProblem::UnknownKey(key));
                    continue;
                }
            };
            match map.next_value::<Text>()? {
                Text::Some(text) => *slot = Some(text),
                Text::Empty => {}
                Text::Structured => {
                    source.problem.get_or_insert(SourceProblem::NotText(key));
                }
            }
        }
        Ok(source)
    }
}

/// A field value: text (numbers and booleans as written), nothing, or a
/// list/map where text was expected.
enum Text {
    Some(String),
    Empty,
    Structured,
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("text")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
        Ok(Text::Some(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
        Ok(Text::Some(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
        Ok(Text::Some(v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
        Ok(Text::Some(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
        Ok(Text::Some(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
        Ok(Text::Some(v.to_string()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Text, E> {
        Ok(Text::Empty)
    }

    fn visit_none<E: de::Error>(self) -> Result<Text, E> {
        Ok(Text::Empty)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Text, D::Error> {
        Text::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Text, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Text::Structured)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Text::Structured)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `SOURCE_KEYS` is kept by hand because the visitor above is: each key
    /// must fill its own field, and every field must have a key. Adding a
    /// field to `RawSource` breaks the destructuring below until this test
    /// (and so the list) is updated.
    #[test]
    fn source_keys_match_the_fields() {
        let mut filled = Vec::new();
        for key in SOURCE_KEYS {
            let source: RawSource = match serde_saphyr::from_str(&format!("{key}: x")) {
                Ok(s) => s,
                Err(e) => panic!("{key}: {e}"),
            };
            let RawSource {
                id,
                title,
                publisher,
                url,
                date,
                kind,
                problem,
            } = source;
            assert_eq!(problem, None, "`{key}` is not read");
            let fields = [id, title, publisher, url, date, kind];
            assert_eq!(fields.len(), SOURCE_KEYS.len(), "a field has no key");
            let set: Vec<usize> = (0..fields.len()).filter(|&i| fields[i].is_some()).collect();
            assert_eq!(set.len(), 1, "`{key}` fills {set:?}");
            filled.push(set[0]);
        }
        filled.sort_unstable();
        filled.dedup();
        assert_eq!(filled.len(), SOURCE_KEYS.len(), "two keys fill one field");
    }
}
