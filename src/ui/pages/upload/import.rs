//! Step 1: a file dropped or picked, or a spreadsheet paste; what was detected, and a preview.

use super::use_upload;
use crate::i18n::words::Word;
use crate::i18n::words::Words;
use crate::i18n::Text;
use crate::sheet::decode::{Delimiter, ReadError, TextEncoding};
use crate::sheet::encoding::Charset;
use crate::sheet::limits::{MAX_BYTES, MAX_COLUMNS, MAX_ROWS};
use crate::ui::components::drop_zone::DropZone;
use crate::ui::components::show::Show;
use crate::ui::components::table_scroll::TableScroll;
use crate::ui::locale::{t, tf, tp, tr};
use crate::ui::node::{el, head, td};
use crate::upload::flow::{Source, PREVIEW_COLUMNS};
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

/// The operator's choices of encoding: the select's value and label.
fn charset_option(c: Charset) -> (&'static str, &'static str) {
    match c {
        Charset::Utf8 => ("utf-8", "UTF-8"),
        Charset::Windows1251 => ("windows-1251", "Windows-1251"),
        Charset::Koi8R => ("koi8-r", "KOI8-R"),
        Charset::Utf16 => ("utf-16", "UTF-16"),
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
    let on_refused = Callback::new(move |(name, error): (String, ReadError)| {
        state.act(|u| u.refuse(&name, error));
    });
    let on_charset = move |ev| {
        let value = event_target_value(&ev);
        let chosen = Charset::ALL
            .into_iter()
            .find(|c| charset_option(*c).0 == value);
        state.act(|u| u.set_charset(chosen));
    };
    let limits = tf(Text::FileLimits, || {
        vec![
            ("bytes", (MAX_BYTES / 1_048_576).to_string()),
            ("rows", MAX_ROWS.to_string()),
            ("columns", MAX_COLUMNS.to_string()),
        ]
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
                view! { <div class="notice bad" id="up-read-error">{tp(e.phrase())}</div> }
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
                let guessed = file.encoding_guessed.then(|| {
                    view! {
                        <p class="notice warn" id="up-encoding-guessed">
                            {tf(Text::UpEncodingGuessed, move || vec![("encoding", encoding.to_string())])}
                        </p>
                    }
                });
                let bad = file.bad_lines.clone();
                let bad_lines = (bad.count > 0).then(|| {
                    let count = bad.count;
                    let lines = bad.lines.iter().map(usize::to_string).collect::<Vec<_>>().join(", ");
                    let lines = if count > bad.lines.len() { format!("{lines}, …") } else { lines };
                    view! {
                        <p class="notice warn" id="up-bad-lines" data-count=count.to_string()>
                            {tf(Text::UpBadLines, move || vec![
                                ("count", count.to_string()),
                                ("encoding", encoding.to_string()),
                                ("lines", lines.clone()),
                            ])}
                        </p>
                    }
                });
                let more = file.header.len().saturating_sub(PREVIEW_COLUMNS);
                let more = (more > 0).then(|| view! {
                    <p class="hint" id="up-preview-more">{tf(Text::UpMoreColumns, move || vec![("count", more.to_string())])}</p>
                });
                let header: Vec<String> = file.header.iter().take(PREVIEW_COLUMNS).cloned().collect();
                let preview = file.preview.clone();
                view! {
                    <p class="notice ok" id="up-detected" data-rows=rows.to_string()
                        data-encoding=encoding data-delimiter=delimiter_value(delimiter)>
                        {summary}
                    </p>
                    {guessed}
                    {bad_lines}
                    <TableScroll label=Text::UpPreview>
                        {el("table")
                            .attr("id", "up-preview")
                            .child(head(header.into_iter().map(|h| el("th").text(h))))
                            .child(el("tbody").children(preview.into_iter().map(|row| {
                                el("tr").children(row.into_iter().map(|c| td("", c)))
                            })))}
                    </TableScroll>
                    {more}
                }
                .into_any()
            }
        })
        .unwrap_or_else(|| ().into_any())
    };
    let chosen = move || state.flow(|f| f.delimiter_choice()).flatten();
    let charset = move || state.flow(|f| f.charset_choice()).flatten();
    let is_file = move || state.flow(|f| f.file().is_some()).unwrap_or(false);
    view! {
        <div class="card" id="up-import">
            <h2>{t(Text::UpStepImport)}</h2>
            <DropZone on_file=on_file accept=".csv,.tsv,.txt" label=Text::DropFileHere input_id="up-file"
                max_bytes=MAX_BYTES on_refused=on_refused/>
            <p class="hint" id="up-limits">{limits}</p>
            <super::template::TemplateBox/>
            <details class="up-paste">
                <summary>{t(Text::UpPasteSummary)}</summary>
                <textarea id="up-paste-text" rows="6" aria-label=t(Text::UpPasteSummary)
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
                <Show when=is_file>
                    <label class="field">
                        {t(Text::UpEncoding)}
                        <select id="up-encoding" on:change=on_charset>
                            <option value="" selected=move || charset().is_none()>{t(Text::UpEncodingAuto)}</option>
                            {Charset::ALL.into_iter().map(|c| {
                                let (value, label) = charset_option(c);
                                view! { <option value=value selected=move || charset() == Some(c)>{label}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                </Show>
                <span class="muted" id="up-file-name">{move || state.flow(|f| f.name().to_string()).unwrap_or_default()}</span>
            </div>
            {detected}
        </div>
    }
}
