//! Tables in files, shared by the upload, the shipments and every export: reading text tables (what a file is,
//! encodings, limits, delimiters, quoted fields, numbers), writing CSV, and paging rows held in memory.

pub mod csv;
pub mod decode;
pub mod encoding;
pub mod kind;
pub mod limits;
pub mod paging;
