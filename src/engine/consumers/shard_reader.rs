//! Reading one shard with GetShardIterator + GetRecords, as every polling reader does:
//! renewing expired iterators, stopping at the end of a closed shard, and (for the KCL)
//! de-aggregating KPL records into user records with sub-sequence numbers.

use super::progress::{Delivered, Progress};
use crate::engine::api::error::KinesisError;
use super::user_records::user_records;
use crate::engine::streams::records::{Fetched, FetchedRun, IteratorType, StartingPosition};
use crate::engine::streams::hashing::key_id;
use crate::engine::streams::sequence::SequenceNumber;
use crate::engine::streams::shard::shard_id;
use crate::engine::streams::KinesisService;
use serde::{Deserialize, Serialize};

/// What a reader hands its application: a user record, or a run of a built-in producer's
/// records (never aggregated) left whole.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    Record(Delivered),
    Run {
        shard_index: u32,
        run: FetchedRun,
        /// The shard has a parent or children: its keys also live in another shard, so per-key
        /// order is checked record by record.
        resharded: bool,
    },
}

impl Delivery {
    /// The user records, a run's expanded.
    pub fn into_records(self) -> Vec<Delivered> {
        match self {
            Self::Record(d) => vec![d],
            Self::Run { shard_index, run, .. } => run
                .keyed_records()
                .map(|(r, hash)| Delivered {
                    shard_index,
                    sequence_number: r.sequence_number,
                    counter: r.counter,
                    sub_sequence: 0,
                    arrival_ms: run.slice.batch.created_ms,
                    key_id: key_id(hash),
                    partition_key: r.partition_key,
                    data: r.data,
                })
                .collect(),
        }
    }

    /// Notes the delivery processed in `progress`, in lane 0.
    pub fn process(&self, progress: &mut Progress) {
        match self {
            Self::Record(d) => {
                progress.record(d);
            }
            Self::Run { shard_index, run, resharded } => progress.record_run(*shard_index, run, *resharded),
        }
    }

    /// Where a checkpoint after this delivery stands: sequence number and sub-sequence.
    pub fn position(&self) -> (SequenceNumber, u64) {
        match self {
            Self::Record(d) => (d.sequence_number, d.sub_sequence),
            Self::Run { run, .. } => (run.sequence_number(run.last_counter()), 0),
        }
    }
}

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
    /// it, a new iterator starts after the last record this reader fetched. Runs of a built-in
    /// producer's records are left whole ([`Delivery::into_records`] expands them).
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
    ) -> Vec<Delivery> {
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
                let resharded = kinesis.stream(stream).is_some_and(|s| s.resharded(self.shard_index));
                let mut delivered = Vec::with_capacity(out.fetched.len());
                for f in out.fetched {
                    match f {
                        Fetched::Record(r) => {
                            self.last_fetched = Some(r.sequence_number);
                            delivered.extend(user_records(progress, self.shard_index, r, deaggregate_kpl, range).into_iter().map(Delivery::Record));
                        }
                        Fetched::Run(run) => {
                            self.last_fetched = Some(run.sequence_number(run.last_counter()));
                            progress.fetched_run(self.shard_index, &run);
                            delivered.push(Delivery::Run { shard_index: self.shard_index, run, resharded });
                        }
                    }
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
