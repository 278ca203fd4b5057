//! Readers of what a delivery stream takes in, besides its destination: a Kinesis Data
//! Analytics SQL application with the delivery stream as its streaming source reads every
//! record the stream accepts (Direct PUT, or read from its Kinesis source), and schema
//! discovery samples the latest ones.

use crate::engine::streams::record_data::ReadData;
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
    /// Kept as read, so a generated record is rendered only when discovery samples it.
    recent: VecDeque<ReadData>,
    /// Records readers lost by falling more than [`TAP_LIMIT`] behind.
    pub dropped: u64,
}

impl Taps {
    /// A record the delivery stream accepted at `arrival_ms`.
    pub fn record(&mut self, data: &ReadData, arrival_ms: u64) {
        if self.recent.len() == SAMPLE_RECORDS {
            self.recent.pop_front();
        }
        self.recent.push_back(data.clone());
        if self.readers.is_empty() {
            return;
        }
        let data = data.bytes();
        for queue in self.readers.values_mut() {
            if queue.len() == TAP_LIMIT {
                queue.pop_front();
                self.dropped += 1;
            }
            queue.push_back(TappedRecord { data: data.to_vec(), arrival_ms });
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

    /// The latest [`SAMPLE_RECORDS`] records, oldest first.
    pub fn recent(&self) -> impl Iterator<Item = Vec<u8>> + '_ {
        self.recent.iter().map(|r| r.bytes().to_vec())
    }
}
