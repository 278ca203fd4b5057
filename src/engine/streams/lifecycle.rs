//! Stream lifecycle: CreateStream (CREATING -> ACTIVE), DeleteStream (DELETING -> gone),
//! DescribeStream, DescribeStreamSummary, ListStreams and DescribeLimits.

use crate::engine::events::EventKind;
use super::capacity::{OnDemandCapacity, ON_DEMAND_INITIAL_SHARDS};
use super::hashing::even_ranges;
use super::metrics::MetricSeries;
use super::shard::{parse_shard_id, Shard};
use super::stream::{Stream, StreamMode, StreamStatus, DEFAULT_RETENTION_HOURS};
use super::{epoch_seconds, KinesisService, KinesisTask};
use crate::engine::api::error::KinesisError;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

const DESCRIBE_STREAM_DEFAULT_LIMIT: u32 = 100;
const LIST_STREAMS_MAX: u32 = 100;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct HashKeyRangeOut {
    pub starting_hash_key: String,
    pub ending_hash_key: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct SequenceNumberRangeOut {
    pub starting_sequence_number: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ending_sequence_number: Option<String>,
}

/// A shard as DescribeStream and ListShards show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ShardOut {
    pub shard_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_shard_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adjacent_parent_shard_id: Option<String>,
    pub hash_key_range: HashKeyRangeOut,
    pub sequence_number_range: SequenceNumberRangeOut,
}

impl ShardOut {
    pub fn of(shard: &Shard) -> Self {
        Self {
            shard_id: shard.id(),
            parent_shard_id: shard.parent.map(super::shard::shard_id),
            adjacent_parent_shard_id: shard.adjacent_parent.map(super::shard::shard_id),
            hash_key_range: HashKeyRangeOut {
                starting_hash_key: shard.hash_range.start.to_string(),
                ending_hash_key: shard.hash_range.end.to_string(),
            },
            sequence_number_range: SequenceNumberRangeOut {
                starting_sequence_number: shard.starting_sequence_number(),
                ending_sequence_number: shard.ending_sequence_number(),
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StreamModeDetails {
    pub stream_mode: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EnhancedMetrics {
    pub shard_level_metrics: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StreamDescription {
    pub stream_name: String,
    #[serde(rename = "StreamARN")]
    pub stream_arn: String,
    pub stream_status: &'static str,
    pub stream_mode_details: StreamModeDetails,
    pub shards: Vec<ShardOut>,
    pub has_more_shards: bool,
    pub retention_period_hours: u32,
    pub stream_creation_timestamp: f64,
    pub enhanced_monitoring: Vec<EnhancedMetrics>,
    pub encryption_type: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeStreamOutput {
    pub stream_description: StreamDescription,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StreamDescriptionSummary {
    pub stream_name: String,
    #[serde(rename = "StreamARN")]
    pub stream_arn: String,
    pub stream_status: &'static str,
    pub stream_mode_details: StreamModeDetails,
    pub retention_period_hours: u32,
    pub stream_creation_timestamp: f64,
    pub enhanced_monitoring: Vec<EnhancedMetrics>,
    pub encryption_type: &'static str,
    pub open_shard_count: u32,
    pub consumer_count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeStreamSummaryOutput {
    pub stream_description_summary: StreamDescriptionSummary,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StreamSummary {
    pub stream_name: String,
    #[serde(rename = "StreamARN")]
    pub stream_arn: String,
    pub stream_status: &'static str,
    pub stream_mode_details: StreamModeDetails,
    pub stream_creation_timestamp: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListStreamsOutput {
    pub stream_names: Vec<String>,
    pub has_more_streams: bool,
    pub stream_summaries: Vec<StreamSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeLimitsOutput {
    pub shard_limit: u32,
    pub open_shard_count: u32,
    pub on_demand_stream_count: u32,
    pub on_demand_stream_count_limit: u32,
}

fn mode_details(mode: StreamMode) -> StreamModeDetails {
    StreamModeDetails {
        stream_mode: mode.as_str(),
    }
}

fn enhanced_monitoring(stream: &Stream) -> Vec<EnhancedMetrics> {
    vec![EnhancedMetrics {
        shard_level_metrics: stream.shard_level_metrics.iter().cloned().collect(),
    }]
}

impl KinesisService {
    /// CreateStream: the stream starts CREATING and turns ACTIVE after the configured delay.
    /// `shard_count` of `None` is only valid for ON_DEMAND streams (4 shards, as AWS starts).
    pub fn create_stream(
        &mut self,
        now_ms: u64,
        name: &str,
        shard_count: Option<u32>,
        mode: StreamMode,
        tags: BTreeMap<String, String>,
    ) -> Result<(), KinesisError> {
        let account = self.config.account_id.clone();
        if self.streams.contains_key(name) {
            return Err(KinesisError::ResourceInUse(format!(
                "Stream {name} under account {account} already exists."
            )));
        }
        let count = match (mode, shard_count) {
            (StreamMode::OnDemand, _) => ON_DEMAND_INITIAL_SHARDS,
            (StreamMode::Provisioned, Some(n)) => n,
            (StreamMode::Provisioned, None) => {
                return Err(KinesisError::InvalidArgument(
                    "ShardCount is required for streams in PROVISIONED mode.".to_string(),
                ))
            }
        };
        let open = self.account_open_shards();
        if open + u64::from(count) > u64::from(self.config.shard_limit) {
            return Err(KinesisError::LimitExceeded(format!(
                "This request would exceed the shard limit for the account {account} in {}. Current shard count for the account: {open}. Limit: {}. Number of additional shards that would have resulted from this request: {count}. Refer to the AWS Service Limits page (http://docs.aws.amazon.com/general/latest/gr/aws_service_limits.html) for current limits and how to request higher limits.",
                self.config.region, self.config.shard_limit
            )));
        }
        if mode == StreamMode::OnDemand
            && self.on_demand_stream_count() >= self.config.on_demand_stream_limit
        {
            return Err(KinesisError::LimitExceeded(format!(
                "This request would exceed the on-demand stream limit for the account {account} in {}. Limit: {}.",
                self.config.region, self.config.on_demand_stream_limit
            )));
        }
        self.check_tags(name, &BTreeMap::new(), &tags)?;
        let id = self.next_stream_id;
        self.next_stream_id += 1;
        let stream = Stream {
            id,
            name: name.to_string(),
            arn: self.stream_arn(name),
            status: StreamStatus::Creating,
            created_ms: now_ms,
            retention_hours: DEFAULT_RETENTION_HOURS,
            mode,
            initial_shard_count: count,
            shards: Vec::new(),
            next_shard_index: 0,
            counter: 0,
            tags,
            shard_level_metrics: BTreeSet::new(),
            pending_reshard: None,
            shard_count_updates_ms: Vec::new(),
            mode_switches_ms: Vec::new(),
            consumers: BTreeMap::new(),
            capacity: OnDemandCapacity::new(now_ms),
            metrics: MetricSeries::default(),
        };
        self.streams.insert(name.to_string(), stream);
        self.schedule_in(
            now_ms,
            self.config.creating_delay_ms,
            KinesisTask::StreamActive { stream_id: id },
        );
        self.ensure_sweep(now_ms);
        Ok(())
    }

    pub(super) fn activate(&mut self, now_ms: u64, stream_id: u64) {
        let Some(stream) = self.stream_by_id_mut(stream_id) else {
            return;
        };
        if stream.status != StreamStatus::Creating {
            return;
        }
        stream.status = StreamStatus::Active;
        for range in even_ranges(stream.initial_shard_count) {
            stream.open_shard(range, (None, None), now_ms);
        }
        let (name, on_demand) = (stream.name.clone(), stream.mode == StreamMode::OnDemand);
        self.events.push(now_ms, EventKind::StreamActive { stream: name }, 1);
        if on_demand {
            self.start_capacity_reviews(now_ms, stream_id);
        }
    }

    /// DeleteStream: allowed in any state; the stream is DELETING, then gone.
    pub fn delete_stream(
        &mut self,
        now_ms: u64,
        name: &str,
        enforce_consumer_deletion: bool,
    ) -> Result<(), KinesisError> {
        let account = self.config.account_id.clone();
        let delay = self.config.deleting_delay_ms;
        let stream = self.existing_mut(name)?;
        if !stream.consumers.is_empty() && !enforce_consumer_deletion {
            return Err(KinesisError::ResourceInUse(format!(
                "Stream {name} under account {account} has registered consumers. Set EnforceConsumerDeletion to true to delete the stream and its consumers."
            )));
        }
        if stream.status == StreamStatus::Deleting {
            return Ok(());
        }
        stream.status = StreamStatus::Deleting;
        stream.pending_reshard = None;
        let id = stream.id;
        self.end_subscriptions_of_stream(id);
        self.schedule_in(now_ms, delay, KinesisTask::StreamDeleted { stream_id: id });
        Ok(())
    }

    /// DescribeStream: up to `limit` shards (default 100) after `exclusive_start_shard_id`.
    pub fn describe_stream(
        &self,
        name: &str,
        limit: Option<u32>,
        exclusive_start_shard_id: Option<&str>,
    ) -> Result<DescribeStreamOutput, KinesisError> {
        let stream = self.existing(name)?;
        let limit = limit
            .unwrap_or(DESCRIBE_STREAM_DEFAULT_LIMIT)
            .min(DESCRIBE_STREAM_DEFAULT_LIMIT) as usize;
        let after = exclusive_start_shard_id.and_then(parse_shard_id);
        let listed: Vec<&Shard> = stream
            .shards
            .iter()
            .filter(|s| after.is_none_or(|a| s.index > a))
            .collect();
        Ok(DescribeStreamOutput {
            stream_description: StreamDescription {
                stream_name: stream.name.clone(),
                stream_arn: stream.arn.clone(),
                stream_status: stream.status.as_str(),
                stream_mode_details: mode_details(stream.mode),
                shards: listed.iter().take(limit).map(|s| ShardOut::of(s)).collect(),
                has_more_shards: listed.len() > limit,
                retention_period_hours: stream.retention_hours,
                stream_creation_timestamp: epoch_seconds(stream.created_ms),
                enhanced_monitoring: enhanced_monitoring(stream),
                encryption_type: "NONE",
            },
        })
    }

    pub fn describe_stream_summary(
        &self,
        name: &str,
    ) -> Result<DescribeStreamSummaryOutput, KinesisError> {
        let stream = self.existing(name)?;
        Ok(DescribeStreamSummaryOutput {
            stream_description_summary: StreamDescriptionSummary {
                stream_name: stream.name.clone(),
                stream_arn: stream.arn.clone(),
                stream_status: stream.status.as_str(),
                stream_mode_details: mode_details(stream.mode),
                retention_period_hours: stream.retention_hours,
                stream_creation_timestamp: epoch_seconds(stream.created_ms),
                enhanced_monitoring: enhanced_monitoring(stream),
                encryption_type: "NONE",
                open_shard_count: stream.open_shard_count(),
                consumer_count: stream.consumers.len() as u32,
            },
        })
    }

    /// ListStreams in name order; `next_token` continues a previous page.
    pub fn list_streams(
        &self,
        limit: Option<u32>,
        exclusive_start_stream_name: Option<&str>,
        next_token: Option<&str>,
    ) -> Result<ListStreamsOutput, KinesisError> {
        let limit = limit.unwrap_or(LIST_STREAMS_MAX).min(LIST_STREAMS_MAX) as usize;
        let from_token =
            match next_token {
                Some(t) => Some(decode_list_token(t).ok_or_else(|| {
                    KinesisError::InvalidArgument(format!("Invalid NextToken: {t}"))
                })?),
                None => None,
            };
        let start = from_token.as_deref().or(exclusive_start_stream_name);
        let names: Vec<&Stream> = self
            .streams
            .values()
            .filter(|s| start.is_none_or(|st| s.name.as_str() > st))
            .collect();
        let page: Vec<&Stream> = names.iter().take(limit).copied().collect();
        let has_more = names.len() > limit;
        Ok(ListStreamsOutput {
            stream_names: page.iter().map(|s| s.name.clone()).collect(),
            has_more_streams: has_more,
            stream_summaries: page
                .iter()
                .map(|s| StreamSummary {
                    stream_name: s.name.clone(),
                    stream_arn: s.arn.clone(),
                    stream_status: s.status.as_str(),
                    stream_mode_details: mode_details(s.mode),
                    stream_creation_timestamp: epoch_seconds(s.created_ms),
                })
                .collect(),
            next_token: has_more
                .then(|| page.last().map(|s| encode_list_token(&s.name)))
                .flatten(),
        })
    }

    pub fn describe_limits(&self) -> DescribeLimitsOutput {
        DescribeLimitsOutput {
            shard_limit: self.config.shard_limit,
            open_shard_count: u32::try_from(self.account_open_shards()).unwrap_or(u32::MAX),
            on_demand_stream_count: self.on_demand_stream_count(),
            on_demand_stream_count_limit: self.config.on_demand_stream_limit,
        }
    }

    fn on_demand_stream_count(&self) -> u32 {
        self.streams
            .values()
            .filter(|s| s.mode == StreamMode::OnDemand)
            .count() as u32
    }
}

fn encode_list_token(last_name: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("liststreams:{last_name}"))
}

fn decode_list_token(token: &str) -> Option<String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(token)
        .ok()?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix("liststreams:")
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svc() -> KinesisService {
        KinesisService::default()
    }

    #[test]
    fn a_new_stream_is_creating_with_no_shards_then_active() {
        let mut k = svc();
        k.create_stream(0, "s", Some(3), StreamMode::Provisioned, BTreeMap::new())
            .unwrap();
        let d = k
            .describe_stream("s", None, None)
            .unwrap()
            .stream_description;
        assert_eq!(d.stream_status, "CREATING");
        assert!(d.shards.is_empty());
        let timers = k.take_timers();
        let (due, task) = timers
            .iter()
            .find(|(_, t)| matches!(t, KinesisTask::StreamActive { .. }))
            .cloned()
            .unwrap();
        assert_eq!(due, 30_000);
        k.run_task(due, task);
        let d = k
            .describe_stream("s", None, None)
            .unwrap()
            .stream_description;
        assert_eq!(d.stream_status, "ACTIVE");
        assert_eq!(d.shards.len(), 3);
        assert_eq!(d.shards[2].shard_id, "shardId-000000000002");
        assert_eq!(
            d.shards[0]
                .sequence_number_range
                .starting_sequence_number
                .len(),
            56
        );
    }

    #[test]
    fn duplicate_names_and_the_shard_quota_are_refused() {
        let mut k = KinesisService::new(super::super::KinesisConfig {
            shard_limit: 10,
            ..Default::default()
        });
        k.create_stream(0, "s", Some(3), StreamMode::Provisioned, BTreeMap::new())
            .unwrap();
        assert_eq!(
            k.create_stream(0, "s", Some(1), StreamMode::Provisioned, BTreeMap::new()),
            Err(KinesisError::ResourceInUse(
                "Stream s under account 123456789012 already exists.".into()
            ))
        );
        let err = k
            .create_stream(0, "t", Some(8), StreamMode::Provisioned, BTreeMap::new())
            .unwrap_err();
        assert!(err.message().starts_with("This request would exceed the shard limit for the account 123456789012 in us-east-1. Current shard count for the account: 3. Limit: 10. Number of additional shards that would have resulted from this request: 8."));
    }

    #[test]
    fn deleted_streams_disappear_after_the_delay() {
        let mut k = svc();
        k.create_stream(0, "s", Some(1), StreamMode::Provisioned, BTreeMap::new())
            .unwrap();
        k.take_timers();
        k.delete_stream(5, "s", false).unwrap();
        assert_eq!(
            k.describe_stream("s", None, None)
                .unwrap()
                .stream_description
                .stream_status,
            "DELETING"
        );
        for (due, t) in k.take_timers() {
            k.run_task(due, t);
        }
        assert_eq!(
            k.describe_stream("s", None, None),
            Err(KinesisError::ResourceNotFound(
                "Stream s under account 123456789012 not found.".into()
            ))
        );
    }

    #[test]
    fn list_streams_pages_in_name_order() {
        let mut k = svc();
        for n in ["b", "a", "c"] {
            k.create_stream(0, n, Some(1), StreamMode::Provisioned, BTreeMap::new())
                .unwrap();
        }
        let p = k.list_streams(Some(2), None, None).unwrap();
        assert_eq!(p.stream_names, vec!["a", "b"]);
        assert!(p.has_more_streams);
        let p2 = k.list_streams(None, None, p.next_token.as_deref()).unwrap();
        assert_eq!(p2.stream_names, vec!["c"]);
        assert!(!p2.has_more_streams);
    }
}
