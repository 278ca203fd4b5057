//! A shard: a hash key range, its records in arrival order, and its throughput budgets.

use super::hashing::HashKeyRange;
use super::metrics::MetricSeries;
use super::record_data::{ReadData, RecordData};
use super::sources::Sources;
use super::sequence::{SequenceNumber, ENDING_COUNTER};
use super::throughput::{ReadBudget, TokenBucket, WriteBudget, ITERATOR_CALLS_PER_S};
use std::rc::Rc;

/// A record's data, shared (not copied) by every reader of the record: GetRecords, consumers,
/// Firehose. `Rc` rather than `bytes::Bytes`: its count sits in the data's own allocation (16
/// bytes per record), where a cloned `Bytes` takes 32 plus a separate 24-byte shared header.
pub type Payload = Rc<[u8]>;
use serde::{Deserialize, Serialize, Serializer};
use std::collections::VecDeque;

/// The largest index AWS accepts in a shard id.
const MAX_SHARD_INDEX: u64 = 2_147_483_647;

/// `shardId-` and the zero-padded 12-digit index.
pub fn shard_id(index: u32) -> String {
    // Written by hand: this runs for every record PutRecords answers.
    let mut id = String::with_capacity(20);
    id.push_str("shardId-");
    let digits = index.to_string();
    for _ in digits.len()..12 {
        id.push('0');
    }
    id.push_str(&digits);
    id
}

/// A shard index written as its id, for serde.
pub fn as_shard_id<S: Serializer>(index: &u32, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&shard_id(*index))
}

/// AWS reads any `<anything>-<digits>` or bare `<digits>` as a shard index.
pub fn parse_shard_id(raw: &str) -> Option<u32> {
    let digits = raw.rsplit('-').next().unwrap_or(raw);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let trimmed = digits.trim_start_matches('0');
    if trimmed.len() > 10 {
        return None;
    }
    let value: u64 = if trimmed.is_empty() {
        0
    } else {
        trimmed.parse().ok()?
    };
    if value > MAX_SHARD_INDEX {
        return None;
    }
    u32::try_from(value).ok()
}

/// One record as stored: enough to rebuild its sequence number and its GetRecords entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRecord {
    pub counter: u64,
    pub arrival_ms: u64,
    pub partition_key: String,
    pub data: RecordData,
}

impl StoredRecord {
    /// Bytes counted against throughput limits: data plus partition key.
    pub fn size(&self) -> u64 {
        (self.data.len() + self.partition_key.len()) as u64
    }

    /// The record's data as readers get it, from a world with `sources`.
    pub fn read_data(&self, sources: &Sources) -> ReadData {
        ReadData::new(&self.data, self.arrival_ms, sources)
    }
}

/// Cumulative counters the UI shows beside each shard.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardTotals {
    pub records_in: u64,
    pub bytes_in: u64,
    pub records_out: u64,
    pub bytes_out: u64,
    pub write_throttled: u64,
    pub read_throttled: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u32,
    pub hash_range: HashKeyRange,
    pub parent: Option<u32>,
    pub adjacent_parent: Option<u32>,
    pub created_ms: u64,
    /// Stream counter when the shard opened; its StartingSequenceNumber carries it.
    pub starting_counter: u64,
    pub closed_ms: Option<u64>,
    pub records: VecDeque<StoredRecord>,
    pub write: WriteBudget,
    pub read: ReadBudget,
    pub iterator_calls: TokenBucket,
    pub metrics: MetricSeries,
    pub totals: ShardTotals,
}

impl Shard {
    pub fn new(
        index: u32,
        hash_range: HashKeyRange,
        parents: (Option<u32>, Option<u32>),
        now_ms: u64,
        starting_counter: u64,
    ) -> Self {
        Self {
            index,
            hash_range,
            parent: parents.0,
            adjacent_parent: parents.1,
            created_ms: now_ms,
            starting_counter,
            closed_ms: None,
            records: VecDeque::new(),
            write: WriteBudget::new(now_ms),
            read: ReadBudget::new(now_ms),
            iterator_calls: TokenBucket::full(ITERATOR_CALLS_PER_S, now_ms),
            metrics: MetricSeries::default(),
            totals: ShardTotals::default(),
        }
    }

    pub fn id(&self) -> String {
        shard_id(self.index)
    }

    pub fn is_open(&self) -> bool {
        self.closed_ms.is_none()
    }

    /// Whether the shard was open at `ms` (created at or before it, not closed by then).
    pub fn open_at(&self, ms: u64) -> bool {
        self.created_ms <= ms && self.closed_ms.is_none_or(|c| c > ms)
    }

    pub fn sequence_number(&self, counter: u64, arrival_ms: u64) -> SequenceNumber {
        SequenceNumber {
            shard_created_s: self.created_ms / 1000,
            shard_index: self.index,
            counter,
            arrival_s: arrival_ms / 1000,
        }
    }

    pub fn starting_sequence_number(&self) -> String {
        self.sequence_number(self.starting_counter, self.created_ms).to_decimal()
    }

    pub fn ending_sequence_number(&self) -> Option<String> {
        self.closed_ms
            .map(|closed| self.sequence_number(ENDING_COUNTER, closed).to_decimal())
    }

    pub fn append(&mut self, record: StoredRecord) {
        self.totals.records_in += 1;
        self.totals.bytes_in += record.size();
        self.records.push_back(record);
    }

    /// Records with a counter above `after` that arrived at or after `visible_from_ms`
    /// (older ones are past retention), oldest first.
    pub fn readable_after(
        &self,
        after: u64,
        visible_from_ms: u64,
    ) -> impl Iterator<Item = &StoredRecord> {
        let first = self
            .records
            .partition_point(|r| r.counter <= after || r.arrival_ms < visible_from_ms);
        self.records.range(first..)
    }

    /// Counter of the newest record, or the starting counter of an empty shard.
    pub fn last_counter(&self) -> u64 {
        self.records
            .back()
            .map_or(self.starting_counter, |r| r.counter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_ids_are_zero_padded_to_twelve_digits() {
        assert_eq!(shard_id(0), "shardId-000000000000");
        assert_eq!(shard_id(12), "shardId-000000000012");
    }

    #[test]
    fn shard_id_input_is_lenient_like_aws() {
        assert_eq!(parse_shard_id("shardId-0"), Some(0));
        assert_eq!(parse_shard_id("shard-0"), Some(0));
        assert_eq!(parse_shard_id("a-00002147483647"), Some(2_147_483_647));
        assert_eq!(parse_shard_id("2147483647"), Some(2_147_483_647));
        assert_eq!(parse_shard_id("2147483648"), None);
        assert_eq!(parse_shard_id("2.14E4"), None);
        assert_eq!(parse_shard_id("ABKLFD8"), None);
        assert_eq!(parse_shard_id("shardId-"), None);
    }

    #[test]
    fn readable_after_skips_read_and_expired_records() {
        let mut s = Shard::new(0, HashKeyRange::FULL, (None, None), 0, 0);
        for c in 1..=5 {
            s.append(StoredRecord {
                counter: c,
                arrival_ms: c * 100,
                partition_key: "k".into(),
                data: RecordData::from(Vec::new()),
            });
        }
        let counters = |after, from| {
            s.readable_after(after, from)
                .map(|r| r.counter)
                .collect::<Vec<_>>()
        };
        assert_eq!(counters(0, 0), vec![1, 2, 3, 4, 5]);
        assert_eq!(counters(3, 0), vec![4, 5]);
        assert_eq!(counters(0, 250), vec![3, 4, 5]);
    }
}
