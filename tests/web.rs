//! Browser tests: mount yew components in headless Chromium and check the DOM.
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use kinesim::ui::{App, SimClock, TimeControls};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_root() -> Element {
    let doc = document();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    root
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Lets yew render what the last action scheduled.
async fn settle() {
    yew::scheduler::flush().await;
}

fn text(root: &Element, selector: &str) -> String {
    root.query_selector(selector).unwrap().unwrap().text_content().unwrap_or_default()
}

fn click(root: &Element, selector: &str) {
    let el: HtmlElement = root.query_selector(selector).unwrap().unwrap().unchecked_into();
    el.click();
}

#[derive(Properties, PartialEq)]
struct ClockAt {
    ms: u64,
}

#[component]
fn ClockHost(props: &ClockAt) -> Html {
    html! { <SimClock now_ms={props.ms} /> }
}

#[wasm_bindgen_test]
async fn sim_clock_shows_utc_date_time() {
    let root = fresh_root();
    yew::Renderer::<ClockHost>::with_root_and_props(root.clone(), ClockAt { ms: 1_767_225_600_000 + 3_723_000 })
        .render();
    settle().await;
    assert_eq!(text(&root, "[data-testid=sim-clock]"), "2026-01-01 01:02:03 UTC");
}

#[component]
fn ControlsHost() -> Html {
    let speed = use_state(|| 1u32);
    let on_speed = {
        let speed = speed.clone();
        Callback::from(move |s| speed.set(s))
    };
    html! {
        <TimeControls playing={false} speed={*speed} on_toggle={Callback::noop()}
                      on_step={Callback::noop()} on_speed={on_speed} />
    }
}

#[wasm_bindgen_test]
async fn time_controls_offer_five_speeds_and_mark_the_chosen_one() {
    let root = fresh_root();
    yew::Renderer::<ControlsHost>::with_root(root.clone()).render();
    settle().await;
    let labels: Vec<String> = (0..5)
        .map(|i| {
            let list = root.query_selector_all(".speed button").unwrap();
            list.item(i).unwrap().text_content().unwrap()
        })
        .collect();
    assert_eq!(labels, ["×1", "×10", "×60", "×600", "×3600"]);
    click(&root, "[data-testid=speed-600]");
    settle().await;
    let chosen = root.query_selector("[data-testid=speed-600]").unwrap().unwrap();
    assert_eq!(chosen.get_attribute("aria-pressed").as_deref(), Some("true"));
    assert_eq!(text(&root, "[aria-pressed=true].btn-seg"), "×600");
}

#[wasm_bindgen_test]
async fn app_steps_and_plays_the_virtual_clock() {
    let root = fresh_root();
    yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;
    assert_eq!(text(&root, "[data-testid=sim-clock]"), "2026-01-01 00:00:00 UTC");
    for area in ["Data Streams", "Firehose", "S3", "Metrics"] {
        assert!(text(&root, ".console").contains(area), "missing area {area}");
    }

    click(&root, "[data-testid=step]");
    settle().await;
    assert_eq!(text(&root, "[data-testid=sim-clock]"), "2026-01-01 00:00:01 UTC");

    click(&root, "[data-testid=speed-3600]");
    click(&root, "[data-testid=play-toggle]");
    settle().await;
    assert_eq!(text(&root, "[data-testid=play-toggle]").trim_start_matches("❚❚ "), "Pause");
    // A few animation frames at x3600 move the clock by minutes.
    TimeoutFuture::new(300).await;
    settle().await;
    let later = text(&root, "[data-testid=sim-clock]");
    assert!(later.as_str() > "2026-01-01 00:00:01 UTC", "clock did not move: {later}");
}

mod lambda_worker {
    use gloo_timers::future::TimeoutFuture;
    use kinesim::engine::lambda::LambdaFailure;
    use kinesim::ui::lambda_worker::invoke;
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen_test::*;

    /// Runs `source` in a worker and waits (polling) for its outcome.
    async fn run(source: &str, timeout_ms: u32) -> Result<String, LambdaFailure> {
        let slot: Rc<RefCell<Option<Result<String, LambdaFailure>>>> = Rc::default();
        let sink = Rc::clone(&slot);
        invoke(source, r#"{"records":[{"recordId":"1","data":"aG9sYQ=="}]}"#, timeout_ms, move |r| *sink.borrow_mut() = Some(r));
        for _ in 0..200 {
            if let Some(r) = slot.borrow_mut().take() {
                return r;
            }
            TimeoutFuture::new(25).await;
        }
        panic!("the worker never reported");
    }

    #[wasm_bindgen_test]
    async fn a_function_answers_from_its_worker() {
        let out = run("(event) => ({ records: event.records.map((r) => ({ recordId: r.recordId, result: 'Ok', data: r.data })) })", 2_000).await;
        assert_eq!(out, Ok(r#"{"records":[{"recordId":"1","result":"Ok","data":"aG9sYQ=="}]}"#.to_string()));
    }

    #[wasm_bindgen_test]
    async fn a_throw_is_an_unhandled_error() {
        assert_eq!(run("() => { throw new Error('boom') }", 2_000).await, Err(LambdaFailure::Unhandled("Error: boom".into())));
        assert!(matches!(run("not a function", 2_000).await, Err(LambdaFailure::Unhandled(_))));
    }

    #[wasm_bindgen_test]
    async fn an_endless_loop_times_out_without_freezing_the_page() {
        assert_eq!(run("() => { for (;;) {} }", 300).await, Err(LambdaFailure::Timeout));
    }
}

mod user_lambdas {
    use gloo_timers::future::TimeoutFuture;
    use kinesim::engine::sim::Sim;
    use kinesim::ui::SimHandle;
    use std::cell::RefCell;
    use std::collections::BTreeMap;
    use std::rc::Rc;
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    async fn the_page_answers_user_lambdas_from_workers() {
        let sim = Rc::new(RefCell::new(Sim::new(1)));
        {
            let mut w = sim.borrow_mut();
            let now = w.now_ms();
            w.s3.create_bucket("kinesim-bucket", now).unwrap();
            let role = w.iam.put_role("r", &["s3:PutObject".into(), "lambda:InvokeFunction".into()]).unwrap();
            w.lambda.register_external("shout").unwrap();
            let create = format!(
                r#"{{"DeliveryStreamName":"d","ExtendedS3DestinationConfiguration":{{"RoleARN":"{role}","BucketARN":"arn:aws:s3:::kinesim-bucket","BufferingHints":{{"SizeInMBs":1,"IntervalInSeconds":0}},"ProcessingConfiguration":{{"Enabled":true,"Processors":[{{"Type":"Lambda","Parameters":[{{"ParameterName":"LambdaArn","ParameterValue":"arn:aws:lambda:us-east-1:123456789012:function:shout"}},{{"ParameterName":"BufferIntervalInSeconds","ParameterValue":"0"}}]}}]}}}}}}"#
            );
            assert_eq!(w.dispatch("Firehose_20150804.CreateDeliveryStream", create.as_bytes()).status, 200);
            assert_eq!(w.dispatch("Firehose_20150804.PutRecord", br#"{"DeliveryStreamName":"d","Record":{"Data":"aG9sYQ=="}}"#).status, 200);
        }
        let handle = SimHandle::new(Rc::clone(&sim), yew::Callback::noop());
        let sources = BTreeMap::from([(
            "shout".to_string(),
            "(e) => ({ records: e.records.map((r) => ({ recordId: r.recordId, result: 'Ok', data: btoa(atob(r.data).toUpperCase()) })) })".to_string(),
        )]);
        handle.run_user_lambdas(&sources, 2_000);
        handle.run_user_lambdas(&sources, 2_000); // already running: not sent twice
        for _ in 0..200 {
            if sim.borrow().pending_invocations().is_empty() {
                break;
            }
            TimeoutFuture::new(25).await;
        }
        sim.borrow_mut().advance(1_000);
        let w = sim.borrow();
        let listing = w.s3.list_objects_v2("kinesim-bucket", "", None).unwrap();
        assert_eq!(listing.contents.len(), 1);
        assert_eq!(w.s3.get_object("kinesim-bucket", &listing.contents[0].key).unwrap().body, b"HOLA");
    }
}
