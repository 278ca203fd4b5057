//! Retention: Increase/DecreaseStreamRetentionPeriod (24 to 8,760 hours) and the sweep that
//! drops records past retention and closed shards whose records have all expired.
//!
//! Reads filter by arrival time exactly (`arrival >= now - retention`); the sweep, once a
//! minute, then releases the memory: records are removed and storage shrunk, so a consumer
//! reading behind retention loses data for good, even if retention is raised later.

use crate::engine::events::{EventKind, EventLog};
use super::stream::Stream;
use super::{KinesisService, KinesisTask};
use crate::engine::api::error::KinesisError;

pub const SWEEP_INTERVAL_MS: u64 = 60_000;
pub const MIN_RETENTION_HOURS: u32 = 24;
pub const MAX_RETENTION_HOURS: u32 = 8_760;

impl KinesisService {
    fn check_retention_bounds(hours: u32) -> Result<(), KinesisError> {
        if hours < MIN_RETENTION_HOURS {
            return Err(KinesisError::InvalidArgument(format!(
                "Minimum allowed retention period is {MIN_RETENTION_HOURS} hours. Requested retention period ({hours} hours) is too short."
            )));
        }
        if hours > MAX_RETENTION_HOURS {
            return Err(KinesisError::InvalidArgument(format!(
                "Maximum allowed retention period is {MAX_RETENTION_HOURS} hours. Requested retention period ({hours} hours) is too long."
            )));
        }
        Ok(())
    }

    pub fn increase_retention(
        &mut self,
        now_ms: u64,
        name: &str,
        hours: u32,
    ) -> Result<(), KinesisError> {
        Self::check_retention_bounds(hours)?;
        let current = self.active_mut(name)?.retention_hours;
        if hours < current {
            return Err(KinesisError::InvalidArgument(format!(
                "Requested retention period ({hours} hours) for stream {name} can not be shorter than existing retention period ({current} hours). Use DecreaseRetentionPeriod API."
            )));
        }
        self.set_retention(now_ms, name, hours)
    }

    pub fn decrease_retention(
        &mut self,
        now_ms: u64,
        name: &str,
        hours: u32,
    ) -> Result<(), KinesisError> {
        Self::check_retention_bounds(hours)?;
        let current = self.active_mut(name)?.retention_hours;
        if hours > current {
            return Err(KinesisError::InvalidArgument(format!(
                "Requested retention period ({hours} hours) for stream {name} can not be longer than existing retention period ({current} hours). Use IncreaseRetentionPeriod API."
            )));
        }
        self.set_retention(now_ms, name, hours)
    }

    fn set_retention(&mut self, now_ms: u64, name: &str, hours: u32) -> Result<(), KinesisError> {
        self.active_mut(name)?;
        let stream = self.streams.get_mut(name).ok_or(KinesisError::InternalFailure)?;
        // Drop what has already expired first, so a longer retention cannot bring it back.
        trim_expired(stream, now_ms, &mut self.events);
        stream.retention_hours = hours;
        self.begin_update(now_ms, name);
        Ok(())
    }

    pub(super) fn sweep_retention(&mut self, now_ms: u64) {
        for stream in self.streams.values_mut() {
            trim_expired(stream, now_ms, &mut self.events);
        }
        if self.streams.is_empty() {
            self.sweep_scheduled = false;
        } else {
            self.schedule_in(now_ms, SWEEP_INTERVAL_MS, KinesisTask::RetentionSweep);
        }
    }
}

/// Removes records past retention (releasing their memory) and closed shards that have
/// EXPIRED, i.e. whose every possible record is past retention; both are logged.
fn trim_expired(stream: &mut Stream, now_ms: u64, events: &mut EventLog) {
    let horizon = stream.trim_horizon_ms(now_ms);
    let retention = stream.retention_ms();
    for shard in stream.shards.iter_mut() {
        let expired = shard.trim_before(horizon);
        if expired > 0 {
            let kind = EventKind::RecordsExpired { stream: stream.name.clone(), shard: shard.id() };
            events.push(now_ms, kind, expired);
        }
    }
    let name = stream.name.clone();
    stream.shards.retain(|s| {
        let keep = s.closed_ms.is_none_or(|closed| closed.saturating_add(retention) > now_ms);
        if !keep {
            events.push(now_ms, EventKind::ShardExpired { stream: name.clone(), shard: s.id() }, 1);
        }
        keep
    });
}
