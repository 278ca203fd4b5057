//! The stream's event log: state changes, throttles, reshards and expiries, newest first,
//! with their virtual timestamps, in the reader's language.

use crate::engine::clock::format_utc;
use crate::engine::events::{Event, EventKind};
use crate::engine::faults::FaultChange;
use crate::ui::faults_panel::{change_text as fault_change_text, kind_name_text};
use crate::ui::{use_lang, Lang, Text};
use yew::prelude::*;

/// How many of the newest events the log shows.
const SHOWN: usize = 40;

#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    /// The stream's events, newest first.
    pub events: Vec<Event>,
}

fn describe(lang: Lang, e: &Event) -> (String, &'static str) {
    let t = |x| lang.t(x);
    match &e.kind {
        EventKind::StreamActive { stream } => (format!("{stream} {}", t(Text::EventActive)), "info"),
        EventKind::UpdateComplete { stream } => (format!("{stream} {}", t(Text::EventUpdated)), "info"),
        EventKind::StreamDeleted { stream } => (format!("{stream} {}", t(Text::EventDeleted)), "info"),
        EventKind::WriteThrottled { shard, .. } => (format!("{shard}: {} × {}", e.count, t(Text::EventWriteThrottled)), "warn"),
        EventKind::ReadThrottled { shard, .. } => (format!("{shard}: {} × {}", e.count, t(Text::EventReadThrottled)), "warn"),
        EventKind::Resharded { closed, opened, .. } => {
            (format!("{}: {} → {}", t(Text::EventResharded), closed.join(", "), opened.join(", ")), "info")
        }
        EventKind::RecordsExpired { shard, .. } => (format!("{shard}: {} {}", e.count, t(Text::EventRecordsExpired)), "muted"),
        EventKind::ShardExpired { shard, .. } => (format!("{shard} {}", t(Text::EventShardExpired)), "muted"),
        EventKind::Fault { fault, kind, change, .. } => {
            let level = if *change == FaultChange::Started { "warn" } else { "info" };
            let kind = kind_name_text(kind).map_or(kind.as_str(), t);
            (format!("{fault} ({kind}) {}", t(fault_change_text(*change))), level)
        }
    }
}

#[component]
pub fn EventLog(props: &EventLogProps) -> Html {
    let lang = use_lang();
    html! {
        <section class="card" aria-label={lang.t(Text::EventLog)}>
            <h3>{ lang.t(Text::EventLog) }</h3>
            if props.events.is_empty() {
                <p class="muted">{ lang.t(Text::NoEvents) }</p>
            } else {
                <ol class="event-log" data-testid="event-log">
                    { for props.events.iter().take(SHOWN).map(|e| {
                        let (text, level) = describe(lang, e);
                        html! {
                            <li class={level}>
                                <time class="mono">{ &format_utc(e.at_ms)[11..19] }</time>
                                <span>{ text }</span>
                            </li>
                        }
                    }) }
                </ol>
            }
        </section>
    }
}
