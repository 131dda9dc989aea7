//! What the panel reads, stated once: the largest file, and the most columns, rows and cells of a table.
//!
//! A read holds the file's bytes, its text (a copy only when it is not UTF-8) and the cells. With these
//! limits the worst case stays well under 1 GB of wasm memory: 100 MiB of bytes, up to 200 MiB of text
//! (Cyrillic single-byte text doubles in UTF-8), and 10 million cells at about 28 bytes each on wasm32
//! (a 12-byte `String` and a 16-byte allocation) plus their text. A native read of a 100 MiB,
//! 1,000,000-row file peaks at about 700 MB RSS with 64-bit pointers (see `tests/bench/files.rs`).

use crate::sheet::decode::ReadError;

/// The largest file read: 100 MiB. Larger files are refused before they are read.
pub const MAX_BYTES: u64 = 100 * 1024 * 1024;

/// The most cells a record may have. A stock file has a key, a site and a quantity and a price per
/// warehouse: a wider line means a wrong delimiter or not a stock file. Refused before any cell is built.
pub const MAX_COLUMNS: usize = 1_000;

/// The most data rows (non-blank records after the header). At the CRM's 10 requests a second, a million
/// offers already take hours to check and upload: larger files should be split.
pub const MAX_ROWS: usize = 1_000_000;

/// The most cells in all (header and rows), which bounds the memory of the cells whatever their shape.
pub const MAX_CELLS: usize = 10_000_000;

/// How many lines with undecodable bytes are listed (all are counted).
pub const LISTED_BAD_LINES: usize = 100;

/// Refuses a file by its size alone, so it can be checked before the file is read.
pub fn check_size(bytes: u64) -> Result<(), ReadError> {
    if bytes > MAX_BYTES {
        return Err(ReadError::TooLarge {
            bytes,
            limit: MAX_BYTES,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_limit_is_inclusive() {
        assert_eq!(check_size(MAX_BYTES), Ok(()));
        assert_eq!(
            check_size(MAX_BYTES + 1),
            Err(ReadError::TooLarge {
                bytes: MAX_BYTES + 1,
                limit: MAX_BYTES
            })
        );
    }
}
