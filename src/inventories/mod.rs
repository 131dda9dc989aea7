//! The leftovers screen's logic: filters as URL query and API request, the table model of offers per warehouse,
//! its CSV export, and "load all" as a runner job.

pub mod export;
pub mod filter;
pub mod load;
pub mod table;
