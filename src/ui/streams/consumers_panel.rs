//! The stream's consumers: polling readers, KCL applications, Lambda event source mappings
//! and enhanced fan-out consumers, each with what it processed, how far behind it is and what
//! it lost; a KCL application also shows its lease table.

use crate::ui::form::{text_input, Choice};
use crate::ui::{use_lang, SimHandle, Text};
use serde_json::{json, Value};
use std::collections::{BTreeMap, VecDeque};
use yew::prelude::*;

const KINDS: &[&str] = &["polling", "kcl", "lambda", "fanout"];
/// Records/s are measured over this much virtual time.
const RATE_WINDOW_MS: u64 = 5_000;

/// Processed counts seen at recent renders, per consumer: the panel's records/s is the slope.
type History = BTreeMap<String, VecDeque<(u64, u64)>>;

/// Notes `processed` at `now` and returns records per second over the window.
fn rate(history: &mut History, id: &str, now: u64, processed: u64) -> f64 {
    let points = history.entry(id.to_string()).or_default();
    if points.back().is_some_and(|&(t, _)| t > now) {
        points.clear();
    }
    points.push_back((now, processed));
    while points.len() > 2 && points.front().is_some_and(|&(t, _)| t + RATE_WINDOW_MS < now) {
        points.pop_front();
    }
    match (points.front(), points.back()) {
        (Some(&(t0, p0)), Some(&(t1, p1))) if t1 > t0 => (p1.saturating_sub(p0)) as f64 * 1_000.0 / (t1 - t0) as f64,
        _ => 0.0,
    }
}

#[derive(Properties, PartialEq)]
pub struct ConsumersPanelProps {
    pub sim: SimHandle,
    pub stream: AttrValue,
    pub revision: u64,
}

fn number(v: &Value, key: &str) -> u64 {
    v.get(key).and_then(Value::as_u64).unwrap_or(0)
}

fn checkpoint(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(o) => o
            .get("AT")
            .and_then(|at| at.get("sequenceNumber"))
            .and_then(Value::as_str)
            .map_or_else(|| v.to_string(), |s| format!("AT …{}", &s[s.len().saturating_sub(6)..])),
        other => other.to_string(),
    }
}

#[component]
pub fn ConsumersPanel(props: &ConsumersPanelProps) -> Html {
    let lang = use_lang();
    let kind = use_state(|| KINDS[0].to_string());
    let name = use_state(|| "my-app".to_string());
    let error = use_state(|| None::<String>);
    let history = use_mut_ref(History::new);
    let now = props.sim.read().now_ms();

    let add = {
        let (sim, stream, kind, name, error) = (props.sim.clone(), props.stream.clone(), kind.clone(), name.clone(), error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let config = json!({ "kind": *kind, "stream": stream.as_str(), "name": *name });
            match sim.act(|s| s.add_consumer(&config.to_string())) {
                Ok(_) => error.set(None),
                Err(e) => error.set(Some(e.to_string())),
            }
        })
    };

    let ids: Vec<String> = props
        .sim
        .read()
        .consumers
        .iter()
        .filter(|c| c.config.stream == props.stream.as_str())
        .map(|c| c.id.clone())
        .collect();
    let cards = ids.iter().filter_map(|id| {
        let p = props.sim.consumer_progress(id)?;
        let totals = p.get("totals").cloned().unwrap_or(Value::Null);
        let remove = { let (s, id) = (props.sim.clone(), id.clone()); Callback::from(move |_| { s.act(|w| w.remove_consumer(&id)); }) };
        let leases = p.get("leases").and_then(Value::as_array).cloned().unwrap_or_default();
        let lost = number(&totals, "lost");
        let per_second = rate(&mut history.borrow_mut(), id, now, number(&totals, "processed"));
        Some(html! {
            <div class="consumer" data-testid="consumer">
                <div class="consumer-head">
                    <strong>{ format!("{} · {}", p["name"].as_str().unwrap_or_default(), p["kind"].as_str().unwrap_or_default()) }</strong>
                    <button class="btn-plain small" onclick={remove}>{ lang.t(Text::Remove) }</button>
                </div>
                <dl class="facts inline">
                    <dt>{ lang.t(Text::Processed) }</dt><dd data-testid="consumer-processed">{ number(&totals, "processed") }</dd>
                    <dt>{ lang.t(Text::RecordsPerSecond) }</dt><dd>{ format!("{per_second:.0}") }</dd>
                    <dt>{ lang.t(Text::IteratorAge) }</dt><dd>{ format!("{} ms", number(&p, "iteratorAgeMs")) }</dd>
                    <dt>{ lang.t(Text::Duplicates) }</dt><dd>{ number(&totals, "duplicates") }</dd>
                    <dt>{ lang.t(Text::ReadThrottledShort) }</dt><dd>{ number(&totals, "readThrottled") }</dd>
                    <dt>{ lang.t(Text::Lost) }</dt><dd class={classes!((lost > 0).then_some("warn"))}>{ lost }</dd>
                </dl>
                if !leases.is_empty() {
                    <table class="table leases" data-testid="lease-table">
                        <thead><tr><th>{ "leaseKey" }</th><th>{ "leaseOwner" }</th><th>{ "checkpoint" }</th><th class="num">{ "leaseCounter" }</th></tr></thead>
                        <tbody>
                            { for leases.iter().map(|l| html! {
                                <tr>
                                    <td class="mono">{ l["shardId"].as_str().unwrap_or_default() }</td>
                                    <td class="mono">{ l["owner"].as_str().unwrap_or("—") }</td>
                                    <td class="mono">{ checkpoint(&l["checkpoint"]) }</td>
                                    <td class="num">{ number(l, "counter") }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                }
            </div>
        })
    });

    html! {
        <section class="card" aria-label={lang.t(Text::Consumers)}>
            <h3>{ lang.t(Text::Consumers) }</h3>
            <form class="grid-form" onsubmit={add}>
                <Choice label={lang.t(Text::ConsumerKind)} options={KINDS} state={kind.clone()} testid="consumer-kind" />
                <label>{ lang.t(Text::Name) }<input value={(*name).clone()} oninput={text_input(name.clone())} data-testid="consumer-name" /></label>
                <div class="form-actions">
                    <button class="btn-action" type="submit" data-testid="consumer-add">{ lang.t(Text::AddConsumer) }</button>
                </div>
            </form>
            <p class="hint">{ lang.t(Text::ConsumersExplained) }</p>
            if let Some(e) = &*error { <p class="alert" role="alert">{ e.clone() }</p> }
            <div class="consumers">{ for cards }</div>
        </section>
    }
}
