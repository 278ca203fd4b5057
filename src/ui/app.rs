//! The top-level component. It owns the world, as yew's game-of-life example owns its
//! universe: keeping `Sim` out of a `Reducible` avoids cloning the world on every action.

use super::video::{VideoPanel, VideoStreamPage};
use super::{ConsolePanel, EmptyState, SimClock, SimHandle, TimeControls};
use crate::engine::sim::Sim;
use gloo_render::{request_animation_frame, AnimationFrame};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Seed of the world a fresh page starts with.
const DEFAULT_SEED: u64 = 2026;
/// Virtual time one press of "step" advances.
pub const STEP_MS: u64 = 1_000;
/// Longest real-time gap one frame may account for: a tab that slept for minutes resumes
/// where it paused instead of leaping ahead by hours at x3600.
const MAX_FRAME_GAP_MS: f64 = 250.0;

/// Which screen the console shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Console,
    VideoStream(String),
}

/// Console areas with nothing to list yet: what each will hold.
const AREAS_TO_COME: [(&str, &str, &str); 4] = [
    ("Data Streams", "No data streams yet.", "A data stream is split into shards. Each shard takes in up to 1 MiB/s or 1,000 records/s and serves 2 MiB/s to its readers."),
    ("Firehose", "No delivery streams yet.", "A delivery stream buffers records and writes them to S3 under prefix/YYYY/MM/DD/HH/."),
    ("S3", "No buckets yet.", "Objects that Firehose delivers appear here, to browse, open and download."),
    ("Metrics", "No metrics yet.", "CloudWatch metrics per minute of simulated time: incoming records and bytes, throttled calls, iterator age."),
];

pub enum Msg {
    Frame(f64),
    TogglePlay,
    Step,
    SetSpeed(u32),
    /// The world changed through an action; views must redraw.
    Changed,
    Open(Route),
}

pub struct App {
    sim: Rc<RefCell<Sim>>,
    handle: SimHandle,
    /// Bumped on every change, so views that read the world through the handle redraw.
    revision: u64,
    route: Route,
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

    fn create(ctx: &Context<Self>) -> Self {
        let sim = Rc::new(RefCell::new(Sim::new(DEFAULT_SEED)));
        Self {
            handle: SimHandle::new(sim.clone(), ctx.link().callback(|_| Msg::Changed)),
            sim,
            revision: 0,
            route: Route::Console,
            playing: false,
            speed: 1,
            last_frame_ms: None,
            carry_ms: 0.0,
            frame: None,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        self.revision += 1;
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
                    self.sim.borrow_mut().advance(whole as u64);
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
                self.sim.borrow_mut().advance(STEP_MS);
                true
            }
            Msg::SetSpeed(speed) => {
                self.speed = speed;
                true
            }
            Msg::Changed => true,
            Msg::Open(route) => {
                self.route = route;
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let (now_ms, seed) = {
            let sim = self.sim.borrow();
            (sim.now_ms(), sim.seed())
        };
        let body = match &self.route {
            Route::Console => self.console(ctx),
            Route::VideoStream(name) => html! {
                <VideoStreamPage sim={self.handle.clone()} revision={self.revision} now_ms={now_ms}
                                 playing={self.playing} name={name.clone()}
                                 on_back={link.callback(|_| Msg::Open(Route::Console))} />
            },
        };
        html! {
            <div class="app">
                <header class="topbar">
                    <div class="brand">
                        <span class="brand-name">{ "Kinesim" }</span>
                        <span class="brand-tag">{ "Amazon Kinesis, simulated in your browser" }</span>
                    </div>
                    <SimClock now_ms={now_ms} />
                    <TimeControls
                        playing={self.playing}
                        speed={self.speed}
                        on_toggle={link.callback(|_| Msg::TogglePlay)}
                        on_step={link.callback(|_| Msg::Step)}
                        on_speed={link.callback(Msg::SetSpeed)}
                    />
                </header>
                { body }
                <footer class="statusbar">
                    <span>{ "Account 123456789012" }</span>
                    <span>{ "Region us-east-1" }</span>
                    <span>{ format!("Seed {seed}") }</span>
                </footer>
            </div>
        }
    }
}

impl App {
    fn console(&self, ctx: &Context<Self>) -> Html {
        let on_open_video = ctx.link().callback(|name| Msg::Open(Route::VideoStream(name)));
        html! {
            <main class="console">
                { for AREAS_TO_COME.iter().map(|(title, empty, text)| html! {
                    <ConsolePanel title={*title}>
                        <EmptyState title={*empty}>{ *text }</EmptyState>
                    </ConsolePanel>
                }) }
                <ConsolePanel title="Video Streams">
                    <VideoPanel sim={self.handle.clone()} revision={self.revision} on_open={on_open_video} />
                </ConsolePanel>
            </main>
        }
    }
}
