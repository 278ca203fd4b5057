//! What a consumer has processed, kept small enough for a day of traffic: per shard, counts
//! and the high-water mark; per partition key, the last position processed. That is enough
//! to prove order per key and to count duplicates after retries and lease moves.
//!
//! Positions are (stream counter, sub-sequence number). The counter behind every sequence
//! number is shared by all shards of a stream and grows with time, so a key's records stay
//! ordered by it across a reshard too.

use crate::engine::streams::hashing::hash_key;
use crate::engine::streams::records::FetchedRun;
use crate::engine::streams::sequence::SequenceNumber;
use crate::engine::streams::record_data::ReadData;
use crate::engine::streams::stream::Stream;
use serde::{Deserialize, Serialize, Serializer};
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

/// Keys tracked for order; beyond this (random keys) new keys are counted but not tracked.
const MAX_TRACKED_KEYS: usize = 100_000;

/// One user record handed to the application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivered {
    pub shard_index: u32,
    pub sequence_number: SequenceNumber,
    pub counter: u64,
    pub sub_sequence: u64,
    pub partition_key: String,
    pub data: ReadData,
    pub arrival_ms: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShardProgress {
    /// User records processed for the first time.
    pub processed: u64,
    /// User records processed again (after a retry, a restart or a lease move).
    pub duplicates: u64,
    pub last_sequence_number: Option<SequenceNumber>,
    /// Highest position processed, per lane (a Lambda parallelization slot; else lane 0).
    high_water: BTreeMap<u32, (u64, u64)>,
    /// Kinesis records fetched for the first time (an aggregate counts once).
    pub kinesis_records: u64,
    /// Counter of the newest Kinesis record fetched.
    fetched_up_to: u64,
    /// Records of the shard that existed but were out of reach when reading started.
    baseline: u64,
    started: bool,
    /// MillisBehindLatest of the last read.
    pub lag_ms: u64,
    /// Records that expired (past retention) before this consumer read them.
    pub lost: u64,
    pub read_throttled: u64,
    /// The shard was read to its end (a closed parent).
    pub finished: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub shards: BTreeMap<u32, ShardProgress>,
    /// Newest position seen per partition key, keyed by half its MD5 hash key: integer
    /// lookups on every record instead of string comparisons. Two keys sharing a hash (odds
    /// about n²/2^65) would only blur each other's order check.
    #[serde(serialize_with = "sorted")]
    key_last: HashMap<u64, (u64, u64), BuildHasherDefault<KeyHashMixer>>,
    pub out_of_order: u64,
    pub untracked_keys: u64,
}

impl Progress {
    /// Notes where reading a shard starts: records at or before `after_counter`, and those
    /// already past retention, are not this consumer's to lose.
    pub fn start_shard(&mut self, stream: &Stream, index: u32, after_counter: u64, now_ms: u64) {
        let Some(shard) = stream.shard(index) else { return };
        let p = self.shards.entry(index).or_default();
        if !p.started {
            p.started = true;
            p.baseline = shard.totals.records_in - readable(stream, index, after_counter, now_ms);
        }
    }

    /// Notes a Kinesis record fetched from a shard, before any processing.
    pub fn fetched(&mut self, shard_index: u32, counter: u64) {
        let p = self.shards.entry(shard_index).or_default();
        if counter > p.fetched_up_to {
            p.fetched_up_to = counter;
            p.kinesis_records += 1;
        }
    }

    /// Notes a run of Kinesis records fetched from a shard, before any processing.
    pub fn fetched_run(&mut self, shard_index: u32, run: &FetchedRun) {
        let p = self.shards.entry(shard_index).or_default();
        let last = run.last_counter();
        if last > p.fetched_up_to {
            // Counters of a run are consecutive: those above the old mark are new.
            p.kinesis_records += last - p.fetched_up_to.max(run.first_counter - 1);
            p.fetched_up_to = last;
        }
    }

    /// Notes a run of user records processed in lane 0: those at or below the lane's
    /// high-water mark are duplicates. In a shard that was never resharded a key's records
    /// are all in that shard, where counters order them, so keys are checked one by one only
    /// when `resharded`.
    pub fn record_run(&mut self, shard_index: u32, run: &FetchedRun, resharded: bool) {
        let p = self.shards.entry(shard_index).or_default();
        let high_water = p.high_water.entry(0).or_default();
        let (first, last) = (run.first_counter, run.last_counter());
        let repeated = if high_water.0 >= first { high_water.0.min(last) - first + 1 } else { 0 };
        p.duplicates += repeated;
        if first + repeated > last {
            return;
        }
        *high_water = (last, 0);
        p.processed += last - first + 1 - repeated;
        p.last_sequence_number = Some(run.sequence_number(last));
        if resharded {
            for (counter, r) in (first..).zip(run.slice.records(&*run.source)).skip(repeated as usize) {
                self.note_key(key_id(r.route.hash), (counter, 0));
            }
        }
    }

    /// Notes a user record processed; returns false when it was a duplicate.
    pub fn record(&mut self, r: &Delivered) -> bool {
        self.record_in_lane(r, 0)
    }

    /// As [`Progress::record`], for consumers that process disjoint sets of keys of one shard
    /// concurrently (each lane keeps its own order).
    pub fn record_in_lane(&mut self, r: &Delivered, lane: u32) -> bool {
        let p = self.shards.entry(r.shard_index).or_default();
        let position = (r.counter, r.sub_sequence);
        let high_water = p.high_water.entry(lane).or_default();
        if position <= *high_water {
            p.duplicates += 1;
            return false;
        }
        *high_water = position;
        p.processed += 1;
        // Reuses the string's buffer: this runs for every record.
        p.last_sequence_number = Some(r.sequence_number);
        self.note_key(key_id(hash_key(&r.partition_key)), position);
        true
    }

    /// Notes a key's record processed at `position`, counting it out of order when the key
    /// was processed further on before.
    fn note_key(&mut self, key: u64, position: (u64, u64)) {
        let room = self.key_last.len() < MAX_TRACKED_KEYS;
        match self.key_last.get_mut(&key) {
            Some(last) => {
                if position < *last {
                    self.out_of_order += 1;
                }
                *last = position.max(*last);
            }
            None if room => {
                self.key_last.insert(key, position);
            }
            None => self.untracked_keys += 1,
        }
    }

    /// Recomputes `lost` for every shard still in the stream: whatever arrived in the shard,
    /// minus what was out of reach at the start, what was fetched and what is still readable.
    pub fn count_losses(&mut self, stream: &Stream, now_ms: u64) {
        for (index, p) in self.shards.iter_mut() {
            let Some(shard) = stream.shard(*index) else { continue };
            let unread = readable(stream, *index, p.fetched_up_to, now_ms);
            p.lost = shard.totals.records_in.saturating_sub(p.baseline + p.kinesis_records + unread);
        }
    }

    pub fn totals(&self) -> ShardProgress {
        let mut t = ShardProgress::default();
        for p in self.shards.values() {
            t.processed += p.processed;
            t.duplicates += p.duplicates;
            t.kinesis_records += p.kinesis_records;
            t.lag_ms = t.lag_ms.max(p.lag_ms);
            t.lost += p.lost;
            t.read_throttled += p.read_throttled;
        }
        t
    }
}

/// Records of a shard after `after_counter` still within retention, counted without walking
/// them (the shard keeps them in counter and arrival order).
/// The map of keys is hashed (a lookup per record, with tens of thousands of keys a B-tree
/// was an eighth of the standard scenario's time) but written in key order, so the world's
/// JSON and state hash stay deterministic.
fn sorted<S: Serializer>(map: &HashMap<u64, (u64, u64), BuildHasherDefault<KeyHashMixer>>, s: S) -> Result<S::Ok, S::Error> {
    map.iter().collect::<BTreeMap<_, _>>().serialize(s)
}

/// Keys of `key_last` are already hashes; one multiply spreads their bits over the
/// whole word for the table's bucket and tag bits.
#[derive(Default)]
pub struct KeyHashMixer(u64);

impl Hasher for KeyHashMixer {
    fn finish(&self) -> u64 {
        self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(26)
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0 = bytes.iter().fold(self.0, |h, &b| h.rotate_left(8) ^ u64::from(b));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A key's identity in `key_last`: the top half of its MD5 hash key, which a run's records
/// carry already and a record stored alone gets from the memo.
fn key_id(hash: u128) -> u64 {
    (hash >> 64) as u64
}

fn readable(stream: &Stream, index: u32, after_counter: u64, now_ms: u64) -> u64 {
    let Some(shard) = stream.shard(index) else { return 0 };
    let horizon = stream.trim_horizon_ms(now_ms);
    shard.readable_count(after_counter, horizon)
}
