//! Small read-models for the UI: what the console draws, computed on demand from the world
//! instead of cloning it every frame.

use super::metrics::{Metric, MetricPoint};
use super::shard::{parse_shard_id, shard_id, Shard, ShardTotals};
use super::throughput::{
    READ_BYTES_PER_S, READ_CALLS_PER_S, WRITE_BYTES_PER_S, WRITE_RECORDS_PER_S,
};
use super::KinesisService;
use serde::{Deserialize, Serialize};

/// One row of the stream list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamView {
    pub name: String,
    pub status: &'static str,
    pub mode: &'static str,
    pub open_shards: u32,
    pub total_shards: u32,
    pub retention_hours: u32,
    pub created_ms: u64,
    pub consumers: u32,
    /// Stream-wide write capacity of an ON_DEMAND stream, bytes/s.
    pub on_demand_envelope_bytes_per_s: Option<u64>,
}

/// One shard as the shard map and its gauges show it. Incoming rates are the writes the shard
/// accepted over the last 2 s of virtual time (live, for the heat view); the outgoing rate is
/// averaged over the last 60 s. Limits are AWS's per-shard figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardView {
    pub shard_id: String,
    /// `OPEN` or `CLOSED` (closed shards disappear once EXPIRED).
    pub state: &'static str,
    pub starting_hash_key: String,
    pub ending_hash_key: String,
    pub parent_shard_id: Option<String>,
    pub adjacent_parent_shard_id: Option<String>,
    pub starting_sequence_number: String,
    pub stored_records: u64,
    pub incoming_bytes_per_s: f64,
    pub incoming_records_per_s: f64,
    pub outgoing_bytes_per_s: f64,
    pub write_limit_bytes_per_s: u64,
    pub write_limit_records_per_s: u64,
    pub read_limit_bytes_per_s: u64,
    pub read_limit_calls_per_s: u64,
    pub totals: ShardTotals,
}

/// Window of the live incoming rates.
const RECENT_WINDOW_MS: u64 = 2_000;

/// Records and bytes per second the shard accepted over the last [`RECENT_WINDOW_MS`], read
/// from its newest records: per-minute metrics would lag a throttling shard by a minute.
fn recent_rates(s: &Shard, now_ms: u64) -> (f64, f64) {
    let from = now_ms.saturating_sub(RECENT_WINDOW_MS);
    let (records, bytes) = s
        .entries
        .iter()
        .rev()
        .take_while(|e| e.arrival_ms() >= from)
        .fold((0u64, 0u64), |(n, b), e| (n + e.count(), b + e.bytes()));
    // A shard younger than the window is measured over its life, so a new child is not
    // shown at half its rate.
    let window_ms = RECENT_WINDOW_MS.min(now_ms.saturating_sub(s.created_ms)).max(1_000);
    let secs = window_ms as f64 / 1_000.0;
    (records as f64 / secs, bytes as f64 / secs)
}

impl ShardView {
    fn of(s: &Shard, now_ms: u64) -> Self {
        let recent = recent_rates(s, now_ms);
        Self {
            shard_id: s.id(),
            state: if s.is_open() { "OPEN" } else { "CLOSED" },
            starting_hash_key: s.hash_range.start.to_string(),
            ending_hash_key: s.hash_range.end.to_string(),
            parent_shard_id: s.parent.map(shard_id),
            adjacent_parent_shard_id: s.adjacent_parent.map(shard_id),
            starting_sequence_number: s.starting_sequence_number(),
            stored_records: s.readable_count(0, 0),
            incoming_bytes_per_s: recent.1,
            incoming_records_per_s: recent.0,
            outgoing_bytes_per_s: s.metrics.rate_per_s(Metric::OutgoingBytes, now_ms),
            write_limit_bytes_per_s: WRITE_BYTES_PER_S,
            write_limit_records_per_s: WRITE_RECORDS_PER_S,
            read_limit_bytes_per_s: READ_BYTES_PER_S,
            read_limit_calls_per_s: READ_CALLS_PER_S,
            totals: s.totals,
        }
    }
}

impl KinesisService {
    /// Every stream in name order.
    pub fn stream_views(&self) -> Vec<StreamView> {
        self.streams
            .values()
            .map(|s| StreamView {
                name: s.name.clone(),
                status: s.status.as_str(),
                mode: s.mode.as_str(),
                open_shards: s.open_shard_count(),
                total_shards: s.shards.len() as u32,
                retention_hours: s.retention_hours,
                created_ms: s.created_ms,
                consumers: s.consumers.len() as u32,
                on_demand_envelope_bytes_per_s: (s.mode == super::stream::StreamMode::OnDemand)
                    .then(|| s.capacity.envelope_bytes_per_s()),
            })
            .collect()
    }

    /// The shards of `stream` in index order, or `None` if there is no such stream.
    pub fn shard_views(&self, stream: &str, now_ms: u64) -> Option<Vec<ShardView>> {
        Some(
            self.streams
                .get(stream)?
                .shards
                .iter()
                .map(|s| ShardView::of(s, now_ms))
                .collect(),
        )
    }

    /// Per-minute points of a stream-level metric (CloudWatch name, e.g. `IncomingBytes`)
    /// for minutes starting in `[from_ms, to_ms)`.
    pub fn stream_metric(
        &self,
        stream: &str,
        metric: &str,
        from_ms: u64,
        to_ms: u64,
    ) -> Option<Vec<MetricPoint>> {
        Some(
            self.streams
                .get(stream)?
                .metrics
                .points(Metric::from_name(metric)?, from_ms, to_ms),
        )
    }

    /// Per-minute points of a shard-level metric.
    pub fn shard_metric(
        &self,
        stream: &str,
        shard: &str,
        metric: &str,
        from_ms: u64,
        to_ms: u64,
    ) -> Option<Vec<MetricPoint>> {
        let s = self.streams.get(stream)?.shard(parse_shard_id(shard)?)?;
        Some(s.metrics.points(Metric::from_name(metric)?, from_ms, to_ms))
    }
}
