//! Scheduled stock sync without a browser: the upload engine of the panel as the `warehouse-sync` command.
//!
//! [`profile`] (the mapping saved from the Upload screen) and [`auto_map`] (the mapping of a file without one,
//! refused when it would be a guess) are plain logic for every target; the panel exports profiles. The rest is
//! native only: the state files and lock ([`state`]), where the file comes from ([`source`]), progress text
//! ([`progress`]), the report ([`report`]), what a command says and how it ends ([`console`]), the connection
//! ([`check`]) and the upload command ([`command`]).

pub mod auto_map;
pub mod profile;

#[cfg(not(target_arch = "wasm32"))]
pub mod check;
#[cfg(not(target_arch = "wasm32"))]
pub mod command;
#[cfg(not(target_arch = "wasm32"))]
pub mod console;
#[cfg(not(target_arch = "wasm32"))]
pub mod progress;
#[cfg(not(target_arch = "wasm32"))]
pub mod report;
#[cfg(not(target_arch = "wasm32"))]
pub mod source;
#[cfg(not(target_arch = "wasm32"))]
pub mod state;
