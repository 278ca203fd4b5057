//! One SQL application: the discontinuation note, its schema, the SQL editor with samples,
//! run and stop, destinations, and the rows of an in-application stream as windows close.

use super::samples;
use super::reference_card::ReferenceCard;
use super::schema_card::SchemaCard;
use crate::engine::analytics::application::{Status, SOURCE_STREAM};
use crate::engine::analytics::error_stream::ERROR_STREAM;
use crate::engine::analytics::stream_ref::StreamRef;
use crate::engine::analytics::value::format_time;
use crate::ui::form::{chosen_or, select_input};
use crate::ui::{use_lang, SimHandle, Text};
use yew::prelude::*;

/// Rows the results table shows.
const SHOWN_ROWS: usize = 50;
/// Characters a results cell shows; longer values (error_stream's hex DATA_ROW) are cut,
/// whole in the tooltip.
const CELL_CHARS: usize = 64;

fn cell(value: &str) -> Html {
    if value.chars().count() <= CELL_CHARS {
        return html! { <td class="mono">{ value.to_string() }</td> };
    }
    let shown: String = value.chars().take(CELL_CHARS).collect();
    html! { <td class="mono" title={value.to_string()}>{ format!("{shown}…") }</td> }
}
const DEFAULT_OUTPUT: &str = "DESTINATION_SQL_STREAM";

#[derive(Properties, PartialEq)]
pub struct ApplicationPageProps {
    pub sim: SimHandle,
    pub revision: u64,
    pub name: AttrValue,
    pub on_back: Callback<()>,
}

#[component]
pub fn ApplicationPage(props: &ApplicationPageProps) -> Html {
    let lang = use_lang();
    let sql = {
        let initial = props.sim.read().analytics.applications.get(props.name.as_str()).map(|a| a.sql.clone()).unwrap_or_default();
        use_state(move || initial)
    };
    let shown = use_state(|| DEFAULT_OUTPUT.to_string());
    let out_stream = use_state(|| DEFAULT_OUTPUT.to_string());
    let out_dest = use_state(String::new);
    let back = props.on_back.reform(|_: MouseEvent| ());
    let crumbs = html! {
        <nav class="crumbs" aria-label="Breadcrumb">
            <button class="link" onclick={back}>{ lang.t(Text::Console) }</button>{ format!(" › {} › ", lang.t(Text::DataAnalytics)) }
            <span>{ props.name.clone() }</span>
        </nav>
    };
    let sim = props.sim.read();
    let Some(app) = sim.analytics.applications.get(props.name.as_str()) else {
        return html! { <main class="page">{ crumbs }<p class="alert">{ format!("{}: {}", lang.t(Text::ApplicationGone), props.name) }</p></main> };
    };
    let running = app.status == Status::Running;
    let in_app: Vec<String> = app.runtime.as_ref().map(|r| r.streams.keys().cloned().collect()).unwrap_or_default();
    let chosen_stream = chosen_or(&shown, &in_app, in_app.iter().position(|s| s == DEFAULT_OUTPUT).unwrap_or(0));
    // Destinations as `kinesis:name` or `firehose:name` option values; never the source.
    let source_value = app.input.source.value();
    let destinations: Vec<String> = sim
        .kinesis
        .streams()
        .map(|s| StreamRef::Kinesis(s.name.clone()).value())
        .chain(sim.firehose.streams().map(|d| StreamRef::Firehose(d.name.clone()).value()))
        .filter(|d| *d != source_value)
        .collect();
    let chosen_dest = chosen_or(&out_dest, &destinations, 0);
    let results = app.runtime.as_ref().and_then(|r| r.streams.get(&chosen_stream)).map(|s| {
        let header: Vec<String> = std::iter::once("ROWTIME".to_string()).chain(s.def.columns.iter().map(|(n, _)| n.clone())).collect();
        let rows: Vec<Vec<String>> = s
            .recent
            .iter()
            .rev()
            .take(SHOWN_ROWS)
            .map(|r| std::iter::once(format_time(r.rowtime)).chain(r.values.iter().map(|v| v.display())).collect())
            .collect();
        (header, rows, s.total)
    });
    let outputs: Vec<(String, String, u64)> = app
        .outputs
        .iter()
        .map(|o| (o.in_app_stream.clone(), o.destination.to_string(), o.delivered))
        .collect();
    let (records_read, errors, sql_error, source) = (app.records_read, app.errors(), app.sql_error.clone(), app.input.source.to_string());
    // The latest error's ERROR_NAME and MESSAGE (columns 2 and 3 of error_stream).
    let last_error = app.runtime.as_ref().and_then(|r| r.streams.get(ERROR_STREAM)).and_then(|s| s.recent.back()).map(|e| {
        e.values.get(2..4).map(|v| v.iter().map(|v| v.display()).collect::<Vec<_>>().join(": ")).unwrap_or_default()
    });
    drop(sim);

    let name = props.name.clone();
    let run = {
        let (s, sql, name) = (props.sim.clone(), sql.clone(), name.clone());
        Callback::from(move |_: MouseEvent| {
            s.act(|w| {
                if let Ok(a) = w.analytics.get_mut(&name) {
                    a.sql = (*sql).clone();
                }
                // A failed start keeps its error on the application, where the page shows it.
                let _ = w.start_application(&name);
            });
        })
    };
    let stop = {
        let (s, name) = (props.sim.clone(), name.clone());
        Callback::from(move |_: MouseEvent| {
            s.act(|w| {
                let _ = w.stop_application(&name);
            });
        })
    };
    let connect = {
        let (s, name, out_stream, dest) = (props.sim.clone(), name.clone(), out_stream.clone(), chosen_dest.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            s.act(|w| {
                let Some(destination) = StreamRef::parse(&dest) else { return };
                if let Ok(a) = w.analytics.get_mut(&name) {
                    a.add_output(out_stream.trim(), destination);
                }
            });
        })
    };
    let on_sql = {
        let sql = sql.clone();
        Callback::from(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            sql.set(area.value());
        })
    };

    html! {
        <main class="page analytics-page">
            { crumbs }
            <header class="page-head">
                <h2>{ props.name.clone() }</h2>
                <span class={classes!("badge", running.then_some("active"))} data-testid="analytics-status">
                    { if running { lang.t(Text::Running) } else { lang.t(Text::Ready) } }
                </span>
                <span class="muted mono">{ format!("{} → {SOURCE_STREAM}", source) }</span>
            </header>
            <p class="analytics-note" role="note">{ lang.t(Text::Discontinued) }</p>
            <div class="two-col">
                <section class="card">
                    <h3>{ lang.t(Text::SqlEditor) }</h3>
                    <div class="analytics-samples">
                        <span class="muted">{ lang.t(Text::SampleQueries) }</span>
                        { for samples::ALL.iter().map(|(label, testid, text)| {
                            let (sql, text) = (sql.clone(), text.to_string());
                            html! { <button class="btn-plain small" data-testid={*testid} disabled={running}
                                            onclick={Callback::from(move |_| sql.set(text.clone()))}>{ lang.t(*label) }</button> }
                        }) }
                    </div>
                    <textarea class="analytics-sql mono" data-testid="analytics-sql" spellcheck="false" wrap="off" rows="16"
                              value={(*sql).clone()} oninput={on_sql} readonly={running} />
                    if let Some(e) = sql_error {
                        <p class="alert" role="alert" data-testid="analytics-error">{ e.to_string() }</p>
                    }
                    <div class="controls-row">
                        if running {
                            <button class="btn-plain" data-testid="analytics-stop" onclick={stop}>{ lang.t(Text::StopApplication) }</button>
                        } else {
                            <button class="btn-action" data-testid="analytics-run" onclick={run}>{ lang.t(Text::SaveAndRun) }</button>
                        }
                        <span class="muted">{ format!("{}: {records_read} · {}: {errors}", lang.t(Text::RecordsRead), lang.t(Text::ErrorStream)) }</span>
                    </div>
                    if let Some(e) = last_error { <p class="muted mono analytics-last-error" data-testid="analytics-last-error">{ e }</p> }
                </section>
                <SchemaCard sim={props.sim.clone()} app={props.name.clone()} revision={props.revision} />
            </div>
            <ReferenceCard sim={props.sim.clone()} app={props.name.clone()} revision={props.revision} />
            <section class="card">
                <h3>{ lang.t(Text::Destinations) }</h3>
                if !outputs.is_empty() {
                    <table class="table" data-testid="analytics-outputs">
                        <thead><tr><th>{ lang.t(Text::InAppStream) }</th><th>{ lang.t(Text::DestinationStream) }</th><th class="num">{ lang.t(Text::Delivered) }</th></tr></thead>
                        <tbody>{ for outputs.iter().map(|(i, d, n)| html! {
                            <tr><td class="mono">{ i.clone() }</td><td class="mono">{ d.clone() }</td><td class="num" data-testid="analytics-delivered">{ *n }</td></tr>
                        }) }</tbody>
                    </table>
                }
                <form class="inline-form" onsubmit={connect}>
                    <label>{ lang.t(Text::InAppStream) }
                        <input class="mono" data-testid="analytics-output-stream" value={(*out_stream).clone()}
                               oninput={crate::ui::form::text_input(out_stream.clone())} />
                    </label>
                    <label>{ lang.t(Text::DestinationStream) }
                        <select data-testid="analytics-output-dest" onchange={select_input(out_dest.clone())}>
                            { for destinations.iter().map(|d| {
                                let label = StreamRef::parse(d).map(|s| s.to_string()).unwrap_or_default();
                                html! { <option value={d.clone()} selected={*d == chosen_dest}>{ label }</option> }
                            }) }
                        </select>
                    </label>
                    <button class="btn-action" type="submit" data-testid="analytics-output-add" disabled={destinations.is_empty()}>{ lang.t(Text::AddDestination) }</button>
                </form>
            </section>
            <section class="card">
                <h3>{ lang.t(Text::Results) }</h3>
                <div class="controls-row">
                    <label>{ lang.t(Text::InAppStream) }
                        <select data-testid="analytics-results-stream" onchange={select_input(shown.clone())}>
                            { for in_app.iter().map(|s| html! { <option value={s.clone()} selected={*s == chosen_stream}>{ s.clone() }</option> }) }
                        </select>
                    </label>
                    <span class="muted">{ lang.t(Text::ResultsNote) }</span>
                </div>
                { match results {
                    Some((header, rows, total)) if total > 0 => html! {
                        <div class="table-scroll">
                            <table class="table analytics-results" data-testid="analytics-results">
                                <thead><tr>{ for header.iter().map(|h| html! { <th class="mono">{ h.clone() }</th> }) }</tr></thead>
                                <tbody>{ for rows.iter().map(|r| html! {
                                    <tr data-testid="analytics-row">{ for r.iter().map(|v| cell(v)) }</tr>
                                }) }</tbody>
                            </table>
                        </div>
                    },
                    _ => html! { <p class="muted" data-testid="analytics-no-rows">{ lang.t(Text::NoRowsYet) }</p> },
                } }
            </section>
        </main>
    }
}
