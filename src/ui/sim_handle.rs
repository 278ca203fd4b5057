//! How components reach the world: they read it through the handle and change it only
//! through AWS actions (`dispatch`) or host input (`put_media`), then the app re-renders.

use crate::engine::api::ApiResponse;
use crate::engine::sim::Sim;
use crate::engine::video::error::VideoError;
use crate::engine::video::FragmentAck;
use serde_json::Value;
use std::cell::{Ref, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;
use yew::Callback;

#[derive(Clone)]
pub struct SimHandle {
    sim: Rc<RefCell<Sim>>,
    changed: Callback<()>,
    /// Invocations of user Lambdas already handed to a worker, not yet answered.
    running: Rc<RefCell<BTreeSet<u64>>>,
}

/// One handle per world: equal when they share the world, so passing it never re-renders.
impl PartialEq for SimHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.sim, &other.sim)
    }
}

/// An AWS error as the console shows it: `__type` and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub kind: String,
    pub message: String,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

impl SimHandle {
    pub fn new(sim: Rc<RefCell<Sim>>, changed: Callback<()>) -> Self {
        Self { sim, changed, running: Rc::default() }
    }

    /// Hands every waiting invocation of a user-written function (`sources`: function name to
    /// JavaScript source) to its own Web Worker; each answer, or its Timeout, completes the
    /// invocation and redraws. The delivery stream waits meanwhile; nothing else does.
    pub fn run_user_lambdas(&self, sources: &BTreeMap<String, String>, timeout_ms: u32) {
        let pending = self.sim.borrow().pending_invocations();
        for p in pending {
            let Some(source) = sources.get(&p.function_name) else { continue };
            if !self.running.borrow_mut().insert(p.id) {
                continue;
            }
            let (sim, changed, running) = (Rc::clone(&self.sim), self.changed.clone(), Rc::clone(&self.running));
            super::lambda_worker::invoke(source, &p.payload_json, timeout_ms, move |result| {
                running.borrow_mut().remove(&p.id);
                // The world may have been replaced meanwhile; an unknown id is then harmless.
                let _ = sim.borrow_mut().complete_invocation(p.id, result);
                changed.emit(());
            });
        }
    }

    pub fn read(&self) -> Ref<'_, Sim> {
        self.sim.borrow()
    }

    /// Runs an AWS action that changes the world, then asks the app to redraw.
    pub fn call(&self, target: &str, body: &Value) -> Result<Value, ApiError> {
        let answer = self.query(target, body);
        self.changed.emit(());
        answer
    }

    /// Runs an AWS action that only reads (a playlist, a description): safe inside `view`.
    pub fn query(&self, target: &str, body: &Value) -> Result<Value, ApiError> {
        let ApiResponse { status, body } = self.sim.borrow_mut().dispatch(target, body.to_string().as_bytes());
        let parsed: Value = serde_json::from_str(&body).unwrap_or(Value::String(body));
        if status == 200 {
            return Ok(parsed);
        }
        let field = |k: &str| parsed.get(k).and_then(Value::as_str).map(str::to_string);
        Err(ApiError {
            kind: field("__type").unwrap_or_else(|| format!("HTTP {status}")),
            message: field("message").or_else(|| field("Message")).unwrap_or_default(),
        })
    }

    pub fn put_media(&self, stream: &str, producer_ms: u64, duration_ms: u64, media: Vec<u8>) -> Result<FragmentAck, VideoError> {
        self.act(|sim| sim.put_media(stream, producer_ms, duration_ms, media))
    }

    /// Changes the world through one of its own operations (adding a producer, stopping a
    /// consumer), then asks the app to redraw.
    pub fn act<R>(&self, change: impl FnOnce(&mut Sim) -> R) -> R {
        let result = change(&mut self.sim.borrow_mut());
        self.changed.emit(());
        result
    }

    /// A consumer's progress as its JSON read-model (the JS `consumerProgress`); it refreshes
    /// loss counts, hence the mutable borrow, but changes nothing a view shows.
    pub fn consumer_progress(&self, id: &str) -> Option<Value> {
        let text = self.sim.borrow_mut().consumer_progress(id)?;
        serde_json::from_str(&text).ok()
    }
}
