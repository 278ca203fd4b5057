//! The streams an application reads from and writes to.

use super::AnalyticsError;
use crate::engine::firehose::FirehoseService;
use crate::engine::streams::records::{IteratorType, StartingPosition};
use crate::engine::streams::shard::shard_id;
use crate::engine::streams::KinesisService;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Records schema discovery samples per shard.
const SAMPLES_PER_SHARD: u32 = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
/// A Kinesis data stream or a Firehose delivery stream, by name: an application's
/// streaming source (AWS `KinesisStreamsInput` / `KinesisFirehoseInput`) or an output's
/// destination.
pub enum StreamRef {
    Kinesis(String),
    Firehose(String),
}

impl StreamRef {
    /// The source as the console's pickers name it: `kinesis:<name>` or `firehose:<name>`.
    pub fn parse(value: &str) -> Option<Self> {
        match value.split_once(':')? {
            ("kinesis", n) if !n.is_empty() => Some(StreamRef::Kinesis(n.to_string())),
            ("firehose", n) if !n.is_empty() => Some(StreamRef::Firehose(n.to_string())),
            _ => None,
        }
    }

    pub fn value(&self) -> String {
        match self {
            StreamRef::Kinesis(n) => format!("kinesis:{n}"),
            StreamRef::Firehose(n) => format!("firehose:{n}"),
        }
    }

    /// Fails when the stream does not exist, as CreateApplication does.
    pub fn check(&self, kinesis: &KinesisService, firehose: &FirehoseService) -> Result<(), AnalyticsError> {
        let exists = match self {
            StreamRef::Kinesis(n) => kinesis.stream(n).is_some(),
            StreamRef::Firehose(n) => firehose.stream(n).is_some(),
        };
        exists.then_some(()).ok_or_else(|| AnalyticsError::NoStream(self.to_string()))
    }

    /// Sample records for schema discovery: up to 100 per shard from the oldest, read with
    /// GetShardIterator and GetRecords like any caller, or a delivery stream's latest 100.
    pub fn sample(&self, now: u64, kinesis: &mut KinesisService, firehose: &FirehoseService) -> Result<Vec<Vec<u8>>, AnalyticsError> {
        let missing = || AnalyticsError::NoStream(self.to_string());
        match self {
            StreamRef::Firehose(name) => Ok(firehose.stream(name).ok_or_else(missing)?.taps.recent(&kinesis.sources)),
            StreamRef::Kinesis(name) => {
                let shards: Vec<u32> = kinesis.stream(name).ok_or_else(missing)?.shards.iter().map(|s| s.index).collect();
                let mut samples = Vec::new();
                for index in shards {
                    let position = StartingPosition { kind: IteratorType::TrimHorizon, sequence_number: None, timestamp: None };
                    let Ok(it) = kinesis.get_shard_iterator(now, name, &shard_id(index), position) else { continue };
                    if let Ok(out) = kinesis.get_records(now, &it.shard_iterator, Some(SAMPLES_PER_SHARD)) {
                        samples.extend(out.records().map(|r| r.data.bytes().to_vec()));
                    }
                }
                Ok(samples)
            }
        }
    }
}

impl fmt::Display for StreamRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamRef::Kinesis(n) => write!(f, "Kinesis · {n}"),
            StreamRef::Firehose(n) => write!(f, "Firehose · {n}"),
        }
    }
}

