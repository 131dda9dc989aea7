//! A parsed JSON value as a serde `Deserializer` that reads a struct from an object only. serde_json's own `Value`
//! also reads a struct from an array (by position), so every model's decoder is compiled twice, once per shape; no
//! CRM answer and no saved value has a struct as an array, and without that path the wasm holds each decoder once.

use serde::de::{
    self, DeserializeSeed, Deserializer, Error as _, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, Visitor,
};
use serde_json::{Map, Value};

/// `T` from a parsed value (see the module's doc): what every answer and stored value is read through.
pub fn decode<T: de::DeserializeOwned>(value: Value) -> Result<T, serde_json::Error> {
    T::deserialize(Json(value))
}

/// A value being deserialized.
pub struct Json(pub Value);

type Error = serde_json::Error;

/// What a value is, for a type error.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(_) => Unexpected::Other("a number"),
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

impl<'de> Deserializer<'de> for Json {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Items(items.into_iter())),
            Value::Object(map) => visitor.visit_map(Fields::new(map)),
            scalar => scalar.deserialize_any(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            value => visitor.visit_some(Json(value)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    // A sequence, a map and a struct each take their one shape here rather than through `deserialize_any`: going
    // through it would compile the visitor's other shape too (a struct's `visit_seq`), which is what this type avoids.
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Items(items.into_iter())),
            other => Err(Error::invalid_type(unexpected(&other), &visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(map) => visitor.visit_map(Fields::new(map)),
            other => Err(Error::invalid_type(unexpected(&other), &visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit unit_struct
        identifier
    }
}

/// The items of an array.
struct Items(std::vec::IntoIter<Value>);

impl<'de> SeqAccess<'de> for Items {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|v| seed.deserialize(Json(v))).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

/// The fields of an object, keys read as strings (or as numbers, for maps keyed by number).
struct Fields {
    entries: serde_json::map::IntoIter,
    value: Option<Value>,
}

impl Fields {
    fn new(map: Map<String, Value>) -> Fields {
        Fields {
            entries: map.into_iter(),
            value: None,
        }
    }
}

impl<'de> MapAccess<'de> for Fields {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(Key(key)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(Json(value)),
            None => Err(Error::custom("a value was asked for before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// An object's key: a string, or a number written as one (`{"12": ...}` for a map keyed by id).
struct Key(String);

macro_rules! key_as_number {
    ($($method:ident => $visit:ident: $t:ty),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.0.parse::<$t>() {
                Ok(n) => visitor.$visit(n),
                Err(_) => visitor.visit_string(self.0),
            }
        }
    )*};
}

impl<'de> Deserializer<'de> for Key {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_string(self.0)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.0
            .into_deserializer()
            .deserialize_enum(name, variants, visitor)
    }

    key_as_number! {
        deserialize_i8 => visit_i8: i8, deserialize_i16 => visit_i16: i16, deserialize_i32 => visit_i32: i32,
        deserialize_i64 => visit_i64: i64, deserialize_u8 => visit_u8: u8, deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32, deserialize_u64 => visit_u64: u64
    }

    serde::forward_to_deserialize_any! {
        bool i128 u128 f32 f64 char str string bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Offer {
        id: i64,
        external_id: Option<String>,
        #[serde(default)]
        stores: Vec<Store>,
        kind: Kind,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Store {
        code: String,
        quantity: f64,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Kind {
        Plain,
        Set { size: u32 },
    }

    #[test]
    fn reads_nested_structs_options_lists_and_enums() {
        let offer: Offer = decode(json!({
            "id": 7, "externalId": null, "kind": "plain", "unknown": [1, {"a": 2}],
            "stores": [{"code": "main", "quantity": 1.5}],
        }))
        .unwrap();
        assert_eq!(
            offer,
            Offer {
                id: 7,
                external_id: None,
                stores: vec![Store {
                    code: "main".into(),
                    quantity: 1.5
                }],
                kind: Kind::Plain,
            }
        );
        let set: Offer =
            decode(json!({"id": 8, "externalId": "x", "kind": {"set": {"size": 3}}})).unwrap();
        assert_eq!(set.kind, Kind::Set { size: 3 });
        assert_eq!(set.external_id.as_deref(), Some("x"));
    }

    #[test]
    fn a_struct_comes_from_an_object_only() {
        let err = decode::<Store>(json!(["main", 1.5])).unwrap_err();
        assert!(err.to_string().contains("invalid type"), "{err}");
        assert!(decode::<Store>(json!({"code": "main"})).is_err());
        assert!(decode::<Vec<Store>>(json!({"code": "main"})).is_err());
    }

    #[test]
    fn maps_are_keyed_by_strings_or_numbers() {
        let by_code: BTreeMap<String, u32> = decode(json!({"b": 2, "a": 1})).unwrap();
        assert_eq!(
            by_code.into_iter().collect::<Vec<_>>(),
            [("a".into(), 1), ("b".into(), 2)]
        );
        let by_id: BTreeMap<i64, String> = decode(json!({"12": "x", "3": "y"})).unwrap();
        assert_eq!(
            by_id.into_iter().collect::<Vec<_>>(),
            [(3, "y".into()), (12, "x".into())]
        );
        assert!(decode::<BTreeMap<i64, String>>(json!({"twelve": "x"})).is_err());
    }

    #[test]
    fn values_and_tuples_come_through_whole() {
        let value: Value = decode(json!({"a": [1, "two", null, {"b": true}]})).unwrap();
        assert_eq!(value, json!({"a": [1, "two", null, {"b": true}]}));
        let pair: (String, u8) = decode(json!(["x", 2])).unwrap();
        assert_eq!(pair, ("x".into(), 2));
    }
}
