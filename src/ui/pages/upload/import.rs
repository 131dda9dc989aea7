//! Step 1: a file dropped or picked, or a spreadsheet paste; what was detected, and a preview.

use super::use_upload;
use crate::i18n::words::Word;
use crate::i18n::Text;
use crate::sheet::decode::{Delimiter, TextEncoding};
use crate::ui::components::drop_zone::DropZone;
use crate::ui::locale::{t, tf, tr};
use crate::ui::read_error::read_error_text;
use crate::upload::flow::Source;
use leptos::prelude::*;

fn encoding_label(e: TextEncoding) -> &'static str {
    match e {
        TextEncoding::Utf8 => "UTF-8",
        TextEncoding::Utf8WithBom => "UTF-8 (BOM)",
        TextEncoding::Utf16Le => "UTF-16 LE",
        TextEncoding::Utf16Be => "UTF-16 BE",
        TextEncoding::Windows1251 => "Windows-1251",
        TextEncoding::Koi8R => "KOI8-R",
    }
}

/// The delimiter as the select's value (`,`, `;`, `\t`).
fn delimiter_value(d: Delimiter) -> String {
    char::from(d.as_byte()).escape_default().to_string()
}

#[component]
pub fn ImportStep() -> impl IntoView {
    let state = use_upload();
    let paste = RwSignal::new(String::new());
    let on_file = Callback::new(move |(name, bytes): (String, Vec<u8>)| {
        state.act(|u| u.load(&name, Source::File(bytes)));
    });
    let use_paste = move |_| {
        let text = paste.get_untracked();
        state.act(|u| u.load(tr(Text::UpPastedName), Source::Paste(text)));
    };
    let on_delimiter = move |ev| {
        let value = event_target_value(&ev);
        let chosen = Delimiter::ALL
            .into_iter()
            .find(|d| delimiter_value(*d) == value);
        state.act(|u| u.set_delimiter(chosen));
    };
    let detected = move || {
        state.flow(|f| match f.read() {
            None => ().into_any(),
            Some(Err(e)) => {
                view! { <div class="notice bad" id="up-read-error">{read_error_text(e)}</div> }
                    .into_any()
            }
            Some(Ok(file)) => {
                let rows = file.rows;
                let encoding = encoding_label(file.encoding);
                let delimiter = file.delimiter;
                let summary = tf(Text::UpDetected, move || {
                    vec![
                        ("encoding", encoding.to_string()),
                        ("delimiter", tr(delimiter.word()).to_string()),
                        ("rows", rows.to_string()),
                    ]
                });
                let header = file.header.clone();
                let preview = file.preview.clone();
                view! {
                    <p class="notice ok" id="up-detected" data-rows=rows.to_string()
                        data-encoding=encoding data-delimiter=delimiter_value(delimiter)>
                        {summary}
                    </p>
                    <div class="table-wrap">
                        <table id="up-preview">
                            <thead><tr>{header.into_iter().map(|h| view! { <th>{h}</th> }).collect_view()}</tr></thead>
                            <tbody>
                                {preview.into_iter().map(|row| view! {
                                    <tr>{row.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                .into_any()
            }
        })
        .unwrap_or_else(|| ().into_any())
    };
    let chosen = move || state.flow(|f| f.delimiter_choice()).flatten();
    view! {
        <div class="card" id="up-import">
            <h2>{t(Text::UpStepImport)}</h2>
            <DropZone on_file=on_file accept=".csv,.tsv,.txt" label=Text::DropFileHere input_id="up-file"/>
            <details class="up-paste">
                <summary>{t(Text::UpPasteSummary)}</summary>
                <textarea id="up-paste-text" rows="6"
                    on:input=move |ev| paste.set(event_target_value(&ev))
                    prop:value=move || paste.get()></textarea>
                <button id="up-paste-use" on:click=use_paste>{t(Text::UpPasteUse)}</button>
            </details>
            <div class="row">
                <label class="field">
                    {t(Text::UpDelimiter)}
                    <select id="up-delimiter" on:change=on_delimiter>
                        <option value="" selected=move || chosen().is_none()>{t(Text::UpDelimAuto)}</option>
                        {Delimiter::ALL.into_iter().map(|d| view! {
                            <option value=delimiter_value(d) selected=move || chosen() == Some(d)>{t(d.word())}</option>
                        }).collect_view()}
                    </select>
                </label>
                <span class="muted" id="up-file-name">{move || state.flow(|f| f.name().to_string()).unwrap_or_default()}</span>
            </div>
            {detected}
        </div>
    }
}
