//! Fuzz-style: random JSON and random bytes thrown at every action never panic, and every
//! answer is a well-formed AWS response (status 200/400/500, JSON body or empty).
#![cfg(not(target_arch = "wasm32"))]

use kinesim::engine::api::dispatch::Operation;
use kinesim::engine::sim::Sim;
use proptest::prelude::*;
use serde_json::{json, Value};

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        "[a-zA-Z0-9_.=+/-]{0,12}".prop_map(Value::String),
        any::<String>().prop_map(Value::String),
        Just(json!("shardId-000000000000")),
        Just(json!("AAAA")),
        Just(json!("s")),
        Just(json!("TRIM_HORIZON")),
        Just(json!("340282366920938463463374607431768211456")),
    ];
    leaf.prop_recursive(3, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("StreamName".to_string()),
                    Just("ShardCount".to_string()),
                    Just("Records".to_string()),
                    Just("Data".to_string()),
                    Just("PartitionKey".to_string()),
                    Just("ShardId".to_string()),
                    Just("ShardIterator".to_string()),
                    Just("ShardIteratorType".to_string()),
                    Just("StartingSequenceNumber".to_string()),
                    Just("Tags".to_string()),
                    Just("Limit".to_string()),
                    Just("StreamModeDetails".to_string()),
                    Just("StreamMode".to_string()),
                    Just("ShardFilter".to_string()),
                    Just("Type".to_string()),
                    "[A-Za-z]{1,8}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn target() -> impl Strategy<Value = String> {
    prop_oneof![
        (0..Operation::ALL.len())
            .prop_map(|i| format!("Kinesis_20131202.{}", Operation::ALL[i].name())),
        any::<String>(),
    ]
}

fn assert_well_formed(status: u16, body: &str) {
    assert!(matches!(status, 200 | 400 | 500), "status {status}");
    if !body.is_empty() {
        let v: Value = serde_json::from_str(body).expect("body is JSON");
        if status != 200 {
            assert!(
                v.get("__type").and_then(Value::as_str).is_some(),
                "error without __type: {body}"
            );
        }
    }
}

/// A world with one active stream holding a few records, so requests reach deep code paths.
fn busy_world() -> Sim {
    let mut sim = Sim::new(11);
    sim.dispatch(
        "Kinesis_20131202.CreateStream",
        br#"{"StreamName":"s","ShardCount":2}"#,
    );
    sim.advance(60_000);
    for key in ["a", "b", "c"] {
        let body = json!({"StreamName": "s", "PartitionKey": key, "Data": "aGk="}).to_string();
        sim.dispatch("Kinesis_20131202.PutRecord", body.as_bytes());
    }
    sim
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn random_json_never_panics(t in target(), body in any_json()) {
        let mut sim = busy_world();
        let r = sim.dispatch(&t, body.to_string().as_bytes());
        assert_well_formed(r.status, &r.body);
        sim.advance(1_000);
    }

    #[test]
    fn random_bytes_never_panic(t in target(), body in prop::collection::vec(any::<u8>(), 0..64)) {
        let mut sim = busy_world();
        let r = sim.dispatch(&t, &body);
        assert_well_formed(r.status, &r.body);
    }

    #[test]
    fn random_sequences_of_requests_never_panic(steps in prop::collection::vec((0..Operation::ALL.len(), any_json(), 0u64..120_000), 1..12)) {
        let mut sim = busy_world();
        for (op, body, wait) in steps {
            let r = sim.dispatch(&format!("Kinesis_20131202.{}", Operation::ALL[op].name()), body.to_string().as_bytes());
            assert_well_formed(r.status, &r.body);
            sim.advance(wait);
        }
    }
}

#[test]
fn hostile_edge_cases_never_panic() {
    let mut sim = busy_world();
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
    ];
    for (t, body) in cases {
        let r = sim.dispatch(t, body);
        assert_well_formed(r.status, &r.body);
    }
    let mut late = Sim::starting_at(1, u64::MAX - 10);
    let r = late.dispatch(
        "Kinesis_20131202.CreateStream",
        br#"{"StreamName":"s","ShardCount":1}"#,
    );
    assert_eq!(r.status, 200);
    late.advance(u64::MAX);
}
