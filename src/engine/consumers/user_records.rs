//! Kinesis records as an application receives them: data decoded, the sequence number's
//! counter read, and (when asked) KPL aggregates split into user records.

use super::progress::{Delivered, Progress};
use crate::engine::producers::aggregation::deaggregate;
use crate::engine::streams::hashing::{hash_key, parse_hash_key, HashKeyRange};
use crate::engine::streams::records::RecordOut;
use crate::engine::streams::record_data::ReadData;

/// The user records in one Kinesis record fetched from shard `shard_index` (whose hash key
/// range is `range`), noted in `progress` as fetched. Follows the KCL: a sub-record hashing
/// outside the shard (an aggregate written before a reshard) voids the whole aggregate.
pub fn user_records(progress: &mut Progress, shard_index: u32, r: RecordOut, deaggregate_kpl: bool, range: Option<HashKeyRange>) -> Vec<Delivered> {
    progress.fetched(shard_index, r.counter);
    let data = r.data;
    let subs = data.stored_bytes().filter(|_| deaggregate_kpl).and_then(deaggregate);
    let base = Delivered {
        shard_index,
        counter: r.counter,
        sub_sequence: 0,
        // An aggregate's blob is not kept: each sub-record carries its own data.
        data: if subs.is_some() { ReadData::from(Vec::new()) } else { data },
        arrival_ms: (r.approximate_arrival_timestamp * 1000.0).round() as u64,
        sequence_number: r.sequence_number,
        partition_key: r.partition_key,
    };
    let Some(subs) = subs else { return vec![base] };
    let inside = |key: &str, ehk: Option<&String>| {
        let hash = ehk.and_then(|e| parse_hash_key(e)).unwrap_or_else(|| hash_key(key));
        range.is_none_or(|r| r.contains(hash))
    };
    if !subs.iter().all(|s| inside(&s.partition_key, s.explicit_hash_key.as_ref())) {
        return Vec::new();
    }
    subs.into_iter()
        .enumerate()
        .map(|(i, s)| Delivered { sub_sequence: i as u64, partition_key: s.partition_key, data: ReadData::from(s.data), ..base.clone() })
        .collect()
}
