//! What the logo preview says about the logo: loading, shown, or why not — not found (an error status), not an image
//! (an answer of another type, or bytes the browser cannot show), or not checkable (a server that does not let the
//! page read its answer) — and whether its address is not HTTPS.

/// How the browser's `<img>` took the address shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loaded {
    Shown { width: u32, height: u32 },
    Failed,
}

/// What asking the address of a logo that did not load (its headers) found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Probe {
    Answer {
        status: u16,
        content_type: Option<String>,
    },
    /// No answer this page may read: a server of another origin that does not allow it (CORS), or none at all.
    Unreadable,
}

/// What the preview says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LogoState {
    Empty,
    Loading,
    Shown {
        width: u32,
        height: u32,
    },
    /// The image did not load; its address is being asked why.
    Checking,
    /// The address answers with an error status (404, 403, 500, ...).
    NotFound {
        status: u16,
    },
    /// Not an image the browser can show: the type the server gave (none for a local file).
    NotAnImage {
        content_type: Option<String>,
    },
    /// The image did not load and why could not be read.
    Unchecked,
}

impl LogoState {
    /// A stable name of the state for the markup (`data-state`).
    pub fn key(&self) -> &'static str {
        match self {
            LogoState::Empty => "empty",
            LogoState::Loading => "loading",
            LogoState::Shown { .. } => "ok",
            LogoState::Checking => "checking",
            LogoState::NotFound { .. } => "not-found",
            LogoState::NotAnImage { .. } => "not-image",
            LogoState::Unchecked => "unchecked",
        }
    }
}

/// The state of the preview of `src`: `local` for a dropped file, `loaded` what the `<img>` did with `src` (`None`:
/// nothing yet), `probe` what asking the address found (`None`: not asked, or no answer yet).
pub fn logo_state(
    src: &str,
    local: bool,
    loaded: Option<Loaded>,
    probe: Option<&Probe>,
) -> LogoState {
    if src.trim().is_empty() {
        return LogoState::Empty;
    }
    match (loaded, probe) {
        (None, _) => LogoState::Loading,
        (Some(Loaded::Shown { width, height }), _) => LogoState::Shown { width, height },
        // A dropped file is read from memory: if it does not show, it is not an image.
        (Some(Loaded::Failed), _) if local => LogoState::NotAnImage { content_type: None },
        (Some(Loaded::Failed), None) => LogoState::Checking,
        (Some(Loaded::Failed), Some(Probe::Unreadable)) => LogoState::Unchecked,
        (Some(Loaded::Failed), Some(Probe::Answer { status, .. }))
            if !(200..300).contains(status) =>
        {
            LogoState::NotFound { status: *status }
        }
        (Some(Loaded::Failed), Some(Probe::Answer { content_type, .. })) => LogoState::NotAnImage {
            content_type: content_type
                .as_deref()
                .map(|t| t.split(';').next().unwrap_or(t).trim().to_string())
                .filter(|t| !t.is_empty()),
        },
    }
}

/// Whether a logo address is plain `http://` (an `https` page such as the CRM may refuse to show it).
pub fn is_not_https(url: &str) -> bool {
    url.trim()
        .get(..7)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://"))
}

/// Whether the address should be asked why it did not load: only a web address (not a dropped file's).
pub fn can_probe(url: &str) -> bool {
    let url = url.trim();
    is_not_https(url)
        || url
            .get(..8)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
        || url.starts_with('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://wms.example.com/logo.svg";

    fn answer(status: u16, content_type: Option<&str>) -> Probe {
        Probe::Answer {
            status,
            content_type: content_type.map(str::to_string),
        }
    }

    #[test]
    fn not_found_not_an_image_and_unchecked_are_told_apart() {
        let failed = Some(Loaded::Failed);
        assert_eq!(logo_state(URL, false, failed, None), LogoState::Checking);
        assert_eq!(
            logo_state(URL, false, failed, Some(&answer(404, Some("text/html")))),
            LogoState::NotFound { status: 404 }
        );
        assert_eq!(
            logo_state(URL, false, failed, Some(&answer(500, None))),
            LogoState::NotFound { status: 500 }
        );
        assert_eq!(
            logo_state(
                URL,
                false,
                failed,
                Some(&answer(200, Some("text/html; charset=utf-8")))
            ),
            LogoState::NotAnImage {
                content_type: Some("text/html".into())
            }
        );
        // An image type the browser could not show (damaged bytes) is not an image it can show either.
        assert_eq!(
            logo_state(URL, false, failed, Some(&answer(200, Some("image/png")))),
            LogoState::NotAnImage {
                content_type: Some("image/png".into())
            }
        );
        assert_eq!(
            logo_state(URL, false, failed, Some(&answer(200, Some(" ")))),
            LogoState::NotAnImage { content_type: None }
        );
        assert_eq!(
            logo_state(URL, false, failed, Some(&Probe::Unreadable)),
            LogoState::Unchecked
        );
        let keys: Vec<&str> = [
            LogoState::NotFound { status: 404 },
            LogoState::NotAnImage { content_type: None },
            LogoState::Unchecked,
        ]
        .iter()
        .map(LogoState::key)
        .collect();
        assert_eq!(keys, ["not-found", "not-image", "unchecked"]);
    }

    #[test]
    fn empty_loading_shown_and_local_files() {
        assert_eq!(logo_state("  ", false, None, None), LogoState::Empty);
        assert_eq!(logo_state(URL, false, None, None), LogoState::Loading);
        let shown = Some(Loaded::Shown {
            width: 64,
            height: 64,
        });
        assert_eq!(
            logo_state(URL, false, shown, Some(&Probe::Unreadable)),
            LogoState::Shown {
                width: 64,
                height: 64
            }
        );
        assert_eq!(
            logo_state("blob:x", true, Some(Loaded::Failed), None),
            LogoState::NotAnImage { content_type: None },
            "a dropped file is not asked"
        );
    }

    #[test]
    fn not_https_and_what_can_be_asked() {
        assert!(is_not_https(" http://wms.example.com/logo.svg"));
        assert!(is_not_https("HTTP://WMS.EXAMPLE.COM/LOGO.SVG"));
        assert!(!is_not_https(URL));
        assert!(!is_not_https("blob:http://x"));
        assert!(!is_not_https("http:"));
        assert!(can_probe(URL) && can_probe("http://x/y.svg") && can_probe("/logo.svg"));
        assert!(!can_probe("blob:http://x/1") && !can_probe("data:image/svg+xml,<svg/>"));
        assert!(!can_probe("javascript:alert(1)"));
    }
}
