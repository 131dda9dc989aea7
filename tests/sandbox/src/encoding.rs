//! Request parameters in the CRM's encodings: bracketed query keys and form fields holding JSON.

use crate::error::ApiError;
use serde_json::{json, Value};

/// All parameters of one request (query string, then form body), keys split at their brackets.
///
/// `filter[sites][]=a` and `filter[sites][0]=a` both become the path `["filter", "sites"]` plus an
/// array slot, so both array encodings (Go's and PHP's) read the same.
#[derive(Debug, Default, Clone)]
pub struct Params {
    entries: Vec<(Vec<String>, String)>,
}

impl Params {
    /// Parses an `application/x-www-form-urlencoded` string (a query string or a form body).
    pub fn parse(input: &[u8]) -> Params {
        let mut params = Params::default();
        params.extend(input);
        params
    }

    /// Adds the fields of another urlencoded string; later values win for scalars.
    pub fn extend(&mut self, input: &[u8]) {
        for (key, value) in form_urlencoded::parse(input) {
            self.entries.push((split_key(&key), value.into_owned()));
        }
    }

    /// Adds the text fields of a `multipart/form-data` body (files are ignored), as the CRM's own
    /// extension tooling posts `integrationModule` that way.
    pub fn extend_multipart(&mut self, body: &[u8], boundary: &str) {
        let text = String::from_utf8_lossy(body);
        let delimiter = format!("--{boundary}");
        for part in text.split(delimiter.as_str()).skip(1) {
            let Some((head, value)) = part.split_once("\r\n\r\n") else {
                continue;
            };
            let disposition = head
                .lines()
                .find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"));
            let Some(disposition) = disposition.filter(|d| !d.contains("filename=")) else {
                continue;
            };
            let Some(name) = disposition
                .split(';')
                .filter_map(|p| p.trim().strip_prefix("name="))
                .next()
            else {
                continue;
            };
            let value = value.strip_suffix("\r\n").unwrap_or(value);
            self.entries
                .push((split_key(name.trim_matches('"')), value.to_string()));
        }
    }

    /// The last scalar value stored exactly at `path`.
    pub fn get(&self, path: &[&str]) -> Option<&str> {
        self.entries
            .iter()
            .rev()
            .find(|(segments, _)| same(segments, path))
            .map(|(_, value)| value.as_str())
    }

    /// The values of an array parameter: `path[]=`, `path[N]=`, or a single `path=`, in order.
    pub fn list(&self, path: &[&str]) -> Vec<String> {
        let mut indexed: Vec<(usize, usize, String)> = Vec::new();
        for (order, (segments, value)) in self.entries.iter().enumerate() {
            if same(segments, path) {
                indexed.push((order, order, value.clone()));
            } else if segments.len() == path.len() + 1 && same(&segments[..path.len()], path) {
                let slot = &segments[path.len()];
                if slot.is_empty() {
                    indexed.push((order, order, value.clone()));
                } else if let Ok(index) = slot.parse::<usize>() {
                    indexed.push((index, order, value.clone()));
                }
            }
        }
        // Explicit indexes sort by index; `[]` and plain entries keep their order of appearance.
        indexed.sort_by_key(|(index, order, _)| (*index, *order));
        indexed.into_iter().map(|(_, _, v)| v).collect()
    }

    /// Named members of a map parameter such as `filter[properties][color]=red`.
    pub fn map(&self, path: &[&str]) -> Vec<(String, String)> {
        self.entries
            .iter()
            .filter(|(segments, _)| {
                segments.len() == path.len() + 1
                    && same(&segments[..path.len()], path)
                    && !segments[path.len()].is_empty()
                    && segments[path.len()].parse::<usize>().is_err()
            })
            .map(|(segments, value)| (segments[path.len()].clone(), value.clone()))
            .collect()
    }

    /// A `0/1` (or `true/false`) flag; anything else is a 400 naming the parameter.
    pub fn flag(&self, path: &[&str]) -> Result<Option<bool>, ApiError> {
        match self.get(path) {
            None | Some("") => Ok(None),
            Some("1") | Some("true") => Ok(Some(true)),
            Some("0") | Some("false") => Ok(Some(false)),
            Some(_) => Err(input_error(path, "This value should be 0 or 1.")),
        }
    }

    /// A number parameter; a non-number is a 400 naming the parameter.
    pub fn number(&self, path: &[&str]) -> Result<Option<f64>, ApiError> {
        match self.get(path) {
            None | Some("") => Ok(None),
            Some(text) => text
                .trim()
                .parse::<f64>()
                .map(Some)
                .map_err(|_| input_error(path, "This value should be a number.")),
        }
    }

    /// An array of integer ids; a non-integer is a 400 naming the parameter.
    pub fn ids(&self, path: &[&str]) -> Result<Vec<u64>, ApiError> {
        self.list(path)
            .iter()
            .filter(|v| !v.is_empty())
            .map(|v| {
                v.trim()
                    .parse::<u64>()
                    .map_err(|_| input_error(path, "This value should be a positive integer."))
            })
            .collect()
    }

    /// A form field that must hold JSON: missing, empty or malformed values are the CRM's 400s.
    pub fn json_field(&self, name: &str) -> Result<Value, ApiError> {
        let text = match self.get(&[name]) {
            Some(text) if !text.trim().is_empty() => text,
            _ => return Err(ApiError::missing_parameter(name)),
        };
        serde_json::from_str(text)
            .map_err(|e| ApiError::validation(json!({ name: format!("Invalid JSON: {e}") })))
    }

    /// The query string without the API key, for the request log.
    pub fn without_api_key(query: &str) -> String {
        form_urlencoded::parse(query.as_bytes())
            .filter(|(k, _)| k != "apiKey")
            .fold(
                form_urlencoded::Serializer::new(String::new()),
                |mut s, (k, v)| {
                    s.append_pair(&k, &v);
                    s
                },
            )
            .finish()
    }
}

/// A 400 "Errors in the input parameters" naming a bracketed parameter.
pub fn input_error(path: &[&str], message: &str) -> ApiError {
    ApiError::input(json!({ join_key(path): message }))
}

/// `["filter", "sites"]` → `filter[sites]`.
pub fn join_key(path: &[&str]) -> String {
    let mut key = path.first().map(|s| s.to_string()).unwrap_or_default();
    for segment in path.iter().skip(1) {
        key.push('[');
        key.push_str(segment);
        key.push(']');
    }
    key
}

fn same(segments: &[String], path: &[&str]) -> bool {
    segments.len() == path.len() && segments.iter().zip(path).all(|(a, b)| a == b)
}

/// Splits `a[b][c][]` into `["a", "b", "c", ""]`; a malformed key stays one literal segment.
fn split_key(key: &str) -> Vec<String> {
    let Some(open) = key.find('[') else {
        return vec![key.to_string()];
    };
    let mut segments = vec![key[..open].to_string()];
    let mut rest = &key[open..];
    while let Some(stripped) = rest.strip_prefix('[') {
        let Some(close) = stripped.find(']') else {
            return vec![key.to_string()];
        };
        segments.push(stripped[..close].to_string());
        rest = &stripped[close + 1..];
    }
    if !rest.is_empty() {
        return vec![key.to_string()];
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_array_encodings_read_the_same() {
        let go = Params::parse(b"filter[sites][]=a&filter[sites][]=b");
        let php = Params::parse(b"filter%5Bsites%5D%5B1%5D=b&filter%5Bsites%5D%5B0%5D=a");
        assert_eq!(go.list(&["filter", "sites"]), vec!["a", "b"]);
        assert_eq!(php.list(&["filter", "sites"]), vec!["a", "b"]);
    }

    #[test]
    fn scalars_maps_and_malformed_keys() {
        let p = Params::parse(b"limit=50&filter[properties][color]=red&odd[x=1&filter[details]=1");
        assert_eq!(p.get(&["limit"]), Some("50"));
        assert_eq!(
            p.map(&["filter", "properties"]),
            vec![("color".into(), "red".into())]
        );
        assert_eq!(p.get(&["odd[x"]), Some("1"));
        assert_eq!(p.flag(&["filter", "details"]).ok(), Some(Some(true)));
        assert!(p.flag(&["limit"]).is_err());
    }

    #[test]
    fn multipart_text_fields() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"integrationModule\"\r\n\r\n{\"a\":1}\r\n--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\n\r\nbin\r\n--XyZ--\r\n";
        let mut p = Params::default();
        p.extend_multipart(body.as_bytes(), "XyZ");
        assert_eq!(
            p.json_field("integrationModule").ok(),
            Some(json!({"a": 1}))
        );
        assert_eq!(p.get(&["f"]), None);
    }

    #[test]
    fn json_fields_and_key_stripping() {
        let p = Params::parse(b"offers=%5B1%5D&bad=%7B");
        assert_eq!(p.json_field("offers").ok(), Some(json!([1])));
        assert!(p.json_field("bad").is_err());
        assert!(p.json_field("missing").is_err());
        assert_eq!(
            Params::without_api_key("apiKey=s3cret&limit=20"),
            "limit=20"
        );
    }
}
