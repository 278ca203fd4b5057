//! The console's Data Analytics area: the applications there are, and a form creating one
//! on a data stream with its schema discovered from the stream's records.

use super::samples::AVERAGE_PER_MINUTE;
use crate::engine::analytics::application::Status;
use crate::engine::analytics::{sample_records, schema::discover, AnalyticsError};
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
    let (apps, streams): (Vec<(String, String, bool)>, Vec<String>) = {
        let sim = props.sim.read();
        (
            sim.analytics.applications.values().map(|a| (a.name.clone(), a.source_stream.clone(), a.status == Status::Running)).collect(),
            sim.kinesis.streams().map(|s| s.name.clone()).collect(),
        )
    };
    let chosen = chosen_or(&source, &streams, 0);

    let create = {
        let (sim, name, chosen, error, on_open) = (props.sim.clone(), name.clone(), chosen.clone(), error.clone(), props.on_open.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let result = sim.act(|w| {
                let now = w.now_ms();
                let samples = sample_records(&mut w.kinesis, now, &chosen)?;
                let refs: Vec<&[u8]> = samples.iter().map(Vec::as_slice).collect();
                w.analytics.create_application(name.trim(), &chosen, discover(&refs), &w.kinesis)?;
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
                        { for streams.iter().map(|s| html! { <option value={s.clone()} selected={*s == chosen}>{ s.clone() }</option> }) }
                    </select>
                </label>
                <button class="btn-action" type="submit" data-testid="analytics-create" disabled={streams.is_empty()}>{ lang.t(Text::CreateApplication) }</button>
            </form>
            if let Some(e) = &*error { <p class="alert" role="alert">{ e.clone() }</p> }
        </div>
    }
}
