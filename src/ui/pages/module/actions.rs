//! The module's store actions: code, url, call points, and the address the CRM will call.

use super::fields::FieldProblems;
use crate::i18n::Text;
use crate::module::form::{parse_call_points, ActionRow, SUGGESTED_CALL_POINTS};
use crate::module::save::ModuleSave;
use crate::module::validate::{ActionField, Field};
use crate::ui::locale::{t, tf};
use leptos::prelude::*;

/// Every store action, and "Add an action".
#[component]
pub fn ActionsEditor(save: RwSignal<ModuleSave>) -> impl IntoView {
    let count = move || save.with(|s| s.form().actions.len());
    let suggestions = move || {
        let mut values: Vec<String> = SUGGESTED_CALL_POINTS
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        save.with(|s| {
            for p in s.form().actions.iter().flat_map(|a| a.call_points.iter()) {
                if !values.contains(p) {
                    values.push(p.clone());
                }
            }
        });
        values
    };
    view! {
        <fieldset class="mod-actions" data-field="actions">
            <legend>{t(Text::ModActions)}</legend>
            <p class="hint" id="mod-callpoints-unconfirmed">{t(Text::ModCallPointsUnconfirmed)}</p>
            <datalist id="mod-callpoint-suggestions">
                {move || suggestions().into_iter().map(|s| view! { <option value=s/> }).collect_view()}
            </datalist>
            <For each=move || 0..count() key=|i| *i let:index>
                <ActionRowEditor save index/>
            </For>
            <button type="button" class="secondary" id="mod-add-action"
                on:click=move |_| save.update(ModuleSave::add_action)>{t(Text::ModAddAction)}</button>
        </fieldset>
    }
}

/// One store action.
#[component]
fn ActionRowEditor(save: RwSignal<ModuleSave>, index: usize) -> impl IntoView {
    let new_point = RwSignal::new(String::new());
    let read = move |get: fn(&ActionRow) -> String| {
        save.with(|s| s.form().actions.get(index).map(get).unwrap_or_default())
    };
    let edit = move |field: ActionField, change: Box<dyn FnOnce(&mut ActionRow)>| {
        save.update(|s| {
            s.edit(Field::Action(index, field), |f| {
                if let Some(row) = f.actions.get_mut(index) {
                    change(row);
                }
            })
        });
    };
    let add_point = move || {
        let points = parse_call_points(&new_point.get_untracked());
        if !points.is_empty() {
            edit(
                ActionField::CallPoints,
                Box::new(move |row| {
                    for p in points {
                        if !row.call_points.contains(&p) {
                            row.call_points.push(p);
                        }
                    }
                }),
            );
            new_point.set(String::new());
        }
    };
    let address = move || save.with(|s| s.form().callback_address(index));
    let id = |part: &str| format!("mod-action-{index}-{part}");
    let points = move || {
        save.with(|s| {
            s.form()
                .actions
                .get(index)
                .map(|a| a.call_points.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <div class="mod-action card" data-index=index>
            <div class="row">
                <div class="field" data-field=format!("actions.{index}.code")>
                    <label for=id("code")>{t(Text::ModActionCode)}</label>
                    <input class="mod-action-code" id=id("code") type="text" prop:value=move || read(|a| a.code.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); edit(ActionField::Code, Box::new(move |row| row.code = v)); }/>
                    <FieldProblems field=Field::Action(index, ActionField::Code) save/>
                </div>
                <div class="field" data-field=format!("actions.{index}.url")>
                    <label for=id("url")>{t(Text::ModActionUrl)}</label>
                    <input class="mod-action-url" id=id("url") type="text" prop:value=move || read(|a| a.url.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); edit(ActionField::Url, Box::new(move |row| row.url = v)); }/>
                    <FieldProblems field=Field::Action(index, ActionField::Url) save/>
                </div>
            </div>
            <div class="field" data-field=format!("actions.{index}.callPoints")>
                <label for=id("callpoint")>{t(Text::ModActionCallPoints)}</label>
                <div class="mod-callpoints">
                    {move || points().into_iter().map(|p| {
                        let value = p.clone();
                        let label = p.clone();
                        let point = p.clone();
                        let remove = tf(Text::ModRemoveCallPoint, move || vec![("point", point.clone())]);
                        view! {
                            <span class="badge mod-callpoint" data-value=p>
                                {label}" "
                                <button type="button" class="link remove" aria-label=remove
                                    on:click=move |_| { let v = value.clone(); edit(ActionField::CallPoints, Box::new(move |row| row.call_points.retain(|c| *c != v))); }>
                                    "×"
                                </button>
                            </span>
                        }
                    }).collect_view()}
                </div>
                <div class="field-inline">
                    <input class="mod-callpoint-input" id=id("callpoint") type="text" list="mod-callpoint-suggestions" prop:value=move || new_point.get()
                        on:input=move |ev| new_point.set(event_target_value(&ev))
                        on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); add_point(); }/>
                    <button type="button" class="secondary mod-callpoint-add" on:click=move |_| add_point()>
                        {t(Text::ModAddCallPoint)}
                    </button>
                </div>
                <FieldProblems field=Field::Action(index, ActionField::CallPoints) save/>
            </div>
            <p class="mod-callback">
                {move || match address() {
                    Some(a) => view! { {t(Text::ModCallbackAddress)}" "<code class="mod-callback-address">{a}</code> }.into_any(),
                    None => view! { <span class="muted">{t(Text::ModCallbackIncomplete)}</span> }.into_any(),
                }}
            </p>
            <button type="button" class="secondary mod-remove-action"
                on:click=move |_| save.update(|s| s.remove_action(index))>{t(Text::ModRemoveAction)}</button>
        </div>
    }
}
