//! "Create data stream", in the AWS console's order: name, capacity mode, shard count with the
//! capacity it buys. The name is checked as it is typed, by the API's own rules.

use super::target;
use crate::engine::api::dispatch::check_request;
use crate::engine::streams::throughput::{MIB, READ_BYTES_PER_S, WRITE_BYTES_PER_S, WRITE_RECORDS_PER_S};
use crate::ui::form::{text_input, whole_number_or_text};
use crate::ui::{use_lang, SimHandle, Text};
use serde_json::{json, Value};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CreateStreamWizardProps {
    pub sim: SimHandle,
    pub on_back: Callback<()>,
    pub on_created: Callback<String>,
}

/// The request the form describes; a shard count that is not a number goes as typed, so the
/// API's own type check answers it.
fn request(name: &str, on_demand: bool, shards: &str) -> Value {
    if on_demand {
        json!({ "StreamName": name, "StreamModeDetails": { "StreamMode": "ON_DEMAND" } })
    } else {
        let count = whole_number_or_text(shards);
        json!({ "StreamName": name, "ShardCount": count, "StreamModeDetails": { "StreamMode": "PROVISIONED" } })
    }
}

/// The API's verdict on the form, without creating anything: `None` when it would pass.
pub fn form_problem(name: &str, on_demand: bool, shards: &str) -> Option<String> {
    let body = request(name, on_demand, shards).to_string();
    check_request(&target("CreateStream"), body.as_bytes()).err().map(|e| e.message())
}

#[component]
pub fn CreateStreamWizard(props: &CreateStreamWizardProps) -> Html {
    let lang = use_lang();
    let name = use_state(|| "test_kinesis_stream".to_string());
    let on_demand = use_state(|| false);
    let shards = use_state(|| "1".to_string());
    let error = use_state(|| None::<String>);

    let problem = form_problem(&name, *on_demand, &shards);
    let create = {
        let (sim, name, on_demand, shards, error, on_created) =
            (props.sim.clone(), name.clone(), on_demand.clone(), shards.clone(), error.clone(), props.on_created.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            match sim.call(&target("CreateStream"), &request(&name, *on_demand, &shards)) {
                Ok(_) => on_created.emit((*name).clone()),
                Err(e) => error.set(Some(e.to_string())),
            }
        })
    };
    let mode = |value: bool| {
        let on_demand = on_demand.clone();
        Callback::from(move |_: Event| on_demand.set(value))
    };
    let count = shards.trim().parse::<u64>().ok().filter(|n| *n >= 1);
    let back = props.on_back.reform(|_: MouseEvent| ());

    html! {
        <main class="page narrow">
            <nav class="crumbs" aria-label="Breadcrumb">
                <button class="link" onclick={back}>{ lang.t(Text::Console) }</button>
                { format!(" › {} › ", lang.t(Text::DataStreams)) }<strong>{ lang.t(Text::CreateDataStream) }</strong>
            </nav>
            <h2>{ lang.t(Text::CreateDataStream) }</h2>
            <form class="wizard" onsubmit={create}>
                <section class="card">
                    <h3>{ lang.t(Text::DataStreamConfiguration) }</h3>
                    <label>{ lang.t(Text::DataStreamName) }
                        <input data-testid="stream-name" value={(*name).clone()} oninput={text_input(name.clone())}
                               aria-invalid={problem.is_some().to_string()} aria-describedby="name-rules" />
                    </label>
                    <p id="name-rules" class="hint">{ lang.t(Text::NameRules) }</p>
                </section>
                <section class="card">
                    <h3>{ lang.t(Text::DataStreamCapacity) }</h3>
                    <fieldset class="choices">
                        <legend>{ lang.t(Text::CapacityMode) }</legend>
                        <label class="choice">
                            <input type="radio" name="mode" checked={*on_demand} onchange={mode(true)} data-testid="mode-on-demand" />
                            <span><strong>{ lang.t(Text::OnDemand) }</strong><br />{ lang.t(Text::OnDemandExplained) }</span>
                        </label>
                        <label class="choice">
                            <input type="radio" name="mode" checked={!*on_demand} onchange={mode(false)} data-testid="mode-provisioned" />
                            <span><strong>{ lang.t(Text::Provisioned) }</strong><br />{ lang.t(Text::ProvisionedExplained) }</span>
                        </label>
                    </fieldset>
                    if !*on_demand {
                        <label>{ lang.t(Text::ProvisionedShards) }
                            <input class="short" data-testid="shard-count" value={(*shards).clone()} oninput={text_input(shards.clone())} />
                        </label>
                        if let Some(n) = count {
                            <dl class="facts capacity" data-testid="capacity">
                                <dt>{ lang.t(Text::WriteCapacity) }</dt>
                                <dd>{ format!("{} MiB/s · {} {}", n * WRITE_BYTES_PER_S / MIB, n * WRITE_RECORDS_PER_S, lang.t(Text::RecordsPerSecond)) }</dd>
                                <dt>{ lang.t(Text::ReadCapacity) }</dt>
                                <dd>{ format!("{} MiB/s", n * READ_BYTES_PER_S / MIB) }</dd>
                            </dl>
                        }
                    }
                </section>
                if let Some(p) = &problem {
                    <p class="alert" role="alert" data-testid="wizard-problem">{ p.clone() }</p>
                }
                if let Some(e) = &*error { <p class="alert" role="alert">{ e.clone() }</p> }
                <div class="form-actions">
                    <button class="btn-action" type="submit" disabled={problem.is_some()} data-testid="create-stream-submit">
                        { lang.t(Text::CreateDataStream) }
                    </button>
                </div>
            </form>
        </main>
    }
}
