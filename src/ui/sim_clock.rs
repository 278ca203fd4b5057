use super::{use_lang, Text};
use crate::engine::clock::format_utc;
use yew::prelude::*;

/// The virtual time of the current animation frame, in context: live animations read it and
/// redraw every frame, while the panels around them redraw a few times a second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameClock(pub u64);

/// The current frame's virtual time, or `fallback_ms` outside the app (a component mounted alone).
#[hook]
pub fn use_frame_clock(fallback_ms: u64) -> u64 {
    use_context::<FrameClock>().map_or(fallback_ms, |c| c.0)
}

#[derive(Properties, PartialEq)]
pub struct SimClockProps {
    pub now_ms: u64,
    /// The speed the clock actually runs at, when this device cannot keep up with the chosen one.
    #[prop_or_default]
    pub reached_speed: Option<u32>,
}

/// The simulated date-time, always in UTC as AWS timestamps are.
#[component]
pub fn SimClock(props: &SimClockProps) -> Html {
    let lang = use_lang();
    html! {
        <div class="sim-clock" title={lang.t(Text::SimulatedTimeHint)}>
            <span class="sim-clock-label">
                { lang.t(Text::SimulatedTime) }
                if let Some(reached) = props.reached_speed {
                    <span class="speed-reached" role="status" data-testid="speed-reached" title={lang.t(Text::SpeedReachedHint)}>
                        { format!("{} ×{reached}", lang.t(Text::SpeedReached)) }
                    </span>
                }
            </span>
            <time class="sim-clock-value" data-testid="sim-clock">{ format_utc(props.now_ms) }</time>
        </div>
    }
}
