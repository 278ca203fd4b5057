//! A Kinesis data stream as a delivery stream's source. Firehose reads it like any polling
//! consumer: it starts at LATEST and calls GetRecords once per second per shard, and those
//! calls count against the shard's 5 reads/s and 2 MiB/s, so a student's own consumer on the
//! same shard sees its share of `ReadProvisionedThroughputExceeded`.

use crate::engine::streams::sequence::SequenceNumber;
use crate::engine::api::error::KinesisError;
use crate::engine::streams::record_data::ReadData;
use crate::engine::streams::records::{expand, Fetched, IteratorType, StartingPosition};
use crate::engine::streams::run::RunSlice;
use crate::engine::streams::KinesisService;
use super::transform::KinesisRecordMetadata;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use crate::engine::producers::generator::Source;
use std::rc::Rc;

/// Firehose polls each shard once per second [AWS].
pub const POLL_INTERVAL_MS: u64 = 1_000;

/// What a delivery stream takes in, in order: one record, with where it came from when it
/// was read from a stream, or a run of a built-in producer's records read whole.
#[derive(Debug, PartialEq)]
pub enum Read {
    Record(ReadData, Option<KinesisRecordMetadata>),
    /// `bytes` is the slice's data size; its records are regenerated from `source` only if
    /// someone needs them one by one.
    Run { slice: RunSlice, source: Rc<Source>, bytes: u64 },
}

/// Records read by one poll of every shard.
#[derive(Debug, Default, PartialEq)]
pub struct Poll {
    /// Not rendered: a generated record stays a reference to it.
    pub reads: Vec<Read>,
    pub records: u64,
    pub bytes: u64,
    pub throttled_calls: u64,
    /// The largest MillisBehindLatest among the shards read.
    pub millis_behind_latest: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KinesisSource {
    pub stream_name: String,
    pub stream_arn: String,
    pub role_arn: String,
    pub started_ms: u64,
    /// Where reading stands in each shard being read.
    cursors: BTreeMap<String, Cursor>,
    pub next_poll_ms: u64,
}

/// The iterator of the next read (`None` until one could be obtained) and the last record
/// read, so an expired iterator resumes right after it instead of re-reading the shard.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Cursor {
    iterator: Option<String>,
    last_sequence_number: Option<SequenceNumber>,
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
            cursors: BTreeMap::new(),
            next_poll_ms: now_ms.saturating_add(POLL_INTERVAL_MS),
        };
        let latest = StartingPosition { kind: IteratorType::Latest, sequence_number: None, timestamp: None };
        for id in shard_ids {
            let iterator = kinesis.get_shard_iterator(now_ms, stream_name, &id, latest.clone()).ok().map(|o| o.shard_iterator);
            source.cursors.insert(id, Cursor { iterator, last_sequence_number: None });
        }
        source
    }

    /// A fresh iterator: right after the last record read, or else from when Firehose started
    /// (which also covers child shards, all younger than that).
    fn reopen(&self, shard_id: &str, last: Option<SequenceNumber>, now_ms: u64, kinesis: &mut KinesisService) -> Option<String> {
        let position = match last {
            Some(seq) => StartingPosition { kind: IteratorType::AfterSequenceNumber, sequence_number: Some(seq.to_decimal()), timestamp: None },
            None => StartingPosition { kind: IteratorType::AtTimestamp, sequence_number: None, timestamp: Some(self.started_ms as f64 / 1000.0) },
        };
        kinesis.get_shard_iterator(now_ms, &self.stream_name, shard_id, position).ok().map(|o| o.shard_iterator)
    }

    /// One GetRecords call per shard. Runs are kept whole (`keep_runs`) unless each record's
    /// metadata is needed (a Lambda transform gets it). A throttled call keeps its iterator and is retried at the
    /// next poll; a closed shard hands over to its children, read from their start.
    pub fn poll(&mut self, now_ms: u64, kinesis: &mut KinesisService, keep_runs: bool) -> Poll {
        self.next_poll_ms = now_ms.saturating_add(POLL_INTERVAL_MS);
        let mut poll = Poll::default();
        let shard_ids: Vec<String> = self.cursors.keys().cloned().collect();
        for id in shard_ids {
            let cursor = self.cursors.get(&id).cloned().unwrap_or_default();
            let Some(it) = cursor.iterator.or_else(|| self.reopen(&id, cursor.last_sequence_number, now_ms, kinesis)) else {
                continue;
            };
            let mut last = cursor.last_sequence_number;
            match kinesis.get_records(now_ms, &it, None) {
                Ok(out) => {
                    poll.millis_behind_latest = poll.millis_behind_latest.max(out.millis_behind_latest);
                    for fetched in &out.fetched {
                        match fetched {
                            Fetched::Run(run) if keep_runs => {
                                last = Some(run.sequence_number(run.last_counter()));
                                (poll.records, poll.bytes) = (poll.records + u64::from(run.slice.take), poll.bytes + run.data_bytes);
                                poll.reads.push(Read::Run { slice: run.slice, source: Rc::clone(&run.source), bytes: run.data_bytes });
                            }
                            _ => {
                                for r in expand(std::slice::from_ref(fetched)) {
                                    last = Some(r.sequence_number);
                                    (poll.records, poll.bytes) = (poll.records + 1, poll.bytes + r.data.len() as u64);
                                    let metadata = KinesisRecordMetadata {
                                        shard_id: id.clone(),
                                        partition_key: r.partition_key,
                                        approximate_arrival_timestamp: (r.approximate_arrival_timestamp * 1000.0).round() as u64,
                                        sequence_number: r.sequence_number,
                                        subsequence_number: 0,
                                    };
                                    poll.reads.push(Read::Record(r.data, Some(metadata)));
                                }
                            }
                        }
                    }
                    match out.next_shard_iterator {
                        Some(next) => {
                            self.cursors.insert(id, Cursor { iterator: Some(next), last_sequence_number: last });
                        }
                        None => {
                            self.cursors.remove(&id);
                            for child in out.child_shards.unwrap_or_default() {
                                self.cursors.entry(child.shard_id).or_default();
                            }
                        }
                    }
                }
                Err(KinesisError::ProvisionedThroughputExceeded(_)) => {
                    poll.throttled_calls += 1;
                    self.cursors.insert(id, Cursor { iterator: Some(it), last_sequence_number: last });
                }
                // Expired or stale iterator: reopen at the next poll.
                Err(_) => {
                    self.cursors.insert(id, Cursor { iterator: None, last_sequence_number: last });
                }
            }
        }
        poll
    }
}
