//! The leftovers screen's logic: filters as URL query and API request, the search through the CRM, the table model
//! of offers per warehouse with exact decimal totals, its CSV export, and "load all" as a runner job.

pub mod amount;
pub mod export;
pub mod filter;
pub mod load;
pub mod search;
pub mod table;

#[cfg(test)]
mod fixtures;
