//! The console's Faults panel: inject a fault against something that exists, watch scheduled
//! and active faults count down with their effects, clear them, and read the fault log. The
//! engine decides what can be targeted and measures the effects; this only shows them.

use crate::engine::clock::format_utc;
use crate::engine::faults::spec::{FaultKind, FaultTarget};
use crate::engine::faults::{FaultChange, FaultEvent, FaultState};
use crate::engine::faults::effects::Effects;
use crate::engine::sim::Sim;
use crate::ui::form::{select_input, text_input, whole_number_or_text};
use crate::ui::{use_lang, Lang, SimHandle, Text};
use serde_json::{json, Value};
use yew::prelude::*;

/// How many of the newest fault events the log shows.
const SHOWN_EVENTS: usize = 12;

#[derive(Properties, PartialEq)]
pub struct FaultsPanelProps {
    pub sim: SimHandle,
    pub revision: u64,
}

fn kind_text(kind: FaultKind) -> (Text, Text) {
    match kind {
        FaultKind::ThrottlingStorm => (Text::FaultThrottlingStorm, Text::FaultThrottlingStormHint),
        FaultKind::ConsumerCrash => (Text::FaultConsumerCrash, Text::FaultConsumerCrashHint),
        FaultKind::LambdaErrors => (Text::FaultLambdaErrors, Text::FaultLambdaErrorsHint),
        FaultKind::LambdaTimeouts => (Text::FaultLambdaTimeouts, Text::FaultLambdaTimeoutsHint),
        FaultKind::S3AccessDenied => (Text::FaultS3AccessDenied, Text::FaultS3AccessDeniedHint),
    }
}

/// A fault kind's name as the reader's language says it, from its JSON name.
pub(crate) fn kind_name_text(name: &str) -> Option<Text> {
    FaultKind::ALL.into_iter().find(|k| k.name() == name).map(|k| kind_text(k).0)
}

fn state_text(state: FaultState) -> Text {
    match state {
        FaultState::Scheduled => Text::FaultScheduled,
        FaultState::Active => Text::FaultActive,
        FaultState::Ended => Text::FaultEnded,
    }
}

pub(crate) fn change_text(change: FaultChange) -> Text {
    match change {
        FaultChange::Scheduled => Text::FaultScheduled,
        FaultChange::Started => Text::FaultStarted,
        FaultChange::Ended => Text::FaultEnded,
        FaultChange::Cleared => Text::FaultCleared,
    }
}

/// Effects in the order they are read: the cause first, then its consequences.
const EFFECTS: [(&str, Text); 12] = [
    ("writeThrottled", Text::EffectWriteThrottled),
    ("readThrottled", Text::EffectReadThrottled),
    ("duplicates", Text::EffectDuplicates),
    ("processed", Text::EffectProcessed),
    ("functionErrors", Text::EffectFunctionErrors),
    ("timeouts", Text::EffectTimeouts),
    ("recordsDiscarded", Text::EffectRecordsDiscarded),
    ("failedInvocations", Text::EffectFailedInvocations),
    ("processingFailedRecords", Text::EffectProcessingFailed),
    ("deniedWrites", Text::EffectDeniedWrites),
    ("deliveredRecords", Text::EffectDelivered),
    ("lostRecords", Text::EffectLost),
];

fn effects_line(lang: Lang, effects: &Effects) -> String {
    EFFECTS.iter().filter_map(|(k, t)| effects.get(*k).map(|v| format!("{v} {}", lang.t(*t)))).collect::<Vec<_>>().join(" · ")
}

/// How a target reads in the console: its name, and the consumer's name and kind.
fn target_label(lang: Lang, sim: &Sim, target: &FaultTarget) -> String {
    match target {
        FaultTarget::Stream { stream, shard } => format!("{stream} · {}", shard.as_deref().unwrap_or(lang.t(Text::AllShards))),
        FaultTarget::Consumer { consumer, worker } => {
            let about = sim.consumers.iter().find(|c| &c.id == consumer).map(|c| format!(" · {} ({:?})", c.config.name, c.config.kind).to_lowercase());
            let worker = worker.as_deref().map(|w| format!(" · {w}")).unwrap_or_default();
            format!("{consumer}{}{worker}", about.unwrap_or_default())
        }
        FaultTarget::Function { function } => format!("λ {function}"),
        FaultTarget::Bucket { bucket } => format!("s3://{bucket}"),
    }
}

/// `1:05:09`, `4:09`: a countdown of virtual time.
fn countdown(ms: u64) -> String {
    let s = ms.div_ceil(1_000);
    match s / 3_600 {
        0 => format!("{}:{:02}", s / 60, s % 60),
        h => format!("{h}:{:02}:{:02}", s / 60 % 60, s % 60),
    }
}

#[component]
pub fn FaultsPanel(props: &FaultsPanelProps) -> Html {
    let lang = use_lang();
    let kind = use_state(|| FaultKind::ThrottlingStorm.name().to_string());
    let target = use_state(String::new);
    let starts_in = use_state(|| "0".to_string());
    let duration = use_state(|| "60".to_string());
    let percent = use_state(|| "10".to_string());
    let error = use_state(|| None::<String>);

    let chosen = FaultKind::ALL.into_iter().find(|k| k.name() == kind.as_str()).unwrap_or(FaultKind::ThrottlingStorm);
    let sim = props.sim.read();
    let targets: Vec<(String, String)> = sim
        .fault_targets_for(chosen)
        .iter()
        .map(|t| (serde_json::to_string(t).unwrap_or_default(), target_label(lang, &sim, t)))
        .collect();
    let chosen_target = targets.iter().find(|(v, _)| v == target.as_str()).or(targets.first()).map(|(v, _)| v.clone()).unwrap_or_default();
    let faults = sim.faults();
    let events: Vec<FaultEvent> = sim.faults.events().take(SHOWN_EVENTS).cloned().collect();
    let percent_field = match chosen {
        FaultKind::ThrottlingStorm => Some(("capacityPercent", Text::FaultCapacityPercent)),
        FaultKind::LambdaErrors => Some(("errorPercent", Text::FaultErrorPercent)),
        _ => None,
    };

    let on_kind = {
        let (kind, percent) = (kind.clone(), percent.clone());
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            // Each kind's own default share: 10 % capacity left, 100 % of invocations failing.
            percent.set(if select.value() == FaultKind::ThrottlingStorm.name() { "10".into() } else { "100".into() });
            kind.set(select.value());
        })
    };
    let inject = {
        let (sim, error) = (props.sim.clone(), error.clone());
        let (starts_in, duration, percent) = (starts_in.clone(), duration.clone(), percent.clone());
        let chosen_target = chosen_target.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut fault = json!({
                "kind": chosen.name(),
                "target": serde_json::from_str::<Value>(&chosen_target).unwrap_or(Value::Null),
                "startAfterSeconds": whole_number_or_text(&starts_in),
                "durationSeconds": whole_number_or_text(&duration),
            });
            if let Some((field, _)) = percent_field {
                fault[field] = whole_number_or_text(&percent);
            }
            match sim.act(|s| s.inject_fault(&fault.to_string())) {
                Ok(_) => error.set(None),
                Err(e) => error.set(Some(e.0)),
            }
        })
    };
    let (_, hint) = kind_text(chosen);
    let missing = match chosen {
        FaultKind::ThrottlingStorm => Some(Text::NoStreamToTarget),
        FaultKind::ConsumerCrash => Some(Text::NoConsumerToTarget),
        FaultKind::S3AccessDenied => Some(Text::NoBucketToTarget),
        // The built-in functions are always there to target.
        FaultKind::LambdaErrors | FaultKind::LambdaTimeouts => None,
    };

    html! {
        <div class="faults-panel" data-testid="faults-panel">
            <p class="hint">{ lang.t(Text::FaultsExplained) }</p>
            <form class="grid-form faults-form" onsubmit={inject}>
                <label>{ lang.t(Text::FaultKindLabel) }
                    <select data-testid="fault-kind" onchange={on_kind}>
                        { for FaultKind::ALL.iter().map(|k| html! {
                            <option value={k.name()} selected={*k == chosen}>{ lang.t(kind_text(*k).0) }</option>
                        }) }
                    </select>
                </label>
                <label>{ lang.t(Text::FaultTargetLabel) }
                    <select data-testid="fault-target" onchange={select_input(target.clone())} disabled={targets.is_empty()}>
                        { for targets.iter().map(|(value, label)| html! {
                            <option value={value.clone()} selected={*value == chosen_target}>{ label.clone() }</option>
                        }) }
                    </select>
                </label>
                <label>{ lang.t(Text::FaultStartsIn) }
                    <input inputmode="numeric" value={(*starts_in).clone()} oninput={text_input(starts_in.clone())} data-testid="fault-starts-in" />
                </label>
                <label>{ lang.t(Text::FaultDuration) }
                    <input inputmode="numeric" value={(*duration).clone()} oninput={text_input(duration.clone())} data-testid="fault-duration" />
                </label>
                if let Some((_, label)) = percent_field {
                    <label>{ lang.t(label) }
                        <input inputmode="numeric" value={(*percent).clone()} oninput={text_input(percent.clone())} data-testid="fault-percent" />
                    </label>
                }
                <div class="form-actions">
                    <button class="btn-action" type="submit" disabled={targets.is_empty()} data-testid="fault-inject">{ lang.t(Text::InjectFault) }</button>
                </div>
            </form>
            <p class="hint">{ lang.t(hint) }</p>
            if let Some(missing) = missing.filter(|_| targets.is_empty()) { <p class="hint warn">{ lang.t(missing) }</p> }
            if let Some(e) = &*error { <p class="alert" role="alert" data-testid="fault-error">{ e.clone() }</p> }
            if faults.is_empty() {
                <p class="muted">{ lang.t(Text::NoFaults) }</p>
            } else {
                <div class="table-scroll">
                    <table class="table faults" data-testid="fault-table">
                        <thead><tr>
                            <th>{ "id" }</th><th>{ lang.t(Text::FaultKindLabel) }</th><th>{ lang.t(Text::FaultTargetLabel) }</th>
                            <th>{ lang.t(Text::FaultState) }</th><th class="num">{ lang.t(Text::FaultRemaining) }</th>
                            <th>{ lang.t(Text::FaultEffects) }</th><th></th>
                        </tr></thead>
                        <tbody>
                            { for faults.iter().map(|f| {
                                let clear = { let (s, id) = (props.sim.clone(), f.id.clone()); Callback::from(move |_| { s.act(|w| w.clear_fault(&id)); }) };
                                html! {
                                    <tr data-testid="fault-row" class={classes!((f.state == FaultState::Active).then_some("fault-active"))}>
                                        <td class="mono">{ &f.id }</td>
                                        <td>{ lang.t(kind_text(f.spec.kind).0) }</td>
                                        <td class="mono">{ target_label(lang, &sim, &f.spec.target) }</td>
                                        <td data-testid="fault-state">{ lang.t(state_text(f.state)) }</td>
                                        <td class="num mono">{ if f.state == FaultState::Ended { "—".to_string() } else { countdown(f.remaining_ms) } }</td>
                                        <td data-testid="fault-effects">{ effects_line(lang, &f.effects) }</td>
                                        <td><button class="btn-plain small" onclick={clear} data-testid="fault-clear">{ lang.t(Text::ClearFault) }</button></td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                </div>
            }
            if !events.is_empty() {
                <h4 class="faults-log-title">{ lang.t(Text::FaultLog) }</h4>
                <ol class="event-log" data-testid="fault-log">
                    { for events.iter().map(|e| html! {
                        <li class={if e.change == FaultChange::Started { "warn" } else { "info" }}>
                            <time class="mono">{ &format_utc(e.at_ms)[11..19] }</time>
                            <span>{ format!("{} {} ({}) {}", e.fault, lang.t(change_text(e.change)), lang.t(kind_text(e.kind).0), effects_line(lang, &e.effects)) }</span>
                        </li>
                    }) }
                </ol>
            }
        </div>
    }
}
