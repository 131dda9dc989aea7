//! A text field of the module form with its problems under it, and the words for each problem.

use crate::i18n::{Lang, Text};
use crate::module::form::ModuleForm;
use crate::module::save::ModuleSave;
use crate::module::validate::{Field, Problem};
use crate::ui::locale::{t, use_locale};
use leptos::prelude::*;

/// The words for a field problem.
fn problem_text(p: &Problem, lang: Lang) -> String {
    let text = match p {
        Problem::Required => Text::ModErrRequired,
        Problem::BadCodeCharacters => Text::ModErrCodeChars,
        Problem::CodePrefix => Text::ModErrCodePrefix,
        Problem::NotAbsoluteUrl => Text::ModErrNotAbsoluteUrl,
        Problem::NotHttps => Text::ModErrNotHttps,
        Problem::ActionUrlSlash => Text::ModErrActionUrl,
        Problem::DuplicateActionCode => Text::ModErrDuplicateAction,
        Problem::NoCallPoints => Text::ModErrNoCallPoints,
        Problem::Crm(message) => {
            return Text::ModErrCrm.fill(lang, &[("message", message.clone())])
        }
    };
    text.in_lang(lang).to_owned()
}

/// The messages of one field, under it.
#[component]
pub fn FieldProblems(field: Field, save: RwSignal<ModuleSave>) -> impl IntoView {
    let lang = use_locale().lang;
    move || {
        save.with(|s| {
            s.problems_of(field)
                .map(|p| view! { <span class="field-error">{problem_text(p, lang.get())}</span> })
                .collect_view()
        })
    }
}

/// One text field of the module, read with `get` and edited with `set` through the save workflow.
pub fn text_field(
    save: RwSignal<ModuleSave>,
    field: Field,
    key: &'static str,
    label: Text,
    get: fn(&ModuleForm) -> String,
    set: fn(&mut ModuleForm, String),
    extra: AnyView,
) -> impl IntoView {
    let id = format!("mod-f-{key}");
    view! {
        <div class="field" data-field=key>
            <label for=id.clone()>{t(label)}</label>
            <div class="field-inline">
                <input id=id type="text" prop:value=move || save.with(|s| get(s.form()))
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        save.update(|s| s.edit(field, |f| set(f, value)));
                    }/>
                {extra}
            </div>
            <FieldProblems field save/>
        </div>
    }
}
