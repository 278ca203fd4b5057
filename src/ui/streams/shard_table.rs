//! Every shard of the stream, open and closed, with its lineage and live rates.

use crate::engine::streams::read_model::ShardView;
use crate::ui::units::format_bytes;
use crate::ui::{use_lang, Text};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ShardTableProps {
    pub shards: Vec<ShardView>,
}

/// `1134…0484`: 39-digit hash keys and 56-digit sequence numbers, shortened for the table;
/// the full value is in the cell's tooltip.
pub fn abbreviate(digits: &str) -> String {
    if digits.len() <= 12 {
        digits.to_string()
    } else {
        format!("{}…{}", &digits[..5], &digits[digits.len() - 5..])
    }
}

#[component]
pub fn ShardTable(props: &ShardTableProps) -> Html {
    let lang = use_lang();
    html! {
        <div class="table-scroll">
            <table class="table" data-testid="shard-table">
                <thead><tr>
                    <th>{ "ShardId" }</th><th>{ lang.t(Text::State) }</th><th>{ "HashKeyRange" }</th>
                    <th>{ "ParentShardId" }</th><th>{ "AdjacentParentShardId" }</th><th>{ "StartingSequenceNumber" }</th>
                    <th class="num">{ lang.t(Text::StoredRecords) }</th><th class="num">{ lang.t(Text::InRate) }</th>
                    <th class="num">{ lang.t(Text::OutRate) }</th><th class="num">{ lang.t(Text::Throttled) }</th>
                </tr></thead>
                <tbody>
                    { for props.shards.iter().map(|s| html! {
                        <tr class={classes!((s.state != "OPEN").then_some("closed"))}>
                            <td class="mono">{ s.shard_id.clone() }</td>
                            <td><span class={classes!("badge", s.state.to_lowercase())}>{ s.state }</span></td>
                            <td class="mono" title={format!("{} … {}", s.starting_hash_key, s.ending_hash_key)}>
                                { format!("{} – {}", abbreviate(&s.starting_hash_key), abbreviate(&s.ending_hash_key)) }
                            </td>
                            <td class="mono">{ s.parent_shard_id.clone().unwrap_or_default() }</td>
                            <td class="mono">{ s.adjacent_parent_shard_id.clone().unwrap_or_default() }</td>
                            <td class="mono" title={s.starting_sequence_number.clone()}>{ abbreviate(&s.starting_sequence_number) }</td>
                            <td class="num">{ s.stored_records }</td>
                            <td class="num">{ format!("{:.0} rec/s · {}/s", s.incoming_records_per_s, format_bytes(s.incoming_bytes_per_s as usize)) }</td>
                            <td class="num">{ format!("{}/s", format_bytes(s.outgoing_bytes_per_s as usize)) }</td>
                            <td class="num">{ format!("{} / {}", s.totals.write_throttled, s.totals.read_throttled) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}
