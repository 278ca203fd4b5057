//! Guided lesson: the first course note, step by step. Each step says what to do, lights up
//! the controls to use, and is ticked off when the world shows it was done.

use crate::engine::firehose::delivery::Source;
use crate::engine::sim::Sim;
use crate::ui::{use_lang, SimHandle, Text};
use yew::prelude::*;

const STREAM: &str = "test_kinesis_stream";
const PREFIX: &str = "carpeta_tweests_exitosos/";

struct Step {
    title: Text,
    hint: Text,
    /// Controls (`data-testid`) lit up while this step is the next one.
    targets: &'static [&'static str],
    done: fn(&Sim, bool) -> bool,
}

fn course_stream(sim: &Sim) -> impl Iterator<Item = &crate::engine::firehose::delivery::DeliveryStream> {
    sim.firehose.streams().filter(|d| matches!(d.source, Source::Kinesis(_)))
}

const STEPS: [Step; 7] = [
    Step {
        title: Text::LessonStream,
        hint: Text::LessonStreamHint,
        targets: &["create-data-stream", "stream-name", "shard-count", "create-stream-submit"],
        done: |sim, _| sim.kinesis.stream(STREAM).is_some(),
    },
    Step {
        title: Text::LessonProducer,
        hint: Text::LessonProducerHint,
        targets: &["producer-kind", "producer-rate", "producer-add"],
        done: |sim, _| sim.producers.iter().next().is_some(),
    },
    Step {
        title: Text::LessonTransform,
        hint: Text::LessonTransformHint,
        targets: &["create-delivery-stream", "fh-kinesis-stream", "fh-name", "fh-transform", "fh-function", "fh-proc-interval"],
        done: |sim, _| course_stream(sim).any(|d| d.destination.processor.as_ref().is_some_and(|p| p.function_name == "transform_to_json")),
    },
    Step {
        title: Text::LessonParquet,
        hint: Text::LessonParquetHint,
        targets: &["fh-convert", "fh-table", "glue-create"],
        done: |sim, _| course_stream(sim).any(|d| d.destination.conversion.as_ref().is_some_and(|c| c.table == "tweets_json")),
    },
    Step {
        title: Text::LessonDestination,
        hint: Text::LessonDestinationHint,
        targets: &["fh-new-bucket", "fh-create-bucket", "fh-prefix", "fh-error-prefix", "fh-size", "fh-interval", "fh-logging", "fh-actions", "fh-submit"],
        done: |sim, _| course_stream(sim).any(|d| d.destination.prefix.as_deref() == Some(PREFIX) && d.destination.logging.is_some()),
    },
    Step {
        title: Text::LessonRun,
        hint: Text::LessonRunHint,
        targets: &["speed-60", "play-toggle"],
        done: |sim, _| {
            sim.s3.bucket_names().any(|b| sim.s3.list_objects_v2(b, PREFIX, None).is_ok_and(|l| !l.contents.is_empty()))
        },
    },
    Step {
        title: Text::LessonObject,
        hint: Text::LessonObjectHint,
        targets: &["fh-bucket-link", "bucket-link", "s3-folder", "s3-object", "object-download"],
        done: |_, opened| opened,
    },
];

#[derive(Properties, PartialEq)]
pub struct LessonGuideProps {
    pub sim: SimHandle,
    pub revision: u64,
    /// Whether an object under the course prefix has been opened in the S3 viewer.
    pub opened_object: bool,
    pub on_close: Callback<()>,
}

#[component]
pub fn LessonGuide(props: &LessonGuideProps) -> Html {
    let lang = use_lang();
    let done: Vec<bool> = {
        let sim = props.sim.read();
        STEPS.iter().map(|s| (s.done)(&sim, props.opened_object)).collect()
    };
    let current = done.iter().position(|d| !d);
    let highlight = current.map(|i| {
        STEPS[i].targets.iter().map(|t| format!("[data-testid=\"{t}\"]")).collect::<Vec<_>>().join(",")
            + " { outline: 3px solid #ff9900; outline-offset: 2px; box-shadow: 0 0 0 6px rgba(255,153,0,.25); }"
    });
    let close = props.on_close.reform(|_: MouseEvent| ());
    html! {
        <aside class="lesson" data-testid="lesson" aria-label={lang.t(Text::GuidedLesson)}>
            if let Some(css) = highlight { <style>{ css }</style> }
            <div class="card-head">
                <h3>{ lang.t(Text::GuidedLesson) }</h3>
                <button class="btn-plain small" onclick={close}>{ "×" }</button>
            </div>
            <ol class="lesson-steps">
                { for STEPS.iter().enumerate().map(|(i, s)| {
                    let state = if done[i] { "done" } else if Some(i) == current { "current" } else { "todo" };
                    html! {
                        <li class={classes!("lesson-step", state)} data-testid="lesson-step" aria-current={(state == "current").then_some("step")}>
                            <strong>{ if done[i] { "✓ " } else { "" } }{ lang.t(s.title) }</strong>
                            if state == "current" { <p>{ lang.t(s.hint) }</p> }
                        </li>
                    }
                }) }
            </ol>
            if current.is_none() { <p class="ok" data-testid="lesson-done">{ lang.t(Text::LessonDone) }</p> }
        </aside>
    }
}
