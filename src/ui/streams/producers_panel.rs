//! The stream's producers: add a tweets, stock ticks or game events producer with its rate,
//! key strategy and delivery mode, and watch what it sent, what was throttled and retried.

use crate::engine::producers::Producer;
use crate::ui::form::{text_input, Choice};
use crate::ui::{use_lang, SimHandle, Text};
use serde::Serialize;
use serde_json::json;
use yew::prelude::*;

const KINDS: &[&str] = &["tweets", "stock_ticks", "game_events"];
const DELIVERIES: &[&str] = &["put_records", "put_record", "kpl", "agent"];
const KEYS: &[&str] = &["natural", "random", "few", "hot", "zipf"];

#[derive(Properties, PartialEq)]
pub struct ProducersPanelProps {
    pub sim: SimHandle,
    pub stream: AttrValue,
    pub revision: u64,
}

/// An engine enum as its configuration name (`stock_ticks`, `put_records`).
fn label<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        // Tagged enums (`{"strategy": "zipf", "s": 1.2}`) are named by their tag.
        Ok(serde_json::Value::Object(o)) => o.get("strategy").and_then(|v| v.as_str()).unwrap_or_default().to_string(),
        _ => String::new(),
    }
}

#[component]
pub fn ProducersPanel(props: &ProducersPanelProps) -> Html {
    let lang = use_lang();
    let kind = use_state(|| KINDS[0].to_string());
    let delivery = use_state(|| DELIVERIES[0].to_string());
    let keys = use_state(|| KEYS[0].to_string());
    let rate = use_state(|| "500".to_string());
    let zipf_s = use_state(|| "1.2".to_string());
    let error = use_state(|| None::<String>);

    let add = {
        let (sim, stream, kind, delivery, keys, rate, zipf_s, error) = (
            props.sim.clone(), props.stream.clone(), kind.clone(), delivery.clone(), keys.clone(),
            rate.clone(), zipf_s.clone(), error.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let number = |t: &str| t.trim().parse::<f64>().map_or_else(|_| json!(t.trim()), |n| json!(n));
            let mut key_config = json!({ "strategy": *keys });
            if keys.as_str() == "zipf" {
                key_config["zipfS"] = number(&zipf_s);
            }
            let config = json!({ "kind": *kind, "stream": stream.as_str(), "ratePerSecond": number(&rate),
                                 "delivery": *delivery, "keys": key_config });
            match sim.act(|s| s.add_producer(&config.to_string())) {
                Ok(_) => error.set(None),
                Err(e) => error.set(Some(e.to_string())),
            }
        })
    };

    let sim = props.sim.read();
    let producers: Vec<&Producer> = sim.producers.iter().filter(|p| p.config.stream == props.stream.as_str()).collect();
    let rows: Vec<Html> = producers
        .iter()
        .map(|p| {
            let m = &p.metrics;
            let id = p.id.clone();
            let running = p.config.running;
            let toggle = { let (s, id) = (props.sim.clone(), id.clone()); Callback::from(move |_| { s.act(|w| w.set_producer_running(&id, !running)); }) };
            let remove = { let (s, id) = (props.sim.clone(), id.clone()); Callback::from(move |_| { s.act(|w| w.remove_producer(&id)); }) };
            html! {
                <tr data-testid="producer-row">
                    <td class="mono">{ format!("{} · {}", label(&p.config.kind), label(&p.config.delivery)) }</td>
                    <td class="num">{ format!("{:.0}/s", p.config.rate_per_second) }</td>
                    <td>{ label(&p.config.keys) }</td>
                    <td class="num">{ m.succeeded }</td>
                    <td class={classes!("num", (m.throttled > 0).then_some("warn"))} data-testid="producer-throttled">{ m.throttled }</td>
                    <td class="num">{ m.retried }</td>
                    <td class="num">{ m.failed }</td>
                    <td class="num">{ m.in_flight }</td>
                    <td class="num">{ format!("{:.0} ms", m.average_latency_ms()) }</td>
                    <td class="row-actions">
                        <button class="btn-plain small" onclick={toggle}>{ if running { lang.t(Text::Stop) } else { lang.t(Text::Start) } }</button>
                        <button class="btn-plain small" onclick={remove}>{ lang.t(Text::Remove) }</button>
                    </td>
                </tr>
            }
        })
        .collect();
    drop(sim);

    html! {
        <section class="card" aria-label={lang.t(Text::Producers)}>
            <h3>{ lang.t(Text::Producers) }</h3>
            <form class="grid-form" onsubmit={add}>
                <Choice label={lang.t(Text::Generator)} options={KINDS} state={kind.clone()} testid="producer-kind" />
                <label>{ lang.t(Text::RatePerSecond) }
                    <input class="short" data-testid="producer-rate" value={(*rate).clone()} oninput={text_input(rate.clone())} />
                </label>
                <Choice label={lang.t(Text::KeyStrategy)} options={KEYS} state={keys.clone()} testid="producer-keys" />
                if keys.as_str() == "zipf" {
                    <label>{ "zipfS" }<input class="short" value={(*zipf_s).clone()} oninput={text_input(zipf_s.clone())} /></label>
                }
                <Choice label={lang.t(Text::DeliveryMode)} options={DELIVERIES} state={delivery.clone()} testid="producer-delivery" />
                <div class="form-actions">
                    <button class="btn-action" type="submit" data-testid="producer-add">{ lang.t(Text::AddProducer) }</button>
                </div>
            </form>
            if let Some(e) = &*error { <p class="alert" role="alert">{ e.clone() }</p> }
            if !rows.is_empty() {
                <div class="table-scroll">
                    <table class="table" data-testid="producers">
                        <thead><tr>
                            <th>{ lang.t(Text::Producer) }</th><th class="num">{ lang.t(Text::Rate) }</th><th>{ lang.t(Text::Keys) }</th>
                            <th class="num">{ lang.t(Text::Succeeded) }</th><th class="num">{ lang.t(Text::ThrottledShort) }</th>
                            <th class="num">{ lang.t(Text::Retried) }</th><th class="num">{ lang.t(Text::Failed) }</th>
                            <th class="num">{ lang.t(Text::InFlight) }</th><th class="num">{ lang.t(Text::Latency) }</th><th></th>
                        </tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            }
        </section>
    }
}
