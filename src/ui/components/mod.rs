//! Small reusable pieces of the interface.

pub mod download;
pub mod drop_zone;
pub mod pager;
pub mod progress;
