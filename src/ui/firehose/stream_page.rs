//! One delivery stream: status and configuration, live buffer fill against the hints, where
//! records went, metrics charts, and its CloudWatch error log.

use crate::engine::clock::format_utc;
use crate::engine::firehose::buffer::{BufferProgress, FlushTrigger};
use crate::engine::firehose::delivery::Source;
use crate::engine::firehose::metrics::{points, FirehoseMetric};
use crate::ui::streams::MetricChart;
use crate::ui::units::{bar_fill, format_bytes};
use crate::ui::{use_lang, Lang, SimHandle, Text};
use yew::prelude::*;

const MINUTE_MS: u64 = 60_000;
const CHART_MINUTES: u64 = 15;
const CHARTS: [(FirehoseMetric, bool); 5] = [
    (FirehoseMetric::IncomingRecords, false),
    (FirehoseMetric::DeliveryToS3Records, false),
    (FirehoseMetric::DeliveryToS3DataFreshness, false),
    (FirehoseMetric::SucceedProcessingRecords, false),
    (FirehoseMetric::ThrottledRecords, true),
];

#[derive(Properties, PartialEq)]
pub struct DeliveryStreamPageProps {
    pub sim: SimHandle,
    pub revision: u64,
    pub name: AttrValue,
    pub on_back: Callback<()>,
    pub on_bucket: Callback<String>,
}

fn fill(lang: Lang, title: &str, p: &BufferProgress) -> Html {
    let next = match p.nearer {
        None => lang.t(Text::BufferEmpty).to_string(),
        Some(FlushTrigger::Size) => format!("{}: SizeInMBs", lang.t(Text::NextFlushBy)),
        Some(FlushTrigger::Interval) => format!("{}: IntervalInSeconds", lang.t(Text::NextFlushBy)),
    };
    let bar = |fraction: f64, label: String, near: bool| html! {
        <div class="heat-bar">
            <div class={classes!("fill", if near { "warm" } else { "cool" })} style={bar_fill(fraction)}></div>
            <span>{ label }</span>
        </div>
    };
    html! {
        <div class="buffer-fill" data-testid="buffer-fill">
            <strong>{ title.to_string() }</strong>
            <div class="heat-bars">
                { bar(p.size_fraction, format!("{} / {}", format_bytes(p.bytes as usize), format_bytes(p.size_limit_bytes as usize)), p.nearer == Some(FlushTrigger::Size)) }
                { bar(p.age_fraction, format!("{:.0} s / {} s", p.age_ms as f64 / 1000.0, p.interval_ms / 1000), p.nearer == Some(FlushTrigger::Interval)) }
            </div>
            <span class="muted" data-testid="next-flush">{ next }</span>
        </div>
    }
}

#[component]
pub fn DeliveryStreamPage(props: &DeliveryStreamPageProps) -> Html {
    let lang = use_lang();
    let back = props.on_back.reform(|_: MouseEvent| ());
    let crumbs = html! {
        <nav class="crumbs" aria-label="Breadcrumb">
            <button class="link" onclick={back}>{ lang.t(Text::Console) }</button>
            { " › Firehose › " }<strong>{ props.name.clone() }</strong>
        </nav>
    };
    let sim = props.sim.read();
    let now = sim.now_ms();
    let Some(d) = sim.firehose.stream(&props.name) else {
        return html! { <main class="page">{ crumbs }<p class="alert">{ format!("ResourceNotFoundException: {}", props.name) }</p></main> };
    };
    let dest = &d.destination;
    let source = match &d.source { Source::DirectPut => "Direct PUT".to_string(), Source::Kinesis(_) => "Amazon Kinesis Data Streams".to_string() };
    let (processor, partitions) = d.buffer_progress(now);
    let to = now - now % MINUTE_MS + MINUTE_MS;
    let from = to.saturating_sub(CHART_MINUTES * MINUTE_MS);
    let charts = CHARTS.iter().map(|(m, alarm)| {
        html! { <MetricChart title={m.name()} points={points(&d.metrics, *m, from, to)} from_ms={from} to_ms={to} alarm={*alarm} /> }
    });
    let events: Vec<(u64, String)> = dest
        .logging
        .as_ref()
        .and_then(|l| sim.logs.group(&l.group).map(|g| g.events(&l.stream).iter().rev().take(50).map(|e| (e.timestamp_ms, e.message.clone())).collect()))
        .unwrap_or_default();
    let open_bucket = { let (cb, b) = (props.on_bucket.clone(), dest.bucket.clone()); Callback::from(move |_: MouseEvent| cb.emit(b.clone())) };
    let t = d.tally;
    html! {
        <main class="page">
            { crumbs }
            <div class="page-head">
                <h2>{ d.name.clone() }</h2>
                <span class="badge active" data-testid="fh-status">{ "ACTIVE" }</span>
            </div>
            <div class="two-col">
                <section class="card">
                    <h3>{ lang.t(Text::Configuration) }</h3>
                    <dl class="facts">
                        <dt>{ "ARN" }</dt><dd class="mono">{ d.arn.clone() }</dd>
                        <dt>{ lang.t(Text::Created) }</dt><dd class="mono">{ format_utc(d.created_ms) }</dd>
                        <dt>{ lang.t(Text::Source) }</dt><dd>{ source }</dd>
                        <dt>{ "Lambda" }</dt><dd class="mono">{ dest.processor.as_ref().map_or("—".to_string(), |p| p.lambda_arn.clone()) }</dd>
                        <dt>{ lang.t(Text::OutputFormat) }</dt><dd>{ dest.conversion.as_ref().map_or("—".to_string(), |c| format!("{:?} · {}.{}", c.format, c.database, c.table)) }</dd>
                        <dt>{ "S3" }</dt><dd><button class="link" data-testid="fh-bucket-link" onclick={open_bucket}>{ dest.bucket.clone() }</button></dd>
                        <dt>{ "Prefix" }</dt><dd class="mono">{ dest.prefix.clone().filter(|p| !p.is_empty()).unwrap_or_else(|| "—".into()) }</dd>
                        <dt>{ "ErrorOutputPrefix" }</dt><dd class="mono">{ dest.error_output_prefix.clone().filter(|p| !p.is_empty()).unwrap_or_else(|| "—".into()) }</dd>
                        <dt>{ "BufferingHints" }</dt><dd>{ format!("{} MiB · {} s", dest.hints.size_in_mbs, dest.hints.interval_in_seconds) }</dd>
                        <dt>{ "CompressionFormat" }</dt><dd>{ dest.compression.aws_name() }</dd>
                        <dt>{ "RoleARN" }</dt><dd class="mono">{ dest.role_arn.clone() }</dd>
                    </dl>
                </section>
                <div class="stack">
                    <section class="card">
                        <h3>{ lang.t(Text::BufferFill) }</h3>
                        if let Some(p) = &processor { { fill(lang, lang.t(Text::LambdaBuffer), p) } }
                        { for partitions.iter().map(|p| fill(lang, lang.t(Text::S3Buffer), p)) }
                    </section>
                    <section class="card">
                        <h3>{ lang.t(Text::Records) }</h3>
                        <dl class="facts inline" data-testid="fh-tally">
                            <dt>{ lang.t(Text::Accepted) }</dt><dd>{ t.accepted }</dd>
                            <dt>{ lang.t(Text::Delivered) }</dt><dd data-testid="fh-delivered">{ t.delivered }</dd>
                            <dt>{ lang.t(Text::Errored) }</dt><dd class={classes!((t.errored > 0).then_some("warn"))}>{ t.errored }</dd>
                            <dt>{ lang.t(Text::Dropped) }</dt><dd>{ t.dropped }</dd>
                            <dt>{ lang.t(Text::InFlight) }</dt><dd>{ d.records_in_flight() }</dd>
                        </dl>
                    </section>
                </div>
            </div>
            <section class="card">
                <h3>{ lang.t(Text::Metrics) }</h3>
                <div class="charts">{ for charts }</div>
            </section>
            if dest.processor.is_some() {
                <section class="card">
                    <h3>{ lang.t(Text::LambdaInvocations) }</h3>
                    if d.invocations.is_empty() {
                        <p class="muted">{ lang.t(Text::NoInvocations) }</p>
                    } else {
                        <div class="table-scroll">
                            <table class="table" data-testid="fh-invocations">
                                <thead><tr>
                                    <th>{ lang.t(Text::Finished) }</th><th class="num">{ lang.t(Text::Attempt) }</th>
                                    <th class="num">{ "ms" }</th><th class="num">{ lang.t(Text::Records) }</th>
                                    <th class="num">{ "Ok" }</th><th class="num">{ "Dropped" }</th><th class="num">{ "ProcessingFailed" }</th>
                                    <th>{ lang.t(Text::Result) }</th>
                                </tr></thead>
                                <tbody>
                                    { for d.invocations.iter().rev().map(|i| html! {
                                        <tr>
                                            <td class="mono">{ format_utc(i.finished_ms) }</td><td class="num">{ i.attempt }</td>
                                            <td class="num">{ i.duration_ms }</td><td class="num">{ i.records }</td>
                                            <td class="num">{ i.ok }</td><td class="num">{ i.dropped }</td>
                                            <td class={classes!("num", (i.processing_failed > 0).then_some("warn"))}>{ i.processing_failed }</td>
                                            <td class={classes!(i.error.is_some().then_some("warn"))}>{ i.error.clone().unwrap_or_else(|| "Ok".into()) }</td>
                                        </tr>
                                    }) }
                                </tbody>
                            </table>
                        </div>
                    }
                </section>
            }
            <section class="card">
                <h3>{ lang.t(Text::ErrorLogging) }</h3>
                if events.is_empty() {
                    <p class="muted">{ lang.t(Text::NoLogEvents) }</p>
                } else {
                    <ul class="event-log" data-testid="fh-log">
                        { for events.into_iter().map(|(ts, m)| html! { <li class="warn"><time>{ format_utc(ts) }</time><span>{ m }</span></li> }) }
                    </ul>
                }
            </section>
        </main>
    }
}
