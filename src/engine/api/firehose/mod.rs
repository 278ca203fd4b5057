//! Amazon Data Firehose behind the same front door: `Firehose_20150804.<Action>` (AWS JSON
//! 1.1). Shapes are checked by the shared validator; the handlers turn the request into the
//! engine's configuration and call the Firehose service.

use super::parse;
use super::validate::{check, parse_body, Field, Pattern};
use super::ApiResponse;
use crate::engine::firehose::delivery::{DeliveryStream, Source};
use crate::engine::firehose::error::FirehoseError;
use crate::engine::firehose::{FirehoseService, NewSource, Services};
use base64::Engine as _;
use config::{destination, invalid};
use describe::{describe, destination_json};
use serde::Deserialize;
use serde_json::{json, Value};

mod config;
mod describe;
pub use describe::create_request;


pub const TARGET_PREFIX: &str = "Firehose_20150804.";

/// PutRecordBatch limits [AWS `limits.md`]: 500 records or 4 MiB, each record 1,000 KiB.
pub const MAX_BATCH_RECORDS: u64 = 500;
pub const MAX_BATCH_BYTES: u64 = 4 * 1_048_576;
pub const MAX_RECORD_BYTES: u64 = 1_024_000;

const STREAM_TYPES: &[&str] = &["DirectPut", "KinesisStreamAsSource", "MSKAsSource", "DatabaseAsSource"];
const COMPRESSION_FORMATS: &[&str] = &["UNCOMPRESSED", "GZIP", "ZIP", "Snappy", "HADOOP_SNAPPY"];
const PROCESSOR_TYPES: &[&str] =
    &["RecordDeAggregation", "Decompression", "CloudWatchLogProcessing", "Lambda", "MetadataExtraction", "AppendDelimiterToRecord"];
const PARAMETER_NAMES: &[&str] = &[
    "LambdaArn",
    "NumberOfRetries",
    "MetadataExtractionQuery",
    "JsonParsingEngine",
    "RoleArn",
    "BufferSizeInMBs",
    "BufferIntervalInSeconds",
    "SubRecordType",
    "Delimiter",
    "CompressionFormat",
    "DataMessageExtraction",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirehoseOperation {
    CreateDeliveryStream,
    DescribeDeliveryStream,
    ListDeliveryStreams,
    DeleteDeliveryStream,
    PutRecord,
    PutRecordBatch,
    UpdateDestination,
}

impl FirehoseOperation {
    pub const ALL: [FirehoseOperation; 7] = [
        FirehoseOperation::CreateDeliveryStream,
        FirehoseOperation::DescribeDeliveryStream,
        FirehoseOperation::ListDeliveryStreams,
        FirehoseOperation::DeleteDeliveryStream,
        FirehoseOperation::PutRecord,
        FirehoseOperation::PutRecordBatch,
        FirehoseOperation::UpdateDestination,
    ];

    pub fn name(self) -> &'static str {
        match self {
            FirehoseOperation::CreateDeliveryStream => "CreateDeliveryStream",
            FirehoseOperation::DescribeDeliveryStream => "DescribeDeliveryStream",
            FirehoseOperation::ListDeliveryStreams => "ListDeliveryStreams",
            FirehoseOperation::DeleteDeliveryStream => "DeleteDeliveryStream",
            FirehoseOperation::PutRecord => "PutRecord",
            FirehoseOperation::PutRecordBatch => "PutRecordBatch",
            FirehoseOperation::UpdateDestination => "UpdateDestination",
        }
    }

    pub fn from_target(target: &str) -> Option<FirehoseOperation> {
        let action = target.strip_prefix(TARGET_PREFIX)?;
        FirehoseOperation::ALL.into_iter().find(|op| op.name() == action)
    }

    /// Request members in the AWS model's order, with its constraints.
    fn rules(self) -> Vec<(&'static str, Field)> {
        let name = || Field::string().not_null().regex(Pattern::Name).len(1, 64);
        let record = || Field::structure(vec![("Data", Field::blob().not_null().max_len(MAX_RECORD_BYTES))]);
        match self {
            FirehoseOperation::CreateDeliveryStream => vec![
                ("DeliveryStreamName", name()),
                ("DeliveryStreamType", Field::string().one_of(STREAM_TYPES)),
                (
                    "KinesisStreamSourceConfiguration",
                    Field::structure(vec![("KinesisStreamARN", arn().not_null()), ("RoleARN", arn().not_null())]),
                ),
                ("S3DestinationConfiguration", s3_configuration(false, true)),
                ("ExtendedS3DestinationConfiguration", s3_configuration(true, true)),
                (
                    "Tags",
                    Field::list(Field::structure(vec![
                        ("Key", Field::string().not_null().len(1, 128)),
                        ("Value", Field::string().len(0, 256)),
                    ]))
                    .len(1, 50),
                ),
            ],
            FirehoseOperation::DescribeDeliveryStream => vec![
                ("DeliveryStreamName", name()),
                ("Limit", Field::integer().range(1, 10_000)),
                ("ExclusiveStartDestinationId", Field::string().len(1, 100)),
            ],
            FirehoseOperation::ListDeliveryStreams => vec![
                ("Limit", Field::integer().range(1, 10_000)),
                ("DeliveryStreamType", Field::string().one_of(STREAM_TYPES)),
                ("ExclusiveStartDeliveryStreamName", Field::string().regex(Pattern::Name).len(1, 64)),
            ],
            FirehoseOperation::DeleteDeliveryStream => {
                vec![("DeliveryStreamName", name()), ("AllowForceDelete", Field::boolean())]
            }
            FirehoseOperation::PutRecord => vec![("DeliveryStreamName", name()), ("Record", record().not_null())],
            FirehoseOperation::PutRecordBatch => vec![
                ("DeliveryStreamName", name()),
                (
                    "Records",
                    Field::list(record())
                        .not_null()
                        .len(1, MAX_BATCH_RECORDS)
                        .member_str("com.amazonaws.firehose.v20150804.Record"),
                ),
            ],
            FirehoseOperation::UpdateDestination => vec![
                ("DeliveryStreamName", name()),
                ("CurrentDeliveryStreamVersionId", Field::string().not_null().len(1, 50)),
                ("DestinationId", Field::string().not_null().len(1, 100)),
                ("S3DestinationUpdate", s3_configuration(false, false)),
                ("ExtendedS3DestinationUpdate", s3_configuration(true, false)),
            ],
        }
    }

    fn run(self, f: &mut FirehoseService, now_ms: u64, input: Value, s: &mut Services) -> Result<String, FirehoseError> {
        match self {
            FirehoseOperation::CreateDeliveryStream => create(f, now_ms, input, s),
            FirehoseOperation::DescribeDeliveryStream => {
                let name = input["DeliveryStreamName"].as_str().unwrap_or_default();
                let d = f.stream(name).ok_or_else(|| f.not_found(name))?;
                Ok(json!({ "DeliveryStreamDescription": describe(d) }).to_string())
            }
            FirehoseOperation::ListDeliveryStreams => Ok(list(f, input)),
            FirehoseOperation::DeleteDeliveryStream => {
                f.delete(input["DeliveryStreamName"].as_str().unwrap_or_default())?;
                Ok("{}".into())
            }
            FirehoseOperation::PutRecord => {
                let r: PutRecordIn = parse(input)?;
                f.put_records(&r.delivery_stream_name, vec![decode(&r.record.data)?], now_ms, s)?;
                Ok(json!({ "RecordId": s.rng.alphanumeric(56), "Encrypted": false }).to_string())
            }
            FirehoseOperation::PutRecordBatch => put_record_batch(f, now_ms, input, s),
            FirehoseOperation::UpdateDestination => update_destination(f, input, s),
        }
    }
}

fn arn() -> Field {
    Field::string().len(1, 512)
}

/// A destination configuration; in an update (`required` false) every member is optional.
fn s3_configuration(extended: bool, required: bool) -> Field {
    let needed = |f: Field| if required { f.not_null() } else { f };
    let mut members = vec![
        ("RoleARN", needed(arn())),
        ("BucketARN", needed(Field::string().len(1, 2048))),
        ("Prefix", Field::string().len(0, 1024)),
        ("ErrorOutputPrefix", Field::string().len(0, 1024)),
        (
            "BufferingHints",
            Field::structure(vec![("SizeInMBs", Field::integer().range(1, 128)), ("IntervalInSeconds", Field::integer().range(0, 900))]),
        ),
        ("CompressionFormat", Field::string().one_of(COMPRESSION_FORMATS)),
        (
            "CloudWatchLoggingOptions",
            Field::structure(vec![
                ("Enabled", Field::boolean()),
                ("LogGroupName", Field::string().len(0, 512)),
                ("LogStreamName", Field::string().len(0, 512)),
            ]),
        ),
    ];
    if extended {
        members.extend([
            (
                "ProcessingConfiguration",
                Field::structure(vec![
                    ("Enabled", Field::boolean()),
                    (
                        "Processors",
                        Field::list(Field::structure(vec![
                            ("Type", Field::string().not_null().one_of(PROCESSOR_TYPES)),
                            (
                                "Parameters",
                                Field::list(Field::structure(vec![
                                    ("ParameterName", Field::string().not_null().one_of(PARAMETER_NAMES)),
                                    ("ParameterValue", Field::string().not_null().len(1, 5120)),
                                ])),
                            ),
                        ])),
                    ),
                ]),
            ),
            (
                "DataFormatConversionConfiguration",
                Field::structure(vec![
                    (
                        "SchemaConfiguration",
                        Field::structure(vec![
                            ("RoleARN", arn()),
                            ("CatalogId", Field::string().len(1, 1024)),
                            ("DatabaseName", Field::string().len(1, 1024)),
                            ("TableName", Field::string().len(1, 1024)),
                            ("Region", Field::string().len(1, 1024)),
                            ("VersionId", Field::string().len(1, 1024)),
                        ]),
                    ),
                    (
                        "InputFormatConfiguration",
                        Field::structure(vec![(
                            "Deserializer",
                            Field::structure(vec![("OpenXJsonSerDe", Field::structure(vec![])), ("HiveJsonSerDe", Field::structure(vec![]))]),
                        )]),
                    ),
                    (
                        "OutputFormatConfiguration",
                        Field::structure(vec![(
                            "Serializer",
                            Field::structure(vec![
                                (
                                    "ParquetSerDe",
                                    Field::structure(vec![("Compression", Field::string().one_of(&["UNCOMPRESSED", "GZIP", "SNAPPY"]))]),
                                ),
                                ("OrcSerDe", Field::structure(vec![])),
                            ]),
                        )]),
                    ),
                    ("Enabled", Field::boolean()),
                ]),
            ),
            (
                "DynamicPartitioningConfiguration",
                Field::structure(vec![
                    ("RetryOptions", Field::structure(vec![("DurationInSeconds", Field::integer().range(0, 7200))])),
                    ("Enabled", Field::boolean()),
                ]),
            ),
            ("FileExtension", Field::string().len(0, 128)),
            ("S3BackupMode", Field::string().one_of(&["Disabled", "Enabled"])),
        ]);
    }
    Field::structure(members)
}

/// Runs one Firehose call. Never panics, whatever the bytes.
pub fn dispatch(f: &mut FirehoseService, now_ms: u64, s: &mut Services, target: &str, body: &[u8]) -> ApiResponse {
    let result = FirehoseOperation::from_target(target).ok_or(FirehoseError::UnknownOperation).and_then(|op| {
        let parsed = parse_body(body)?;
        let input = check(&op.rules(), &parsed)?;
        op.run(f, now_ms, input, s)
    });
    match result {
        Ok(body) => ApiResponse { status: 200, body },
        Err(e) => ApiResponse { status: e.status(), body: e.body() },
    }
}

fn decode(data: &str) -> Result<Vec<u8>, FirehoseError> {
    base64::engine::general_purpose::STANDARD.decode(data).map_err(|_| FirehoseError::Serialization(None))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RecordIn {
    data: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PutRecordIn {
    delivery_stream_name: String,
    record: RecordIn,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PutRecordBatchIn {
    delivery_stream_name: String,
    records: Vec<RecordIn>,
}

fn put_record_batch(f: &mut FirehoseService, now_ms: u64, input: Value, s: &mut Services) -> Result<String, FirehoseError> {
    let r: PutRecordBatchIn = parse(input)?;
    let records = r.records.iter().map(|x| decode(&x.data)).collect::<Result<Vec<_>, _>>()?;
    let total: u64 = records.iter().map(|d| d.len() as u64).sum();
    if total > MAX_BATCH_BYTES {
        // AWS's text for this case is not documented; ours names the limit.
        return Err(FirehoseError::InvalidArgument(format!(
            "PutRecordBatch request is {total} bytes; the records of one request may total at most 4 MiB ({MAX_BATCH_BYTES} bytes)."
        )));
    }
    f.put_records(&r.delivery_stream_name, records, now_ms, s)?;
    let responses: Vec<Value> = r.records.iter().map(|_| json!({ "RecordId": s.rng.alphanumeric(56) })).collect();
    Ok(json!({ "FailedPutCount": 0, "Encrypted": false, "RequestResponses": responses }).to_string())
}

fn create(f: &mut FirehoseService, now_ms: u64, input: Value, s: &mut Services) -> Result<String, FirehoseError> {
    let name = input["DeliveryStreamName"].as_str().unwrap_or_default().to_string();
    let kind = input.get("DeliveryStreamType").and_then(Value::as_str).unwrap_or("DirectPut");
    let source = match kind {
        "DirectPut" => NewSource::DirectPut,
        "KinesisStreamAsSource" => {
            let k = input.get("KinesisStreamSourceConfiguration").ok_or_else(|| {
                invalid("KinesisStreamSourceConfiguration is required when DeliveryStreamType is KinesisStreamAsSource.")
            })?;
            let field = |key: &str| k.get(key).and_then(Value::as_str).unwrap_or_default().to_string();
            NewSource::Kinesis { stream_arn: field("KinesisStreamARN"), role_arn: field("RoleARN") }
        }
        other => return Err(invalid(format!("DeliveryStreamType {other} is not simulated; use DirectPut or KinesisStreamAsSource."))),
    };
    let config = match (input.get("ExtendedS3DestinationConfiguration"), input.get("S3DestinationConfiguration")) {
        (Some(c), None) | (None, Some(c)) => c.clone(),
        _ => {
            return Err(invalid(
                "Exactly one destination configuration is required; this simulator delivers to S3 (ExtendedS3DestinationConfiguration or S3DestinationConfiguration).",
            ))
        }
    };
    let arn = f.create(&name, source, destination(&name, config)?, now_ms, s)?;
    Ok(json!({ "DeliveryStreamARN": arn }).to_string())
}

fn update_destination(f: &mut FirehoseService, input: Value, s: &mut Services) -> Result<String, FirehoseError> {
    let name = input["DeliveryStreamName"].as_str().unwrap_or_default().to_string();
    let version = input["CurrentDeliveryStreamVersionId"].as_str().unwrap_or_default();
    let version: u64 = version.parse().map_err(|_| invalid(format!("CurrentDeliveryStreamVersionId '{version}' is not a version id.")))?;
    let current = f.stream(&name).ok_or_else(|| f.not_found(&name))?;
    if input["DestinationId"].as_str() != Some(DESTINATION_ID) {
        return Err(invalid(format!("Destination {} not found; this delivery stream has {DESTINATION_ID}.", input["DestinationId"])));
    }
    // An update merges into the current configuration: members left out keep their values.
    let mut merged = destination_json(current);
    let update = match (input.get("ExtendedS3DestinationUpdate"), input.get("S3DestinationUpdate")) {
        (Some(u), None) | (None, Some(u)) => u.clone(),
        _ => return Err(invalid("Exactly one destination update is required; this simulator updates S3 destinations.")),
    };
    if let (Some(m), Some(u)) = (merged.as_object_mut(), update.as_object()) {
        for (k, v) in u {
            m.insert(k.clone(), v.clone());
        }
    }
    f.update_destination(&name, version, destination(&name, merged)?, s)?;
    Ok("{}".into())
}

fn list(f: &FirehoseService, input: Value) -> String {
    let limit = input.get("Limit").and_then(Value::as_u64).unwrap_or(10) as usize;
    let kind = input.get("DeliveryStreamType").and_then(Value::as_str);
    let after = input.get("ExclusiveStartDeliveryStreamName").and_then(Value::as_str).unwrap_or("");
    let names: Vec<&str> = f
        .streams()
        .filter(|d| kind.is_none_or(|k| k == stream_type(d)))
        .map(|d| d.name.as_str())
        .filter(|n| *n > after)
        .collect();
    let more = names.len() > limit;
    json!({ "DeliveryStreamNames": names.into_iter().take(limit).collect::<Vec<_>>(), "HasMoreDeliveryStreams": more }).to_string()
}

const DESTINATION_ID: &str = "destinationId-000000000001";

fn stream_type(d: &DeliveryStream) -> &'static str {
    match d.source {
        Source::DirectPut => "DirectPut",
        Source::Kinesis(_) => "KinesisStreamAsSource",
    }
}
