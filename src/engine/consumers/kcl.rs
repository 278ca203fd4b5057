//! A KCL-style application: a lease table with one row per shard (owner, checkpoint,
//! counter), several workers balancing the leases between them, checkpoints after processed
//! batches (every batch, or at most every `checkpointIntervalMs`), parents read to SHARD_END
//! before their children are leased (so each key stays in order across a reshard), and KPL
//! aggregates split into user records.
//!
//! Workers can be made to fail (`workerFailures`): a failed worker stops renewing its leases,
//! which expire after `failoverTimeMs` and are taken by the others, who restart from the
//! last checkpoint: whatever was processed after it is processed again (duplicates).

use super::config::ConsumerConfig;
use super::progress::Progress;
use super::shard_reader::{Delivery, ShardReader, Start};
use crate::engine::streams::sequence::SequenceNumber;
use crate::engine::streams::shard::shard_id;
use crate::engine::streams::KinesisService;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Where a lease's reading stands, as the KCL writes it in its lease table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE", rename_all_fields = "camelCase")]
pub enum Checkpoint {
    /// Nothing processed yet: start at the application's initial position.
    Initial,
    /// The last user record processed: sequence number and sub-sequence number.
    At { sequence_number: SequenceNumber, sub_sequence: u64 },
    /// The closed shard was read to its end; its children may now be leased.
    ShardEnd,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Lease {
    pub shard_id: String,
    pub owner: Option<String>,
    pub checkpoint: Checkpoint,
    /// Bumped on every take and every renewal, as the KCL's leaseCounter.
    pub counter: u64,
    pub parents: Vec<String>,
    renewed_ms: u64,
    checkpointed_ms: u64,
    /// The checkpoint before the last one written: where a worker that crashes while
    /// processing its newest batch leaves the lease.
    #[serde(skip)]
    before_last_batch: Option<Checkpoint>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct KclApplication {
    leases: BTreeMap<u32, Lease>,
    /// The reader of each lease held, owned by the lease holder; dropped when a lease moves.
    readers: BTreeMap<u32, ShardReader>,
    started_ms: Option<u64>,
    /// Workers down because of an injected crash fault; they come back when it ends.
    crashed: BTreeSet<String>,
}

impl KclApplication {
    pub fn leases(&self) -> impl Iterator<Item = &Lease> {
        self.leases.values()
    }

    /// Sets which workers are down (an injected crash). A worker goes down while processing
    /// the batch of its last poll, before checkpointing it, and loses what it held in memory: when it,
    /// or whoever takes its leases after they expire, reads again, it starts from the
    /// checkpoint before that batch, so the batch is processed again.
    pub fn set_crashed(&mut self, crashed: BTreeSet<String>) {
        for (index, lease) in self.leases.iter_mut() {
            if lease.owner.as_ref().is_some_and(|o| crashed.contains(o) && !self.crashed.contains(o)) {
                // Only a checkpoint written at the worker's last poll belongs to a batch in hand.
                if let Some(before) = lease.before_last_batch.take().filter(|_| lease.checkpointed_ms == lease.renewed_ms) {
                    lease.checkpoint = before;
                }
                self.readers.remove(index);
            }
        }
        self.crashed = crashed;
    }

    pub fn tick(&mut self, now_ms: u64, kinesis: &mut KinesisService, config: &ConsumerConfig, progress: &mut Progress) {
        let elapsed = now_ms - *self.started_ms.get_or_insert(now_ms);
        let kcl = &config.kcl;
        let alive: Vec<String> = (1..=config.workers)
            .map(|w| format!("worker-{w}"))
            .filter(|w| !self.crashed.contains(w) && !kcl.worker_failures.iter().any(|(f, at)| f == w && *at <= elapsed))
            .collect();
        self.sync_leases(kinesis, config);
        // Leases of failed workers expire once they go unrenewed for the failover time.
        for lease in self.leases.values_mut() {
            let dead = lease.owner.as_ref().is_some_and(|o| !alive.contains(o));
            if dead && now_ms >= lease.renewed_ms + kcl.failover_time_ms {
                lease.owner = None;
            }
        }
        self.balance(&alive, now_ms);
        let held: Vec<u32> = self
            .leases
            .iter()
            .filter(|(_, l)| l.owner.as_ref().is_some_and(|o| alive.contains(o)) && l.checkpoint != Checkpoint::ShardEnd)
            .map(|(i, _)| *i)
            .collect();
        for index in held {
            let Some(lease) = self.leases.get_mut(&index) else { continue };
            lease.counter += 1;
            lease.renewed_ms = now_ms;
            let resume = match &lease.checkpoint {
                Checkpoint::At { sequence_number, .. } => Some(*sequence_number),
                Checkpoint::Initial | Checkpoint::ShardEnd => None,
            };
            // Children always start at their beginning, whatever the application's position.
            let start = if lease.parents.is_empty() { config.start } else { Start::TrimHorizon };
            let reader = self.readers.entry(index).or_insert_with(|| ShardReader::new(index));
            let records = reader.read(now_ms, kinesis, &config.stream, start, resume, config.limit, config.deaggregate, progress);
            for r in &records {
                r.process(progress);
            }
            match records.last().map(Delivery::position) {
                Some((sequence_number, sub_sequence)) if now_ms >= lease.checkpointed_ms + kcl.checkpoint_interval_ms => {
                    let at = Checkpoint::At { sequence_number, sub_sequence };
                    lease.before_last_batch = Some(std::mem::replace(&mut lease.checkpoint, at));
                    lease.checkpointed_ms = now_ms;
                }
                _ => {}
            }
            if reader.finished {
                lease.checkpoint = Checkpoint::ShardEnd;
                lease.owner = None;
                self.readers.remove(&index);
            }
        }
    }

    /// One lease per shard of the stream; leases of shards that expired are deleted.
    fn sync_leases(&mut self, kinesis: &KinesisService, config: &ConsumerConfig) {
        let Some(stream) = kinesis.stream(&config.stream) else { return };
        for shard in &stream.shards {
            self.leases.entry(shard.index).or_insert_with(|| Lease {
                shard_id: shard.id(),
                owner: None,
                checkpoint: Checkpoint::Initial,
                counter: 0,
                parents: shard.parent.iter().chain(shard.adjacent_parent.iter()).map(|p| shard_id(*p)).collect(),
                renewed_ms: 0,
                checkpointed_ms: 0,
                before_last_batch: None,
            });
        }
        self.leases.retain(|index, _| stream.shard(*index).is_some());
        self.readers.retain(|index, _| stream.shard(*index).is_some());
    }

    /// A lease may be worked on once every parent still in the table has reached SHARD_END.
    fn ready(&self, lease: &Lease) -> bool {
        lease.checkpoint != Checkpoint::ShardEnd
            && lease.parents.iter().all(|p| self.leases.values().find(|l| &l.shard_id == p).is_none_or(|l| l.checkpoint == Checkpoint::ShardEnd))
    }

    /// Each live worker takes free leases up to its fair share; a worker below its share
    /// steals one lease from the busiest worker, as the KCL's lease taker does.
    fn balance(&mut self, workers: &[String], now_ms: u64) {
        let ready: Vec<u32> = self.leases.iter().filter(|(_, l)| self.ready(l)).map(|(i, _)| *i).collect();
        let share = ready.len().div_ceil(workers.len().max(1));
        for worker in workers {
            let count = |leases: &BTreeMap<u32, Lease>, name: &str| ready.iter().filter(|i| leases[i].owner.as_deref() == Some(name)).count();
            while count(&self.leases, worker) < share {
                let free = ready.iter().find(|i| self.leases[i].owner.is_none());
                let victim = free.copied().or_else(|| {
                    let busiest = workers.iter().max_by_key(|v| count(&self.leases, v))?;
                    if count(&self.leases, busiest) <= share {
                        return None;
                    }
                    ready.iter().rev().find(|i| self.leases[i].owner.as_deref() == Some(busiest.as_str())).copied()
                });
                let Some(index) = victim else { break };
                if let Some(lease) = self.leases.get_mut(&index) {
                    lease.owner = Some(worker.clone());
                    lease.counter += 1;
                    lease.renewed_ms = now_ms;
                }
                // The new owner starts again from the checkpoint.
                self.readers.remove(&index);
            }
        }
    }
}
