//! One CloudWatch metric as per-minute bars over a range of virtual time, drawn as SVG.

use crate::engine::clock::format_utc;
use crate::engine::streams::metrics::MetricPoint;
use crate::ui::{use_lang, Text};
use yew::prelude::*;

const MINUTE_MS: u64 = 60_000;

#[derive(Properties, PartialEq)]
pub struct MetricChartProps {
    pub title: AttrValue,
    pub points: Vec<MetricPoint>,
    pub from_ms: u64,
    pub to_ms: u64,
    /// Bars turn red for metrics where any value is bad news (throttles).
    #[prop_or_default]
    pub alarm: bool,
}

/// `HH:MM` of a virtual instant.
fn clock_label(ms: u64) -> String {
    format_utc(ms)[11..16].to_string()
}

#[component]
pub fn MetricChart(props: &MetricChartProps) -> Html {
    let lang = use_lang();
    let minutes = ((props.to_ms - props.from_ms) / MINUTE_MS).max(1);
    let max = props.points.iter().map(|p| p.value).max().unwrap_or(0);
    let bar_w = 100.0 / minutes as f64;
    let bars = props.points.iter().filter(|p| p.value > 0).map(|p| {
        let x = (p.minute_ms.saturating_sub(props.from_ms) / MINUTE_MS) as f64 * bar_w;
        let h = p.value as f64 / max.max(1) as f64 * 100.0;
        html! {
            <rect x={format!("{x:.3}%")} y={format!("{:.3}%", 100.0 - h)} width={format!("{:.3}%", (bar_w * 0.85).max(0.3))}
                  height={format!("{h:.3}%")} class={classes!("bar", (props.alarm && p.value > 0).then_some("alarm"))}>
                <title>{ format!("{} UTC: {}", clock_label(p.minute_ms), p.value) }</title>
            </rect>
        }
    });
    html! {
        <figure class="chart">
            <figcaption>
                <span>{ props.title.clone() }</span>
                <span class="muted">{ format!("{} {max}/min", lang.t(Text::PeakLabel)) }</span>
            </figcaption>
            <svg width="100%" height="90" role="img" aria-label={props.title.clone()}>
                <line x1="0" x2="100%" y1="100%" y2="100%" class="baseline" />
                { for bars }
            </svg>
            <div class="axis"><span>{ clock_label(props.from_ms) }</span><span>{ clock_label(props.to_ms) }</span></div>
        </figure>
    }
}
