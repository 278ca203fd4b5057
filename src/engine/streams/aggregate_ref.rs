//! A KPL aggregate of a built-in producer's user records, stored as a reference: which records
//! (their indexes and creation times) and its exact encoded length, rendered into the KPL's
//! bytes only when someone reads it. An aggregate of one record is that record, plain, as the
//! KPL sends a lone user record.
//!
//! The length is computed from each record's [`Route`] (data size, key length, key hash) by the
//! protobuf rules `aggregation::aggregate` encodes with; the key's MD5 (its [`key_id`]) stands
//! for the key when the partition key table is deduplicated.

use super::hashing::key_id;
use super::sources::SourceId;
use crate::engine::producers::aggregation::{aggregate, OVERHEAD};
use crate::engine::producers::generator::{Moment, Route, Source};
use prost::encoding::{decode_varint, encode_varint, encoded_len_varint, key_len};
use serde::{Deserialize, Serialize};
use std::rc::Rc;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AggregateRef {
    pub source: SourceId,
    first: u64,
    /// Each later record's index as a varint gap from the previous one: the KPL groups a
    /// producer's records by predicted shard, so indexes rise by small, uneven steps.
    #[serde(with = "crate::engine::base64_bytes")]
    gaps: Rc<[u8]>,
    /// Where each creation time starts: (position of its first record, virtual ms), in order,
    /// the first at position 0. Records wait in the KPL's buffer over a few ticks.
    created: Rc<[(u32, u64)]>,
    count: u32,
    /// Bytes once rendered.
    size: u32,
}

impl AggregateRef {
    pub fn len(&self) -> usize {
        self.size as usize
    }

    pub fn is_empty(&self) -> bool {
        self.size == 0
    }

    /// How many user records it holds.
    pub fn count(&self) -> u64 {
        u64::from(self.count)
    }

    /// The user records in order: index and creation moment (one `Moment` per tick, shared).
    pub fn members(&self) -> impl Iterator<Item = (u64, Rc<Moment>)> + '_ {
        let mut gaps: &[u8] = &self.gaps;
        let mut index = self.first;
        let mut created = self.created.iter().peekable();
        let mut at = Rc::new(Moment::at(created.next().map_or(0, |c| c.1)));
        (0..self.count).map(move |position| {
            if position > 0 {
                index += decode_varint(&mut gaps).unwrap_or(0);
            }
            if let Some((_, ms)) = created.next_if(|c| c.0 == position) {
                at = Rc::new(Moment::at(*ms));
            }
            (index, Rc::clone(&at))
        })
    }

    /// The bytes the KPL sent: the aggregate (or the lone record) rendered from `source`.
    pub fn render(&self, source: &Source) -> Vec<u8> {
        let records: Vec<_> = self.members().map(|(index, at)| source.record(index, &at)).collect();
        match records.as_slice() {
            [one] => one.data.clone(),
            _ => aggregate(records.iter().map(|r| (r.partition_key.as_str(), r.data.as_slice()))),
        }
    }
}

/// An aggregate being filled, its exact encoded length kept as records join.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AggregateBuilder {
    first: u64,
    last: u64,
    gaps: Vec<u8>,
    created: Vec<(u32, u64)>,
    count: u32,
    /// The partition key table, each key by its [`key_id`], in table order.
    keys: Vec<u64>,
    /// Length of the protobuf `AggregatedRecord`.
    body: usize,
    /// The first record's size: the whole length when it stays alone.
    lone: u32,
}

impl AggregateBuilder {
    /// Adds record `index`, created at `created_ms`, routed as `route`.
    pub fn push(&mut self, index: u64, created_ms: u64, route: &Route) {
        if self.count == 0 {
            (self.first, self.lone) = (index, route.size);
        } else {
            encode_varint(index - self.last, &mut self.gaps);
        }
        if self.created.last().is_none_or(|c| c.1 != created_ms) {
            self.created.push((self.count, created_ms));
        }
        let key = key_id(route.hash);
        let key_index = match self.keys.iter().position(|k| *k == key) {
            Some(i) => i,
            None => {
                self.keys.push(key);
                self.body += field_len(TABLE_TAG, route.key_len as usize);
                self.keys.len() - 1
            }
        };
        let record = key_len(KEY_INDEX_TAG) + encoded_len_varint(key_index as u64) + field_len(DATA_TAG, route.size as usize);
        self.body += field_len(RECORDS_TAG, record);
        self.last = index;
        self.count += 1;
    }

    pub fn count(&self) -> u64 {
        u64::from(self.count)
    }

    /// The first record's index and creation time (its key is the aggregate's).
    pub fn first(&self) -> Option<(u64, u64)> {
        Some((self.first, self.created.first()?.1))
    }

    /// The finished aggregate of `source`'s records.
    pub fn finish(self, source: SourceId) -> AggregateRef {
        let size = if self.count == 1 { self.lone } else { (OVERHEAD + self.body) as u32 };
        AggregateRef { source, first: self.first, gaps: self.gaps.into(), created: self.created.into(), count: self.count, size }
    }
}

/// Protobuf tags of `AggregatedRecord.partition_key_table`, `.records`, and of a `Record`'s
/// `partition_key_index` and `data`.
const TABLE_TAG: u32 = 1;
const RECORDS_TAG: u32 = 3;
const KEY_INDEX_TAG: u32 = 1;
const DATA_TAG: u32 = 3;

/// A length-delimited protobuf field of `len` bytes: tag, length, bytes.
fn field_len(tag: u32, len: usize) -> usize {
    key_len(tag) + encoded_len_varint(len as u64) + len
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::engine::producers::keys::KeyStrategy;
    use crate::engine::producers::generator::RecordKind;

    fn source(kind: usize, strategy: usize, seed: u64, min_size: usize) -> Source {
        let keys = match strategy {
            0 => KeyStrategy::Natural,
            1 => KeyStrategy::Random,
            _ => KeyStrategy::Few { count: 3 },
        };
        Source { kind: [RecordKind::Tweets, RecordKind::StockTicks, RecordKind::GameEvents][kind], seed, keys, use_alternate: false, min_size }
    }

    proptest::proptest! {
        /// A referenced aggregate renders to exactly the bytes the KPL aggregated from the
        /// rendered records, and its length, known without rendering, is theirs.
        #[test]
        fn a_reference_renders_to_the_kpl_aggregate_of_its_records(
            seed: u64, kind in 0usize..3, strategy in 0usize..3, min_size in 0usize..300,
            first in 0u64..1_000_000_000, steps in proptest::collection::vec((1u64..200_000, 0u64..3), 1..60), ms in 0u64..4_000_000_000_000,
        ) {
            let source = source(kind, strategy, seed, min_size);
            let mut builder = AggregateBuilder::default();
            let mut records = Vec::new();
            let (mut index, mut created) = (first, ms);
            for (i, (gap, later)) in steps.iter().enumerate() {
                if i > 0 {
                    index += gap;
                    created += later * 100;
                }
                builder.push(index, created, &source.route(index, created));
                records.push(source.record(index, &Moment::at(created)));
            }
            let expected = match records.as_slice() {
                [one] => one.data.clone(),
                _ => aggregate(records.iter().map(|r| (r.partition_key.as_str(), r.data.as_slice()))),
            };
            let reference = builder.finish(SourceId(0));
            proptest::prop_assert_eq!(reference.count(), records.len() as u64);
            proptest::prop_assert_eq!(reference.len(), expected.len());
            proptest::prop_assert_eq!(reference.render(&source), expected);
        }
    }

    #[test]
    fn a_reference_survives_a_snapshot() {
        let source = source(1, 0, 7, 0);
        let mut builder = AggregateBuilder::default();
        for (index, ms) in [(5, 1_000), (9, 1_000), (400, 1_100)] {
            builder.push(index, ms, &source.route(index, ms));
        }
        // Through `serde_json::Value`, as tools editing a saved world read it: every number fits.
        let json = serde_json::from_str::<serde_json::Value>(&serde_json::to_string(&builder).unwrap()).unwrap();
        let back: AggregateBuilder = serde_json::from_value(json).unwrap();
        assert_eq!(back, builder);
        let reference = builder.finish(SourceId(2));
        let back: AggregateRef = serde_json::from_str(&serde_json::to_string(&reference).unwrap()).unwrap();
        assert_eq!(back, reference);
        let members: Vec<(u64, u64)> = back.members().map(|(i, at)| (i, at.ms)).collect();
        assert_eq!(members, [(5, 1_000), (9, 1_000), (400, 1_100)]);
    }
}
