//! The JavaScript contract: `new Simulator(seed)`, `advance(ms)`, `nowMs()`, `stateHash()`,
//! `dispatch(target, body)`, and built-in producers and consumers (`addProducer`,
//! `addConsumer`, `removeProducer`, `removeConsumer`, `consumerProgress`).
//!
//! Numbers arrive as JS doubles; anything that is not a whole, non-negative, safe integer is
//! refused with an error naming what is allowed, never truncated silently.

use crate::engine::sim::Sim;
use wasm_bindgen::prelude::*;

/// 2^53 - 1: the largest integer a JS number holds exactly.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

fn whole_number(name: &str, value: f64) -> Result<u64, JsError> {
    if (0.0..=MAX_SAFE_INTEGER).contains(&value) && value.fract() == 0.0 {
        Ok(value as u64)
    } else {
        Err(JsError::new(&format!(
            "{name} must be a whole number from 0 to {MAX_SAFE_INTEGER}; got {value}"
        )))
    }
}

#[wasm_bindgen]
pub struct Simulator {
    sim: Sim,
}

#[wasm_bindgen]
impl Simulator {
    #[wasm_bindgen(constructor)]
    pub fn new(seed: f64) -> Result<Simulator, JsError> {
        Ok(Simulator { sim: Sim::new(whole_number("seed", seed)?) })
    }

    /// Runs the world for `ms` milliseconds of virtual time.
    pub fn advance(&mut self, ms: f64) -> Result<(), JsError> {
        self.sim.advance(whole_number("ms", ms)?);
        Ok(())
    }

    #[wasm_bindgen(js_name = nowMs)]
    pub fn now_ms(&self) -> f64 {
        self.sim.now_ms() as f64
    }

    #[wasm_bindgen(js_name = stateHash)]
    pub fn state_hash(&self) -> String {
        self.sim.state_hash()
    }

    /// One AWS API call: `target` as in the `X-Amz-Target` header (`Kinesis_20131202.PutRecord`),
    /// `body` the JSON request. Returns `{ status, body }` as AWS would answer, errors included.
    #[wasm_bindgen(unchecked_return_type = "{ status: number, body: string }")]
    pub fn dispatch(&mut self, target: &str, body: &str) -> Result<JsValue, JsError> {
        let response = self.sim.dispatch(target, body.as_bytes());
        serde_wasm_bindgen::to_value(&response).map_err(|e| JsError::new(&e.to_string()))
    }

    /// Adds a built-in producer from its JSON configuration (see the README); returns its id.
    /// A bad configuration throws an error naming the field, the value and what is allowed.
    #[wasm_bindgen(js_name = addProducer)]
    pub fn add_producer(&mut self, config_json: &str) -> Result<String, JsError> {
        self.sim.add_producer(config_json).map_err(|e| JsError::new(&e.0))
    }

    /// Adds a built-in consumer from its JSON configuration (see the README); returns its id.
    #[wasm_bindgen(js_name = addConsumer)]
    pub fn add_consumer(&mut self, config_json: &str) -> Result<String, JsError> {
        self.sim.add_consumer(config_json).map_err(|e| JsError::new(&e.0))
    }

    /// A producer's metrics as JSON: attempted, succeeded, throttled, retried, failed,
    /// inFlight, putCalls, latencyMsTotal, latencyMsMax, lastError.
    #[wasm_bindgen(js_name = producerMetrics)]
    pub fn producer_metrics(&self, id: &str) -> Result<String, JsError> {
        let producer = self.sim.producers.get(id).ok_or_else(|| JsError::new(&format!("No producer with id {id}")))?;
        serde_json::to_string(&producer.metrics).map_err(|e| JsError::new(&e.to_string()))
    }

    /// Starts (`true`) or stops (`false`) a producer; false when there is no such producer.
    #[wasm_bindgen(js_name = setProducerRunning)]
    pub fn set_producer_running(&mut self, id: &str, running: bool) -> bool {
        self.sim.set_producer_running(id, running)
    }

    /// Removes a producer; false when there is no producer with that id.
    #[wasm_bindgen(js_name = removeProducer)]
    pub fn remove_producer(&mut self, id: &str) -> bool {
        self.sim.remove_producer(id)
    }

    /// Removes a consumer; false when there is no consumer with that id.
    #[wasm_bindgen(js_name = removeConsumer)]
    pub fn remove_consumer(&mut self, id: &str) -> bool {
        self.sim.remove_consumer(id)
    }

    /// A consumer's progress as JSON: per shard the records processed, last sequence number,
    /// lag in ms, duplicates and records lost to retention, plus totals.
    #[wasm_bindgen(js_name = consumerProgress)]
    pub fn consumer_progress(&mut self, id: &str) -> Result<String, JsError> {
        self.sim.consumer_progress(id).ok_or_else(|| JsError::new(&format!("No consumer with id {id}")))
    }

    /// Kinesis Video PutMedia for one fragment (a self-contained fMP4 or WebM recording)
    /// arriving now. Returns the acknowledgement as JSON (`{"EventType":"PERSISTED",
    /// "FragmentNumber":..., "FragmentTimecode":...}`); throws AWS's error otherwise.
    #[wasm_bindgen(js_name = putMedia)]
    pub fn put_media(
        &mut self,
        stream_name: &str,
        producer_timestamp_ms: f64,
        duration_ms: f64,
        media: Vec<u8>,
    ) -> Result<String, JsError> {
        let producer = whole_number("producerTimestampMs", producer_timestamp_ms)?;
        let duration = whole_number("durationMs", duration_ms)?;
        let ack = self
            .sim
            .put_media(stream_name, producer, duration, media)
            .map_err(|e| JsError::new(&format!("{}: {e}", e.aws_type())))?;
        serde_json::to_string(&ack).map_err(|e| JsError::new(&e.to_string()))
    }

    /// Kinesis Video GetMediaForFragmentList: the media of the listed fragments, in order.
    #[wasm_bindgen(js_name = getMediaForFragmentList)]
    pub fn get_media_for_fragment_list(&self, stream_name: &str, fragments: Vec<String>) -> Result<Vec<u8>, JsError> {
        let found = self
            .sim
            .video
            .fragments_by_number(stream_name, &fragments)
            .map_err(|e| JsError::new(&format!("{}: {e}", e.aws_type())))?;
        Ok(found.iter().flat_map(|f| f.media.iter().copied()).collect())
    }
}

/// Mounts the console into the element with id `root_id` (or `<body>` when absent), so an
/// embedding page decides where Kinesim lives.
#[wasm_bindgen(js_name = mountApp)]
pub fn mount_app(root_id: Option<String>) {
    let document = web_sys::window().and_then(|w| w.document());
    let host = root_id
        .and_then(|id| document.as_ref().and_then(|d| d.get_element_by_id(&id)));
    match host {
        Some(el) => yew::Renderer::<crate::ui::App>::with_root(el).render(),
        None => yew::Renderer::<crate::ui::App>::new().render(),
    };
}
