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
use super::code_consent::CodeConsent;
use super::scenario_bar::ScenarioBar;
use super::{autosave, page_url};
use crate::engine::scenario::link;
use super::frame_pacer::FramePacer;
use super::frame_timing::{self, ADVANCE, RENDER};
use super::{ConsolePanel, EmptyState, FrameClock, Lang, SimClock, SimHandle, Text, TimeControls};
use crate::engine::sim::Sim;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
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
    /// A scenario document to build a new world from (import, file).
    LoadScenario(String),
    /// The user allowed (true) or refused the JavaScript a scenario brought.
    ConsentToCode(bool),
    /// The page is being hidden or left: save now.
    SaveNow,
}

/// Real time in ms on the clock animation frames use.
fn real_now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// How the last autosave went: the saved state hash, or why saving failed.
type AutosaveStatus = Option<Result<String, String>>;

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
    /// `?embed=1`: the compact layout for course iframes.
    embed: bool,
    /// Why the last imported scenario was refused.
    scenario_error: Option<String>,
    /// Why the page's link or autosave could not be opened (the page then starts afresh).
    opening_error: Option<String>,
    scenarios_loaded: u64,
    /// JavaScript a scenario brought that waits for the user's consent before it may run.
    awaiting_consent: Vec<(String, String)>,
    autosave: AutosaveStatus,
    /// Real time of the last autosave.
    last_save_ms: f64,
    /// State hash of the world restored from the autosave when the page opened.
    restored_hash: Option<String>,
    /// Listeners that save when the page is hidden; removed when the app goes.
    hide_listeners: Vec<(web_sys::EventTarget, &'static str, Closure<dyn FnMut()>)>,
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

    /// The world the page opens with: a shared link's scenario, else the autosaved world, else
    /// a fresh one. Returns it with why a link was refused and the hash of a restored save.
    fn opening_world() -> (Sim, Option<String>, Option<String>) {
        let from_link = page_url::scenario_fragment().map(|f| link::decode(&f).and_then(|text| Sim::from_scenario(&text)));
        let link_error = match from_link {
            Some(Ok(sim)) => return (sim, None, None),
            Some(Err(e)) => Some(e.0),
            None => None,
        };
        match autosave::load() {
            Some(Ok(sim)) => {
                let hash = sim.state_hash();
                (sim, link_error, Some(hash))
            }
            Some(Err(e)) => (Sim::new(DEFAULT_SEED), Some(link_error.unwrap_or(e)), None),
            None => (Sim::new(DEFAULT_SEED), link_error, None),
        }
    }

    /// Takes the new world's user code: what the user already allowed runs, the rest waits
    /// for consent.
    fn adopt_sources(&mut self) {
        let approved = autosave::approved();
        let sources: Vec<(String, String)> = self.sim.borrow().lambda.sources().map(|(n, c)| (n.to_string(), c.to_string())).collect();
        self.lambda_sources.clear();
        self.awaiting_consent.clear();
        for (name, code) in sources {
            if approved.contains(&(name.clone(), code.clone())) {
                self.lambda_sources.insert(name, code);
            } else {
                self.awaiting_consent.push((name, code));
            }
        }
    }

    fn save(&mut self, now_ms: f64) {
        self.last_save_ms = now_ms;
        self.autosave = Some(autosave::save(&self.sim.borrow()));
    }

    fn listen_for_hide(&mut self, ctx: &Context<Self>) {
        let Some(window) = web_sys::window() else { return };
        let targets: [(web_sys::EventTarget, &'static str); 2] = [
            (window.clone().into(), "pagehide"),
            (window.document().map(Into::into).unwrap_or_else(|| window.clone().into()), "visibilitychange"),
        ];
        for (target, event) in targets {
            let link = ctx.link().clone();
            let hidden = move || {
                let is_hidden = web_sys::window().and_then(|w| w.document()).is_none_or(|d| d.hidden());
                if is_hidden {
                    link.send_message(Msg::SaveNow);
                }
            };
            let closure = Closure::<dyn FnMut()>::new(hidden);
            if target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref()).is_ok() {
                self.hide_listeners.push((target, event, closure));
            }
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
        let (world, opening_error, restored_hash) = Self::opening_world();
        let speed = world.speed();
        let sim = Rc::new(RefCell::new(world));
        let lang = browser_lang();
        Self::set_document_lang(lang);
        let mut app = Self {
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
            speed,
            pacer: FramePacer::default(),
            frame: None,
            embed: page_url::embed(),
            scenario_error: None,
            opening_error,
            scenarios_loaded: 0,
            awaiting_consent: Vec::new(),
            autosave: None,
            last_save_ms: 0.0,
            restored_hash,
            hide_listeners: Vec::new(),
        };
        app.adopt_sources();
        app.listen_for_hide(ctx);
        app
    }

    fn destroy(&mut self, _ctx: &Context<Self>) {
        for (target, event, closure) in self.hide_listeners.drain(..) {
            let _ = target.remove_event_listener_with_callback(event, closure.as_ref().unchecked_ref());
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
                // After a failure (often a world too large to store) retry less often: each try
                // serialises the whole world.
                let interval = match self.autosave {
                    Some(Err(_)) => autosave::RETRY_AFTER_FAILURE_MS,
                    _ => autosave::INTERVAL_MS,
                };
                if ts - self.last_save_ms >= interval {
                    self.save(ts);
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
                    // A pause is where a student stops to look: save the world as it stands.
                    self.save(real_now());
                }
            }
            Msg::Step => self.sim.borrow_mut().advance(STEP_MS),
            Msg::SetSpeed(speed) => {
                self.speed = speed;
                self.sim.borrow_mut().set_speed(speed);
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
                // Written by the user in the wizard: allowed to run, now and after a reload.
                let mut approved = autosave::approved();
                approved.retain(|(n, _)| *n != name);
                approved.push((name.clone(), source.clone()));
                let _ = autosave::set_approved(&approved);
                self.lambda_sources.insert(name, source);
            }
            Msg::LoadScenario(text) => match Sim::from_scenario(&text) {
                Ok(world) => {
                    self.speed = world.speed();
                    *self.sim.borrow_mut() = world;
                    self.scenario_error = None;
                    self.opening_error = None;
                    self.scenarios_loaded += 1;
                    self.route = Route::Console;
                    self.adopt_sources();
                    self.save(real_now());
                }
                Err(e) => self.scenario_error = Some(e.0),
            },
            Msg::ConsentToCode(allow) => {
                let sources = std::mem::take(&mut self.awaiting_consent);
                if allow {
                    let mut approved = autosave::approved();
                    approved.extend(sources.iter().cloned());
                    let _ = autosave::set_approved(&approved);
                    self.lambda_sources.extend(sources);
                }
            }
            Msg::SaveNow => self.save(real_now()),
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
        let (account, region) = {
            let sim = self.sim.borrow();
            (sim.kinesis.config.account_id.clone(), sim.kinesis.config.region.clone())
        };
        let saved_hash = match &self.autosave {
            Some(Ok(hash)) => Some(hash.clone()),
            _ => None,
        };
        let on_lang = link.callback(|e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            Msg::SetLang(Lang::from_tag(&select.value()))
        });
        html! {
            <ContextProvider<Lang> context={lang}>
            <ContextProvider<FrameClock> context={FrameClock(now_ms)}>
                <div class={classes!("app", self.embed.then_some("embed"))} data-autosave-hash={saved_hash} data-restored-hash={self.restored_hash.clone()}>
                    <header class="topbar">
                        <div class="brand">
                            <span class="brand-name">{ "Kinesim" }</span>
                            if !self.embed {
                                <span class="brand-tag">{ lang.t(Text::Tagline) }</span>
                            }
                        </div>
                        <SimClock now_ms={now_ms} reached_speed={self.playing.then(|| self.pacer.lagging_speed()).flatten()} />
                        <TimeControls
                            playing={self.playing}
                            speed={self.speed}
                            on_toggle={cb.toggle_play.clone()}
                            on_step={cb.step.clone()}
                            on_speed={cb.set_speed.clone()}
                        />
                        <ScenarioBar sim={self.handle.clone()} error={self.scenario_error.clone().map(AttrValue::from)}
                                     loaded={self.scenarios_loaded} on_load={link.callback(Msg::LoadScenario)} />
                        <label class="lang-switch">
                            <span class="sr-only">{ lang.t(Text::Language) }</span>
                            <select aria-label={lang.t(Text::Language)} data-testid="lang" onchange={on_lang}>
                                { for Lang::ALL.iter().map(|l| html! {
                                    <option value={l.code()} selected={*l == lang}>{ l.name() }</option>
                                }) }
                            </select>
                        </label>
                    </header>
                    if let Some(error) = &self.opening_error {
                        <p class="alert page-alert" role="alert" data-testid="opening-error">
                            <strong>{ lang.t(Text::ScenarioRefused) }</strong>{ " " }{ error.clone() }
                        </p>
                    }
                    if !self.awaiting_consent.is_empty() {
                        <CodeConsent sources={self.awaiting_consent.clone()} on_decide={link.callback(Msg::ConsentToCode)} />
                    }
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
                        <span>{ format!("{} {account}", lang.t(Text::Account)) }</span>
                        <span>{ format!("{} {region}", lang.t(Text::Region)) }</span>
                        <span>{ format!("{} {seed}", lang.t(Text::Seed)) }</span>
                        if self.restored_hash.is_some() && self.autosave.is_none() {
                            <span data-testid="restored">{ lang.t(Text::RestoredFromAutosave) }</span>
                        }
                        { match &self.autosave {
                            Some(Ok(_)) => html! { <span role="status" data-testid="autosave-ok">{ lang.t(Text::Autosaved) }</span> },
                            Some(Err(why)) => html! {
                                <span class="autosave-failed" role="alert" data-testid="autosave-failed">{ format!("{} {why}", lang.t(Text::AutosaveFailed)) }</span>
                            },
                            None => html! {},
                        } }
                    </footer>
                </div>
            </ContextProvider<FrameClock>>
            </ContextProvider<Lang>>
        }
    }
}
