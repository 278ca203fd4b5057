//! CreateDeliveryStream's and UpdateDestination's S3 destination configuration, read into the
//! engine's [`S3Destination`] with AWS's rules (hints, prefixes, processors, conversion).

use super::super::parse;
use crate::engine::firehose::buffer::{BufferingHints, LambdaBufferHints};
use crate::engine::firehose::compression::Compression;
use crate::engine::firehose::destination::{ConversionConfig, LoggingConfig, ProcessorConfig, S3Destination, DEFAULT_LAMBDA_RETRIES};
use crate::engine::firehose::error::FirehoseError;
use crate::engine::firehose::format::{OutputFormat, ParquetCompression};
use crate::engine::firehose::naming::{validate_file_extension, S3Prefixes};
use crate::engine::firehose::partitioning::{MetadataQuery, Partitioning};
use crate::engine::lambda::function_name_from_arn;
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize, Default)]
struct HintsIn {
    #[serde(rename = "SizeInMBs")]
    size_in_mbs: Option<u32>,
    #[serde(rename = "IntervalInSeconds")]
    interval_in_seconds: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct LoggingIn {
    enabled: Option<bool>,
    log_group_name: Option<String>,
    log_stream_name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ParameterIn {
    parameter_name: String,
    parameter_value: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ProcessorIn {
    #[serde(rename = "Type")]
    kind: String,
    #[serde(default)]
    parameters: Vec<ParameterIn>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ProcessingIn {
    enabled: Option<bool>,
    #[serde(default)]
    processors: Vec<ProcessorIn>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
struct SchemaIn {
    database_name: Option<String>,
    table_name: Option<String>,
}

#[derive(Deserialize)]
struct ParquetIn {
    #[serde(rename = "Compression")]
    compression: Option<String>,
}

#[derive(Deserialize, Default)]
struct SerializerIn {
    #[serde(rename = "ParquetSerDe")]
    parquet: Option<ParquetIn>,
    #[serde(rename = "OrcSerDe")]
    orc: Option<Value>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
struct OutputFormatIn {
    serializer: Option<SerializerIn>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ConversionIn {
    enabled: Option<bool>,
    schema_configuration: Option<SchemaIn>,
    output_format_configuration: Option<OutputFormatIn>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct PartitioningIn {
    enabled: Option<bool>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct S3ConfigIn {
    #[serde(rename = "RoleARN")]
    role_arn: String,
    #[serde(rename = "BucketARN")]
    bucket_arn: String,
    prefix: Option<String>,
    error_output_prefix: Option<String>,
    buffering_hints: Option<HintsIn>,
    compression_format: Option<String>,
    cloud_watch_logging_options: Option<LoggingIn>,
    processing_configuration: Option<ProcessingIn>,
    data_format_conversion_configuration: Option<ConversionIn>,
    dynamic_partitioning_configuration: Option<PartitioningIn>,
    file_extension: Option<String>,
}

pub(super) fn invalid(message: impl Into<String>) -> FirehoseError {
    FirehoseError::InvalidArgument(message.into())
}

/// The engine's destination from a (validated) S3 or ExtendedS3 configuration.
pub(super) fn destination(stream_name: &str, config: Value) -> Result<S3Destination, FirehoseError> {
    let c: S3ConfigIn = parse(config)?;
    let bucket = c
        .bucket_arn
        .strip_prefix("arn:aws:s3:::")
        .filter(|b| !b.is_empty() && !b.contains('/'))
        .ok_or_else(|| invalid(format!("BucketARN '{}' is not an S3 bucket ARN; write arn:aws:s3:::<bucket-name>.", c.bucket_arn)))?
        .to_string();
    let conversion = match c.data_format_conversion_configuration {
        Some(conv) if conv.enabled != Some(false) => Some(conversion(conv)?),
        _ => None,
    };
    let compression = Compression::from_aws_name(c.compression_format.as_deref().unwrap_or("UNCOMPRESSED")).map_err(|e| invalid(e.to_string()))?;
    if conversion.is_some() && compression != Compression::Uncompressed {
        return Err(invalid("CompressionFormat must be UNCOMPRESSED when record format conversion is enabled; the serializer compresses instead (ParquetSerDe Compression)."));
    }
    let partitioned = c.dynamic_partitioning_configuration.is_some_and(|d| d.enabled == Some(true));
    let hints = c.buffering_hints.unwrap_or_default();
    let hints = BufferingHints::new(hints.size_in_mbs, hints.interval_in_seconds, conversion.is_some() || partitioned)
        .map_err(|e| invalid(e.to_string()))?;
    let prefixes = S3Prefixes::new(c.prefix.as_deref(), c.error_output_prefix.as_deref()).map_err(|e| invalid(e.to_string()))?;
    if let Some(ext) = &c.file_extension {
        validate_file_extension(ext).map_err(|e| FirehoseError::Validation(e.to_string()))?;
    }
    let logging = c.cloud_watch_logging_options.filter(|l| l.enabled == Some(true)).map(|l| LoggingConfig {
        group: l.log_group_name.filter(|g| !g.is_empty()).unwrap_or_else(|| format!("/aws/kinesisfirehose/{stream_name}")),
        stream: l.log_stream_name.filter(|g| !g.is_empty()).unwrap_or_else(|| "S3Delivery".to_string()),
    });
    let processors = c.processing_configuration.filter(|p| p.enabled == Some(true)).map(|p| p.processors).unwrap_or_default();
    let processor = lambda_processor(&processors)?;
    let partitioning = match partitioned {
        true => Some(Partitioning { query: metadata_query(&processors)? }),
        false => None,
    };
    Ok(S3Destination {
        bucket,
        bucket_arn: c.bucket_arn,
        role_arn: c.role_arn,
        prefix: c.prefix,
        error_output_prefix: c.error_output_prefix,
        prefixes,
        hints,
        compression,
        file_extension: c.file_extension.filter(|e| !e.is_empty()),
        processor,
        conversion,
        partitioning,
        logging,
    })
}

fn conversion(c: ConversionIn) -> Result<ConversionConfig, FirehoseError> {
    let schema = c.schema_configuration.unwrap_or_default();
    let (Some(database), Some(table)) = (schema.database_name, schema.table_name) else {
        return Err(invalid("SchemaConfiguration needs DatabaseName and TableName of an AWS Glue table when record format conversion is enabled."));
    };
    let serializer = c.output_format_configuration.unwrap_or_default().serializer.unwrap_or_default();
    let (format, compression) = match (serializer.parquet, serializer.orc) {
        (Some(p), None) => {
            let compression = match p.compression.as_deref() {
                Some("UNCOMPRESSED") => ParquetCompression::Uncompressed,
                Some("GZIP") => ParquetCompression::Gzip,
                _ => ParquetCompression::Snappy,
            };
            (OutputFormat::Parquet, compression)
        }
        (None, Some(_)) => {
            let unavailable = crate::engine::firehose::format::FormatError::OrcUnavailable;
            return Err(invalid(unavailable.to_string()));
        }
        _ => return Err(invalid("OutputFormatConfiguration.Serializer needs exactly one of ParquetSerDe or OrcSerDe.")),
    };
    Ok(ConversionConfig { database, table, format, compression })
}

fn parameter(processor: &ProcessorIn, name: &str) -> Option<String> {
    processor.parameters.iter().find(|x| x.parameter_name == name).map(|x| x.parameter_value.clone())
}

/// The jq query of a `MetadataExtraction` processor, for partitionKeyFromQuery.
fn metadata_query(processors: &[ProcessorIn]) -> Result<Option<MetadataQuery>, FirehoseError> {
    let Some(p) = processors.iter().find(|x| x.kind == "MetadataExtraction") else { return Ok(None) };
    let text = parameter(p, "MetadataExtractionQuery").ok_or_else(|| invalid("A MetadataExtraction processor needs the MetadataExtractionQuery parameter."))?;
    MetadataQuery::parse(&text).map(Some).map_err(invalid)
}

fn lambda_processor(processors: &[ProcessorIn]) -> Result<Option<ProcessorConfig>, FirehoseError> {
    let Some(lambda) = processors.iter().find(|x| x.kind == "Lambda") else { return Ok(None) };
    let param = |name: &str| parameter(lambda, name);
    let lambda_arn = param("LambdaArn").ok_or_else(|| invalid("A Lambda processor needs the LambdaArn parameter."))?;
    let function_name = function_name_from_arn(&lambda_arn)
        .ok_or_else(|| invalid(format!("LambdaArn '{lambda_arn}' is not a Lambda function ARN; write arn:aws:lambda:<region>:<account>:function:<name>.")))?
        .to_string();
    let number = |name: &str, max: f64| -> Result<Option<f64>, FirehoseError> {
        param(name)
            .map(|v| v.parse::<f64>().ok().filter(|n| n.is_finite() && (0.0..=max).contains(n)).ok_or_else(|| invalid(format!("{name} '{v}' must be a number from 0 to {max}."))))
            .transpose()
    };
    let retries = number("NumberOfRetries", 300.0)?.map_or(DEFAULT_LAMBDA_RETRIES, |n| n as u32);
    // The processor's own hints say their ranges themselves (LambdaBufferHints).
    let any = f64::from(u32::MAX);
    let size = number("BufferSizeInMBs", any)?;
    let interval = number("BufferIntervalInSeconds", any)?.map(|n| n as u32);
    let hints = LambdaBufferHints::new(size, interval).map_err(|e| invalid(e.to_string()))?;
    Ok(Some(ProcessorConfig { lambda_arn, function_name, retries, hints }))
}
