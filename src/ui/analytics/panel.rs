//! The console's Data Analytics area: the applications there are, and a form creating one
//! on a data stream or a Firehose delivery stream, with its schema discovered from the
//! source's records.

use super::samples::AVERAGE_PER_MINUTE;
use crate::engine::analytics::application::Status;
use crate::engine::analytics::stream_ref::StreamRef;
use crate::engine::analytics::AnalyticsError;
use crate::ui::form::{chosen_or, select_input, text_input};
use crate::ui::{use_lang, EmptyState, SimHandle, Text};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AnalyticsPanelProps {
    pub sim: SimHandle,
    pub revision: u64,
    pub on_open: Callback<String>,
}

#[component]
pub fn AnalyticsPanel(props: &AnalyticsPanelProps) -> Html {
    let lang = use_lang();
    let name = use_state(|| "ticker-averages".to_string());
    let source = use_state(String::new);
    let error = use_state(|| None::<String>);
    // Sources as `kinesis:name` or `firehose:name` option values.
    let (apps, sources): (Vec<(String, String, bool)>, Vec<StreamRef>) = {
        let sim = props.sim.read();
        (
            sim.analytics.applications.values().map(|a| (a.name.clone(), a.input.source.to_string(), a.status == Status::Running)).collect(),
            sim.kinesis
                .streams()
                .map(|s| StreamRef::Kinesis(s.name.clone()))
                .chain(sim.firehose.streams().map(|d| StreamRef::Firehose(d.name.clone())))
                .collect(),
        )
    };
    let values: Vec<String> = sources.iter().map(StreamRef::value).collect();
    let chosen = chosen_or(&source, &values, 0);

    let create = {
        let (sim, name, chosen, error, on_open) = (props.sim.clone(), name.clone(), chosen.clone(), error.clone(), props.on_open.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(source) = StreamRef::parse(&chosen) else { return };
            let result = sim.act(|w| {
                w.create_application_discovering(name.trim(), source)?;
                if let Ok(app) = w.analytics.get_mut(name.trim()) {
                    app.sql = AVERAGE_PER_MINUTE.to_string();
                }
                Ok::<(), AnalyticsError>(())
            });
            match result {
                Ok(()) => {
                    error.set(None);
                    on_open.emit(name.trim().to_string());
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        })
    };

    html! {
        <div class="analytics-panel">
            if apps.is_empty() {
                <EmptyState title={lang.t(Text::NoApplications)}>{ lang.t(Text::NoApplicationsText) }</EmptyState>
            } else {
                <table class="table">
                    <thead><tr><th>{ lang.t(Text::Name) }</th><th>{ lang.t(Text::SourceStream) }</th><th>{ lang.t(Text::Status) }</th></tr></thead>
                    <tbody>
                        { for apps.iter().map(|(n, s, running)| {
                            let open = { let (cb, n) = (props.on_open.clone(), n.clone()); Callback::from(move |_| cb.emit(n.clone())) };
                            html! {
                                <tr>
                                    <td><button class="link" onclick={open}>{ n.clone() }</button></td>
                                    <td class="mono">{ s.clone() }</td>
                                    <td><span class={classes!("badge", running.then_some("active"))}>{ if *running { lang.t(Text::Running) } else { lang.t(Text::Ready) } }</span></td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            }
            <form class="inline-form" onsubmit={create}>
                <label>{ lang.t(Text::ApplicationName) }
                    <input data-testid="analytics-name" value={(*name).clone()} oninput={text_input(name.clone())} />
                </label>
                <label>{ lang.t(Text::SourceStream) }
                    <select data-testid="analytics-source" onchange={select_input(source.clone())}>
                        { for sources.iter().map(|s| {
                            let value = s.value();
                            html! { <option selected={value == chosen} value={value.clone()}>{ s.to_string() }</option> }
                        }) }
                    </select>
                </label>
                <button class="btn-action" type="submit" data-testid="analytics-create" disabled={sources.is_empty()}>{ lang.t(Text::CreateApplication) }</button>
            </form>
            if let Some(e) = &*error { <p class="alert" role="alert">{ e.clone() }</p> }
        </div>
    }
}
