//! The top-level component. It owns the world, as yew's game-of-life example owns its
//! universe: keeping `Sim` out of a `Reducible` avoids cloning the world on every action.

use super::analytics::{AnalyticsPanel, ApplicationPage};
use super::i18n::browser_lang;
use super::firehose::{CreateDeliveryStreamWizard, DeliveryStreamPage, FirehosePanel};
use super::lesson::LessonGuide;
use super::s3::{BucketPage, S3Panel};
use super::streams::{CreateStreamWizard, DataStreamPage, StreamsPanel};
use super::video::{VideoPanel, VideoStreamPage};
use super::frame_pacer::FramePacer;
use super::frame_timing::{self, ADVANCE, RENDER};
use super::{ConsolePanel, EmptyState, FrameClock, Lang, SimClock, SimHandle, Text, TimeControls};
use crate::engine::sim::Sim;
use gloo_render::{request_animation_frame, AnimationFrame};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::prelude::*;

/// Seed of the world a fresh page starts with.
const DEFAULT_SEED: u64 = 2026;
/// Virtual time one press of "step" advances.
const STEP_MS: u64 = 1_000;
/// While the clock runs, panels redraw at most this often (real time), about 7 times a
/// second: tables and charts of 64 shards cost more than a frame, and nobody reads them at
/// 60 Hz. The clock and live animations redraw every frame; any action redraws at once.
const PANEL_REFRESH_MS: f64 = 150.0;
/// Real time the engine may use in a frame, leaving the rest of a 60 Hz frame (16.7 ms) to
/// the view; less in a frame that also redraws the panels.
const ENGINE_BUDGET_MS: f64 = 6.0;
const ENGINE_BUDGET_WITH_PANELS_MS: f64 = 1.0;
/// How long a user-written Lambda may run, in real time, before it counts as a Timeout.
const USER_LAMBDA_TIMEOUT_MS: u32 = 3_000;

/// Which screen the console shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Console,
    CreateDataStream,
    DataStream(String),
    VideoStream(String),
    Bucket(String),
    CreateDeliveryStream,
    DeliveryStream(String),
    Application(String),
}

/// Console areas with nothing to list yet: what each will hold.
const AREAS_TO_COME: [(Text, Text, Text); 1] = [
    (Text::Metrics, Text::NoMetrics, Text::NoMetricsText),
];

pub enum Msg {
    Frame(f64),
    TogglePlay,
    Step,
    SetSpeed(u32),
    SetLang(Lang),
    /// The world changed through an action; views must redraw.
    Changed,
    Open(Route),
    ToggleLesson,
    RegisterLambda((String, String)),
    OpenedObject(String),
}

pub struct App {
    sim: Rc<RefCell<Sim>>,
    handle: SimHandle,
    /// Bumped on every change, and while the clock runs every [`PANEL_REFRESH_MS`], so views
    /// that read the world through the handle redraw.
    revision: u64,
    /// Real time of the last animation frame that bumped `revision`.
    panels_drawn_ms: f64,
    /// Made once: a fresh callback compares unequal and would redraw every page every frame.
    callbacks: Callbacks,
    route: Route,
    lang: Lang,
    lesson: bool,
    /// User-written Lambda functions: name to JavaScript source, run in Web Workers.
    lambda_sources: BTreeMap<String, String>,
    /// An object under the course prefix was opened in the S3 viewer.
    opened_course_object: bool,
    playing: bool,
    speed: u32,
    pacer: FramePacer,
    /// Dropping the handle cancels the pending frame, so a paused or unmounted app costs nothing.
    frame: Option<AnimationFrame>,
}

/// The callbacks the app hands to its pages and controls.
struct Callbacks {
    to_console: Callback<()>,
    create_data_stream: Callback<()>,
    create_delivery_stream: Callback<()>,
    data_stream: Callback<String>,
    delivery_stream: Callback<String>,
    video_stream: Callback<String>,
    bucket: Callback<String>,
    application: Callback<String>,
    opened_object: Callback<String>,
    register_lambda: Callback<(String, String)>,
    toggle_play: Callback<()>,
    step: Callback<()>,
    set_speed: Callback<u32>,
    toggle_lesson: Callback<()>,
}

impl Callbacks {
    fn new(link: &yew::html::Scope<App>) -> Self {
        let open = |route: fn(String) -> Route| link.callback(move |name| Msg::Open(route(name)));
        Self {
            to_console: link.callback(|_| Msg::Open(Route::Console)),
            create_data_stream: link.callback(|_| Msg::Open(Route::CreateDataStream)),
            create_delivery_stream: link.callback(|_| Msg::Open(Route::CreateDeliveryStream)),
            data_stream: open(Route::DataStream),
            delivery_stream: open(Route::DeliveryStream),
            video_stream: open(Route::VideoStream),
            bucket: open(Route::Bucket),
            application: open(Route::Application),
            opened_object: link.callback(Msg::OpenedObject),
            register_lambda: link.callback(Msg::RegisterLambda),
            toggle_play: link.callback(|_| Msg::TogglePlay),
            step: link.callback(|_| Msg::Step),
            set_speed: link.callback(Msg::SetSpeed),
            toggle_lesson: link.callback(|_| Msg::ToggleLesson),
        }
    }
}

impl App {
    fn request_frame(&mut self, ctx: &Context<Self>) {
        let link = ctx.link().clone();
        self.frame = Some(request_animation_frame(move |ts| link.send_message(Msg::Frame(ts))));
    }

    fn set_document_lang(lang: Lang) {
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = root.set_attribute("lang", lang.code());
        }
    }

    fn console(&self) -> Html {
        let lang = self.lang;
        let cb = &self.callbacks;
        html! {
            <main class="console">
                <ConsolePanel title={lang.t(Text::DataStreams)}>
                    <StreamsPanel sim={self.handle.clone()} revision={self.revision}
                                  on_open={cb.data_stream.clone()} on_create={cb.create_data_stream.clone()} />
                </ConsolePanel>
                <ConsolePanel title={lang.t(Text::Firehose)}>
                    <FirehosePanel sim={self.handle.clone()} revision={self.revision}
                                   on_open={cb.delivery_stream.clone()} on_create={cb.create_delivery_stream.clone()} />
                </ConsolePanel>
                <ConsolePanel title={lang.t(Text::S3)}>
                    <S3Panel sim={self.handle.clone()} revision={self.revision}
                             on_open={cb.bucket.clone()} />
                </ConsolePanel>
                <ConsolePanel title={lang.t(Text::DataAnalytics)}>
                    <AnalyticsPanel sim={self.handle.clone()} revision={self.revision}
                                    on_open={cb.application.clone()} />
                </ConsolePanel>
                <ConsolePanel title={lang.t(Text::VideoStreams)}>
                    <VideoPanel sim={self.handle.clone()} revision={self.revision}
                                on_open={cb.video_stream.clone()} />
                </ConsolePanel>
                { for AREAS_TO_COME.iter().map(|(title, empty, text)| html! {
                    <ConsolePanel title={lang.t(*title)}>
                        <EmptyState title={lang.t(*empty)}>{ lang.t(*text) }</EmptyState>
                    </ConsolePanel>
                }) }
            </main>
        }
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let sim = Rc::new(RefCell::new(Sim::new(DEFAULT_SEED)));
        let lang = browser_lang();
        Self::set_document_lang(lang);
        Self {
            handle: SimHandle::new(sim.clone(), ctx.link().callback(|_| Msg::Changed)),
            sim,
            revision: 0,
            panels_drawn_ms: 0.0,
            callbacks: Callbacks::new(ctx.link()),
            route: Route::Console,
            lang,
            lesson: false,
            lambda_sources: BTreeMap::new(),
            opened_course_object: false,
            playing: false,
            speed: 1,
            pacer: FramePacer::default(),
            frame: None,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        if !matches!(msg, Msg::Frame(_)) {
            self.revision += 1;
        }
        match msg {
            Msg::Frame(ts) => {
                if !self.playing {
                    return false;
                }
                let panels = ts - self.panels_drawn_ms >= PANEL_REFRESH_MS;
                let budget = if panels { ENGINE_BUDGET_WITH_PANELS_MS } else { ENGINE_BUDGET_MS };
                ADVANCE.begin();
                let sim = &self.sim;
                self.pacer.frame(ts, self.speed, budget, frame_timing::now_ms, |ms| sim.borrow_mut().advance(ms));
                ADVANCE.end();
                RENDER.begin();
                if panels {
                    self.panels_drawn_ms = ts;
                    self.revision += 1;
                }
                self.request_frame(ctx);
            }
            Msg::TogglePlay => {
                self.playing = !self.playing;
                self.pacer.restart();
                if self.playing {
                    self.request_frame(ctx);
                } else {
                    self.frame = None;
                }
            }
            Msg::Step => self.sim.borrow_mut().advance(STEP_MS),
            Msg::SetSpeed(speed) => {
                self.speed = speed;
                self.pacer.speed_changed();
            }
            Msg::SetLang(lang) => {
                self.lang = lang;
                Self::set_document_lang(lang);
            }
            Msg::Changed => {}
            Msg::Open(route) => self.route = route,
            Msg::ToggleLesson => self.lesson = !self.lesson,
            Msg::RegisterLambda((name, source)) => {
                self.lambda_sources.insert(name, source);
            }
            Msg::OpenedObject(key) => self.opened_course_object |= key.starts_with("carpeta_tweests_exitosos/"),
        }
        if !self.lambda_sources.is_empty() {
            self.handle.run_user_lambdas(&self.lambda_sources, USER_LAMBDA_TIMEOUT_MS);
        }
        true
    }

    fn rendered(&mut self, _ctx: &Context<Self>, _first_render: bool) {
        RENDER.end();
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let lang = self.lang;
        let (now_ms, seed) = {
            let sim = self.sim.borrow();
            (sim.now_ms(), sim.seed())
        };
        let cb = &self.callbacks;
        let to_console = cb.to_console.clone();
        let body = match &self.route {
            Route::Console => self.console(),
            Route::CreateDataStream => html! {
                <CreateStreamWizard sim={self.handle.clone()} on_back={to_console} on_created={cb.data_stream.clone()} />
            },
            Route::DataStream(name) => html! {
                <DataStreamPage sim={self.handle.clone()} revision={self.revision} name={name.clone()} on_back={to_console} />
            },
            Route::VideoStream(name) => html! {
                <VideoStreamPage sim={self.handle.clone()} revision={self.revision} now_ms={now_ms}
                                 playing={self.playing} name={name.clone()} on_back={to_console} />
            },
            Route::Bucket(name) => html! {
                <BucketPage sim={self.handle.clone()} revision={self.revision} bucket={name.clone()} on_back={to_console}
                            on_object={cb.opened_object.clone()} />
            },
            Route::CreateDeliveryStream => html! {
                <CreateDeliveryStreamWizard sim={self.handle.clone()} revision={self.revision} on_back={to_console}
                                            on_created={cb.delivery_stream.clone()} on_register={cb.register_lambda.clone()} />
            },
            Route::DeliveryStream(name) => html! {
                <DeliveryStreamPage sim={self.handle.clone()} revision={self.revision} name={name.clone()}
                                    on_back={to_console} on_bucket={cb.bucket.clone()} />
            },
            Route::Application(name) => html! {
                <ApplicationPage sim={self.handle.clone()} revision={self.revision}
                                 name={name.clone()} on_back={to_console} />
            },
        };
        let on_lang = link.callback(|e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            Msg::SetLang(Lang::from_tag(&select.value()))
        });
        html! {
            <ContextProvider<Lang> context={lang}>
            <ContextProvider<FrameClock> context={FrameClock(now_ms)}>
                <div class="app">
                    <header class="topbar">
                        <div class="brand">
                            <span class="brand-name">{ "Kinesim" }</span>
                            <span class="brand-tag">{ lang.t(Text::Tagline) }</span>
                        </div>
                        <SimClock now_ms={now_ms} reached_speed={self.playing.then(|| self.pacer.lagging_speed()).flatten()} />
                        <TimeControls
                            playing={self.playing}
                            speed={self.speed}
                            on_toggle={cb.toggle_play.clone()}
                            on_step={cb.step.clone()}
                            on_speed={cb.set_speed.clone()}
                        />
                        <label class="lang-switch">
                            <span class="sr-only">{ lang.t(Text::Language) }</span>
                            <select aria-label={lang.t(Text::Language)} data-testid="lang" onchange={on_lang}>
                                { for Lang::ALL.iter().map(|l| html! {
                                    <option value={l.code()} selected={*l == lang}>{ l.name() }</option>
                                }) }
                            </select>
                        </label>
                    </header>
                    <div class={classes!("workspace", self.lesson.then_some("with-lesson"))}>
                        { body }
                        if !self.lesson {
                            <button class="btn-action lesson-toggle" data-testid="lesson-toggle" onclick={cb.toggle_lesson.reform(|_| ())}>
                                { lang.t(Text::GuidedLesson) }
                            </button>
                        }
                        if self.lesson {
                            <LessonGuide sim={self.handle.clone()} revision={self.revision} opened_object={self.opened_course_object}
                                         on_close={cb.toggle_lesson.clone()} />
                        }
                    </div>
                    <footer class="statusbar">
                        <span>{ format!("{} 123456789012", lang.t(Text::Account)) }</span>
                        <span>{ format!("{} us-east-1", lang.t(Text::Region)) }</span>
                        <span>{ format!("{} {seed}", lang.t(Text::Seed)) }</span>
                    </footer>
                </div>
            </ContextProvider<FrameClock>>
            </ContextProvider<Lang>>
        }
    }
}
