//! CloudWatch Logs: log groups holding log streams of timestamped events, in virtual time.
//! Firehose writes its delivery errors to `/aws/kinesisfirehose/<name>`, stream `S3Delivery`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Events kept per log stream; older ones are dropped so a failing day fits in memory.
const KEPT_EVENTS: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEvent {
    pub timestamp_ms: u64,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogGroup {
    pub created_ms: u64,
    streams: BTreeMap<String, Vec<LogEvent>>,
}

impl LogGroup {
    pub fn events(&self, stream: &str) -> &[LogEvent] {
        self.streams.get(stream).map_or(&[], Vec::as_slice)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Logs {
    groups: BTreeMap<String, LogGroup>,
}

impl Logs {
    /// Creates the group if needed, as the Firehose console does when logging is enabled.
    pub fn ensure_group(&mut self, group: &str, now_ms: u64) {
        self.groups.entry(group.to_string()).or_insert_with(|| LogGroup { created_ms: now_ms, streams: BTreeMap::new() });
    }

    pub fn put_event(&mut self, group: &str, stream: &str, now_ms: u64, message: String) {
        self.ensure_group(group, now_ms);
        let Some(g) = self.groups.get_mut(group) else { return };
        let events = g.streams.entry(stream.to_string()).or_default();
        events.push(LogEvent { timestamp_ms: now_ms, message });
        if events.len() > KEPT_EVENTS {
            events.remove(0);
        }
    }

    pub fn group(&self, name: &str) -> Option<&LogGroup> {
        self.groups.get(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_land_in_their_stream_in_order() {
        let mut logs = Logs::default();
        logs.put_event("/aws/kinesisfirehose/x", "S3Delivery", 5, "a".into());
        logs.put_event("/aws/kinesisfirehose/x", "S3Delivery", 7, "b".into());
        let g = logs.group("/aws/kinesisfirehose/x").unwrap();
        assert_eq!(g.created_ms, 5);
        let msgs: Vec<_> = g.events("S3Delivery").iter().map(|e| (e.timestamp_ms, e.message.as_str())).collect();
        assert_eq!(msgs, [(5, "a"), (7, "b")]);
        assert!(g.events("Other").is_empty());
    }
}
