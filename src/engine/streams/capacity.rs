//! ON_DEMAND capacity mode and UpdateStreamMode.
//!
//! The model (A13): an on-demand stream opens with 4 shards. Its write capacity envelope is
//! max(4 MiB/s, 2 x the peak write rate seen in the previous 30 days), enforced as a stream-wide
//! token bucket on top of the per-shard limits, so a burst above twice the previous peak is
//! throttled until the envelope catches up. Once a minute the stream is reviewed: the peak is
//! updated from the last minute's average, and a shard that took more than 500 KiB/s is split
//! at the median hash key of that minute's records. A shard fed by a single partition key
//! cannot be split usefully, so one hot key stays capped at one shard's 1 MiB/s and 1,000
//! records/s, as AWS documents.

use super::stream::{PendingReshard, StreamMode, StreamStatus};
use super::throughput::{TokenBucket, MIB};
use super::{KinesisService, KinesisTask};
use crate::engine::api::error::KinesisError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const ON_DEMAND_INITIAL_SHARDS: u32 = 4;
pub const MIN_ENVELOPE_BYTES_PER_S: u64 = 4 * MIB;
pub const HOT_SHARD_BYTES_PER_S: u64 = 500 * 1024;
const REVIEW_INTERVAL_MS: u64 = 60_000;
const DAY_MS: u64 = 86_400_000;
const PEAK_WINDOW_DAYS: u64 = 30;
const MODE_SWITCHES_PER_DAY: usize = 2;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnDemandCapacity {
    envelope: TokenBucket,
    /// Highest one-minute average write rate (bytes/s) of each day, by day number.
    daily_peaks: BTreeMap<u64, u64>,
}

impl OnDemandCapacity {
    pub fn new(now_ms: u64) -> Self {
        Self {
            envelope: TokenBucket::full(MIN_ENVELOPE_BYTES_PER_S, now_ms),
            daily_peaks: BTreeMap::new(),
        }
    }

    pub fn admits(&mut self, now_ms: u64, bytes: u64, mode: StreamMode) -> bool {
        mode == StreamMode::Provisioned || self.envelope.available(now_ms) >= bytes
    }

    pub fn charge(&mut self, now_ms: u64, bytes: u64, mode: StreamMode) {
        if mode == StreamMode::OnDemand {
            self.envelope.charge(now_ms, bytes);
        }
    }

    /// Current write envelope in bytes/s.
    pub fn envelope_bytes_per_s(&self) -> u64 {
        self.envelope.rate_per_s()
    }

    fn observe(&mut self, now_ms: u64, bytes_per_s: u64) {
        let day = now_ms / DAY_MS;
        let peak = self.daily_peaks.entry(day).or_default();
        *peak = (*peak).max(bytes_per_s);
        self.daily_peaks.retain(|&d, _| d + PEAK_WINDOW_DAYS > day);
        let peak = self.daily_peaks.values().copied().max().unwrap_or(0);
        self.envelope
            .set_rate(now_ms, MIN_ENVELOPE_BYTES_PER_S.max(2 * peak));
    }
}

impl KinesisService {
    pub(super) fn start_capacity_reviews(&mut self, now_ms: u64, stream_id: u64) {
        self.schedule_in(
            now_ms,
            REVIEW_INTERVAL_MS,
            KinesisTask::CapacityCheck { stream_id },
        );
    }

    pub(super) fn review_capacity(&mut self, now_ms: u64, stream_id: u64) {
        let limit_left =
            u64::from(self.config.shard_limit).saturating_sub(self.account_open_shards());
        // A handle on the sources (a few `Rc`s), to regenerate runs' keys while the stream is
        // borrowed.
        let sources = self.sources.clone();
        let Some(stream) = self.stream_by_id_mut(stream_id) else {
            return;
        };
        if stream.mode != StreamMode::OnDemand || stream.status == StreamStatus::Deleting {
            return;
        }
        let last_minute = now_ms.saturating_sub(REVIEW_INTERVAL_MS);
        let rate = stream.metrics.minute(last_minute).incoming_bytes / 60;
        stream.capacity.observe(now_ms, rate);
        let hot = stream
            .open_shards()
            .filter(|s| s.metrics.minute(last_minute).incoming_bytes / 60 > HOT_SHARD_BYTES_PER_S)
            .find_map(|s| {
                let from = last_minute - last_minute % REVIEW_INTERVAL_MS;
                let mut keys: Vec<u128> = s.readable_after(0, from, &sources).map(|r| r.key_hash()).collect();
                keys.sort_unstable();
                let median = *keys.get(keys.len() / 2)?;
                let splits = keys.first().is_some_and(|&k| k < median)
                    && median > s.hash_range.start + 1
                    && median < s.hash_range.end;
                splits.then_some((s.index, median))
            });
        let name = stream.name.clone();
        if let Some((shard, key)) = hot {
            if stream.status == StreamStatus::Active && limit_left > 0 {
                stream.pending_reshard = Some(PendingReshard::Split {
                    shard,
                    new_starting_hash_key: key,
                });
                self.begin_update(now_ms, &name);
            }
        }
        self.start_capacity_reviews(now_ms, stream_id);
    }

    /// UpdateStreamMode: keeps the shard count; at most two switches per rolling 24 hours.
    pub fn update_stream_mode(
        &mut self,
        now_ms: u64,
        name: &str,
        mode: StreamMode,
    ) -> Result<(), KinesisError> {
        let account = self.config.account_id.clone();
        let stream = self.active_mut(name)?;
        if stream.mode == mode {
            return Ok(());
        }
        stream
            .mode_switches_ms
            .retain(|&t| t.saturating_add(DAY_MS) > now_ms);
        if stream.mode_switches_ms.len() >= MODE_SWITCHES_PER_DAY {
            return Err(KinesisError::LimitExceeded(format!(
                "Stream {name} under account {account} has already switched capacity mode {MODE_SWITCHES_PER_DAY} times in the last 24 hours."
            )));
        }
        stream.mode_switches_ms.push(now_ms);
        stream.mode = mode;
        let id = stream.id;
        if mode == StreamMode::OnDemand {
            stream.capacity = OnDemandCapacity::new(now_ms);
            self.start_capacity_reviews(now_ms, id);
        }
        self.begin_update(now_ms, name);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_is_at_least_4_mib_and_doubles_the_peak() {
        let mut c = OnDemandCapacity::new(0);
        assert_eq!(c.envelope_bytes_per_s(), 4 * MIB);
        c.observe(60_000, 3 * MIB);
        assert_eq!(c.envelope_bytes_per_s(), 6 * MIB);
        c.observe(120_000, MIB);
        assert_eq!(
            c.envelope_bytes_per_s(),
            6 * MIB,
            "the peak of the last 30 days holds"
        );
        c.observe(31 * DAY_MS, 0);
        assert_eq!(c.envelope_bytes_per_s(), 4 * MIB, "an old peak ages out");
    }

    #[test]
    fn provisioned_streams_ignore_the_envelope() {
        let mut c = OnDemandCapacity::new(0);
        assert!(c.admits(0, 100 * MIB, StreamMode::Provisioned));
        assert!(!c.admits(0, 5 * MIB, StreamMode::OnDemand));
    }
}
