//! The input schema: the record format (JSON, or CSV with its delimiters) and the columns
//! discovered from the source's records, editable (name and SQL type) while the application
//! is stopped, as the console's schema editor.

use crate::engine::analytics::application::Status;
use crate::engine::analytics::schema::{InputSchema, RecordFormat, SqlType};
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
    let (schema, editable) = {
        let sim = props.sim.read();
        match sim.analytics.applications.get(props.app.as_str()) {
            Some(a) => (a.schema.clone(), a.status == Status::Ready),
            None => return html! {},
        }
    };
    let rediscover = {
        let (sim, app) = (props.sim.clone(), props.app.clone());
        Callback::from(move |_: MouseEvent| {
            sim.act(|w| {
                // A source deleted since leaves the schema as it was.
                let _ = w.rediscover_schema(&app);
            });
        })
    };
    let with_schema = |change: fn(&mut InputSchema, String)| {
        let (sim, app) = (props.sim.clone(), props.app.clone());
        move |value: String| {
            sim.act(|w| {
                if let Ok(a) = w.analytics.get_mut(app.as_str()) {
                    change(&mut a.schema, value);
                }
            });
        }
    };
    // An edit applies on change; a value that does not parse keeps the old one.
    let edit = |index: usize, is_type: bool| {
        let (sim, app) = (props.sim.clone(), props.app.clone());
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let value = input.value();
            sim.act(|w| {
                let Ok(a) = w.analytics.get_mut(app.as_str()) else { return };
                let Some(c) = a.schema.columns.get_mut(index) else { return };
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
    // The format select and the delimiter fields each rebuild the format from all three.
    let (rows, fields) = schema.format.delimiters();
    let set_format = |part: usize| {
        let apply = with_schema(match part {
            0 => |s: &mut InputSchema, v: String| {
                let (r, c) = match s.format.delimiters() {
                    (r, c) if !r.is_empty() => (r, c),
                    _ => RecordFormat::csv().delimiters(),
                };
                s.format = RecordFormat::parse(&v, &r, &c).unwrap_or(s.format.clone());
            },
            1 => |s: &mut InputSchema, v: String| s.format = RecordFormat::parse("CSV", &v, &s.format.delimiters().1).unwrap_or(s.format.clone()),
            _ => |s: &mut InputSchema, v: String| s.format = RecordFormat::parse("CSV", &s.format.delimiters().0, &v).unwrap_or(s.format.clone()),
        });
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            apply(input.value());
        })
    };
    let csv = matches!(schema.format, RecordFormat::Csv { .. });
    html! {
        <section class="card analytics-schema">
            <h3>{ lang.t(Text::InputSchema) }</h3>
            <div class="inline-form analytics-format" data-testid="analytics-format">
                <label>{ lang.t(Text::RecordFormat) }
                    <select data-testid="analytics-format-kind" disabled={!editable} onchange={set_format(0)}>
                        { for ["JSON", "CSV"].iter().map(|k| html! { <option value={*k} selected={schema.format.kind() == *k}>{ *k }</option> }) }
                    </select>
                </label>
                if csv {
                    <label>{ lang.t(Text::RowDelimiter) }
                        <input class="mono short" data-testid="analytics-row-delimiter" value={rows} disabled={!editable} onchange={set_format(1)} />
                    </label>
                    <label>{ lang.t(Text::ColumnDelimiter) }
                        <input class="mono short" data-testid="analytics-column-delimiter" value={fields} disabled={!editable} onchange={set_format(2)} />
                    </label>
                }
            </div>
            <table class="table" data-testid="analytics-schema">
                <thead><tr><th>{ lang.t(Text::Column) }</th><th>{ lang.t(Text::SqlType) }</th><th>{ lang.t(Text::RecordMapping) }</th></tr></thead>
                <tbody>
                    { for schema.columns.iter().enumerate().map(|(i, c)| html! {
                        <tr>
                            <td><input class="mono" value={c.name.clone()} disabled={!editable} onchange={edit(i, false)} /></td>
                            <td><input class="mono short" value={c.sql_type.sql()} disabled={!editable} onchange={edit(i, true)} /></td>
                            <td class="mono">{ schema.format.mapping(i, c) }</td>
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
