//! Shard heat: each open shard's write rate against its limits (1 MiB/s, 1,000 records/s),
//! with throttling shown as it happens.

use crate::engine::streams::read_model::ShardView;
use crate::ui::units::bar_fill;
use crate::ui::{use_lang, Text};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ShardHeatProps {
    pub shards: Vec<ShardView>,
    /// Write throttles per shard in the current minute of virtual time.
    pub throttled_now: Vec<u64>,
}

fn level(utilisation: f64) -> &'static str {
    match utilisation {
        u if u >= 0.95 => "hot",
        u if u >= 0.7 => "warm",
        _ => "cool",
    }
}

#[component]
pub fn ShardHeat(props: &ShardHeatProps) -> Html {
    let lang = use_lang();
    html! {
        <section class="card" aria-label={lang.t(Text::ShardHeat)}>
            <h3>{ lang.t(Text::ShardHeat) }</h3>
            <p class="hint">{ lang.t(Text::ShardHeatExplained) }</p>
            <div class="heat" data-testid="shard-heat">
                { for props.shards.iter().zip(&props.throttled_now).filter(|(s, _)| s.state == "OPEN").map(|(s, throttled)| {
                    let bytes = s.incoming_bytes_per_s / s.write_limit_bytes_per_s as f64;
                    let records = s.incoming_records_per_s / s.write_limit_records_per_s as f64;
                    let u = bytes.max(records);
                    html! {
                        <div class={classes!("heat-row", (*throttled > 0).then_some("throttling"))}>
                            <span class="mono heat-id">{ s.shard_id.clone() }</span>
                            <div class="heat-bars">
                                <div class="heat-bar" title={format!("{:.0} B/s / 1 MiB/s", s.incoming_bytes_per_s)}>
                                    <div class={classes!("fill", level(bytes))} style={bar_fill(bytes)}></div>
                                    <span>{ format!("{:.0}% MiB/s", bytes * 100.0) }</span>
                                </div>
                                <div class="heat-bar" title={format!("{:.0} records/s / 1,000", s.incoming_records_per_s)}>
                                    <div class={classes!("fill", level(records))} style={bar_fill(records)}></div>
                                    <span>{ format!("{:.0}% {}", records * 100.0, lang.t(Text::RecordsPerSecond)) }</span>
                                </div>
                            </div>
                            <span class={classes!("heat-state", level(u))} data-testid="heat-state">
                                { if *throttled > 0 { format!("⚠ {} {}", throttled, lang.t(Text::ThrottledThisMinute)) } else { lang.t(Text::WithinLimits).to_string() } }
                            </span>
                        </div>
                    }
                }) }
            </div>
        </section>
    }
}
