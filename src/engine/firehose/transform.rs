//! The Lambda data-transformation contract: the event Firehose sends, and the checks it runs on
//! the function's answer before trusting it [AWS `data-transformation.md`].

use crate::engine::streams::sequence::SequenceNumber;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// A record as the processor sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchRecord {
    pub record_id: String,
    pub data: Vec<u8>,
    pub arrival_ms: u64,
    /// Where the record came from when the source is a Kinesis stream.
    pub kinesis: Option<KinesisRecordMetadata>,
}

/// `kinesisRecordMetadata` of a record read from a Kinesis stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KinesisRecordMetadata {
    pub shard_id: String,
    pub partition_key: String,
    /// Epoch milliseconds, when the record reached the stream.
    pub approximate_arrival_timestamp: u64,
    pub sequence_number: SequenceNumber,
    /// Always 0: records are not KPL-aggregated on this path.
    pub subsequence_number: u64,
}

/// What the function decided for one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordResult {
    /// New data, and the partition keys the function chose (dynamic partitioning).
    Ok(Vec<u8>, BTreeMap<String, String>),
    Dropped,
    ProcessingFailed,
}

/// Why a whole invocation counts as failed (and is retried): an AWS error code and a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptFailure {
    pub code: String,
    pub message: String,
}

impl AttemptFailure {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self { code: code.to_string(), message: message.into() }
    }
}

/// `{invocationId, deliveryStreamArn, region, records:[{recordId, approximateArrivalTimestamp, data}]}`.
pub fn event(invocation_id: &str, delivery_stream_arn: &str, source_stream_arn: Option<&str>, region: &str, batch: &[BatchRecord]) -> String {
    let b64 = base64::engine::general_purpose::STANDARD;
    let records: Vec<Value> = batch
        .iter()
        .map(|r| {
            let mut record = json!({ "recordId": r.record_id, "approximateArrivalTimestamp": r.arrival_ms, "data": b64.encode(&r.data) });
            if let Some(k) = &r.kinesis {
                record["kinesisRecordMetadata"] = json!(k);
            }
            record
        })
        .collect();
    let mut e = json!({ "invocationId": invocation_id, "deliveryStreamArn": delivery_stream_arn, "region": region, "records": records });
    if let Some(arn) = source_stream_arn {
        e["sourceKinesisStreamArn"] = json!(arn);
    }
    e.to_string()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResponseRecord {
    record_id: String,
    result: String,
    data: Option<String>,
    metadata: Option<Metadata>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Metadata {
    #[serde(default)]
    partition_keys: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct Response {
    records: Vec<ResponseRecord>,
}

// AWS documents these codes but not their messages; the texts below are ours.
const JSON_PROCESSING: &str = "Lambda.JsonProcessingException";

/// Checks the function's answer as Firehose does: well-formed JSON of the documented shape,
/// every input recordId exactly once, a known result, base64 data for `Ok`. Results come back
/// in input order.
pub fn parse_response(response: &str, batch: &[BatchRecord]) -> Result<Vec<RecordResult>, AttemptFailure> {
    let parsed: Response = serde_json::from_str(response).map_err(|e| {
        AttemptFailure::new(JSON_PROCESSING, format!("The Lambda response is not valid: {e}. Expected {{\"records\":[{{\"recordId\",\"result\",\"data\"}}]}}."))
    })?;
    let wanted: BTreeMap<&str, usize> = batch.iter().enumerate().map(|(i, r)| (r.record_id.as_str(), i)).collect();
    let mut results: Vec<Option<RecordResult>> = vec![None; batch.len()];
    let b64 = base64::engine::general_purpose::STANDARD;
    for r in &parsed.records {
        let Some(&i) = wanted.get(r.record_id.as_str()) else {
            return Err(AttemptFailure::new(
                "Lambda.MissingRecordId",
                format!("The Lambda response has recordId '{}', which was not in the invocation; every input recordId must come back exactly once.", r.record_id),
            ));
        };
        if results[i].is_some() {
            return Err(AttemptFailure::new(
                "Lambda.DuplicatedRecordId",
                format!("The Lambda response returned recordId '{}' more than once.", r.record_id),
            ));
        }
        let result = match r.result.as_str() {
            "Ok" => {
                let data = r.data.as_deref().and_then(|d| b64.decode(d).ok()).ok_or_else(|| {
                    AttemptFailure::new(JSON_PROCESSING, format!("recordId '{}' is Ok but its data is missing or not base64.", r.record_id))
                })?;
                RecordResult::Ok(data, r.metadata.as_ref().map(|m| m.partition_keys.clone()).unwrap_or_default())
            }
            "Dropped" => RecordResult::Dropped,
            "ProcessingFailed" => RecordResult::ProcessingFailed,
            other => {
                return Err(AttemptFailure::new(
                    JSON_PROCESSING,
                    format!("recordId '{}' has result '{other}'; allowed: Ok, Dropped, ProcessingFailed.", r.record_id),
                ))
            }
        };
        results[i] = Some(result);
    }
    if let Some(i) = results.iter().position(Option::is_none) {
        return Err(AttemptFailure::new(
            "Lambda.MissingRecordId",
            format!("The Lambda response is missing recordId '{}'; every input recordId must come back exactly once.", batch[i].record_id),
        ));
    }
    Ok(results.into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch() -> Vec<BatchRecord> {
        ["1", "2"].iter().map(|id| BatchRecord { record_id: id.to_string(), data: b"x".to_vec(), arrival_ms: 5, kinesis: None }).collect()
    }

    fn code(response: &str) -> String {
        parse_response(response, &batch()).unwrap_err().code
    }

    #[test]
    fn event_has_the_documented_shape() {
        let e: Value = serde_json::from_str(&event("inv", "arn:fh", None, "us-east-1", &batch())).unwrap();
        assert_eq!(e["records"][0], json!({ "recordId": "1", "approximateArrivalTimestamp": 5, "data": "eA==" }));
        assert_eq!((e["invocationId"].as_str(), e["region"].as_str()), (Some("inv"), Some("us-east-1")));
        assert!(e.get("sourceKinesisStreamArn").is_none());
    }

    #[test]
    fn results_come_back_in_input_order() {
        let r = parse_response(r#"{"records":[{"recordId":"2","result":"Dropped"},{"recordId":"1","result":"Ok","data":"eQ=="}]}"#, &batch());
        assert_eq!(r, Ok(vec![RecordResult::Ok(b"y".to_vec(), BTreeMap::new()), RecordResult::Dropped]));
        let keyed = parse_response(
            r#"{"records":[{"recordId":"1","result":"Ok","data":"eQ==","metadata":{"partitionKeys":{"src":"web"}}},{"recordId":"2","result":"Dropped"}]}"#,
            &batch(),
        );
        let RecordResult::Ok(_, keys) = &keyed.unwrap()[0] else { panic!("expected Ok") };
        assert_eq!(keys.get("src").map(String::as_str), Some("web"));
    }

    #[test]
    fn bad_answers_get_aws_error_codes() {
        assert_eq!(code("not json"), "Lambda.JsonProcessingException");
        assert_eq!(code("42"), "Lambda.JsonProcessingException");
        assert_eq!(code(r#"{"records":[{"recordId":"1","result":"Ok","data":"eA=="}]}"#), "Lambda.MissingRecordId");
        assert_eq!(
            code(r#"{"records":[{"recordId":"1","result":"Dropped"},{"recordId":"1","result":"Dropped"}]}"#),
            "Lambda.DuplicatedRecordId"
        );
        assert_eq!(
            code(r#"{"records":[{"recordId":"1","result":"Fine"},{"recordId":"2","result":"Dropped"}]}"#),
            "Lambda.JsonProcessingException"
        );
        assert_eq!(
            code(r#"{"records":[{"recordId":"1","result":"Ok"},{"recordId":"2","result":"Dropped"}]}"#),
            "Lambda.JsonProcessingException"
        );
    }
}
