//! The operator's words for a file (or pasted text) the panel could not read, with the fix.

use crate::i18n::{fill, Text};
use crate::sheet::decode::ReadError;
use crate::sheet::kind::FileKind;
use crate::ui::locale::tr;

/// Bytes as megabytes with one decimal (the limit is a whole number of MiB).
fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / 1_048_576.0;
    if mb.fract() == 0.0 {
        format!("{mb:.0}")
    } else {
        format!("{mb:.1}")
    }
}

fn kind_text(kind: FileKind) -> String {
    let text = match kind {
        FileKind::Pdf => Text::FilePdf,
        FileKind::Image(format) => {
            return fill(
                tr(Text::FileImage),
                &[("format", format.name().to_string())],
            );
        }
        FileKind::ExcelWorkbook => Text::FileExcel,
        FileKind::OldExcelWorkbook => Text::FileOldExcel,
        FileKind::OpenDocumentSheet => Text::FileOds,
        FileKind::TextDocument => Text::FileDocument,
        FileKind::Archive => Text::FileArchive,
        FileKind::Json => Text::FileJson,
        FileKind::Html => Text::FileHtml,
        FileKind::Xml => Text::FileXml,
        FileKind::Binary => Text::FileBinary,
    };
    tr(text).to_string()
}

/// Why the text could not be read as rows, in the current language.
pub fn read_error_text(error: &ReadError) -> String {
    match error {
        ReadError::Empty => tr(Text::FileEmpty).to_string(),
        ReadError::NotATable { kind } => kind_text(*kind),
        ReadError::UnclosedQuote { line } => {
            fill(tr(Text::FileQuote), &[("line", line.to_string())])
        }
        ReadError::TooLarge { bytes, limit } => fill(
            tr(Text::FileTooLarge),
            &[("size", megabytes(*bytes)), ("limit", megabytes(*limit))],
        ),
        ReadError::TooManyColumns {
            line,
            columns,
            limit,
        } => fill(
            tr(Text::FileTooManyColumns),
            &[
                ("line", line.to_string()),
                ("columns", columns.to_string()),
                ("limit", limit.to_string()),
            ],
        ),
        ReadError::TooManyRows { rows, limit } => fill(
            tr(Text::FileTooManyRows),
            &[("rows", rows.to_string()), ("limit", limit.to_string())],
        ),
        ReadError::TooManyCells { cells, limit } => fill(
            tr(Text::FileTooManyCells),
            &[("cells", cells.to_string()), ("limit", limit.to_string())],
        ),
        ReadError::Unreadable => tr(Text::FileUnreadable).to_string(),
    }
}
