//! Browser host for the Video Streams producer: a camera (a synthetic test card drawn on a
//! canvas, or the user's webcam) whose frames MediaRecorder encodes. Each fragment is its own
//! recording, so every fragment starts with a key frame and its own initialisation data and
//! plays on its own, as KVS fragments do.

use crate::ui::{Said, Text};
use js_sys::{Array, ArrayBuffer, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{
    Blob, BlobEvent, CanvasRenderingContext2d, HtmlCanvasElement, MediaRecorder, MediaRecorderOptions,
    MediaStream,
};

/// Recording types tried in order: H.264 in fragmented MP4 is what KVS serves over HLS; VP8
/// WebM is the fallback for browsers that cannot record H.264 (KVS then refuses HLS, as AWS does).
const RECORDING_TYPES: [&str; 2] = ["video/mp4;codecs=avc1", "video/webm;codecs=vp8"];

pub struct Camera {
    stream: MediaStream,
    mime: &'static str,
    recording: Option<Recording>,
}

struct Recording {
    recorder: MediaRecorder,
    chunks: Rc<RefCell<Vec<Blob>>>,
    /// Kept alive as long as the recorder may deliver data.
    on_data: Closure<dyn FnMut(BlobEvent)>,
}

fn js_text(e: JsValue) -> String {
    e.as_string()
        .or_else(|| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())))
        .unwrap_or_else(|| format!("{e:?}"))
}

impl Camera {
    /// A camera filming the canvas at 25 frames per second.
    pub fn from_canvas(canvas: &HtmlCanvasElement) -> Result<Camera, Said> {
        let stream = canvas.capture_stream_with_frame_request_rate(25.0).map_err(|e| Said::Quoted(js_text(e)))?;
        Camera::from_stream(stream)
    }

    pub fn from_stream(stream: MediaStream) -> Result<Camera, Said> {
        let mime = RECORDING_TYPES
            .into_iter()
            .find(|t| MediaRecorder::is_type_supported(t))
            .ok_or(Said::Hint(Text::NoVideoRecorder))?;
        Ok(Camera { stream, mime, recording: None })
    }

    pub fn recording_type(&self) -> &'static str {
        self.mime
    }

    /// Starts a new fragment.
    pub fn start(&mut self) -> Result<(), String> {
        let options = MediaRecorderOptions::new();
        options.set_mime_type(self.mime);
        let recorder =
            MediaRecorder::new_with_media_stream_and_media_recorder_options(&self.stream, &options)
                .map_err(js_text)?;
        let chunks = Rc::new(RefCell::new(Vec::new()));
        let sink = chunks.clone();
        let on_data = Closure::<dyn FnMut(BlobEvent)>::new(move |e: BlobEvent| {
            if let Some(blob) = e.data() {
                sink.borrow_mut().push(blob);
            }
        });
        recorder.set_ondataavailable(Some(on_data.as_ref().unchecked_ref()));
        recorder.start().map_err(js_text)?;
        self.recording = Some(Recording { recorder, chunks, on_data });
        Ok(())
    }

    /// Ends the current fragment; `done` receives its bytes once the browser has encoded them.
    pub fn cut(&mut self, done: impl FnOnce(Result<Vec<u8>, String>) + 'static) {
        let Some(rec) = self.recording.take() else { return };
        let chunks = rec.chunks.clone();
        let on_data = rec.on_data;
        let recorder = rec.recorder.clone();
        let on_stop = Closure::once_into_js(move || {
            // The last dataavailable has fired once stop fires; the handler may go now.
            drop(on_data);
            let parts: Array = chunks.borrow().iter().collect();
            spawn_local(async move {
                let bytes = async {
                    let blob = Blob::new_with_blob_sequence(&parts).map_err(js_text)?;
                    let buffer = JsFuture::from(blob.array_buffer()).await.map_err(js_text)?;
                    Ok(Uint8Array::new(buffer.unchecked_ref::<ArrayBuffer>()).to_vec())
                };
                done(bytes.await);
            });
        });
        recorder.set_onstop(Some(on_stop.unchecked_ref()));
        if let Err(e) = recorder.stop() {
            web_sys::console::warn_1(&e);
        }
    }

    /// Pauses or resumes the current fragment, so media only covers running virtual time.
    pub fn set_paused(&self, paused: bool) {
        if let Some(rec) = &self.recording {
            let result = if paused { rec.recorder.pause() } else { rec.recorder.resume() };
            if let Err(e) = result {
                web_sys::console::warn_1(&e);
            }
        }
    }
}

impl Drop for Camera {
    fn drop(&mut self) {
        if let Some(rec) = self.recording.take() {
            let _ = rec.recorder.stop();
        }
        // Releases the webcam (its light goes off) or the canvas capture.
        for track in self.stream.get_tracks().iter() {
            track.unchecked_into::<web_sys::MediaStreamTrack>().stop();
        }
    }
}

/// Draws the synthetic camera's picture: moving colour bars and the simulated time, so every
/// fragment shows when (in virtual time) it was filmed.
pub fn draw_test_card(ctx: &CanvasRenderingContext2d, width: f64, height: f64, now_ms: u64, label: &str) {
    const BARS: [&str; 7] = ["#c0c0c0", "#c0c000", "#00c0c0", "#00c000", "#c000c0", "#c00000", "#0000c0"];
    let bar = width / BARS.len() as f64;
    let shift = (now_ms % 7_000) as f64 / 7_000.0 * width;
    for (i, colour) in BARS.iter().enumerate() {
        ctx.set_fill_style_str(colour);
        let x = (i as f64 * bar + shift) % width;
        ctx.fill_rect(x, 0.0, bar + 1.0, height * 0.68);
        if x + bar > width {
            ctx.fill_rect(x - width, 0.0, bar + 1.0, height * 0.68);
        }
    }
    ctx.set_fill_style_str("#16191f");
    ctx.fill_rect(0.0, height * 0.68, width, height * 0.32);
    // A ball that crosses the picture every 2 s makes motion easy to see in playback.
    let phase = (now_ms % 2_000) as f64 / 2_000.0;
    ctx.set_fill_style_str("#ff9900");
    ctx.begin_path();
    let _ = ctx.arc(phase * width, height * 0.34, height * 0.08, 0.0, std::f64::consts::TAU);
    ctx.fill();
    ctx.set_fill_style_str("#ffffff");
    ctx.set_font(&format!("600 {}px monospace", (height * 0.11).round()));
    let _ = ctx.fill_text(&crate::engine::clock::format_utc(now_ms), width * 0.04, height * 0.84);
    ctx.set_font(&format!("{}px sans-serif", (height * 0.07).round()));
    let _ = ctx.fill_text(label, width * 0.04, height * 0.95);
}
