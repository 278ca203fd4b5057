//! What a student can do to a stream, each through the API with AWS's answer shown: put a
//! record by hand, split, merge, change the shard count, retention and capacity mode,
//! register an enhanced fan-out consumer, delete.

use super::target;
use crate::engine::streams::hashing::HashKeyRange;
use crate::ui::form::{chosen_or, select_input, text_input, whole_number_or_text};
use crate::ui::{use_lang, ApiError, SimHandle, Text};
use serde_json::{json, Value};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StreamActionsProps {
    pub sim: SimHandle,
    pub stream: AttrValue,
    pub arn: AttrValue,
    pub mode: AttrValue,
    /// Open shards with their hash key ranges, in hash order.
    pub open_shards: Vec<(String, HashKeyRange)>,
}

#[component]
pub fn StreamActions(props: &StreamActionsProps) -> Html {
    let lang = use_lang();
    let outcome = use_state(|| None::<Result<String, ApiError>>);
    let key = use_state(|| "user-1".to_string());
    let data = use_state(|| r#"{"text":"hola mundo"}"#.to_string());
    let split_choice = use_state(String::new);
    let split_key = use_state(String::new);
    let merge_a_choice = use_state(String::new);
    let merge_b_choice = use_state(String::new);
    let ids: Vec<String> = props.open_shards.iter().map(|s| s.0.clone()).collect();
    let (split_shard, merge_a, merge_b) =
        (chosen_or(&split_choice, &ids, 0), chosen_or(&merge_a_choice, &ids, 0), chosen_or(&merge_b_choice, &ids, 1));
    let target_count = use_state(String::new);
    let doubled = (props.open_shards.len() * 2).to_string();
    let hours = use_state(|| "48".to_string());
    let consumer = use_state(|| "my-efo-app".to_string());

    // The split point AWS's guide suggests: the middle of the chosen shard's range.
    let midpoint = props.open_shards.iter().find(|s| s.0 == *split_shard).map(|s| s.1.midpoint().to_string());

    let run = |action: &'static str, body: Box<dyn Fn() -> Value>| {
        let (sim, outcome) = (props.sim.clone(), outcome.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let answer = sim.call(&target(action), &body());
            outcome.set(Some(answer.map(|out| {
                let detail = if out.is_null() || out == json!("") { String::new() } else { format!(" {out}") };
                format!("{action}: OK{detail}")
            })));
        })
    };
    let stream = props.stream.to_string();
    let arn = props.arn.to_string();

    let put = {
        let (stream, key, data) = (stream.clone(), key.clone(), data.clone());
        run("PutRecord", Box::new(move || {
            use base64::Engine as _;
            json!({ "StreamName": stream, "PartitionKey": *key, "Data": base64::engine::general_purpose::STANDARD.encode(data.as_bytes()) })
        }))
    };
    let split = {
        let (stream, shard, split_key, midpoint) = (stream.clone(), split_shard.clone(), split_key.clone(), midpoint.clone());
        run("SplitShard", Box::new(move || {
            let at = if split_key.trim().is_empty() { midpoint.clone().unwrap_or_default() } else { split_key.trim().to_string() };
            json!({ "StreamName": stream, "ShardToSplit": shard, "NewStartingHashKey": at })
        }))
    };
    let merge = {
        let (stream, a, b) = (stream.clone(), merge_a.clone(), merge_b.clone());
        run("MergeShards", Box::new(move || json!({ "StreamName": stream, "ShardToMerge": a, "AdjacentShardToMerge": b })))
    };
    let scale = {
        let (stream, n, doubled) = (stream.clone(), target_count.clone(), doubled.clone());
        run("UpdateShardCount", Box::new(move || {
            let n = if n.trim().is_empty() { doubled.as_str() } else { n.as_str() };
            json!({ "StreamName": stream, "TargetShardCount": whole_number_or_text(n), "ScalingType": "UNIFORM_SCALING" })
        }))
    };
    let retention = |action: &'static str| {
        let (stream, hours) = (stream.clone(), hours.clone());
        run(action, Box::new(move || json!({ "StreamName": stream, "RetentionPeriodHours": whole_number_or_text(&hours) })))
    };
    let switch_mode = {
        let (arn, to) = (arn.clone(), if props.mode.as_str() == "ON_DEMAND" { "PROVISIONED" } else { "ON_DEMAND" });
        run("UpdateStreamMode", Box::new(move || json!({ "StreamARN": arn, "StreamModeDetails": { "StreamMode": to } })))
    };
    let register = {
        let (arn, name) = (arn.clone(), consumer.clone());
        run("RegisterStreamConsumer", Box::new(move || json!({ "StreamARN": arn, "ConsumerName": *name })))
    };
    let delete = {
        let stream = stream.clone();
        run("DeleteStream", Box::new(move || json!({ "StreamName": stream, "EnforceConsumerDeletion": true })))
    };
    let shard_select = |state: &UseStateHandle<String>, shown: &str, testid: &'static str| html! {
        <select data-testid={testid} onchange={select_input(state.clone())}>
            { for ids.iter().map(|id| html! { <option value={id.clone()} selected={id == shown}>{ id.clone() }</option> }) }
        </select>
    };

    html! {
        <section class="card actions" aria-label={lang.t(Text::Actions)}>
            <h3>{ lang.t(Text::Actions) }</h3>
            <form class="action-row" onsubmit={put}>
                <strong>{ "PutRecord" }</strong>
                <label>{ "PartitionKey" }<input data-testid="put-key" value={(*key).clone()} oninput={text_input(key.clone())} /></label>
                <label class="grow">{ "Data" }<input data-testid="put-data" value={(*data).clone()} oninput={text_input(data.clone())} /></label>
                <button class="btn-action" type="submit" data-testid="put-submit">{ lang.t(Text::Send) }</button>
            </form>
            <form class="action-row" onsubmit={split}>
                <strong>{ "SplitShard" }</strong>
                <label>{ "ShardToSplit" }{ shard_select(&split_choice, &split_shard, "split-shard") }</label>
                <label class="grow">{ "NewStartingHashKey" }
                    <input data-testid="split-key" placeholder={midpoint.clone().unwrap_or_default()} value={(*split_key).clone()} oninput={text_input(split_key.clone())} />
                </label>
                <button class="btn-plain" type="submit" data-testid="split-submit">{ lang.t(Text::Split) }</button>
            </form>
            <p class="hint">{ lang.t(Text::SplitHint) }</p>
            <form class="action-row" onsubmit={merge}>
                <strong>{ "MergeShards" }</strong>
                <label>{ "ShardToMerge" }{ shard_select(&merge_a_choice, &merge_a, "merge-a") }</label>
                <label>{ "AdjacentShardToMerge" }{ shard_select(&merge_b_choice, &merge_b, "merge-b") }</label>
                <button class="btn-plain" type="submit">{ lang.t(Text::Merge) }</button>
            </form>
            <form class="action-row" onsubmit={scale}>
                <strong>{ "UpdateShardCount" }</strong>
                <label>{ "TargetShardCount" }<input class="short" placeholder={doubled.clone()} value={(*target_count).clone()} oninput={text_input(target_count.clone())} /></label>
                <button class="btn-plain" type="submit">{ lang.t(Text::Apply) }</button>
            </form>
            <div class="action-row">
                <strong>{ lang.t(Text::Retention) }</strong>
                <label>{ "RetentionPeriodHours" }<input class="short" value={(*hours).clone()} oninput={text_input(hours.clone())} /></label>
                <form onsubmit={retention("IncreaseStreamRetentionPeriod")}><button class="btn-plain" type="submit">{ lang.t(Text::Increase) }</button></form>
                <form onsubmit={retention("DecreaseStreamRetentionPeriod")}><button class="btn-plain" type="submit">{ lang.t(Text::Decrease) }</button></form>
            </div>
            <form class="action-row" onsubmit={switch_mode}>
                <strong>{ "UpdateStreamMode" }</strong>
                <span>{ format!("{} → {}", props.mode, if props.mode.as_str() == "ON_DEMAND" { "PROVISIONED" } else { "ON_DEMAND" }) }</span>
                <button class="btn-plain" type="submit">{ lang.t(Text::Switch) }</button>
            </form>
            <form class="action-row" onsubmit={register}>
                <strong>{ "RegisterStreamConsumer" }</strong>
                <label>{ "ConsumerName" }<input value={(*consumer).clone()} oninput={text_input(consumer.clone())} /></label>
                <button class="btn-plain" type="submit">{ lang.t(Text::Register) }</button>
            </form>
            <form class="action-row" onsubmit={delete}>
                <strong>{ "DeleteStream" }</strong>
                <button class="btn-plain danger-text" type="submit">{ lang.t(Text::Delete) }</button>
            </form>
            { match &*outcome {
                Some(Ok(m)) => html! { <p class="ok" role="status" data-testid="action-outcome">{ format!("✓ {m}") }</p> },
                Some(Err(e)) => html! { <p class="alert" role="alert" data-testid="action-outcome">{ e.to_string() }</p> },
                None => html! {},
            } }
        </section>
    }
}
