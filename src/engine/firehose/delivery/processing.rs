//! The Lambda processor step of a delivery stream: batches out, answers in, retries, and
//! failures to the `processing-failed` output.

use crate::engine::firehose::buffer::{Buffered, BufferedRecord};
use crate::engine::s3::Segment;
use crate::engine::firehose::destination::ProcessorConfig;
use crate::engine::firehose::naming::uuid_v4;
use crate::engine::firehose::transform::{self, AttemptFailure, BatchRecord, KinesisRecordMetadata, RecordResult};
use crate::engine::firehose::Services;
use super::{DeliveryStream, Fill, InvocationSummary, Source};
use crate::engine::lambda::{Invocation, LambdaError, LambdaFailure};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};

/// Fixed cost of one Lambda invocation in virtual time.
pub const INVOCATION_BASE_MS: u64 = 100;
/// Added per record of the batch, so big batches visibly take longer.
pub const INVOCATION_PER_RECORD_MS: u64 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct InFlight {
    invocation_id: String,
    /// The processor as configured when the batch was first sent; retries keep using it even
    /// if UpdateDestination changes it meanwhile.
    processor: ProcessorConfig,
    /// Set while a host-run function has not answered.
    pending_id: Option<u64>,
    pub(super) batch: Vec<BatchRecord>,
    attempt: u32,
    started_ms: u64,
    pub(super) due_ms: u64,
    pub(super) outcome: Option<Result<String, AttemptFailure>>,
}

impl DeliveryStream {
    /// Sends the processor buffer's records to the function as one batch.
    pub(super) fn invoke_staged(&mut self, now_ms: u64, s: &mut Services) {
        let staged = self.processor_buffer.take();
        let metadata = std::mem::take(&mut self.staged_metadata);
        match self.destination.processor.clone() {
            Some(p) => {
                let batch = self.batch_of(Buffered::render_records(&staged, &s.kinesis.sources), metadata);
                self.start_invocation(now_ms, batch, 1, p, s);
            }
            // The processor was removed by UpdateDestination: records go on untransformed.
            None => staged.into_iter().for_each(|b| self.buffer_record(now_ms, b.segment, b.arrival_ms, BTreeMap::new(), Fill::Whole, s)),
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

    pub(super) fn finish_invocation(&mut self, now_ms: u64, f: InFlight, s: &mut Services) {
        let p = f.processor;
        let outcome = f.outcome.unwrap_or_else(|| Err(AttemptFailure::new("InternalError", "no outcome")));
        let results = outcome.and_then(|response| transform::parse_response(&response, &f.batch));
        let duration = now_ms.saturating_sub(f.started_ms);
        let mut summary = InvocationSummary {
            finished_ms: now_ms,
            attempt: f.attempt,
            duration_ms: duration,
            records: f.batch.len() as u64,
            ok: 0,
            dropped: 0,
            processing_failed: 0,
            error: None,
        };
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
                            self.buffer_record(now_ms, Segment::Bytes(data.into()), record.arrival_ms, from_lambda, Fill::Whole, s);
                        }
                        RecordResult::Dropped => self.tally.dropped += 1,
                        RecordResult::ProcessingFailed => failed.push(record),
                    }
                }
                summary.ok = ok_count;
                summary.processing_failed = failed.len() as u64;
                summary.dropped = summary.records - summary.ok - summary.processing_failed;
                self.remember_invocation(summary);
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
                summary.error = Some(format!("{}: {}", failure.code, failure.message));
                self.remember_invocation(summary);
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
