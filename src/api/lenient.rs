//! Tolerant serde helpers for the CRM's JSON quirks: `[]` for empty objects, numbers as ints, floats or strings.

use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde::Deserialize;
use serde_json::Value;

use super::json::decode;

/// Parses JSON text as `T` through one `serde_json::Value`: every type the panel reads is then deserialized from a
/// `Value` only (the tolerant helpers below go through one anyway), so its decoding code exists once in the wasm.
pub fn from_text<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    decode(serde_json::from_str::<Value>(text)?)
}

/// An object field that the PHP backend sends as `[]` when empty (or `null`): those become `T::default()`.
pub fn object<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned + Default,
{
    match object_value(Value::deserialize(d)?) {
        None => Ok(T::default()),
        Some(value) => decode(value).map_err(D::Error::custom),
    }
}

/// The value of an object field (see [`object`]), or `None` for `[]` and `null`.
fn object_value(value: Value) -> Option<Value> {
    match value {
        Value::Null => None,
        Value::Array(items) if items.is_empty() => None,
        other => Some(other),
    }
}

/// A list that may come as an array, as an object keyed by code (its values are taken in order), or as `null`.
pub fn list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let items = list_items(Value::deserialize(d)?).map_err(D::Error::custom)?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(decode(item).map_err(D::Error::custom)?);
    }
    Ok(out)
}

/// The items of a list value (see [`list`]): the part that does not depend on the item type, so it exists once.
fn list_items(value: Value) -> Result<Vec<Value>, String> {
    match value {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => Ok(items),
        Value::Object(map) => Ok(map.into_iter().map(|(_, v)| v).collect()),
        other => Err(format!("expected a list, found {}", kind(&other))),
    }
}

/// A number that may be an integer, a float or a numeric string; absent or `null` is `None`.
pub fn opt_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        v => as_number(&v)
            .map(Some)
            .ok_or_else(|| D::Error::custom(format!("expected a number, found {}", kind(&v)))),
    }
}

/// A required number (integer, float or numeric string); `null` is 0.
pub fn number<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    opt_number(d).map(|v| v.unwrap_or(0.0))
}

/// An integer id that may come as a number or a numeric string; absent or `null` is `None`.
pub fn opt_integer<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        v => as_integer(&v)
            .map(Some)
            .ok_or_else(|| D::Error::custom(format!("expected an integer, found {}", kind(&v)))),
    }
}

/// A required integer (number or numeric string); `null` is 0.
pub fn integer<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    opt_integer(d).map(|v| v.unwrap_or(0))
}

/// A count or page number (non-negative integer, number or numeric string); `null` is 0, out of range saturates.
pub fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    integer(d).map(|v| u32::try_from(v.max(0)).unwrap_or(u32::MAX))
}

/// A text field that some fixtures send as a number (`"externalId": 1`); absent or `null` is `None`.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::Bool(b) => Ok(Some(b.to_string())),
        other => Err(D::Error::custom(format!(
            "expected a string, found {}",
            kind(&other)
        ))),
    }
}

/// A required text field (see [`opt_string`]); `null` is empty.
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    opt_string(d).map(Option::unwrap_or_default)
}

/// A flag that may come as a boolean, `0`/`1`, or `"true"`/`"false"`/`"0"`/`"1"`; absent or `null` is `None`.
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(b)),
        Value::Number(n) => Ok(Some(n.as_f64().is_some_and(|x| x != 0.0))),
        Value::String(s) => match s.as_str() {
            "true" | "1" | "Y" => Ok(Some(true)),
            "false" | "0" | "N" | "" => Ok(Some(false)),
            _ => Err(D::Error::custom("expected a boolean")),
        },
        other => Err(D::Error::custom(format!(
            "expected a boolean, found {}",
            kind(&other)
        ))),
    }
}

fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => crate::decimal::parse(s.trim()),
        _ => None,
    }
}

fn as_integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|x| x.fract() == 0.0).map(|x| x as i64)),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Serialises a quantity or price as an integer when it has no fractional part (`15`, not `15.0`).
pub fn write_number<S: serde::Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        s.serialize_i64(*x as i64)
    } else {
        s.serialize_f64(*x)
    }
}

/// [`write_number`] for an optional field (used with `skip_serializing_if = "Option::is_none"`).
pub fn write_opt_number<S: serde::Serializer>(x: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match x {
        Some(x) => write_number(x, s),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use std::collections::BTreeMap;

    #[derive(Deserialize, Default, Debug)]
    struct Probe {
        #[serde(default, deserialize_with = "super::object")]
        map: BTreeMap<String, String>,
        #[serde(default, deserialize_with = "super::list")]
        list: Vec<u32>,
        #[serde(default, deserialize_with = "super::opt_number")]
        num: Option<f64>,
        #[serde(default, deserialize_with = "super::opt_integer")]
        id: Option<i64>,
        #[serde(default, deserialize_with = "super::opt_string")]
        text: Option<String>,
        #[serde(default, deserialize_with = "super::opt_bool")]
        flag: Option<bool>,
    }

    fn probe(json: &str) -> Probe {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn empty_array_is_an_empty_object() {
        assert!(probe(r#"{"map": []}"#).map.is_empty());
        assert!(probe(r#"{"map": null}"#).map.is_empty());
        assert_eq!(probe(r#"{"map": {"a": "b"}}"#).map["a"], "b");
        assert!(serde_json::from_str::<Probe>(r#"{"map": [1]}"#).is_err());
    }

    #[test]
    fn lists_come_as_arrays_or_keyed_objects() {
        assert_eq!(probe(r#"{"list": [1, 2]}"#).list, vec![1, 2]);
        assert_eq!(probe(r#"{"list": {"a": 1, "b": 2}}"#).list, vec![1, 2]);
        assert!(probe(r#"{"list": null}"#).list.is_empty());
    }

    #[test]
    fn numbers_as_ints_floats_or_strings() {
        assert_eq!(probe(r#"{"num": 100000}"#).num, Some(100000.0));
        assert_eq!(probe(r#"{"num": 272.64}"#).num, Some(272.64));
        assert_eq!(probe(r#"{"num": "15.5"}"#).num, Some(15.5));
        assert_eq!(probe(r#"{"id": "42"}"#).id, Some(42));
        assert_eq!(probe(r#"{"id": 42.0}"#).id, Some(42));
        assert_eq!(probe("{}").num, None);
        assert!(serde_json::from_str::<Probe>(r#"{"num": "many"}"#).is_err());
    }

    #[test]
    fn strings_and_flags_in_loose_spellings() {
        assert_eq!(probe(r#"{"text": 1}"#).text.as_deref(), Some("1"));
        assert_eq!(probe(r#"{"flag": "1"}"#).flag, Some(true));
        assert_eq!(probe(r#"{"flag": 0}"#).flag, Some(false));
        assert_eq!(probe(r#"{"flag": false}"#).flag, Some(false));
    }

    #[test]
    fn whole_numbers_are_written_without_a_fraction() {
        #[derive(serde::Serialize)]
        struct W {
            #[serde(serialize_with = "super::write_number")]
            a: f64,
            #[serde(serialize_with = "super::write_opt_number")]
            b: Option<f64>,
        }
        let json = serde_json::to_string(&W {
            a: 15.0,
            b: Some(2.5),
        })
        .unwrap();
        assert_eq!(json, r#"{"a":15,"b":2.5}"#);
    }
}
