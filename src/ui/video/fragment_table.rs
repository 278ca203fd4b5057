//! The newest fragments a stream holds, as ListFragments describes them.

use crate::engine::clock::format_iso8601_ms;
use crate::engine::video::fragment::Fragment;
use crate::ui::units::format_bytes;
use crate::ui::{use_lang, Text};
use yew::prelude::*;

/// How many of the newest fragments the table lists.
pub const SHOWN: usize = 12;

/// What the table shows of a fragment (its media stays in the engine).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FragmentRow {
    pub number: String,
    pub producer_ms: u64,
    pub server_ms: u64,
    pub duration_ms: u64,
    pub size: usize,
    pub codec_id: String,
}

impl From<&Fragment> for FragmentRow {
    fn from(f: &Fragment) -> Self {
        Self {
            number: f.number.clone(),
            producer_ms: f.producer_ms,
            server_ms: f.server_ms,
            duration_ms: f.duration_ms,
            size: f.size_bytes(),
            codec_id: f.codec_id.clone(),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct FragmentTableProps {
    /// The newest fragments, newest first.
    pub rows: Vec<FragmentRow>,
    pub total: usize,
}

#[component]
pub fn FragmentTable(props: &FragmentTableProps) -> Html {
    let lang = use_lang();
    if props.rows.is_empty() {
        return html! { <p class="muted">{ lang.t(Text::NoFragments) }</p> };
    }
    html! {
        <>
            <table class="table fragments" data-testid="fragment-table">
                <thead><tr>
                    <th>{ "FragmentNumber" }</th><th>{ "ProducerTimestamp" }</th>
                    <th>{ "ServerTimestamp" }</th><th class="num">{ lang.t(Text::Length) }</th>
                    <th class="num">{ lang.t(Text::Size) }</th><th>{ lang.t(Text::CodecTrack1) }</th>
                </tr></thead>
                <tbody>
                    { for props.rows.iter().map(|f| html! {
                        <tr>
                            <td class="mono" title={f.number.clone()}>{ short_number(&f.number) }</td>
                            <td class="mono">{ format_iso8601_ms(f.producer_ms) }</td>
                            <td class="mono">{ format_iso8601_ms(f.server_ms) }</td>
                            <td class="num">{ format!("{} ms", f.duration_ms) }</td>
                            <td class="num">{ format_bytes(f.size) }</td>
                            <td class="mono">{ f.codec_id.clone() }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <p class="muted">{ format!("{} {} / {}", lang.t(Text::NewestShown), props.rows.len(), props.total) }</p>
        </>
    }
}

/// `9134…0000000000000000012`: fragment numbers are long; their tail tells them apart.
pub fn short_number(number: &str) -> String {
    let tail = number.len().saturating_sub(8);
    format!("…{}", &number[tail..])
}
