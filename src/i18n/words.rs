//! The words for domain values: every value the user may see names its entry of the translation table.

use super::Text;
use crate::sheet::decode::Delimiter;
use crate::upload::diff::Change;
use crate::upload::job::{JobState, Outcome};
use crate::upload::offer::KeyKind;
use crate::upload::validate::ProblemKind;

/// A domain value shown to people.
pub trait Word {
    /// Its entry in the translation table.
    fn word(&self) -> Text;
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
}
