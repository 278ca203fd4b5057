//! The console's Data Streams area: the streams there are, and the way to create one.

use crate::ui::{use_lang, EmptyState, SimHandle, Text};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StreamsPanelProps {
    pub sim: SimHandle,
    pub revision: u64,
    pub on_open: Callback<String>,
    pub on_create: Callback<()>,
}

#[component]
pub fn StreamsPanel(props: &StreamsPanelProps) -> Html {
    let lang = use_lang();
    let streams = props.sim.read().kinesis.stream_views();
    let create = props.on_create.reform(|_: MouseEvent| ());
    html! {
        <div class="streams-panel">
            if streams.is_empty() {
                <EmptyState title={lang.t(Text::NoDataStreams)}>{ lang.t(Text::NoDataStreamsText) }</EmptyState>
            } else {
                <table class="table">
                    <thead><tr>
                        <th>{ lang.t(Text::Name) }</th><th>{ lang.t(Text::Status) }</th>
                        <th>{ lang.t(Text::CapacityMode) }</th><th class="num">{ lang.t(Text::OpenShards) }</th>
                        <th class="num">{ lang.t(Text::Retention) }</th>
                    </tr></thead>
                    <tbody>
                        { for streams.iter().map(|s| {
                            let open = { let (cb, n) = (props.on_open.clone(), s.name.clone()); Callback::from(move |_| cb.emit(n.clone())) };
                            html! {
                                <tr>
                                    <td><button class="link" onclick={open}>{ s.name.clone() }</button></td>
                                    <td><span class={classes!("badge", s.status.to_lowercase())}>{ s.status }</span></td>
                                    <td>{ s.mode }</td>
                                    <td class="num">{ s.open_shards }</td>
                                    <td class="num">{ format!("{} h", s.retention_hours) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            }
            <div class="panel-actions">
                <button class="btn-action" data-testid="create-data-stream" onclick={create}>{ lang.t(Text::CreateDataStream) }</button>
            </div>
        </div>
    }
}
