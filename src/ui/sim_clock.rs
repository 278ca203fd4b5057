use super::{use_lang, Text};
use crate::engine::clock::format_utc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SimClockProps {
    pub now_ms: u64,
}

/// The simulated date-time, always in UTC as AWS timestamps are.
#[component]
pub fn SimClock(props: &SimClockProps) -> Html {
    let lang = use_lang();
    html! {
        <div class="sim-clock" title={lang.t(Text::SimulatedTimeHint)}>
            <span class="sim-clock-label">{ lang.t(Text::SimulatedTime) }</span>
            <time class="sim-clock-value" data-testid="sim-clock">{ format_utc(props.now_ms) }</time>
        </div>
    }
}
