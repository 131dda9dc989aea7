//! Small reusable pieces of the interface.

pub mod announce;
pub mod api_error;
pub mod callback_probe;
pub mod download;
pub mod drop_zone;
pub mod focus;
pub mod fold;
pub mod leave_guard;
pub mod logo_preview;
pub mod page_frame;
pub mod pager;
pub mod progress;
pub mod require_connection;
pub mod show;
pub mod storage_notice;
pub mod table_scroll;
pub mod traffic_status;
