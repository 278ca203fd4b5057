//! A Lambda event source mapping on a stream: it polls each shard (sharing the shard's read
//! budget, as every polling reader does), batches records per shard up to `BatchSize` or
//! `MaximumBatchingWindowInSeconds`, and invokes the function on up to
//! `ParallelizationFactor` batches per shard at once, keys split between them so each key
//! stays in order. A failed batch is retried whole (records before the failure are
//! processed again: duplicates), split in two with `BisectBatchOnFunctionError`, and
//! dropped after `MaximumRetryAttempts`; with unlimited retries a poison record blocks its
//! key's lane until it expires, and IteratorAge climbs.
//!
//! The function itself is simulated: a record fails it when its position hashes into the
//! configured `functionErrorPercent`, the same way on every attempt, as a real bug would.

use super::config::{ConsumerConfig, LambdaSettings};
use super::progress::{Delivered, Progress};
use super::shard_reader::{Delivery, ShardReader};
use crate::engine::lambda::{in_percent, FunctionFault, SPREAD};
use crate::engine::streams::hashing::hash_key;
use crate::engine::streams::KinesisService;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};

/// Records an event source mapping holds per shard before it stops fetching.
const MAX_BUFFERED_PER_SHARD: usize = 10_000;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct FailedBatch {
    records: Vec<Delivered>,
    attempts: u32,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Lane {
    waiting: VecDeque<Delivered>,
    /// Batches that failed, retried before anything newer.
    retries: VecDeque<FailedBatch>,
    oldest_ms: Option<u64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvocationStats {
    pub invocations: u64,
    pub function_errors: u64,
    /// Invocations that ran past the function's timeout (an injected fault); also counted
    /// in `function_errors`.
    pub timeouts: u64,
    /// Records never processed because their batch was given up after MaximumRetryAttempts
    /// or when its records expired: the failing record and those after it (the whole batch would go to an on-failure
    /// destination, if one were configured).
    pub records_discarded: u64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EventSourceMapping {
    readers: BTreeMap<u32, ShardReader>,
    #[serde(with = "crate::engine::map_entries")]
    lanes: BTreeMap<(u32, u32), Lane>,
    pub stats: InvocationStats,
    /// An injected fault making the function fail while it lasts.
    pub fault: Option<FunctionFault>,
}

impl EventSourceMapping {
    pub fn tick(&mut self, now_ms: u64, kinesis: &mut KinesisService, config: &ConsumerConfig, progress: &mut Progress) {
        let settings = &config.lambda;
        let Some(stream) = kinesis.stream(&config.stream) else { return };
        let horizon = stream.trim_horizon_ms(now_ms);
        for shard in &stream.shards {
            self.readers.entry(shard.index).or_insert_with(|| ShardReader::new(shard.index));
        }
        for reader in self.readers.values_mut() {
            let index = reader.shard_index;
            let buffered: usize = self.lanes.range((index, 0)..(index, u32::MAX)).map(|(_, l)| l.waiting.len()).sum();
            if buffered < MAX_BUFFERED_PER_SHARD {
                let limit = config.limit.min((MAX_BUFFERED_PER_SHARD - buffered) as u32);
                for r in reader.read(now_ms, kinesis, &config.stream, config.start, None, limit, config.deaggregate, progress).into_iter().flat_map(Delivery::into_records) {
                    let slot = (hash_key(&r.partition_key) % u128::from(settings.parallelization_factor)) as u32;
                    let lane = self.lanes.entry((index, slot)).or_default();
                    lane.oldest_ms.get_or_insert(now_ms);
                    lane.waiting.push_back(r);
                }
            }
        }
        // Invocations of one lane run one after another, each taking the function's duration;
        // after a function error the lane waits for the next poll to retry.
        let per_tick = (config.poll_interval_ms / settings.function_duration_ms).max(1);
        let mut iterator_age: BTreeMap<u32, u64> = BTreeMap::new();
        for ((shard, slot), lane) in self.lanes.iter_mut() {
            for _ in 0..per_tick {
                let Some(batch) = lane.next_batch(now_ms, settings) else { break };
                self.stats.invocations += 1;
                // IteratorAge: the age of the batch's last record when the function gets it.
                let age = batch.records.last().map_or(0, |r| now_ms.saturating_sub(r.arrival_ms));
                let oldest = iterator_age.entry(*shard).or_default();
                *oldest = (*oldest).max(age);
                if !invoke(batch, *slot, lane, settings, self.fault, horizon, progress, &mut self.stats) {
                    break;
                }
            }
        }
        for (shard, age) in iterator_age {
            progress.shards.entry(shard).or_default().lag_ms = age;
        }
    }
}

impl Lane {
    fn next_batch(&mut self, now_ms: u64, settings: &LambdaSettings) -> Option<FailedBatch> {
        if let Some(retry) = self.retries.pop_front() {
            return Some(retry);
        }
        let full = self.waiting.len() >= settings.batch_size;
        let waited = self.oldest_ms.is_some_and(|t| now_ms >= t + settings.batching_window_ms);
        if self.waiting.is_empty() || !(full || waited) {
            return None;
        }
        let n = self.waiting.len().min(settings.batch_size);
        let records: Vec<Delivered> = self.waiting.drain(..n).collect();
        self.oldest_ms = if self.waiting.is_empty() { None } else { Some(now_ms) };
        Some(FailedBatch { records, attempts: 0 })
    }
}

/// One invocation; false when the function failed. `horizon`: records that arrived before
/// it have expired from the stream; with unlimited retries, that is when a failing batch is
/// finally given up.
#[allow(clippy::too_many_arguments)]
fn invoke(mut batch: FailedBatch, slot: u32, lane: &mut Lane, settings: &LambdaSettings, fault: Option<FunctionFault>, horizon: u64, progress: &mut Progress, stats: &mut InvocationStats) -> bool {
    // A timeout ends the invocation before any record's result counts; injected errors
    // raise the share of records the function throws on.
    let percent = match fault {
        Some(FunctionFault::Timeouts) => 100,
        Some(FunctionFault::Errors { percent }) => percent.max(settings.function_error_percent),
        None => settings.function_error_percent,
    };
    if fault == Some(FunctionFault::Timeouts) {
        stats.timeouts += 1;
    }
    let Some(failure) = batch.records.iter().position(|r| poisoned(r, percent)) else {
        for r in &batch.records {
            progress.record_in_lane(r, slot);
        }
        return true;
    };
    // The function handles records in order until the one that throws.
    for r in &batch.records[..failure] {
        progress.record_in_lane(r, slot);
    }
    stats.function_errors += 1;
    batch.attempts += 1;
    let expired = batch.records.first().is_some_and(|r| r.arrival_ms < horizon);
    if expired || settings.max_retry_attempts.is_some_and(|max| batch.attempts > max) {
        stats.records_discarded += (batch.records.len() - failure) as u64;
        return false;
    }
    if settings.bisect_on_error && batch.records.len() > 1 {
        let second = batch.records.split_off(batch.records.len() / 2);
        lane.retries.push_front(FailedBatch { records: second, attempts: batch.attempts });
    }
    lane.retries.push_front(batch);
    false
}

/// Whether the simulated function throws on this record (the same on every attempt).
fn poisoned(r: &Delivered, percent: u32) -> bool {
    percent > 0 && in_percent(r.counter.wrapping_mul(SPREAD) ^ r.sub_sequence, percent)
}
