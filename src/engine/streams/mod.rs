//! Kinesis Data Streams: the service that owns every stream of one account and Region.
//!
//! Operations take the virtual time `now_ms` and return AWS-shaped outputs or a
//! [`KinesisError`]. Timed consequences (a stream turning ACTIVE, a reshard completing, ...)
//! are queued as [`KinesisTask`]s that the [`Sim`](crate::engine::sim::Sim) moves into its
//! scheduler and hands back through [`KinesisService::run_task`] when they fall due.

pub mod aggregate_ref;
pub mod capacity;
pub mod entries;
pub mod fanout;
pub mod hashing;
pub mod iterator;
pub mod lifecycle;
pub mod list_shards;
pub mod metrics;
pub mod read_model;
pub mod record_data;
pub mod sources;
pub mod records;
pub mod reshard;
pub mod retention;
pub mod run;
pub mod sequence;
pub mod shard;
pub mod storm;
pub mod stream;
pub mod tags;
pub mod throughput;

use crate::engine::api::error::KinesisError;
use crate::engine::events::{EventKind, EventLog};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use stream::{Stream, StreamStatus};

/// Account, Region and the delays AWS leaves unspecified ("seconds to about a minute").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KinesisConfig {
    pub account_id: String,
    pub region: String,
    pub creating_delay_ms: u64,
    pub updating_delay_ms: u64,
    pub deleting_delay_ms: u64,
    pub consumer_delay_ms: u64,
    /// Open shards allowed in the account; AWS's current default in us-east-1, us-west-2 and
    /// eu-west-1 is 20,000 and 1,000 elsewhere.
    pub shard_limit: u32,
    pub on_demand_stream_limit: u32,
}

impl Default for KinesisConfig {
    fn default() -> Self {
        Self::for_region("123456789012", "us-east-1")
    }
}

impl KinesisConfig {
    pub fn for_region(account_id: &str, region: &str) -> Self {
        let large = matches!(region, "us-east-1" | "us-west-2" | "eu-west-1");
        Self {
            account_id: account_id.to_string(),
            region: region.to_string(),
            creating_delay_ms: 30_000,
            updating_delay_ms: 10_000,
            deleting_delay_ms: 10_000,
            consumer_delay_ms: 5_000,
            shard_limit: if large { 20_000 } else { 1_000 },
            on_demand_stream_limit: 50,
        }
    }
}

/// Timed work of the Kinesis service. Stream ids (not names) make timers of a deleted
/// stream harmless to a new stream of the same name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum KinesisTask {
    StreamActive {
        stream_id: u64,
    },
    UpdateComplete {
        stream_id: u64,
    },
    StreamDeleted {
        stream_id: u64,
    },
    /// Drops records past retention and expired closed shards, once a minute.
    RetentionSweep,
    /// On-demand scaling review of one stream, once a minute.
    CapacityCheck {
        stream_id: u64,
    },
    ConsumerActive {
        stream_id: u64,
        consumer: String,
    },
    ConsumerDeleted {
        stream_id: u64,
        consumer: String,
    },
    /// Pushes the next SubscribeToShard event of a subscription.
    PushEvents {
        subscription_id: u64,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KinesisService {
    pub config: KinesisConfig,
    streams: BTreeMap<String, Stream>,
    next_stream_id: u64,
    sweep_scheduled: bool,
    subscriptions: fanout::Subscriptions,
    /// What happened to the account's streams, for the console's event log.
    pub events: EventLog,
    /// Built-in producers' record sources, which stored records name by id.
    pub sources: sources::Sources,
    /// Tasks queued by the last operation, drained by the Sim right after it.
    #[serde(skip)]
    timers: Vec<(u64, KinesisTask)>,
}

impl Default for KinesisService {
    fn default() -> Self {
        Self::new(KinesisConfig::default())
    }
}

impl KinesisService {
    pub fn new(config: KinesisConfig) -> Self {
        Self {
            config,
            streams: BTreeMap::new(),
            next_stream_id: 1,
            sweep_scheduled: false,
            sources: sources::Sources::default(),
            subscriptions: fanout::Subscriptions::default(),
            events: EventLog::default(),
            timers: Vec::new(),
        }
    }

    /// Tasks the service asked for since the last call, with their due times.
    pub fn take_timers(&mut self) -> Vec<(u64, KinesisTask)> {
        std::mem::take(&mut self.timers)
    }

    /// Queues `task` to run `delay_ms` from now. Work due past the end of representable
    /// time never runs (and so cannot repeat forever at the last millisecond).
    fn schedule_in(&mut self, now_ms: u64, delay_ms: u64, task: KinesisTask) {
        if let Some(due) = now_ms.checked_add(delay_ms) {
            self.timers.push((due, task));
        }
    }

    pub fn run_task(&mut self, now_ms: u64, task: KinesisTask) {
        match task {
            KinesisTask::StreamActive { stream_id } => self.activate(now_ms, stream_id),
            KinesisTask::UpdateComplete { stream_id } => self.complete_update(now_ms, stream_id),
            KinesisTask::StreamDeleted { stream_id } => {
                let gone: Vec<String> = self.streams.values().filter(|s| s.id == stream_id).map(|s| s.name.clone()).collect();
                self.streams.retain(|_, s| s.id != stream_id);
                for stream in gone {
                    self.events.push(now_ms, EventKind::StreamDeleted { stream }, 1);
                }
            }
            KinesisTask::RetentionSweep => self.sweep_retention(now_ms),
            KinesisTask::CapacityCheck { stream_id } => self.review_capacity(now_ms, stream_id),
            KinesisTask::ConsumerActive {
                stream_id,
                consumer,
            } => self.activate_consumer(stream_id, &consumer),
            KinesisTask::ConsumerDeleted {
                stream_id,
                consumer,
            } => self.remove_consumer(stream_id, &consumer),
            KinesisTask::PushEvents { subscription_id } => {
                self.push_events(now_ms, subscription_id)
            }
        }
    }

    fn stream_by_id_mut(&mut self, id: u64) -> Option<&mut Stream> {
        self.streams.values_mut().find(|s| s.id == id)
    }

    pub fn stream(&self, name: &str) -> Option<&Stream> {
        self.streams.get(name)
    }

    pub fn streams(&self) -> impl Iterator<Item = &Stream> {
        self.streams.values()
    }

    fn stream_arn(&self, name: &str) -> String {
        format!(
            "arn:aws:kinesis:{}:{}:stream/{}",
            self.config.region, self.config.account_id, name
        )
    }

    // AWS's error texts, in one place so every action words them the same way.

    fn stream_not_found(&self, name: &str) -> KinesisError {
        KinesisError::ResourceNotFound(format!(
            "Stream {name} under account {} not found.",
            self.config.account_id
        ))
    }

    fn shard_not_found(&self, shard_id: &str, name: &str) -> KinesisError {
        KinesisError::ResourceNotFound(format!(
            "Shard {shard_id} in stream {name} under account {} does not exist",
            self.config.account_id
        ))
    }

    fn not_active(&self, stream: &Stream) -> KinesisError {
        KinesisError::ResourceInUse(format!(
            "Stream {} under account {} not ACTIVE, instead in state {}",
            stream.name,
            self.config.account_id,
            stream.status.as_str()
        ))
    }

    /// The stream, whatever its state.
    fn existing(&self, name: &str) -> Result<&Stream, KinesisError> {
        self.streams
            .get(name)
            .ok_or_else(|| self.stream_not_found(name))
    }

    fn existing_mut(&mut self, name: &str) -> Result<&mut Stream, KinesisError> {
        if !self.streams.contains_key(name) {
            return Err(self.stream_not_found(name));
        }
        self.streams
            .get_mut(name)
            .ok_or(KinesisError::InternalFailure)
    }

    /// The stream if it is ACTIVE, as control-plane changes require.
    fn active_mut(&mut self, name: &str) -> Result<&mut Stream, KinesisError> {
        let status = self.existing(name)?.status;
        if status != StreamStatus::Active {
            return Err(self.not_active(self.existing(name)?));
        }
        self.existing_mut(name)
    }

    /// The stream if it serves reads and writes; CREATING and DELETING streams look absent.
    fn serving_mut(&mut self, name: &str) -> Result<&mut Stream, KinesisError> {
        match self.streams.get(name) {
            Some(s) if s.status.serves_data() => self.existing_mut(name),
            _ => Err(self.stream_not_found(name)),
        }
    }

    /// Puts an ACTIVE stream into UPDATING until the configured delay has passed.
    fn begin_update(&mut self, now_ms: u64, name: &str) {
        let delay = self.config.updating_delay_ms;
        if let Some(s) = self.streams.get_mut(name) {
            if s.status == StreamStatus::Active {
                s.status = StreamStatus::Updating;
                let id = s.id;
                self.schedule_in(now_ms, delay, KinesisTask::UpdateComplete { stream_id: id });
            }
        }
    }

    fn complete_update(&mut self, now_ms: u64, stream_id: u64) {
        let Some(stream) = self.stream_by_id_mut(stream_id) else {
            return;
        };
        if stream.status != StreamStatus::Updating {
            return;
        }
        stream.status = StreamStatus::Active;
        let open_ids = |s: &Stream| s.open_shards().map(|x| x.id()).collect::<Vec<_>>();
        let before = open_ids(stream);
        if let Some(pending) = stream.pending_reshard.take() {
            reshard::apply(stream, pending, now_ms);
        }
        let after = open_ids(stream);
        let name = stream.name.clone();
        if before == after {
            self.events.push(now_ms, EventKind::UpdateComplete { stream: name }, 1);
        } else {
            let closed = before.iter().filter(|id| !after.contains(id)).cloned().collect();
            let opened = after.iter().filter(|id| !before.contains(id)).cloned().collect();
            self.events.push(now_ms, EventKind::Resharded { stream: name, closed, opened }, 1);
        }
    }

    fn ensure_sweep(&mut self, now_ms: u64) {
        if !self.sweep_scheduled {
            self.sweep_scheduled = true;
            self.schedule_in(
                now_ms,
                retention::SWEEP_INTERVAL_MS,
                KinesisTask::RetentionSweep,
            );
        }
    }

    /// Open shards across the account, which is what the shard quota counts.
    fn account_open_shards(&self) -> u64 {
        self.streams
            .values()
            .map(|s| {
                if s.status == StreamStatus::Creating {
                    u64::from(s.initial_shard_count)
                } else {
                    u64::from(s.open_shard_count())
                }
            })
            .sum()
    }
}

/// Epoch seconds with millisecond fractions, as AWS writes timestamps in JSON.
pub fn epoch_seconds(ms: u64) -> f64 {
    ms as f64 / 1000.0
}
