//! ListShards with NextToken paging and ShardFilter, and Enable/DisableEnhancedMonitoring.

use super::metrics::SHARD_LEVEL_METRICS;
use super::lifecycle::ShardOut;
use super::shard::{parse_shard_id, Shard};
use super::stream::Stream;
use super::KinesisService;
use crate::engine::api::error::KinesisError;
use base64::Engine as _;
use serde::Serialize;

const DEFAULT_MAX_RESULTS: u32 = 1_000;
/// A ListShards NextToken is good for 300 seconds.
const NEXT_TOKEN_LIFETIME_MS: u64 = 300_000;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ShardFilterType {
    AfterShardId,
    AtTrimHorizon,
    FromTrimHorizon,
    AtLatest,
    AtTimestamp,
    FromTimestamp,
}

impl ShardFilterType {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "AFTER_SHARD_ID" => Some(Self::AfterShardId),
            "AT_TRIM_HORIZON" => Some(Self::AtTrimHorizon),
            "FROM_TRIM_HORIZON" => Some(Self::FromTrimHorizon),
            "AT_LATEST" => Some(Self::AtLatest),
            "AT_TIMESTAMP" => Some(Self::AtTimestamp),
            "FROM_TIMESTAMP" => Some(Self::FromTimestamp),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ShardFilter {
    pub kind: ShardFilterType,
    pub shard_id: Option<String>,
    /// Epoch seconds.
    pub timestamp: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListShardsInput {
    pub stream_name: Option<String>,
    pub next_token: Option<String>,
    pub exclusive_start_shard_id: Option<String>,
    pub max_results: Option<u32>,
    pub filter: Option<ShardFilter>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListShardsOutput {
    pub shards: Vec<ShardOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_token: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct EnhancedMonitoringOutput {
    pub stream_name: String,
    pub current_shard_level_metrics: Vec<String>,
    pub desired_shard_level_metrics: Vec<String>,
    #[serde(rename = "StreamARN")]
    pub stream_arn: String,
}

/// Where a page stopped: the stream, the last shard index listed and when the token was issued.
struct PageToken {
    stream: String,
    after: u32,
    issued_ms: u64,
}

impl PageToken {
    fn encode(&self) -> String {
        base64::engine::general_purpose::STANDARD
            .encode(format!("{}|{}|{}", self.after, self.issued_ms, self.stream))
    }

    fn decode(token: &str) -> Option<Self> {
        let text = String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(token)
                .ok()?,
        )
        .ok()?;
        let mut parts = text.splitn(3, '|');
        Some(Self {
            after: parts.next()?.parse().ok()?,
            issued_ms: parts.next()?.parse().ok()?,
            stream: parts.next()?.to_string(),
        })
    }
}

fn passes(filter: &ShardFilter, shard: &Shard, stream: &Stream, now_ms: u64) -> bool {
    // Instants before the first shards opened mean "the first shards".
    let first_open = stream.shards.first().map_or(now_ms, |s| s.created_ms);
    let ts_ms = filter
        .timestamp
        .map_or(now_ms, |t| (t * 1000.0).max(0.0) as u64);
    match filter.kind {
        ShardFilterType::AfterShardId => filter
            .shard_id
            .as_deref()
            .and_then(parse_shard_id)
            .is_none_or(|a| shard.index > a),
        ShardFilterType::AtTrimHorizon => {
            shard.open_at(stream.trim_horizon_ms(now_ms).max(first_open))
        }
        ShardFilterType::FromTrimHorizon => true,
        ShardFilterType::AtLatest => shard.is_open(),
        ShardFilterType::AtTimestamp => shard.open_at(ts_ms.max(first_open)),
        ShardFilterType::FromTimestamp => shard.closed_ms.is_none_or(|c| c > ts_ms),
    }
}

impl KinesisService {
    pub fn list_shards(
        &self,
        now_ms: u64,
        input: ListShardsInput,
    ) -> Result<ListShardsOutput, KinesisError> {
        let (name, after) = match (&input.stream_name, &input.next_token) {
            (Some(_), Some(_)) => {
                return Err(KinesisError::InvalidArgument(
                    "NextToken and StreamName cannot be provided together.".into(),
                ))
            }
            (None, None) => {
                return Err(KinesisError::InvalidArgument(
                    "Either NextToken or StreamName should be provided.".into(),
                ))
            }
            (Some(name), None) => (
                name.clone(),
                input
                    .exclusive_start_shard_id
                    .as_deref()
                    .and_then(parse_shard_id),
            ),
            (None, Some(token)) => {
                let t = PageToken::decode(token).ok_or_else(|| {
                    KinesisError::InvalidArgument(format!("Invalid NextToken: {token}"))
                })?;
                if now_ms.saturating_sub(t.issued_ms) > NEXT_TOKEN_LIFETIME_MS {
                    return Err(KinesisError::ExpiredNextToken(format!(
                        "The NextToken has expired. NextToken: {token}"
                    )));
                }
                (t.stream, Some(t.after))
            }
        };
        let stream = self.existing(&name)?;
        let max = input.max_results.unwrap_or(DEFAULT_MAX_RESULTS) as usize;
        let matching: Vec<&Shard> = stream
            .shards
            .iter()
            .filter(|s| after.is_none_or(|a| s.index > a))
            .filter(|s| {
                input
                    .filter
                    .as_ref()
                    .is_none_or(|f| passes(f, s, stream, now_ms))
            })
            .collect();
        let page = &matching[..matching.len().min(max)];
        let next_token = (matching.len() > max)
            .then(|| {
                page.last().map(|s| {
                    PageToken {
                        stream: name.clone(),
                        after: s.index,
                        issued_ms: now_ms,
                    }
                    .encode()
                })
            })
            .flatten();
        Ok(ListShardsOutput {
            shards: page.iter().map(|s| ShardOut::of(s)).collect(),
            next_token,
        })
    }

    /// Enables (`enable`) or disables shard-level metrics; `ALL` stands for all seven.
    pub fn set_enhanced_monitoring(
        &mut self,
        name: &str,
        metrics: &[String],
        enable: bool,
    ) -> Result<EnhancedMonitoringOutput, KinesisError> {
        let stream = self.serving_mut(name)?;
        let current: Vec<String> = stream.shard_level_metrics.iter().cloned().collect();
        let named: Vec<String> = if metrics.iter().any(|m| m == "ALL") {
            // Every name of the list but `ALL` itself, its last entry.
            SHARD_LEVEL_METRICS[..SHARD_LEVEL_METRICS.len() - 1].iter().map(|m| m.to_string()).collect()
        } else {
            metrics.to_vec()
        };
        for m in named {
            if enable {
                stream.shard_level_metrics.insert(m);
            } else {
                stream.shard_level_metrics.remove(&m);
            }
        }
        Ok(EnhancedMonitoringOutput {
            stream_name: stream.name.clone(),
            current_shard_level_metrics: current,
            desired_shard_level_metrics: stream.shard_level_metrics.iter().cloned().collect(),
            stream_arn: stream.arn.clone(),
        })
    }
}
