//! An application's streaming source (AWS `KinesisStreamsInput` or `KinesisFirehoseInput`):
//! one reader the application polls once a second whatever the source is. A Kinesis data
//! stream is read like any consumer (GetRecords on each shard, from LATEST); a Firehose
//! delivery stream hands over every record it accepts once the application starts.

use super::stream_ref::StreamRef;
use crate::engine::consumers::progress::Progress;
use crate::engine::consumers::shard_reader::{Delivery, ShardReader, Start};
use crate::engine::firehose::FirehoseService;
use crate::engine::streams::shard::Payload;
use crate::engine::streams::KinesisService;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Records per GetRecords call, as KDA read.
const READ_LIMIT: u32 = 10_000;

/// A record from the source and when it arrived there (APPROXIMATE_ARRIVAL_TIME).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRecord {
    pub data: Payload,
    pub arrival_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Input {
    pub source: StreamRef,
    readers: BTreeMap<u32, ShardReader>,
    progress: Progress,
}

impl Input {
    pub fn new(source: StreamRef) -> Self {
        Self { source, readers: BTreeMap::new(), progress: Progress::default() }
    }

    /// Reading starts with the records that arrive from `now` on (KDA's starting position
    /// NOW): each shard gets its LATEST iterator at once, and a delivery stream starts
    /// keeping records for `reader`, the application's name.
    pub fn start(&mut self, now: u64, reader: &str, kinesis: &mut KinesisService, firehose: &mut FirehoseService) {
        self.readers.clear();
        self.progress = Progress::default();
        match &self.source {
            // A delivery stream deleted since creation just yields nothing.
            StreamRef::Firehose(name) => {
                let _ = firehose.set_tap(name, reader, true);
            }
            // Nothing can be newer than LATEST taken now: this read only places the iterators.
            StreamRef::Kinesis(_) => {
                self.read(now, reader, kinesis, firehose);
            }
        }
    }

    pub fn stop(&mut self, reader: &str, firehose: &mut FirehoseService) {
        if let StreamRef::Firehose(name) = &self.source {
            let _ = firehose.set_tap(name, reader, false);
        }
    }

    /// One poll of the source: what arrived since the last one.
    pub fn read(&mut self, now: u64, reader: &str, kinesis: &mut KinesisService, firehose: &mut FirehoseService) -> Vec<SourceRecord> {
        match &self.source {
            StreamRef::Firehose(name) => firehose
                .take_tapped(name, reader)
                .unwrap_or_default()
                .into_iter()
                .map(|r| SourceRecord { data: r.data.into(), arrival_ms: r.arrival_ms })
                .collect(),
            StreamRef::Kinesis(name) => {
                if let Some(stream) = kinesis.stream(name) {
                    for shard in &stream.shards {
                        self.readers.entry(shard.index).or_insert_with(|| ShardReader::new(shard.index));
                    }
                }
                let mut records = Vec::new();
                for shard in self.readers.values_mut() {
                    let read = shard.read(now, kinesis, name, Start::Latest, None, READ_LIMIT, true, &mut self.progress);
                    records.extend(read.into_iter().flat_map(Delivery::into_records).map(|r| SourceRecord { data: r.data.bytes(), arrival_ms: r.arrival_ms }));
                }
                records
            }
        }
    }
}
