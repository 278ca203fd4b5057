//! Browser tests of the Firehose and S3 console: the create wizard's live validation (buffer
//! hints, prefix expressions, the Glue table), its key preview, and the S3 object viewer.
#![cfg(target_arch = "wasm32")]

use kinesim::engine::sim::Sim;
use kinesim::ui::firehose::CreateDeliveryStreamWizard;
use kinesim::ui::s3::ObjectViewer;
use kinesim::ui::SimHandle;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, Event, EventInit, HtmlElement, HtmlInputElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_root() -> Element {
    let doc = web_sys::window().unwrap().document().unwrap();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    root
}

async fn settle() {
    yew::scheduler::flush().await;
}

fn text(root: &Element, selector: &str) -> String {
    root.query_selector(selector).unwrap().unwrap().text_content().unwrap_or_default()
}

/// Every problem the wizard shows, joined.
fn problems(root: &Element) -> String {
    let list = root.query_selector_all("[data-testid=field-problem]").unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().text_content().unwrap()).collect::<Vec<_>>().join(" | ")
}

fn fire(el: &Element, kind: &str) {
    let init = EventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&Event::new_with_event_init_dict(kind, &init).unwrap()).unwrap();
}

fn type_into(root: &Element, selector: &str, value: &str) {
    let input: HtmlInputElement = root.query_selector(selector).unwrap().unwrap().unchecked_into();
    input.set_value(value);
    fire(&input, "input");
}

fn choose(root: &Element, selector: &str, value: &str) {
    let select: web_sys::HtmlSelectElement = root.query_selector(selector).unwrap().unwrap().unchecked_into();
    select.set_value(value);
    fire(&select, "change");
}

fn click(root: &Element, selector: &str) {
    let el: HtmlElement = root.query_selector(selector).unwrap().unwrap().unchecked_into();
    el.click();
}

fn submit_disabled(root: &Element) -> bool {
    root.query_selector("[data-testid=fh-submit]").unwrap().unwrap().has_attribute("disabled")
}

/// A world with a bucket and no data stream, so Direct PUT is the source to pick.
fn world() -> SimHandle {
    let mut sim = Sim::new(1);
    sim.s3.create_bucket("kinesim-bucket", 0).unwrap();
    SimHandle::new(Rc::new(RefCell::new(sim)), Callback::noop())
}

#[derive(Properties, PartialEq)]
struct Host {
    sim: SimHandle,
}

#[component]
fn WizardHost(props: &Host) -> Html {
    html! { <CreateDeliveryStreamWizard sim={props.sim.clone()} revision={0} on_back={Callback::noop()} on_created={Callback::noop()} /> }
}

async fn wizard() -> (Element, SimHandle) {
    let root = fresh_root();
    let sim = world();
    yew::Renderer::<WizardHost>::with_root_and_props(root.clone(), Host { sim: sim.clone() }).render();
    settle().await;
    choose(&root, "[data-testid=fh-source]", "DirectPut");
    type_into(&root, "[data-testid=fh-name]", "tweets");
    settle().await;
    (root, sim)
}

#[wasm_bindgen_test]
async fn buffer_hints_out_of_range_are_explained_and_block_create() {
    let (root, _) = wizard().await;
    assert_eq!(problems(&root), "", "the defaults (5 MiB, 300 s) are valid");
    assert!(!submit_disabled(&root));
    type_into(&root, "[data-testid=fh-size]", "129");
    settle().await;
    assert_eq!(problems(&root), "SizeInMBs must be 1 to 128; got 129");
    assert!(submit_disabled(&root));
    type_into(&root, "[data-testid=fh-size]", "5");
    type_into(&root, "[data-testid=fh-interval]", "901");
    settle().await;
    assert_eq!(problems(&root), "IntervalInSeconds must be 0 to 900; got 901");
    type_into(&root, "[data-testid=fh-interval]", "60");
    settle().await;
    assert_eq!(problems(&root), "");
}

#[wasm_bindgen_test]
async fn prefix_expressions_follow_aws_rules() {
    let (root, _) = wizard().await;
    type_into(&root, "[data-testid=fh-prefix]", "data/!{timestamp:yyyy}/");
    settle().await;
    assert_eq!(problems(&root), "ErrorOutputPrefix can't be null when Prefix contains expressions");
    type_into(&root, "[data-testid=fh-error-prefix]", "errors/");
    settle().await;
    assert_eq!(problems(&root), "ErrorOutputPrefix must contain !{firehose:error-output-type} when Prefix contains expressions");
    type_into(&root, "[data-testid=fh-error-prefix]", "errors/!{firehose:error-output-type}/");
    settle().await;
    assert_eq!(problems(&root), "");
    type_into(&root, "[data-testid=fh-prefix]", "data/!{nope}/");
    settle().await;
    assert!(problems(&root).starts_with("unknown expression !{nope}"), "{}", problems(&root));
}

#[wasm_bindgen_test]
async fn missing_glue_table_is_flagged_then_created_from_the_editor() {
    let (root, sim) = wizard().await;
    choose(&root, "[data-testid=fh-convert]", "Parquet");
    settle().await;
    // Conversion raises the minimum buffer size to 64 MiB, and tweets_json is not there yet.
    assert_eq!(problems(&root), "Glue table kinesis_db.tweets_json does not exist. | SizeInMBs must be 64 to 128; got 5");
    click(&root, "[data-testid=glue-create]");
    type_into(&root, "[data-testid=fh-size]", "64");
    settle().await;
    assert_eq!(problems(&root), "");
    let columns: Vec<String> = sim.read().glue.table("kinesis_db", "tweets_json").unwrap().columns.iter().map(|c| c.name.clone()).collect();
    assert_eq!(columns, ["id", "lang", "text", "created_at"]);
}

#[wasm_bindgen_test]
async fn key_preview_shows_where_the_next_object_lands() {
    let (root, _) = wizard().await;
    type_into(&root, "[data-testid=fh-prefix]", "carpeta_tweests_exitosos/");
    settle().await;
    assert_eq!(
        text(&root, "[data-testid=key-preview-data]"),
        "s3://kinesim-bucket/carpeta_tweests_exitosos/2026/01/01/00/tweets-1-2026-01-01-00-00-00-xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
    );
    assert_eq!(
        text(&root, "[data-testid=key-preview-error]"),
        "s3://kinesim-bucket/carpeta_tweests_exitosos/processing-failed/2026/01/01/00/tweets-1-2026-01-01-00-00-00-xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
    );
    choose(&root, "[data-testid=fh-compression]", "GZIP");
    type_into(&root, "[data-testid=fh-prefix]", "logs/!{timestamp:yyyy-MM}/");
    type_into(&root, "[data-testid=fh-error-prefix]", "err/!{firehose:error-output-type}/");
    settle().await;
    assert_eq!(
        text(&root, "[data-testid=key-preview-data]"),
        "s3://kinesim-bucket/logs/2026-01/tweets-1-2026-01-01-00-00-00-xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx.gz"
    );
    assert_eq!(
        text(&root, "[data-testid=key-preview-error]"),
        "s3://kinesim-bucket/err/processing-failed/tweets-1-2026-01-01-00-00-00-xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
    );
}

#[derive(Properties, PartialEq)]
struct ViewerHost {
    sim: SimHandle,
    key: AttrValue,
}

#[component]
fn ViewerHostC(props: &ViewerHost) -> Html {
    html! { <ObjectViewer sim={props.sim.clone()} bucket="kinesim-bucket" key_name={props.key.clone()} /> }
}

#[wasm_bindgen_test]
async fn object_viewer_unpacks_gzip_json_lines_and_shows_error_reasons() {
    use kinesim::engine::firehose::compression::Compression;
    use kinesim::engine::s3::PutObject;
    let sim = world();
    sim.act(|w| {
        let gz = Compression::Gzip.compress(b"{\"a\":1}\n{\"a\":2}\n", "x");
        w.s3.put_object("kinesim-bucket", "ok/x.gz", PutObject::bytes(gz), 0).unwrap();
        let failed = br#"{"attemptsMade":1,"errorCode":"Lambda.FunctionError","errorMessage":"boom","rawData":"aG9sYQ=="}"#;
        w.s3.put_object("kinesim-bucket", "err/y", PutObject::bytes(failed.to_vec()), 0).unwrap();
    });
    let root = fresh_root();
    yew::Renderer::<ViewerHostC>::with_root_and_props(root.clone(), ViewerHost { sim: sim.clone(), key: "ok/x.gz".into() }).render();
    settle().await;
    assert_eq!(text(&root, "[data-testid=object-content] .object-docs"), "{\n  \"a\": 1\n}{\n  \"a\": 2\n}");
    assert!(text(&root, ".facts").contains("GZIP"));
    let root = fresh_root();
    yew::Renderer::<ViewerHostC>::with_root_and_props(root.clone(), ViewerHost { sim, key: "err/y".into() }).render();
    settle().await;
    assert_eq!(text(&root, "tr.failure"), "Lambda.FunctionErrorboomhola");
}

#[wasm_bindgen_test]
async fn an_existing_role_can_be_picked_and_its_actions_edited() {
    let (root, sim) = wizard().await;
    sim.act(|w| w.iam.put_role("narrow_role", &["s3:PutObject".to_string()]).unwrap());
    type_into(&root, "[data-testid=fh-name]", "tweets2");
    settle().await;
    choose(&root, "[data-testid=fh-existing-role]", "narrow_role");
    settle().await;
    let actions: web_sys::HtmlTextAreaElement = root.query_selector("[data-testid=fh-actions]").unwrap().unwrap().unchecked_into();
    assert_eq!(actions.value(), "s3:PutObject");
    let name: HtmlInputElement = root.query_selector("[data-testid=fh-role]").unwrap().unwrap().unchecked_into();
    assert_eq!(name.value(), "narrow_role");
    assert!(text(&root, "[data-testid=fh-request]").contains("arn:aws:iam::123456789012:role/narrow_role"));
}
