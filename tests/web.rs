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

#[derive(Properties, PartialEq)]
struct LaggingClock {
    reached: Option<u32>,
}

#[component]
fn LaggingClockHost(props: &LaggingClock) -> Html {
    html! { <SimClock now_ms={0} reached_speed={props.reached} /> }
}

#[wasm_bindgen_test]
async fn sim_clock_says_the_speed_reached_only_when_it_falls_short() {
    let root = fresh_root();
    yew::Renderer::<LaggingClockHost>::with_root_and_props(root.clone(), LaggingClock { reached: Some(850) }).render();
    settle().await;
    assert_eq!(text(&root, "[data-testid=speed-reached]"), "Actual speed ×850");

    let keeping_up = fresh_root();
    yew::Renderer::<LaggingClockHost>::with_root_and_props(keeping_up.clone(), LaggingClock { reached: None }).render();
    settle().await;
    assert!(keeping_up.query_selector("[data-testid=speed-reached]").unwrap().is_none());
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

mod streams_console {
    use super::*;
    use kinesim::engine::sim::Sim;
    use kinesim::ui::streams::{CreateStreamWizard, DataViewer, HashKeySpace};
    use kinesim::ui::SimHandle;
    use std::cell::RefCell;
    use std::rc::Rc;
    use web_sys::{Event, EventInit, HtmlInputElement};

    fn handle(sim: Sim) -> SimHandle {
        SimHandle::new(Rc::new(RefCell::new(sim)), Callback::noop())
    }

    /// A world with an ACTIVE provisioned stream `s` of `shards` shards.
    fn world_with_stream(shards: u32) -> SimHandle {
        let mut sim = Sim::new(1);
        let body = format!(r#"{{"StreamName":"s","ShardCount":{shards}}}"#);
        assert_eq!(sim.dispatch("Kinesis_20131202.CreateStream", body.as_bytes()).status, 200);
        sim.advance(60_000);
        handle(sim)
    }

    /// Types into an input as a person does: the value changes, then an `input` event fires.
    fn type_into(root: &Element, selector: &str, text: &str) {
        let input: HtmlInputElement = root.query_selector(selector).unwrap().unwrap().unchecked_into();
        input.set_value(text);
        let init = EventInit::new();
        init.set_bubbles(true);
        input.dispatch_event(&Event::new_with_event_init_dict("input", &init).unwrap()).unwrap();
    }

    fn exists(root: &Element, selector: &str) -> bool {
        root.query_selector(selector).unwrap().is_some()
    }

    #[derive(Properties, PartialEq)]
    struct Host {
        sim: SimHandle,
    }

    #[component]
    fn WizardHost(props: &Host) -> Html {
        html! { <CreateStreamWizard sim={props.sim.clone()} on_back={Callback::noop()} on_created={Callback::noop()} /> }
    }

    #[wasm_bindgen_test]
    async fn wizard_validates_the_name_with_aws_rules_and_shows_capacity() {
        let root = fresh_root();
        yew::Renderer::<WizardHost>::with_root_and_props(root.clone(), Host { sim: handle(Sim::new(1)) }).render();
        settle().await;
        assert!(!exists(&root, "[data-testid=wizard-problem]"), "the default name is valid");
        type_into(&root, "[data-testid=stream-name]", "bad name");
        settle().await;
        assert_eq!(
            text(&root, "[data-testid=wizard-problem]"),
            "1 validation error detected: Value 'bad name' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
        );
        let submit: HtmlElement = root.query_selector("[data-testid=create-stream-submit]").unwrap().unwrap().unchecked_into();
        assert!(submit.has_attribute("disabled"));
        type_into(&root, "[data-testid=stream-name]", &"x".repeat(129));
        settle().await;
        assert!(text(&root, "[data-testid=wizard-problem]").contains("Member must have length less than or equal to 128"));
        type_into(&root, "[data-testid=stream-name]", "test_kinesis_stream");
        type_into(&root, "[data-testid=shard-count]", "3");
        settle().await;
        assert!(!exists(&root, "[data-testid=wizard-problem]"));
        assert_eq!(text(&root, "[data-testid=capacity]"), "Write capacity3 MiB/s · 3000 records/sRead capacity (shared by polling readers)6 MiB/s");
    }

    #[derive(Properties, PartialEq)]
    struct StreamHost {
        sim: SimHandle,
        shard_ids: Vec<String>,
    }

    #[component]
    fn LookupHost(props: &StreamHost) -> Html {
        html! { <HashKeySpace sim={props.sim.clone()} stream="s" revision={0} /> }
    }

    #[wasm_bindgen_test]
    async fn hash_key_lookup_finds_the_shard_aws_would_pick() {
        let root = fresh_root();
        let props = StreamHost { sim: world_with_stream(3), shard_ids: vec![] };
        yew::Renderer::<LookupHost>::with_root_and_props(root.clone(), props).render();
        settle().await;
        // The reference's worked example: key "b" lands on shard 1 of a 3-shard stream.
        type_into(&root, "[data-testid=lookup-key]", "b");
        settle().await;
        assert_eq!(text(&root, "[data-testid=lookup-md5]"), "92eb5ffee6ae2fec3ad71c777531578f");
        assert_eq!(text(&root, "[data-testid=lookup-shard]"), "shardId-000000000001");
        type_into(&root, "[data-testid=lookup-key]", "e");
        settle().await;
        assert_eq!(text(&root, "[data-testid=lookup-shard]"), "shardId-000000000002");
    }

    #[component]
    fn ViewerHost(props: &StreamHost) -> Html {
        html! { <DataViewer sim={props.sim.clone()} stream="s" shard_ids={props.shard_ids.clone()} /> }
    }

    #[wasm_bindgen_test]
    async fn data_viewer_pages_through_a_shard() {
        let sim = world_with_stream(1);
        for i in 0..25 {
            let body = serde_json::json!({ "StreamName": "s", "PartitionKey": format!("k{i}"), "Data": "eyJuIjoxfQ==" });
            sim.call("Kinesis_20131202.PutRecord", &body).unwrap();
        }
        let root = fresh_root();
        let props = StreamHost { sim, shard_ids: vec!["shardId-000000000000".into()] };
        yew::Renderer::<ViewerHost>::with_root_and_props(root.clone(), props).render();
        settle().await;
        click(&root, "[data-testid=viewer-iterator]");
        settle().await;
        let mut keys = Vec::new();
        for expected in [10, 10, 5] {
            click(&root, "[data-testid=viewer-next]");
            settle().await;
            let rows = root.query_selector_all("[data-testid=viewer-records] tbody tr").unwrap();
            assert_eq!(rows.length(), expected);
            for i in 0..rows.length() {
                let row: Element = rows.item(i).unwrap().unchecked_into();
                keys.push(row.query_selector("td:nth-child(3)").unwrap().unwrap().text_content().unwrap());
            }
        }
        let want: Vec<String> = (0..25).map(|i| format!("k{i}")).collect();
        assert_eq!(keys, want, "every record once, in sequence order");
        click(&root, "[data-testid=viewer-next]");
        settle().await;
        assert_eq!(text(&root, "[data-testid=viewer-empty]"), "No records in this page.");
    }
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
        assert_eq!(&w.s3.get_object("kinesim-bucket", &listing.contents[0].key).unwrap().bytes(&w.kinesis.sources)[..], b"HOLA");
    }
}

/// The frame pacer, driven by frames 1/60 s apart and a fake real-time clock.
mod frame_pacer {
    use super::*;
    use kinesim::ui::FramePacer;
    use std::cell::Cell;

    const FRAME_MS: f64 = 1_000.0 / 60.0;

    #[derive(Default)]
    struct Host {
        pacer: FramePacer,
        frames: u32,
    }

    impl Host {
        /// Runs `frames` frames at `speed` with an engine budget of 8 ms, the engine costing
        /// `cost_per_virtual_s` real ms per virtual second; returns the virtual time run and
        /// the longest real time one frame's engine took.
        fn run(&mut self, frames: u32, speed: u32, cost_per_virtual_s: f64) -> (u64, f64) {
            let real = Cell::new(0.0);
            let (mut ran, mut longest) = (0, 0.0f64);
            for _ in 0..frames {
                let frame_ms = f64::from(self.frames) * FRAME_MS;
                self.frames += 1;
                real.set(frame_ms);
                let advance = |ms: u64| real.set(real.get() + ms as f64 * cost_per_virtual_s / 1_000.0);
                ran += self.pacer.frame(frame_ms, speed, 8.0, || real.get(), advance);
                longest = longest.max(real.get() - frame_ms);
            }
            (ran, longest)
        }
    }

    #[wasm_bindgen_test]
    fn a_cheap_world_runs_at_the_chosen_speed() {
        let mut host = Host::default();
        let (ran, _) = host.run(121, 60, 1.0);
        // 120 frame intervals at x60: two virtual minutes, less the fraction still owed.
        assert!((119_000..=120_000).contains(&ran), "ran {ran} virtual ms");
        assert_eq!(host.pacer.lagging_speed(), None);
    }

    #[wasm_bindgen_test]
    fn a_costly_world_keeps_each_frame_within_its_budget_and_says_how_fast_it_runs() {
        let mut host = Host::default();
        // 10 real ms per virtual second: x3600 would need 36 s of work per real second.
        let (ran, longest) = host.run(121, 3_600, 10.0);
        assert!(longest <= 9.0, "a frame's engine took {longest} ms of an 8 ms budget");
        let reached = host.pacer.lagging_speed().expect("the pacer says it cannot keep up");
        // About 8 ms of work per 16.7 ms frame at 0.1 virtual s per real ms: near x48.
        assert!((30..=60).contains(&reached), "reached x{reached}");
        assert!(ran > 60_000, "ran {ran} virtual ms");
    }

    #[wasm_bindgen_test]
    fn what_could_not_run_is_owed_for_one_long_frame_at_most() {
        let mut host = Host::default();
        host.run(121, 3_600, 10.0);
        // Two seconds at x3600 asked for 7,200 virtual s; once the world is cheap again, the
        // next frame runs at most a 250 ms gap's worth plus its own.
        let (ran, _) = host.run(1, 3_600, 0.0);
        assert!(ran <= 960_000, "ran {ran} virtual ms in one frame");
    }

    #[wasm_bindgen_test]
    fn a_new_speed_starts_with_no_debt() {
        let mut host = Host::default();
        host.run(121, 3_600, 10.0);
        host.pacer.speed_changed();
        let (ran, _) = host.run(60, 1, 0.0);
        assert!((980..=1_000).contains(&ran), "ran {ran} virtual ms in one second at x1");
        assert_eq!(host.pacer.lagging_speed(), None);
    }
}
