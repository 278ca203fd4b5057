//! The console's Video Streams area: the streams there are, and a form to create one.

use super::target;
use crate::ui::form::{text_input, whole_number_or_text};
use crate::ui::units::format_bytes;
use crate::ui::{use_lang, ApiError, EmptyState, SimHandle, Text};
use serde_json::json;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct VideoPanelProps {
    pub sim: SimHandle,
    pub revision: u64,
    pub on_open: Callback<String>,
}

#[component]
pub fn VideoPanel(props: &VideoPanelProps) -> Html {
    let lang = use_lang();
    let name = use_state(|| "my-camera".to_string());
    let retention = use_state(|| "24".to_string());
    let error = use_state(|| None::<ApiError>);

    let create = {
        let (sim, name, retention, error, on_open) =
            (props.sim.clone(), name.clone(), retention.clone(), error.clone(), props.on_open.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // A retention that is not a number goes to AWS as it is, so its own check answers.
            let hours = whole_number_or_text(&retention);
            let body = json!({ "StreamName": *name, "DataRetentionInHours": hours, "MediaType": "video/h264" });
            match sim.call(&target("CreateStream"), &body) {
                Ok(_) => {
                    error.set(None);
                    on_open.emit((*name).clone());
                }
                Err(e) => error.set(Some(e)),
            }
        })
    };

    let rows: Vec<Html> = {
        let sim = props.sim.read();
        let now = sim.now_ms();
        sim.video
            .streams()
            .map(|s| {
                let open = {
                    let (on_open, name) = (props.on_open.clone(), s.name.clone());
                    Callback::from(move |_| on_open.emit(name.clone()))
                };
                let status = s.status(now).as_str();
                html! {
                    <tr>
                        <td><button class="link" onclick={open}>{ s.name.clone() }</button></td>
                        <td><span class={classes!("badge", status.to_lowercase())}>{ status }</span></td>
                        <td class="num">{ format!("{} h", s.retention_hours) }</td>
                        <td class="num">{ s.fragments.len() }</td>
                        <td class="num">{ format_bytes(s.retained_bytes()) }</td>
                    </tr>
                }
            })
            .collect()
    };

    html! {
        <div class="video-panel">
            if rows.is_empty() {
                <EmptyState title={lang.t(Text::NoVideoStreams)}>
                    { lang.t(Text::VideoStreamsText) }
                </EmptyState>
            } else {
                <table class="table">
                    <thead><tr><th>{ lang.t(Text::Name) }</th><th>{ lang.t(Text::Status) }</th><th class="num">{ lang.t(Text::Retention) }</th>
                        <th class="num">{ lang.t(Text::Fragments) }</th><th class="num">{ lang.t(Text::Stored) }</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            }
            <form class="inline-form" onsubmit={create}>
                <label>{ lang.t(Text::StreamName) }
                    <input data-testid="video-name" value={(*name).clone()} maxlength="256"
                           oninput={text_input(name.clone())} />
                </label>
                <label title={lang.t(Text::RetentionZeroHint)}>{ lang.t(Text::DataRetentionHours) }
                    <input data-testid="video-retention" class="short" value={(*retention).clone()}
                           oninput={text_input(retention.clone())} />
                </label>
                <button class="btn-action" type="submit" data-testid="video-create">{ lang.t(Text::CreateVideoStream) }</button>
            </form>
            if let Some(e) = &*error {
                <p class="alert" role="alert">{ e.to_string() }</p>
            }
        </div>
    }
}
