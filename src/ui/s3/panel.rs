//! The console's S3 area: the buckets, their totals, and a form to create one.

use crate::engine::clock::format_utc;
use crate::ui::form::text_input;
use crate::ui::units::format_bytes;
use crate::ui::{use_lang, EmptyState, SimHandle, Text};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct S3PanelProps {
    pub sim: SimHandle,
    pub revision: u64,
    pub on_open: Callback<String>,
}

#[component]
pub fn S3Panel(props: &S3PanelProps) -> Html {
    let lang = use_lang();
    let name = use_state(String::new);
    let error = use_state(|| None::<String>);
    let buckets: Vec<(String, u64, u64, u64)> = {
        let sim = props.sim.read();
        sim.s3
            .bucket_names()
            .filter_map(|n| sim.s3.bucket(n).ok().map(|b| (n.to_string(), b.totals().objects, b.totals().bytes, b.created_ms)))
            .collect()
    };
    let create = {
        let (sim, name, error) = (props.sim.clone(), name.clone(), error.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let result = sim.act(|w| {
                let now = w.now_ms();
                w.s3.create_bucket(name.trim(), now)
            });
            match result {
                Ok(()) => {
                    error.set(None);
                    name.set(String::new());
                }
                Err(e) => error.set(Some(format!("{}: {e}", e.code()))),
            }
        })
    };
    html! {
        <div class="streams-panel">
            if buckets.is_empty() {
                <EmptyState title={lang.t(Text::NoBuckets)}>{ lang.t(Text::NoBucketsText) }</EmptyState>
            } else {
                <table class="table">
                    <thead><tr>
                        <th>{ lang.t(Text::Name) }</th><th class="num">{ lang.t(Text::Objects) }</th>
                        <th class="num">{ lang.t(Text::Size) }</th><th>{ lang.t(Text::Created) }</th>
                    </tr></thead>
                    <tbody>
                        { for buckets.iter().map(|(n, objects, bytes, created)| {
                            let open = { let (cb, n) = (props.on_open.clone(), n.clone()); Callback::from(move |_| cb.emit(n.clone())) };
                            html! {
                                <tr>
                                    <td><button class="link" data-testid="bucket-link" onclick={open}>{ n.clone() }</button></td>
                                    <td class="num">{ objects }</td>
                                    <td class="num">{ format_bytes(*bytes as usize) }</td>
                                    <td class="mono">{ format_utc(*created) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            }
            <form class="inline-form" onsubmit={create}>
                <label>{ lang.t(Text::BucketName) }
                    <input data-testid="bucket-name" value={(*name).clone()} oninput={text_input(name.clone())}
                           placeholder="kinesim-bucket" aria-invalid={error.is_some().to_string()} />
                </label>
                <button class="btn-action" type="submit" data-testid="create-bucket" disabled={name.trim().is_empty()}>{ lang.t(Text::CreateBucket) }</button>
                if let Some(e) = (*error).clone() { <p class="alert" role="alert">{ e }</p> }
            </form>
        </div>
    }
}
