//! A shard: a hash key range, its records in arrival order, and its throughput budgets.

use super::hashing::HashKeyRange;
use super::metrics::MetricSeries;
use super::record_data::{ReadData, RecordData};
use super::run::{Batch, RunSlice};
use super::sources::{SourceId, Sources};
use crate::engine::producers::generator::Route;
use super::sequence::{SequenceNumber, ENDING_COUNTER};
use super::throughput::{ReadBudget, TokenBucket, WriteBudget, ITERATOR_CALLS_PER_S};
use std::rc::Rc;

/// A record's data, shared (not copied) by every reader of the record: GetRecords, consumers,
/// Firehose. `Rc` rather than `bytes::Bytes`: its count sits in the data's own allocation (16
/// bytes per record), where a cloned `Bytes` takes 32 plus a separate 24-byte shared header.
pub type Payload = Rc<[u8]>;
use serde::{Deserialize, Serialize, Serializer};
use super::entries::Entries;

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
}

/// A built-in producer's records of one PutRecords call that the shard accepted: the first
/// `take` of the call's records whose keys hash into the shard's range, with consecutive
/// counters from `first_counter`. No per-record data: readers regenerate the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredRun {
    pub first_counter: u64,
    pub batch: Batch,
    pub take: u32,
    /// Data plus partition keys of the `take` records.
    pub bytes: u32,
    /// Data alone (what Firehose buffers and delivers).
    pub data_bytes: u32,
}

/// What a shard holds, oldest first: records stored one by one (hand-typed, user code, KPL
/// aggregates, agent lines) and runs of a built-in producer's records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Held {
    Record(Box<StoredRecord>),
    Run(StoredRun),
}

/// One entry of a shard: what it holds and how many records the shard took before it, so
/// records are counted from any position without walking them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub before: u64,
    pub held: Held,
}

impl Entry {
    pub fn first_counter(&self) -> u64 {
        match &self.held {
            Held::Record(r) => r.counter,
            Held::Run(run) => run.first_counter,
        }
    }

    pub fn last_counter(&self) -> u64 {
        match &self.held {
            Held::Record(r) => r.counter,
            Held::Run(run) => run.first_counter + u64::from(run.take) - 1,
        }
    }

    pub fn arrival_ms(&self) -> u64 {
        match &self.held {
            Held::Record(r) => r.arrival_ms,
            Held::Run(run) => run.batch.created_ms,
        }
    }

    pub fn count(&self) -> u64 {
        match &self.held {
            Held::Record(_) => 1,
            Held::Run(run) => u64::from(run.take),
        }
    }

    pub fn bytes(&self) -> u64 {
        match &self.held {
            Held::Record(r) => r.size(),
            Held::Run(run) => u64::from(run.bytes),
        }
    }

    /// How many of the entry's records have a counter at or below `after`.
    fn read_up_to(&self, after: u64) -> u64 {
        (after.saturating_add(1)).saturating_sub(self.first_counter()).min(self.count())
    }
}

/// One record of a shard as readers see it, stored alone or regenerated from a run.
#[derive(Debug, Clone, PartialEq)]
pub struct ShardRecord<'a> {
    pub counter: u64,
    pub arrival_ms: u64,
    pub stored: Stored<'a>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Stored<'a> {
    Alone(&'a StoredRecord),
    Generated { source: SourceId, index: u64, route: Route },
}

impl ShardRecord<'_> {
    /// Bytes counted against throughput limits: data plus partition key.
    pub fn size(&self) -> u64 {
        match &self.stored {
            Stored::Alone(r) => r.size(),
            Stored::Generated { route, .. } => u64::from(route.size + route.key_len),
        }
    }

    /// The record's data as readers get it, from a world with `sources`.
    pub fn read_data(&self, sources: &Sources) -> ReadData {
        match &self.stored {
            Stored::Alone(r) => ReadData::new(&r.data, r.arrival_ms, sources),
            Stored::Generated { source, index, route } => {
                ReadData::new(&RecordData::Generated { source: *source, index: *index, size: route.size }, self.arrival_ms, sources)
            }
        }
    }

    /// The partition key as sent; a generated record's is regenerated.
    pub fn partition_key(&self, sources: &Sources) -> String {
        match &self.stored {
            Stored::Alone(r) => r.partition_key.clone(),
            Stored::Generated { source, index, .. } => {
                sources.get(*source).map(|s| s.partition_key(*index, self.arrival_ms)).unwrap_or_default()
            }
        }
    }

    /// The partition key's MD5 as a hash key (not an ExplicitHashKey: the shard does not keep
    /// those).
    pub fn key_hash(&self) -> u128 {
        match &self.stored {
            Stored::Alone(r) => super::hashing::hash_key(&r.partition_key),
            Stored::Generated { route, .. } => route.hash,
        }
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
    pub entries: Entries<Entry>,
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
            entries: Entries::default(),
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

    fn push(&mut self, held: Held, count: u64, bytes: u64) {
        self.entries.push_back(Entry { before: self.totals.records_in, held });
        self.totals.records_in += count;
        self.totals.bytes_in += bytes;
    }

    pub fn append(&mut self, record: StoredRecord) {
        let bytes = record.size();
        self.push(Held::Record(Box::new(record)), 1, bytes);
    }

    pub fn append_run(&mut self, run: StoredRun) {
        self.push(Held::Run(run), u64::from(run.take), u64::from(run.bytes));
    }

    /// Index of the first entry with a record above `after` that arrived at or after
    /// `visible_from_ms`, and how many of that entry's records are at or below `after`.
    pub fn position(&self, after: u64, visible_from_ms: u64) -> (usize, u64) {
        let first = self.entries.partition_point(|e| e.last_counter() <= after || e.arrival_ms() < visible_from_ms);
        (first, self.entries.get(first).map_or(0, |e| e.read_up_to(after)))
    }

    /// How many records have a counter above `after` and arrived at or after
    /// `visible_from_ms`, counted without walking them.
    pub fn readable_count(&self, after: u64, visible_from_ms: u64) -> u64 {
        let (first, skip) = self.position(after, visible_from_ms);
        match self.entries.get(first) {
            Some(e) => self.totals.records_in - e.before - skip,
            None => 0,
        }
    }

    /// The run's records from the `from`-th on, as a slice readers regenerate.
    pub fn run_slice(&self, run: &StoredRun, from: u32) -> RunSlice {
        RunSlice { batch: run.batch, range: self.hash_range, skip: 0, take: run.take }.part(from, run.take)
    }

    /// Records with a counter above `after` that arrived at or after `visible_from_ms`
    /// (older ones are past retention), oldest first; runs are regenerated from `sources`.
    pub fn readable_after<'a>(&'a self, after: u64, visible_from_ms: u64, sources: &'a Sources) -> impl Iterator<Item = ShardRecord<'a>> + 'a {
        let (first, skip) = self.position(after, visible_from_ms);
        self.entries.range_from(first).enumerate().flat_map(move |(i, e)| {
            let from = if i == 0 { skip } else { 0 };
            self.entry_records(e, from as u32, sources)
        })
    }

    /// An entry's records from its `from`-th on.
    pub fn entry_records<'a>(&'a self, e: &'a Entry, from: u32, sources: &'a Sources) -> Box<dyn Iterator<Item = ShardRecord<'a>> + 'a> {
        match &e.held {
            Held::Record(r) => Box::new((from == 0).then(|| ShardRecord { counter: r.counter, arrival_ms: r.arrival_ms, stored: Stored::Alone(r) }).into_iter()),
            Held::Run(run) => {
                let slice = self.run_slice(run, from);
                let counter = run.first_counter + u64::from(from);
                let arrival_ms = run.batch.created_ms;
                let source = run.batch.source;
                match sources.get(source) {
                    Some(s) => Box::new(
                        (0..)
                            .zip(slice.records(std::rc::Rc::clone(s)))
                            .map(move |(i, r)| ShardRecord { counter: counter + i, arrival_ms, stored: Stored::Generated { source, index: r.index, route: r.route } }),
                    ),
                    None => Box::new(std::iter::empty()),
                }
            }
        }
    }

    /// The newest records that arrived at or after `since_ms`, newest entry first (a run's
    /// records in their own order).
    pub fn newest_since<'a>(&'a self, since_ms: u64, sources: &'a Sources) -> impl Iterator<Item = ShardRecord<'a>> + 'a {
        self.entries.iter().rev().take_while(move |e| e.arrival_ms() >= since_ms).flat_map(move |e| self.entry_records(e, 0, sources))
    }

    /// Removes records that arrived before `horizon`; returns how many.
    pub fn trim_before(&mut self, horizon: u64) -> u64 {
        let expired = self.entries.partition_point(|e| e.arrival_ms() < horizon);
        let removed = self.entries.get(expired).map_or(self.totals.records_in, |e| e.before) - self.entries.front().map_or(0, |e| e.before);
        self.entries.drop_front(expired);
        removed
    }

    /// Counter of the newest record, or the starting counter of an empty shard.
    pub fn last_counter(&self) -> u64 {
        self.entries.back().map_or(self.starting_counter, Entry::last_counter)
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
        let sources = Sources::default();
        let counters = |after, from| {
            s.readable_after(after, from, &sources)
                .map(|r| r.counter)
                .collect::<Vec<_>>()
        };
        assert_eq!(counters(0, 0), vec![1, 2, 3, 4, 5]);
        assert_eq!(counters(3, 0), vec![4, 5]);
        assert_eq!(counters(0, 250), vec![3, 4, 5]);
    }
}
