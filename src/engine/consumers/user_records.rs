//! Kinesis records as an application receives them: data decoded, the sequence number's
//! counter read, and (when asked) KPL aggregates split into user records.

use super::progress::{Delivered, Progress};
use crate::engine::producers::aggregation::deaggregate;
use crate::engine::streams::hashing::{hash_key, key_id, parse_hash_key, HashKeyRange};
use crate::engine::streams::record_data::ReadData;
use crate::engine::streams::records::RecordOut;
use std::rc::Rc;

/// One user record of an aggregate: partition key, the hash key that routes it, data.
struct SubRecord {
    partition_key: String,
    hash: u128,
    data: ReadData,
}

/// The user records in one Kinesis record fetched from shard `shard_index` (whose hash key
/// range is `range`), noted in `progress` as fetched. Follows the KCL: a sub-record hashing
/// outside the shard (an aggregate written before a reshard) voids the whole aggregate.
pub fn user_records(progress: &mut Progress, shard_index: u32, r: RecordOut, deaggregate_kpl: bool, range: Option<HashKeyRange>) -> Vec<Delivered> {
    progress.fetched(shard_index, r.counter);
    let subs = if deaggregate_kpl { sub_records(&r.data) } else { None };
    let base = Delivered {
        shard_index,
        counter: r.counter,
        sub_sequence: 0,
        // An aggregate's blob is not kept: each sub-record carries its own data.
        data: if subs.is_some() { ReadData::from(Vec::new()) } else { r.data },
        arrival_ms: (r.approximate_arrival_timestamp * 1000.0).round() as u64,
        sequence_number: r.sequence_number,
        key_id: key_id(hash_key(&r.partition_key)),
        partition_key: r.partition_key,
    };
    let Some(subs) = subs else { return vec![base] };
    if !subs.iter().all(|s| range.is_none_or(|r| r.contains(s.hash))) {
        return Vec::new();
    }
    subs.into_iter()
        .enumerate()
        .map(|(i, s)| Delivered { sub_sequence: i as u64, partition_key: s.partition_key, key_id: key_id(s.hash), data: s.data, ..base.clone() })
        .collect()
}

/// The user records inside `data` when it is an aggregate: a built-in KPL producer's are
/// regenerated from their indexes (data rendered only if read), a caller's bytes decoded.
fn sub_records(data: &ReadData) -> Option<Vec<SubRecord>> {
    if let Some((aggregate, source)) = data.aggregate() {
        if aggregate.count() < 2 {
            return None;
        }
        let subs = aggregate.members().map(|(index, at)| {
            let (partition_key, route) = source.keyed_route(index, at.ms, |key| key.text());
            let data = ReadData::generated(aggregate.source, index, route.size, at.ms, Rc::clone(source));
            SubRecord { hash: route.hash, partition_key, data }
        });
        return Some(subs.collect());
    }
    let subs = deaggregate(data.stored_bytes()?)?;
    let subs = subs.into_iter().map(|s| {
        let hash = s.explicit_hash_key.as_deref().and_then(parse_hash_key).unwrap_or_else(|| hash_key(&s.partition_key));
        SubRecord { partition_key: s.partition_key, hash, data: ReadData::from(s.data) }
    });
    Some(subs.collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::producers::tests::world_with_stream;
    use crate::engine::streams::sequence::SequenceNumber;

    /// A KPL producer's aggregates, kept as references, split into the same user records
    /// (keys, sub-sequence numbers, data) as their rendered bytes do through the decoder, and
    /// are voided alike when read as from a narrower shard (after a split).
    #[test]
    fn referenced_aggregates_split_like_their_rendered_bytes() {
        let mut sim = world_with_stream("ref", 2);
        let producer = r#"{"kind":"game_events","stream":"ref","ratePerSecond":800,"delivery":"kpl","keys":{"strategy":"zipf"},"kpl":{"recordMaxBufferedTimeMs":300}}"#;
        sim.add_producer(producer).unwrap();
        sim.advance(5_000);
        let sources = &sim.kinesis.sources;
        let stream = sim.kinesis.stream("ref").unwrap();
        let (mut aggregates, mut voided) = (0, 0);
        for shard in &stream.shards {
            for r in shard.readable_after(0, 0, sources) {
                let data = r.read_data(sources);
                let bytes = data.bytes();
                assert_eq!(bytes.len(), data.len(), "size known before rendering");
                aggregates += usize::from(data.aggregate().is_some_and(|(a, _)| a.count() > 1));
                let split = |data: ReadData, range: HashKeyRange| {
                    let sequence_number = SequenceNumber { shard_created_s: 0, shard_index: shard.index, counter: r.counter, arrival_s: 0 };
                    let out = RecordOut { sequence_number, approximate_arrival_timestamp: 0.0, data, partition_key: r.partition_key(sources), counter: r.counter };
                    let users = user_records(&mut Progress::default(), shard.index, out, true, Some(range));
                    users.into_iter().map(|u| (u.sub_sequence, u.partition_key, u.data.bytes().to_vec())).collect::<Vec<_>>()
                };
                let half = HashKeyRange { start: shard.hash_range.start, end: shard.hash_range.start + (shard.hash_range.end - shard.hash_range.start) / 2 };
                for range in [shard.hash_range, half] {
                    let from_reference = split(data.clone(), range);
                    assert_eq!(from_reference, split(ReadData::from(bytes.to_vec()), range));
                    assert!(range == half || !from_reference.is_empty(), "every user record is inside its own shard");
                    voided += usize::from(from_reference.is_empty());
                }
            }
        }
        assert!(aggregates > 10, "{aggregates} aggregates");
        assert!(voided > 0, "some aggregates reach outside the narrower range");
    }
}
