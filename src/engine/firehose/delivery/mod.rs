//! One delivery stream at work: records come in (Direct PUT or a Kinesis stream), wait in the
//! Lambda processor's buffer, are transformed, wait in the destination buffer, and are written
//! to S3 as one object, or to the error prefix.
//!
//! Timing. Everything happens in virtual time. A Lambda invocation takes effect
//! [`INVOCATION_BASE_MS`] + [`INVOCATION_PER_RECORD_MS`] per record after it starts, whatever
//! the function is, so replays agree. A host-run function that has not answered by then stalls
//! its delivery stream (it keeps accepting records but delivers nothing) until the host answers;
//! the rest of the world keeps running. The answer then takes effect at the later of the two
//! instants.
//!
//! `processing` sends batches to the Lambda function and reads its answers; `output` turns
//! buffers into S3 objects (data or error records) and retries refused writes.

use super::buffer::{Buffer, BufferProgress};
use super::destination::S3Destination;
use super::metrics::FirehoseSeries;
use super::naming::PartitionKeys;
use super::partitioning::MAX_ACTIVE_PARTITIONS;
use super::quota::DirectPutQuota;
use super::source::{KinesisSource, Read};
use super::tap::Taps;
use super::transform::{AttemptFailure, BatchRecord, KinesisRecordMetadata};
use super::Services;
use crate::engine::s3::Segment;
use crate::engine::streams::record_data::ReadData;
use output::Outgoing;
use processing::InFlight;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::rc::Rc;

mod output;
mod processing;

pub use output::{S3_RETRY_DELAY_MS, S3_RETRY_WINDOW_MS};
pub use processing::{INVOCATION_BASE_MS, INVOCATION_PER_RECORD_MS};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    DirectPut,
    Kinesis(KinesisSource),
}

/// Lambda invocations a delivery stream remembers for the console.
pub const KEPT_INVOCATIONS: usize = 20;

/// One finished Lambda invocation, as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvocationSummary {
    pub finished_ms: u64,
    pub attempt: u32,
    pub duration_ms: u64,
    pub records: u64,
    pub ok: u64,
    pub dropped: u64,
    pub processing_failed: u64,
    /// The attempt's error (`code: message`) when the invocation itself failed.
    pub error: Option<String>,
}

/// Where every accepted record went; the invariant tests read these.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub accepted: u64,
    /// Records inside delivered data objects.
    pub delivered: u64,
    /// Records written to the error output.
    pub errored: u64,
    /// Records a transform answered `Dropped`.
    pub dropped: u64,
    /// Records given up after 24 hours of failed S3 writes.
    pub lost: u64,
}

/// How [`DeliveryStream::place`] flushes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fill {
    /// Records arriving (Direct PUT or Kinesis): each flush falls due at its exact record.
    FlushingAsItFills,
    /// A batch back from Lambda: the caller flushes once it is all in.
    Whole,
}

/// The partition id without dynamic partitioning: the default keys' JSON, as every partition
/// is keyed (computed once, not per record).
fn default_partition_id() -> &'static str {
    static ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ID.get_or_init(|| serde_json::to_string(&PartitionKeys::default()).unwrap_or_default())
}

/// The destination buffer of one partition (the only one without dynamic partitioning).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Partition {
    keys: PartitionKeys,
    buffer: Buffer,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryStream {
    pub id: u64,
    pub name: String,
    pub arn: String,
    /// Starts at 1 and goes up with every UpdateDestination; object names carry it.
    pub version_id: u64,
    pub created_ms: u64,
    pub source: Source,
    pub destination: S3Destination,
    quota: DirectPutQuota,
    processor_buffer: Buffer,
    /// Kinesis metadata of the records in `processor_buffer`, in the same order (`None` for
    /// Direct PUT records), for the Lambda event.
    staged_metadata: VecDeque<Option<KinesisRecordMetadata>>,
    in_flight: Vec<InFlight>,
    /// Keyed by the partition keys' JSON, so iteration order is fixed.
    partitions: BTreeMap<String, Partition>,
    retries: Vec<Outgoing>,
    next_record: u64,
    pub tally: Tally,
    pub metrics: FirehoseSeries,
    /// The last [`KEPT_INVOCATIONS`] Lambda invocations, oldest first.
    pub invocations: VecDeque<InvocationSummary>,
    /// Wake-ups already asked of the scheduler, so each instant is asked once.
    wakes: BTreeSet<u64>,
    /// SQL applications reading this stream as their source, and samples for discovery.
    pub taps: Taps,
}

impl DeliveryStream {
    pub fn new(id: u64, name: &str, arn: &str, region: &str, source: Source, destination: S3Destination, now_ms: u64) -> Self {
        let processor_limits = destination.processor.as_ref().map_or(destination.hints.limits(), |p| p.hints.limits());
        Self {
            id,
            name: name.to_string(),
            arn: arn.to_string(),
            version_id: 1,
            created_ms: now_ms,
            source,
            quota: DirectPutQuota::for_region(region, now_ms),
            processor_buffer: Buffer::new(processor_limits),
            staged_metadata: VecDeque::new(),
            partitions: BTreeMap::new(),
            destination,
            in_flight: Vec::new(),
            retries: Vec::new(),
            next_record: 0,
            tally: Tally::default(),
            metrics: FirehoseSeries::default(),
            invocations: VecDeque::new(),
            wakes: BTreeSet::new(),
            taps: Taps::default(),
        }
    }

    /// Records still inside the stream (buffered, being transformed or awaiting an S3 retry).
    pub fn records_in_flight(&self) -> u64 {
        self.processor_buffer.len() as u64
            + self.partitions.values().map(|p| p.buffer.len() as u64).sum::<u64>()
            + self.in_flight.iter().map(|f| f.batch.len() as u64).sum::<u64>()
            + self.retries.iter().map(|o| o.records).sum::<u64>()
    }

    /// For the console: the Lambda processor's buffer (when there is a processor), then each
    /// destination buffer (one per partition; an empty one when none holds records yet).
    pub fn buffer_progress(&self, now_ms: u64) -> (Option<BufferProgress>, Vec<BufferProgress>) {
        let processor = self.destination.processor.as_ref().map(|_| self.processor_buffer.progress(now_ms));
        let mut partitions: Vec<BufferProgress> = self.partitions.values().map(|p| p.buffer.progress(now_ms)).collect();
        if partitions.is_empty() {
            partitions.push(Buffer::new(self.destination.hints.limits()).progress(now_ms));
        }
        (processor, partitions)
    }

    fn remember_invocation(&mut self, summary: InvocationSummary) {
        if self.invocations.len() == KEPT_INVOCATIONS {
            self.invocations.pop_front();
        }
        self.invocations.push_back(summary);
    }

    /// Records handed to the Lambda processor and not yet answered.
    pub fn invocations_in_flight(&self) -> usize {
        self.in_flight.len()
    }

    /// UpdateDestination: the new configuration applies to records still buffered too.
    pub fn replace_destination(&mut self, destination: S3Destination) {
        let limits = |d: &S3Destination| d.processor.as_ref().map_or(d.hints.limits(), |p| p.hints.limits());
        let staged = self.processor_buffer.take();
        self.processor_buffer = Buffer::new(limits(&destination));
        for b in staged {
            self.processor_buffer.push(b.segment, b.arrival_ms);
        }
        for p in self.partitions.values_mut() {
            let buffered = p.buffer.take();
            p.buffer = Buffer::new(destination.hints.limits());
            for b in buffered {
                p.buffer.push(b.segment, b.arrival_ms);
            }
        }
        self.destination = destination;
        self.version_id += 1;
    }

    /// A record accepted by PutRecord / PutRecordBatch.
    pub fn accept(&mut self, now_ms: u64, data: Vec<u8>, s: &mut Services) {
        let bytes = data.len() as u64;
        self.metrics.record(now_ms, |m| {
            m.incoming_records += 1;
            m.incoming_bytes += bytes;
        });
        self.ingest(now_ms, [Read::Record(ReadData::from(data), None)], s);
    }

    /// Counts a Direct PUT request against the stream's quotas; false when throttled.
    pub fn admit(&mut self, now_ms: u64, records: u64, bytes: u64) -> bool {
        let admitted = self.quota.admit(now_ms, records, bytes);
        self.metrics.record(now_ms, |m| match admitted {
            true => m.incoming_put_requests += 1,
            false => m.throttled_records += records,
        });
        admitted
    }

    /// Records in, all arriving now: to the Lambda processor's buffer one by one, or straight
    /// to their partition's buffer, a run whole and generated records of one source and instant
    /// together (one segment, split where a flush falls due). A generated record stays a
    /// reference to it unless something needs its bytes.
    fn ingest(&mut self, now_ms: u64, reads: impl IntoIterator<Item = Read>, s: &mut Services) {
        let mut gathered: Option<Segment> = None;
        for read in reads {
            match read {
                Read::Record(data, kinesis) => {
                    self.tally.accepted += 1;
                    self.taps.record(&data, now_ms);
                    if self.destination.processor.is_some() {
                        self.stage(now_ms, &data, kinesis, s);
                    } else if !gathered.as_mut().is_some_and(|g| g.take_record(&data)) {
                        if let Some(full) = gathered.replace(Segment::record(&data)) {
                            self.buffer_record(now_ms, full, now_ms, BTreeMap::new(), Fill::FlushingAsItFills, s);
                        }
                    }
                }
                Read::Run { slice, source, bytes } => {
                    self.tally.accepted += u64::from(slice.take);
                    self.taps.record_run(slice, bytes, &source, now_ms);
                    if self.destination.processor.is_some() {
                        for r in slice.records(&*source) {
                            let data = ReadData::generated(slice.batch.source, r.index, r.route.size, slice.batch.created_ms, Rc::clone(&source));
                            self.stage(now_ms, &data, None, s);
                        }
                    } else {
                        if let Some(full) = gathered.take() {
                            self.buffer_record(now_ms, full, now_ms, BTreeMap::new(), Fill::FlushingAsItFills, s);
                        }
                        self.buffer_record(now_ms, Segment::Run { slice, bytes }, now_ms, BTreeMap::new(), Fill::FlushingAsItFills, s);
                    }
                }
            }
        }
        if let Some(last) = gathered {
            self.buffer_record(now_ms, last, now_ms, BTreeMap::new(), Fill::FlushingAsItFills, s);
        }
    }

    /// One record into the Lambda processor's buffer, which invokes the function when due.
    fn stage(&mut self, now_ms: u64, data: &ReadData, kinesis: Option<KinesisRecordMetadata>, s: &mut Services) {
        self.processor_buffer.push(Segment::record(data), now_ms);
        self.staged_metadata.push_back(kinesis);
        if self.processor_buffer.flush_due(now_ms).is_some() && !self.stalled(now_ms) {
            self.invoke_staged(now_ms, s);
        }
    }

    /// Delivers every partition whose buffer is due, in partition order.
    fn flush_due_partitions(&mut self, now_ms: u64, s: &mut Services) {
        if self.stalled(now_ms) {
            return;
        }
        while let Some(id) = self.partitions.iter().find(|(_, p)| p.buffer.flush_due(now_ms).is_some()).map(|(id, _)| id.clone()) {
            self.flush(now_ms, &id, s);
        }
    }

    /// Puts records (transformed if there is a processor) in their partition's buffer. With
    /// dynamic partitioning each record's keys come from its bytes, so it is buffered as bytes.
    fn buffer_record(&mut self, now_ms: u64, segment: Segment, arrival_ms: u64, from_lambda: BTreeMap<String, String>, fill: Fill, s: &mut Services) {
        let Some(query) = self.destination.partitioning.as_ref().map(|p| p.query.clone()) else {
            return self.place(now_ms, default_partition_id(), PartitionKeys::default(), segment, arrival_ms, fill, s);
        };
        for data in segment.render_records(&s.kinesis.sources) {
            let keys = match query.as_ref().map(|q| q.extract(&data)).transpose() {
                Ok(from_query) => PartitionKeys { from_query: from_query.unwrap_or_default(), from_lambda: from_lambda.clone() },
                Err(reason) => {
                    self.partitioning_failed(now_ms, data.to_vec(), arrival_ms, "DynamicPartitioning.MetadataExtractionFailed", &reason, s);
                    continue;
                }
            };
            let id = serde_json::to_string(&keys).unwrap_or_default();
            self.place(now_ms, &id, keys, Segment::Bytes(data), arrival_ms, fill, s);
        }
    }

    /// Adds records to partition `id`'s buffer. Filling as records come, a flush falls due at
    /// the exact record that reaches the size (or finds the interval passed), as if they came
    /// one by one; the rest go on into the next object. Otherwise the caller flushes once the
    /// whole batch is in.
    #[allow(clippy::too_many_arguments)]
    fn place(&mut self, now_ms: u64, id: &str, keys: PartitionKeys, segment: Segment, arrival_ms: u64, fill: Fill, s: &mut Services) {
        if !self.partitions.contains_key(id) && self.partitions.len() >= MAX_ACTIVE_PARTITIONS {
            // AWS names this case (metric PartitionCountExceeded) but not its error code.
            let reason = format!("the delivery stream already has {MAX_ACTIVE_PARTITIONS} active partitions, the quota");
            for data in segment.render_records(&s.kinesis.sources) {
                self.partitioning_failed(now_ms, data.to_vec(), arrival_ms, "DynamicPartitioning.PartitionCountExceeded", &reason, s);
            }
            return;
        }
        let mut next = Some(segment);
        while let Some(segment) = next.take() {
            if !self.partitions.contains_key(id) {
                let partition = Partition { keys: keys.clone(), buffer: Buffer::new(self.destination.hints.limits()) };
                self.partitions.insert(id.to_string(), partition);
            }
            let stalled = self.stalled(now_ms);
            let Some(partition) = self.partitions.get_mut(id) else { return };
            let due = match fill {
                Fill::FlushingAsItFills if !stalled => partition.buffer.due_within(&segment, arrival_ms, now_ms, &s.kinesis.sources),
                _ => None,
            };
            match due {
                Some((count, bytes)) => {
                    let (head, rest) = segment.split(count, bytes);
                    partition.buffer.push(head, arrival_ms);
                    next = rest;
                }
                None => partition.buffer.push(segment, arrival_ms),
            }
            if fill == Fill::FlushingAsItFills {
                self.flush_due_partitions(now_ms, s);
            }
        }
    }

    fn partitioning_failed(&mut self, now_ms: u64, data: Vec<u8>, arrival_ms: u64, code: &str, reason: &str, s: &mut Services) {
        let record = BatchRecord { record_id: String::new(), data, arrival_ms, kinesis: None };
        let failure = AttemptFailure::new(code, format!("The partition keys could not be evaluated: {reason}."));
        self.log(now_ms, format!("{}: {}", failure.code, failure.message), s);
        self.processing_failed(now_ms, &[record], 1, &failure, None, s);
    }

    /// True while a host-run function owes an answer that is already due.
    fn stalled(&self, now_ms: u64) -> bool {
        self.in_flight.iter().any(|f| f.outcome.is_none() && f.due_ms <= now_ms)
    }

    /// Does whatever has fallen due by `now_ms`.
    pub fn wake(&mut self, now_ms: u64, s: &mut Services) {
        self.wakes = self.wakes.split_off(&now_ms.saturating_add(1));
        if let Source::Kinesis(k) = &mut self.source {
            if k.next_poll_ms <= now_ms {
                let poll = k.poll(now_ms, s.kinesis, self.destination.processor.is_none());
                let count = poll.records;
                self.metrics.record(now_ms, |m| {
                    m.kinesis_read_records += count;
                    m.kinesis_read_bytes += poll.bytes;
                    m.throttled_get_records += poll.throttled_calls;
                    m.kinesis_millis_behind_latest = m.kinesis_millis_behind_latest.max(poll.millis_behind_latest);
                    m.incoming_records += count;
                    m.incoming_bytes += poll.bytes;
                });
                self.ingest(now_ms, poll.reads, s);
            }
        }
        if self.stalled(now_ms) {
            return;
        }
        if self.processor_buffer.flush_due(now_ms).is_some() {
            self.invoke_staged(now_ms, s);
        }
        let (done, waiting): (Vec<InFlight>, Vec<InFlight>) =
            std::mem::take(&mut self.in_flight).into_iter().partition(|f| f.outcome.is_some() && f.due_ms <= now_ms);
        self.in_flight = waiting;
        for f in done {
            self.finish_invocation(now_ms, f, s);
        }
        self.flush_due_partitions(now_ms, s);
        let (due, later): (Vec<Outgoing>, Vec<Outgoing>) = std::mem::take(&mut self.retries).into_iter().partition(|o| o.next_attempt_ms <= now_ms);
        self.retries = later;
        for o in due {
            self.write(now_ms, o, s);
        }
    }

    /// The next instant something falls due, if none is already asked for; marks it asked.
    pub fn next_wake(&mut self, now_ms: u64) -> Option<u64> {
        let kinesis = match &self.source {
            Source::Kinesis(k) => Some(k.next_poll_ms),
            Source::DirectPut => None,
        };
        // A stalled stream waits for the host's answer, which wakes it; only polling goes on.
        if self.stalled(now_ms) {
            let due = kinesis?.max(now_ms);
            return self.wakes.insert(due).then_some(due);
        }
        let candidates = [
            kinesis,
            self.processor_buffer.interval_due_ms(),
            self.in_flight.iter().filter(|f| f.outcome.is_some()).map(|f| f.due_ms).min(),
            self.partitions.values().filter_map(|p| p.buffer.interval_due_ms()).min(),
            self.retries.iter().map(|o| o.next_attempt_ms).min(),
        ];
        let due = candidates.into_iter().flatten().min()?.max(now_ms);
        self.wakes.insert(due).then_some(due)
    }

    /// An error event in `/aws/kinesisfirehose/<name>` when error logging is on.
    fn log(&self, now_ms: u64, message: String, s: &mut Services) {
        if let Some(l) = &self.destination.logging {
            s.logs.put_event(&l.group, &l.stream, now_ms, message);
        }
    }
}
