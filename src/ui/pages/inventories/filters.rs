//! The leftovers filter form (the CRM's own filters) and the local search box.

use crate::i18n::Text;
use crate::inventories::filter::{parse_flag, InventoryFilter};
use crate::ui::components::fold::Fold;
use crate::ui::locale::{t, tf};
use crate::ui::reactive::{effect, memo};
use crate::ui::session::use_session;
use leptos::prelude::*;

/// The filter form: edits a draft and hands it over on "Apply"; "Reset" hands over the empty filter.
#[component]
pub fn FilterForm(
    /// The filter in the URL; the draft follows it whenever the CRM-side part changes.
    filter: Memo<InventoryFilter>,
    on_apply: Callback<InventoryFilter>,
) -> impl IntoView {
    let draft = RwSignal::new(filter.get_untracked());
    let scope = memo(move || filter.get().scope());
    effect(move |_| {
        let scope = scope.get();
        draft.update(|d| {
            *d = InventoryFilter {
                search: d.search.clone(),
                page: d.page,
                limit: d.limit,
                ..scope
            }
        });
    });
    let bad_ids = move || draft.with(|d| d.parsed_ids().1);
    let bad_ids_text = tf(Text::InvBadIds, move || vec![("ids", bad_ids().join(", "))]);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let f = filter.get_untracked();
        on_apply.run(InventoryFilter {
            search: f.search,
            limit: f.limit,
            page: 1,
            ..draft.get_untracked().scope()
        });
    };
    let reset = move |_| {
        let f = filter.get_untracked();
        on_apply.run(InventoryFilter {
            limit: f.limit,
            ..InventoryFilter::default()
        });
    };
    view! {
        <form class="card inv-filters" id="inv-filters" on:submit=submit>
            <Fold summary=Text::FiltersSentToCrm>
            <div class="row">
                <SiteFilter draft/>
                <TextFilter id="inv-external-id" label=Text::InvExternalIds draft list=true
                    get=|d| d.offer_external_id.clone() set=|d, v| d.offer_external_id = v/>
                <TextFilter id="inv-xml-id" label=Text::InvXmlIds draft list=true
                    get=|d| d.offer_xml_id.clone() set=|d, v| d.offer_xml_id = v/>
                <TextFilter id="inv-article" label=Text::InvArticles draft list=true
                    get=|d| d.offer_article.clone() set=|d, v| d.offer_article = v/>
                <TextFilter id="inv-ids" label=Text::InvIds draft list=true
                    get=|d| d.ids.clone() set=|d, v| d.ids = v/>
            </div>
            {move || (!bad_ids().is_empty()).then(|| view! { <p class="field-error">{bad_ids_text()}</p> })}
            <div class="row">
                <FlagFilter id="inv-product-active" label=Text::InvProductActive draft
                    get=|d| d.product_active set=|d, v| d.product_active = v/>
                <FlagFilter id="inv-offer-active" label=Text::InvOfferActive draft
                    get=|d| d.offer_active set=|d, v| d.offer_active = v/>
            </div>
            <div class="row">
                <button type="submit" id="inv-apply">{t(Text::InvApply)}</button>
                <button type="button" class="secondary" id="inv-reset" on:click=reset>{t(Text::InvReset)}</button>
            </div>
            </Fold>
        </form>
    }
}

/// A text filter bound to a field of the draft: one line, or with `list` a comma- or line-separated list.
#[component]
fn TextFilter(
    #[prop(into)] id: String,
    label: Text,
    draft: RwSignal<InventoryFilter>,
    get: fn(&InventoryFilter) -> String,
    set: fn(&mut InventoryFilter, String),
    #[prop(optional)] list: bool,
) -> impl IntoView {
    let value = move || draft.with(get);
    let on_input = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        draft.update(|d| set(d, v))
    };
    let input = if list {
        view! {
            <textarea id=id.clone() rows="2" prop:value=value on:input=on_input></textarea>
            <span class="hint">{t(Text::InvListHint)}</span>
        }
        .into_any()
    } else {
        view! { <input id=id.clone() type="text" prop:value=value on:input=on_input/> }.into_any()
    };
    view! {
        <div class="field">
            <label for=id>{t(label)}</label>
            {input}
        </div>
    }
}

/// The site, picked from the sites the key may use (found by the connection check).
#[component]
fn SiteFilter(draft: RwSignal<InventoryFilter>) -> impl IntoView {
    let session = use_session();
    let sites = move || session.sites();
    view! {
        <div class="field">
            <label for="inv-site">{t(Text::InvSite)}</label>
            <select id="inv-site"
                on:change=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.site = v) }>
                <option value="" selected=move || draft.with(|d| d.site.is_empty())>{t(Text::InvAnySite)}</option>
                {move || sites().into_iter().map(|site| {
                    let code = site.code.clone();
                    let selected = move || draft.with(|d| d.site == code);
                    view! {
                        <option value=site.code.clone() selected=selected>
                            {format!("{} ({})", site.name, site.code)}
                        </option>
                    }
                }).collect_view()}
            </select>
        </div>
    }
}

/// Active / inactive / either, bound to a flag of the draft.
#[component]
fn FlagFilter(
    #[prop(into)] id: String,
    label: Text,
    draft: RwSignal<InventoryFilter>,
    get: fn(&InventoryFilter) -> Option<bool>,
    set: fn(&mut InventoryFilter, Option<bool>),
) -> impl IntoView {
    let value = move || match draft.with(get) {
        Some(true) => "1",
        Some(false) => "0",
        None => "",
    };
    view! {
        <div class="field">
            <label for=id.clone()>{t(label)}</label>
            <select id=id prop:value=value
                on:change=move |ev| { let v = parse_flag(&event_target_value(&ev)); draft.update(|d| set(d, v)) }>
                <option value="">{t(Text::InvAny)}</option>
                <option value="1">{t(Text::InvActiveOnly)}</option>
                <option value="0">{t(Text::InvInactiveOnly)}</option>
            </select>
        </div>
    }
}
