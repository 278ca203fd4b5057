//! The data viewer: GetShardIterator on a shard with any iterator type, then GetRecords page
//! by page, each record with its sequence number, arrival time, key and decoded payload.
//! These calls count against the shard's read limits, as in AWS.

use super::shard_table::abbreviate;
use super::target;
use crate::engine::clock::{format_iso8601_ms, parse_utc};
use crate::engine::producers::aggregation::deaggregate;
use crate::ui::form::{chosen_or, text_input, whole_number_or_text, Choice};
use crate::ui::{use_lang, SimHandle, Text};
use base64::Engine as _;
use serde_json::{json, Value};
use yew::prelude::*;

const ITERATOR_TYPES: &[&str] = &["TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER", "AT_TIMESTAMP"];

#[derive(Properties, PartialEq)]
pub struct DataViewerProps {
    pub sim: SimHandle,
    pub stream: AttrValue,
    pub shard_ids: Vec<String>,
}

/// One record as the viewer lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordRow {
    pub sequence_number: String,
    pub arrival_ms: u64,
    pub partition_key: String,
    pub payload: String,
}

/// The payload as a person reads it: a KPL aggregate expanded into its user records (each with
/// its partition key), pretty JSON, else UTF-8 text, else hex.
pub fn decode_payload(data: &[u8]) -> String {
    if let Some(subs) = deaggregate(data) {
        let parts: Vec<String> = subs
            .iter()
            .enumerate()
            .map(|(i, s)| format!("[KPL {}/{}] {}\n{}", i + 1, subs.len(), s.partition_key, decode_payload(&s.data)))
            .collect();
        return parts.join("\n");
    }
    plain_payload(data)
}

fn plain_payload(data: &[u8]) -> String {
    match std::str::from_utf8(data) {
        Ok(text) => serde_json::from_str::<Value>(text)
            .ok()
            .filter(Value::is_object)
            .and_then(|v| serde_json::to_string_pretty(&v).ok())
            .unwrap_or_else(|| text.to_string()),
        Err(_) => data.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(" "),
    }
}

fn rows_of(out: &Value) -> Vec<RecordRow> {
    let records = out.get("Records").and_then(Value::as_array).cloned().unwrap_or_default();
    records
        .iter()
        .map(|r| {
            let data = r["Data"].as_str().unwrap_or_default();
            let bytes = base64::engine::general_purpose::STANDARD.decode(data).unwrap_or_default();
            RecordRow {
                sequence_number: r["SequenceNumber"].as_str().unwrap_or_default().to_string(),
                arrival_ms: (r["ApproximateArrivalTimestamp"].as_f64().unwrap_or_default() * 1_000.0).round() as u64,
                partition_key: r["PartitionKey"].as_str().unwrap_or_default().to_string(),
                payload: decode_payload(&bytes),
            }
        })
        .collect()
}

#[component]
pub fn DataViewer(props: &DataViewerProps) -> Html {
    let lang = use_lang();
    let shard = use_state(String::new);
    let current = chosen_or(&shard, &props.shard_ids, 0);
    let kind = use_state(|| "TRIM_HORIZON".to_string());
    let position = use_state(String::new);
    let limit = use_state(|| "10".to_string());
    let iterator = use_state(|| None::<String>);
    let rows = use_state(Vec::<RecordRow>::new);
    let behind = use_state(|| None::<u64>);
    let message = use_state(|| None::<String>);

    let start = {
        let (sim, stream, shard, kind, position, iterator, rows, message, behind) = (
            props.sim.clone(), props.stream.clone(), current.clone(), kind.clone(), position.clone(),
            iterator.clone(), rows.clone(), message.clone(), behind.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut body = json!({ "StreamName": stream.as_str(), "ShardId": shard, "ShardIteratorType": *kind });
            match kind.as_str() {
                "AT_SEQUENCE_NUMBER" | "AFTER_SEQUENCE_NUMBER" => body["StartingSequenceNumber"] = json!(position.trim()),
                "AT_TIMESTAMP" => match parse_utc(&position) {
                    Some(ms) => body["Timestamp"] = json!(ms as f64 / 1_000.0),
                    None => {
                        message.set(Some(format!("Timestamp: 2026-01-01 00:00:05 (UTC) · \"{}\"", position.trim())));
                        return;
                    }
                },
                _ => {}
            }
            rows.set(Vec::new());
            behind.set(None);
            match sim.call(&target("GetShardIterator"), &body) {
                Ok(out) => {
                    iterator.set(out["ShardIterator"].as_str().map(str::to_string));
                    message.set(None);
                }
                Err(e) => {
                    iterator.set(None);
                    message.set(Some(e.to_string()));
                }
            }
        })
    };

    let next_page = {
        let (sim, iterator, rows, behind, message, limit) =
            (props.sim.clone(), iterator.clone(), rows.clone(), behind.clone(), message.clone(), limit.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(it) = (*iterator).clone() else { return };
            let limit = whole_number_or_text(&limit);
            match sim.call(&target("GetRecords"), &json!({ "ShardIterator": it, "Limit": limit })) {
                Ok(out) => {
                    rows.set(rows_of(&out));
                    behind.set(out["MillisBehindLatest"].as_u64());
                    // No NextShardIterator: the closed shard has been read to its end.
                    iterator.set(out["NextShardIterator"].as_str().map(str::to_string));
                    message.set(None);
                }
                Err(e) => message.set(Some(e.to_string())),
            }
        })
    };

    let needs_position = matches!(kind.as_str(), "AT_SEQUENCE_NUMBER" | "AFTER_SEQUENCE_NUMBER" | "AT_TIMESTAMP");
    html! {
        <section class="card" aria-label={lang.t(Text::DataViewer)}>
            <h3>{ lang.t(Text::DataViewer) }</h3>
            <form class="grid-form" onsubmit={start}>
                <label>{ "ShardId" }
                    <select data-testid="viewer-shard" onchange={crate::ui::form::select_input(shard.clone())}>
                        { for props.shard_ids.iter().map(|id| html! { <option value={id.clone()} selected={*id == current}>{ id.clone() }</option> }) }
                    </select>
                </label>
                <Choice label="ShardIteratorType" options={ITERATOR_TYPES} state={kind.clone()} testid="viewer-type" />
                if needs_position {
                    <label>{ if kind.as_str() == "AT_TIMESTAMP" { "Timestamp (UTC)" } else { "StartingSequenceNumber" } }
                        <input data-testid="viewer-position" value={(*position).clone()} oninput={text_input(position.clone())} />
                    </label>
                }
                <label>{ "Limit" }
                    <input class="short" data-testid="viewer-limit" value={(*limit).clone()} oninput={text_input(limit.clone())} />
                </label>
                <div class="form-actions">
                    <button class="btn-plain" type="submit" data-testid="viewer-iterator">{ "GetShardIterator" }</button>
                    <button class="btn-action" type="button" disabled={iterator.is_none()} onclick={next_page} data-testid="viewer-next">
                        { lang.t(Text::NextPage) }
                    </button>
                    if let Some(ms) = *behind { <span class="muted">{ format!("MillisBehindLatest: {ms}") }</span> }
                </div>
            </form>
            if let Some(m) = &*message { <p class="alert" role="alert" data-testid="viewer-error">{ m.clone() }</p> }
            if iterator.is_none() && behind.is_some() { <p class="muted">{ lang.t(Text::ShardEnded) }</p> }
            if !rows.is_empty() {
                <div class="table-scroll">
                    <table class="table records" data-testid="viewer-records">
                        <thead><tr><th>{ "SequenceNumber" }</th><th>{ "ApproximateArrivalTimestamp" }</th>
                            <th>{ "PartitionKey" }</th><th>{ "Data" }</th></tr></thead>
                        <tbody>
                            { for rows.iter().map(|r| html! {
                                <tr>
                                    <td class="mono" title={r.sequence_number.clone()}>{ abbreviate(&r.sequence_number) }</td>
                                    <td class="mono">{ format_iso8601_ms(r.arrival_ms) }</td>
                                    <td class="mono">{ r.partition_key.clone() }</td>
                                    <td><pre class="payload">{ r.payload.clone() }</pre></td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
            } else if behind.is_some() {
                <p class="muted" data-testid="viewer-empty">{ lang.t(Text::NoRecordsThisPage) }</p>
            }
        </section>
    }
}
