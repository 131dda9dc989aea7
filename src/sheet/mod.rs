//! Tables in files, shared by the upload, the shipments and every export: reading text tables (encodings,
//! delimiters, quoted fields, numbers), writing CSV, and paging rows held in memory.

pub mod csv;
pub mod decode;
pub mod paging;
