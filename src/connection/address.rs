//! CRM addresses: the `account` parameter the CRM adds to the panel's address, the host an address names, whether
//! two addresses are the same account, and whether a key sent there would travel unencrypted.

use crate::api::normalize_base_url;

/// The `account` query parameter as an address (`https://` added when it has no scheme), or `None` when it is
/// empty, not an http(s) address with a plain host and port, or hides its host behind a user name
/// (`https://crm@other-host`).
pub fn account_param(raw: &str) -> Option<String> {
    let address = normalize_base_url(raw);
    plain_authority(authority(scheme_rest(&address)?)).then_some(address)
}

/// `host` or `host:port` with a host of letters, digits, `-` and `.` (or a bracketed IPv6 address).
fn plain_authority(authority: &str) -> bool {
    let (host_ok, port) = if let Some(v6) = authority.strip_prefix('[') {
        let Some((inner, after)) = v6.split_once(']') else {
            return false;
        };
        let port = match after {
            "" => None,
            _ => match after.strip_prefix(':') {
                Some(p) => Some(p),
                None => return false,
            },
        };
        let ok = !inner.is_empty() && inner.chars().all(|c| c.is_ascii_hexdigit() || c == ':');
        (ok, port)
    } else {
        let (host, port) = match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        let ok = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
        (ok, port)
    };
    host_ok && port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// The address without its scheme and trailing slash, e.g. `acme.retailcrm.ru` (how an account is shown).
pub fn host_label(address: &str) -> String {
    let address = address.trim();
    let rest = address.split_once("://").map_or(address, |(_, rest)| rest);
    rest.trim_end_matches('/').to_string()
}

/// Whether two addresses name the same account (scheme and host compared without case, trailing `/` ignored).
pub fn same_address(a: &str, b: &str) -> bool {
    let (a, b) = (normalize_base_url(a), normalize_base_url(b));
    !a.is_empty() && a.eq_ignore_ascii_case(&b)
}

/// Whether sending the key to `address` needs the operator's confirmation first: it is plain `http://` and not
/// this computer (`localhost`, `127.0.0.1`, `[::1]`).
pub fn needs_insecure_confirmation(address: &str) -> bool {
    let address = normalize_base_url(address);
    let Some((scheme, rest)) = address.split_once("://") else {
        return false;
    };
    scheme.eq_ignore_ascii_case("http") && !is_loopback_host(host(authority(rest)))
}

/// What follows `http://` or `https://`; `None` for any other scheme.
fn scheme_rest(address: &str) -> Option<&str> {
    let (scheme, rest) = address.split_once("://")?;
    (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")).then_some(rest)
}

/// `user@host:port` of what follows the scheme.
fn authority(rest: &str) -> &str {
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    &rest[..end]
}

/// The host of an authority: after any `user@`, without the port; an IPv6 host keeps its brackets.
fn host(authority: &str) -> &str {
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host_port.starts_with('[') {
        host_port
            .find(']')
            .map_or(host_port, |end| &host_port[..=end])
    } else {
        host_port.split(':').next().unwrap_or(host_port)
    }
}

fn is_loopback_host(host: &str) -> bool {
    ["localhost", "127.0.0.1", "[::1]"]
        .iter()
        .any(|h| host.eq_ignore_ascii_case(h))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_parameter_is_an_http_address_or_nothing() {
        assert_eq!(
            account_param(" acme.retailcrm.ru/ ").as_deref(),
            Some("https://acme.retailcrm.ru")
        );
        assert_eq!(
            account_param("http://127.0.0.1:8080").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(
            account_param("http://[::1]:8080/path").as_deref(),
            Some("http://[::1]:8080/path")
        );
        for refused in [
            "",
            "  ",
            "javascript://alert(1)",
            "ftp://acme",
            "https://",
            "https://acme.retailcrm.ru@evil.example",
            "https://acme.retailcrm.ru:",
            "https://[::1",
            "https://a b.example",
        ] {
            assert_eq!(account_param(refused), None, "{refused}");
        }
    }

    #[test]
    fn addresses_are_compared_and_shown_without_scheme_noise() {
        assert!(same_address(
            "https://Acme.retailcrm.ru/",
            "acme.retailcrm.ru"
        ));
        assert!(!same_address(
            "http://acme.retailcrm.ru",
            "https://acme.retailcrm.ru"
        ));
        assert!(!same_address("", ""));
        assert_eq!(
            host_label("https://acme.retailcrm.ru/"),
            "acme.retailcrm.ru"
        );
        assert_eq!(host_label("http://127.0.0.1:8080"), "127.0.0.1:8080");
    }

    #[test]
    fn only_plain_http_to_another_computer_needs_a_confirmation() {
        for asks in [
            "http://acme.example",
            "http://10.0.0.5:8080/",
            "HTTP://acme.example",
            "http://127.0.0.1@evil.example",
            "http://127.0.0.1.evil.example",
            "http://[::2]:80",
        ] {
            assert!(needs_insecure_confirmation(asks), "{asks}");
        }
        for quiet in [
            "https://acme.retailcrm.ru",
            "acme.retailcrm.ru",
            "http://localhost:8080",
            "http://LOCALHOST",
            "http://127.0.0.1:9",
            "http://[::1]:8080/",
        ] {
            assert!(!needs_insecure_confirmation(quiet), "{quiet}");
        }
    }
}
