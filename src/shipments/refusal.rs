//! Recognising the CRM's refusal to set `shipped` because no warehouse system (integration module) is registered.

use crate::api::ApiError;

/// Whether `error` is the CRM refusing the `shipped` field: detected by the field the error names, not by its
/// wording (the real text is unconfirmed and may be translated). Only a refusal (not a server failure) counts.
pub fn is_no_warehouse_system(error: &ApiError) -> bool {
    error.status().is_some_and(|s| s < 500)
        && error
            .errors()
            .iter()
            .any(|e| e.field.as_deref() == Some("shipped"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::FieldError;

    fn api(status: u16, field: Option<&str>) -> ApiError {
        ApiError::Http {
            status,
            error_msg: Some("Errors in the entity format".into()),
            errors: vec![FieldError {
                field: field.map(str::to_string),
                message: "Поле доступно только при подключенной складской системе".into(),
            }],
        }
    }

    #[test]
    fn found_by_the_shipped_field_in_any_language() {
        assert!(is_no_warehouse_system(&api(400, Some("shipped"))));
        assert!(!is_no_warehouse_system(&api(400, Some("shipmentStore"))));
        assert!(!is_no_warehouse_system(&api(400, None)));
        assert!(!is_no_warehouse_system(&api(500, Some("shipped"))));
        assert!(!is_no_warehouse_system(&ApiError::Cancelled));
        let in_200 = ApiError::Api {
            status: 200,
            error_msg: None,
            errors: vec![FieldError {
                field: Some("shipped".into()),
                message: "x".into(),
            }],
        };
        assert!(is_no_warehouse_system(&in_200));
    }
}
