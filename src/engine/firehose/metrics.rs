//! Firehose's CloudWatch metrics (namespace `AWS/Firehose`), one point per minute, on the same
//! series mechanism as Kinesis's metrics.

use crate::engine::streams::metrics::{MetricPoint, MinuteSeries};
use serde::{Deserialize, Serialize};

/// The sums of one minute for one delivery stream.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FirehoseMinute {
    pub incoming_bytes: u64,
    pub incoming_records: u64,
    pub incoming_put_requests: u64,
    pub throttled_records: u64,
    pub kinesis_read_bytes: u64,
    pub kinesis_read_records: u64,
    pub throttled_get_records: u64,
    /// How far behind the stream's tip Firehose reads (maximum of the minute).
    pub kinesis_millis_behind_latest: u64,
    pub processing_successes: u64,
    pub processing_duration_ms: u64,
    pub succeed_processing_records: u64,
    pub succeed_processing_bytes: u64,
    pub s3_puts: u64,
    pub s3_put_successes: u64,
    pub s3_records: u64,
    pub s3_bytes: u64,
    /// Age of the oldest record in the objects delivered this minute (maximum).
    pub data_freshness_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirehoseMetric {
    IncomingBytes,
    IncomingRecords,
    IncomingPutRequests,
    ThrottledRecords,
    DataReadFromKinesisStreamBytes,
    DataReadFromKinesisStreamRecords,
    ThrottledGetRecords,
    KinesisMillisBehindLatest,
    ExecuteProcessingDuration,
    ExecuteProcessingSuccess,
    SucceedProcessingRecords,
    SucceedProcessingBytes,
    DeliveryToS3Records,
    DeliveryToS3Bytes,
    DeliveryToS3Success,
    DeliveryToS3ObjectCount,
    DeliveryToS3DataFreshness,
}

impl FirehoseMetric {
    pub const ALL: [FirehoseMetric; 17] = [
        FirehoseMetric::IncomingBytes,
        FirehoseMetric::IncomingRecords,
        FirehoseMetric::IncomingPutRequests,
        FirehoseMetric::ThrottledRecords,
        FirehoseMetric::DataReadFromKinesisStreamBytes,
        FirehoseMetric::DataReadFromKinesisStreamRecords,
        FirehoseMetric::ThrottledGetRecords,
        FirehoseMetric::KinesisMillisBehindLatest,
        FirehoseMetric::ExecuteProcessingDuration,
        FirehoseMetric::ExecuteProcessingSuccess,
        FirehoseMetric::SucceedProcessingRecords,
        FirehoseMetric::SucceedProcessingBytes,
        FirehoseMetric::DeliveryToS3Records,
        FirehoseMetric::DeliveryToS3Bytes,
        FirehoseMetric::DeliveryToS3Success,
        FirehoseMetric::DeliveryToS3ObjectCount,
        FirehoseMetric::DeliveryToS3DataFreshness,
    ];

    pub fn name(self) -> &'static str {
        match self {
            FirehoseMetric::IncomingBytes => "IncomingBytes",
            FirehoseMetric::IncomingRecords => "IncomingRecords",
            FirehoseMetric::IncomingPutRequests => "IncomingPutRequests",
            FirehoseMetric::ThrottledRecords => "ThrottledRecords",
            FirehoseMetric::DataReadFromKinesisStreamBytes => "DataReadFromKinesisStream.Bytes",
            FirehoseMetric::DataReadFromKinesisStreamRecords => "DataReadFromKinesisStream.Records",
            FirehoseMetric::ThrottledGetRecords => "ThrottledGetRecords",
            FirehoseMetric::KinesisMillisBehindLatest => "KinesisMillisBehindLatest",
            FirehoseMetric::ExecuteProcessingDuration => "ExecuteProcessing.Duration",
            FirehoseMetric::ExecuteProcessingSuccess => "ExecuteProcessing.Success",
            FirehoseMetric::SucceedProcessingRecords => "SucceedProcessing.Records",
            FirehoseMetric::SucceedProcessingBytes => "SucceedProcessing.Bytes",
            FirehoseMetric::DeliveryToS3Records => "DeliveryToS3.Records",
            FirehoseMetric::DeliveryToS3Bytes => "DeliveryToS3.Bytes",
            FirehoseMetric::DeliveryToS3Success => "DeliveryToS3.Success",
            FirehoseMetric::DeliveryToS3ObjectCount => "DeliveryToS3.ObjectCount",
            FirehoseMetric::DeliveryToS3DataFreshness => "DeliveryToS3.DataFreshness",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The minute's value. `.Success` metrics are sums of 1-per-success (CloudWatch's Sum
    /// statistic); DataFreshness is the minute's maximum, in milliseconds (AWS reports seconds).
    fn value(self, m: &FirehoseMinute) -> u64 {
        match self {
            FirehoseMetric::IncomingBytes => m.incoming_bytes,
            FirehoseMetric::IncomingRecords => m.incoming_records,
            FirehoseMetric::IncomingPutRequests => m.incoming_put_requests,
            FirehoseMetric::ThrottledRecords => m.throttled_records,
            FirehoseMetric::DataReadFromKinesisStreamBytes => m.kinesis_read_bytes,
            FirehoseMetric::DataReadFromKinesisStreamRecords => m.kinesis_read_records,
            FirehoseMetric::ThrottledGetRecords => m.throttled_get_records,
            FirehoseMetric::KinesisMillisBehindLatest => m.kinesis_millis_behind_latest,
            FirehoseMetric::ExecuteProcessingDuration => m.processing_duration_ms,
            FirehoseMetric::ExecuteProcessingSuccess => m.processing_successes,
            FirehoseMetric::SucceedProcessingRecords => m.succeed_processing_records,
            FirehoseMetric::SucceedProcessingBytes => m.succeed_processing_bytes,
            FirehoseMetric::DeliveryToS3Records => m.s3_records,
            FirehoseMetric::DeliveryToS3Bytes => m.s3_bytes,
            FirehoseMetric::DeliveryToS3Success => m.s3_put_successes,
            FirehoseMetric::DeliveryToS3ObjectCount => m.s3_put_successes,
            FirehoseMetric::DeliveryToS3DataFreshness => m.data_freshness_ms,
        }
    }
}

pub type FirehoseSeries = MinuteSeries<FirehoseMinute>;

pub fn points(series: &FirehoseSeries, metric: FirehoseMetric, from_ms: u64, to_ms: u64) -> Vec<MetricPoint> {
    series.points_of(from_ms, to_ms, |m| metric.value(m))
}
