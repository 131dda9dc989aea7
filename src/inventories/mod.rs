//! The leftovers screen's logic: filters as URL query and API request, and the table model of offers per warehouse.

pub mod filter;
pub mod table;
