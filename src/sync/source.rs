//! Where the stock file comes from: a path, or an http(s) address the warehouse system publishes it at (fetched
//! without the API key), within the panel's file size limit.

use std::path::Path;

use crate::api::native::HttpTransport;
use crate::sheet::decode::check_size;
use crate::sheet::limits::MAX_BYTES;

/// Whether `source` is an address rather than a path.
pub fn is_url(source: &str) -> bool {
    let lower = source.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The name a source goes by in the output, the report and the state: a file's name, or the last part of an
/// address's path (never its query, which may hold a token).
pub fn display_name(source: &str) -> String {
    if is_url(source) {
        let without_query = source.split(['?', '#']).next().unwrap_or(source);
        let after_scheme = without_query
            .split_once("://")
            .map_or(without_query, |(_, rest)| rest);
        let last = after_scheme.rsplit('/').find(|part| !part.is_empty());
        return last.unwrap_or(after_scheme).to_string();
    }
    Path::new(source)
        .file_name()
        .map_or_else(|| source.to_string(), |n| n.to_string_lossy().into_owned())
}

/// The bytes of `source`; `Err` says why not in plain words.
pub async fn read_source(source: &str, http: &HttpTransport) -> Result<Vec<u8>, String> {
    if is_url(source) {
        let name = display_name(source);
        return http
            .download(source.trim(), MAX_BYTES)
            .await
            .map_err(|e| format!("{name} could not be downloaded: {e}"));
    }
    let path = Path::new(source);
    let size = std::fs::metadata(path)
        .map_err(|e| format!("{source} cannot be read ({e})"))?
        .len();
    check_size(size).map_err(|_| {
        format!(
            "{source} is larger than the {} MiB a stock file may be",
            MAX_BYTES >> 20
        )
    })?;
    std::fs::read(path).map_err(|e| format!("{source} cannot be read ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_never_carry_a_query() {
        assert!(is_url("HTTPS://wms.example.com/stock.csv"));
        assert!(!is_url("/srv/export/stock.csv"));
        assert_eq!(
            display_name("https://wms.example.com/export/stock.csv?token=s3cret"),
            "stock.csv"
        );
        assert_eq!(
            display_name("http://wms.example.com/?token=s3cret"),
            "wms.example.com"
        );
        assert_eq!(display_name("/srv/export/stock.csv"), "stock.csv");
        assert_eq!(display_name("stock.csv"), "stock.csv");
    }

    #[test]
    fn a_missing_file_is_said() {
        let rt = crate::api::native::runtime().unwrap();
        let http = rt.block_on(async { HttpTransport::new() }).unwrap();
        let error = rt
            .block_on(read_source("/no/such/stock.csv", &http))
            .unwrap_err();
        assert!(
            error.starts_with("/no/such/stock.csv cannot be read"),
            "{error}"
        );
    }
}
