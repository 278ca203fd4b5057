use super::{use_lang, Text};
use yew::prelude::*;

pub use crate::engine::clock::PLAYBACK_SPEEDS as SPEEDS;

fn speed_meaning(speed: u32) -> Text {
    match speed {
        1 => Text::SpeedRealTime,
        10 => Text::Speed10,
        60 => Text::Speed60,
        600 => Text::Speed600,
        _ => Text::Speed3600,
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
    let lang = use_lang();
    let (play_label, play_title) = if props.playing {
        (lang.t(Text::Pause), lang.t(Text::PauseHint))
    } else {
        (lang.t(Text::Play), lang.t(Text::PlayHint))
    };
    html! {
        <div class="time-controls">
            <button class={classes!("btn", "btn-primary", props.playing.then_some("is-playing"))}
                    data-testid="play-toggle" title={play_title} aria-pressed={props.playing.to_string()}
                    onclick={toggle}>
                { if props.playing { "❚❚ " } else { "▶ " } }{ play_label }
            </button>
            <button class="btn" data-testid="step" disabled={props.playing}
                    title={lang.t(Text::StepHint)} onclick={step}>
                { lang.t(Text::StepOne) }
            </button>
            <div class="speed" role="group" aria-label={lang.t(Text::SpeedLabel)}>
                { for SPEEDS.iter().map(|&s| {
                    let on_speed = props.on_speed.clone();
                    html! {
                        <button class={classes!("btn", "btn-seg", (s == props.speed).then_some("is-active"))}
                                data-testid={format!("speed-{s}")} title={lang.t(speed_meaning(s))}
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
