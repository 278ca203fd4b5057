//! The top-level component. It owns the world, as yew's game-of-life example owns its
//! universe: keeping `Sim` out of a `Reducible` avoids cloning the world on every action.

use super::analytics::{AnalyticsPanel, ApplicationPage};
use super::i18n::browser_lang;
use super::faults_panel::FaultsPanel;
use super::firehose::{CreateDeliveryStreamWizard, DeliveryStreamPage, FirehosePanel};
use super::lesson::LessonGuide;
use super::s3::{BucketPage, S3Panel};
use super::streams::{CreateStreamWizard, DataStreamPage, StreamsPanel};
use super::video::{VideoPanel, VideoStreamPage};
use super::{ConsolePanel, EmptyState, Lang, SimClock, SimHandle, Text, TimeControls};
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
/// Longest real-time gap one frame may account for: a tab that slept for minutes resumes
/// where it paused instead of leaping ahead by hours at x3600.
const MAX_FRAME_GAP_MS: f64 = 250.0;
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
    /// Bumped on every change, so views that read the world through the handle redraw.
    revision: u64,
    route: Route,
    lang: Lang,
    lesson: bool,
    /// User-written Lambda functions: name to JavaScript source, run in Web Workers.
    lambda_sources: BTreeMap<String, String>,
    /// An object under the course prefix was opened in the S3 viewer.
    opened_course_object: bool,
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

    fn set_document_lang(lang: Lang) {
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = root.set_attribute("lang", lang.code());
        }
    }

    fn console(&self, ctx: &Context<Self>) -> Html {
        let lang = self.lang;
        let link = ctx.link();
        html! {
            <main class="console">
                <ConsolePanel title={lang.t(Text::DataStreams)}>
                    <StreamsPanel sim={self.handle.clone()} revision={self.revision}
                                  on_open={link.callback(|name| Msg::Open(Route::DataStream(name)))}
                                  on_create={link.callback(|_| Msg::Open(Route::CreateDataStream))} />
                </ConsolePanel>
                <ConsolePanel title={lang.t(Text::Firehose)}>
                    <FirehosePanel sim={self.handle.clone()} revision={self.revision}
                                   on_open={link.callback(|name| Msg::Open(Route::DeliveryStream(name)))}
                                   on_create={link.callback(|_| Msg::Open(Route::CreateDeliveryStream))} />
                </ConsolePanel>
                <ConsolePanel title={lang.t(Text::S3)}>
                    <S3Panel sim={self.handle.clone()} revision={self.revision}
                             on_open={link.callback(|name| Msg::Open(Route::Bucket(name)))} />
                </ConsolePanel>
                <ConsolePanel title={lang.t(Text::DataAnalytics)}>
                    <AnalyticsPanel sim={self.handle.clone()} revision={self.revision}
                                    on_open={link.callback(|name| Msg::Open(Route::Application(name)))} />
                </ConsolePanel>
                <ConsolePanel title={lang.t(Text::VideoStreams)}>
                    <VideoPanel sim={self.handle.clone()} revision={self.revision}
                                on_open={link.callback(|name| Msg::Open(Route::VideoStream(name)))} />
                </ConsolePanel>
                <ConsolePanel title={lang.t(Text::Faults)}>
                    <FaultsPanel sim={self.handle.clone()} revision={self.revision} />
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
            route: Route::Console,
            lang,
            lesson: false,
            lambda_sources: BTreeMap::new(),
            opened_course_object: false,
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
            }
            Msg::TogglePlay => {
                self.playing = !self.playing;
                self.last_frame_ms = None;
                if self.playing {
                    self.request_frame(ctx);
                } else {
                    self.frame = None;
                }
            }
            Msg::Step => self.sim.borrow_mut().advance(STEP_MS),
            Msg::SetSpeed(speed) => self.speed = speed,
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

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let lang = self.lang;
        let (now_ms, seed) = {
            let sim = self.sim.borrow();
            (sim.now_ms(), sim.seed())
        };
        let to_console = link.callback(|_| Msg::Open(Route::Console));
        let body = match &self.route {
            Route::Console => self.console(ctx),
            Route::CreateDataStream => html! {
                <CreateStreamWizard sim={self.handle.clone()} on_back={to_console}
                                    on_created={link.callback(|name| Msg::Open(Route::DataStream(name)))} />
            },
            Route::DataStream(name) => html! {
                <DataStreamPage sim={self.handle.clone()} revision={self.revision} now_ms={now_ms}
                                name={name.clone()} on_back={to_console} />
            },
            Route::VideoStream(name) => html! {
                <VideoStreamPage sim={self.handle.clone()} revision={self.revision} now_ms={now_ms}
                                 playing={self.playing} name={name.clone()} on_back={to_console} />
            },
            Route::Bucket(name) => html! {
                <BucketPage sim={self.handle.clone()} revision={self.revision} bucket={name.clone()} on_back={to_console}
                            on_object={link.callback(Msg::OpenedObject)} />
            },
            Route::CreateDeliveryStream => html! {
                <CreateDeliveryStreamWizard sim={self.handle.clone()} revision={self.revision} on_back={to_console}
                                            on_created={link.callback(|name| Msg::Open(Route::DeliveryStream(name)))}
                                            on_register={link.callback(Msg::RegisterLambda)} />
            },
            Route::DeliveryStream(name) => html! {
                <DeliveryStreamPage sim={self.handle.clone()} revision={self.revision} now_ms={now_ms} name={name.clone()}
                                    on_back={to_console} on_bucket={link.callback(|b| Msg::Open(Route::Bucket(b)))} />
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
                <div class="app">
                    <header class="topbar">
                        <div class="brand">
                            <span class="brand-name">{ "Kinesim" }</span>
                            <span class="brand-tag">{ lang.t(Text::Tagline) }</span>
                        </div>
                        <SimClock now_ms={now_ms} />
                        <TimeControls
                            playing={self.playing}
                            speed={self.speed}
                            on_toggle={link.callback(|_| Msg::TogglePlay)}
                            on_step={link.callback(|_| Msg::Step)}
                            on_speed={link.callback(Msg::SetSpeed)}
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
                            <button class="btn-action lesson-toggle" data-testid="lesson-toggle" onclick={link.callback(|_| Msg::ToggleLesson)}>
                                { lang.t(Text::GuidedLesson) }
                            </button>
                        }
                        if self.lesson {
                            <LessonGuide sim={self.handle.clone()} revision={self.revision} opened_object={self.opened_course_object}
                                         on_close={link.callback(|_| Msg::ToggleLesson)} />
                        }
                    </div>
                    <footer class="statusbar">
                        <span>{ format!("{} 123456789012", lang.t(Text::Account)) }</span>
                        <span>{ format!("{} us-east-1", lang.t(Text::Region)) }</span>
                        <span>{ format!("{} {seed}", lang.t(Text::Seed)) }</span>
                    </footer>
                </div>
            </ContextProvider<Lang>>
        }
    }
}
