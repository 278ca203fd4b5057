//! The input schema: columns discovered from the source's records, editable (name and SQL
//! type) while the application is stopped, as the console's schema editor.

use crate::engine::analytics::schema::{discover, SqlType};
use crate::engine::analytics::application::Status;
use crate::engine::analytics::sample_records;
use crate::ui::{use_lang, SimHandle, Text};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SchemaCardProps {
    pub sim: SimHandle,
    pub app: AttrValue,
    pub revision: u64,
}

#[component]
pub fn SchemaCard(props: &SchemaCardProps) -> Html {
    let lang = use_lang();
    let (columns, editable) = {
        let sim = props.sim.read();
        match sim.analytics.applications.get(props.app.as_str()) {
            Some(a) => (a.columns.clone(), a.status == Status::Ready),
            None => return html! {},
        }
    };
    let rediscover = {
        let (sim, app) = (props.sim.clone(), props.app.clone());
        Callback::from(move |_: MouseEvent| {
            sim.act(|w| {
                let now = w.now_ms();
                let Some(source) = w.analytics.applications.get(app.as_str()).map(|a| a.source_stream.clone()) else { return };
                let samples = sample_records(&mut w.kinesis, now, &source).unwrap_or_default();
                let refs: Vec<&[u8]> = samples.iter().map(Vec::as_slice).collect();
                if let Ok(a) = w.analytics.get_mut(app.as_str()) {
                    a.columns = discover(&refs);
                }
            });
        })
    };
    // An edit applies on change; a type that does not parse keeps the old one.
    let edit = |index: usize, is_type: bool| {
        let (sim, app) = (props.sim.clone(), props.app.clone());
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let value = input.value();
            sim.act(|w| {
                let Ok(a) = w.analytics.get_mut(app.as_str()) else { return };
                let Some(c) = a.columns.get_mut(index) else { return };
                if is_type {
                    if let Some(t) = SqlType::parse(&value) {
                        c.sql_type = t;
                    }
                } else if !value.trim().is_empty() {
                    c.name = value.trim().to_string();
                }
            });
        })
    };
    html! {
        <section class="card analytics-schema">
            <h3>{ lang.t(Text::InputSchema) }</h3>
            <table class="table" data-testid="analytics-schema">
                <thead><tr><th>{ lang.t(Text::Column) }</th><th>{ lang.t(Text::SqlType) }</th><th>{ lang.t(Text::JsonKey) }</th></tr></thead>
                <tbody>
                    { for columns.iter().enumerate().map(|(i, c)| html! {
                        <tr>
                            <td><input class="mono" value={c.name.clone()} disabled={!editable} onchange={edit(i, false)} /></td>
                            <td><input class="mono short" value={c.sql_type.sql()} disabled={!editable} onchange={edit(i, true)} /></td>
                            <td class="mono">{ format!("$.{}", c.key) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <div class="controls-row">
                <button class="btn-plain" onclick={rediscover} disabled={!editable}>{ lang.t(Text::DiscoverSchema) }</button>
                <span class="muted">{ lang.t(Text::SchemaNote) }</span>
            </div>
        </section>
    }
}
