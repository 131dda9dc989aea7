//! Step 1: a file dropped or picked, or a spreadsheet paste; what was detected, and a preview.

use super::{use_upload, Source};
use crate::i18n::Text;
use crate::sheet::decode::{Delimiter, TextEncoding};
use crate::ui::components::drop_zone::DropZone;
use crate::ui::locale::{t, tf, tr};
use crate::ui::read_error::read_error_text;
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

fn delimiter_text(d: Delimiter) -> Text {
    match d {
        Delimiter::Comma => Text::UpDelimComma,
        Delimiter::Semicolon => Text::UpDelimSemicolon,
        Delimiter::Tab => Text::UpDelimTab,
    }
}

#[component]
pub fn ImportStep() -> impl IntoView {
    let state = use_upload();
    let paste = RwSignal::new(String::new());
    let on_file = Callback::new(move |(name, bytes): (String, Vec<u8>)| {
        state.file_name.set(name);
        state.source.set(Some(Source::File(bytes)));
        state.reread();
    });
    let use_paste = move |_| {
        state.file_name.set(tr(Text::UpPastedName).to_string());
        state.source.set(Some(Source::Paste(paste.get_untracked())));
        state.reread();
    };
    let on_delimiter = move |ev| {
        let value = event_target_value(&ev);
        let chosen = Delimiter::ALL
            .into_iter()
            .find(|d| char::from(d.as_byte()).escape_default().to_string() == value);
        state.delimiter.set(chosen);
        state.reread();
    };
    let detected = move || {
        state.read.with(|read| match read {
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
                        ("delimiter", tr(delimiter_text(delimiter)).to_string()),
                        ("rows", rows.to_string()),
                    ]
                });
                let header = file.header.clone();
                let preview = file.preview.clone();
                view! {
                    <p class="notice ok" id="up-detected" data-rows=rows.to_string()
                        data-encoding=encoding data-delimiter=char::from(delimiter.as_byte()).escape_default().to_string()>
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
    };
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
                        <option value="" selected=move || state.delimiter.get().is_none()>{t(Text::UpDelimAuto)}</option>
                        {Delimiter::ALL.into_iter().map(|d| {
                            let value = char::from(d.as_byte()).escape_default().to_string();
                            view! {
                                <option value=value selected=move || state.delimiter.get() == Some(d)>{t(delimiter_text(d))}</option>
                            }
                        }).collect_view()}
                    </select>
                </label>
                <span class="muted" id="up-file-name">{move || state.file_name.get()}</span>
            </div>
            {detected}
        </div>
    }
}
