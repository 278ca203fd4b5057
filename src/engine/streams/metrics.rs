//! CloudWatch-style metrics (namespace `AWS/Kinesis`), one data point per minute of virtual
//! time, kept per stream and per shard.
//!
//! Counters are summed within a minute; `IteratorAgeMilliseconds` keeps the minute's maximum.
//! Shard-level series are always recorded (the UI draws them); AWS publishes them only after
//! EnableEnhancedMonitoring, which DescribeStream reports separately.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const MINUTE_MS: u64 = 60_000;
/// One day of one-minute points per series; older points are dropped to bound memory.
const KEPT_MINUTES: usize = 1_440;

/// The sums of one minute.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinuteStats {
    pub incoming_bytes: u64,
    pub incoming_records: u64,
    pub put_record_success: u64,
    pub put_record_bytes: u64,
    pub put_records_success: u64,
    pub put_records_bytes: u64,
    pub put_records_total_records: u64,
    pub put_records_successful_records: u64,
    pub put_records_failed_records: u64,
    pub put_records_throttled_records: u64,
    pub write_throttled: u64,
    pub get_records_success: u64,
    pub get_records_bytes: u64,
    pub get_records_records: u64,
    pub read_throttled: u64,
    pub iterator_age_ms: u64,
    pub subscribe_success: u64,
    pub subscribe_event_bytes: u64,
    pub subscribe_event_records: u64,
}

/// Metric names as CloudWatch spells them (A15).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    IncomingBytes,
    IncomingRecords,
    PutRecordBytes,
    PutRecordSuccess,
    PutRecordsBytes,
    PutRecordsSuccess,
    PutRecordsTotalRecords,
    PutRecordsSuccessfulRecords,
    PutRecordsFailedRecords,
    PutRecordsThrottledRecords,
    WriteProvisionedThroughputExceeded,
    GetRecordsBytes,
    GetRecordsRecords,
    GetRecordsSuccess,
    GetRecordsIteratorAgeMilliseconds,
    ReadProvisionedThroughputExceeded,
    OutgoingBytes,
    OutgoingRecords,
    IteratorAgeMilliseconds,
    SubscribeToShardSuccess,
    SubscribeToShardEventBytes,
    SubscribeToShardEventRecords,
}

impl Metric {
    pub const ALL: [Metric; 22] = [
        Metric::IncomingBytes,
        Metric::IncomingRecords,
        Metric::PutRecordBytes,
        Metric::PutRecordSuccess,
        Metric::PutRecordsBytes,
        Metric::PutRecordsSuccess,
        Metric::PutRecordsTotalRecords,
        Metric::PutRecordsSuccessfulRecords,
        Metric::PutRecordsFailedRecords,
        Metric::PutRecordsThrottledRecords,
        Metric::WriteProvisionedThroughputExceeded,
        Metric::GetRecordsBytes,
        Metric::GetRecordsRecords,
        Metric::GetRecordsSuccess,
        Metric::GetRecordsIteratorAgeMilliseconds,
        Metric::ReadProvisionedThroughputExceeded,
        Metric::OutgoingBytes,
        Metric::OutgoingRecords,
        Metric::IteratorAgeMilliseconds,
        Metric::SubscribeToShardSuccess,
        Metric::SubscribeToShardEventBytes,
        Metric::SubscribeToShardEventRecords,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Metric::IncomingBytes => "IncomingBytes",
            Metric::IncomingRecords => "IncomingRecords",
            Metric::PutRecordBytes => "PutRecord.Bytes",
            Metric::PutRecordSuccess => "PutRecord.Success",
            Metric::PutRecordsBytes => "PutRecords.Bytes",
            Metric::PutRecordsSuccess => "PutRecords.Success",
            Metric::PutRecordsTotalRecords => "PutRecords.TotalRecords",
            Metric::PutRecordsSuccessfulRecords => "PutRecords.SuccessfulRecords",
            Metric::PutRecordsFailedRecords => "PutRecords.FailedRecords",
            Metric::PutRecordsThrottledRecords => "PutRecords.ThrottledRecords",
            Metric::WriteProvisionedThroughputExceeded => "WriteProvisionedThroughputExceeded",
            Metric::GetRecordsBytes => "GetRecords.Bytes",
            Metric::GetRecordsRecords => "GetRecords.Records",
            Metric::GetRecordsSuccess => "GetRecords.Success",
            Metric::GetRecordsIteratorAgeMilliseconds => "GetRecords.IteratorAgeMilliseconds",
            Metric::ReadProvisionedThroughputExceeded => "ReadProvisionedThroughputExceeded",
            Metric::OutgoingBytes => "OutgoingBytes",
            Metric::OutgoingRecords => "OutgoingRecords",
            Metric::IteratorAgeMilliseconds => "IteratorAgeMilliseconds",
            Metric::SubscribeToShardSuccess => "SubscribeToShard.Success",
            Metric::SubscribeToShardEventBytes => "SubscribeToShardEvent.Bytes",
            Metric::SubscribeToShardEventRecords => "SubscribeToShardEvent.Records",
        }
    }

    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.name() == name)
    }

    /// CloudWatch unit of the metric.
    pub fn unit(self) -> &'static str {
        match self {
            Metric::IncomingBytes
            | Metric::PutRecordBytes
            | Metric::PutRecordsBytes
            | Metric::GetRecordsBytes
            | Metric::OutgoingBytes
            | Metric::SubscribeToShardEventBytes => "Bytes",
            Metric::GetRecordsIteratorAgeMilliseconds | Metric::IteratorAgeMilliseconds => {
                "Milliseconds"
            }
            _ => "Count",
        }
    }

    fn value(self, m: &MinuteStats) -> u64 {
        match self {
            Metric::IncomingBytes => m.incoming_bytes,
            Metric::IncomingRecords => m.incoming_records,
            Metric::PutRecordBytes => m.put_record_bytes,
            Metric::PutRecordSuccess => m.put_record_success,
            Metric::PutRecordsBytes => m.put_records_bytes,
            Metric::PutRecordsSuccess => m.put_records_success,
            Metric::PutRecordsTotalRecords => m.put_records_total_records,
            Metric::PutRecordsSuccessfulRecords => m.put_records_successful_records,
            Metric::PutRecordsFailedRecords => m.put_records_failed_records,
            Metric::PutRecordsThrottledRecords => m.put_records_throttled_records,
            Metric::WriteProvisionedThroughputExceeded => m.write_throttled,
            Metric::GetRecordsBytes => m.get_records_bytes,
            Metric::GetRecordsRecords => m.get_records_records,
            // Shard output counts polling and enhanced fan-out alike.
            Metric::OutgoingBytes => m.get_records_bytes + m.subscribe_event_bytes,
            Metric::OutgoingRecords => m.get_records_records + m.subscribe_event_records,
            Metric::GetRecordsSuccess => m.get_records_success,
            Metric::GetRecordsIteratorAgeMilliseconds | Metric::IteratorAgeMilliseconds => {
                m.iterator_age_ms
            }
            Metric::ReadProvisionedThroughputExceeded => m.read_throttled,
            Metric::SubscribeToShardSuccess => m.subscribe_success,
            Metric::SubscribeToShardEventBytes => m.subscribe_event_bytes,
            Metric::SubscribeToShardEventRecords => m.subscribe_event_records,
        }
    }
}

/// The ShardLevelMetrics values Enable/DisableEnhancedMonitoring accept, in AWS's order;
/// `ALL` (last) stands for the others.
pub const SHARD_LEVEL_METRICS: &[&str] = &[
    "IncomingBytes",
    "IncomingRecords",
    "OutgoingBytes",
    "OutgoingRecords",
    "WriteProvisionedThroughputExceeded",
    "ReadProvisionedThroughputExceeded",
    "IteratorAgeMilliseconds",
    "ALL",
];

/// One point of a metric series: the minute it starts at and the minute's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetricPoint {
    pub minute_ms: u64,
    pub value: u64,
}

/// Per-minute sums, keyed by the minute's start (ms since epoch). `S` is one minute's stats:
/// each service (Kinesis, Firehose) brings its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinuteSeries<S> {
    minutes: BTreeMap<u64, S>,
}

/// Kinesis's series.
pub type MetricSeries = MinuteSeries<MinuteStats>;

impl<S> Default for MinuteSeries<S> {
    fn default() -> Self {
        Self { minutes: BTreeMap::new() }
    }
}

impl<S: Default> MinuteSeries<S> {
    pub fn record(&mut self, now_ms: u64, update: impl FnOnce(&mut S)) {
        let minute = now_ms - now_ms % MINUTE_MS;
        // Time only moves forward, so the minute being written is almost always the last one.
        if let Some(mut last) = self.minutes.last_entry() {
            if *last.key() == minute {
                update(last.get_mut());
                return;
            }
        }
        update(self.minutes.entry(minute).or_default());
        while self.minutes.len() > KEPT_MINUTES {
            self.minutes.pop_first();
        }
    }

    /// Points read by `value` for the minutes starting in `[from_ms, to_ms)`; minutes without
    /// activity are absent, as in CloudWatch.
    pub fn points_of(&self, from_ms: u64, to_ms: u64, value: impl Fn(&S) -> u64) -> Vec<MetricPoint> {
        self.minutes.range(from_ms..to_ms).map(|(&minute_ms, m)| MetricPoint { minute_ms, value: value(m) }).collect()
    }
}

impl MetricSeries {
    /// Points of `metric` for the minutes starting in `[from_ms, to_ms)`.
    pub fn points(&self, metric: Metric, from_ms: u64, to_ms: u64) -> Vec<MetricPoint> {
        self.points_of(from_ms, to_ms, |m| metric.value(m))
    }

    /// The stats of the minute holding `ms`, if anything happened in it.
    pub fn minute(&self, ms: u64) -> MinuteStats {
        self.minutes
            .get(&(ms - ms % MINUTE_MS))
            .copied()
            .unwrap_or_default()
    }

    /// Per-second rate of `metric` over the last 60 s: the current minute plus the tail of the
    /// previous one, weighted by how much of it the window still covers.
    pub fn rate_per_s(&self, metric: Metric, now_ms: u64) -> f64 {
        let into_minute = now_ms % MINUTE_MS;
        let current = metric.value(&self.minute(now_ms)) as f64;
        let previous = if now_ms >= MINUTE_MS {
            metric.value(&self.minute(now_ms - MINUTE_MS)) as f64
        } else {
            0.0
        };
        let previous_share = (MINUTE_MS - into_minute) as f64 / MINUTE_MS as f64;
        (current + previous * previous_share) / 60.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_sum_within_a_minute_and_split_across_minutes() {
        let mut s = MetricSeries::default();
        s.record(60_000, |m| m.incoming_bytes += 10);
        s.record(119_999, |m| m.incoming_bytes += 5);
        s.record(120_000, |m| m.incoming_bytes += 1);
        assert_eq!(
            s.points(Metric::IncomingBytes, 0, 1_000_000),
            vec![
                MetricPoint {
                    minute_ms: 60_000,
                    value: 15
                },
                MetricPoint {
                    minute_ms: 120_000,
                    value: 1
                }
            ]
        );
    }

    #[test]
    fn keeps_one_day_of_points() {
        let mut s = MetricSeries::default();
        for minute in 0..2_000u64 {
            s.record(minute * MINUTE_MS, |m| m.incoming_records += 1);
        }
        let pts = s.points(Metric::IncomingRecords, 0, u64::MAX);
        assert_eq!(pts.len(), KEPT_MINUTES);
        assert_eq!(pts[0].minute_ms, (2_000 - KEPT_MINUTES as u64) * MINUTE_MS);
    }

    #[test]
    fn names_round_trip() {
        for m in Metric::ALL {
            assert_eq!(Metric::from_name(m.name()), Some(m));
        }
    }
}
