//! The key sieve: reads a struct's YAML mapping key by key and passes on
//! only the keys the struct declares. Unknown keys are noted with their
//! position (or kept, when site.yaml's `keep_keys` names them) instead of
//! failing the parse, so a file reports every unknown key in one run.
//!
//! It sees only the top-level mapping; nested structs keep their own rules.
//! Known keys cost no allocation: their names are the struct's `&'static`
//! field names.

use std::fmt;
use std::marker::PhantomData;
use std::path::Path;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_saphyr::{Location, Spanned};

use super::file_position;
use crate::content::validate::field_names;
use crate::diagnostic::{Diagnostic, did_you_mean};

/// What the sieve set aside while a struct was read.
pub(super) struct Sieve<'k> {
    keep: &'k [String],
    /// The struct's own keys, for "did you mean".
    fields: &'static [&'static str],
    /// Kept keys and their values, in file order.
    pub(super) kept: serde_json::Map<String, serde_json::Value>,
    unknown: Vec<(String, Location)>,
}

impl<'k> Sieve<'k> {
    pub(super) fn new(keep: &'k [String]) -> Self {
        Sieve {
            keep,
            fields: &[],
            kept: serde_json::Map::new(),
            unknown: Vec::new(),
        }
    }

    /// Deserializes `T` through the sieve when `T` is a struct, directly
    /// otherwise (a struct's field names come from its `Deserialize` impl).
    pub(super) fn deserialize<'de, T, D>(&mut self, de: D) -> Result<T, D::Error>
    where
        T: DeserializeOwned,
        D: Deserializer<'de>,
    {
        self.fields = field_names::<T>();
        if self.fields.is_empty() {
            return T::deserialize(de);
        }
        de.deserialize_struct(
            "front matter",
            self.fields,
            SieveVisitor {
                sieve: self,
                target: PhantomData,
            },
        )
    }

    /// One error per unknown key, at the key, with "did you mean".
    pub(super) fn unknown_keys(&self, path: &Path, line_offset: usize) -> Vec<Diagnostic> {
        let candidates = || {
            self.fields
                .iter()
                .copied()
                .chain(self.keep.iter().map(String::as_str))
        };
        self.unknown
            .iter()
            .map(|(key, at)| {
                let (line, column) = file_position(line_offset, at);
                let hint = match did_you_mean(key, candidates()) {
                    Some(guess) => format!(
                        "did you mean `{guess}`? Theme-specific data goes under `extra:`"
                    ),
                    None => format!(
                        "known fields are: {}; theme-specific data goes under `extra:`, or list the key in site.yaml's `keep_keys:`",
                        candidates().collect::<Vec<_>>().join(", ")
                    ),
                };
                Diagnostic::error(path, line, column, format!("unknown field `{key}`"))
                    .with_hint(hint)
            })
            .collect()
    }
}

struct SieveVisitor<'s, 'k, T> {
    sieve: &'s mut Sieve<'k>,
    target: PhantomData<T>,
}

impl<'de, T: DeserializeOwned> Visitor<'de> for SieveVisitor<'_, '_, T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping of `key: value` lines")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(SievedMap {
            map,
            sieve: self.sieve,
        }))
    }
}

/// The mapping as the struct sees it: its own keys only.
struct SievedMap<'s, 'k, A> {
    map: A,
    sieve: &'s mut Sieve<'k>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for SievedMap<'_, '_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            let Some(key) = self.map.next_key::<Spanned<KeyName<'de>>>()? else {
                return Ok(None);
            };
            let name = key.value.as_str();
            if let Some(field) = self.sieve.fields.iter().find(|f| **f == name) {
                let field: &'static str = field;
                return seed.deserialize(field.into_deserializer()).map(Some);
            }
            if self.sieve.keep.iter().any(|k| k == name) {
                let value: serde_json::Value = self.map.next_value()?;
                self.sieve.kept.insert(name.to_string(), value);
            } else {
                self.map.next_value::<de::IgnoredAny>()?;
                self.sieve.unknown.push((name.to_string(), key.referenced));
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// A key's text, borrowed from the YAML when it can be.
enum KeyName<'de> {
    Borrowed(&'de str),
    Owned(String),
}

impl KeyName<'_> {
    fn as_str(&self) -> &str {
        match self {
            KeyName::Borrowed(s) => s,
            KeyName::Owned(s) => s,
        }
    }
}

impl<'de> Deserialize<'de> for KeyName<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = KeyName<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key name")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<KeyName<'de>, E> {
        Ok(KeyName::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyName<'de>, E> {
        Ok(KeyName::Owned(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<KeyName<'de>, E> {
        Ok(KeyName::Owned(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<KeyName<'de>, E> {
        Ok(KeyName::Owned(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<KeyName<'de>, E> {
        Ok(KeyName::Owned(v.to_string()))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<KeyName<'de>, E> {
        Ok(KeyName::Owned(v.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Keys, Split, parse_lenient};
    use super::*;

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Small {
        title: Option<String>,
        #[serde(default)]
        tags: Vec<String>,
    }

    fn split(yaml: &str) -> Split<'_> {
        Split {
            yaml,
            yaml_line_offset: 1,
            body: "",
            body_offset: 0,
        }
    }

    #[test]
    fn every_unknown_key_is_reported_at_its_place() {
        let yaml = "titel: A\ntags: [a]\nweight: 3\ndeck: \"x\"\n";
        let p: Parsed = parse_lenient(Path::new("a.md"), &split(yaml), Keys::STRICT).unwrap();
        assert_eq!(p.value.tags, ["a"]);
        let at: Vec<(usize, usize, &str)> = p
            .unknown
            .iter()
            .map(|d| (d.line, d.column, d.message.as_str()))
            .collect();
        assert_eq!(
            at,
            [
                (2, 1, "unknown field `titel`"),
                (4, 1, "unknown field `weight`"),
                (5, 1, "unknown field `deck`")
            ]
        );
        assert!(p.unknown[0].hint.as_deref().unwrap().contains("`title`"));
    }

    type Parsed = super::super::Parsed<Small>;

    #[test]
    fn kept_keys_are_returned_with_their_values() {
        let keep = ["weight".to_string(), "topics".to_string()];
        let keys = Keys {
            keep: &keep,
            ..Keys::STRICT
        };
        let yaml = "title: A\nweight: 3\ntopics: [a, b]\n";
        let p: Parsed = parse_lenient(Path::new("a.md"), &split(yaml), keys).unwrap();
        assert!(p.unknown.is_empty());
        assert_eq!(p.value.title.as_deref(), Some("A"));
        assert_eq!(
            serde_json::Value::Object(p.kept),
            serde_json::json!({"weight": 3, "topics": ["a", "b"]})
        );
    }
}
