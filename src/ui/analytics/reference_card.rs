//! The application's reference table: an S3 object of JSON lines or CSV rows, its format and
//! columns discovered from the object, joined to streams by table name.

use crate::engine::analytics::application::{ReferenceSource, Status};
use crate::engine::analytics::schema::discover;
use crate::ui::form::text_input;
use crate::ui::{use_lang, SimHandle, Text};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ReferenceCardProps {
    pub sim: SimHandle,
    pub app: AttrValue,
    pub revision: u64,
}

#[component]
pub fn ReferenceCard(props: &ReferenceCardProps) -> Html {
    let lang = use_lang();
    let table = use_state(|| "COMPANIES".to_string());
    let bucket = use_state(String::new);
    let key = use_state(|| "companies.json".to_string());
    let error = use_state(|| None::<String>);
    let (current, editable) = {
        let sim = props.sim.read();
        match sim.analytics.applications.get(props.app.as_str()) {
            Some(a) => (a.reference.clone(), a.status == Status::Ready),
            None => return html! {},
        }
    };
    let add = {
        let (sim, app, table, bucket, key, error) = (props.sim.clone(), props.app.clone(), table.clone(), bucket.clone(), key.clone(), error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let result = sim.act(|w| {
                let body = w.s3.get_object(bucket.trim(), key.trim()).map_err(|e| e.to_string())?.bytes(&w.kinesis.sources);
                let lines: Vec<&[u8]> = body.split(|b| *b == b'\n').collect();
                let reference = ReferenceSource {
                    table: table.trim().to_string(),
                    bucket: bucket.trim().to_string(),
                    key: key.trim().to_string(),
                    schema: discover(&lines),
                };
                if let Ok(a) = w.analytics.get_mut(app.as_str()) {
                    a.reference = Some(reference);
                }
                Ok::<(), String>(())
            });
            error.set(result.err());
        })
    };
    html! {
        <section class="card">
            <h3>{ lang.t(Text::ReferenceData) }</h3>
            if let Some(r) = &current {
                <p class="mono" data-testid="analytics-reference">
                    { format!("\"{}\" ← s3://{}/{} · {} · {}", r.table, r.bucket, r.key, r.schema.format.kind(),
                              r.schema.columns.iter().map(|c| format!("{} {}", c.name, c.sql_type.sql())).collect::<Vec<_>>().join(", ")) }
                </p>
            }
            <form class="inline-form" onsubmit={add}>
                <label>{ lang.t(Text::ReferenceTable) }
                    <input class="mono" data-testid="analytics-ref-table" value={(*table).clone()} oninput={text_input(table.clone())} />
                </label>
                <label>{ lang.t(Text::Bucket) }
                    <input data-testid="analytics-ref-bucket" value={(*bucket).clone()} oninput={text_input(bucket.clone())} />
                </label>
                <label>{ lang.t(Text::ObjectKey) }
                    <input data-testid="analytics-ref-key" value={(*key).clone()} oninput={text_input(key.clone())} />
                </label>
                <button class="btn-plain" type="submit" data-testid="analytics-ref-add" disabled={!editable}>{ lang.t(Text::AddReferenceData) }</button>
            </form>
            if let Some(e) = &*error { <p class="alert" role="alert">{ e.clone() }</p> }
            <p class="muted">{ lang.t(Text::ReferenceNote) }</p>
        </section>
    }
}
