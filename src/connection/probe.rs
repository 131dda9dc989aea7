//! Whether the page's own origin serves a CRM's API (the recommended same-origin proxy), asked without a key.

use crate::api::{ApiError, Client, Clock, Transport};

/// Asks `GET /api/api-versions` of the client's address, which must carry no key: any answer in the CRM's own
/// words (the versions, or "the key is missing / wrong / lacks a right") means a CRM API is there; a page, a 404
/// or no answer means it is not.
pub async fn serves_crm_api<T: Transport, C: Clock>(keyless: &Client<T, C>) -> bool {
    matches!(
        keyless.api_versions().await,
        Ok(_) | Err(ApiError::MissingKey | ApiError::WrongKey | ApiError::AccessDenied { .. })
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::sim::{run, SimClock, SimTransport};
    use crate::api::transport::API_KEY_HEADER;
    use crate::api::{HttpResponse, TrafficConfig, TransportError};

    fn probe(answer: Result<HttpResponse, TransportError>) -> (bool, SimTransport) {
        let clock = SimClock::default();
        let transport = SimTransport::new(&clock, 20.0, move |_, _| answer.clone());
        let config = TrafficConfig {
            max_attempts: 1,
            ..TrafficConfig::default()
        };
        let client = Client::new(
            "http://127.0.0.1:8080",
            "",
            transport.clone(),
            clock.clone(),
            config,
        );
        (run(&clock, serves_crm_api(&client)), transport)
    }

    #[test]
    fn the_crm_answers_in_its_own_words_a_static_host_does_not() {
        let missing = HttpResponse::json(
            403,
            r#"{"success":false,"errorMsg":"\"apiKey\" is missing."}"#,
        );
        let (found, transport) = probe(Ok(missing));
        assert!(found);
        let sent = transport.sent();
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].1.url, "http://127.0.0.1:8080/api/api-versions");
        assert_eq!(sent[0].1.header(API_KEY_HEADER), None, "no key is sent");

        let proxy_adds_key =
            HttpResponse::json(200, r#"{"success":true,"versions":["4.0","5.0"]}"#);
        assert!(probe(Ok(proxy_adds_key)).0);

        let spa_fallback = HttpResponse {
            status: 200,
            headers: vec![("content-type".into(), "text/html".into())],
            body: "<!DOCTYPE html><html><body></body></html>".into(),
        };
        assert!(!probe(Ok(spa_fallback)).0);
        assert!(
            !probe(Ok(HttpResponse {
                status: 404,
                headers: vec![],
                body: "Not Found".into()
            }))
            .0
        );
        assert!(
            !probe(Err(TransportError::Network {
                detail: "refused".into(),
                probably_cors: false
            }))
            .0
        );
    }
}
