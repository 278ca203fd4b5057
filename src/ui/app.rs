//! The top-level component. It owns the world, as yew's game-of-life example owns its
//! universe: keeping `Sim` out of a `Reducible` avoids cloning the world on every action.

use super::{ConsolePanel, SimClock, TimeControls};
use crate::engine::sim::Sim;
use gloo_render::{request_animation_frame, AnimationFrame};
use yew::prelude::*;

/// Seed of the world a fresh page starts with.
const DEFAULT_SEED: u64 = 2026;
/// Virtual time one press of "step" advances.
pub const STEP_MS: u64 = 1_000;
/// Longest real-time gap one frame may account for: a tab that slept for minutes resumes
/// where it paused instead of leaping ahead by hours at x3600.
const MAX_FRAME_GAP_MS: f64 = 250.0;

pub enum Msg {
    Frame(f64),
    TogglePlay,
    Step,
    SetSpeed(u32),
}

pub struct App {
    sim: Sim,
    playing: bool,
    speed: u32,
    last_frame_ms: Option<f64>,
    /// Fraction of a virtual millisecond not yet applied, so slow speeds lose no time.
    carry_ms: f64,
    /// Dropping the handle cancels the pending frame, so a paused or unmounted app costs nothing.
    frame: Option<AnimationFrame>,
}

impl App {
    fn request_frame(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.frame = Some(request_animation_frame(move |ts| link.send_message(Msg::Frame(ts))));
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(_ctx: &Context<Self>) -> Self {
        Self {
            sim: Sim::new(DEFAULT_SEED),
            playing: false,
            speed: 1,
            last_frame_ms: None,
            carry_ms: 0.0,
            frame: None,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Frame(ts) => {
                if !self.playing {
                    return false;
                }
                if let Some(last) = self.last_frame_ms {
                    let real = (ts - last).clamp(0.0, MAX_FRAME_GAP_MS);
                    let virtual_ms = real * f64::from(self.speed) + self.carry_ms;
                    let whole = virtual_ms.floor();
                    self.carry_ms = virtual_ms - whole;
                    self.sim.advance(whole as u64);
                }
                self.last_frame_ms = Some(ts);
                self.request_frame(ctx);
                true
            }
            Msg::TogglePlay => {
                self.playing = !self.playing;
                self.last_frame_ms = None;
                if self.playing {
                    self.request_frame(ctx);
                } else {
                    self.frame = None;
                }
                true
            }
            Msg::Step => {
                self.sim.advance(STEP_MS);
                true
            }
            Msg::SetSpeed(speed) => {
                self.speed = speed;
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        html! {
            <div class="app">
                <header class="topbar">
                    <div class="brand">
                        <span class="brand-name">{ "Kinesim" }</span>
                        <span class="brand-tag">{ "Amazon Kinesis, simulated in your browser" }</span>
                    </div>
                    <SimClock now_ms={self.sim.now_ms()} />
                    <TimeControls
                        playing={self.playing}
                        speed={self.speed}
                        on_toggle={link.callback(|_| Msg::TogglePlay)}
                        on_step={link.callback(|_| Msg::Step)}
                        on_speed={link.callback(Msg::SetSpeed)}
                    />
                </header>
                <main class="console">
                    <ConsolePanel title="Data Streams" empty="No data streams yet.">
                        { "A data stream is split into shards. Each shard takes in up to 1 MiB/s or 1,000 records/s and serves 2 MiB/s to its readers." }
                    </ConsolePanel>
                    <ConsolePanel title="Firehose" empty="No delivery streams yet.">
                        { "A delivery stream buffers records and writes them to S3 under prefix/YYYY/MM/DD/HH/." }
                    </ConsolePanel>
                    <ConsolePanel title="S3" empty="No buckets yet.">
                        { "Objects that Firehose delivers appear here, to browse, open and download." }
                    </ConsolePanel>
                    <ConsolePanel title="Metrics" empty="No metrics yet.">
                        { "CloudWatch metrics per minute of simulated time: incoming records and bytes, throttled calls, iterator age." }
                    </ConsolePanel>
                </main>
                <footer class="statusbar">
                    <span>{ "Account 123456789012" }</span>
                    <span>{ "Region us-east-1" }</span>
                    <span>{ format!("Seed {}", self.sim.seed()) }</span>
                </footer>
            </div>
        }
    }
}
