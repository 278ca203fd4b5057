//! Runs user-written Lambda functions for the page: each invocation in its own Web Worker
//! (script `www/lambda-worker.js`, embedded here and started from a Blob URL), with a
//! wall-clock timeout like Lambda's. A function that throws reports Unhandled, one that never
//! returns is killed with `terminate()` and reports Timeout, so the page never freezes and the
//! engine turns either into ProcessingFailed records after Firehose's retries.

use crate::engine::lambda::LambdaFailure;
use gloo_timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, MessageEvent, Url, Worker};

const WORKER_SCRIPT: &str = include_str!("../../www/lambda-worker.js");

type Done = Box<dyn FnOnce(Result<String, LambdaFailure>)>;

/// One running invocation. Dropping it does not stop the worker; the timeout does.
struct Run {
    worker: Worker,
    done: Option<Done>,
    _timeout: Option<Timeout>,
    _on_message: Option<Closure<dyn FnMut(MessageEvent)>>,
    _on_error: Option<Closure<dyn FnMut(web_sys::Event)>>,
}

impl Run {
    fn finish(&mut self, result: Result<String, LambdaFailure>) {
        self.worker.terminate();
        // The callbacks hold this run; dropping them later (not from inside one of them, which
        // wasm-bindgen forbids) breaks that cycle so nothing leaks.
        let callbacks = (self._timeout.take(), self._on_message.take(), self._on_error.take());
        Timeout::new(0, move || drop(callbacks)).forget();
        if let Some(done) = self.done.take() {
            done(result);
        }
    }
}

/// Runs `source` (a JS function expression) on `payload_json` (Firehose's event) in a new
/// worker; `done` gets the response JSON or the failure, exactly once. Lambda allows up to
/// 5 minutes; a teaching page wants a stuck function shown far sooner, so callers pass seconds.
pub fn invoke(source: &str, payload_json: &str, timeout_ms: u32, done: impl FnOnce(Result<String, LambdaFailure>) + 'static) {
    let worker = match start_worker() {
        Ok(w) => w,
        Err(e) => return done(Err(LambdaFailure::Unhandled(format!("the worker could not start: {e:?}")))),
    };
    let run = Rc::new(RefCell::new(Run { worker: worker.clone(), done: Some(Box::new(done)), _timeout: None, _on_message: None, _on_error: None }));

    let on_message = {
        let run = Rc::clone(&run);
        Closure::<dyn FnMut(MessageEvent)>::new(move |m: MessageEvent| {
            let field = |k: &str| js_sys::Reflect::get(&m.data(), &JsValue::from_str(k)).ok().and_then(|v| v.as_string());
            let result = match (field("ok"), field("error")) {
                (Some(ok), _) => Ok(ok),
                (None, Some(error)) => Err(LambdaFailure::Unhandled(error)),
                (None, None) => Ok(String::new()),
            };
            run.borrow_mut().finish(result);
        })
    };
    let on_error = {
        let run = Rc::clone(&run);
        Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            run.borrow_mut().finish(Err(LambdaFailure::Unhandled("the worker failed to run the function".into())));
        })
    };
    let timeout = {
        let run = Rc::clone(&run);
        Timeout::new(timeout_ms, move || run.borrow_mut().finish(Err(LambdaFailure::Timeout)))
    };
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let message = js_sys::Object::new();
    let event = js_sys::JSON::parse(payload_json).unwrap_or(JsValue::NULL);
    let _ = js_sys::Reflect::set(&message, &JsValue::from_str("source"), &JsValue::from_str(source));
    let _ = js_sys::Reflect::set(&message, &JsValue::from_str("event"), &event);
    let posted = worker.post_message(&message);
    {
        let mut r = run.borrow_mut();
        r._timeout = Some(timeout);
        r._on_message = Some(on_message);
        r._on_error = Some(on_error);
    }
    if let Err(e) = posted {
        run.borrow_mut().finish(Err(LambdaFailure::Unhandled(format!("the event could not be sent to the worker: {e:?}"))));
    }
}

fn start_worker() -> Result<Worker, JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(WORKER_SCRIPT));
    let options = BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    let worker = Worker::new(&url);
    Url::revoke_object_url(&url)?;
    worker
}
