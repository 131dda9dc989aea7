//! The leftovers screen's logic: filters as URL query and API request, the table model of offers per warehouse,
//! and "load all" as a runner job.

pub mod filter;
pub mod load;
pub mod table;
