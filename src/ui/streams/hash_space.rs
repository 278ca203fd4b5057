//! The hash key space 0..2^128 as a bar, each open shard's range on it, the newest records as
//! dots where their keys land, and a lookup: a partition key, its MD5, its 128-bit value and
//! the shard that takes it.

use crate::engine::streams::hashing::hash_key;
use crate::engine::streams::shard::shard_id;
use crate::ui::form::text_input;
use crate::ui::{use_frame_clock, use_lang, SimHandle, Text};
use std::fmt::Write as _;
use yew::prelude::*;

/// How far back (virtual time) records are drawn as dots, and at most how many.
const DOT_WINDOW_MS: u64 = 5_000;
const MAX_DOTS: usize = 120;
/// Steps in which a dot fades over [`DOT_WINDOW_MS`].
const FADE_STEPS: usize = 5;
/// A shard opened this recently (virtual time) is highlighted, so a reshard is seen happening.
const FRESH_MS: u64 = 10_000;
/// Shard colours, repeated; distinct for neighbours.
const COLOURS: [&str; 6] = ["#0972d3", "#037f0c", "#8456ce", "#c33d69", "#e07941", "#067f88"];

#[derive(Properties, PartialEq)]
pub struct HashSpaceProps {
    pub sim: SimHandle,
    pub stream: AttrValue,
    pub revision: u64,
}

/// Position of a hash key along the bar, in percent.
fn percent(h: u128) -> f64 {
    h as f64 / 2f64.powi(128) * 100.0
}

#[component]
pub fn HashKeySpace(props: &HashSpaceProps) -> Html {
    let lang = use_lang();
    let key = use_state(String::new);
    let sim = props.sim.read();
    let now = sim.now_ms();
    let Some(stream) = sim.kinesis.stream(&props.stream) else { return html! {} };

    // Closed parents sit in a thin row above their children: the lineage of every reshard
    // stays visible until the parents EXPIRE.
    let segments: Vec<Html> = stream
        .shards
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (from, to) = (percent(s.hash_range.start), percent(s.hash_range.end));
            let open = s.is_open();
            let (y, height) = if open { (18, 34) } else { (2, 12) };
            let fresh = open && s.created_ms + FRESH_MS > now && s.parent.is_some();
            html! {
                <g key={s.index} class={classes!("segment", (!open).then_some("parent"), fresh.then_some("fresh"))}>
                    <rect x={format!("{from:.4}%")} y={y.to_string()} width={format!("{:.4}%", (to - from).max(0.2))} height={height.to_string()}
                          fill={if open { COLOURS[i % COLOURS.len()] } else { "#aab7b8" }}>
                        <title>{ format!("{} ({}): {} … {}", s.id(), if open { "OPEN" } else { "CLOSED" }, s.hash_range.start, s.hash_range.end) }</title>
                    </rect>
                    if open && to - from > 9.0 {
                        <text x={format!("{:.4}%", (from + to) / 2.0)} y="40" text-anchor="middle" class="seg-label">
                            { format!("#{}", s.index) }
                        </text>
                    }
                </g>
            }
        })
        .collect();

    let lookup = (!key.is_empty()).then(|| {
        let h = hash_key(&key);
        (h, stream.route(h).map(shard_id))
    });

    html! {
        <section class="card" aria-label={lang.t(Text::HashKeySpace)}>
            <h3>{ lang.t(Text::HashKeySpace) }</h3>
            <p class="hint">{ lang.t(Text::HashKeySpaceExplained) }</p>
            <svg class="hash-bar" role="img" aria-label={lang.t(Text::HashKeySpace)} width="100%" height="70">
                { for segments }
                <LiveDots sim={props.sim.clone()} stream={props.stream.clone()} revision={props.revision} />
                if let Some((h, _)) = lookup {
                    <line x1={format!("{:.4}%", percent(h))} x2={format!("{:.4}%", percent(h))} y1="0" y2="70" stroke="#ff9900" stroke-width="4" />
                }
            </svg>
            <div class="axis"><span>{ "0" }</span><span>{ "2¹²⁷" }</span><span>{ "2¹²⁸ − 1" }</span></div>
            <label>{ lang.t(Text::PartitionKey) }
                <input data-testid="lookup-key" placeholder="user-42" value={(*key).clone()} oninput={text_input(key.clone())} />
            </label>
            if let Some((h, shard)) = lookup {
                <dl class="facts" data-testid="lookup-result">
                    <dt>{ "MD5" }</dt><dd class="mono" data-testid="lookup-md5">{ format!("{h:032x}") }</dd>
                    <dt>{ lang.t(Text::HashKey128) }</dt><dd class="mono">{ h.to_string() }</dd>
                    <dt>{ lang.t(Text::LandsOn) }</dt>
                    <dd class="mono" data-testid="lookup-shard">{ shard.unwrap_or_else(|| lang.t(Text::NoOpenShard).to_string()) }</dd>
                </dl>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct LiveDotsProps {
    sim: SimHandle,
    stream: AttrValue,
    revision: u64,
}

/// The newest records as dots on the bar, fading with age. It redraws every animation frame
/// (the bar around it only with the panels), so only the newest [`MAX_DOTS`] are found and
/// hashed, and the dots are drawn as one path per step of age: a frame changes a handful of
/// attributes however many records arrived.
#[component]
fn LiveDots(props: &LiveDotsProps) -> Html {
    let sim = props.sim.read();
    let now = use_frame_clock(sim.now_ms());
    let Some(stream) = sim.kinesis.stream(&props.stream) else { return html! {} };
    let since = (now + 1).saturating_sub(DOT_WINDOW_MS);
    let mut recent: Vec<(u64, u128)> = stream
        .open_shards()
        .flat_map(|s| s.newest_since(since, &sim.kinesis.sources).take(MAX_DOTS))
        .map(|r| (r.arrival_ms, r.key_hash()))
        .collect();
    if recent.len() > MAX_DOTS {
        recent.select_nth_unstable_by_key(MAX_DOTS, |r| std::cmp::Reverse(r.0));
        recent.truncate(MAX_DOTS);
    }
    let mut paths: [String; FADE_STEPS] = Default::default();
    for (at, key) in recent {
        let age = now.saturating_sub(at) as f64 / DOT_WINDOW_MS as f64;
        let step = ((age * FADE_STEPS as f64) as usize).min(FADE_STEPS - 1);
        // A zero-length segment with round caps is a dot; x in tenths of a percent of the bar.
        let _ = write!(paths[step], "M{:.1} 62h0", percent(key) * 10.0);
    }
    html! {
        <svg class="dots" viewBox="0 0 1000 70" preserveAspectRatio="none" width="100%" height="70">
            { for paths.into_iter().enumerate().map(|(step, d)| {
                let age = (step as f64 + 0.5) / FADE_STEPS as f64;
                html! { <path d={d} opacity={format!("{:.2}", 1.0 - age * 0.85)} /> }
            }) }
        </svg>
    }
}
