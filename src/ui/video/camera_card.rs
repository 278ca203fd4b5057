//! The producer: a camera filming into the stream. Fragments are cut on the virtual clock
//! (every `fragment length` of simulated time) and put with PutMedia as they are encoded.

use super::camera::{draw_test_card, Camera};
use crate::ui::{Lang, Said, SimHandle, Text};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlVideoElement, MediaStream, MediaStreamConstraints};
use yew::prelude::*;

/// Fragment lengths offered, in ms of virtual time; KVS accepts up to 20 s.
const LENGTHS_MS: [u64; 4] = [1_000, 2_000, 5_000, 10_000];
const WIDTH: u32 = 480;
const HEIGHT: u32 = 270;

#[derive(Properties, PartialEq)]
pub struct CameraCardProps {
    pub sim: SimHandle,
    pub stream: AttrValue,
    pub now_ms: u64,
    pub playing: bool,
}

pub enum Msg {
    Start,
    Stop,
    SetLength(u64),
    UseWebcam,
    WebcamReady(MediaStream),
    WebcamRefused(Text),
    Encoded { producer_ms: u64, duration_ms: u64, bytes: Result<Vec<u8>, String> },
}

pub struct CameraCard {
    canvas: NodeRef,
    preview: NodeRef,
    camera: Option<Camera>,
    webcam: bool,
    length_ms: u64,
    /// Virtual time at which the fragment being recorded began.
    fragment_start_ms: Option<u64>,
    put: u32,
    last: Option<String>,
    error: Option<Said>,
}

impl CameraCard {
    fn context(&self) -> Option<CanvasRenderingContext2d> {
        let canvas: HtmlCanvasElement = self.canvas.cast()?;
        canvas.get_context("2d").ok()??.dyn_into().ok()
    }

    fn draw(&self, ctx: &Context<Self>) {
        if let (false, Some(c)) = (self.webcam, self.context()) {
            let label = format!("Kinesim synthetic camera · {}", ctx.props().stream);
            draw_test_card(&c, f64::from(WIDTH), f64::from(HEIGHT), ctx.props().now_ms, &label);
        }
    }

    fn cut_and_continue(&mut self, ctx: &Context<Self>, start: u64) {
        let duration_ms = self.length_ms;
        let Some(camera) = self.camera.as_mut() else { return };
        let link = ctx.link().clone();
        camera.cut(move |bytes| link.send_message(Msg::Encoded { producer_ms: start, duration_ms, bytes }));
        match camera.start() {
            Ok(()) => {
                camera.set_paused(!ctx.props().playing);
                self.fragment_start_ms = Some(start + duration_ms);
            }
            Err(e) => {
                self.error = Some(e.into());
                self.fragment_start_ms = None;
            }
        }
    }
}

impl Component for CameraCard {
    type Message = Msg;
    type Properties = CameraCardProps;

    fn create(_ctx: &Context<Self>) -> Self {
        Self {
            canvas: NodeRef::default(),
            preview: NodeRef::default(),
            camera: None,
            webcam: false,
            length_ms: 1_000,
            fragment_start_ms: None,
            put: 0,
            last: None,
            error: None,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Start => {
                if self.camera.is_none() {
                    let made = self.canvas.cast::<HtmlCanvasElement>().ok_or_else(|| "No canvas".to_string().into());
                    match made.and_then(|c| Camera::from_canvas(&c)) {
                        Ok(c) => self.camera = Some(c),
                        Err(e) => self.error = Some(e.into()),
                    }
                }
                if let Some(camera) = self.camera.as_mut() {
                    match camera.start() {
                        Ok(()) => {
                            camera.set_paused(!ctx.props().playing);
                            self.fragment_start_ms = Some(ctx.props().now_ms);
                            self.error = None;
                        }
                        Err(e) => self.error = Some(e.into()),
                    }
                }
            }
            Msg::Stop => {
                if let Some(start) = self.fragment_start_ms.take() {
                    // The unfinished fragment is kept, with the virtual time it really covers.
                    let covered = ctx.props().now_ms.saturating_sub(start);
                    if let (Some(camera), true) = (self.camera.as_mut(), covered > 0) {
                        let link = ctx.link().clone();
                        camera.cut(move |bytes| {
                            link.send_message(Msg::Encoded { producer_ms: start, duration_ms: covered, bytes })
                        });
                    }
                }
            }
            Msg::SetLength(ms) => self.length_ms = ms,
            Msg::UseWebcam => {
                let link = ctx.link().clone();
                spawn_local(async move {
                    let result = async {
                        let devices = web_sys::window().ok_or(Text::NoCameraAccess)?.navigator().media_devices().map_err(|_| Text::NoCameraAccess)?;
                        let constraints = MediaStreamConstraints::new();
                        constraints.set_video(&true.into());
                        let promise = devices.get_user_media_with_constraints(&constraints).map_err(|_| Text::CameraNotAsked)?;
                        let stream = JsFuture::from(promise).await.map_err(|_| Text::CameraRefused)?;
                        Ok::<MediaStream, Text>(stream.unchecked_into())
                    };
                    link.send_message(match result.await {
                        Ok(stream) => Msg::WebcamReady(stream),
                        Err(e) => Msg::WebcamRefused(e),
                    });
                });
            }
            Msg::WebcamReady(stream) => {
                if let Some(video) = self.preview.cast::<HtmlVideoElement>() {
                    video.set_src_object(Some(&stream));
                    let _ = video.play();
                }
                self.fragment_start_ms = None;
                match Camera::from_stream(stream) {
                    Ok(c) => {
                        self.camera = Some(c);
                        self.webcam = true;
                        self.error = None;
                    }
                    Err(e) => self.error = Some(e.into()),
                }
            }
            Msg::WebcamRefused(e) => self.error = Some(Said::Hint(e)),
            Msg::Encoded { producer_ms, duration_ms, bytes } => {
                let put = bytes.and_then(|media| {
                    ctx.props()
                        .sim
                        .put_media(&ctx.props().stream, producer_ms, duration_ms, media)
                        .map_err(|e| format!("{}: {e}", e.aws_type()))
                });
                match put {
                    Ok(ack) => {
                        self.put += 1;
                        self.last = Some(format!("{} {}", ack.event_type, ack.fragment_number));
                    }
                    Err(e) => self.error = Some(e.into()),
                }
            }
        }
        true
    }

    fn changed(&mut self, ctx: &Context<Self>, _old: &CameraCardProps) -> bool {
        if let Some(camera) = &self.camera {
            camera.set_paused(!ctx.props().playing);
        }
        if let Some(start) = self.fragment_start_ms {
            if ctx.props().now_ms >= start + self.length_ms {
                self.cut_and_continue(ctx, start);
            }
        }
        self.draw(ctx);
        true
    }

    fn rendered(&mut self, ctx: &Context<Self>, first_render: bool) {
        if first_render {
            self.draw(ctx);
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let lang = link.context::<Lang>(Callback::noop()).map_or(Lang::En, |(l, _)| l);
        let recording = self.fragment_start_ms.is_some();
        let on_length = link.callback(|e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            Msg::SetLength(select.value().parse().unwrap_or(1_000))
        });
        html! {
            <section class="card" aria-label="Camera">
                <h3>{ lang.t(Text::VideoProducer) }</h3>
                <div class="media-frame">
                    <canvas ref={self.canvas.clone()} width={WIDTH.to_string()} height={HEIGHT.to_string()}
                            hidden={self.webcam} aria-label="Synthetic camera picture" />
                    <video ref={self.preview.clone()} muted=true playsinline=true hidden={!self.webcam}
                           width={WIDTH.to_string()} height={HEIGHT.to_string()} />
                </div>
                <div class="controls-row">
                    <label>{ lang.t(Text::FragmentLength) }
                        <select onchange={on_length} disabled={recording} data-testid="fragment-length">
                            { for LENGTHS_MS.iter().map(|ms| html! {
                                <option value={ms.to_string()} selected={*ms == self.length_ms}>{ format!("{} s", ms / 1_000) }</option>
                            }) }
                        </select>
                    </label>
                    if recording {
                        <button class="btn-action danger" data-testid="camera-stop" onclick={link.callback(|_| Msg::Stop)}>{ lang.t(Text::StopRecording) }</button>
                    } else {
                        <button class="btn-action" data-testid="camera-start" onclick={link.callback(|_| Msg::Start)}>{ lang.t(Text::StartRecording) }</button>
                    }
                    if !self.webcam {
                        <button class="btn-plain" disabled={recording} onclick={link.callback(|_| Msg::UseWebcam)}
                                title={lang.t(Text::WebcamHint)}>
                            { lang.t(Text::UseWebcam) }
                        </button>
                    }
                </div>
                <p class="muted">
                    { lang.t(Text::RecordingExplained) }
                    if let Some(c) = &self.camera { { format!(" {} {}.", lang.t(Text::RecordingAs), c.recording_type()) } }
                </p>
                <p class="status-line" data-testid="camera-status">
                    { format!("{} {}", self.put, lang.t(Text::FragmentsPut)) }
                    if let Some(last) = &self.last { <span class="mono">{ format!(" · {}: {last}", lang.t(Text::LastAck)) }</span> }
                </p>
                if let Some(e) = &self.error { <p class="alert" role="alert">{ e.in_lang(lang).to_string() }</p> }
            </section>
        }
    }
}
