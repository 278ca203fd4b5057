//! DescribeDeliveryStream's description, which UpdateDestination also merges into.

use super::{stream_type, DESTINATION_ID};
use crate::engine::firehose::delivery::{DeliveryStream, Source};
use crate::engine::firehose::format::ParquetCompression;
use serde_json::{json, Value};

fn seconds(ms: u64) -> f64 {
    ms as f64 / 1000.0
}

/// The destination as ExtendedS3DestinationDescription shows it (and UpdateDestination merges
/// into).
pub(super) fn destination_json(d: &DeliveryStream) -> Value {
    let c = &d.destination;
    let mut v = json!({
        "RoleARN": c.role_arn,
        "BucketARN": c.bucket_arn,
        "BufferingHints": { "SizeInMBs": c.hints.size_in_mbs, "IntervalInSeconds": c.hints.interval_in_seconds },
        "CompressionFormat": c.compression.aws_name(),
        "EncryptionConfiguration": { "NoEncryptionConfig": "NoEncryption" },
        "CloudWatchLoggingOptions": match &c.logging {
            Some(l) => json!({ "Enabled": true, "LogGroupName": l.group, "LogStreamName": l.stream }),
            None => json!({ "Enabled": false }),
        },
        "S3BackupMode": "Disabled",
    });
    let set = |v: &mut Value, k: &str, x: Value| v[k] = x;
    if let Some(p) = &c.prefix {
        set(&mut v, "Prefix", json!(p));
    }
    if let Some(p) = &c.error_output_prefix {
        set(&mut v, "ErrorOutputPrefix", json!(p));
    }
    if let Some(e) = &c.file_extension {
        set(&mut v, "FileExtension", json!(e));
    }
    let mut processors = Vec::new();
    if let Some(q) = c.partitioning.as_ref().and_then(|p| p.query.as_ref()) {
        processors.push(json!({ "Type": "MetadataExtraction", "Parameters": [
            { "ParameterName": "MetadataExtractionQuery", "ParameterValue": q.text },
            { "ParameterName": "JsonParsingEngine", "ParameterValue": "JQ-1.6" },
        ]}));
    }
    if let Some(p) = &c.processor {
        processors.push(json!({ "Type": "Lambda", "Parameters": [
            { "ParameterName": "LambdaArn", "ParameterValue": p.lambda_arn },
            { "ParameterName": "NumberOfRetries", "ParameterValue": p.retries.to_string() },
            { "ParameterName": "BufferSizeInMBs", "ParameterValue": p.hints.size_in_mbs.to_string() },
            { "ParameterName": "BufferIntervalInSeconds", "ParameterValue": p.hints.interval_in_seconds.to_string() },
        ]}));
    }
    if !processors.is_empty() {
        set(&mut v, "ProcessingConfiguration", json!({ "Enabled": true, "Processors": processors }));
    }
    if c.partitioning.is_some() {
        set(&mut v, "DynamicPartitioningConfiguration", json!({ "Enabled": true }));
    }
    if let Some(cv) = &c.conversion {
        let compression = match cv.compression {
            ParquetCompression::Uncompressed => "UNCOMPRESSED",
            ParquetCompression::Gzip => "GZIP",
            ParquetCompression::Snappy => "SNAPPY",
        };
        set(
            &mut v,
            "DataFormatConversionConfiguration",
            json!({
                "Enabled": true,
                "SchemaConfiguration": { "RoleARN": c.role_arn, "DatabaseName": cv.database, "TableName": cv.table, "VersionId": "LATEST" },
                "InputFormatConfiguration": { "Deserializer": { "OpenXJsonSerDe": {} } },
                "OutputFormatConfiguration": { "Serializer": { "ParquetSerDe": { "Compression": compression } } },
            }),
        );
    }
    v
}

/// The CreateDeliveryStream request that makes this delivery stream again, as a scenario
/// exports it: the destination as described, which CreateDeliveryStream reads back.
pub fn create_request(d: &DeliveryStream) -> Value {
    let mut out = json!({
        "DeliveryStreamName": d.name,
        "DeliveryStreamType": stream_type(d),
        "ExtendedS3DestinationConfiguration": destination_json(d),
    });
    if let Source::Kinesis(k) = &d.source {
        out["KinesisStreamSourceConfiguration"] = json!({ "KinesisStreamARN": k.stream_arn, "RoleARN": k.role_arn });
    }
    out
}

pub(super) fn describe(d: &DeliveryStream) -> Value {
    let mut out = json!({
        "DeliveryStreamName": d.name,
        "DeliveryStreamARN": d.arn,
        "DeliveryStreamStatus": "ACTIVE",
        "DeliveryStreamType": stream_type(d),
        "VersionId": d.version_id.to_string(),
        "DeliveryStreamEncryptionConfiguration": { "Status": "DISABLED" },
        "CreateTimestamp": seconds(d.created_ms),
        "Destinations": [{ "DestinationId": DESTINATION_ID, "ExtendedS3DestinationDescription": destination_json(d) }],
        "HasMoreDestinations": false,
    });
    if let Source::Kinesis(k) = &d.source {
        out["Source"] = json!({ "KinesisStreamSourceDescription": {
            "KinesisStreamARN": k.stream_arn, "RoleARN": k.role_arn, "DeliveryStartTimestamp": seconds(k.started_ms),
        }});
    }
    out
}
