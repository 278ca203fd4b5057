//! One video stream: its description and retention, the camera that produces into it, the
//! fragments it holds, and HLS playback.

use super::camera_card::CameraCard;
use super::fragment_table::{FragmentRow, FragmentTable, SHOWN};
use super::playback_card::PlaybackCard;
use super::target;
use crate::engine::clock::{format_iso8601_ms, format_utc};
use crate::ui::form::{text_input, whole_number_or_text};
use crate::ui::units::format_bytes;
use crate::ui::{use_lang, SimHandle, Text};
use serde_json::json;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct VideoStreamPageProps {
    pub sim: SimHandle,
    pub revision: u64,
    pub now_ms: u64,
    pub playing: bool,
    pub name: AttrValue,
    pub on_back: Callback<()>,
}

/// What the page shows of the stream, read once per render.
struct Summary {
    status: &'static str,
    arn: String,
    media_type: String,
    version: String,
    retention_hours: u32,
    created: String,
    fragments: usize,
    bytes: usize,
    /// Producer time of the oldest retained fragment: where an ON_DEMAND range can start.
    oldest: Option<String>,
    newest: Vec<FragmentRow>,
}

#[component]
pub fn VideoStreamPage(props: &VideoStreamPageProps) -> Html {
    let lang = use_lang();
    let hours = use_state(|| "1".to_string());
    let retention_error = use_state(|| None::<String>);

    let summary = {
        let sim = props.sim.read();
        sim.video.stream(&props.name).ok().map(|s| Summary {
            status: s.status(sim.now_ms()).as_str(),
            arn: s.arn.clone(),
            media_type: s.media_type.clone().unwrap_or_else(|| "(none)".into()),
            version: s.version.clone(),
            retention_hours: s.retention_hours,
            created: format_utc(s.creation_ms),
            fragments: s.fragments.len(),
            bytes: s.retained_bytes(),
            oldest: s.fragments.front().map(|f| format_iso8601_ms(f.producer_ms)),
            newest: s.fragments.iter().rev().take(SHOWN).map(FragmentRow::from).collect(),
        })
    };
    let back = props.on_back.reform(|_: MouseEvent| ());
    let crumbs = html! {
        <nav class="crumbs" aria-label="Breadcrumb">
            <button class="link" onclick={back}>{ lang.t(Text::Console) }</button>{ format!(" › {} › ", lang.t(Text::VideoStreams)) }
            <strong>{ props.name.clone() }</strong>
        </nav>
    };
    let Some(s) = summary else {
        return html! {
            <main class="page">{ crumbs }
                <p class="alert">{ format!("{}: {}", lang.t(Text::VideoStreamGone), props.name) }</p>
            </main>
        };
    };

    let change_retention = |operation: &'static str| {
        let (sim, name, hours, error, version) =
            (props.sim.clone(), props.name.clone(), hours.clone(), retention_error.clone(), s.version.clone());
        Callback::from(move |_: MouseEvent| {
            let change = whole_number_or_text(&hours);
            let body = json!({ "StreamName": name.as_str(), "CurrentVersion": version,
                               "Operation": operation, "DataRetentionChangeInHours": change });
            error.set(sim.call(&target("UpdateDataRetention"), &body).err().map(|e| e.to_string()));
        })
    };

    html! {
        <main class="page">
            { crumbs }
            <header class="page-head">
                <h2>{ props.name.clone() }</h2>
                <span class={classes!("badge", s.status.to_lowercase())} data-testid="video-status">{ s.status }</span>
            </header>
            <section class="card">
                <dl class="facts wide">
                    <dt>{ "StreamARN" }</dt><dd class="mono">{ s.arn }</dd>
                    <dt>{ lang.t(Text::MediaType) }</dt><dd class="mono">{ s.media_type }</dd>
                    <dt>{ lang.t(Text::Created) }</dt><dd>{ s.created }</dd>
                    <dt>{ lang.t(Text::Version) }</dt><dd class="mono">{ s.version.clone() }</dd>
                    <dt>{ lang.t(Text::DataRetention) }</dt>
                    <dd>{ format!("{} h", s.retention_hours) }
                        if s.retention_hours == 0 { <span class="muted">{ format!(" · {}", lang.t(Text::NothingStoredNote)) }</span> }
                    </dd>
                    <dt>{ lang.t(Text::Retained) }</dt>
                    <dd data-testid="video-retained">{ format!("{} fragments, {}", s.fragments, format_bytes(s.bytes)) }</dd>
                    if let Some(oldest) = &s.oldest {
                        <dt>{ lang.t(Text::OldestFragment) }</dt>
                        <dd data-testid="video-oldest">{ format!("{oldest} ({})", lang.t(Text::ProducerTime)) }</dd>
                    }
                </dl>
                <div class="controls-row">
                    <label>{ lang.t(Text::ChangeRetentionBy) }
                        <input class="short" value={(*hours).clone()} oninput={text_input(hours.clone())} />
                    </label>
                    <button class="btn-plain" onclick={change_retention("INCREASE_DATA_RETENTION")}>{ lang.t(Text::Increase) }</button>
                    <button class="btn-plain" onclick={change_retention("DECREASE_DATA_RETENTION")}>{ lang.t(Text::Decrease) }</button>
                    <span class="muted">{ lang.t(Text::RetentionDeletesNote) }</span>
                </div>
                if let Some(e) = &*retention_error { <p class="alert" role="alert">{ e.clone() }</p> }
            </section>
            <div class="two-col">
                <CameraCard sim={props.sim.clone()} stream={props.name.clone()} now_ms={props.now_ms} playing={props.playing} />
                <PlaybackCard sim={props.sim.clone()} stream={props.name.clone()} revision={props.revision} />
            </div>
            <section class="card">
                <h3>{ lang.t(Text::FragmentsListFragments) }</h3>
                <FragmentTable rows={s.newest} total={s.fragments} />
            </section>
        </main>
    }
}
