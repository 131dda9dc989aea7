//! The module save against an in-memory CRM in simulated time: review then send, created vs updated, stale reviews,
//! the CRM's refusal placed on fields, and what is typed while a save is on its way.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use serde_json::{json, Value};

use super::*;
use crate::api::sim::{self, run, SimClock, SimTransport};
use crate::api::transport::API_KEY_HEADER;
use crate::api::{HttpRequest, HttpResponse, Method};
use crate::module::changes::ChangeKind;
use crate::module::validate::ActionField;

/// An in-memory CRM holding integration modules: reads them, creates (201, with `info`) or updates (200) them, and
/// refuses a `code` that does not start with `integrationCode`, naming the field. Keeps every edit body it got.
#[derive(Default)]
struct ModuleCrm {
    modules: RefCell<BTreeMap<String, Value>>,
    edits: RefCell<Vec<(HttpRequest, Value)>>,
}

impl ModuleCrm {
    fn answer(&self, req: &HttpRequest) -> HttpResponse {
        let path = req
            .url
            .split("/api/v5/integration-modules/")
            .nth(1)
            .unwrap_or("");
        match req.method {
            Method::Get => match self.modules.borrow().get(path) {
                Some(m) => HttpResponse::json(
                    200,
                    json!({"success": true, "integrationModule": m}).to_string(),
                ),
                None => HttpResponse::json(404, r#"{"success":false,"errorMsg":"Not found"}"#),
            },
            Method::Post => {
                let code = path.trim_end_matches("/edit").to_string();
                let form = sim::form_pairs(req.body.as_deref().unwrap_or(""));
                let text = form
                    .iter()
                    .find(|(k, _)| k == "integrationModule")
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default();
                let module: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                self.edits.borrow_mut().push((req.clone(), module.clone()));
                let prefix = module["integrationCode"].as_str().unwrap_or("");
                if !code.starts_with(prefix) {
                    return HttpResponse::json(
                        400,
                        r#"{"success":false,"errorMsg":"Errors in the entity format","errors":{"code":"Code prefix must match integrationCode"}}"#,
                    );
                }
                let mut stored = module;
                stored["freeze"] = json!(false);
                let created = self.modules.borrow_mut().insert(code, stored).is_none();
                if created {
                    HttpResponse::json(
                        201,
                        r#"{"success":true,"info":{"billingInfo":{"price":0}}}"#,
                    )
                } else {
                    HttpResponse::json(200, r#"{"success":true,"info":[]}"#)
                }
            }
        }
    }
}

struct Bench {
    crm: Rc<ModuleCrm>,
    client: Client<SimTransport, SimClock>,
    clock: SimClock,
}

fn bench() -> Bench {
    let clock = SimClock::default();
    let crm = Rc::new(ModuleCrm::default());
    let handler = crm.clone();
    let transport = SimTransport::new(&clock, 300.0, move |req, _| Ok(handler.answer(req)));
    Bench {
        client: sim::client(&transport, &clock),
        crm,
        clock,
    }
}

impl Bench {
    /// Sends what `save` confirms and records the answer.
    fn confirm_and_send(&self, save: &mut ModuleSave) -> Option<String> {
        let sending = save.confirm()?;
        assert!(save.is_sending());
        let answer = run(&self.clock, sending.send(&self.client));
        save.record(answer)
    }

    /// A new module `my-wms` filled in and reviewed.
    fn reviewed(&self) -> ModuleSave {
        let mut save = self.open("my-wms");
        fill(&mut save);
        save.start_review(false);
        save
    }

    /// What a fresh lookup of `code` opens.
    fn open(&self, code: &str) -> ModuleSave {
        let answer = run(&self.clock, self.client.integration_module(code));
        ModuleSave::opened(code, answer.map(|r| r.integration_module)).unwrap()
    }
}

/// Fills the fields the panel's checks require.
fn fill(save: &mut ModuleSave) {
    save.edit(Field::Name, |f| f.name = "My WMS".into());
    save.edit(Field::ClientId, |f| f.client_id = "client-1".into());
    save.edit(Field::BaseUrl, |f| {
        f.base_url = "https://wms.example.com".into()
    });
    save.edit(Field::Action(0, ActionField::CallPoints), |f| {
        f.actions[0].call_points = vec!["manual".into()]
    });
}

#[test]
fn a_new_module_is_reviewed_then_created_and_the_crm_holds_exactly_the_json_shown() {
    let b = bench();
    let mut save = b.open("my-wms");
    assert!(!save.is_registered());
    save.start_review(false);
    assert_eq!(
        save.outcome(),
        Some(&Outcome::Blocked(4)),
        "name, clientId, baseUrl, call points"
    );
    assert!(save.review().is_none());
    assert!(save.problems_of(Field::BaseUrl).next().is_some());
    assert_eq!(b.confirm_and_send(&mut save), None, "nothing to confirm");
    fill(&mut save);
    assert_eq!(
        save.problems_of(Field::BaseUrl).next(),
        None,
        "an edit clears its field's problems"
    );
    save.start_review(false);
    let review = save.review().cloned().unwrap();
    assert!(review.new);
    assert!(review.changes.iter().all(|c| c.kind == ChangeKind::Added));
    assert_eq!(
        review.request.path,
        "/api/v5/integration-modules/my-wms/edit"
    );
    assert!(!review.json.contains("key"), "{}", review.json);
    assert_eq!(
        b.crm.edits.borrow().len(),
        0,
        "nothing sent before the confirmation"
    );

    assert_eq!(b.confirm_and_send(&mut save).as_deref(), Some("my-wms"));
    assert_eq!(
        save.outcome(),
        Some(&Outcome::Saved {
            status: 201,
            info: r#"{"billingInfo":{"price":0}}"#.into()
        })
    );
    let edits = b.crm.edits.borrow();
    let (req, sent) = &edits[0];
    let shown: Value = serde_json::from_str(&review.json).unwrap();
    assert_eq!(sent, &shown, "the CRM got exactly the JSON shown");
    assert_eq!(req.header(API_KEY_HEADER), Some("key"));
    assert!(!req.url.contains("key") && !req.body.as_deref().unwrap_or("").contains("apiKey"));
    // The form is now the module read back: registered, and the next save is an update of what changed.
    assert!(save.is_registered());
    assert_eq!(
        save.form().original.as_ref().and_then(|m| m.freeze),
        Some(false)
    );
}

#[test]
fn an_update_lists_only_the_changes_and_is_answered_200() {
    let b = bench();
    let mut save = b.reviewed();
    b.confirm_and_send(&mut save);
    let mut save = b.open("my-wms");
    assert!(save.is_registered());
    save.edit(Field::Name, |f| f.name = "My WMS 2".into());
    save.start_review(false);
    let review = save.review().cloned().unwrap();
    assert!(!review.new);
    assert_eq!(
        review
            .changes
            .iter()
            .map(|c| (c.path.as_str(), c.kind))
            .collect::<Vec<_>>(),
        [("name", ChangeKind::Changed)]
    );
    b.confirm_and_send(&mut save);
    assert_eq!(
        save.outcome(),
        Some(&Outcome::Saved {
            status: 200,
            info: String::new()
        })
    );
    assert_eq!(b.crm.modules.borrow()["my-wms"]["name"], "My WMS 2");
    // Saving again without an edit changes nothing.
    save.start_review(false);
    assert_eq!(save.review().map(|r| r.changes.len()), Some(0));
}

#[test]
fn an_edit_after_the_review_drops_it_and_the_stale_review_cannot_be_sent() {
    let b = bench();
    let mut save = b.reviewed();
    assert!(save.review().is_some());
    save.edit(Field::Name, |f| f.name = "Renamed".into());
    assert!(
        save.review().is_none(),
        "the review of the old form is gone"
    );
    assert_eq!(save.confirm(), None);
    assert_eq!(b.crm.edits.borrow().len(), 0);
    // Back to editing sends nothing either; a new review shows the new name.
    save.start_review(false);
    save.back();
    assert_eq!(save.confirm(), None);
    save.start_review(false);
    assert!(save.review().unwrap().json.contains("Renamed"));
    b.confirm_and_send(&mut save);
    assert_eq!(b.crm.edits.borrow().len(), 1);
    assert_eq!(b.crm.modules.borrow()["my-wms"]["name"], "Renamed");
}

#[test]
fn refused_then_fixed_then_sent_keeps_what_was_typed() {
    let b = bench();
    let mut save = b.open("my-wms");
    fill(&mut save);
    save.edit(Field::Code, |f| f.code = "other-wms".into());
    save.start_review(false);
    assert!(save.review().is_none(), "the panel's own check blocks it");
    // Sent without the panel's checks, the CRM refuses and names the field.
    save.start_review(true);
    assert_eq!(b.confirm_and_send(&mut save), None);
    assert!(matches!(save.outcome(), Some(Outcome::Failed(e)) if e.status() == Some(400)));
    assert_eq!(
        save.problems_of(Field::Code).collect::<Vec<_>>(),
        [&Problem::Crm(
            "Code prefix must match integrationCode".into()
        )]
    );
    assert_eq!(save.form().code, "other-wms", "what was typed is kept");
    assert_eq!(save.form().name, "My WMS");
    assert!(!save.is_registered());
    // Fixed and sent again.
    save.edit(Field::Code, |f| f.code = "my-wms".into());
    assert_eq!(save.problems_of(Field::Code).next(), None);
    save.start_review(false);
    assert_eq!(b.confirm_and_send(&mut save).as_deref(), Some("my-wms"));
    assert!(matches!(
        save.outcome(),
        Some(Outcome::Saved { status: 201, .. })
    ));
    assert_eq!(b.crm.edits.borrow().len(), 2);
}

#[test]
fn typing_while_the_save_is_on_its_way_is_kept_and_late_answers_are_ignored() {
    let b = bench();
    let mut save = b.reviewed();
    let sending = save.confirm().unwrap();
    save.start_review(false);
    assert!(
        save.review().is_none(),
        "no review while a save is on its way"
    );
    save.edit(Field::Name, |f| f.name = "Typed meanwhile".into());
    let answer = run(&b.clock, sending.send(&b.client));
    let stale = SaveAnswer {
        ticket: answer.ticket + 7,
        result: Err(ApiError::Cancelled),
    };
    assert_eq!(save.record(stale), None);
    assert!(save.is_sending(), "an answer to another send is ignored");
    assert_eq!(save.record(answer.clone()).as_deref(), Some("my-wms"));
    assert_eq!(save.record(answer), None, "an answer counts once");
    assert_eq!(save.form().name, "Typed meanwhile");
    assert!(save.is_registered(), "what the CRM holds now is known");
    save.start_review(false);
    assert_eq!(
        save.review()
            .unwrap()
            .changes
            .iter()
            .map(|c| c.path.as_str())
            .collect::<Vec<_>>(),
        ["name"],
        "the next review compares with the module read back"
    );
}

#[test]
fn a_cancelled_send_goes_back_to_editing_without_an_outcome() {
    let b = bench();
    let mut save = b.reviewed();
    let sending = save.confirm().unwrap();
    let leave = crate::api::CancelToken::new();
    leave.cancel();
    let answer = run(&b.clock, sending.send(&b.client.with_cancel(leave)));
    assert_eq!(answer.result, Err(ApiError::Cancelled));
    assert_eq!(save.record(answer), None);
    assert!(!save.is_sending());
    assert_eq!(save.outcome(), None);
    assert_eq!(b.crm.edits.borrow().len(), 0);
    save.start_review(false);
    assert!(save.review().is_some());
}

#[test]
fn removing_an_action_clears_the_actions_problems() {
    let mut save = ModuleSave::open("my-wms", None);
    save.add_action();
    save.start_review(false);
    assert!(save
        .problems_of(Field::Action(1, ActionField::Code))
        .next()
        .is_some());
    save.remove_action(1);
    save.remove_action(5);
    assert_eq!(save.form().actions.len(), 1);
    assert!(save
        .problems_of(Field::Action(0, ActionField::CallPoints))
        .next()
        .is_none());
    assert!(
        save.problems_of(Field::Name).next().is_some(),
        "other problems stay"
    );
}

#[test]
fn a_lookup_opens_the_module_held_a_new_one_or_the_error() {
    let held = IntegrationModule {
        code: "demo-wms".into(),
        name: Some("Demo".into()),
        ..IntegrationModule::default()
    };
    let found = ModuleSave::opened("demo-wms", Ok(held.clone())).unwrap();
    assert!(found.is_registered());
    assert_eq!(found.form().name, "Demo");
    let missing =
        ModuleSave::opened(" my-wms ", Err(ApiError::NotFound { error_msg: None })).unwrap();
    assert!(!missing.is_registered());
    assert_eq!(missing.form().code, "my-wms");
    assert_eq!(missing.form().inventories_action(), Some(0));
    assert_eq!(
        ModuleSave::opened("x", Err(ApiError::WrongKey)),
        Err(ApiError::WrongKey)
    );
}
