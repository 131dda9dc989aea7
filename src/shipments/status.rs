//! Order statuses in the operator's words: the name the account gives a status code, and the statuses to filter by.

use crate::api::reference::OrderStatus;

/// The name of status `code` as the account's `/reference/statuses` gives it; the code itself when the account does
/// not list it (or the statuses could not be read).
pub fn status_name(statuses: &[OrderStatus], code: &str) -> String {
    statuses
        .iter()
        .find(|s| s.code == code)
        .map(|s| s.name.trim())
        .filter(|name| !name.is_empty())
        .unwrap_or(code)
        .to_string()
}

/// The statuses an operator filters by: those in use, in the account's order (then by name).
pub fn status_choices(statuses: &[OrderStatus]) -> Vec<OrderStatus> {
    let mut choices: Vec<OrderStatus> = statuses
        .iter()
        .filter(|s| s.active != Some(false) && !s.code.is_empty())
        .cloned()
        .collect();
    crate::order::sort_by(&mut choices, |a, b| {
        (a.ordering.unwrap_or(i64::MAX), &a.name).cmp(&(b.ordering.unwrap_or(i64::MAX), &b.name))
    });
    choices
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: &str, name: &str, ordering: Option<i64>, active: Option<bool>) -> OrderStatus {
        OrderStatus {
            code: code.into(),
            name: name.into(),
            active,
            ordering,
            group: None,
        }
    }

    #[test]
    fn a_code_reads_as_its_name() {
        let statuses = [
            status("assembling", "Комплектуется", Some(40), Some(true)),
            status("blank", " ", None, None),
        ];
        assert_eq!(status_name(&statuses, "assembling"), "Комплектуется");
        assert_eq!(status_name(&statuses, "unknown-code"), "unknown-code");
        assert_eq!(status_name(&statuses, "blank"), "blank");
        assert_eq!(status_name(&[], "new"), "new");
    }

    #[test]
    fn choices_are_the_statuses_in_use_in_the_account_order() {
        let statuses = [
            status("complete", "Complete", Some(50), Some(true)),
            status("new", "New", Some(10), None),
            status("old", "Old", Some(20), Some(false)),
            status("custom", "Custom", None, Some(true)),
            status("assembling", "Being assembled", Some(40), Some(true)),
        ];
        let codes: Vec<String> = status_choices(&statuses)
            .into_iter()
            .map(|s| s.code)
            .collect();
        assert_eq!(codes, ["new", "assembling", "complete", "custom"]);
    }
}
