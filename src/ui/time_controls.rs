use super::app::STEP_MS;
use yew::prelude::*;

/// Speeds offered, as simulated seconds per real second.
pub const SPEEDS: [u32; 5] = [1, 10, 60, 600, 3600];

fn speed_meaning(speed: u32) -> &'static str {
    match speed {
        1 => "real time",
        10 => "10 s each second",
        60 => "1 min each second",
        600 => "10 min each second",
        _ => "1 h each second",
    }
}

#[derive(Properties, PartialEq)]
pub struct TimeControlsProps {
    pub playing: bool,
    pub speed: u32,
    pub on_toggle: Callback<()>,
    pub on_step: Callback<()>,
    pub on_speed: Callback<u32>,
}

#[component]
pub fn TimeControls(props: &TimeControlsProps) -> Html {
    let toggle = props.on_toggle.reform(|_: MouseEvent| ());
    let step = props.on_step.reform(|_: MouseEvent| ());
    let (play_label, play_title) =
        if props.playing { ("Pause", "Pause the simulation") } else { ("Play", "Run the simulation") };
    html! {
        <div class="time-controls">
            <button class={classes!("btn", "btn-primary", props.playing.then_some("is-playing"))}
                    data-testid="play-toggle" title={play_title} aria-pressed={props.playing.to_string()}
                    onclick={toggle}>
                { if props.playing { "❚❚ " } else { "▶ " } }{ play_label }
            </button>
            <button class="btn" data-testid="step" disabled={props.playing}
                    title={format!("Advance {} s of simulated time", STEP_MS / 1000)} onclick={step}>
                { format!("Step +{} s", STEP_MS / 1000) }
            </button>
            <div class="speed" role="group" aria-label="Simulation speed">
                { for SPEEDS.iter().map(|&s| {
                    let on_speed = props.on_speed.clone();
                    html! {
                        <button class={classes!("btn", "btn-seg", (s == props.speed).then_some("is-active"))}
                                data-testid={format!("speed-{s}")} title={speed_meaning(s)}
                                aria-pressed={(s == props.speed).to_string()}
                                onclick={move |_| on_speed.emit(s)}>
                            { format!("×{s}") }
                        </button>
                    }
                }) }
            </div>
        </div>
    }
}
