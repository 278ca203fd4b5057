//! Reading one shard with GetShardIterator + GetRecords, as every polling reader does:
//! renewing expired iterators, stopping at the end of a closed shard, and (for the KCL)
//! de-aggregating KPL records into user records with sub-sequence numbers.

use super::progress::{Delivered, Progress};
use crate::engine::api::error::KinesisError;
use super::user_records::user_records;
use crate::engine::streams::records::{IteratorType, StartingPosition};
use crate::engine::streams::sequence::SequenceNumber;
use crate::engine::streams::shard::shard_id;
use crate::engine::streams::KinesisService;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardReader {
    pub shard_index: u32,
    iterator: Option<String>,
    /// The newest sequence number fetched, where a renewed iterator resumes by default.
    last_fetched: Option<SequenceNumber>,
    pub finished: bool,
}

/// Where to start when the reader has no iterator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Start {
    TrimHorizon,
    Latest,
}

impl ShardReader {
    pub fn new(shard_index: u32) -> Self {
        Self { shard_index, iterator: None, last_fetched: None, finished: false }
    }

    /// One GetRecords call (plus GetShardIterator when needed). `resume_after` is the last
    /// sequence number already processed (a checkpoint) where a new iterator starts; without
    /// it, a new iterator starts after the last record this reader fetched.
    #[allow(clippy::too_many_arguments)]
    pub fn read(
        &mut self,
        now_ms: u64,
        kinesis: &mut KinesisService,
        stream: &str,
        start: Start,
        resume_after: Option<SequenceNumber>,
        limit: u32,
        deaggregate_kpl: bool,
        progress: &mut Progress,
    ) -> Vec<Delivered> {
        if self.finished {
            return Vec::new();
        }
        let iterator = match self.iterator.take() {
            Some(it) => it,
            None => match self.open_iterator(now_ms, kinesis, stream, start, resume_after, progress) {
                Some(it) => it,
                None => return Vec::new(),
            },
        };
        match kinesis.get_records(now_ms, &iterator, Some(limit)) {
            Ok(out) => {
                self.iterator = out.next_shard_iterator;
                self.finished = self.iterator.is_none();
                let p = progress.shards.entry(self.shard_index).or_default();
                p.lag_ms = out.millis_behind_latest;
                p.finished = self.finished;
                let range = kinesis.stream(stream).and_then(|s| s.shard(self.shard_index)).map(|s| s.hash_range);
                if let Some(last) = out.records.last() {
                    self.last_fetched = Some(last.sequence_number);
                }
                let mut delivered = Vec::with_capacity(out.records.len());
                for r in out.records {
                    delivered.extend(user_records(progress, self.shard_index, r, deaggregate_kpl, range));
                }
                delivered
            }
            Err(e) => {
                if matches!(e, KinesisError::ProvisionedThroughputExceeded(_)) {
                    self.iterator = Some(iterator);
                }
                self.note_failure(e, progress);
                Vec::new()
            }
        }
    }

    fn open_iterator(
        &mut self,
        now_ms: u64,
        kinesis: &mut KinesisService,
        stream: &str,
        start: Start,
        resume_after: Option<SequenceNumber>,
        progress: &mut Progress,
    ) -> Option<String> {
        let (position, after_counter) = match (resume_after.or(self.last_fetched), start) {
            (Some(seq), _) => (
                StartingPosition { kind: IteratorType::AfterSequenceNumber, sequence_number: Some(seq.to_decimal()), timestamp: None },
                seq.counter,
            ),
            (None, Start::TrimHorizon) => (StartingPosition { kind: IteratorType::TrimHorizon, sequence_number: None, timestamp: None }, 0),
            (None, Start::Latest) => (
                StartingPosition { kind: IteratorType::Latest, sequence_number: None, timestamp: None },
                kinesis.stream(stream).map_or(0, |s| s.counter),
            ),
        };
        match kinesis.get_shard_iterator(now_ms, stream, &shard_id(self.shard_index), position) {
            Ok(out) => {
                if let Some(s) = kinesis.stream(stream) {
                    progress.start_shard(s, self.shard_index, after_counter, now_ms);
                }
                Some(out.shard_iterator)
            }
            Err(e) => {
                self.note_failure(e, progress);
                None
            }
        }
    }

    fn note_failure(&mut self, e: KinesisError, progress: &mut Progress) {
        let p = progress.shards.entry(self.shard_index).or_default();
        match e {
            // The next tick asks for a new iterator.
            KinesisError::ExpiredIterator(_) => {}
            KinesisError::ProvisionedThroughputExceeded(_) => p.read_throttled += 1,
            // The shard expired or the stream is gone: nothing more to read here.
            _ => {
                self.finished = true;
                p.finished = true;
            }
        }
    }
}
