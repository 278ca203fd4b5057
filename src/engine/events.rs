//! What happened, as data: services append events (a stream turned ACTIVE, a shard
//! throttled, shards split, records expired) and the console's event log renders them in the
//! reader's language. Bounded, so a long run keeps only the newest.

use crate::engine::faults::FaultChange;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// How many events a log keeps.
pub const KEPT_EVENTS: usize = 500;
/// Throttles of one shard within this window are one event with a count, not a flood.
const THROTTLE_WINDOW_MS: u64 = 1_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventKind {
    StreamActive { stream: String },
    UpdateComplete { stream: String },
    StreamDeleted { stream: String },
    /// Writes refused because a shard (or an on-demand stream) was over its limit.
    WriteThrottled { stream: String, shard: String },
    /// GetRecords refused because a shard's shared read budget was spent.
    ReadThrottled { stream: String, shard: String },
    Resharded { stream: String, closed: Vec<String>, opened: Vec<String> },
    RecordsExpired { stream: String, shard: String },
    ShardExpired { stream: String, shard: String },
    /// An injected fault on the stream, or on one of its consumers, started, ended or was
    /// cleared (`kind` as in the fault's JSON).
    Fault { stream: String, fault: String, kind: String, change: FaultChange },
}

impl EventKind {
    /// The stream an event is about: the stream page shows only its own.
    pub fn stream(&self) -> &str {
        match self {
            EventKind::StreamActive { stream }
            | EventKind::UpdateComplete { stream }
            | EventKind::StreamDeleted { stream }
            | EventKind::WriteThrottled { stream, .. }
            | EventKind::ReadThrottled { stream, .. }
            | EventKind::Resharded { stream, .. }
            | EventKind::RecordsExpired { stream, .. }
            | EventKind::ShardExpired { stream, .. }
            | EventKind::Fault { stream, .. } => stream,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub at_ms: u64,
    pub kind: EventKind,
    /// How many occurrences this event stands for (throttled calls, expired records).
    pub count: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventLog {
    events: VecDeque<Event>,
}

impl EventLog {
    pub fn push(&mut self, at_ms: u64, kind: EventKind, count: u64) {
        if self.events.len() == KEPT_EVENTS {
            self.events.pop_front();
        }
        self.events.push_back(Event { at_ms, kind, count });
    }

    /// A throttle joins a recent event for the same shard, so a hot shard writes one line per
    /// second with its count instead of thousands.
    pub fn throttled(&mut self, at_ms: u64, kind: EventKind) {
        self.throttled_times(at_ms, kind, 1);
    }

    /// `count` throttles at one instant, as `count` calls of [`Events::throttled`] would note.
    pub fn throttled_times(&mut self, at_ms: u64, kind: EventKind, count: u64) {
        let recent = self
            .events
            .iter_mut()
            .rev()
            .take_while(|e| e.at_ms + THROTTLE_WINDOW_MS > at_ms)
            .find(|e| e.kind == kind);
        match recent {
            Some(e) => e.count += count,
            None => self.push(at_ms, kind, count),
        }
    }

    /// Newest first.
    pub fn newest(&self) -> impl Iterator<Item = &Event> {
        self.events.iter().rev()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle(shard: &str) -> EventKind {
        EventKind::WriteThrottled { stream: "s".into(), shard: shard.into() }
    }

    #[test]
    fn throttles_of_a_shard_within_a_second_are_one_event() {
        let mut log = EventLog::default();
        log.throttled(1_000, throttle("a"));
        log.throttled(1_500, throttle("a"));
        log.throttled(1_600, throttle("b"));
        log.throttled(1_999, throttle("a"));
        log.throttled(2_000, throttle("a"));
        let counts: Vec<(u64, u64)> = log.newest().map(|e| (e.at_ms, e.count)).collect();
        assert_eq!(counts, [(2_000, 1), (1_600, 1), (1_000, 3)]);
    }

    #[test]
    fn keeps_only_the_newest() {
        let mut log = EventLog::default();
        for i in 0..(KEPT_EVENTS as u64 + 10) {
            log.push(i, EventKind::StreamActive { stream: "s".into() }, 1);
        }
        assert_eq!(log.newest().count(), KEPT_EVENTS);
        assert_eq!(log.newest().last().map(|e| e.at_ms), Some(10));
    }
}
