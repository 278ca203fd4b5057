//! A data stream: its lifecycle state, shards (open and closed), settings and counters.

use super::capacity::OnDemandCapacity;
use super::fanout::Consumer;
use super::hashing::HashKeyRange;
use super::metrics::MetricSeries;
use super::shard::Shard;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

pub const HOUR_MS: u64 = 3_600_000;
pub const DEFAULT_RETENTION_HOURS: u32 = 24;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StreamStatus {
    Creating,
    Active,
    Updating,
    Deleting,
}

impl StreamStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            StreamStatus::Creating => "CREATING",
            StreamStatus::Active => "ACTIVE",
            StreamStatus::Updating => "UPDATING",
            StreamStatus::Deleting => "DELETING",
        }
    }

    /// Reads and writes work while ACTIVE or UPDATING (A10).
    pub fn serves_data(self) -> bool {
        matches!(self, StreamStatus::Active | StreamStatus::Updating)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StreamMode {
    Provisioned,
    OnDemand,
}

impl StreamMode {
    pub fn as_str(self) -> &'static str {
        match self {
            StreamMode::Provisioned => "PROVISIONED",
            StreamMode::OnDemand => "ON_DEMAND",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "PROVISIONED" => Some(StreamMode::Provisioned),
            "ON_DEMAND" => Some(StreamMode::OnDemand),
            _ => None,
        }
    }
}

/// A reshard accepted by the API and applied when the stream leaves UPDATING.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PendingReshard {
    Split {
        shard: u32,
        new_starting_hash_key: u128,
    },
    Merge {
        shard: u32,
        adjacent: u32,
    },
    Uniform {
        target: u32,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stream {
    /// Unique per incarnation: a stream deleted and created again under the same name gets a
    /// new id, so timers and iterators of the old one no longer apply.
    pub id: u64,
    pub name: String,
    pub arn: String,
    pub status: StreamStatus,
    pub created_ms: u64,
    pub retention_hours: u32,
    pub mode: StreamMode,
    /// Shard count requested at creation; the shards appear when the stream turns ACTIVE.
    pub initial_shard_count: u32,
    pub shards: Vec<Shard>,
    pub next_shard_index: u32,
    /// Source of sequence number counters, shared by all shards of the stream.
    pub counter: u64,
    pub tags: BTreeMap<String, String>,
    pub shard_level_metrics: BTreeSet<String>,
    pub pending_reshard: Option<PendingReshard>,
    pub shard_count_updates_ms: Vec<u64>,
    pub mode_switches_ms: Vec<u64>,
    pub consumers: BTreeMap<String, Consumer>,
    pub capacity: OnDemandCapacity,
    pub metrics: MetricSeries,
}

impl Stream {
    pub fn retention_ms(&self) -> u64 {
        u64::from(self.retention_hours) * HOUR_MS
    }

    /// Oldest arrival time still readable at `now_ms`.
    pub fn trim_horizon_ms(&self, now_ms: u64) -> u64 {
        now_ms.saturating_sub(self.retention_ms())
    }

    pub fn open_shards(&self) -> impl Iterator<Item = &Shard> {
        self.shards.iter().filter(|s| s.is_open())
    }

    pub fn open_shard_count(&self) -> u32 {
        self.open_shards().count() as u32
    }

    pub fn shard(&self, index: u32) -> Option<&Shard> {
        self.shards
            .binary_search_by_key(&index, |s| s.index)
            .ok()
            .map(|i| &self.shards[i])
    }

    pub fn shard_mut(&mut self, index: u32) -> Option<&mut Shard> {
        self.shards
            .binary_search_by_key(&index, |s| s.index)
            .ok()
            .map(move |i| &mut self.shards[i])
    }

    /// The open shard whose range holds `hash_key`; the open ranges tile the key space.
    pub fn route(&self, hash_key: u128) -> Option<u32> {
        self.open_shards()
            .find(|s| s.hash_range.contains(hash_key))
            .map(|s| s.index)
    }

    /// Whether shard `index` has a parent or children: some of its keys' records are in
    /// another shard.
    pub fn resharded(&self, index: u32) -> bool {
        self.shards.iter().any(|s| (s.index == index && s.parent.is_some()) || s.parent == Some(index) || s.adjacent_parent == Some(index))
    }

    pub fn next_counter(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    /// Opens a new shard with the next index; shards stay sorted by index.
    pub fn open_shard(
        &mut self,
        range: HashKeyRange,
        parents: (Option<u32>, Option<u32>),
        now_ms: u64,
    ) -> u32 {
        let index = self.next_shard_index;
        self.next_shard_index += 1;
        self.shards
            .push(Shard::new(index, range, parents, now_ms, self.counter));
        index
    }

    pub fn close_shard(&mut self, index: u32, now_ms: u64) {
        if let Some(s) = self.shard_mut(index) {
            s.closed_ms.get_or_insert(now_ms);
        }
    }
}
