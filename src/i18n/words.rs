//! The words for domain values: every value the user may see names its entry of the translation table (with its
//! values filled in, for the ones that carry some).

use super::{Phrase, Text};
use crate::api::ErrorKind;
use crate::sheet::decode::{Delimiter, ReadError};
use crate::sheet::kind::FileKind;
use crate::upload::diff::Change;
use crate::upload::dry_run::Strategy;
use crate::upload::flow::Nothing;
use crate::upload::job::{JobState, Outcome};
use crate::upload::offer::KeyKind;
use crate::upload::validate::ProblemKind;

/// A domain value shown to people.
pub trait Word {
    /// Its entry in the translation table.
    fn word(&self) -> Text;
}

/// A domain value shown to people with the values it carries.
pub trait Words {
    fn phrase(&self) -> Phrase;
}

impl Word for ErrorKind {
    fn word(&self) -> Text {
        match self {
            ErrorKind::Network => Text::ErrNetwork,
            ErrorKind::Cors => Text::ErrCors,
            ErrorKind::RateLimited => Text::ErrRateLimited,
            ErrorKind::WrongKey => Text::ErrWrongKey,
            ErrorKind::MissingKey => Text::ErrMissingKey,
            ErrorKind::AccessDenied => Text::ErrAccessDenied,
            ErrorKind::AccountNotFound => Text::ErrAccountNotFound,
            ErrorKind::NotFound => Text::ErrNotFound,
            ErrorKind::Http => Text::ErrHttp,
            ErrorKind::Api => Text::ErrApi,
            ErrorKind::Decode => Text::ErrDecode,
            ErrorKind::InvalidRequest => Text::ErrInvalidRequest,
            ErrorKind::Cancelled => Text::ErrCancelled,
        }
    }
}

impl Word for Nothing {
    fn word(&self) -> Text {
        match self {
            Nothing::NoRows => Text::UpNothingNoRows,
            Nothing::NoWarehouseColumns => Text::UpNothingNoColumns,
            Nothing::EveryRowHasProblems => Text::UpNothingProblems,
            Nothing::AllBlank => Text::UpNothingBlank,
        }
    }
}

impl Word for Strategy {
    fn word(&self) -> Text {
        match self {
            Strategy::ByKey => Text::UpDryRunPlanByKey,
            Strategy::AllPages => Text::UpDryRunPlanAllPages,
        }
    }
}

/// Bytes as megabytes with one decimal (the limit is a whole number of MiB).
fn megabytes(bytes: u64) -> String {
    let mb = bytes as f64 / 1_048_576.0;
    if mb.fract() == 0.0 {
        format!("{mb:.0}")
    } else {
        format!("{mb:.1}")
    }
}

impl Words for FileKind {
    fn phrase(&self) -> Phrase {
        Phrase::new(match self {
            FileKind::Pdf => Text::FilePdf,
            FileKind::Image(format) => {
                return Phrase::new(Text::FileImage).with("format", format.name())
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
        })
    }
}

impl Words for ReadError {
    fn phrase(&self) -> Phrase {
        match self {
            ReadError::Empty => Phrase::new(Text::FileEmpty),
            ReadError::NotATable { kind } => kind.phrase(),
            ReadError::UnclosedQuote { line } => Phrase::new(Text::FileQuote).with("line", line),
            ReadError::TooLarge { bytes, limit } => Phrase::new(Text::FileTooLarge)
                .with("size", megabytes(*bytes))
                .with("limit", megabytes(*limit)),
            ReadError::TooManyColumns {
                line,
                columns,
                limit,
            } => Phrase::new(Text::FileTooManyColumns)
                .with("line", line)
                .with("columns", columns)
                .with("limit", limit),
            ReadError::TooManyRows { rows, limit } => Phrase::new(Text::FileTooManyRows)
                .with("rows", rows)
                .with("limit", limit),
            ReadError::TooManyCells { cells, limit } => Phrase::new(Text::FileTooManyCells)
                .with("cells", cells)
                .with("limit", limit),
            ReadError::Unreadable => Phrase::new(Text::FileUnreadable),
        }
    }
}

impl Word for JobState {
    fn word(&self) -> Text {
        match self {
            JobState::Planned => Text::UpJobPlanned,
            JobState::Running => Text::UpJobRunning,
            JobState::Paused => Text::UpJobPaused,
            JobState::Done => Text::UpJobDone,
            JobState::Failed => Text::UpJobFailed,
            JobState::Cancelled => Text::UpJobCancelled,
        }
    }
}

impl Word for Change {
    fn word(&self) -> Text {
        match self {
            Change::Changed => Text::UpChanged,
            Change::Unchanged => Text::UpUnchanged,
            Change::NotInCrm => Text::UpNotInCrm,
        }
    }
}

impl Word for Outcome {
    fn word(&self) -> Text {
        match self {
            Outcome::Processed => Text::UpOutcomeProcessed,
            Outcome::NotFound => Text::UpOutcomeNotFound,
            Outcome::Failed { .. } => Text::UpOutcomeFailed,
            Outcome::NotSent => Text::UpOutcomeNotSent,
        }
    }
}

impl Word for ProblemKind {
    fn word(&self) -> Text {
        match self {
            ProblemKind::MissingKey => Text::UpProbMissingKey,
            ProblemKind::InvalidId => Text::UpProbInvalidId,
            ProblemKind::DuplicateKey => Text::UpProbDuplicateKey,
            ProblemKind::MissingWarehouse => Text::UpProbMissingWarehouse,
            ProblemKind::UnknownWarehouse => Text::UpProbUnknownWarehouse,
            ProblemKind::NotANumber => Text::UpProbNotANumber,
            ProblemKind::Negative => Text::UpProbNegative,
            ProblemKind::FractionalQuantity => Text::UpProbFractional,
            ProblemKind::NotZeroOrOne => Text::UpProbNotZeroOrOne,
            ProblemKind::DuplicateWarehouseColumn => Text::UpProbDuplicateWarehouseColumn,
        }
    }
}

impl Word for KeyKind {
    fn word(&self) -> Text {
        match self {
            KeyKind::ExternalId => Text::UpKeyExternalId,
            KeyKind::XmlId => Text::UpKeyXmlId,
            KeyKind::Id => Text::UpKeyId,
        }
    }
}

impl Word for Delimiter {
    fn word(&self) -> Text {
        match self {
            Delimiter::Comma => Text::UpDelimComma,
            Delimiter::Semicolon => Text::UpDelimSemicolon,
            Delimiter::Tab => Text::UpDelimTab,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn values_of_one_kind_have_distinct_words() {
        let states: HashSet<Text> = [
            JobState::Planned,
            JobState::Running,
            JobState::Paused,
            JobState::Done,
            JobState::Failed,
            JobState::Cancelled,
        ]
        .iter()
        .map(Word::word)
        .collect();
        assert_eq!(states.len(), 6);
        let kinds: HashSet<Text> = KeyKind::ALL.iter().map(Word::word).collect();
        assert_eq!(kinds.len(), 3);
        let delimiters: HashSet<Text> = Delimiter::ALL.iter().map(Word::word).collect();
        assert_eq!(delimiters.len(), Delimiter::ALL.len());
    }

    #[test]
    fn read_errors_carry_their_figures_in_both_languages() {
        let too_large = ReadError::TooLarge {
            bytes: 150 * 1_048_576 + 104_858,
            limit: 100 * 1_048_576,
        };
        let p = too_large.phrase();
        assert!(p.in_lang(super::super::Lang::En).contains("150.1"));
        assert!(p.in_lang(super::super::Lang::Ru).contains("100"));
        let wide = ReadError::TooManyColumns {
            line: 1,
            columns: 1_000_000,
            limit: 1000,
        };
        for lang in super::super::Lang::ALL {
            let text = wide.phrase().in_lang(lang);
            assert!(text.contains("1000000") && text.contains("1000"), "{text}");
            assert!(!text.contains('{'), "every value filled: {text}");
        }
    }
}
