//! One S3 object: its facts, its content decoded (JSON lines, GZIP, Parquet, error output),
//! and a button that downloads its real bytes.

use super::download::save_bytes;
use crate::engine::clock::format_utc;
use crate::engine::s3_preview::{preview, Preview};
use crate::ui::units::format_bytes;
use crate::ui::{use_lang, SimHandle, Text};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ObjectViewerProps {
    pub sim: SimHandle,
    pub bucket: AttrValue,
    pub key_name: AttrValue,
}

#[component]
pub fn ObjectViewer(props: &ObjectViewerProps) -> Html {
    let lang = use_lang();
    let sim = props.sim.read();
    let Ok(object) = sim.s3.get_object(&props.bucket, &props.key_name) else {
        return html! { <section class="card"><p class="alert">{ format!("NoSuchKey: {}", props.key_name) }</p></section> };
    };
    let bytes = object.bytes(&sim.kinesis.sources);
    let decoded = preview(&object.key, &bytes);
    let download = {
        let (body, ctype) = (bytes.clone(), object.content_type.clone());
        let file = object.key.rsplit('/').next().unwrap_or(&object.key).to_string();
        Callback::from(move |_: MouseEvent| {
            let _ = save_bytes(&file, &ctype, &body);
        })
    };
    let content = match decoded.preview {
        Preview::JsonLines(docs) => html! {
            <>
                <p class="hint">{ format!("{} {}", docs.len(), lang.t(Text::JsonRecords)) }</p>
                <div class="object-docs">{ for docs.into_iter().map(|d| html! { <pre class="payload">{ d }</pre> }) }</div>
            </>
        },
        Preview::Failures(failures) => html! {
            <table class="table records">
                <thead><tr><th>{ "errorCode" }</th><th>{ "errorMessage" }</th><th>{ "rawData" }</th></tr></thead>
                <tbody>{ for failures.into_iter().map(|f| html! {
                    <tr class="failure">
                        <td class="mono warn">{ f.error_code }</td><td>{ f.error_message }</td>
                        <td><pre class="payload">{ f.raw_data }</pre></td>
                    </tr>
                }) }</tbody>
            </table>
        },
        Preview::Table { schema, rows, total_rows } => html! {
            <>
                <p class="hint">{ format!("Parquet · {} {} · {} {}", schema.len(), lang.t(Text::Columns), total_rows, lang.t(Text::Rows)) }</p>
                <div class="table-scroll parquet">
                    <table class="table" data-testid="parquet-table">
                        <thead><tr>{ for schema.iter().map(|(n, t)| html! { <th>{ n.clone() }<br /><span class="col-type">{ t.clone() }</span></th> }) }</tr></thead>
                        <tbody>{ for rows.into_iter().map(|r| html! {
                            <tr>{ for r.into_iter().map(|v| html! { <td class="mono">{ v }</td> }) }</tr>
                        }) }</tbody>
                    </table>
                </div>
            </>
        },
        Preview::Text(text) => html! { <pre class="payload tall">{ text }</pre> },
        Preview::Binary { size } => html! { <p class="muted">{ format!("{} ({})", lang.t(Text::BinaryObject), format_bytes(size as usize)) }</p> },
    };
    html! {
        <section class="card object-viewer" data-testid="object-viewer" aria-label={props.key_name.clone()}>
            <div class="card-head">
                <h3>{ lang.t(Text::Object) }</h3>
                <button class="btn-action" data-testid="object-download" onclick={download}>{ lang.t(Text::Download) }</button>
            </div>
            <dl class="facts">
                <dt>{ "Key" }</dt><dd class="mono" data-testid="object-key">{ object.key.clone() }</dd>
                <dt>{ lang.t(Text::Size) }</dt><dd>{ format!("{} ({} B)", format_bytes(bytes.len()), bytes.len()) }</dd>
                <dt>{ lang.t(Text::LastModified) }</dt><dd class="mono">{ format_utc(object.last_modified_ms) }</dd>
                <dt>{ "Content-Type" }</dt><dd class="mono">{ object.content_type.clone() }</dd>
                if let Some(codec) = decoded.unpacked_from {
                    <dt>{ lang.t(Text::Unpacked) }</dt><dd>{ codec }</dd>
                }
            </dl>
            <div class="object-content" data-testid="object-content">{ content }</div>
        </section>
    }
}
