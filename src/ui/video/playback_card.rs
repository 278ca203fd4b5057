//! The consumer: GetHLSStreamingSessionURL with AWS's parameters, the media playlist the
//! session serves, and a player that follows it.

use super::player_view::PlayerView;
use super::target;
use crate::engine::clock::parse_utc;
use crate::ui::form::{text_input, whole_number_or_text, Choice};
use crate::ui::{use_lang, ApiError, SimHandle, Text};
use serde_json::{json, Map, Value};
use yew::prelude::*;

const MODES: &[&str] = &["LIVE", "LIVE_REPLAY", "ON_DEMAND"];
const SELECTORS: &[&str] = &["SERVER_TIMESTAMP", "PRODUCER_TIMESTAMP"];
const CONTAINERS: &[&str] = &["FRAGMENTED_MP4", "MPEG_TS"];
const DISCONTINUITY: &[&str] = &["(default)", "ALWAYS", "NEVER", "ON_DISCONTINUITY"];
const DISPLAY: &[&str] = &["NEVER", "ALWAYS"];

#[derive(Properties, PartialEq)]
pub struct PlaybackCardProps {
    pub sim: SimHandle,
    pub stream: AttrValue,
    pub revision: u64,
}

fn timestamp(label: &str, text: &str) -> Result<Option<Value>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    parse_utc(text)
        .map(|ms| Some(json!(ms as f64 / 1_000.0)))
        .ok_or_else(|| format!("{label} must be a UTC date-time such as 2026-01-01 00:00:05; got \"{}\".", text.trim()))
}

#[component]
pub fn PlaybackCard(props: &PlaybackCardProps) -> Html {
    let lang = use_lang();
    let mode = use_state(|| "ON_DEMAND".to_string());
    let selector = use_state(|| "PRODUCER_TIMESTAMP".to_string());
    let start = use_state(String::new);
    let end = use_state(String::new);
    let expires = use_state(|| "300".to_string());
    let max_results = use_state(String::new);
    let container = use_state(|| "FRAGMENTED_MP4".to_string());
    let discontinuity = use_state(|| "(default)".to_string());
    let display = use_state(|| "NEVER".to_string());
    let session = use_state(|| None::<String>);
    let error = use_state(|| None::<String>);

    let request = {
        let (sim, stream) = (props.sim.clone(), props.stream.clone());
        let (mode, selector, start, end, expires, max_results, container, discontinuity, display, session, error) = (
            mode.clone(), selector.clone(), start.clone(), end.clone(), expires.clone(), max_results.clone(),
            container.clone(), discontinuity.clone(), display.clone(), session.clone(), error.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = (|| {
                let mut body = Map::new();
                body.insert("StreamName".into(), json!(stream.as_str()));
                body.insert("PlaybackMode".into(), json!(*mode));
                let mut range = Map::new();
                if let Some(t) = timestamp("StartTimestamp", &start)? {
                    range.insert("StartTimestamp".into(), t);
                }
                if let Some(t) = timestamp("EndTimestamp", &end)? {
                    range.insert("EndTimestamp".into(), t);
                }
                let mut sel = Map::new();
                sel.insert("FragmentSelectorType".into(), json!(*selector));
                if !range.is_empty() {
                    sel.insert("TimestampRange".into(), Value::Object(range));
                }
                body.insert("HLSFragmentSelector".into(), Value::Object(sel));
                body.insert("ContainerFormat".into(), json!(*container));
                if discontinuity.as_str() != DISCONTINUITY[0] {
                    body.insert("DiscontinuityMode".into(), json!(*discontinuity));
                }
                body.insert("DisplayFragmentTimestamp".into(), json!(*display));
                body.insert("Expires".into(), whole_number_or_text(&expires));
                if !max_results.trim().is_empty() {
                    body.insert("MaxMediaPlaylistFragmentResults".into(), whole_number_or_text(&max_results));
                }
                Ok::<Value, String>(Value::Object(body))
            })();
            let answer = body.and_then(|b| {
                sim.call(&target("GetHLSStreamingSessionURL"), &b).map_err(|e: ApiError| e.to_string())
            });
            match answer {
                Ok(out) => {
                    session.set(out["HLSStreamingSessionURL"].as_str().map(str::to_string));
                    error.set(None);
                }
                Err(e) => {
                    session.set(None);
                    error.set(Some(e));
                }
            }
        })
    };

    // The playlist as a player would fetch it now: LIVE ones change as fragments arrive.
    let playlist = session.as_ref().map(|url| {
        let token = url.split("SessionToken=").nth(1).unwrap_or_default();
        props
            .sim
            .query(&target("GetHLSMediaPlaylist"), &json!({ "SessionToken": token }))
            .map(|v| v.as_str().unwrap_or_default().to_string())
    });

    html! {
        <section class="card" aria-label="Playback">
            <h3>{ lang.t(Text::VideoConsumer) }</h3>
            <form class="grid-form" onsubmit={request}>
                <Choice label="PlaybackMode" options={MODES} state={mode.clone()} testid="hls-mode" />
                <Choice label="FragmentSelectorType" options={SELECTORS} state={selector.clone()} testid="hls-selector" />
                <label>{ "StartTimestamp (UTC)" }
                    <input data-testid="hls-start" placeholder="2026-01-01 00:00:05" value={(*start).clone()} oninput={text_input(start.clone())} />
                </label>
                <label>{ "EndTimestamp (UTC)" }
                    <input data-testid="hls-end" placeholder="2026-01-01 00:00:15" value={(*end).clone()} oninput={text_input(end.clone())} />
                </label>
                <label title={lang.t(Text::ExpiresHint)}>{ "Expires (s)" }
                    <input class="short" data-testid="hls-expires" value={(*expires).clone()} oninput={text_input(expires.clone())} />
                </label>
                <label title={lang.t(Text::MaxResultsHint)}>{ "MaxMediaPlaylistFragmentResults" }
                    <input class="short" placeholder="default" value={(*max_results).clone()} oninput={text_input(max_results.clone())} />
                </label>
                <Choice label="ContainerFormat" options={CONTAINERS} state={container.clone()} />
                <Choice label="DiscontinuityMode" options={DISCONTINUITY} state={discontinuity.clone()}
                        hint={lang.t(Text::DiscontinuityHint)} />
                <Choice label="DisplayFragmentTimestamp" options={DISPLAY} state={display.clone()} />
                <div class="form-actions">
                    <button class="btn-action" type="submit" data-testid="hls-request">{ "GetHLSStreamingSessionURL" }</button>
                </div>
            </form>
            if let Some(e) = &*error { <p class="alert" role="alert" data-testid="hls-error">{ e.clone() }</p> }
            if let Some(url) = &*session {
                <p class="session-url"><span class="muted">{ "HLSStreamingSessionURL " }</span>
                    <code data-testid="hls-url">{ url.clone() }</code></p>
                { match playlist {
                    Some(Ok(text)) => {
                        let numbers: Vec<String> = text.lines()
                            .filter_map(|l| l.split("FragmentNumber=").nth(1))
                            .map(|rest| rest.split('&').next().unwrap_or_default().to_string())
                            .collect();
                        let ended = text.contains("#EXT-X-ENDLIST");
                        html! {
                            <>
                                if container.as_str() == "MPEG_TS" {
                                    <p class="muted">{ lang.t(Text::MpegTsNote) }</p>
                                }
                                <PlayerView key={url.clone()} sim={props.sim.clone()} stream={props.stream.clone()}
                                            playlist={numbers} ended={ended} />
                                <details class="m3u8">
                                    <summary>{ lang.t(Text::MediaPlaylist) }</summary>
                                    <pre data-testid="hls-playlist">{ text }</pre>
                                </details>
                            </>
                        }
                    }
                    Some(Err(e)) => html! { <p class="alert" role="alert" data-testid="hls-error">{ e.to_string() }</p> },
                    None => html! {},
                } }
            }
        </section>
    }
}
