//! One entry point for every Kinesis action: parse the target, parse and validate the body,
//! run the action. The `Operation` enum is matched without wildcards, so adding an action
//! means the compiler points at every table that needs it.

use super::error::KinesisError;
use super::validate::{check, parse_body, rules};
use super::{consumers, records, resharding, streams, tags, ApiResponse};
use crate::engine::streams::KinesisService;
use serde_json::Value;

const TARGET_PREFIX: &str = "Kinesis_20131202.";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    CreateStream,
    DeleteStream,
    DescribeStream,
    DescribeStreamSummary,
    ListStreams,
    ListShards,
    DescribeLimits,
    PutRecord,
    PutRecords,
    GetShardIterator,
    GetRecords,
    SplitShard,
    MergeShards,
    UpdateShardCount,
    IncreaseStreamRetentionPeriod,
    DecreaseStreamRetentionPeriod,
    UpdateStreamMode,
    EnableEnhancedMonitoring,
    DisableEnhancedMonitoring,
    AddTagsToStream,
    RemoveTagsFromStream,
    ListTagsForStream,
    RegisterStreamConsumer,
    DescribeStreamConsumer,
    ListStreamConsumers,
    DeregisterStreamConsumer,
    SubscribeToShard,
}

impl Operation {
    pub const ALL: [Operation; 27] = [
        Operation::CreateStream,
        Operation::DeleteStream,
        Operation::DescribeStream,
        Operation::DescribeStreamSummary,
        Operation::ListStreams,
        Operation::ListShards,
        Operation::DescribeLimits,
        Operation::PutRecord,
        Operation::PutRecords,
        Operation::GetShardIterator,
        Operation::GetRecords,
        Operation::SplitShard,
        Operation::MergeShards,
        Operation::UpdateShardCount,
        Operation::IncreaseStreamRetentionPeriod,
        Operation::DecreaseStreamRetentionPeriod,
        Operation::UpdateStreamMode,
        Operation::EnableEnhancedMonitoring,
        Operation::DisableEnhancedMonitoring,
        Operation::AddTagsToStream,
        Operation::RemoveTagsFromStream,
        Operation::ListTagsForStream,
        Operation::RegisterStreamConsumer,
        Operation::DescribeStreamConsumer,
        Operation::ListStreamConsumers,
        Operation::DeregisterStreamConsumer,
        Operation::SubscribeToShard,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Operation::CreateStream => "CreateStream",
            Operation::DeleteStream => "DeleteStream",
            Operation::DescribeStream => "DescribeStream",
            Operation::DescribeStreamSummary => "DescribeStreamSummary",
            Operation::ListStreams => "ListStreams",
            Operation::ListShards => "ListShards",
            Operation::DescribeLimits => "DescribeLimits",
            Operation::PutRecord => "PutRecord",
            Operation::PutRecords => "PutRecords",
            Operation::GetShardIterator => "GetShardIterator",
            Operation::GetRecords => "GetRecords",
            Operation::SplitShard => "SplitShard",
            Operation::MergeShards => "MergeShards",
            Operation::UpdateShardCount => "UpdateShardCount",
            Operation::IncreaseStreamRetentionPeriod => "IncreaseStreamRetentionPeriod",
            Operation::DecreaseStreamRetentionPeriod => "DecreaseStreamRetentionPeriod",
            Operation::UpdateStreamMode => "UpdateStreamMode",
            Operation::EnableEnhancedMonitoring => "EnableEnhancedMonitoring",
            Operation::DisableEnhancedMonitoring => "DisableEnhancedMonitoring",
            Operation::AddTagsToStream => "AddTagsToStream",
            Operation::RemoveTagsFromStream => "RemoveTagsFromStream",
            Operation::ListTagsForStream => "ListTagsForStream",
            Operation::RegisterStreamConsumer => "RegisterStreamConsumer",
            Operation::DescribeStreamConsumer => "DescribeStreamConsumer",
            Operation::ListStreamConsumers => "ListStreamConsumers",
            Operation::DeregisterStreamConsumer => "DeregisterStreamConsumer",
            Operation::SubscribeToShard => "SubscribeToShard",
        }
    }

    pub fn from_target(target: &str) -> Option<Operation> {
        let action = target.strip_prefix(TARGET_PREFIX)?;
        Operation::ALL.into_iter().find(|op| op.name() == action)
    }

    fn run(
        self,
        k: &mut KinesisService,
        now_ms: u64,
        input: Value,
    ) -> Result<String, KinesisError> {
        match self {
            Operation::CreateStream => streams::create_stream(k, now_ms, input),
            Operation::DeleteStream => streams::delete_stream(k, now_ms, input),
            Operation::DescribeStream => streams::describe_stream(k, input),
            Operation::DescribeStreamSummary => streams::describe_stream_summary(k, input),
            Operation::ListStreams => streams::list_streams(k, input),
            Operation::ListShards => streams::list_shards(k, now_ms, input),
            Operation::DescribeLimits => streams::describe_limits(k),
            Operation::IncreaseStreamRetentionPeriod => {
                streams::change_retention(k, now_ms, input, true)
            }
            Operation::DecreaseStreamRetentionPeriod => {
                streams::change_retention(k, now_ms, input, false)
            }
            Operation::UpdateStreamMode => streams::update_stream_mode(k, now_ms, input),
            Operation::EnableEnhancedMonitoring => streams::enhanced_monitoring(k, input, true),
            Operation::DisableEnhancedMonitoring => streams::enhanced_monitoring(k, input, false),
            Operation::PutRecord => records::put_record(k, now_ms, input),
            Operation::PutRecords => records::put_records(k, now_ms, input),
            Operation::GetShardIterator => records::get_shard_iterator(k, now_ms, input),
            Operation::GetRecords => records::get_records(k, now_ms, input),
            Operation::SplitShard => resharding::split_shard(k, now_ms, input),
            Operation::MergeShards => resharding::merge_shards(k, now_ms, input),
            Operation::UpdateShardCount => resharding::update_shard_count(k, now_ms, input),
            Operation::AddTagsToStream => tags::add_tags(k, input),
            Operation::RemoveTagsFromStream => tags::remove_tags(k, input),
            Operation::ListTagsForStream => tags::list_tags(k, input),
            Operation::RegisterStreamConsumer => consumers::register(k, now_ms, input),
            Operation::DescribeStreamConsumer => consumers::describe(k, input),
            Operation::ListStreamConsumers => consumers::list(k, input),
            Operation::DeregisterStreamConsumer => consumers::deregister(k, now_ms, input),
            Operation::SubscribeToShard => consumers::subscribe(k, now_ms, input),
        }
    }
}

/// Runs one AWS JSON 1.1 request against the service. Never panics, whatever the bytes.
pub fn dispatch(k: &mut KinesisService, now_ms: u64, target: &str, body: &[u8]) -> ApiResponse {
    match handle(k, now_ms, target, body) {
        Ok(body) => ApiResponse { status: 200, body },
        Err(e) => ApiResponse {
            status: e.status(),
            body: e.body(),
        },
    }
}

/// Checks a request's shape only, without running it: the console validates forms live with
/// the very rules the API applies.
pub fn check_request(target: &str, body: &[u8]) -> Result<(), KinesisError> {
    let op = Operation::from_target(target).ok_or(KinesisError::UnknownOperation)?;
    let parsed = parse_body(body)?;
    check(&rules(op, &parsed), &parsed)?;
    Ok(())
}

fn handle(k: &mut KinesisService, now_ms: u64, target: &str, body: &[u8]) -> Result<String, KinesisError> {
    let op = Operation::from_target(target).ok_or(KinesisError::UnknownOperation)?;
    let parsed = parse_body(body)?;
    let input = check(&rules(op, &parsed), &parsed)?;
    op.run(k, now_ms, input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_round_trips_through_its_target() {
        for op in Operation::ALL {
            assert_eq!(
                Operation::from_target(&format!("Kinesis_20131202.{}", op.name())),
                Some(op)
            );
        }
        assert_eq!(Operation::from_target("Kinesis_20131202.Nope"), None);
        assert_eq!(Operation::from_target("PutRecord"), None);
    }

    #[test]
    fn protocol_errors() {
        let mut k = KinesisService::default();
        assert_eq!(
            dispatch(&mut k, 0, "Kinesis_20131202.Nope", b"{}"),
            ApiResponse {
                status: 400,
                body: r#"{"__type":"UnknownOperationException"}"#.into()
            }
        );
        assert_eq!(
            dispatch(&mut k, 0, "Kinesis_20131202.ListStreams", b""),
            ApiResponse {
                status: 400,
                body: r#"{"__type":"SerializationException"}"#.into()
            }
        );
        assert_eq!(
            dispatch(&mut k, 0, "Kinesis_20131202.ListStreams", b"{}").status,
            200
        );
    }
}
