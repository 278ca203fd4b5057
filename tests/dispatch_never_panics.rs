//! Fuzz-style: random JSON and random bytes thrown at every Kinesis and Firehose action, at
//! scenario import and at snapshot restore never panic and never hang, and every API answer
//! is a well-formed AWS response (status 200/400/500, JSON body or empty).
//!
//! `make test` runs a short round; `make fuzz` (or `KINESIM_FUZZ_CASES=100000 cargo test --test
//! dispatch_never_panics -- --nocapture`) runs long. Each target prints how many inputs it ran
//! and the slowest input's wall time.
#![cfg(not(target_arch = "wasm32"))]

use kinesim::engine::api::dispatch::Operation;
use kinesim::engine::api::firehose::FirehoseOperation;
use kinesim::engine::sim::Sim;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};
use std::cell::{Cell, RefCell};
use std::time::{Duration, Instant};

/// Inputs per target: `KINESIM_FUZZ_CASES`, or `default` for the short round.
fn cases(default: u32) -> u32 {
    std::env::var("KINESIM_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Runs `check` on `cases` inputs from `strategy`; a panic fails with the (shrunk) input.
fn fuzz<S: Strategy>(name: &str, default_cases: u32, strategy: S, check: impl Fn(S::Value)) {
    let mut runner = TestRunner::new(Config { cases: cases(default_cases), failure_persistence: None, ..Config::default() });
    let (count, slowest) = (Cell::new(0u64), RefCell::new(Duration::ZERO));
    let result = runner.run(&strategy, |input| {
        let start = Instant::now();
        check(input);
        count.set(count.get() + 1);
        let took = start.elapsed();
        if took > *slowest.borrow() {
            *slowest.borrow_mut() = took;
        }
        Ok(())
    });
    println!("fuzz {name}: {} inputs, 0 panics, slowest input {:?}", count.get(), slowest.borrow());
    if let Err(e) = result {
        panic!("fuzz {name}: {e}");
    }
}

const KEYS: &[&str] = &[
    // Kinesis
    "StreamName", "ShardCount", "Records", "Data", "PartitionKey", "ShardId", "ShardIterator", "ShardIteratorType",
    "StartingSequenceNumber", "Tags", "Limit", "StreamModeDetails", "StreamMode", "ShardFilter", "Type",
    // Firehose
    "DeliveryStreamName", "DeliveryStreamType", "Record", "ExtendedS3DestinationConfiguration", "S3DestinationConfiguration",
    "KinesisStreamSourceConfiguration", "KinesisStreamARN", "RoleARN", "BucketARN", "Prefix", "ErrorOutputPrefix",
    "BufferingHints", "SizeInMBs", "IntervalInSeconds", "CompressionFormat", "ProcessingConfiguration", "Processors",
    "Parameters", "ParameterName", "ParameterValue", "Enabled", "DataFormatConversionConfiguration",
    "CurrentDeliveryStreamVersionId", "DestinationId", "ExclusiveStartDeliveryStreamName",
    // Scenarios
    "version", "seed", "startTime", "account", "id", "region", "speed", "streams", "name", "mode", "shardCount",
    "retentionHours", "enhancedMonitoring", "consumers", "producers", "kind", "stream", "ratePerSecond", "keys",
    "strategy", "buckets", "roles", "allowedActions", "glueTables", "database", "table", "columns", "lambdas", "code",
    "deliveryStreams", "analytics", "sourceStream", "sql", "outputs", "videoStreams", "faults",
];

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (0u64..100).prop_map(|n| json!(n)),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| json!(f)),
        "[a-zA-Z0-9_.=+/-]{0,12}".prop_map(Value::String),
        any::<String>().prop_map(Value::String),
        prop::sample::select(vec![
            "shardId-000000000000", "AAAA", "s", "d", "TRIM_HORIZON", "340282366920938463463374607431768211456",
            "arn:aws:s3:::bkt", "arn:aws:iam::123456789012:role/r", "arn:aws:kinesis:us-east-1:123456789012:stream/s",
            "arn:aws:lambda:us-east-1:123456789012:function:transform_to_json", "Lambda", "KinesisStreamAsSource",
            "GZIP", "tweets", "polling", "kcl", "fanout", "lambda", "kpl", "zipf", "ON_DEMAND", "PROVISIONED",
            "2026-01-01T00:00:00Z", "us-east-1", "VARCHAR(8)", "string",
        ])
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(prop_oneof![prop::sample::select(KEYS).prop_map(str::to_string), "[A-Za-z]{1,8}"], inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn target() -> impl Strategy<Value = String> {
    prop_oneof![
        (0..Operation::ALL.len()).prop_map(|i| format!("Kinesis_20131202.{}", Operation::ALL[i].name())),
        (0..FirehoseOperation::ALL.len()).prop_map(|i| format!("Firehose_20150804.{}", FirehoseOperation::ALL[i].name())),
        any::<String>(),
    ]
}

fn assert_well_formed(status: u16, body: &str) {
    assert!(matches!(status, 200 | 400 | 500), "status {status}");
    if !body.is_empty() {
        let v: Value = serde_json::from_str(body).expect("body is JSON");
        if status != 200 {
            assert!(v.get("__type").and_then(Value::as_str).is_some(), "error without __type: {body}");
        }
    }
}

/// A world with an active stream holding records and a delivery stream reading it through a
/// Lambda, so requests reach deep code paths.
fn busy_world() -> Sim {
    let mut sim = Sim::from_scenario(
        &json!({
            "version": 1, "seed": 11,
            "streams": [{ "name": "s", "shardCount": 2 }],
            "buckets": ["bkt"],
            "roles": [{ "name": "r", "allowedActions": ["*"] }],
            "deliveryStreams": [{
                "DeliveryStreamName": "d", "DeliveryStreamType": "KinesisStreamAsSource",
                "KinesisStreamSourceConfiguration": { "KinesisStreamARN": "arn:aws:kinesis:us-east-1:123456789012:stream/s", "RoleARN": "arn:aws:iam::123456789012:role/r" },
                "ExtendedS3DestinationConfiguration": { "RoleARN": "arn:aws:iam::123456789012:role/r", "BucketARN": "arn:aws:s3:::bkt",
                    "ProcessingConfiguration": { "Enabled": true, "Processors": [{ "Type": "Lambda", "Parameters": [
                        { "ParameterName": "LambdaArn", "ParameterValue": "arn:aws:lambda:us-east-1:123456789012:function:transform_to_json" }] }] } }
            }]
        })
        .to_string(),
    )
    .expect("the fuzz world's scenario is valid");
    for key in ["a", "b", "c"] {
        let body = json!({"StreamName": "s", "PartitionKey": key, "Data": "aGk="}).to_string();
        sim.dispatch("Kinesis_20131202.PutRecord", body.as_bytes());
    }
    sim
}

thread_local! {
    static BUSY: Sim = busy_world();
}

fn busy() -> Sim {
    BUSY.with(Sim::clone)
}

#[test]
fn random_json_never_panics() {
    fuzz("dispatch (JSON)", 600, (target(), any_json()), |(t, body)| {
        let mut sim = busy();
        let r = sim.dispatch(&t, body.to_string().as_bytes());
        assert_well_formed(r.status, &r.body);
        sim.advance(1_000);
    });
}

#[test]
fn random_bytes_never_panic() {
    fuzz("dispatch (bytes)", 600, (target(), prop::collection::vec(any::<u8>(), 0..64)), |(t, body)| {
        let mut sim = busy();
        let r = sim.dispatch(&t, &body);
        assert_well_formed(r.status, &r.body);
    });
}

#[test]
fn random_sequences_of_requests_never_panic() {
    let op = prop_oneof![
        (0..Operation::ALL.len()).prop_map(|i| format!("Kinesis_20131202.{}", Operation::ALL[i].name())),
        (0..FirehoseOperation::ALL.len()).prop_map(|i| format!("Firehose_20150804.{}", FirehoseOperation::ALL[i].name())),
    ];
    fuzz("dispatch (sequences)", 200, prop::collection::vec((op, any_json(), 0u64..120_000), 1..12), |steps| {
        let mut sim = busy();
        for (target, body, wait) in steps {
            let r = sim.dispatch(&target, body.to_string().as_bytes());
            assert_well_formed(r.status, &r.body);
            sim.advance(wait);
        }
    });
}

/// Scenario-shaped documents: version 1 with random known fields, so validation runs deep.
fn scenario_json() -> impl Strategy<Value = Value> {
    (any_json(), prop::collection::btree_map(prop::sample::select(KEYS).prop_map(str::to_string), any_json(), 0..5)).prop_map(|(noise, fields)| {
        let mut doc = json!({ "version": 1 });
        for (k, v) in fields {
            doc[k] = v;
        }
        if let Value::Object(extra) = noise {
            for (k, v) in extra.into_iter().take(1) {
                doc[k] = v;
            }
        }
        doc
    })
}

#[test]
fn scenario_import_never_panics() {
    fuzz("scenario import (JSON)", 300, prop_oneof![scenario_json(), any_json()], |doc| {
        if let Ok(mut sim) = Sim::from_scenario(&doc.to_string()) {
            sim.advance(1_000);
            let again = sim.to_scenario();
            Sim::from_scenario(&again).expect("an exported scenario imports");
        }
    });
    fuzz("scenario import (bytes)", 300, prop::collection::vec(any::<u8>(), 0..128), |bytes| {
        let _ = Sim::from_scenario(&String::from_utf8_lossy(&bytes));
    });
}

/// Every JSON pointer in `v`, for mutating one place of a real snapshot.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => m.iter().for_each(|(k, x)| pointers(x, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out)),
        Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| pointers(x, format!("{at}/{i}"), out)),
        _ => {}
    }
    out.push(at);
}

#[test]
fn snapshot_restore_never_panics() {
    let mut sim = busy();
    sim.add_producer(r#"{"kind":"tweets","stream":"s","ratePerSecond":5}"#).unwrap();
    sim.add_consumer(r#"{"kind":"kcl","stream":"s"}"#).unwrap();
    sim.advance(3_000);
    let snapshot: Value = serde_json::from_str(&sim.snapshot()).unwrap();
    let mut paths = Vec::new();
    pointers(&snapshot, String::new(), &mut paths);
    fuzz("snapshot restore (mutated)", 300, (0..paths.len(), any_json(), any::<bool>()), |(i, replacement, fix_hash)| {
        let mut doc = snapshot.clone();
        if let Some(place) = doc.pointer_mut(&paths[i]) {
            *place = replacement;
        }
        if fix_hash {
            // A mutation the hash check would catch first: recompute it so the world's own
            // checks are what refuses (or accepts) the damage.
            if let Ok(world) = serde_json::from_value::<Sim>(doc["world"].clone()) {
                doc["stateHash"] = json!(world.state_hash());
            }
        }
        if let Ok(mut restored) = Sim::restore(&doc.to_string()) {
            restored.advance(2_000);
        }
    });
    fuzz("snapshot restore (bytes)", 300, prop::collection::vec(any::<u8>(), 0..128), |bytes| {
        let _ = Sim::restore(&String::from_utf8_lossy(&bytes));
    });
}

#[test]
fn hostile_edge_cases_never_panic() {
    let mut sim = busy();
    let cases: &[(&str, &[u8])] = &[
        ("", b""),
        ("Kinesis_20131202.PutRecord", b"\xff\xfe\x00"),
        ("Kinesis_20131202.PutRecord", b"null"),
        ("Kinesis_20131202.PutRecord", b"[]"),
        ("Kinesis_20131202.PutRecord", b"12"),
        ("Kinesis_20131202.PutRecord", br#"{"StreamName":"s","PartitionKey":"k","Data":"aGk=","SequenceNumberForOrdering":"0"}"#),
        ("Kinesis_20131202.GetShardIterator", br#"{"StreamName":"s","ShardId":"shardId-0","ShardIteratorType":"AT_SEQUENCE_NUMBER","StartingSequenceNumber":"0"}"#),
        ("Kinesis_20131202.GetShardIterator", br#"{"StreamName":"s","ShardId":"99999999999999999999","ShardIteratorType":"LATEST"}"#),
        ("Kinesis_20131202.GetShardIterator", br#"{"StreamName":"s","ShardId":"0","ShardIteratorType":"AT_TIMESTAMP","Timestamp":1e308}"#),
        ("Kinesis_20131202.GetShardIterator", br#"{"StreamName":"s","ShardId":"0","ShardIteratorType":"AT_TIMESTAMP","Timestamp":-1e308}"#),
        ("Kinesis_20131202.GetRecords", br#"{"ShardIterator":"AAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}"#),
        ("Kinesis_20131202.SplitShard", br#"{"StreamName":"s","ShardToSplit":"0","NewStartingHashKey":"999999999999999999999999999999999999999"}"#),
        ("Kinesis_20131202.MergeShards", br#"{"StreamName":"s","ShardToMerge":"1","AdjacentShardToMerge":"0"}"#),
        ("Kinesis_20131202.UpdateShardCount", br#"{"StreamName":"s","TargetShardCount":1e300,"ScalingType":"UNIFORM_SCALING"}"#),
        ("Kinesis_20131202.CreateStream", br#"{"StreamName":"t","ShardCount":-1e300}"#),
        ("Kinesis_20131202.ListShards", br#"{"NextToken":"////"}"#),
        ("Kinesis_20131202.ListStreams", br#"{"NextToken":"!!"}"#),
        ("Kinesis_20131202.AddTagsToStream", br#"{"StreamName":"s","Tags":{"a":null}}"#),
        ("Kinesis_20131202.RemoveTagsFromStream", br#"{"StreamName":"s","TagKeys":[null]}"#),
        ("Firehose_20150804.PutRecordBatch", br#"{"DeliveryStreamName":"d","Records":[{"Data":"////"}]}"#),
        ("Firehose_20150804.UpdateDestination", br#"{"DeliveryStreamName":"d","CurrentDeliveryStreamVersionId":"99999999999999999999999","DestinationId":"x"}"#),
        ("Firehose_20150804.CreateDeliveryStream", br#"{"DeliveryStreamName":"e","ExtendedS3DestinationConfiguration":{"RoleARN":"r","BucketARN":"arn:aws:s3:::bkt","BufferingHints":{"SizeInMBs":1e300}}}"#),
    ];
    for (t, body) in cases {
        let r = sim.dispatch(t, body);
        assert_well_formed(r.status, &r.body);
    }
    let mut late = Sim::starting_at(1, u64::MAX - 10);
    let r = late.dispatch("Kinesis_20131202.CreateStream", br#"{"StreamName":"s","ShardCount":1}"#);
    assert_eq!(r.status, 200);
    late.advance(u64::MAX);
}
