//! What the panel reads, stated once: the largest file, and the most columns, rows and cells of a table.
//!
//! A read holds the file's bytes, its text (a copy only when it is not valid UTF-8: Cyrillic single-byte text
//! grows by about half) and the cells (on wasm32 a 12-byte `String` and, when not blank, a 16-byte or larger
//! allocation each). Measured with the largest file, 100 MiB of 1,000,000 rows of ten columns: wasm memory
//! 101 MB with the file, 437 MB after reading it (535 MB for the same rows in Windows-1251); natively
//! 714 MB peak RSS with 64-bit pointers (`cargo bench --bench files`). That leaves room under the 1 GB
//! budget for the steps after reading.

/// The largest file read: 100 MiB. Larger files are refused before they are read.
pub const MAX_BYTES: u64 = 100 * 1024 * 1024;

/// The most cells a record may have. A stock file has a key, a site and a quantity and a price per
/// warehouse: a wider line means a wrong delimiter or not a stock file. Refused before any cell is built.
pub const MAX_COLUMNS: usize = 1_000;

/// The most data rows (non-blank records after the header). At the CRM's 10 requests a second, a million
/// offers already take hours to check and upload: larger files should be split.
pub const MAX_ROWS: usize = 1_000_000;

/// The most cells in the data rows (a million rows of ten columns), which bounds the memory of the cells
/// whatever the file's shape.
pub const MAX_CELLS: usize = 10_000_000;

/// How many lines with undecodable bytes are listed (all are counted).
pub const LISTED_BAD_LINES: usize = 100;
