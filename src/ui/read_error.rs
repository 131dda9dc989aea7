//! The operator's words for a file (or pasted text) the panel could not read.

use crate::i18n::{fill, Text};
use crate::sheet::decode::ReadError;
use crate::ui::locale::tr;

/// Why the text could not be read as rows, in the current language.
pub fn read_error_text(error: &ReadError) -> String {
    match error {
        ReadError::Empty => tr(Text::FileEmpty).to_string(),
        ReadError::Spreadsheet => tr(Text::FileSpreadsheet).to_string(),
        ReadError::Binary => tr(Text::FileBinary).to_string(),
        ReadError::UnclosedQuote { line } => {
            fill(tr(Text::FileQuote), &[("line", line.to_string())])
        }
    }
}
