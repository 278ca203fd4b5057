//! "Create delivery stream", in the console's order: source and name, transform, format
//! conversion, destination, buffer hints, compression and logging, IAM role, review. Every
//! field is checked live with the engine's own rules; the key preview shows where the next
//! object will land.

use super::plan::{parse_columns, sample_event, Field, FirehoseForm, Problem, CUSTOM, TWEETS_COLUMNS};
use crate::engine::glue::GlueTable;
use crate::engine::lambda::BuiltIn;
use crate::ui::{use_lang, Lang, SimHandle, Text};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CreateDeliveryStreamWizardProps {
    pub sim: SimHandle,
    pub revision: u64,
    pub on_back: Callback<()>,
    pub on_created: Callback<String>,
    /// A user-written function to run in a Web Worker: (name, JavaScript source).
    #[prop_or_default]
    pub on_register: Callback<(String, String)>,
}

const COMPRESSIONS: [&str; 5] = ["UNCOMPRESSED", "GZIP", "ZIP", "Snappy", "HADOOP_SNAPPY"];

/// A callback that writes what is typed into one field of the form.
fn bind(form: &UseStateHandle<FirehoseForm>, set: fn(&mut FirehoseForm, String)) -> Callback<InputEvent> {
    let form = form.clone();
    Callback::from(move |e: InputEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        let mut next = (*form).clone();
        set(&mut next, input.value());
        form.set(next);
    })
}

fn bind_select(form: &UseStateHandle<FirehoseForm>, set: fn(&mut FirehoseForm, String)) -> Callback<Event> {
    let form = form.clone();
    Callback::from(move |e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        let mut next = (*form).clone();
        set(&mut next, select.value());
        form.set(next);
    })
}

fn bind_check(form: &UseStateHandle<FirehoseForm>, set: fn(&mut FirehoseForm, bool)) -> Callback<Event> {
    let form = form.clone();
    Callback::from(move |e: Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        let mut next = (*form).clone();
        set(&mut next, input.checked());
        form.set(next);
    })
}

fn problems_for(lang: Lang, problems: &[Problem], field: Field) -> Html {
    problems
        .iter()
        .filter(|p| p.field == field)
        .map(|p| html! { <p class="alert" role="alert" data-testid="field-problem">{ p.message.in_lang(lang).to_string() }</p> })
        .collect::<Html>()
}

#[component]
pub fn CreateDeliveryStreamWizard(props: &CreateDeliveryStreamWizardProps) -> Html {
    let lang = use_lang();
    let form = use_state(FirehoseForm::default);
    let new_bucket = use_state(String::new);
    let columns = use_state(|| TWEETS_COLUMNS.to_string());
    let error = use_state(|| None::<String>);
    let event = use_state(sample_event);
    let test_result = use_state(|| None::<Result<String, String>>);
    let (problems, streams, buckets, now, roles) = {
        let sim = props.sim.read();
        (
            form.problems(&sim),
            sim.kinesis.stream_views().into_iter().map(|s| s.name).collect::<Vec<_>>(),
            sim.s3.bucket_names().map(str::to_string).collect::<Vec<_>>(),
            sim.now_ms(),
            sim.iam.roles().map(|r| (r.name.clone(), r.allowed_actions.iter().cloned().collect::<Vec<_>>().join("\n"))).collect::<Vec<_>>(),
        )
    };
    let f = (*form).clone();
    // A stream or bucket that appears later is picked when nothing is chosen yet.
    if f.kinesis_stream.is_empty() && !streams.is_empty() || f.bucket.is_empty() && !buckets.is_empty() {
        let mut next = f.clone();
        if next.kinesis_stream.is_empty() {
            next.kinesis_stream = streams.first().cloned().unwrap_or_default();
        }
        if next.bucket.is_empty() {
            next.bucket = buckets.first().cloned().unwrap_or_default();
        }
        form.set(next);
    }
    let preview = f.key_preview(now);
    let create = {
        let (sim, form, error, on_created, on_register) =
            (props.sim.clone(), form.clone(), error.clone(), props.on_created.clone(), props.on_register.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let f = (*form).clone();
            // The role is (re)written with the actions as edited, so a student can break it.
            let role = sim.act(|w| w.iam.put_role(&f.role_name, &f.actions()).map(|_| ()).map_err(|e| e.to_string()));
            if let Err(e) = role {
                error.set(Some(e));
                return;
            }
            if f.transform && f.is_custom() {
                let name = f.function_name().to_string();
                // The world keeps the source, so exports and autosaves carry the code.
                if let Err(e) = sim.act(|w| w.lambda.register_source(&name, &f.custom_source)) {
                    error.set(Some(format!("{e:?}")));
                    return;
                }
                on_register.emit((name, f.custom_source.clone()));
            }
            match sim.call("Firehose_20150804.CreateDeliveryStream", &f.request()) {
                Ok(_) => on_created.emit(f.name.trim().to_string()),
                Err(e) => error.set(Some(e.to_string())),
            }
        })
    };
    let create_bucket = {
        let (sim, form, new_bucket, error) = (props.sim.clone(), form.clone(), new_bucket.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let name = new_bucket.trim().to_string();
            match sim.act(|w| {
                let now = w.now_ms();
                w.s3.create_bucket(&name, now)
            }) {
                Ok(()) => {
                    let mut next = (*form).clone();
                    next.bucket = name;
                    form.set(next);
                    new_bucket.set(String::new());
                    error.set(None);
                }
                Err(e) => error.set(Some(format!("{}: {e}", e.code()))),
            }
        })
    };
    let create_table = {
        let (sim, form, columns, error) = (props.sim.clone(), form.clone(), columns.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let cols = parse_columns(&columns);
            let refs: Vec<(&str, &str)> = cols.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
            match GlueTable::new(form.database.trim(), form.table.trim(), &refs) {
                Ok(table) => {
                    sim.act(|w| w.glue.put_table(table));
                    error.set(None);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        })
    };
    let run_test = {
        let (form, event, test_result) = (form.clone(), event.clone(), test_result.clone());
        Callback::from(move |_: MouseEvent| {
            let result = test_result.clone();
            crate::ui::lambda_worker::invoke(&form.custom_source, &event, 3_000, move |r| {
                let shown = r.map(|ok| {
                    serde_json::from_str::<serde_json::Value>(&ok).ok().and_then(|v| serde_json::to_string_pretty(&v).ok()).unwrap_or(ok)
                });
                result.set(Some(shown.map_err(|e| format!("{e:?}"))));
            });
        })
    };
    let pick_role = {
        let (form, roles) = (form.clone(), roles.clone());
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let mut next = (*form).clone();
            match roles.iter().find(|(n, _)| *n == select.value()) {
                Some((name, actions)) => {
                    next.role_name = name.clone();
                    next.role_actions = actions.clone();
                }
                None => {
                    next.role_name = FirehoseForm::default().role_name;
                    next.role_actions = FirehoseForm::default().role_actions;
                }
            }
            form.set(next);
        })
    };
    let existing = roles.iter().any(|(n, _)| *n == f.role_name);
    let back = props.on_back.reform(|_: MouseEvent| ());
    let has = |field: Field| problems.iter().any(|p| p.field == field).to_string();
    let hints_text = if f.converting() { lang.t(Text::BufferRangesConversion) } else { lang.t(Text::BufferRanges) };
    html! {
        <main class="page narrow firehose-create">
            <nav class="crumbs" aria-label="Breadcrumb">
                <button class="link" onclick={back}>{ lang.t(Text::Console) }</button>
                { " › Firehose › " }<strong>{ lang.t(Text::CreateDeliveryStream) }</strong>
            </nav>
            <h2>{ lang.t(Text::CreateDeliveryStream) }</h2>
            <form class="wizard firehose-wizard" onsubmit={create}>
                <section class="card">
                    <h3>{ format!("1. {}", lang.t(Text::SourceAndName)) }</h3>
                    <div class="grid-form">
                        <label>{ lang.t(Text::Source) }
                            <select data-testid="fh-source" onchange={bind_select(&form, |f, v| f.source = v)}>
                                <option value="KinesisStreamAsSource" selected={f.source == "KinesisStreamAsSource"}>{ "Amazon Kinesis Data Streams" }</option>
                                <option value="DirectPut" selected={f.source == "DirectPut"}>{ "Direct PUT" }</option>
                            </select>
                        </label>
                        if f.source == "KinesisStreamAsSource" {
                            <label>{ lang.t(Text::KinesisDataStream) }
                                <select data-testid="fh-kinesis-stream" aria-invalid={has(Field::Source)} onchange={bind_select(&form, |f, v| f.kinesis_stream = v)}>
                                    { for streams.iter().map(|s| html! { <option value={s.clone()} selected={*s == f.kinesis_stream}>{ s.clone() }</option> }) }
                                </select>
                            </label>
                        }
                        <label>{ lang.t(Text::DeliveryStreamName) }
                            <input data-testid="fh-name" value={f.name.clone()} aria-invalid={has(Field::Name)} oninput={bind(&form, |f, v| f.name = v)} placeholder="PUT-S3-tweets" />
                        </label>
                    </div>
                    { problems_for(lang, &problems, Field::Source) }
                    { problems_for(lang, &problems, Field::Name) }
                </section>
                <section class="card">
                    <h3>{ format!("2. {}", lang.t(Text::TransformRecords)) }</h3>
                    <label class="check"><input type="checkbox" data-testid="fh-transform" checked={f.transform} onchange={bind_check(&form, |f, v| f.transform = v)} />{ lang.t(Text::TransformWithLambda) }</label>
                    if f.transform {
                        <div class="grid-form">
                            <label>{ lang.t(Text::LambdaFunction) }
                                <select data-testid="fh-function" onchange={bind_select(&form, |f, v| f.function = v)}>
                                    { for BuiltIn::ALL.iter().map(|b| html! { <option value={b.function_name()} selected={b.function_name() == f.function}>{ b.function_name() }</option> }) }
                                    <option value={CUSTOM} selected={f.is_custom()}>{ lang.t(Text::WriteJavaScript) }</option>
                                </select>
                            </label>
                            if f.is_custom() {
                                <label>{ lang.t(Text::FunctionName) }<input data-testid="fh-js-name" value={f.custom_name.clone()} oninput={bind(&form, |f, v| f.custom_name = v)} /></label>
                            }
                            <label>{ "Version" }<input value="$LATEST" readonly=true /></label>
                            <label>{ "BufferSizeInMBs (0.2–3)" }<input class="short" data-testid="fh-proc-size" value={f.processor_size_mbs.clone()} aria-invalid={has(Field::Processor)} oninput={bind(&form, |f, v| f.processor_size_mbs = v)} /></label>
                            <label>{ "BufferIntervalInSeconds (0–900)" }<input class="short" data-testid="fh-proc-interval" value={f.processor_interval_s.clone()} aria-invalid={has(Field::Processor)} oninput={bind(&form, |f, v| f.processor_interval_s = v)} /></label>
                        </div>
                        { problems_for(lang, &problems, Field::Processor) }
                        if f.is_custom() {
                            <div class="js-editor">
                                <label>{ "index.js" }
                                    <textarea data-testid="fh-js-source" rows="10" spellcheck="false" value={f.custom_source.clone()}
                                        oninput={ let form = form.clone(); Callback::from(move |e: InputEvent| { let t: web_sys::HtmlTextAreaElement = e.target_unchecked_into(); let mut n = (*form).clone(); n.custom_source = t.value(); form.set(n); }) } />
                                </label>
                                <label>{ lang.t(Text::SampleEvent) }
                                    <textarea data-testid="fh-js-event" rows="10" spellcheck="false" value={(*event).clone()}
                                        oninput={ let ev = event.clone(); Callback::from(move |e: InputEvent| { let t: web_sys::HtmlTextAreaElement = e.target_unchecked_into(); ev.set(t.value()); }) } />
                                </label>
                            </div>
                            <div class="controls-row">
                                <button type="button" class="btn-plain" data-testid="fh-js-test" onclick={run_test}>{ lang.t(Text::TestFunction) }</button>
                            </div>
                            if let Some(r) = &*test_result {
                                <pre class={classes!("payload", "js-response", r.is_err().then_some("failed"))} data-testid="fh-js-response">
                                    { match r { Ok(v) => v.clone(), Err(e) => e.clone() } }
                                </pre>
                            }
                        }
                    }
                </section>
                <section class="card">
                    <h3>{ format!("3. {}", lang.t(Text::ConvertFormat)) }</h3>
                    <div class="grid-form">
                        <label>{ lang.t(Text::OutputFormat) }
                            <select data-testid="fh-convert" onchange={bind_select(&form, |f, v| f.convert = v)}>
                                <option value="off" selected={!f.converting()}>{ lang.t(Text::Disabled) }</option>
                                <option value="Parquet" selected={f.converting()}>{ "Apache Parquet" }</option>
                                // Shown, as AWS offers it, but not selectable: no ORC writer builds for the browser.
                                <option value="ORC" disabled=true title={lang.t(Text::OrcUnavailable)}>{ format!("Apache ORC — {}", lang.t(Text::OrcUnavailableShort)) }</option>
                            </select>
                        </label>
                        if f.converting() {
                            <label>{ "DatabaseName" }<input data-testid="fh-database" value={f.database.clone()} oninput={bind(&form, |f, v| f.database = v)} /></label>
                            <label>{ "TableName" }<input data-testid="fh-table" value={f.table.clone()} aria-invalid={has(Field::Table)} oninput={bind(&form, |f, v| f.table = v)} /></label>
                        }
                    </div>
                    <p class="hint">{ lang.t(Text::OrcUnavailable) }</p>
                    if f.converting() {
                        { problems_for(lang, &problems, Field::Table) }
                        if problems.iter().any(|p| p.field == Field::Table) {
                            <div class="glue-editor">
                                <label>{ lang.t(Text::GlueColumns) }
                                    <textarea data-testid="glue-columns" rows="5" value={(*columns).clone()}
                                        oninput={ let c = columns.clone(); Callback::from(move |e: InputEvent| { let t: web_sys::HtmlTextAreaElement = e.target_unchecked_into(); c.set(t.value()); }) } />
                                </label>
                                <button type="button" class="btn-plain" data-testid="glue-create" onclick={create_table}>{ lang.t(Text::CreateGlueTable) }</button>
                            </div>
                        }
                        <p class="hint">{ lang.t(Text::ConversionHint) }</p>
                    }
                </section>
                <section class="card">
                    <h3>{ format!("4. {}", lang.t(Text::DestinationS3)) }</h3>
                    <div class="grid-form">
                        <label>{ lang.t(Text::BucketName) }
                            <select data-testid="fh-bucket" aria-invalid={has(Field::Bucket)} onchange={bind_select(&form, |f, v| f.bucket = v)}>
                                { for buckets.iter().map(|b| html! { <option value={b.clone()} selected={*b == f.bucket}>{ b.clone() }</option> }) }
                            </select>
                        </label>
                        <label>{ lang.t(Text::NewBucket) }
                            <input data-testid="fh-new-bucket" value={(*new_bucket).clone()} placeholder="kinesim-bucket"
                                oninput={ let b = new_bucket.clone(); Callback::from(move |e: InputEvent| { let i: web_sys::HtmlInputElement = e.target_unchecked_into(); b.set(i.value()); }) } />
                        </label>
                        <div class="form-inline-action"><button type="button" class="btn-plain" data-testid="fh-create-bucket" disabled={new_bucket.trim().is_empty()} onclick={create_bucket}>{ lang.t(Text::CreateBucket) }</button></div>
                    </div>
                    { problems_for(lang, &problems, Field::Bucket) }
                    <div class="grid-form wide">
                        <label>{ "Prefix" }<input data-testid="fh-prefix" value={f.prefix.clone()} aria-invalid={has(Field::Prefix)} oninput={bind(&form, |f, v| f.prefix = v)} placeholder="carpeta_tweests_exitosos/" /></label>
                        <label>{ "ErrorOutputPrefix" }<input data-testid="fh-error-prefix" value={f.error_prefix.clone()} aria-invalid={has(Field::Prefix)} oninput={bind(&form, |f, v| f.error_prefix = v)} placeholder="errores/!{firehose:error-output-type}/" /></label>
                    </div>
                    { problems_for(lang, &problems, Field::Prefix) }
                    <p class="hint">{ lang.t(Text::PrefixHint) }</p>
                    if let Ok((data, error_key)) = &preview {
                        <dl class="facts key-preview" data-testid="key-preview">
                            <dt>{ lang.t(Text::NextObjectKey) }</dt><dd class="mono" data-testid="key-preview-data">{ format!("s3://{}/{}", f.bucket, data) }</dd>
                            <dt>{ lang.t(Text::NextErrorKey) }</dt><dd class="mono" data-testid="key-preview-error">{ format!("s3://{}/{}", f.bucket, error_key) }</dd>
                        </dl>
                    }
                </section>
                <section class="card">
                    <h3>{ format!("5. {}", lang.t(Text::BufferHints)) }</h3>
                    <div class="grid-form">
                        <label>{ "SizeInMBs" }<input class="short" data-testid="fh-size" value={f.size_mbs.clone()} aria-invalid={has(Field::Buffer)} oninput={bind(&form, |f, v| f.size_mbs = v)} /></label>
                        <label>{ "IntervalInSeconds" }<input class="short" data-testid="fh-interval" value={f.interval_s.clone()} aria-invalid={has(Field::Buffer)} oninput={bind(&form, |f, v| f.interval_s = v)} /></label>
                        <label>{ "CompressionFormat" }
                            <select data-testid="fh-compression" disabled={f.converting()} onchange={bind_select(&form, |f, v| f.compression = v)}>
                                { for COMPRESSIONS.iter().map(|c| html! { <option value={*c} selected={f.compression == *c}>{ *c }</option> }) }
                            </select>
                        </label>
                    </div>
                    <p class="hint">{ hints_text }</p>
                    { problems_for(lang, &problems, Field::Buffer) }
                    <label class="check"><input type="checkbox" data-testid="fh-logging" checked={f.logging} onchange={bind_check(&form, |f, v| f.logging = v)} />{ lang.t(Text::ErrorLogging) }</label>
                </section>
                <section class="card">
                    <h3>{ format!("6. {}", lang.t(Text::IamRole)) }</h3>
                    <div class="grid-form">
                        <label>{ lang.t(Text::ExistingRole) }
                            <select data-testid="fh-existing-role" onchange={pick_role}>
                                <option value="" selected={!existing}>{ lang.t(Text::NewRole) }</option>
                                { for roles.iter().map(|(n, _)| html! { <option value={n.clone()} selected={*n == f.role_name}>{ n.clone() }</option> }) }
                            </select>
                        </label>
                        <label>{ lang.t(Text::RoleName) }<input data-testid="fh-role" value={f.role_name.clone()} aria-invalid={has(Field::Role)} oninput={bind(&form, |f, v| f.role_name = v)} /></label>
                    </div>
                    <label>{ lang.t(Text::AllowedActions) }
                        <textarea data-testid="fh-actions" rows="6" value={f.role_actions.clone()}
                            oninput={ let form = form.clone(); Callback::from(move |e: InputEvent| { let t: web_sys::HtmlTextAreaElement = e.target_unchecked_into(); let mut n = (*form).clone(); n.role_actions = t.value(); form.set(n); }) } />
                    </label>
                    <p class="hint">{ lang.t(Text::RoleHint) }</p>
                    { problems_for(lang, &problems, Field::Role) }
                </section>
                <section class="card">
                    <h3>{ format!("7. {}", lang.t(Text::Review)) }</h3>
                    <details>
                        <summary>{ "CreateDeliveryStream" }</summary>
                        <pre class="payload tall" data-testid="fh-request">{ serde_json::to_string_pretty(&f.request()).unwrap_or_default() }</pre>
                    </details>
                </section>
                if let Some(e) = &*error { <p class="alert" role="alert" data-testid="fh-error">{ e.clone() }</p> }
                <div class="form-actions">
                    <button class="btn-action" type="submit" disabled={!problems.is_empty()} data-testid="fh-submit">{ lang.t(Text::CreateDeliveryStream) }</button>
                    if !problems.is_empty() { <span class="muted">{ format!(" {} {}", problems.len(), lang.t(Text::ProblemsToFix)) }</span> }
                </div>
            </form>
        </main>
    }
}
