//! Resharding: SplitShard, MergeShards and UpdateShardCount (UNIFORM_SCALING).
//!
//! Each call is checked at once, puts the stream in UPDATING and is applied when the update
//! completes: parents are CLOSED (their records stay where they are, readable until retention
//! ends) and children open with the next shard indexes, carrying their lineage.
//! UpdateShardCount is applied as AWS's end state rather than as its series of intermediate
//! splits and merges: every open shard closes and `target` evenly spaced shards open, each
//! listing the (at most two) closed shards its range overlaps first as its parents.

use super::hashing::{even_ranges, parse_hash_key, HashKeyRange};
use super::shard::shard_id;
use super::stream::{PendingReshard, Stream, StreamMode};
use super::KinesisService;
use crate::engine::api::error::KinesisError;
use serde::{Deserialize, Serialize};

const DAY_MS: u64 = 86_400_000;
const SHARD_COUNT_UPDATES_PER_DAY: usize = 2;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateShardCountOutput {
    pub stream_name: String,
    pub current_shard_count: u32,
    pub target_shard_count: u32,
    #[serde(rename = "StreamARN")]
    pub stream_arn: String,
}

impl KinesisService {
    fn not_eligible(&self, index: u32, stream: &str) -> KinesisError {
        KinesisError::InvalidArgument(format!(
            "Shard {} in stream {stream} under account {} has already been merged or split, and thus is not eligible for merging or splitting.",
            shard_id(index),
            self.config.account_id
        ))
    }

    /// Resolves a shard of an ACTIVE stream that is still open.
    fn open_shard_of(&mut self, name: &str, raw_shard_id: &str) -> Result<u32, KinesisError> {
        self.active_mut(name)?;
        let stream = self.existing(name)?;
        let index = self.shard_index_in(stream, raw_shard_id)?;
        if stream.shard(index).is_some_and(|s| !s.is_open()) {
            return Err(self.not_eligible(index, name));
        }
        Ok(index)
    }

    fn check_extra_shards(&self, extra: u32) -> Result<(), KinesisError> {
        let open = self.account_open_shards();
        if open + u64::from(extra) > u64::from(self.config.shard_limit) {
            return Err(KinesisError::LimitExceeded(format!(
                "This request would exceed the shard limit for the account {} in {}. Current shard count for the account: {open}. Limit: {}. Number of additional shards that would have resulted from this request: {extra}. Refer to the AWS Service Limits page (http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits and how to request higher limits.",
                self.config.account_id, self.config.region, self.config.shard_limit
            )));
        }
        Ok(())
    }

    pub fn split_shard(
        &mut self,
        now_ms: u64,
        name: &str,
        shard_to_split: &str,
        new_starting_hash_key: &str,
    ) -> Result<(), KinesisError> {
        let index = self.open_shard_of(name, shard_to_split)?;
        let range = self
            .existing(name)?
            .shard(index)
            .map(|s| s.hash_range)
            .ok_or(KinesisError::InternalFailure)?;
        let key = parse_hash_key(new_starting_hash_key)
            .filter(|&k| range.start.checked_add(1).is_some_and(|s1| k > s1) && k < range.end);
        let Some(key) = key else {
            return Err(KinesisError::InvalidArgument(format!(
                "NewStartingHashKey {new_starting_hash_key} used in SplitShard() on shard {} in stream {name} under account {} is not both greater than one plus the shard's StartingHashKey {} and less than the shard's EndingHashKey {}.",
                shard_id(index),
                self.config.account_id,
                range.start,
                range.end
            )));
        };
        self.check_extra_shards(1)?;
        self.existing_mut(name)?.pending_reshard = Some(PendingReshard::Split {
            shard: index,
            new_starting_hash_key: key,
        });
        self.begin_update(now_ms, name);
        Ok(())
    }

    pub fn merge_shards(
        &mut self,
        now_ms: u64,
        name: &str,
        shard_to_merge: &str,
        adjacent_shard_to_merge: &str,
    ) -> Result<(), KinesisError> {
        let a = self.open_shard_of(name, shard_to_merge)?;
        let b = self.open_shard_of(name, adjacent_shard_to_merge)?;
        let stream = self.existing(name)?;
        let (ra, rb) = match (stream.shard(a), stream.shard(b)) {
            (Some(x), Some(y)) => (x.hash_range, y.hash_range),
            _ => return Err(KinesisError::InternalFailure),
        };
        if ra.end.checked_add(1) != Some(rb.start) {
            return Err(KinesisError::InvalidArgument(format!(
                "Shards {} and {} in stream {name} under account {} are not an adjacent pair of shards eligible for merging",
                shard_id(a),
                shard_id(b),
                self.config.account_id
            )));
        }
        self.existing_mut(name)?.pending_reshard = Some(PendingReshard::Merge {
            shard: a,
            adjacent: b,
        });
        self.begin_update(now_ms, name);
        Ok(())
    }

    pub fn update_shard_count(
        &mut self,
        now_ms: u64,
        name: &str,
        target: u32,
    ) -> Result<UpdateShardCountOutput, KinesisError> {
        let account = self.config.account_id.clone();
        let stream = self.existing(name)?;
        if stream.mode == StreamMode::OnDemand {
            return Err(KinesisError::Validation(format!(
                "Request is invalid. Stream {name} under account {account} is in On-Demand mode."
            )));
        }
        self.active_mut(name)?;
        let stream = self.existing(name)?;
        let open = stream.open_shard_count();
        let counts = format!("Current open shard count: {open}, Target shard count: {target}");
        let others = self.account_open_shards() - u64::from(open);
        if others + u64::from(target) > u64::from(self.config.shard_limit) {
            return Err(KinesisError::LimitExceeded(format!(
                "Target shard count or number of open shards cannot be greater than {}. {counts}",
                self.config.shard_limit
            )));
        }
        if u64::from(target) > 2 * u64::from(open) {
            return Err(KinesisError::LimitExceeded(format!("UpdateShardCount cannot scale up over double your current open shard count. {counts}")));
        }
        if 2 * u64::from(target) < u64::from(open) {
            return Err(KinesisError::LimitExceeded(format!("UpdateShardCount cannot scale down below half your current open shard count. {counts}")));
        }
        let recent = stream
            .shard_count_updates_ms
            .iter()
            .filter(|&&t| t.saturating_add(DAY_MS) > now_ms)
            .count();
        if recent >= SHARD_COUNT_UPDATES_PER_DAY {
            return Err(KinesisError::LimitExceeded(format!(
                "Stream {name} under account {account} has already been scaled {SHARD_COUNT_UPDATES_PER_DAY} times in the last 24 hours. {counts}"
            )));
        }
        let arn = stream.arn.clone();
        let stream = self.existing_mut(name)?;
        stream
            .shard_count_updates_ms
            .retain(|&t| t.saturating_add(DAY_MS) > now_ms);
        stream.shard_count_updates_ms.push(now_ms);
        stream.pending_reshard = Some(PendingReshard::Uniform { target });
        self.begin_update(now_ms, name);
        Ok(UpdateShardCountOutput {
            stream_name: name.to_string(),
            current_shard_count: open,
            target_shard_count: target,
            stream_arn: arn,
        })
    }
}

/// Applies an accepted reshard; a shard closed since the request makes it a no-op.
pub(super) fn apply(stream: &mut Stream, pending: PendingReshard, now_ms: u64) {
    let open_range = |s: &Stream, i: u32| s.shard(i).filter(|x| x.is_open()).map(|x| x.hash_range);
    match pending {
        PendingReshard::Split {
            shard,
            new_starting_hash_key: key,
        } => {
            let Some(r) = open_range(stream, shard) else {
                return;
            };
            stream.close_shard(shard, now_ms);
            stream.open_shard(
                HashKeyRange {
                    start: r.start,
                    end: key - 1,
                },
                (Some(shard), None),
                now_ms,
            );
            stream.open_shard(
                HashKeyRange {
                    start: key,
                    end: r.end,
                },
                (Some(shard), None),
                now_ms,
            );
        }
        PendingReshard::Merge { shard, adjacent } => {
            let (Some(a), Some(b)) = (open_range(stream, shard), open_range(stream, adjacent))
            else {
                return;
            };
            stream.close_shard(shard, now_ms);
            stream.close_shard(adjacent, now_ms);
            stream.open_shard(
                HashKeyRange {
                    start: a.start,
                    end: b.end,
                },
                (Some(shard), Some(adjacent)),
                now_ms,
            );
        }
        PendingReshard::Uniform { target } => {
            let parents: Vec<(u32, HashKeyRange)> = stream
                .open_shards()
                .map(|s| (s.index, s.hash_range))
                .collect();
            for &(index, _) in &parents {
                stream.close_shard(index, now_ms);
            }
            for range in even_ranges(target) {
                let mut overlapping = parents
                    .iter()
                    .filter(|(_, r)| r.overlaps(&range))
                    .map(|(i, _)| *i);
                let lineage = (overlapping.next(), overlapping.next());
                stream.open_shard(range, lineage, now_ms);
            }
        }
    }
}
