//! Readers of what a delivery stream takes in, besides its destination: a Kinesis Data
//! Analytics SQL application with the delivery stream as its streaming source reads every
//! record the stream accepts (Direct PUT, or read from its Kinesis source), and schema
//! discovery samples the latest ones.

use crate::engine::producers::generator::{Moment, Source};
use crate::engine::s3::Segment;
use crate::engine::streams::record_data::ReadData;
use crate::engine::streams::run::RunSlice;
use crate::engine::streams::shard::Payload;
use crate::engine::streams::sources::Sources;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};

/// Records kept for schema discovery.
pub const SAMPLE_RECORDS: usize = 100;
/// Records one reader may fall behind before the oldest are dropped. Applications read every
/// second, far below this at Firehose's Direct PUT quota.
pub const TAP_LIMIT: usize = 100_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TappedRecord {
    pub data: Vec<u8>,
    /// When the delivery stream accepted the record.
    pub arrival_ms: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Taps {
    /// Records not yet taken, by reader name.
    readers: BTreeMap<String, VecDeque<TappedRecord>>,
    /// The latest records as read (at least [`SAMPLE_RECORDS`] of them once that many came),
    /// so generated records and runs are rendered only when discovery samples them.
    recent: VecDeque<Segment>,
    /// Records readers lost by falling more than [`TAP_LIMIT`] behind.
    pub dropped: u64,
}

impl Taps {
    /// A record the delivery stream accepted at `arrival_ms`.
    pub fn record(&mut self, data: &ReadData, arrival_ms: u64) {
        if !self.readers.is_empty() {
            self.deliver(data.bytes().to_vec(), arrival_ms);
        }
        self.sample(Segment::record(data));
    }

    /// A run of a built-in producer's records the delivery stream accepted at `arrival_ms`:
    /// rendered only when an application reads the stream.
    pub fn record_run(&mut self, slice: RunSlice, bytes: u64, source: &Source, arrival_ms: u64) {
        if !self.readers.is_empty() {
            let at = Moment::at(slice.batch.created_ms);
            for r in slice.records(source) {
                self.deliver(source.render(r.index, &at), arrival_ms);
            }
        }
        self.sample(Segment::Run { slice, bytes });
    }

    fn deliver(&mut self, data: Vec<u8>, arrival_ms: u64) {
        for queue in self.readers.values_mut() {
            if queue.len() == TAP_LIMIT {
                queue.pop_front();
                self.dropped += 1;
            }
            queue.push_back(TappedRecord { data: data.clone(), arrival_ms });
        }
    }

    /// Keeps `segment` among the latest, dropping the oldest segments no longer needed for
    /// [`SAMPLE_RECORDS`].
    fn sample(&mut self, segment: Segment) {
        self.recent.push_back(segment);
        let mut kept: u64 = self.recent.iter().map(Segment::records).sum();
        while let Some(front) = self.recent.front() {
            if kept - front.records() < SAMPLE_RECORDS as u64 {
                break;
            }
            kept -= front.records();
            self.recent.pop_front();
        }
    }

    /// `reader` gets every record accepted from now on.
    pub fn open(&mut self, reader: &str) {
        self.readers.entry(reader.to_string()).or_default();
    }

    pub fn close(&mut self, reader: &str) {
        self.readers.remove(reader);
    }

    /// The records accepted since `reader`'s last take, oldest first; opens the tap for a
    /// reader it does not know yet (a delivery stream re-created under the same name).
    pub fn take(&mut self, reader: &str) -> Vec<TappedRecord> {
        self.readers.entry(reader.to_string()).or_default().drain(..).collect()
    }

    /// The latest [`SAMPLE_RECORDS`] records, oldest first, rendered from a world's `sources`.
    pub fn recent(&self, sources: &Sources) -> Vec<Vec<u8>> {
        let all: Vec<Payload> = self.recent.iter().flat_map(|s| s.render_records(sources)).collect();
        all[all.len().saturating_sub(SAMPLE_RECORDS)..].iter().map(|p| p.to_vec()).collect()
    }
}
