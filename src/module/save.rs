//! The module save as a workflow: the form as typed and its problems, the review of what a save sends (change list
//! and the exact `integrationModule` JSON), the send, and the CRM's answer recorded without losing what was typed.
//!
//! A review belongs to the form as it was when it was made: any edit drops it, and only the current review can be
//! confirmed. The answer of a send is recorded under the ticket the send was given, so a late answer of an earlier
//! send is ignored.

use serde_json::{Map, Value};

use crate::api::envelope::decode;
use crate::api::module::{
    IntegrationModule, IntegrationModuleEditRequest, IntegrationModuleEditResponse,
};
use crate::api::{ApiError, ApiRequest, Client, Clock, Endpoint, ErrorKind, Transport};

use super::changes::{change_list, sent_module_json, Change};
use super::form::{ActionRow, ModuleForm};
use super::validate::{place_crm_errors, validate, Field, Problem};

/// What the user reviews before a save: the change list and the exact request "Confirm and send" sends (the key is
/// not in it: the client puts it in a header).
#[derive(Clone, Debug, PartialEq)]
pub struct Review {
    pub request: ApiRequest,
    /// The module's code, to read it back after the save.
    pub code: String,
    /// `true` when the CRM does not hold the module yet.
    pub new: bool,
    pub changes: Vec<Change>,
    /// The `integrationModule` field of the request, pretty-printed.
    pub json: String,
    /// The revision of the form it shows.
    revision: u64,
}

/// The answer to the last save.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Nothing sent: the panel's checks found this many problems.
    Blocked(usize),
    /// 201 created, 200 updated, with the CRM's `info` as compact JSON (empty when it sent none).
    Saved {
        status: u16,
        info: String,
    },
    Failed(ApiError),
}

/// A confirmed review on its way: what to send, and the ticket its answer is recorded under.
#[derive(Clone, Debug, PartialEq)]
pub struct Sending {
    pub ticket: u64,
    pub request: ApiRequest,
    pub code: String,
}

/// What the CRM said to a save: its status and `info`, and the module as read back afterwards (when it could be).
#[derive(Clone, Debug, PartialEq)]
pub struct Saved {
    pub status: u16,
    pub info: Map<String, Value>,
    pub read_back: Option<IntegrationModule>,
}

/// The answer to the send with `ticket`.
#[derive(Clone, Debug, PartialEq)]
pub struct SaveAnswer {
    pub ticket: u64,
    pub result: Result<Saved, ApiError>,
}

impl Sending {
    /// Sends the reviewed request, then reads back what the CRM now holds.
    pub async fn send<T: Transport, C: Clock>(&self, client: &Client<T, C>) -> SaveAnswer {
        let result = async {
            let response = client.execute(&self.request).await?;
            let body: IntegrationModuleEditResponse = decode(&response)?;
            let read_back = client
                .integration_module(&self.code)
                .await
                .ok()
                .map(|r| r.integration_module);
            Ok(Saved {
                status: response.status,
                info: body.info,
                read_back,
            })
        }
        .await;
        SaveAnswer {
            ticket: self.ticket,
            result,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Step {
    Editing,
    Reviewing(Review),
    /// The send with `ticket` of the module `code` is on its way, made from the form at `revision`.
    Sending {
        ticket: u64,
        revision: u64,
        code: String,
    },
}

/// The module being edited and saved.
#[derive(Clone, Debug, PartialEq)]
pub struct ModuleSave {
    form: ModuleForm,
    problems: Vec<(Field, Problem)>,
    /// Counts the edits: a review shows one revision of the form.
    revision: u64,
    step: Step,
    outcome: Option<Outcome>,
    tickets: u64,
}

impl ModuleSave {
    /// The module the CRM holds (`held`), or a new one with `code` when it holds none.
    pub fn open(code: &str, held: Option<&IntegrationModule>) -> Self {
        let form = match held {
            Some(module) => ModuleForm::from_module(module),
            None => ModuleForm::new_module(code),
        };
        ModuleSave {
            form,
            problems: Vec::new(),
            revision: 0,
            step: Step::Editing,
            outcome: None,
            tickets: 0,
        }
    }

    /// What a lookup of `code` opens: the module the CRM holds, a new one when the CRM has none with that code, or
    /// the error that stopped the lookup.
    pub fn opened(
        code: &str,
        answer: Result<IntegrationModule, ApiError>,
    ) -> Result<ModuleSave, ApiError> {
        match answer {
            Ok(module) => Ok(ModuleSave::open(code, Some(&module))),
            Err(error) if error.kind() == ErrorKind::NotFound => Ok(ModuleSave::open(code, None)),
            Err(error) => Err(error),
        }
    }

    pub fn form(&self) -> &ModuleForm {
        &self.form
    }

    /// Whether the CRM holds the module (as loaded or read back after a save).
    pub fn is_registered(&self) -> bool {
        self.form.original.is_some()
    }

    /// The problems of `field`: the panel's checks and the CRM's own messages.
    pub fn problems_of(&self, field: Field) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(move |(f, _)| *f == field)
            .map(|(_, p)| p)
    }

    /// The current review, if one is open.
    pub fn review(&self) -> Option<&Review> {
        match &self.step {
            Step::Reviewing(review) => Some(review),
            _ => None,
        }
    }

    pub fn is_sending(&self) -> bool {
        matches!(self.step, Step::Sending { .. })
    }

    pub fn outcome(&self) -> Option<&Outcome> {
        self.outcome.as_ref()
    }

    /// Changes the form through `field` (its problems go, any review is dropped).
    pub fn edit(&mut self, field: Field, change: impl FnOnce(&mut ModuleForm)) {
        change(&mut self.form);
        self.problems.retain(|(f, _)| *f != field);
        self.touched();
    }

    /// Adds an empty store action.
    pub fn add_action(&mut self) {
        self.form.actions.push(ActionRow::default());
        self.touched();
    }

    /// Removes store action `index` (the actions' problems go: the rows after it move up).
    pub fn remove_action(&mut self, index: usize) {
        if index < self.form.actions.len() {
            self.form.actions.remove(index);
            self.problems
                .retain(|(f, _)| !matches!(f, Field::Action(..)));
            self.touched();
        }
    }

    fn touched(&mut self) {
        self.revision += 1;
        if matches!(self.step, Step::Reviewing(_)) {
            self.step = Step::Editing;
        }
    }

    /// "Save": checks the form (unless `skip_checks`), then opens the review of what will be sent.
    pub fn start_review(&mut self, skip_checks: bool) {
        if self.is_sending() {
            return;
        }
        let found = validate(&self.form);
        if !skip_checks && !found.is_empty() {
            self.outcome = Some(Outcome::Blocked(found.len()));
            self.problems = found;
            self.step = Step::Editing;
            return;
        }
        self.problems.clear();
        let module = self.form.to_module();
        let changes = change_list(self.form.original.as_ref(), &module);
        let code = module.code.clone();
        match (IntegrationModuleEditRequest { module }).to_request() {
            Ok(request) => {
                self.outcome = None;
                self.step = Step::Reviewing(Review {
                    json: sent_module_json(&request).unwrap_or_default(),
                    request,
                    code,
                    new: self.form.original.is_none(),
                    changes,
                    revision: self.revision,
                });
            }
            Err(error) => {
                self.outcome = Some(Outcome::Failed(error));
                self.step = Step::Editing;
            }
        }
    }

    /// "Back to editing": closes the review, nothing sent.
    pub fn back(&mut self) {
        if matches!(self.step, Step::Reviewing(_)) {
            self.step = Step::Editing;
        }
    }

    /// "Confirm and send": the request of the current review, to send and then [`ModuleSave::record`]. `None` when
    /// no review of the form as it is now is open.
    pub fn confirm(&mut self) -> Option<Sending> {
        let Step::Reviewing(review) = &self.step else {
            return None;
        };
        if review.revision != self.revision {
            return None;
        }
        self.tickets += 1;
        let sending = Sending {
            ticket: self.tickets,
            request: review.request.clone(),
            code: review.code.clone(),
        };
        self.step = Step::Sending {
            ticket: sending.ticket,
            revision: self.revision,
            code: sending.code.clone(),
        };
        Some(sending)
    }

    /// Records the answer of the send under way (any other answer is ignored). Saved: the form becomes the module
    /// read back, or, if it was edited meanwhile, keeps what was typed against the module read back. Refused: the
    /// CRM's field errors go on their fields and the form stays as typed. Returns the code saved, if it was.
    pub fn record(&mut self, answer: SaveAnswer) -> Option<String> {
        let (revision, code) = match &self.step {
            Step::Sending {
                ticket,
                revision,
                code,
            } if *ticket == answer.ticket => (*revision, code.clone()),
            _ => return None,
        };
        self.step = Step::Editing;
        match answer.result {
            Ok(saved) => {
                if let Some(module) = saved.read_back {
                    if self.revision == revision {
                        self.form = ModuleForm::from_module(&module);
                    } else {
                        self.form.original = Some(module);
                    }
                }
                let info = if saved.info.is_empty() {
                    String::new()
                } else {
                    Value::Object(saved.info).to_string()
                };
                self.outcome = Some(Outcome::Saved {
                    status: saved.status,
                    info,
                });
                Some(code)
            }
            Err(ApiError::Cancelled) => None,
            Err(error) => {
                let (placed, _) = place_crm_errors(error.errors());
                self.problems = placed;
                self.outcome = Some(Outcome::Failed(error));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests;
