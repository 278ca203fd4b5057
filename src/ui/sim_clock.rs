use crate::engine::clock::format_utc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SimClockProps {
    pub now_ms: u64,
}

/// The simulated date-time, always in UTC as AWS timestamps are.
#[component]
pub fn SimClock(props: &SimClockProps) -> Html {
    html! {
        <div class="sim-clock" title="Virtual time of the simulation, in UTC">
            <span class="sim-clock-label">{ "Simulated time" }</span>
            <time class="sim-clock-value" data-testid="sim-clock">{ format_utc(props.now_ms) }</time>
        </div>
    }
}
