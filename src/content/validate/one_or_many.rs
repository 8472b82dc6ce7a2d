//! A list field that also takes one value: `authors: "Jane Doe"`,
//! `countries: Iran` and `actors: IRGC` are one-item lists, as archives
//! converted from other generators write them; an empty value
//! (`authors:`) is an empty list.
//!
//! Only reading: each item keeps its position for the brief's checks.

use std::fmt;

use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_saphyr::Spanned;

/// The items of a list field, each with its position in the YAML.
#[derive(Debug, Default)]
pub(super) struct OneOrMany(pub(super) Vec<Spanned<String>>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // The single value's position is the position of the whole field.
        let field = Spanned::<Items>::deserialize(deserializer)?;
        Ok(OneOrMany(match field.value {
            Items::Many(items) => items,
            Items::One(text) => vec![Spanned::new(text, field.referenced, field.defined)],
            Items::None => Vec::new(),
        }))
    }
}

enum Items {
    One(String),
    Many(Vec<Spanned<String>>),
    None,
}

impl<'de> Deserialize<'de> for Items {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ItemsVisitor)
    }
}

struct ItemsVisitor;

impl<'de> Visitor<'de> for ItemsVisitor {
    type Value = Items;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence of names or one name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Items, E> {
        Ok(Items::One(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Items, E> {
        Ok(Items::One(v))
    }

    // A bare number or `true` is still one name as written (e.g. `actors: 1701`).
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Items, E> {
        Ok(Items::One(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Items, E> {
        Ok(Items::One(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Items, E> {
        Ok(Items::One(v.to_string()))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Items, E> {
        Ok(Items::One(v.to_string()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Items, E> {
        Ok(Items::None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Items, E> {
        Ok(Items::None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Items, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element::<Spanned<String>>()? {
            items.push(item);
        }
        Ok(Items::Many(items))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Doc {
        #[serde(default)]
        authors: OneOrMany,
    }

    fn read(yaml: &str) -> Vec<(String, u64, u64)> {
        let doc: Doc = match serde_saphyr::from_str(yaml) {
            Ok(d) => d,
            Err(e) => panic!("{yaml}: {e}"),
        };
        doc.authors
            .0
            .into_iter()
            .map(|s| (s.value, s.referenced.line(), s.referenced.column()))
            .collect()
    }

    #[test]
    fn one_value_is_a_one_item_list_at_its_place() {
        assert_eq!(
            read("authors: \"Jane Doe\"\n"),
            [("Jane Doe".into(), 1, 10)]
        );
        assert_eq!(read("authors: IRGC\n"), [("IRGC".into(), 1, 10)]);
        assert_eq!(
            read("authors:\n  - A\n  - B\n"),
            [("A".into(), 2, 5), ("B".into(), 3, 5)]
        );
        assert_eq!(read("authors: [A, B]\n").len(), 2);
        assert!(read("authors:\n").is_empty());
        assert!(read("x: 1\n").is_empty());
    }
}
