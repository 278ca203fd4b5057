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

use super::buffer::{Buffer, BufferedRecord};
use super::destination::{ProcessorConfig, S3Destination};
use super::format::{self, FormatError};
use super::metrics::FirehoseSeries;
use super::naming::{object_suffix, uuid_v4, ErrorOutputType, PartitionKeys};
use super::partitioning::MAX_ACTIVE_PARTITIONS;
use super::quota::DirectPutQuota;
use super::source::KinesisSource;
use super::transform::{self, AttemptFailure, BatchRecord, KinesisRecordMetadata, RecordResult};
use super::Services;
use crate::engine::lambda::{Invocation, LambdaError, LambdaFailure};
use crate::engine::s3::PutObject;
use base64::Engine as _;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Fixed cost of one Lambda invocation in virtual time.
pub const INVOCATION_BASE_MS: u64 = 100;
/// Added per record of the batch, so big batches visibly take longer.
pub const INVOCATION_PER_RECORD_MS: u64 = 1;
/// Wait before retrying a failed S3 write. AWS does not document its backoff; 5 s keeps the
/// retries visible in the logs without flooding them.
pub const S3_RETRY_DELAY_MS: u64 = 5_000;
/// Firehose keeps retrying S3 for 24 hours, then the data is lost [AWS].
pub const S3_RETRY_WINDOW_MS: u64 = 24 * 3_600_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Source {
    DirectPut,
    Kinesis(KinesisSource),
}

/// Where every accepted record went; the invariant tests read these.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
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

#[derive(Debug, Clone, PartialEq, Serialize)]
struct InFlight {
    invocation_id: String,
    /// The processor as configured when the batch was first sent; retries keep using it even
    /// if UpdateDestination changes it meanwhile.
    processor: ProcessorConfig,
    /// Set while a host-run function has not answered.
    pending_id: Option<u64>,
    batch: Vec<BatchRecord>,
    attempt: u32,
    started_ms: u64,
    due_ms: u64,
    outcome: Option<Result<String, AttemptFailure>>,
}

/// An object ready to write; kept and retried while S3 refuses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Outgoing {
    body: Vec<u8>,
    content_type: String,
    extension: String,
    oldest_arrival_ms: u64,
    error_type: Option<ErrorOutputType>,
    /// The partition of a data object (empty without dynamic partitioning).
    keys: PartitionKeys,
    records: u64,
    first_attempt_ms: u64,
    next_attempt_ms: u64,
}

/// AWS's error record for the `processing-failed` output.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProcessingFailedRecord<'a> {
    attempts_made: u32,
    arrival_timestamp: u64,
    error_code: &'a str,
    error_message: &'a str,
    attempt_ending_timestamp: u64,
    raw_data: String,
    /// Absent for records that failed before any Lambda (dynamic partitioning).
    #[serde(skip_serializing_if = "Option::is_none")]
    lambda_arn: Option<&'a str>,
}

/// AWS's error record for the `format-conversion-failed` output.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ConversionFailedRecord<'a> {
    attempts_made: u32,
    arrival_timestamp: u64,
    last_error_code: &'a str,
    last_error_message: &'a str,
    attempt_ending_timestamp: u64,
    raw_data: String,
    data_catalog_table: CatalogTable<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CatalogTable<'a> {
    catalog_id: &'a str,
    database_name: &'a str,
    table_name: &'a str,
    region: &'a str,
}

/// The destination buffer of one partition (the only one without dynamic partitioning).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct Partition {
    keys: PartitionKeys,
    buffer: Buffer,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// Wake-ups already asked of the scheduler, so each instant is asked once.
    wakes: BTreeSet<u64>,
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
            wakes: BTreeSet::new(),
        }
    }

    /// Records still inside the stream (buffered, being transformed or awaiting an S3 retry).
    pub fn records_in_flight(&self) -> u64 {
        self.processor_buffer.len() as u64
            + self.partitions.values().map(|p| p.buffer.len() as u64).sum::<u64>()
            + self.in_flight.iter().map(|f| f.batch.len() as u64).sum::<u64>()
            + self.retries.iter().map(|o| o.records).sum::<u64>()
    }

    /// UpdateDestination: the new configuration applies to records still buffered too.
    pub fn replace_destination(&mut self, destination: S3Destination) {
        let limits = |d: &S3Destination| d.processor.as_ref().map_or(d.hints.limits(), |p| p.hints.limits());
        let staged = self.processor_buffer.take();
        self.processor_buffer = Buffer::new(limits(&destination));
        for r in staged {
            self.processor_buffer.push(r.data, r.arrival_ms);
        }
        for p in self.partitions.values_mut() {
            let buffered = p.buffer.take();
            p.buffer = Buffer::new(destination.hints.limits());
            for r in buffered {
                p.buffer.push(r.data, r.arrival_ms);
            }
        }
        self.destination = destination;
        self.version_id += 1;
    }

    /// A record accepted by PutRecord / PutRecordBatch.
    pub fn accept(&mut self, now_ms: u64, data: Vec<u8>, s: &mut Services) {
        self.tally.accepted += 1;
        let bytes = data.len() as u64;
        self.metrics.record(now_ms, |m| {
            m.incoming_records += 1;
            m.incoming_bytes += bytes;
        });
        self.ingest(now_ms, data, now_ms, None, s);
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

    fn ingest(&mut self, now_ms: u64, data: Vec<u8>, arrival_ms: u64, kinesis: Option<KinesisRecordMetadata>, s: &mut Services) {
        if self.destination.processor.is_some() {
            self.processor_buffer.push(data, arrival_ms);
            self.staged_metadata.push_back(kinesis);
            if self.processor_buffer.flush_due(now_ms).is_some() && !self.stalled(now_ms) {
                self.invoke_staged(now_ms, s);
            }
        } else {
            self.buffer_record(now_ms, data, arrival_ms, BTreeMap::new(), s);
            self.flush_due_partitions(now_ms, s);
        }
    }

    fn flush_due_partitions(&mut self, now_ms: u64, s: &mut Services) {
        if self.stalled(now_ms) {
            return;
        }
        let due: Vec<String> = self.partitions.iter().filter(|(_, p)| p.buffer.flush_due(now_ms).is_some()).map(|(id, _)| id.clone()).collect();
        for id in due {
            self.flush(now_ms, &id, s);
        }
    }

    /// Puts a record (transformed if there is a processor) in its partition's buffer; callers
    /// flush what is due once the whole batch is in.
    fn buffer_record(&mut self, now_ms: u64, data: Vec<u8>, arrival_ms: u64, from_lambda: BTreeMap<String, String>, s: &mut Services) {
        let keys = match &self.destination.partitioning {
            None => PartitionKeys::default(),
            Some(p) => match p.query.as_ref().map(|q| q.extract(&data)).transpose() {
                Ok(from_query) => PartitionKeys { from_query: from_query.unwrap_or_default(), from_lambda },
                Err(reason) => return self.partitioning_failed(now_ms, data, arrival_ms, "DynamicPartitioning.MetadataExtractionFailed", &reason, s),
            },
        };
        let id = serde_json::to_string(&keys).unwrap_or_default();
        if !self.partitions.contains_key(&id) && self.partitions.len() >= MAX_ACTIVE_PARTITIONS {
            // AWS names this case (metric PartitionCountExceeded) but not its error code.
            let reason = format!("the delivery stream already has {MAX_ACTIVE_PARTITIONS} active partitions, the quota");
            return self.partitioning_failed(now_ms, data, arrival_ms, "DynamicPartitioning.PartitionCountExceeded", &reason, s);
        }
        let limits = self.destination.hints.limits();
        let partition = self.partitions.entry(id).or_insert_with(|| Partition { keys, buffer: Buffer::new(limits) });
        partition.buffer.push(data, arrival_ms);
    }

    fn partitioning_failed(&mut self, now_ms: u64, data: Vec<u8>, arrival_ms: u64, code: &str, reason: &str, s: &mut Services) {
        let record = BatchRecord { record_id: String::new(), data, arrival_ms, kinesis: None };
        let failure = AttemptFailure::new(code, format!("The partition keys could not be evaluated: {reason}."));
        self.log(now_ms, format!("{}: {}", failure.code, failure.message), s);
        self.processing_failed(now_ms, &[record], 1, &failure, None, s);
    }

    /// Sends the processor buffer's records to the function as one batch.
    fn invoke_staged(&mut self, now_ms: u64, s: &mut Services) {
        let staged = self.processor_buffer.take();
        let metadata = std::mem::take(&mut self.staged_metadata);
        match self.destination.processor.clone() {
            Some(p) => {
                let batch = self.batch_of(staged, metadata);
                self.start_invocation(now_ms, batch, 1, p, s);
            }
            // The processor was removed by UpdateDestination: records go on untransformed.
            None => staged.into_iter().for_each(|r| self.buffer_record(now_ms, r.data, r.arrival_ms, BTreeMap::new(), s)),
        }
    }

    fn batch_of(&mut self, records: Vec<BufferedRecord>, metadata: VecDeque<Option<KinesisRecordMetadata>>) -> Vec<BatchRecord> {
        let metadata = metadata.into_iter().chain(std::iter::repeat(None));
        records
            .into_iter()
            .zip(metadata)
            .map(|(r, kinesis)| {
                self.next_record += 1;
                // Shaped like AWS's (a long decimal); unique within the delivery stream.
                let record_id = format!("49{:013}{:041}", self.created_ms, self.next_record);
                BatchRecord { record_id, data: r.data, arrival_ms: r.arrival_ms, kinesis }
            })
            .collect()
    }

    /// True while a host-run function owes an answer that is already due.
    fn stalled(&self, now_ms: u64) -> bool {
        self.in_flight.iter().any(|f| f.outcome.is_none() && f.due_ms <= now_ms)
    }

    fn start_invocation(&mut self, now_ms: u64, batch: Vec<BatchRecord>, attempt: u32, p: ProcessorConfig, s: &mut Services) {
        let invocation_id = uuid_v4(s.rng);
        let due_ms = now_ms.saturating_add(INVOCATION_BASE_MS + INVOCATION_PER_RECORD_MS * batch.len() as u64);
        let source_arn = match &self.source {
            Source::Kinesis(k) => Some(k.stream_arn.as_str()),
            Source::DirectPut => None,
        };
        let (mut pending_id, mut outcome) = (None, None);
        if !s.iam.allows(&self.destination.role_arn, "lambda:InvokeFunction") {
            outcome = Some(Err(AttemptFailure::new(
                "Lambda.InvokeAccessDenied",
                format!("Access was denied. Ensure that the access policy allows access to the Lambda function {}.", p.lambda_arn),
            )));
        } else {
            let payload = transform::event(&invocation_id, &self.arn, source_arn, &s.region, &batch);
            match s.lambda.invoke(&p.function_name, payload) {
                Ok(Invocation::Answered(Ok(response))) => outcome = Some(Ok(response)),
                Ok(Invocation::Answered(Err(failure))) => outcome = Some(Err(lambda_failure(&failure))),
                Ok(Invocation::Pending(id)) => pending_id = Some(id),
                Err(LambdaError::FunctionNotFound(_) | LambdaError::BadName(_) | LambdaError::NoSuchInvocation(_)) => {
                    outcome = Some(Err(AttemptFailure::new(
                        "Lambda.ResourceNotFound",
                        format!("The Lambda function {} could not be found.", p.lambda_arn),
                    )))
                }
            }
        }
        self.in_flight.push(InFlight { invocation_id, processor: p, pending_id, batch, attempt, started_ms: now_ms, due_ms, outcome });
    }

    /// The host's answer to an external invocation; false if this stream was not waiting for it.
    pub fn complete_invocation(&mut self, pending_id: u64, result: Result<String, LambdaFailure>, now_ms: u64) -> bool {
        let Some(f) = self.in_flight.iter_mut().find(|f| f.pending_id == Some(pending_id)) else { return false };
        f.pending_id = None;
        f.due_ms = f.due_ms.max(now_ms);
        f.outcome = Some(result.map_err(|e| lambda_failure(&e)));
        true
    }

    /// Does whatever has fallen due by `now_ms`.
    pub fn wake(&mut self, now_ms: u64, s: &mut Services) {
        self.wakes = self.wakes.split_off(&now_ms.saturating_add(1));
        if let Source::Kinesis(k) = &mut self.source {
            if k.next_poll_ms <= now_ms {
                let poll = k.poll(now_ms, s.kinesis);
                let count = poll.records.len() as u64;
                self.metrics.record(now_ms, |m| {
                    m.kinesis_read_records += count;
                    m.kinesis_read_bytes += poll.bytes;
                    m.throttled_get_records += poll.throttled_calls;
                    m.kinesis_millis_behind_latest = m.kinesis_millis_behind_latest.max(poll.millis_behind_latest);
                    m.incoming_records += count;
                    m.incoming_bytes += poll.bytes;
                });
                for (data, metadata) in poll.records {
                    self.tally.accepted += 1;
                    self.ingest(now_ms, data, now_ms, Some(metadata), s);
                }
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

    fn finish_invocation(&mut self, now_ms: u64, f: InFlight, s: &mut Services) {
        let p = f.processor;
        let outcome = f.outcome.unwrap_or_else(|| Err(AttemptFailure::new("InternalError", "no outcome")));
        let results = outcome.and_then(|response| transform::parse_response(&response, &f.batch));
        let duration = now_ms.saturating_sub(f.started_ms);
        match results {
            Ok(results) => {
                let mut ok_bytes = 0;
                let mut ok_count = 0;
                let mut failed = Vec::new();
                for (record, result) in f.batch.into_iter().zip(results) {
                    match result {
                        RecordResult::Ok(data, from_lambda) => {
                            ok_count += 1;
                            ok_bytes += data.len() as u64;
                            self.buffer_record(now_ms, data, record.arrival_ms, from_lambda, s);
                        }
                        RecordResult::Dropped => self.tally.dropped += 1,
                        RecordResult::ProcessingFailed => failed.push(record),
                    }
                }
                self.metrics.record(now_ms, |m| {
                    m.processing_successes += 1;
                    m.processing_duration_ms += duration;
                    m.succeed_processing_records += ok_count;
                    m.succeed_processing_bytes += ok_bytes;
                });
                // AWS documents the error record's fields, not the code for a record the
                // function itself marked ProcessingFailed; this one is ours.
                let failure = AttemptFailure::new(
                    "Lambda.ProcessingFailed",
                    "The Lambda function returned result ProcessingFailed for this record.",
                );
                self.processing_failed(now_ms, &failed, f.attempt, &failure, Some(&p.lambda_arn), s);
                self.flush_due_partitions(now_ms, s);
            }
            Err(failure) => {
                self.metrics.record(now_ms, |m| m.processing_duration_ms += duration);
                self.log(now_ms, format!("{}: {} (attempt {} of {})", failure.code, failure.message, f.attempt, p.retries + 1), s);
                if f.attempt <= p.retries {
                    self.start_invocation(now_ms, f.batch, f.attempt + 1, p, s);
                } else {
                    self.processing_failed(now_ms, &f.batch, f.attempt, &failure, Some(&p.lambda_arn), s);
                }
            }
        }
    }

    fn processing_failed(&mut self, now_ms: u64, records: &[BatchRecord], attempts: u32, failure: &AttemptFailure, lambda_arn: Option<&str>, s: &mut Services) {
        let b64 = base64::engine::general_purpose::STANDARD;
        let lines = records.iter().map(|r| {
            serde_json::to_string(&ProcessingFailedRecord {
                attempts_made: attempts,
                arrival_timestamp: r.arrival_ms,
                error_code: &failure.code,
                error_message: &failure.message,
                attempt_ending_timestamp: now_ms,
                raw_data: b64.encode(&r.data),
                lambda_arn,
            })
            .unwrap_or_default()
        });
        let oldest = records.iter().map(|r| r.arrival_ms).min();
        self.write_errors(now_ms, ErrorOutputType::ProcessingFailed, lines.collect(), oldest, s);
    }

    fn write_errors(&mut self, now_ms: u64, kind: ErrorOutputType, lines: Vec<String>, oldest: Option<u64>, s: &mut Services) {
        let Some(oldest_arrival_ms) = oldest else { return };
        let records = lines.len() as u64;
        let mut body = lines.join("\n").into_bytes();
        body.push(b'\n');
        let out = Outgoing {
            body,
            content_type: "application/octet-stream".into(),
            extension: String::new(),
            oldest_arrival_ms,
            error_type: Some(kind),
            keys: PartitionKeys::default(),
            records,
            first_attempt_ms: now_ms,
            next_attempt_ms: now_ms,
        };
        self.write(now_ms, out, s);
    }

    /// Empties one partition's buffer into one object (and, with format conversion, an error
    /// object for the records that did not convert).
    fn flush(&mut self, now_ms: u64, partition_id: &str, s: &mut Services) {
        let Some(Partition { keys, mut buffer }) = self.partitions.remove(partition_id) else { return };
        let records = buffer.take();
        let Some(oldest_arrival_ms) = records.iter().map(|r| r.arrival_ms).min() else { return };
        let extension = self.destination.extension();
        let body = match self.destination.conversion.clone() {
            Some(c) => {
                let Some(table) = s.glue.table(&c.database, &c.table) else {
                    let message = format!("The Glue table {}.{} does not exist.", c.database, c.table);
                    self.conversion_failed(now_ms, &records, "DataFormatConversion.InvalidSchema", &message, s);
                    return;
                };
                let datas: Vec<&[u8]> = records.iter().map(|r| r.data.as_slice()).collect();
                match format::convert(table, &datas, c.format, c.compression) {
                    Ok(conversion) => {
                        let failed: Vec<(BufferedRecord, String, String)> = conversion
                            .failed
                            .iter()
                            .filter_map(|f| records.get(f.index).map(|r| (r.clone(), f.error_code.to_string(), f.error_message.clone())))
                            .collect();
                        self.conversion_failed_each(now_ms, &failed, &c.database, &c.table, s);
                        let converted = conversion.converted_records;
                        match conversion.file {
                            Some(file) => (file, converted),
                            None => return,
                        }
                    }
                    Err(e @ (FormatError::OrcUnavailable | FormatError::Parquet(_))) => {
                        self.conversion_failed(now_ms, &records, "DataFormatConversion.SerializationError", &e.to_string(), s);
                        return;
                    }
                }
            }
            None => {
                let raw: Vec<u8> = records.iter().flat_map(|r| r.data.iter().copied()).collect();
                // AWS does not document the entry name inside a ZIP object; we use the stream's.
                (self.destination.compression.compress(&raw, &self.name), records.len() as u64)
            }
        };
        let out = Outgoing {
            body: body.0,
            content_type: "application/octet-stream".into(),
            extension,
            oldest_arrival_ms,
            error_type: None,
            keys,
            records: body.1,
            first_attempt_ms: now_ms,
            next_attempt_ms: now_ms,
        };
        self.write(now_ms, out, s);
    }

    fn conversion_failed(&mut self, now_ms: u64, records: &[BufferedRecord], code: &str, message: &str, s: &mut Services) {
        let Some(c) = self.destination.conversion.clone() else { return };
        let failed: Vec<_> = records.iter().map(|r| (r.clone(), code.to_string(), message.to_string())).collect();
        self.conversion_failed_each(now_ms, &failed, &c.database, &c.table, s);
    }

    fn conversion_failed_each(&mut self, now_ms: u64, failed: &[(BufferedRecord, String, String)], database: &str, table: &str, s: &mut Services) {
        let b64 = base64::engine::general_purpose::STANDARD;
        let lines = failed.iter().map(|(r, code, message)| {
            serde_json::to_string(&ConversionFailedRecord {
                attempts_made: 1,
                arrival_timestamp: r.arrival_ms,
                last_error_code: code,
                last_error_message: message,
                attempt_ending_timestamp: now_ms,
                raw_data: b64.encode(&r.data),
                data_catalog_table: CatalogTable { catalog_id: &s.account_id, database_name: database, table_name: table, region: &s.region },
            })
            .unwrap_or_default()
        });
        let oldest = failed.iter().map(|(r, _, _)| r.arrival_ms).min();
        self.write_errors(now_ms, ErrorOutputType::FormatConversionFailed, lines.collect(), oldest, s);
    }

    /// One PutObject through the delivery stream's role; on failure, logged and retried.
    fn write(&mut self, now_ms: u64, mut out: Outgoing, s: &mut Services) {
        let attempt = self.put(now_ms, &out, s);
        self.metrics.record(now_ms, |m| m.s3_puts += 1);
        match attempt {
            Ok(()) => {
                let (records, bytes, age) = (out.records, out.body.len() as u64, now_ms.saturating_sub(out.oldest_arrival_ms));
                match out.error_type {
                    None => {
                        self.tally.delivered += records;
                        self.metrics.record(now_ms, |m| {
                            m.s3_put_successes += 1;
                            m.s3_records += records;
                            m.s3_bytes += bytes;
                            m.data_freshness_ms = m.data_freshness_ms.max(age);
                        });
                    }
                    Some(_) => {
                        self.tally.errored += records;
                        self.metrics.record(now_ms, |m| m.s3_put_successes += 1);
                    }
                }
            }
            Err(failure) => {
                self.log(now_ms, format!("{}: {}", failure.code, failure.message), s);
                if now_ms.saturating_sub(out.first_attempt_ms) >= S3_RETRY_WINDOW_MS {
                    self.tally.lost += out.records;
                    self.log(now_ms, format!("{} records were not delivered after 24 hours of retries and are lost.", out.records), s);
                } else {
                    out.next_attempt_ms = now_ms.saturating_add(S3_RETRY_DELAY_MS);
                    self.retries.push(out);
                }
            }
        }
    }

    fn put(&self, now_ms: u64, out: &Outgoing, s: &mut Services) -> Result<(), AttemptFailure> {
        let d = &self.destination;
        if !s.iam.allows(&d.role_arn, "s3:PutObject") {
            return Err(AttemptFailure::new(
                "S3.AccessDenied",
                "Access was denied. Ensure that the trust policy for the provided IAM role allows Kinesis Data Firehose to assume the role, and the access policy allows access to the S3 bucket.",
            ));
        }
        if s.s3.bucket(&d.bucket).is_err() {
            return Err(AttemptFailure::new(
                "S3.NoSuchBucket",
                "The specified bucket does not exist. Create the bucket or use a different bucket that does exist.",
            ));
        }
        let prefix = match out.error_type {
            Some(kind) => d.prefixes.evaluate_error_prefix(out.oldest_arrival_ms, kind, s.rng),
            None => d.prefixes.evaluate_prefix(out.oldest_arrival_ms, &out.keys, s.rng),
        }
        .map_err(|e| AttemptFailure::new("S3.InvalidPrefix", e.to_string()))?;
        let uuid = uuid_v4(s.rng);
        let key = format!("{prefix}{}", object_suffix(&self.name, self.version_id, out.oldest_arrival_ms, &uuid, &out.extension));
        let put = PutObject { body: out.body.clone(), content_type: out.content_type.clone(), content_encoding: None };
        s.s3.put_object(&d.bucket, &key, put, now_ms).map_err(|e| AttemptFailure::new(&format!("S3.{}", e.code()), e.to_string()))
    }

    /// An error event in `/aws/kinesisfirehose/<name>` when error logging is on.
    fn log(&self, now_ms: u64, message: String, s: &mut Services) {
        if let Some(l) = &self.destination.logging {
            s.logs.put_event(&l.group, &l.stream, now_ms, message);
        }
    }
}

fn lambda_failure(f: &LambdaFailure) -> AttemptFailure {
    match f {
        LambdaFailure::Unhandled(text) => AttemptFailure::new(
            "Lambda.FunctionError",
            format!("The Lambda function was successfully invoked but it returned an error result: {text}"),
        ),
        // AWS's documented timeout text; the code itself is not documented.
        LambdaFailure::Timeout => AttemptFailure::new(
            "Lambda.FunctionTimedOut",
            "Firehose encountered timeout errors when calling AWS Lambda. The maximum supported function timeout is 5 minutes.",
        ),
    }
}
