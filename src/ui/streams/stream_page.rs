//! One data stream: summary, hash key space, shard heat, shards, metrics, data viewer, actions.

use super::actions::StreamActions;
use super::consumers_panel::ConsumersPanel;
use super::data_viewer::DataViewer;
use super::event_log::EventLog;
use super::hash_space::HashKeySpace;
use super::metrics_chart::MetricChart;
use super::producers_panel::ProducersPanel;
use super::shard_heat::ShardHeat;
use super::shard_table::ShardTable;
use crate::engine::clock::format_utc;
use crate::engine::streams::metrics::Metric;
use crate::ui::{use_lang, SimHandle, Text};
use yew::prelude::*;

const MINUTE_MS: u64 = 60_000;
/// Chart ranges offered, in minutes.
const RANGES: [(u64, &str); 4] = [(15, "15 min"), (60, "1 h"), (360, "6 h"), (1_440, "24 h")];
/// The charts of the lesson: what comes in, what is throttled, how far readers lag.
const CHARTS: [(&str, bool); 5] = [
    ("IncomingRecords", false),
    ("IncomingBytes", false),
    ("WriteProvisionedThroughputExceeded", true),
    ("ReadProvisionedThroughputExceeded", true),
    ("GetRecords.IteratorAgeMilliseconds", false),
];

#[derive(Properties, PartialEq)]
pub struct DataStreamPageProps {
    pub sim: SimHandle,
    pub revision: u64,
    pub name: AttrValue,
    pub on_back: Callback<()>,
}

#[component]
pub fn DataStreamPage(props: &DataStreamPageProps) -> Html {
    let lang = use_lang();
    let range_min = use_state(|| 15u64);
    let back = props.on_back.reform(|_: MouseEvent| ());
    let crumbs = html! {
        <nav class="crumbs" aria-label="Breadcrumb">
            <button class="link" onclick={back}>{ lang.t(Text::Console) }</button>
            { format!(" › {} › ", lang.t(Text::DataStreams)) }<strong>{ props.name.clone() }</strong>
        </nav>
    };
    let sim = props.sim.read();
    let now = sim.now_ms();
    let Some(stream) = sim.kinesis.stream(&props.name) else {
        return html! {
            <main class="page">{ crumbs }<p class="alert">{ format!("{}: {}", lang.t(Text::StreamGone), props.name) }</p></main>
        };
    };
    let shards = sim.kinesis.shard_views(&props.name, now).unwrap_or_default();
    let minute = now - now % MINUTE_MS;
    let throttled_now: Vec<u64> = shards
        .iter()
        .map(|s| {
            sim.kinesis
                .shard_metric(&props.name, &s.shard_id, Metric::WriteProvisionedThroughputExceeded.name(), minute, minute + MINUTE_MS)
                .map_or(0, |p| p.iter().map(|x| x.value).sum())
        })
        .collect();
    let open_shards: Vec<(String, _)> = stream.open_shards().map(|s| (s.id(), s.hash_range)).collect();
    let shard_ids: Vec<String> = shards.iter().map(|s| s.shard_id.clone()).collect();
    let to = minute + MINUTE_MS;
    let from = to.saturating_sub(*range_min * MINUTE_MS);
    let charts: Vec<Html> = CHARTS
        .iter()
        .map(|(metric, alarm)| {
            let points = sim.kinesis.stream_metric(&props.name, metric, from, to).unwrap_or_default();
            html! { <MetricChart title={*metric} points={points} from_ms={from} to_ms={to} alarm={*alarm} /> }
        })
        .collect();
    let status = stream.status.as_str();
    let (arn, mode, retention, created) =
        (stream.arn.clone(), stream.mode.as_str(), stream.retention_hours, format_utc(stream.created_ms));
    let open_count = open_shards.len();
    let events: Vec<_> = sim.kinesis.events.newest().filter(|e| e.kind.stream() == props.name.as_str()).take(40).cloned().collect();
    drop(sim);

    html! {
        <main class="page">
            { crumbs }
            <header class="page-head">
                <h2>{ props.name.clone() }</h2>
                <span class={classes!("badge", status.to_lowercase())} data-testid="stream-status">{ status }</span>
            </header>
            <section class="card">
                <dl class="facts wide">
                    <dt>{ "StreamARN" }</dt><dd class="mono">{ arn.clone() }</dd>
                    <dt>{ lang.t(Text::CapacityMode) }</dt><dd>{ mode }</dd>
                    <dt>{ lang.t(Text::OpenShards) }</dt><dd data-testid="open-shards">{ open_count }</dd>
                    <dt>{ lang.t(Text::Retention) }</dt><dd>{ format!("{retention} h") }</dd>
                    <dt>{ lang.t(Text::Created) }</dt><dd>{ created }</dd>
                </dl>
                if status == "CREATING" { <p class="hint">{ lang.t(Text::CreatingExplained) }</p> }
            </section>
            <div class="two-col">
                <HashKeySpace sim={props.sim.clone()} stream={props.name.clone()} revision={props.revision} />
                <div class="stack">
                    <ShardHeat shards={shards.clone()} throttled_now={throttled_now} />
                    <EventLog events={events} />
                </div>
            </div>
            <div class="two-col">
                <ProducersPanel sim={props.sim.clone()} stream={props.name.clone()} revision={props.revision} />
                <ConsumersPanel sim={props.sim.clone()} stream={props.name.clone()} revision={props.revision} />
            </div>
            <section class="card">
                <h3>{ lang.t(Text::Shards) }</h3>
                <ShardTable shards={shards} />
            </section>
            <section class="card">
                <div class="card-head">
                    <h3>{ lang.t(Text::Metrics) }</h3>
                    <div class="speed ranges" role="group" aria-label={lang.t(Text::TimeRange)}>
                        { for RANGES.iter().map(|(minutes, label)| {
                            let (state, m) = (range_min.clone(), *minutes);
                            html! {
                                <button class={classes!("btn-seg", "light", (m == *range_min).then_some("is-active"))}
                                        aria-pressed={(m == *range_min).to_string()} onclick={move |_| state.set(m)}>{ *label }</button>
                            }
                        }) }
                    </div>
                </div>
                <div class="charts" data-testid="charts">{ for charts }</div>
            </section>
            <div class="two-col">
                <DataViewer sim={props.sim.clone()} stream={props.name.clone()} shard_ids={shard_ids} />
                <StreamActions sim={props.sim.clone()} stream={props.name.clone()} arn={arn} mode={mode} open_shards={open_shards} />
            </div>
        </main>
    }
}
