//! A Kinesis data stream as a delivery stream's source. Firehose reads it like any polling
//! consumer: it starts at LATEST and calls GetRecords once per second per shard, and those
//! calls count against the shard's 5 reads/s and 2 MiB/s, so a student's own consumer on the
//! same shard sees its share of `ReadProvisionedThroughputExceeded`.

use crate::engine::api::error::KinesisError;
use crate::engine::streams::records::{IteratorType, StartingPosition};
use crate::engine::streams::KinesisService;
use base64::Engine as _;
use serde::Serialize;
use std::collections::BTreeMap;

/// Firehose polls each shard once per second [AWS].
pub const POLL_INTERVAL_MS: u64 = 1_000;

/// Records read by one poll of every shard.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Poll {
    /// Data and the record's arrival in the stream (ms).
    pub records: Vec<(Vec<u8>, u64)>,
    pub bytes: u64,
    pub throttled_calls: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KinesisSource {
    pub stream_name: String,
    pub stream_arn: String,
    pub role_arn: String,
    pub started_ms: u64,
    /// Shard id to the iterator of the next read; `None` until one could be obtained.
    iterators: BTreeMap<String, Option<String>>,
    pub next_poll_ms: u64,
}

fn position(kind: IteratorType) -> StartingPosition {
    StartingPosition { kind, sequence_number: None, timestamp: None }
}

impl KinesisSource {
    /// Starts reading every open shard at LATEST: records written before now are not read.
    pub fn start(stream_name: &str, stream_arn: &str, role_arn: &str, now_ms: u64, kinesis: &mut KinesisService) -> Self {
        let shard_ids: Vec<String> =
            kinesis.stream(stream_name).map(|s| s.open_shards().map(|sh| sh.id()).collect()).unwrap_or_default();
        let mut source = Self {
            stream_name: stream_name.to_string(),
            stream_arn: stream_arn.to_string(),
            role_arn: role_arn.to_string(),
            started_ms: now_ms,
            iterators: BTreeMap::new(),
            next_poll_ms: now_ms + POLL_INTERVAL_MS,
        };
        for id in shard_ids {
            let it = source.iterator(&id, IteratorType::Latest, now_ms, kinesis);
            source.iterators.insert(id, it);
        }
        source
    }

    fn iterator(&self, shard_id: &str, kind: IteratorType, now_ms: u64, kinesis: &mut KinesisService) -> Option<String> {
        kinesis.get_shard_iterator(now_ms, &self.stream_name, shard_id, position(kind)).ok().map(|o| o.shard_iterator)
    }

    /// One GetRecords call per shard. A throttled call keeps its iterator and is retried at the
    /// next poll; a closed shard hands over to its children, read from their start.
    pub fn poll(&mut self, now_ms: u64, kinesis: &mut KinesisService) -> Poll {
        self.next_poll_ms = now_ms + POLL_INTERVAL_MS;
        let mut poll = Poll::default();
        let b64 = base64::engine::general_purpose::STANDARD;
        let shard_ids: Vec<String> = self.iterators.keys().cloned().collect();
        for id in shard_ids {
            let current = self.iterators.get(&id).cloned().flatten();
            let Some(it) = current.or_else(|| self.iterator(&id, IteratorType::TrimHorizon, now_ms, kinesis)) else {
                continue;
            };
            match kinesis.get_records(now_ms, &it, None) {
                Ok(out) => {
                    for r in out.records {
                        let data = b64.decode(r.data.as_bytes()).unwrap_or_default();
                        poll.bytes += data.len() as u64;
                        poll.records.push((data, (r.approximate_arrival_timestamp * 1000.0).round() as u64));
                    }
                    match out.next_shard_iterator {
                        Some(next) => {
                            self.iterators.insert(id, Some(next));
                        }
                        None => {
                            self.iterators.remove(&id);
                            for child in out.child_shards.unwrap_or_default() {
                                self.iterators.entry(child.shard_id).or_insert(None);
                            }
                        }
                    }
                }
                Err(KinesisError::ProvisionedThroughputExceeded(_)) => {
                    poll.throttled_calls += 1;
                    self.iterators.insert(id, Some(it));
                }
                // Expired or stale iterator: start again from the oldest record still held.
                Err(_) => {
                    self.iterators.insert(id, None);
                }
            }
        }
        poll
    }
}
