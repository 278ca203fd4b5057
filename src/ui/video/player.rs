//! Browser host for HLS playback: fragments go into a Media Source Extensions buffer in
//! `sequence` mode, so each self-contained fragment plays right after the previous one, as a
//! player following a KVS media playlist with discontinuity tags does.

use std::cell::RefCell;
use std::collections::{BTreeSet, VecDeque};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlVideoElement, MediaSource, SourceBuffer, SourceBufferAppendMode, Url};

#[derive(Default)]
struct Queue {
    buffer: Option<SourceBuffer>,
    pending: VecDeque<Vec<u8>>,
    seen: BTreeSet<String>,
    appended: usize,
    finish_requested: bool,
    finished: bool,
    error: Option<String>,
}

pub struct Player {
    media_source: MediaSource,
    object_url: String,
    queue: Rc<RefCell<Queue>>,
    /// Event handlers stay alive as long as the player does.
    _on_open: Closure<dyn FnMut()>,
    _on_update_end: Rc<Closure<dyn FnMut()>>,
}

fn pump(media_source: &MediaSource, q: &mut Queue) {
    let Some(buffer) = q.buffer.clone() else { return };
    if buffer.updating() || q.error.is_some() {
        return;
    }
    if let Some(mut bytes) = q.pending.pop_front() {
        match buffer.append_buffer_with_u8_array(&mut bytes) {
            Ok(()) => q.appended += 1,
            Err(e) => q.error = Some(format!("The browser refused a fragment: {e:?}")),
        }
    } else if q.finish_requested && !q.finished && media_source.ready_state() == web_sys::MediaSourceReadyState::Open {
        q.finished = media_source.end_of_stream().is_ok();
    }
}

impl Player {
    /// Attaches a new media source for `mse_type` (e.g. `video/mp4; codecs="avc1.42C01F"`);
    /// `on_progress` runs whenever the browser has taken in another fragment.
    pub fn attach(video: &HtmlVideoElement, mse_type: &str, on_progress: impl Fn() + 'static) -> Result<Player, String> {
        if !MediaSource::is_type_supported(mse_type) {
            return Err(format!("This browser cannot play {mse_type} through Media Source Extensions."));
        }
        let media_source = MediaSource::new().map_err(|e| format!("{e:?}"))?;
        let object_url = Url::create_object_url_with_source(&media_source).map_err(|e| format!("{e:?}"))?;
        let queue = Rc::new(RefCell::new(Queue::default()));

        let on_update_end = {
            let (ms, q) = (media_source.clone(), queue.clone());
            Rc::new(Closure::<dyn FnMut()>::new(move || {
                pump(&ms, &mut q.borrow_mut());
                on_progress();
            }))
        };
        let on_open = {
            let (ms, q, update_end, mse_type) =
                (media_source.clone(), queue.clone(), on_update_end.clone(), mse_type.to_string());
            Closure::<dyn FnMut()>::new(move || {
                let mut q = q.borrow_mut();
                match ms.add_source_buffer(&mse_type) {
                    Ok(buffer) => {
                        buffer.set_mode(SourceBufferAppendMode::Sequence);
                        buffer.set_onupdateend(Some((*update_end).as_ref().unchecked_ref()));
                        q.buffer = Some(buffer);
                        pump(&ms, &mut q);
                    }
                    Err(e) => q.error = Some(format!("The browser could not open a buffer for {mse_type}: {e:?}")),
                }
            })
        };
        media_source.set_onsourceopen(Some(on_open.as_ref().unchecked_ref()));
        video.set_src(&object_url);
        Ok(Player { media_source, object_url, queue, _on_open: on_open, _on_update_end: on_update_end })
    }

    /// Queues a fragment unless this player already has it.
    pub fn enqueue(&self, fragment_number: &str, bytes: Vec<u8>) {
        let mut q = self.queue.borrow_mut();
        if q.seen.insert(fragment_number.to_string()) {
            q.pending.push_back(bytes);
            pump(&self.media_source, &mut q);
        }
    }

    pub fn has(&self, fragment_number: &str) -> bool {
        self.queue.borrow().seen.contains(fragment_number)
    }

    /// Ends the stream once everything queued is in (ON_DEMAND playlists end).
    pub fn finish(&self) {
        let mut q = self.queue.borrow_mut();
        q.finish_requested = true;
        pump(&self.media_source, &mut q);
    }

    pub fn appended(&self) -> usize {
        self.queue.borrow().appended
    }

    pub fn error(&self) -> Option<String> {
        self.queue.borrow().error.clone()
    }
}

impl Drop for Player {
    fn drop(&mut self) {
        let _ = Url::revoke_object_url(&self.object_url);
    }
}
