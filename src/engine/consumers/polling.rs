//! A plain polling consumer: one GetShardIterator + GetRecords loop per shard, every shard
//! read as soon as it exists (no parent-first rule: that is what the KCL adds). It shares
//! each shard's 5 reads/s and 2 MiB/s with every other polling reader of the shard.

use super::config::ConsumerConfig;
use super::progress::Progress;
use super::shard_reader::ShardReader;
use crate::engine::streams::KinesisService;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PollingConsumer {
    readers: BTreeMap<u32, ShardReader>,
    /// Down because of an injected crash fault.
    crashed: bool,
}

impl PollingConsumer {
    /// Crashes or restarts the consumer. It keeps no checkpoint: its iterators die with it, and
    /// after the restart it reads from its starting position again (TRIM_HORIZON: everything
    /// again, as duplicates; LATEST: whatever arrived meanwhile is skipped).
    pub fn set_crashed(&mut self, crashed: bool) {
        if crashed {
            self.readers.clear();
        }
        self.crashed = crashed;
    }

    pub fn tick(&mut self, now_ms: u64, kinesis: &mut KinesisService, config: &ConsumerConfig, progress: &mut Progress) {
        if self.crashed {
            return;
        }
        let Some(stream) = kinesis.stream(&config.stream) else { return };
        for shard in &stream.shards {
            self.readers.entry(shard.index).or_insert_with(|| ShardReader::new(shard.index));
        }
        for reader in self.readers.values_mut() {
            for r in reader.read(now_ms, kinesis, &config.stream, config.start, None, config.limit, config.deaggregate, progress) {
                r.process(progress);
            }
        }
    }
}
