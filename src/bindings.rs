//! The JavaScript contract: `new Simulator(seed)`, `advance(ms)`, `nowMs()`, `stateHash()`,
//! `dispatch(target, body)`, built-in producers and consumers (`addProducer`, `addConsumer`,
//! `removeProducer`, `removeConsumer`, `consumerProgress`), and the pieces a Firehose pipeline
//! needs around it: `createBucket`, `putRole`, `putGlueTable`, `listObjects`, `getObject`,
//! `registerLambda`; injected faults: `injectFault`, `clearFault`, `faults`, `faultEvents`; scenarios
//! (`Simulator.fromScenario`, `toScenario`) and snapshots (`snapshot`, `Simulator.restore`).
//!
//! Numbers arrive as JS doubles; anything that is not a whole, non-negative, safe integer is
//! refused with an error naming what is allowed, never truncated silently.

use crate::engine::glue::GlueTable;
use crate::engine::lambda::LambdaFailure;
use crate::engine::sim::Sim;
use std::collections::BTreeMap;
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
    /// Functions registered with `registerLambda`, called when Firehose invokes them.
    lambdas: BTreeMap<String, js_sys::Function>,
}

fn js_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ColumnIn {
    name: String,
    #[serde(rename = "Type")]
    hive_type: String,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct ObjectOut {
    key: String,
    size: u64,
    last_modified: String,
}

#[wasm_bindgen]
impl Simulator {
    #[wasm_bindgen(constructor)]
    pub fn new(seed: f64) -> Result<Simulator, JsError> {
        Ok(Simulator { sim: Sim::new(whole_number("seed", seed)?), lambdas: BTreeMap::new() })
    }

    /// Runs the world for `ms` milliseconds of virtual time. Whenever Firehose invokes a
    /// function registered with `registerLambda`, the function is called right then, at that
    /// virtual instant, and its answer resumes the delivery stream.
    pub fn advance(&mut self, ms: f64) -> Result<(), JsError> {
        let until = self.sim.now_ms().saturating_add(whole_number("ms", ms)?);
        loop {
            self.answer_invocations();
            if !self.sim.advance_until_invocation(until) {
                return Ok(());
            }
        }
    }

    /// Calls the registered JavaScript function of every waiting invocation. A throw is an
    /// Unhandled function error; an answer that is not a JSON value Firehose can read fails
    /// Firehose's response checks (Lambda.JsonProcessingException), as in AWS.
    fn answer_invocations(&mut self) {
        for pending in self.sim.pending_invocations() {
            let Some(f) = self.lambdas.get(&pending.function_name) else { continue };
            let event = js_sys::JSON::parse(&pending.payload_json).unwrap_or(JsValue::NULL);
            let result = match f.call1(&JsValue::NULL, &event) {
                Err(e) => Err(LambdaFailure::Unhandled(
                    js_sys::Error::from(e.clone()).message().as_string().filter(|m| !m.is_empty()).or_else(|| e.as_string()).unwrap_or_else(|| "the function threw".into()),
                )),
                Ok(answer) => Ok(js_sys::JSON::stringify(&answer).ok().and_then(|s| s.as_string()).unwrap_or_default()),
            };
            // The id comes from the engine's own list, so completing it cannot fail.
            let _ = self.sim.complete_invocation(pending.id, result);
        }
    }

    /// Bytes of linear memory the engine's module holds (the `WebAssembly.Memory` buffer's
    /// byte length, which never shrinks: the peak so far). `make bench` prints it.
    #[wasm_bindgen(js_name = wasmMemoryBytes)]
    pub fn wasm_memory_bytes() -> f64 {
        (core::arch::wasm32::memory_size(0) as f64) * 65_536.0
    }

    /// Registers `fn(event) => response` as Lambda function `name` (Firehose's transformation
    /// contract). Returns its ARN, `arn:aws:lambda:<region>:<account>:function:<name>`.
    #[wasm_bindgen(js_name = registerLambda)]
    pub fn register_lambda(&mut self, name: &str, function: js_sys::Function) -> Result<String, JsError> {
        // The function's text is its source, kept so exported scenarios carry the code.
        let source = String::from(function.to_string());
        let arn = self.sim.lambda.register_source(name, &source).map_err(js_error)?;
        self.lambdas.insert(name.to_string(), function);
        Ok(arn)
    }

    /// Creates an S3 bucket (AWS's naming rules apply).
    #[wasm_bindgen(js_name = createBucket)]
    pub fn create_bucket(&mut self, name: &str) -> Result<(), JsError> {
        let now = self.sim.now_ms();
        self.sim.s3.create_bucket(name, now).map_err(|e| JsError::new(&format!("{}: {e}", e.code())))
    }

    /// Creates or replaces an IAM role allowing the actions in `allowedActionsJson` (a JSON
    /// array such as `["s3:PutObject","lambda:InvokeFunction"]`). Returns the role's ARN.
    #[wasm_bindgen(js_name = putRole)]
    pub fn put_role(&mut self, name: &str, allowed_actions_json: &str) -> Result<String, JsError> {
        let actions: Vec<String> = serde_json::from_str(allowed_actions_json)
            .map_err(|e| JsError::new(&format!("allowedActionsJson must be a JSON array of strings: {e}")))?;
        self.sim.iam.put_role(name, &actions).map_err(js_error)
    }

    /// Creates or replaces a Glue table; `columnsJson` is `[{"Name":"text","Type":"string"}, ...]`.
    #[wasm_bindgen(js_name = putGlueTable)]
    pub fn put_glue_table(&mut self, database: &str, table: &str, columns_json: &str) -> Result<(), JsError> {
        let columns: Vec<ColumnIn> = serde_json::from_str(columns_json)
            .map_err(|e| JsError::new(&format!("columnsJson must be a JSON array of {{\"Name\",\"Type\"}} objects: {e}")))?;
        let pairs: Vec<(&str, &str)> = columns.iter().map(|c| (c.name.as_str(), c.hive_type.as_str())).collect();
        self.sim.glue.put_table(GlueTable::new(database, table, &pairs).map_err(js_error)?);
        Ok(())
    }

    /// Every object whose key starts with `prefix`, as a JSON array of `{Key, Size,
    /// LastModified}` (LastModified in ISO 8601, as S3 writes it).
    #[wasm_bindgen(js_name = listObjects)]
    pub fn list_objects(&self, bucket: &str, prefix: &str) -> Result<String, JsError> {
        let listing = self.sim.s3.list_objects_v2(bucket, prefix, None).map_err(|e| JsError::new(&format!("{}: {e}", e.code())))?;
        let out: Vec<ObjectOut> = listing
            .contents
            .into_iter()
            .map(|o| ObjectOut { key: o.key, size: o.size, last_modified: crate::engine::clock::format_iso8601_ms(o.last_modified_ms) })
            .collect();
        serde_json::to_string(&out).map_err(js_error)
    }

    /// An object's bytes.
    #[wasm_bindgen(js_name = getObject)]
    pub fn get_object(&self, bucket: &str, key: &str) -> Result<Vec<u8>, JsError> {
        let o = self.sim.s3.get_object(bucket, key).map_err(|e| JsError::new(&format!("{}: {e}", e.code())))?;
        Ok(o.bytes(&self.sim.kinesis.sources).to_vec())
    }

    /// A new simulator built from a scenario document (see docs/scenarios.md). Throws an
    /// Error naming the field's path, the value and what is allowed; nothing else changes.
    /// Lambda functions the scenario brings are registered with their source but run only
    /// once the host supplies them with `registerLambda` (see `lambdaSources`).
    #[wasm_bindgen(js_name = fromScenario)]
    pub fn from_scenario(json: &str) -> Result<Simulator, JsError> {
        Ok(Simulator { sim: Sim::from_scenario(json).map_err(js_error)?, lambdas: BTreeMap::new() })
    }

    /// The world's setup as a scenario document (pretty JSON).
    #[wasm_bindgen(js_name = toScenario)]
    pub fn to_scenario(&self) -> String {
        self.sim.to_scenario()
    }

    /// The whole world's state as JSON, for `Simulator.restore`.
    pub fn snapshot(&self) -> String {
        self.sim.snapshot()
    }

    /// A new simulator in exactly the state `snapshot()` saved (same virtual time and state
    /// hash). Throws when the text is not such a snapshot or was damaged.
    pub fn restore(snapshot: &str) -> Result<Simulator, JsError> {
        Ok(Simulator { sim: Sim::restore(snapshot).map_err(js_error)?, lambdas: BTreeMap::new() })
    }

    /// JavaScript sources the world keeps for its host-run functions, as a JSON array of
    /// `{name, code}`; the host decides whether to run them.
    #[wasm_bindgen(js_name = lambdaSources)]
    pub fn lambda_sources(&self) -> String {
        let sources: Vec<serde_json::Value> = self.sim.lambda.sources().map(|(name, code)| serde_json::json!({ "name": name, "code": code })).collect();
        serde_json::Value::Array(sources).to_string()
    }

    /// The console's playback speed (simulated seconds per real second).
    pub fn speed(&self) -> u32 {
        self.sim.speed()
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

    /// Injects a fault (JSON documented in the README: `kind`, `target`, `startAfterSeconds`,
    /// `durationSeconds`, ...) against an existing target; returns its id (`fault-1`). A bad
    /// fault throws an error naming the field, the value and what is allowed.
    #[wasm_bindgen(js_name = injectFault)]
    pub fn inject_fault(&mut self, fault_json: &str) -> Result<String, JsError> {
        self.sim.inject_fault(fault_json).map_err(|e| JsError::new(&e.0))
    }

    /// Ends a fault now (if active) and removes it from the list; false for an unknown id.
    #[wasm_bindgen(js_name = clearFault)]
    pub fn clear_fault(&mut self, id: &str) -> bool {
        self.sim.clear_fault(id)
    }

    /// The faults as a JSON array: each fault's fields as injected plus `id`, `state`
    /// (`scheduled`, `active`, `ended`), `startsAtMs`, `endsAtMs`, `remainingMs`, `effects`.
    pub fn faults(&self) -> Result<String, JsError> {
        serde_json::to_string(&self.sim.faults()).map_err(js_error)
    }

    /// The fault log as a JSON array, newest first: `{ atMs, fault, kind, change, effects }`.
    #[wasm_bindgen(js_name = faultEvents)]
    pub fn fault_events(&self) -> Result<String, JsError> {
        let events: Vec<_> = self.sim.faults.events().collect();
        serde_json::to_string(&events).map_err(js_error)
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
