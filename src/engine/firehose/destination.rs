//! An S3 destination's configuration, checked once when the delivery stream is created or
//! updated (the API layer builds it; the delivery stream only reads it).

use super::buffer::{BufferingHints, LambdaBufferHints};
use super::compression::Compression;
use super::format::{OutputFormat, ParquetCompression};
use super::naming::S3Prefixes;
use super::partitioning::Partitioning;
use serde::{Deserialize, Serialize};

/// Firehose retries a failed Lambda invocation this many times by default [AWS].
pub const DEFAULT_LAMBDA_RETRIES: u32 = 3;

/// The Lambda processor of `ProcessingConfiguration`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProcessorConfig {
    /// As configured (often with `:$LATEST`), reported back in error records.
    pub lambda_arn: String,
    pub function_name: String,
    pub retries: u32,
    pub hints: LambdaBufferHints,
}

/// `DataFormatConversionConfiguration`: JSON in, columnar out, typed by a Glue table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversionConfig {
    pub database: String,
    pub table: String,
    pub format: OutputFormat,
    pub compression: ParquetCompression,
}

/// CloudWatch error logging: where delivery errors are written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggingConfig {
    pub group: String,
    pub stream: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct S3Destination {
    pub bucket: String,
    pub bucket_arn: String,
    pub role_arn: String,
    /// As configured, for DescribeDeliveryStream.
    pub prefix: Option<String>,
    pub error_output_prefix: Option<String>,
    pub prefixes: S3Prefixes,
    pub hints: BufferingHints,
    pub compression: Compression,
    pub file_extension: Option<String>,
    pub processor: Option<ProcessorConfig>,
    pub conversion: Option<ConversionConfig>,
    pub partitioning: Option<Partitioning>,
    pub logging: Option<LoggingConfig>,
}

impl S3Destination {
    /// The extension of delivered data objects: a custom `FileExtension`, else the format's or
    /// the compression's [AWS `s3-object-name`].
    pub fn extension(&self) -> String {
        match (&self.file_extension, &self.conversion) {
            (Some(ext), _) => ext.clone(),
            (None, Some(c)) => c.format.extension().to_string(),
            (None, None) => self.compression.extension().to_string(),
        }
    }
}
