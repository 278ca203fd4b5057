//! The output step of a delivery stream: buffers become S3 objects (converted to Parquet when
//! configured), failed records become error records under the error prefix, and writes S3
//! refuses are logged and retried.

use crate::engine::firehose::buffer::{Buffered, BufferedRecord};
use crate::engine::firehose::compression::Compression;
use crate::engine::firehose::format::{self, FormatError};
use crate::engine::firehose::naming::{object_suffix, uuid_v4, ErrorOutputType, PartitionKeys};
use crate::engine::firehose::transform::{AttemptFailure, BatchRecord};
use crate::engine::firehose::Services;
use super::{DeliveryStream, Partition};
use crate::engine::s3::{Body, PutObject};
use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// Wait before retrying a failed S3 write. AWS does not document its backoff; 5 s keeps the
/// retries visible in the logs without flooding them.
pub const S3_RETRY_DELAY_MS: u64 = 5_000;
/// Firehose keeps retrying S3 for 24 hours, then the data is lost [AWS].
pub const S3_RETRY_WINDOW_MS: u64 = 24 * 3_600_000;

/// An object ready to write; kept and retried while S3 refuses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Outgoing {
    body: Body,
    content_type: String,
    extension: String,
    oldest_arrival_ms: u64,
    error_type: Option<ErrorOutputType>,
    /// The partition of a data object (empty without dynamic partitioning).
    keys: PartitionKeys,
    pub(super) records: u64,
    first_attempt_ms: u64,
    pub(super) next_attempt_ms: u64,
}

/// AWS's error record for the `processing-failed` output.
#[derive(Serialize, Deserialize)]
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
#[derive(Serialize, Deserialize)]
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

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CatalogTable<'a> {
    catalog_id: &'a str,
    database_name: &'a str,
    table_name: &'a str,
    region: &'a str,
}

impl DeliveryStream {
    pub(super) fn processing_failed(&mut self, now_ms: u64, records: &[BatchRecord], attempts: u32, failure: &AttemptFailure, lambda_arn: Option<&str>, s: &mut Services) {
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
            body: body.into(),
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
    pub(super) fn flush(&mut self, now_ms: u64, partition_id: &str, s: &mut Services) {
        let Some(Partition { keys, mut buffer }) = self.partitions.remove(partition_id) else { return };
        let taken = buffer.take();
        let Some(oldest_arrival_ms) = taken.iter().map(|b| b.arrival_ms).min() else { return };
        let extension = self.destination.extension();
        let body = match self.destination.conversion.clone() {
            Some(c) => {
                let records = Buffered::render_records(&taken, &s.kinesis.sources);
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
                            Some(file) => (file.into(), converted),
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
                let count = taken.iter().map(|b| b.segment.records()).sum();
                let raw = Body::of(taken.into_iter().map(|b| b.segment));
                match self.destination.compression {
                    // Kept as the records came: generated ones render when the object is read.
                    Compression::Uncompressed => (raw, count),
                    // AWS does not document the entry name inside a ZIP object; we use the stream's.
                    c => (c.compress(&raw.bytes(&s.kinesis.sources), &self.name).into(), count),
                }
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
    pub(super) fn write(&mut self, now_ms: u64, mut out: Outgoing, s: &mut Services) {
        let attempt = self.put(now_ms, &out, s);
        self.metrics.record(now_ms, |m| m.s3_puts += 1);
        match attempt {
            Ok(()) => {
                let (records, bytes, age) = (out.records, out.body.len(), now_ms.saturating_sub(out.oldest_arrival_ms));
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
        if !s.iam.allows(&d.role_arn, "s3:PutObject") || s.s3.refuses_write(&d.bucket) {
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
}
