//! The data plane: PutRecord, PutRecords, GetShardIterator and GetRecords.

use crate::engine::events::EventKind;
use super::hashing::{hash_key, parse_hash_key};
use super::iterator::{java_utc, ShardIterator, ITERATOR_LIFETIME_MS};
use super::lifecycle::HashKeyRangeOut;
use super::sequence::{decode, Decoded, SequenceNumber};
use super::record_data::{ReadData, RecordData};
use super::run::{Batch, RunSlice};
use super::shard::{parse_shard_id, shard_id, Held, StoredRecord, StoredRun};
use crate::engine::producers::generator::{Route, Source};
use std::rc::Rc;
use super::sources::Sources;
use super::stream::Stream;
use super::throughput::{GET_RECORDS_MAX_BYTES, GET_RECORDS_MAX_RECORDS, MIB};
use super::{epoch_seconds, KinesisService};
use crate::engine::api::error::KinesisError;
use serde::{Deserialize, Serialize};

/// PutRecords rejects requests whose records (data + keys) exceed 5 MiB in total.
const PUT_RECORDS_MAX_BYTES: u64 = 5 * MIB;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutRecordOutput {
    pub shard_id: String,
    pub sequence_number: SequenceNumber,
}

/// One entry of PutRecords' answer: a sequence number or a per-record error.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum PutRecordsResultEntry {
    #[serde(rename_all = "PascalCase")]
    Success {
        sequence_number: SequenceNumber,
        /// The shard's index; written as its id only in JSON (producers never look at it).
        #[serde(serialize_with = "super::shard::as_shard_id")]
        shard_id: u32,
    },
    #[serde(rename_all = "PascalCase")]
    Failure {
        error_code: &'static str,
        error_message: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PutRecordsOutput {
    pub failed_record_count: u32,
    pub records: Vec<PutRecordsResultEntry>,
}

/// One record to write, as the API decoded it or a producer referenced it.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordInput {
    pub partition_key: String,
    pub data: RecordData,
    pub explicit_hash_key: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IteratorType {
    TrimHorizon,
    Latest,
    AtSequenceNumber,
    AfterSequenceNumber,
    AtTimestamp,
}

impl IteratorType {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "TRIM_HORIZON" => Some(Self::TrimHorizon),
            "LATEST" => Some(Self::Latest),
            "AT_SEQUENCE_NUMBER" => Some(Self::AtSequenceNumber),
            "AFTER_SEQUENCE_NUMBER" => Some(Self::AfterSequenceNumber),
            "AT_TIMESTAMP" => Some(Self::AtTimestamp),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::TrimHorizon => "TRIM_HORIZON",
            Self::Latest => "LATEST",
            Self::AtSequenceNumber => "AT_SEQUENCE_NUMBER",
            Self::AfterSequenceNumber => "AFTER_SEQUENCE_NUMBER",
            Self::AtTimestamp => "AT_TIMESTAMP",
        }
    }
}

/// A starting position as GetShardIterator and SubscribeToShard take it.
#[derive(Debug, Clone, PartialEq)]
pub struct StartingPosition {
    pub kind: IteratorType,
    pub sequence_number: Option<String>,
    /// Epoch seconds, possibly fractional.
    pub timestamp: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetShardIteratorOutput {
    pub shard_iterator: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", from = "SavedRecordOut")]
pub struct RecordOut {
    pub sequence_number: SequenceNumber,
    pub approximate_arrival_timestamp: f64,
    /// Rendered (and base64-encoded) only when written as JSON or asked for, so internal
    /// readers that only count and order records never build the bytes.
    pub data: ReadData,
    pub partition_key: String,
    /// The shard's counter behind `sequence_number`, for internal readers; not in the API.
    #[serde(skip)]
    pub counter: u64,
}

/// A record as a saved world holds it (waiting in a fan-out subscription): the counter, not
/// in the API's shape, is read back from the sequence number that encodes it.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct SavedRecordOut {
    sequence_number: SequenceNumber,
    approximate_arrival_timestamp: f64,
    data: ReadData,
    partition_key: String,
}

impl From<SavedRecordOut> for RecordOut {
    fn from(r: SavedRecordOut) -> Self {
        let counter = r.sequence_number.counter;
        Self { sequence_number: r.sequence_number, approximate_arrival_timestamp: r.approximate_arrival_timestamp, data: r.data, partition_key: r.partition_key, counter }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChildShard {
    pub shard_id: String,
    pub parent_shards: Vec<String>,
    pub hash_key_range: HashKeyRangeOut,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetRecordsOutput {
    /// Written as AWS's flat list of records; runs are expanded only then.
    #[serde(rename = "Records", serialize_with = "expanded")]
    pub fetched: Vec<Fetched>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_shard_iterator: Option<String>,
    pub millis_behind_latest: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub child_shards: Option<Vec<ChildShard>>,
}

impl GetRecordsOutput {
    /// Every record fetched, runs expanded, in order.
    pub fn records(&self) -> impl Iterator<Item = RecordOut> + '_ {
        expand(&self.fetched)
    }
}

/// What one read fetched, in order: records stored one by one, and runs of a built-in
/// producer's records left as slices, so readers that only count and order records (KCL and
/// polling bookkeeping, Firehose without a transform) never regenerate them.
#[derive(Debug, Clone, PartialEq)]
pub enum Fetched {
    Record(RecordOut),
    Run(FetchedRun),
}

/// A run's records as one read fetched them: the slice, its source, the counter of its first
/// record and the shard whose sequence numbers they carry.
#[derive(Debug, Clone, PartialEq)]
pub struct FetchedRun {
    pub slice: RunSlice,
    pub source: Rc<Source>,
    pub first_counter: u64,
    /// Data plus partition keys of the slice's records.
    pub bytes: u64,
    /// Their data alone.
    pub data_bytes: u64,
    shard_created_ms: u64,
    shard_index: u32,
}

impl FetchedRun {
    pub fn last_counter(&self) -> u64 {
        self.first_counter + u64::from(self.slice.take) - 1
    }

    pub fn sequence_number(&self, counter: u64) -> SequenceNumber {
        SequenceNumber { shard_created_s: self.shard_created_ms / 1000, shard_index: self.shard_index, counter, arrival_s: self.slice.batch.created_ms / 1000 }
    }

    /// The run's records in order, each rendered only when its data is read.
    pub fn records(&self) -> impl Iterator<Item = RecordOut> + '_ {
        self.keyed_records().map(|(r, _)| r)
    }

    /// As [`Self::records`], each with its key's MD5 hash key, which regenerating it gave.
    pub fn keyed_records(&self) -> impl Iterator<Item = (RecordOut, u128)> + '_ {
        let at = self.slice.batch.created_ms;
        (self.first_counter..).zip(self.slice.records(&*self.source)).map(move |(counter, r)| {
            let out = RecordOut {
                sequence_number: self.sequence_number(counter),
                approximate_arrival_timestamp: epoch_seconds(at),
                data: ReadData::generated(self.slice.batch.source, r.index, r.route.size, at, Rc::clone(&self.source)),
                partition_key: self.source.partition_key(r.index, at),
                counter,
            };
            (out, r.route.hash)
        })
    }
}

/// Every record of `fetched`, runs expanded, in order.
pub fn expand(fetched: &[Fetched]) -> impl Iterator<Item = RecordOut> + '_ {
    fetched.iter().flat_map(|f| -> Box<dyn Iterator<Item = RecordOut> + '_> {
        match f {
            Fetched::Record(r) => Box::new(std::iter::once(r.clone())),
            Fetched::Run(run) => Box::new(run.records()),
        }
    })
}

fn expanded<S: serde::Serializer>(fetched: &[Fetched], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(expand(fetched))
}

/// What one read of a shard yields, shared by GetRecords and enhanced fan-out pushes.
pub(super) struct ShardRead {
    pub fetched: Vec<Fetched>,
    pub count: u64,
    pub bytes: u64,
    /// Counter of the last record returned (or the starting point if none).
    pub last_counter: u64,
    pub millis_behind_latest: u64,
    /// Set when a closed shard has been read to its end.
    pub child_shards: Option<Vec<ChildShard>>,
}

/// Reads up to `max_records` / `max_bytes` after `after_counter`, skipping expired records.
/// Whole runs are taken as slices; only a run cut by a limit has its records' sizes summed.
pub(super) fn read_shard(
    stream: &Stream,
    index: u32,
    after_counter: u64,
    max_records: u64,
    max_bytes: u64,
    now_ms: u64,
    sources: &Sources,
) -> Option<ShardRead> {
    let shard = stream.shard(index)?;
    let mut out = ShardRead { fetched: Vec::new(), count: 0, bytes: 0, last_counter: after_counter, millis_behind_latest: 0, child_shards: None };
    let (first, skip) = shard.position(after_counter, stream.trim_horizon_ms(now_ms));
    // Arrival of the oldest record left unread, if any.
    let mut left_behind = None;
    for (i, e) in shard.entries.range_from(first).enumerate() {
        let from = if i == 0 { skip } else { 0 };
        let (room_records, room_bytes) = (max_records - out.count, max_bytes - out.bytes);
        match &e.held {
            Held::Record(r) => {
                if room_records == 0 || r.size() > room_bytes {
                    left_behind = Some(r.arrival_ms);
                    break;
                }
                out.fetched.push(Fetched::Record(RecordOut {
                    sequence_number: shard.sequence_number(r.counter, r.arrival_ms),
                    approximate_arrival_timestamp: epoch_seconds(r.arrival_ms),
                    data: ReadData::new(&r.data, r.arrival_ms, sources),
                    partition_key: r.partition_key.clone(),
                    counter: r.counter,
                }));
                (out.count, out.bytes, out.last_counter) = (out.count + 1, out.bytes + r.size(), r.counter);
            }
            Held::Run(run) => {
                let Some(source) = sources.get(run.batch.source) else { continue };
                let slice = shard.run_slice(run, from as u32);
                let (take, bytes, data_bytes) = if from == 0 && u64::from(run.take) <= room_records && u64::from(run.bytes) <= room_bytes {
                    (u64::from(run.take), u64::from(run.bytes), u64::from(run.data_bytes))
                } else {
                    fitting(slice, source, room_records, room_bytes)
                };
                if take > 0 {
                    let first_counter = run.first_counter + from;
                    let slice = slice.part(0, take as u32);
                    out.fetched.push(Fetched::Run(FetchedRun { slice, source: Rc::clone(source), first_counter, bytes, data_bytes, shard_created_ms: shard.created_ms, shard_index: index }));
                    (out.count, out.bytes, out.last_counter) = (out.count + take, out.bytes + bytes, first_counter + take - 1);
                }
                if from + take < u64::from(run.take) {
                    left_behind = Some(run.batch.created_ms);
                    break;
                }
            }
        }
    }
    match left_behind {
        // Behind the tip by the age of the oldest record not yet returned.
        Some(arrival_ms) => out.millis_behind_latest = now_ms.saturating_sub(arrival_ms),
        None if !shard.is_open() => out.child_shards = Some(child_shards(stream, index)),
        None => {}
    }
    Some(out)
}

/// How many of `slice`'s first records fit in `room_records` and `room_bytes`, their bytes
/// (data plus keys) and their data's bytes.
fn fitting(slice: RunSlice, source: &Source, room_records: u64, room_bytes: u64) -> (u64, u64, u64) {
    let (mut take, mut bytes, mut data_bytes) = (0, 0, 0);
    for r in slice.records(source).take(room_records as usize) {
        let size = u64::from(r.route.size + r.route.key_len);
        if bytes + size > room_bytes {
            break;
        }
        (take, bytes, data_bytes) = (take + 1, bytes + size, data_bytes + u64::from(r.route.size));
    }
    (take, bytes, data_bytes)
}

fn child_shards(stream: &Stream, parent: u32) -> Vec<ChildShard> {
    stream
        .shards
        .iter()
        .filter(|s| s.parent == Some(parent) || s.adjacent_parent == Some(parent))
        .map(|s| ChildShard {
            shard_id: s.id(),
            parent_shards: s
                .parent
                .iter()
                .chain(s.adjacent_parent.iter())
                .map(|&p| shard_id(p))
                .collect(),
            hash_key_range: HashKeyRangeOut {
                starting_hash_key: s.hash_range.start.to_string(),
                ending_hash_key: s.hash_range.end.to_string(),
            },
        })
        .collect()
}

/// What became of a [`KinesisService::put_generated`] call's records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedPut {
    pub stored: u64,
    /// Per throttled shard: its index, how many records it refused, and AWS's message.
    pub throttled: Vec<(u32, u64, String)>,
    /// Records no open shard took (InternalFailure).
    pub internal: u64,
}

/// One PutRecords call's writes so far, per shard in order of first record. A shard that
/// refused one of the call's records refuses the rest of them: AWS documents no order within a
/// call, and this keeps what a shard accepts from a call a prefix of the call's records for it,
/// which is what lets a run describe them (see `run.rs`).
#[derive(Default)]
struct CallWrites {
    shards: Vec<CallShard>,
}

struct CallShard {
    index: u32,
    accepted: u64,
    bytes: u64,
    data_bytes: u64,
    refused: u64,
}

/// Charges one record of `data` bytes and a `key`-byte partition key, hashing to `hash`, to
/// its shard and (on demand) the stream's envelope if both have room; returns the shard's index.
fn charge_write(stream: &mut Stream, now_ms: u64, hash: u128, (data, key): (u64, u64), call: &mut CallWrites) -> Result<u32, Refusal> {
    let size = data + key;
    let index = stream.route(hash).ok_or(Refusal::Internal)?;
    let slot = match call.shards.iter().position(|s| s.index == index) {
        Some(slot) => slot,
        None => {
            call.shards.push(CallShard { index, accepted: 0, bytes: 0, data_bytes: 0, refused: 0 });
            call.shards.len() - 1
        }
    };
    let stream_ok = stream.capacity.admits(now_ms, size, stream.mode);
    let shard = stream.shard_mut(index).ok_or(Refusal::Internal)?;
    let entry = &mut call.shards[slot];
    if entry.refused > 0 || !(stream_ok && shard.write.try_admit(now_ms, size)) {
        entry.refused += 1;
        shard.totals.write_throttled += 1;
        shard.metrics.record(now_ms, |m| m.write_throttled += 1);
        stream.metrics.record(now_ms, |m| m.write_throttled += 1);
        return Err(Refusal::Throttled(index));
    }
    entry.accepted += 1;
    entry.bytes += size;
    entry.data_bytes += data;
    stream.capacity.charge(now_ms, size, stream.mode);
    Ok(index)
}

/// Counts one PutRecords call of `total` records in the stream's metrics: those stored (and
/// their bytes), the rest failed, `throttled` of them for lack of capacity.
fn note_put_records(stream: &mut Stream, now_ms: u64, total: u64, (stored, stored_bytes): (u64, u64), throttled: u64) {
    stream.metrics.record(now_ms, |m| {
        m.put_records_success += 1;
        m.put_records_bytes += stored_bytes;
        m.put_records_total_records += total;
        m.put_records_successful_records += stored;
        m.put_records_failed_records += total - stored;
        m.put_records_throttled_records += throttled;
    });
}

/// Counts `records` of `bytes` accepted by shard `index` in its and the stream's metrics.
fn note_incoming(stream: &mut Stream, index: u32, now_ms: u64, records: u64, bytes: u64) {
    if let Some(shard) = stream.shard_mut(index) {
        shard.metrics.record(now_ms, |m| {
            m.incoming_bytes += bytes;
            m.incoming_records += records;
        });
    }
    stream.metrics.record(now_ms, |m| {
        m.incoming_bytes += bytes;
        m.incoming_records += records;
    });
}

/// Why one record was not written.
enum Refusal {
    /// The shard (by index) had no capacity; the caller notes the event and the message,
    /// once per shard per call: a throttled producer can see thousands per second.
    Throttled(u32),
    Internal,
}

impl KinesisService {
    fn write_throttle_message(&self, shard: u32, stream: &str) -> String {
        format!(
            "Rate exceeded for shard {} in stream {stream} under account {}.",
            shard_id(shard),
            self.config.account_id
        )
    }

    /// Logs `count` write throttles of shard `index` at `now_ms`.
    fn note_write_throttles(&mut self, now_ms: u64, name: &str, index: u32, count: u64) {
        let kind = EventKind::WriteThrottled { stream: name.to_string(), shard: shard_id(index) };
        self.events.throttled_times(now_ms, kind, count);
    }

    fn hash_key_of(&self, record: &RecordInput) -> Result<u128, KinesisError> {
        match &record.explicit_hash_key {
            None => Ok(hash_key(&record.partition_key)),
            Some(ehk) => parse_hash_key(ehk).ok_or_else(|| {
                KinesisError::InvalidArgument(format!(
                    "Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was {ehk}"
                ))
            }),
        }
    }

    /// Routes and stores one record if the shard (and, on demand, the stream) has capacity.
    fn admit(
        &mut self,
        now_ms: u64,
        name: &str,
        hash: u128,
        record: RecordInput,
        call: &mut CallWrites,
    ) -> Result<(u32, SequenceNumber), Refusal> {
        let stream = self.streams.get_mut(name).ok_or(Refusal::Internal)?;
        let (data, key) = (record.data.len() as u64, record.partition_key.len() as u64);
        let index = charge_write(stream, now_ms, hash, (data, key), call)?;
        let counter = stream.next_counter();
        let shard = stream.shard_mut(index).ok_or(Refusal::Internal)?;
        let sequence_number = shard.sequence_number(counter, now_ms);
        shard.append(StoredRecord {
            counter,
            arrival_ms: now_ms,
            partition_key: record.partition_key,
            data: record.data,
        });
        note_incoming(stream, index, now_ms, 1, data + key);
        Ok((index, sequence_number))
    }

    /// PutRecord: one record, throttled as a whole call.
    pub fn put_record(
        &mut self,
        now_ms: u64,
        name: &str,
        record: RecordInput,
        sequence_number_for_ordering: Option<&str>,
    ) -> Result<PutRecordOutput, KinesisError> {
        self.serving_mut(name)?;
        let hash = self.hash_key_of(&record)?;
        if let Some(min) = sequence_number_for_ordering {
            // The new number always exceeds earlier ones (one counter per stream); AWS only
            // rejects values it could not have issued: unparseable or dated in the future.
            let valid = matches!(decode(min), Some(Decoded::V2(s)) if s.arrival_s <= now_ms / 1000);
            if !valid {
                return Err(KinesisError::InvalidArgument(format!(
                    "ExclusiveMinimumSequenceNumber {min} used in PutRecord on stream {name} under account {} is invalid.",
                    self.config.account_id
                )));
            }
        }
        let size = (record.data.len() + record.partition_key.len()) as u64;
        let result = self.admit(now_ms, name, hash, record, &mut CallWrites::default());
        let stream = self.serving_mut(name)?;
        match result {
            Ok((index, sequence_number)) => {
                stream.metrics.record(now_ms, |m| {
                    m.put_record_success += 1;
                    m.put_record_bytes += size;
                });
                Ok(PutRecordOutput {
                    shard_id: shard_id(index),
                    sequence_number,
                })
            }
            Err(Refusal::Throttled(index)) => {
                self.note_write_throttles(now_ms, name, index, 1);
                Err(KinesisError::ProvisionedThroughputExceeded(self.write_throttle_message(index, name)))
            }
            Err(Refusal::Internal) => Err(KinesisError::InternalFailure),
        }
    }

    /// PutRecords: each record succeeds or fails on its own, in request order.
    pub fn put_records(
        &mut self,
        now_ms: u64,
        name: &str,
        records: Vec<RecordInput>,
    ) -> Result<PutRecordsOutput, KinesisError> {
        self.serving_mut(name)?;
        let total: u64 = records
            .iter()
            .map(|r| (r.data.len() + r.partition_key.len()) as u64)
            .sum();
        if total > PUT_RECORDS_MAX_BYTES {
            return Err(KinesisError::InvalidArgument(
                "Records size exceeds 5 MB limit".to_string(),
            ));
        }
        let hashes = records
            .iter()
            .map(|r| self.hash_key_of(r))
            .collect::<Result<Vec<_>, _>>()?;
        let mut out = PutRecordsOutput {
            failed_record_count: 0,
            records: Vec::with_capacity(records.len()),
        };
        let (mut ok_records, mut ok_bytes, mut throttled) = (0, 0, 0);
        // Per throttled shard, in order of first throttle: how many, and AWS's message.
        let mut throttles: Vec<(u32, u64, String)> = Vec::new();
        let mut call = CallWrites::default();
        for (record, hash) in records.into_iter().zip(hashes) {
            let size = (record.data.len() + record.partition_key.len()) as u64;
            out.records
                .push(match self.admit(now_ms, name, hash, record, &mut call) {
                    Ok((index, sequence_number)) => {
                        ok_records += 1;
                        ok_bytes += size;
                        PutRecordsResultEntry::Success {
                            sequence_number,
                            shard_id: index,
                        }
                    }
                    Err(refusal) => {
                        out.failed_record_count += 1;
                        match refusal {
                            Refusal::Throttled(index) => {
                                throttled += 1;
                                let error_message = match throttles.iter_mut().find(|t| t.0 == index) {
                                    Some(t) => {
                                        t.1 += 1;
                                        t.2.clone()
                                    }
                                    None => {
                                        let message = self.write_throttle_message(index, name);
                                        throttles.push((index, 1, message.clone()));
                                        message
                                    }
                                };
                                PutRecordsResultEntry::Failure {
                                    error_code: "ProvisionedThroughputExceededException",
                                    error_message,
                                }
                            }
                            Refusal::Internal => PutRecordsResultEntry::Failure {
                                error_code: "InternalFailure",
                                error_message: "Internal service failure.".to_string(),
                            },
                        }
                    }
                });
        }
        for (index, count, _) in throttles {
            self.note_write_throttles(now_ms, name, index, count);
        }
        note_put_records(self.serving_mut(name)?, now_ms, out.records.len() as u64, (ok_records, ok_bytes), throttled);
        Ok(out)
    }

    /// A PutRecords call of a built-in producer's records `batch`, whose routes the producer
    /// computed (`routes[i]` is record `batch.first + i`'s). Admitted as [`Self::put_records`]
    /// admits, but each shard stores what it accepted as one run with consecutive counters, and
    /// the answer is counted rather than listed record by record.
    pub fn put_generated(&mut self, now_ms: u64, name: &str, batch: Batch, routes: &[Route]) -> Result<GeneratedPut, KinesisError> {
        let stream = self.serving_mut(name)?;
        let total: u64 = routes.iter().map(|r| u64::from(r.size + r.key_len)).sum();
        if total > PUT_RECORDS_MAX_BYTES {
            return Err(KinesisError::InvalidArgument("Records size exceeds 5 MB limit".to_string()));
        }
        let mut call = CallWrites::default();
        let mut internal = 0;
        for route in routes {
            if let Err(Refusal::Internal) = charge_write(stream, now_ms, route.hash, (u64::from(route.size), u64::from(route.key_len)), &mut call) {
                internal += 1;
            }
        }
        let (mut stored, mut stored_bytes) = (0, 0);
        let batch = Batch { len: routes.len() as u32, ..batch };
        for shard in call.shards.iter().filter(|s| s.accepted > 0) {
            let first_counter = stream.counter + 1;
            stream.counter += shard.accepted;
            let run = StoredRun { first_counter, batch, take: shard.accepted as u32, bytes: shard.bytes as u32, data_bytes: shard.data_bytes as u32 };
            stream.shard_mut(shard.index).ok_or(KinesisError::InternalFailure)?.append_run(run);
            note_incoming(stream, shard.index, now_ms, shard.accepted, shard.bytes);
            (stored, stored_bytes) = (stored + shard.accepted, stored_bytes + shard.bytes);
        }
        note_put_records(stream, now_ms, routes.len() as u64, (stored, stored_bytes), call.shards.iter().map(|s| s.refused).sum());
        let throttled: Vec<(u32, u64, String)> =
            call.shards.iter().filter(|s| s.refused > 0).map(|s| (s.index, s.refused, self.write_throttle_message(s.index, name))).collect();
        for (index, count, _) in &throttled {
            self.note_write_throttles(now_ms, name, *index, *count);
        }
        Ok(GeneratedPut { stored, throttled, internal })
    }

    /// Checks a starting position against a shard and turns it into an "after" counter.
    pub(super) fn resolve_position(
        &self,
        now_ms: u64,
        stream: &Stream,
        index: u32,
        position: &StartingPosition,
        caller: &str,
    ) -> Result<u64, KinesisError> {
        let shard = stream
            .shard(index)
            .ok_or_else(|| self.shard_not_found(&shard_id(index), &stream.name))?;
        match position.kind {
            IteratorType::TrimHorizon => Ok(0),
            IteratorType::Latest => Ok(stream.counter),
            IteratorType::AtTimestamp => {
                let ts_ms = position
                    .timestamp
                    .map_or(0, |t| (t * 1000.0).max(0.0) as u64);
                let first = shard.readable_after(0, stream.trim_horizon_ms(now_ms).max(ts_ms), &self.sources).next();
                Ok(first.map_or(stream.counter, |r| r.counter - 1))
            }
            IteratorType::AtSequenceNumber | IteratorType::AfterSequenceNumber => {
                let seq = position.sequence_number.as_deref().unwrap_or("");
                let foreign = || {
                    KinesisError::InvalidArgument(format!(
                        "StartingSequenceNumber {seq} used in {caller} on shard {} in stream {} under account {} is invalid because it did not come from this stream.",
                        shard.id(),
                        stream.name,
                        self.config.account_id
                    ))
                };
                let wrong_shard = |encoded: u64| {
                    KinesisError::InvalidArgument(format!(
                        "Invalid StartingSequenceNumber. It encodes shardId-{encoded:012}, while it was used in a call to a shard with {}",
                        shard.id()
                    ))
                };
                let counter = match decode(seq) {
                    Some(Decoded::V2(s)) if u64::from(s.shard_index) != u64::from(index) => {
                        return Err(wrong_shard(u64::from(s.shard_index)))
                    }
                    Some(Decoded::V2(s)) if s.shard_created_s != shard.created_ms / 1000 => {
                        return Err(foreign())
                    }
                    Some(Decoded::V2(s)) => s.counter,
                    Some(Decoded::Legacy { is_zero: true, .. }) | None => {
                        return Err(KinesisError::InternalFailure)
                    }
                    Some(Decoded::Legacy { shard_index, .. })
                        if shard_index != u64::from(index) =>
                    {
                        return Err(wrong_shard(shard_index))
                    }
                    Some(Decoded::Legacy { .. }) => return Err(foreign()),
                };
                Ok(if position.kind == IteratorType::AtSequenceNumber {
                    counter.saturating_sub(1)
                } else {
                    counter
                })
            }
        }
    }

    /// The argument combinations GetShardIterator and SubscribeToShard refuse (A6).
    pub(super) fn check_position_arguments(
        &self,
        now_ms: u64,
        position: &StartingPosition,
    ) -> Result<(), KinesisError> {
        let kind = position.kind.as_str();
        let must = "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber.";
        match (position.kind, &position.sequence_number) {
            (IteratorType::AtSequenceNumber | IteratorType::AfterSequenceNumber, None) => {
                Err(KinesisError::InvalidArgument(format!("{must} Request specified {kind} and no StartingSequenceNumber.")))
            }
            (IteratorType::TrimHorizon | IteratorType::Latest | IteratorType::AtTimestamp, Some(_)) => {
                Err(KinesisError::InvalidArgument(format!("{must} Request specified {kind} and also a StartingSequenceNumber.")))
            }
            (IteratorType::AtTimestamp, None) => match position.timestamp {
                None => Err(KinesisError::InvalidArgument(
                    "Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.".to_string(),
                )),
                Some(t) if (t * 1000.0) as i128 > i128::from(now_ms) => Err(KinesisError::InvalidArgument(format!(
                    "The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. timestampInMillis: {}, currentTimestampInMillis: {now_ms}",
                    (t * 1000.0) as i128
                ))),
                Some(_) => Ok(()),
            },
            _ => Ok(()),
        }
    }

    /// Resolves a shard id as typed by a caller (lenient, A4) within an existing stream.
    pub(super) fn shard_index_in(
        &self,
        stream: &Stream,
        raw_shard_id: &str,
    ) -> Result<u32, KinesisError> {
        let index = parse_shard_id(raw_shard_id).ok_or_else(|| {
            KinesisError::ResourceNotFound(format!(
                "Could not find shard {raw_shard_id} in stream {} under account {}.",
                stream.name, self.config.account_id
            ))
        })?;
        if stream.shard(index).is_none() {
            return Err(self.shard_not_found(&shard_id(index), &stream.name));
        }
        Ok(index)
    }

    pub fn get_shard_iterator(
        &mut self,
        now_ms: u64,
        name: &str,
        raw_shard_id: &str,
        position: StartingPosition,
    ) -> Result<GetShardIteratorOutput, KinesisError> {
        self.check_position_arguments(now_ms, &position)?;
        let stream = self.existing(name)?;
        if !stream.status.serves_data() {
            let id =
                parse_shard_id(raw_shard_id).map_or_else(|| raw_shard_id.to_string(), shard_id);
            return Err(self.shard_not_found(&id, name));
        }
        let index = self.shard_index_in(stream, raw_shard_id)?;
        let after_counter =
            self.resolve_position(now_ms, stream, index, &position, "GetShardIterator")?;
        let stream_id = stream.id;
        let message = self.write_throttle_message(index, name);
        let shard = self
            .existing_mut(name)?
            .shard_mut(index)
            .ok_or(KinesisError::InternalFailure)?;
        if !shard.iterator_calls.try_take(now_ms, 1) {
            return Err(KinesisError::ProvisionedThroughputExceeded(message));
        }
        let token = ShardIterator {
            stream_id,
            shard_index: index,
            after_counter,
            issued_ms: now_ms,
            stream_name: name.to_string(),
        };
        Ok(GetShardIteratorOutput {
            shard_iterator: token.encode(),
        })
    }

    pub fn get_records(
        &mut self,
        now_ms: u64,
        shard_iterator: &str,
        limit: Option<u32>,
    ) -> Result<GetRecordsOutput, KinesisError> {
        let it = ShardIterator::decode(shard_iterator)
            .ok_or_else(|| KinesisError::InvalidArgument("Invalid ShardIterator.".to_string()))?;
        if it.is_expired(now_ms) {
            return Err(KinesisError::ExpiredIterator(format!(
                "Iterator expired. The iterator was created at time {} while right now it is {} which is further in the future than the tolerated delay of {ITERATOR_LIFETIME_MS} milliseconds.",
                java_utc(it.issued_ms),
                java_utc(now_ms)
            )));
        }
        let name = it.stream_name.as_str();
        let missing = || self.shard_not_found(&shard_id(it.shard_index), name);
        let live = self.streams.get(name).is_some_and(|s| {
            s.id == it.stream_id && s.status.serves_data() && s.shard(it.shard_index).is_some()
        });
        if !live {
            return Err(missing());
        }
        let throttled = format!(
            "Rate exceeded for Shard - {}/{name}/{}",
            self.config.account_id,
            shard_id(it.shard_index)
        );
        // Not `existing_mut`: the read below borrows the sources beside the stream.
        let stream = self.streams.get_mut(name).ok_or(KinesisError::InternalFailure)?;
        let shard = stream
            .shard_mut(it.shard_index)
            .ok_or(KinesisError::InternalFailure)?;
        if !shard.read.admit_call(now_ms) {
            shard.totals.read_throttled += 1;
            shard.metrics.record(now_ms, |m| m.read_throttled += 1);
            stream.metrics.record(now_ms, |m| m.read_throttled += 1);
            let kind = EventKind::ReadThrottled { stream: name.to_string(), shard: shard_id(it.shard_index) };
            self.events.throttled(now_ms, kind);
            return Err(KinesisError::ProvisionedThroughputExceeded(throttled));
        }
        let max_records = limit
            .map_or(GET_RECORDS_MAX_RECORDS, u64::from)
            .min(GET_RECORDS_MAX_RECORDS);
        let read = read_shard(
            stream,
            it.shard_index,
            it.after_counter,
            max_records,
            GET_RECORDS_MAX_BYTES,
            now_ms,
            &self.sources,
        )
        .ok_or(KinesisError::InternalFailure)?;
        let count = read.count;
        let age = read.millis_behind_latest;
        let shard = stream
            .shard_mut(it.shard_index)
            .ok_or(KinesisError::InternalFailure)?;
        shard.read.charge(now_ms, read.bytes);
        shard.totals.records_out += count;
        shard.totals.bytes_out += read.bytes;
        let tally = |m: &mut super::metrics::MinuteStats| {
            m.get_records_success += 1;
            m.get_records_bytes += read.bytes;
            m.get_records_records += count;
            m.iterator_age_ms = m.iterator_age_ms.max(age);
        };
        shard.metrics.record(now_ms, tally);
        stream.metrics.record(now_ms, tally);
        let next = ShardIterator {
            after_counter: read.last_counter,
            issued_ms: now_ms,
            ..it
        };
        Ok(GetRecordsOutput {
            fetched: read.fetched,
            next_shard_iterator: read.child_shards.is_none().then(|| next.encode()),
            millis_behind_latest: read.millis_behind_latest,
            child_shards: read.child_shards,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::stream::StreamMode;
    use super::*;
    use std::collections::BTreeMap;

    fn active(shards: u32) -> KinesisService {
        let mut k = KinesisService::default();
        k.create_stream(
            0,
            "s",
            Some(shards),
            StreamMode::Provisioned,
            BTreeMap::new(),
        )
        .unwrap();
        for (due, t) in k.take_timers() {
            if matches!(t, super::super::KinesisTask::StreamActive { .. }) {
                k.run_task(due, t);
            }
        }
        k
    }

    fn rec(key: &str, data: &[u8]) -> RecordInput {
        RecordInput {
            partition_key: key.into(),
            data: data.to_vec().into(),
            explicit_hash_key: None,
        }
    }

    const T: u64 = 30_000;

    #[test]
    fn keys_route_like_the_worked_examples() {
        let mut k = active(3);
        let out = k
            .put_records(
                T,
                "s",
                ["a", "b", "e", "f"]
                    .iter()
                    .map(|key| rec(key, b"x"))
                    .collect(),
            )
            .unwrap();
        let shards: Vec<String> = out
            .records
            .iter()
            .map(|r| match r {
                PutRecordsResultEntry::Success { shard_id: index, .. } => shard_id(*index),
                PutRecordsResultEntry::Failure { .. } => panic!("failed"),
            })
            .collect();
        assert_eq!(
            shards,
            vec![
                "shardId-000000000000",
                "shardId-000000000001",
                "shardId-000000000002",
                "shardId-000000000001"
            ]
        );
    }

    #[test]
    fn explicit_hash_key_overrides_md5_and_is_range_checked() {
        let mut k = active(2);
        let mut r = rec("a", b"x");
        r.explicit_hash_key = Some(u128::MAX.to_string());
        assert_eq!(
            k.put_record(T, "s", r, None).unwrap().shard_id,
            "shardId-000000000001"
        );
        let mut r = rec("a", b"x");
        r.explicit_hash_key = Some("340282366920938463463374607431768211456".into());
        assert_eq!(
            k.put_record(T, "s", r, None),
            Err(KinesisError::InvalidArgument("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was 340282366920938463463374607431768211456".into()))
        );
    }

    #[test]
    fn writes_to_a_creating_stream_are_not_found() {
        let mut k = KinesisService::default();
        k.create_stream(0, "s", Some(1), StreamMode::Provisioned, BTreeMap::new())
            .unwrap();
        assert_eq!(
            k.put_record(1, "s", rec("a", b"x"), None),
            Err(KinesisError::ResourceNotFound(
                "Stream s under account 123456789012 not found.".into()
            ))
        );
    }

    #[test]
    fn the_thousand_and_first_record_in_a_second_is_throttled() {
        let mut k = active(1);
        let batch = |n: usize| {
            (0..n)
                .map(|i| rec(&i.to_string(), b"x"))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            k.put_records(T, "s", batch(500))
                .unwrap()
                .failed_record_count,
            0
        );
        assert_eq!(
            k.put_records(T, "s", batch(500))
                .unwrap()
                .failed_record_count,
            0
        );
        let out = k.put_records(T, "s", batch(2)).unwrap();
        assert_eq!(out.failed_record_count, 2);
        assert_eq!(
            out.records[0],
            PutRecordsResultEntry::Failure {
                error_code: "ProvisionedThroughputExceededException",
                error_message: "Rate exceeded for shard shardId-000000000000 in stream s under account 123456789012.".into()
            }
        );
        assert_eq!(
            k.put_record(T, "s", rec("a", b"x"), None),
            Err(KinesisError::ProvisionedThroughputExceeded("Rate exceeded for shard shardId-000000000000 in stream s under account 123456789012.".into()))
        );
        assert!(
            k.put_record(T + 10, "s", rec("a", b"x"), None).is_ok(),
            "10 ms refill 10 records"
        );
    }

    #[test]
    fn reads_return_records_in_order_and_latest_starts_empty() {
        let mut k = active(1);
        for i in 0..5u8 {
            k.put_record(T + u64::from(i), "s", rec("k", &[i]), None)
                .unwrap();
        }
        let pos = |kind| StartingPosition {
            kind,
            sequence_number: None,
            timestamp: None,
        };
        let it = k
            .get_shard_iterator(
                T + 10,
                "s",
                "shardId-000000000000",
                pos(IteratorType::TrimHorizon),
            )
            .unwrap()
            .shard_iterator;
        let out = k.get_records(T + 10, &it, Some(3)).unwrap();
        assert_eq!(
            out.records()
                .map(|r| r.data.bytes().to_vec())
                .collect::<Vec<_>>(),
            vec![vec![0u8], vec![1], vec![2]]
        );
        assert_eq!(out.millis_behind_latest, 7);
        let out2 = k
            .get_records(T + 10, out.next_shard_iterator.as_deref().unwrap(), None)
            .unwrap();
        assert_eq!(out2.records().count(), 2);
        assert_eq!(out2.millis_behind_latest, 0);
        let latest = k
            .get_shard_iterator(T + 10, "s", "0", pos(IteratorType::Latest))
            .unwrap()
            .shard_iterator;
        assert!(k
            .get_records(T + 10, &latest, None)
            .unwrap()
            .fetched
            .is_empty());
    }

    /// Once a shard refuses one of a call's records, the call's later records for it are
    /// refused too, even one that would fit; other shards are not affected.
    #[test]
    fn a_shard_that_refuses_a_record_refuses_the_rest_of_the_call() {
        let mut k = active(1);
        let big = |n: usize| rec("k", &vec![7u8; n]);
        let out = k.put_records(T, "s", vec![big(600_000), big(500_000), big(1_000)]).unwrap();
        let codes: Vec<&str> = out
            .records
            .iter()
            .map(|r| match r {
                PutRecordsResultEntry::Success { .. } => "ok",
                PutRecordsResultEntry::Failure { error_code, .. } => error_code,
            })
            .collect();
        assert_eq!(codes, ["ok", "ProvisionedThroughputExceededException", "ProvisionedThroughputExceededException"]);
        let next = k.put_records(T, "s", vec![big(1_000)]).unwrap();
        assert_eq!(next.failed_record_count, 0, "a new call starts afresh");
    }

    /// A producer's call stored as runs reads back, through GetRecords with small limits that
    /// cut runs anywhere, as exactly the records sent, in order per shard, none twice.
    #[test]
    fn runs_read_back_through_any_limit_as_the_records_sent() {
        use crate::engine::producers::generator::{Moment, RecordKind};
        use crate::engine::producers::keys::KeyStrategy;
        let mut k = active(2);
        let source = Source { kind: RecordKind::GameEvents, seed: 9, keys: KeyStrategy::Natural, use_alternate: false, min_size: 0 };
        let id = k.sources.register(source.clone());
        let mut sent: Vec<(u128, Vec<u8>)> = Vec::new();
        for call in 0..3u64 {
            let at = T + call * 100;
            let routes: Vec<Route> = (call * 40..call * 40 + 40).map(|i| source.route(i, at)).collect();
            let put = k.put_generated(at, "s", Batch { source: id, created_ms: at, first: call * 40, len: 40 }, &routes).unwrap();
            assert_eq!((put.stored, put.throttled.len()), (40, 0));
            sent.extend((call * 40..call * 40 + 40).map(|i| (source.route(i, at).hash, source.render(i, &Moment::at(at)))));
        }
        let mut got = Vec::new();
        for shard in ["0", "1"] {
            let horizon = StartingPosition { kind: IteratorType::TrimHorizon, sequence_number: None, timestamp: None };
            let mut it = k.get_shard_iterator(T + 500, "s", shard, horizon).unwrap().shard_iterator;
            let mut counters = Vec::new();
            // Five reads a second per shard: one read every 250 ms.
            for (n, limit) in (1..).zip([1u32, 3, 7, 2, 50, 5, 10_000]) {
                let out = k.get_records(T + 500 + n * 250, &it, Some(limit)).unwrap();
                assert!(out.records().count() <= limit as usize);
                for r in out.records() {
                    counters.push(r.counter);
                    got.push((hash_key(&r.partition_key), r.data.bytes().to_vec()));
                }
                it = out.next_shard_iterator.unwrap();
            }
            assert!(counters.windows(2).all(|w| w[0] < w[1]), "shard {shard}: {counters:?}");
        }
        got.sort();
        sent.sort();
        assert_eq!(got, sent);
    }

    #[test]
    fn at_and_after_sequence_number_and_at_timestamp() {
        let mut k = active(1);
        let seqs: Vec<String> = (0..3u8)
            .map(|i| {
                k.put_record(T + 1000 * u64::from(i), "s", rec("k", &[i]), None)
                    .unwrap()
                    .sequence_number
                    .to_decimal()
            })
            .collect();
        let now = T + 5_000;
        let mut read = |kind, seq: Option<&String>, ts: Option<f64>| {
            let p = StartingPosition {
                kind,
                sequence_number: seq.cloned(),
                timestamp: ts,
            };
            let it = k
                .get_shard_iterator(now, "s", "shardId-000000000000", p)
                .unwrap()
                .shard_iterator;
            k.get_records(now, &it, None)
                .unwrap()
                .records()
                .map(|r| r.sequence_number.to_decimal())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            read(IteratorType::AtSequenceNumber, Some(&seqs[1]), None),
            seqs[1..].to_vec()
        );
        assert_eq!(
            read(IteratorType::AfterSequenceNumber, Some(&seqs[1]), None),
            seqs[2..].to_vec()
        );
        assert_eq!(
            read(
                IteratorType::AtTimestamp,
                None,
                Some((T + 1000) as f64 / 1000.0)
            ),
            seqs[1..].to_vec()
        );
    }

    #[test]
    fn position_argument_errors_have_aws_texts() {
        let mut k = active(1);
        let p = StartingPosition {
            kind: IteratorType::Latest,
            sequence_number: Some("1".into()),
            timestamp: None,
        };
        assert_eq!(
            k.get_shard_iterator(T, "s", "shardId-0", p).unwrap_err().message(),
            "Must either specify (1) AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER and StartingSequenceNumber or (2) TRIM_HORIZON or LATEST and no StartingSequenceNumber. Request specified LATEST and also a StartingSequenceNumber."
        );
        let p = StartingPosition {
            kind: IteratorType::AtSequenceNumber,
            sequence_number: Some("5".into()),
            timestamp: None,
        };
        assert_eq!(
            k.get_shard_iterator(T, "s", "shardId-0", p).unwrap_err().message(),
            "Invalid StartingSequenceNumber. It encodes shardId-000000000005, while it was used in a call to a shard with shardId-000000000000"
        );
        let p = StartingPosition {
            kind: IteratorType::TrimHorizon,
            sequence_number: None,
            timestamp: None,
        };
        assert_eq!(
            k.get_shard_iterator(T, "s", "shardId-7", p.clone())
                .unwrap_err()
                .message(),
            "Shard shardId-000000000007 in stream s under account 123456789012 does not exist"
        );
        assert_eq!(
            k.get_shard_iterator(T, "s", "2.14E4", p)
                .unwrap_err()
                .message(),
            "Could not find shard 2.14E4 in stream s under account 123456789012."
        );
    }

    #[test]
    fn iterators_expire_after_five_minutes() {
        let mut k = active(1);
        let p = StartingPosition {
            kind: IteratorType::TrimHorizon,
            sequence_number: None,
            timestamp: None,
        };
        let it = k
            .get_shard_iterator(T, "s", "shardId-0", p)
            .unwrap()
            .shard_iterator;
        assert!(k.get_records(T + 300_000, &it, None).is_ok());
        let err = k.get_records(T + 300_001, &it, None).unwrap_err();
        assert_eq!(err.aws_type(), "ExpiredIteratorException");
        assert!(err.message().ends_with(
            "which is further in the future than the tolerated delay of 300000 milliseconds."
        ));
        assert_eq!(
            k.get_records(T, "bogus", None).unwrap_err().message(),
            "Invalid ShardIterator."
        );
    }

    #[test]
    fn the_sixth_read_in_a_second_is_throttled() {
        let mut k = active(1);
        let p = StartingPosition {
            kind: IteratorType::TrimHorizon,
            sequence_number: None,
            timestamp: None,
        };
        let it = k
            .get_shard_iterator(T, "s", "shardId-0", p)
            .unwrap()
            .shard_iterator;
        for _ in 0..5 {
            k.get_records(T, &it, None).unwrap();
        }
        assert_eq!(
            k.get_records(T, &it, None),
            Err(KinesisError::ProvisionedThroughputExceeded(
                "Rate exceeded for Shard - 123456789012/s/shardId-000000000000".into()
            ))
        );
    }
}
