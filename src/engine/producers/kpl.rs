//! The Kinesis Producer Library's behaviour: user records are aggregated per predicted shard
//! (at most `AggregationMaxSize` bytes, at most `RecordMaxBufferedTime` old), aggregates are
//! collected into PutRecords calls, each shard's sends are held to `RateLimit` percent of its
//! write limit, and throttled aggregates are retried with backoff until `RecordTtl` expires.

use super::aggregation::{added_size, OVERHEAD};
use super::config::{KplSettings, ProducerConfig};
use super::generator::{Route, Source};
use super::metrics::ProducerMetrics;
use super::{put_records, Outcome, PUT_RECORDS_MAX_BYTES};
use crate::engine::streams::aggregate_ref::AggregateBuilder;
use crate::engine::streams::record_data::RecordData;
use crate::engine::streams::records::RecordInput;
use crate::engine::streams::sources::SourceId;
use crate::engine::streams::throughput::{TokenBucket, WRITE_BYTES_PER_S, WRITE_RECORDS_PER_S};
use crate::engine::streams::KinesisService;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};

/// PutRecords takes at most 500 records (the KPL's `CollectionMaxCount`).
const COLLECTION_MAX_COUNT: usize = 500;
const FIRST_BACKOFF_MS: u64 = 100;
const MAX_BACKOFF_MS: u64 = 3_200;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct OpenAggregate {
    records: AggregateBuilder,
    /// The KPL's upper bound of the encoded size, which decides when the aggregate is full.
    size: usize,
    oldest_ms: u64,
}

/// One Kinesis record the KPL will send: an aggregate, or a lone user record sent plain
/// (the KPL does not wrap a single record), referenced rather than rendered.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Outgoing {
    shard: u32,
    partition_key: String,
    data: RecordData,
    user_records: u64,
    created_ms: u64,
    attempts: u32,
    not_before_ms: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct ShardLimit {
    records: TokenBucket,
    bytes: TokenBucket,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Kpl {
    open: BTreeMap<u32, OpenAggregate>,
    outbox: VecDeque<Outgoing>,
    limits: BTreeMap<u32, ShardLimit>,
}

impl Kpl {
    /// One tick: `records` (indexes of `source`'s records, created now, with their routes)
    /// buffered, and whatever is due sent.
    pub fn tick(&mut self, now_ms: u64, kinesis: &mut KinesisService, config: &ProducerConfig, metrics: &mut ProducerMetrics, source: (SourceId, &Source), records: Vec<(u64, Route)>) {
        let settings = &config.kpl;
        match kinesis.stream(&config.stream) {
            Some(stream) => {
                for (index, route) in records {
                    // Predicted from the shard map as the KPL caches it from ListShards.
                    let shard = stream.route(route.hash).unwrap_or(0);
                    self.add(now_ms, shard, index, &route, settings, source);
                }
            }
            None if !records.is_empty() => metrics.refused(records.len() as u64, format!("Stream {} not found.", config.stream)),
            None => {}
        }
        let due: Vec<u32> =
            self.open.iter().filter(|(_, a)| a.oldest_ms + settings.record_max_buffered_time_ms <= now_ms).map(|(s, _)| *s).collect();
        for shard in due {
            self.seal(shard, source);
        }
        self.send(now_ms, kinesis, config, metrics);
        metrics.in_flight = self.open.values().map(|a| a.records.count()).sum::<u64>() + self.outbox.iter().map(|o| o.user_records).sum::<u64>();
    }

    fn add(&mut self, now_ms: u64, shard: u32, index: u64, route: &Route, settings: &KplSettings, source: (SourceId, &Source)) {
        let extra = added_size(route.key_len as usize, route.size as usize);
        if self.open.get(&shard).is_some_and(|a| a.size + extra > settings.aggregation_max_size) {
            self.seal(shard, source);
        }
        let open = self.open.entry(shard).or_insert_with(|| OpenAggregate { records: AggregateBuilder::default(), size: OVERHEAD, oldest_ms: now_ms });
        open.size += extra;
        open.records.push(index, now_ms, route);
    }

    /// Queues shard `shard`'s open aggregate, keyed by its first record's partition key.
    fn seal(&mut self, shard: u32, (id, source): (SourceId, &Source)) {
        let Some(open) = self.open.remove(&shard) else { return };
        let Some((first, created_ms)) = open.records.first() else { return };
        let partition_key = source.partition_key(first, created_ms);
        let user_records = open.records.count();
        let data = RecordData::Aggregate(open.records.finish(id));
        self.outbox.push_back(Outgoing { shard, partition_key, data, user_records, created_ms: open.oldest_ms, attempts: 0, not_before_ms: 0 });
    }

    /// Sends what is due and within each shard's rate limit, in PutRecords calls.
    fn send(&mut self, now_ms: u64, kinesis: &mut KinesisService, config: &ProducerConfig, metrics: &mut ProducerMetrics) {
        let percent = config.kpl.rate_limit_percent;
        let mut waiting = VecDeque::new();
        let mut batch: Vec<Outgoing> = Vec::new();
        let mut batch_bytes = 0;
        while let Some(o) = self.outbox.pop_front() {
            if now_ms.saturating_sub(o.created_ms) >= config.kpl.record_ttl_ms {
                metrics.refused(o.user_records, "Expiration reached while waiting in queue".to_string());
                continue;
            }
            let size = o.data.len() + o.partition_key.len();
            let limit = self.limits.entry(o.shard).or_insert_with(|| ShardLimit {
                records: TokenBucket::full(WRITE_RECORDS_PER_S * percent / 100, now_ms),
                bytes: TokenBucket::full(WRITE_BYTES_PER_S * percent / 100, now_ms),
            });
            let admitted = o.not_before_ms <= now_ms && limit.records.available(now_ms) >= 1 && limit.bytes.available(now_ms) >= size as u64;
            if !admitted {
                waiting.push_back(o);
                continue;
            }
            limit.records.try_take(now_ms, 1);
            limit.bytes.try_take(now_ms, size as u64);
            if batch.len() == COLLECTION_MAX_COUNT || batch_bytes + size > PUT_RECORDS_MAX_BYTES {
                self.put(now_ms, kinesis, config, metrics, std::mem::take(&mut batch), &mut waiting);
                batch_bytes = 0;
            }
            batch_bytes += size;
            batch.push(o);
        }
        if !batch.is_empty() {
            self.put(now_ms, kinesis, config, metrics, batch, &mut waiting);
        }
        self.outbox = waiting;
    }

    fn put(&mut self, now_ms: u64, kinesis: &mut KinesisService, config: &ProducerConfig, metrics: &mut ProducerMetrics, batch: Vec<Outgoing>, retry: &mut VecDeque<Outgoing>) {
        let inputs = batch.iter().map(|o| RecordInput { partition_key: o.partition_key.clone(), data: o.data.clone(), explicit_hash_key: None }).collect();
        let outcomes = put_records(now_ms, kinesis, &config.stream, inputs, metrics);
        for (mut o, outcome) in batch.into_iter().zip(outcomes) {
            match outcome {
                Outcome::Stored => metrics.acknowledged(o.user_records, o.created_ms, now_ms),
                Outcome::Throttled => {
                    o.attempts += 1;
                    o.not_before_ms = now_ms + (FIRST_BACKOFF_MS << (o.attempts - 1).min(5)).min(MAX_BACKOFF_MS);
                    metrics.retried += o.user_records;
                    retry.push_back(o);
                }
                Outcome::Refused(message) => metrics.refused(o.user_records, message),
            }
        }
    }
}
