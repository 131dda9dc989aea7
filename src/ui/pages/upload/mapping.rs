//! Step 2: the key column and its kind, the site, and which columns hold which warehouse's quantity or price.

use super::use_upload;
use crate::i18n::words::Word;
use crate::i18n::Text;
use crate::sync::profile::{self, MappingProfile};
use crate::ui::components::download::save_text_file;
use crate::ui::components::show::Show;
use crate::ui::components::table_scroll::TableScroll;
use crate::ui::locale::{t, tf};
use crate::ui::reactive::memo;
use crate::upload::mapping::{KeyColumn, Layout, Mapping, StoreColumn, StoreField, LISTED_COLUMNS};
use crate::upload::offer::KeyKind;
use crate::upload::warehouse::Warehouse;
use leptos::prelude::*;

/// `<option>`s for "no column" and each header cell, `selected` marked.
fn column_options(header: &[String], selected: Option<usize>) -> impl IntoView {
    let none = view! { <option value="" selected=selected.is_none()>"—"</option> };
    let columns = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            view! { <option value=i.to_string() selected=selected == Some(i)>{format!("{}: {h}", i + 1)}</option> }
        })
        .collect_view();
    (none, columns)
}

/// The wide-layout value of a column for its select: `code|quantity`, `code|purchasePrice` or empty.
fn wide_value(columns: &[StoreColumn], column: usize) -> String {
    columns
        .iter()
        .find(|c| c.column == column)
        .map(|c| format!("{}|{}", c.store, field_code(c.field)))
        .unwrap_or_default()
}

fn field_code(field: StoreField) -> &'static str {
    match field {
        StoreField::Quantity => "quantity",
        StoreField::PurchasePrice => "purchasePrice",
    }
}

/// Offers the mapping as the profile file of `warehouse-sync --mapping` (columns by header name).
fn save_profile(mapping: &Mapping) {
    if let Ok(profile) = MappingProfile::of(mapping) {
        save_text_file(profile::FILE_NAME, &profile.to_json());
    }
}

/// One row of the wide layout's mapping: the column's header and a select of warehouse fields.
fn wide_row(
    i: usize,
    h: String,
    current: String,
    warehouses: &[Warehouse],
    edit: impl Fn(&dyn Fn(&mut Mapping)) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let on_change = move |ev| {
        let value = event_target_value(&ev);
        edit(&|m: &mut Mapping| {
            if let Layout::Wide { columns } = &mut m.layout {
                columns.retain(|c| c.column != i);
                if let Some((store, field)) = value.split_once('|') {
                    let field = if field == "quantity" {
                        StoreField::Quantity
                    } else {
                        StoreField::PurchasePrice
                    };
                    columns.push(StoreColumn {
                        column: i,
                        store: store.to_string(),
                        field,
                    });
                    crate::order::sort_by_key(columns, |c| c.column);
                }
            }
        });
    };
    let options = warehouses
        .iter()
        .flat_map(|w| {
            [StoreField::Quantity, StoreField::PurchasePrice].map(|f| {
                let value = format!("{}|{}", w.code, field_code(f));
                let label = format!(
                    "{} ({}): {}",
                    w.name,
                    w.code,
                    match f {
                        StoreField::Quantity => t(Text::UpFieldQuantity)(),
                        StoreField::PurchasePrice => t(Text::UpFieldPrice)(),
                    }
                );
                let selected = value == current;
                view! { <option value=value selected=selected>{label}</option> }
            })
        })
        .collect_view();
    // A column mapped to a code the CRM does not have stays visible (validation reports it).
    let unknown = (!current.is_empty()
        && !warehouses
            .iter()
            .any(|w| current.starts_with(&format!("{}|", w.code))))
    .then(|| view! { <option value=current.clone() selected=true>{current.clone()}</option> });
    let name = format!("{}: {h}", i + 1);
    let label = tf(Text::UpColumnHolds, move || vec![("column", name.clone())]);
    view! {
        <tr>
            <td>{h}</td>
            <td><select class="up-column-map" data-column=i.to_string() aria-label=label on:change=on_change>
                <option value="" selected=current.is_empty()>{t(Text::UpIgnore)}</option>
                {unknown}
                {options}
            </select></td>
        </tr>
    }
}

#[component]
pub fn MappingStep() -> impl IntoView {
    let state = use_upload();
    let edit = move |f: &dyn Fn(&mut Mapping)| {
        state.act(|u| {
            u.update_flow(|flow| {
                if let Some(mut m) = flow.mapping().cloned() {
                    f(&mut m);
                    flow.set_mapping(m);
                }
            })
        });
    };
    // Only a change of the mapping or the warehouses renders the step again (not every chunk of an upload).
    let current = memo(move || {
        state
            .flow(|f| (f.mapping().cloned(), f.warehouses().to_vec()))
            .unwrap_or_default()
    });
    let find = RwSignal::new(String::new());
    let find_for = StoredValue::new(Vec::<String>::new());
    let body = move || {
        let (mapping, warehouses) = current.get();
        let mapping = mapping?;
        let header = mapping.header.clone();
        let key = mapping.keys.first().copied();
        let kind = key.map(|k| k.kind).unwrap_or(KeyKind::ExternalId);
        let on_kind = move |ev| {
            let value = event_target_value(&ev);
            if let Some(kind) = KeyKind::ALL.into_iter().find(|k| k.wire_name() == value) {
                edit(&|m: &mut Mapping| {
                    let column = m
                        .keys
                        .iter()
                        .find(|k| k.kind == kind)
                        .or(m.keys.first())
                        .map(|k| k.column)
                        .unwrap_or(0);
                    m.keys = vec![KeyColumn { kind, column }];
                });
            }
        };
        let on_key_column = move |ev| {
            let column = event_target_value(&ev).parse::<usize>().ok();
            edit(&|m: &mut Mapping| {
                m.keys = column
                    .map(|column| vec![KeyColumn { kind, column }])
                    .unwrap_or_default();
            });
        };
        let on_site_column = move |ev| {
            let column = event_target_value(&ev).parse::<usize>().ok();
            edit(&|m: &mut Mapping| m.site_column = column);
        };
        let on_default_site = move |ev| {
            let site = Some(event_target_value(&ev)).filter(|s| !s.is_empty());
            edit(&|m: &mut Mapping| m.default_site = site.clone());
        };
        let sites = state.sites.get();
        let default_site = mapping.default_site.clone();
        let layout = match mapping.layout.clone() {
            Layout::Wide { columns } => {
                // The find box belongs to one file: a new header starts with every column.
                if find_for.with_value(|h| *h != header) {
                    find_for.set_value(header.clone());
                    find.update_untracked(String::clear);
                }
                let wide_file = mapping.listed_columns("", LISTED_COLUMNS).left_out > 0;
                let listed_mapping = mapping.clone();
                let rows = move || {
                    let listed = listed_mapping.listed_columns(&find.get(), LISTED_COLUMNS);
                    let rows = listed
                        .columns
                        .into_iter()
                        .map(|i| {
                            wide_row(
                                i,
                                listed_mapping.header[i].clone(),
                                wide_value(&columns, i),
                                &warehouses,
                                edit,
                            )
                        })
                        .collect_view();
                    let left_out = listed.left_out;
                    view! {
                        <TableScroll label=Text::UpStepMapping>
                            <table id="up-wide-map">
                                <thead><tr><th>{t(Text::UpColumn)}</th><th>{t(Text::UpMeaning)}</th></tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                        </TableScroll>
                        {(left_out > 0).then(|| view! {
                            <p class="hint" id="up-wide-more">{tf(Text::UpColumnsNotListed, move || vec![("count", left_out.to_string())])}</p>
                        })}
                    }
                };
                view! {
                    {wide_file.then(|| view! {
                        <label class="field">{t(Text::UpFindColumn)}
                            <input type="search" id="up-wide-find" prop:value=move || find.get()
                                on:input=move |ev| find.set(event_target_value(&ev))/>
                        </label>
                    })}
                    {rows}
                }
                .into_any()
            }
            Layout::Long {
                store_column,
                quantity_column,
                purchase_price_column,
            } => {
                let set = move |which: u8| {
                    move |ev| {
                        let column = event_target_value(&ev).parse::<usize>().ok();
                        edit(&|m: &mut Mapping| {
                            if let Layout::Long {
                                store_column,
                                quantity_column,
                                purchase_price_column,
                            } = &mut m.layout
                            {
                                match (which, column) {
                                    (0, Some(c)) => *store_column = c,
                                    (1, c) => *quantity_column = c,
                                    (2, c) => *purchase_price_column = c,
                                    _ => {}
                                }
                            }
                        });
                    }
                };
                view! {
                    <div class="row" id="up-long-map">
                        <label class="field">{t(Text::UpWarehouseColumn)}
                            <select on:change=set(0)>{column_options(&header, Some(store_column))}</select></label>
                        <label class="field">{t(Text::UpFieldQuantity)}
                            <select on:change=set(1)>{column_options(&header, quantity_column)}</select></label>
                        <label class="field">{t(Text::UpFieldPrice)}
                            <select on:change=set(2)>{column_options(&header, purchase_price_column)}</select></label>
                    </div>
                }.into_any()
            }
        };
        Some(view! {
            <div class="row">
                <label class="field">{t(Text::UpKeyKind)}
                    <select id="up-key-kind" on:change=on_kind>
                        {KeyKind::ALL.into_iter().map(|k| view! {
                            <option value=k.wire_name() selected=k == kind>{t(k.word())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field">{t(Text::UpKeyColumn)}
                    <select id="up-key-column" on:change=on_key_column>{column_options(&header, key.map(|k| k.column))}</select>
                </label>
                <label class="field">{t(Text::UpSiteColumn)}
                    <select id="up-site-column" on:change=on_site_column>{column_options(&header, mapping.site_column)}</select>
                </label>
                <label class="field">{t(Text::UpDefaultSite)}
                    <select id="up-default-site" on:change=on_default_site>
                        <option value="" selected=default_site.is_none()>"—"</option>
                        {sites.into_iter().map(|s| {
                            let selected = default_site.as_deref() == Some(s.as_str());
                            view! { <option value=s.clone() selected=selected>{s.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
            </div>
            {layout}
            <button class="secondary" id="up-suggest" on:click=move |_| { state.act(|u| u.update_flow(|f| f.suggest())); }>{t(Text::UpSuggestAgain)}</button>
            <button class="secondary" id="up-mapping-profile" on:click=move |_| save_profile(&mapping)>{t(Text::UpMappingProfile)}</button>
        })
    };
    view! {
        <Show when=move || current.with(|(m, _)| m.is_some())>
            <div class="card" id="up-mapping">
                <h2>{t(Text::UpStepMapping)}</h2>
                <p class="hint">{t(Text::UpMappingHint)}</p>
                {body}
            </div>
        </Show>
    }
}
