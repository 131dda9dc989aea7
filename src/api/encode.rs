//! The wire encodings: percent-encoding, GET query strings with bracketed filters, and POST form bodies.

use serde::Serialize;

/// Percent-encodes `text` for a query string, a form body or a path segment: only the RFC 3986 unreserved
/// characters (`A-Z a-z 0-9 - . _ ~`) stay as they are; everything else (brackets included) becomes `%XX` of its
/// UTF-8 bytes, and a space becomes `%20` (valid in both queries and `application/x-www-form-urlencoded`).
pub fn percent_encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0F)]));
        }
    }
    out
}

/// Ordered `name=value` pairs, encoded as a query string or a form body (both use the same rules).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// No parameters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one `name=value`.
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) -> &mut Self {
        self.pairs.push((name.into(), value.into()));
        self
    }

    /// Appends `name=value` when there is a value.
    pub fn opt(&mut self, name: &str, value: Option<impl ToString>) -> &mut Self {
        if let Some(v) = value {
            self.push(name, v.to_string());
        }
        self
    }

    /// Appends a 0/1 flag (`filter[details]=1`) when set; `false` is sent as `0`.
    pub fn flag(&mut self, name: &str, value: Option<bool>) -> &mut Self {
        self.opt(name, value.map(u8::from))
    }

    /// Appends `name[]=v` for every value of a list filter (`filter[sites][]=a&filter[sites][]=b`).
    pub fn list<T: ToString>(&mut self, name: &str, values: &[T]) -> &mut Self {
        for v in values {
            self.push(format!("{name}[]"), v.to_string());
        }
        self
    }

    /// Appends a field whose value is the JSON text of `entity` (the CRM's convention for nested POST fields).
    pub fn json<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        entity: &T,
    ) -> Result<&mut Self, serde_json::Error> {
        let text = serde_json::to_string(entity)?;
        Ok(self.push(name, text))
    }

    /// The pairs in order, not encoded.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// Whether there is no pair.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// `a=1&b=2`, every name and value percent-encoded.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        for (i, (name, value)) in self.pairs.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.push_str(&percent_encode(name));
            out.push('=');
            out.push_str(&percent_encode(value));
        }
        out
    }
}

/// The query of a paginated list: `limit`, `page` and the `filter[...]` fields added by `filter`.
pub fn list_query(
    limit: Option<u32>,
    page: Option<u32>,
    filter: impl FnOnce(&mut Params),
) -> Params {
    let mut q = Params::new();
    q.opt("limit", limit).opt("page", page);
    filter(&mut q);
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unreserved_characters_stay() {
        assert_eq!(percent_encode("aZ09-._~"), "aZ09-._~");
        assert_eq!(percent_encode("a b&c=d+e/f?"), "a%20b%26c%3Dd%2Be%2Ff%3F");
        assert_eq!(percent_encode("filter[sites][]"), "filter%5Bsites%5D%5B%5D");
        assert_eq!(percent_encode("Склад"), "%D0%A1%D0%BA%D0%BB%D0%B0%D0%B4");
        assert_eq!(percent_encode(r#"{"a":1}"#), "%7B%22a%22%3A1%7D");
    }

    #[test]
    fn lists_flags_and_options() {
        let mut p = Params::new();
        p.list("filter[offerExternalId]", &["a", "b"])
            .flag("filter[details]", Some(true));
        p.flag("filter[active]", Some(false))
            .flag("filter[none]", None)
            .opt("page", None::<u32>);
        assert_eq!(
            p.encode(),
            "filter%5BofferExternalId%5D%5B%5D=a&filter%5BofferExternalId%5D%5B%5D=b\
             &filter%5Bdetails%5D=1&filter%5Bactive%5D=0"
        );
    }

    #[test]
    fn json_fields_are_encoded_text() {
        let mut p = Params::new();
        p.json("order", &serde_json::json!({"shipped": false}))
            .unwrap();
        assert_eq!(p.encode(), "order=%7B%22shipped%22%3Afalse%7D");
    }
}
