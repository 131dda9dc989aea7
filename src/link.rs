//! Links taken from CRM data (offer images, a module's logo): followed only when they are web addresses.

/// The trimmed link when it is an `http://` or `https://` address with something after the scheme; `None` for any
/// other scheme (`javascript:`, `data:`, `file:`, ...) or a relative path.
pub fn web_link(raw: &str) -> Option<&str> {
    let link = raw.trim();
    let (scheme, rest) = link.split_once("://")?;
    let web = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
    (web && !rest.is_empty() && !link.chars().any(char::is_control)).then_some(link)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_are_links() {
        assert_eq!(
            web_link(" https://cdn.example/a.png "),
            Some("https://cdn.example/a.png")
        );
        assert_eq!(
            web_link("HTTP://cdn.example/a.png"),
            Some("HTTP://cdn.example/a.png")
        );
        for refused in [
            "javascript:alert(1)",
            "javascript://%0aalert(1)",
            "data:image/svg+xml,<svg/>",
            "file:///etc/passwd",
            "/relative.png",
            "https://",
            "https://cdn.example/\na.png",
            "",
        ] {
            assert_eq!(web_link(refused), None, "{refused}");
        }
    }
}
