//! The field names of a serde-derived struct, read from its `Deserialize`
//! impl, so the lists of known keys behind "did you mean" hints and
//! unknown-field reports cannot drift from the raw structs.
//!
//! This module only lists names; it parses nothing and knows no struct.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Visitor};

/// The field names of `T` in declaration order, as serde's derive passes
/// them to `deserialize_struct`. Empty for a type whose `Deserialize` does
/// not read a struct (a hand-written impl or a `flatten`ed struct).
///
/// Costs one failed call and no allocation, so it may run once per file.
pub(crate) fn field_names<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    let mut names: &'static [&'static str] = &[];
    // The derive stops at our error right after handing over the names.
    let _ = T::deserialize(FieldNames(&mut names));
    names
}

/// A deserializer that records `deserialize_struct`'s `fields` and fails.
struct FieldNames<'a>(&'a mut &'static [&'static str]);

/// The only error `FieldNames` returns: the names were recorded (or the type
/// is not a struct). Carries no message, so nothing is allocated.
#[derive(Debug)]
struct Stop;

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field names recorded")
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<M: fmt::Display>(_: M) -> Self {
        Stop
    }
}

impl<'de> de::Deserializer<'de> for FieldNames<'_> {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
        Err(Stop)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Stop> {
        *self.0 = fields;
        Err(Stop)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    #[allow(dead_code)]
    struct Two {
        first: Option<String>,
        #[serde(default)]
        second: Vec<u8>,
    }

    #[test]
    fn lists_fields_in_declaration_order() {
        assert_eq!(field_names::<Two>(), ["first", "second"]);
    }

    #[test]
    fn non_structs_have_no_fields() {
        assert!(field_names::<String>().is_empty());
    }
}
