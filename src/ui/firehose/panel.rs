//! The console's Firehose area: the delivery streams, and the way to create one.

use crate::engine::firehose::delivery::Source;
use crate::ui::{use_lang, EmptyState, SimHandle, Text};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FirehosePanelProps {
    pub sim: SimHandle,
    pub revision: u64,
    pub on_open: Callback<String>,
    pub on_create: Callback<()>,
}

#[component]
pub fn FirehosePanel(props: &FirehosePanelProps) -> Html {
    let lang = use_lang();
    let rows: Vec<(String, &'static str, String, u64)> = props
        .sim
        .read()
        .firehose
        .streams()
        .map(|d| {
            let source = match d.source { Source::DirectPut => "Direct PUT", Source::Kinesis(_) => "Kinesis Data Streams" };
            (d.name.clone(), source, d.destination.bucket.clone(), d.tally.delivered)
        })
        .collect();
    let create = props.on_create.reform(|_: MouseEvent| ());
    html! {
        <div class="streams-panel">
            if rows.is_empty() {
                <EmptyState title={lang.t(Text::NoDeliveryStreams)}>{ lang.t(Text::NoDeliveryStreamsText) }</EmptyState>
            } else {
                <table class="table">
                    <thead><tr>
                        <th>{ lang.t(Text::Name) }</th><th>{ lang.t(Text::Source) }</th>
                        <th>{ lang.t(Text::DestinationS3) }</th><th class="num">{ lang.t(Text::Delivered) }</th>
                    </tr></thead>
                    <tbody>
                        { for rows.iter().map(|(n, source, bucket, delivered)| {
                            let open = { let (cb, n) = (props.on_open.clone(), n.clone()); Callback::from(move |_| cb.emit(n.clone())) };
                            html! {
                                <tr>
                                    <td><button class="link" data-testid="delivery-stream-link" onclick={open}>{ n.clone() }</button></td>
                                    <td>{ *source }</td><td class="mono">{ bucket.clone() }</td><td class="num">{ delivered }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            }
            <div class="panel-actions">
                <button class="btn-action" data-testid="create-delivery-stream" onclick={create}>{ lang.t(Text::CreateDeliveryStream) }</button>
            </div>
        </div>
    }
}
