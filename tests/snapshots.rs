#![cfg(not(target_arch = "wasm32"))]
//! Full snapshots: a restored world has the same state hash, and stepped alike it keeps the
//! same hash, which proves hidden state (RNG, scheduler, readers, buffers) came back too.

use kinesim::engine::lambda::LambdaFailure;
use kinesim::engine::sim::{Sim, SnapshotError};
use serde_json::json;
use std::path::PathBuf;

fn example(name: &str) -> String {
    std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("www/scenarios").join(name)).unwrap()
}

/// Every kind of producer delivery and consumer, an SQL application, a video stream with
/// media and a Firehose waiting on a host-run Lambda.
fn everything() -> Sim {
    let doc = json!({
        "version": 1, "seed": 77,
        "streams": [
            { "name": "s", "shardCount": 2, "consumers": ["efo"] },
            { "name": "ticks", "shardCount": 1 },
            { "name": "averages", "shardCount": 1 }
        ],
        "videoStreams": [{ "name": "cam", "mediaType": "video/h264" }],
        "buckets": ["bkt"],
        "roles": [{ "name": "r", "allowedActions": ["s3:PutObject", "lambda:InvokeFunction"] }],
        "lambdas": [{ "name": "user_fn", "code": "(e) => e" }],
        "deliveryStreams": [{
            "DeliveryStreamName": "d", "DeliveryStreamType": "KinesisStreamAsSource",
            "KinesisStreamSourceConfiguration": { "KinesisStreamARN": "arn:aws:kinesis:us-east-1:123456789012:stream/s", "RoleARN": "arn:aws:iam::123456789012:role/r" },
            "ExtendedS3DestinationConfiguration": {
                "RoleARN": "arn:aws:iam::123456789012:role/r", "BucketARN": "arn:aws:s3:::bkt",
                "BufferingHints": { "SizeInMBs": 1, "IntervalInSeconds": 60 },
                "ProcessingConfiguration": { "Enabled": true, "Processors": [{ "Type": "Lambda", "Parameters": [
                    { "ParameterName": "LambdaArn", "ParameterValue": "arn:aws:lambda:us-east-1:123456789012:function:user_fn" },
                    { "ParameterName": "BufferIntervalInSeconds", "ParameterValue": "60" }] }] }
            }
        }],
        "analytics": [{
            "name": "avg", "sourceStream": "ticks",
            "columns": [{ "name": "TICKER", "type": "VARCHAR(8)", "key": "ticker" }, { "name": "PRICE", "type": "DOUBLE", "key": "price" }],
            "sql": "CREATE OR REPLACE STREAM \"DESTINATION_SQL_STREAM\" (ticker VARCHAR(8), avg_price DOUBLE);\nCREATE OR REPLACE PUMP \"P\" AS INSERT INTO \"DESTINATION_SQL_STREAM\" SELECT STREAM ticker, AVG(price) FROM \"SOURCE_SQL_STREAM_001\" GROUP BY ticker, STEP(\"SOURCE_SQL_STREAM_001\".ROWTIME BY INTERVAL '10' SECOND);",
            "outputs": [{ "inAppStream": "DESTINATION_SQL_STREAM", "stream": "averages" }]
        }],
        "producers": [
            { "kind": "tweets", "stream": "s", "ratePerSecond": 30, "delivery": "put_record", "keys": { "strategy": "zipf" } },
            { "kind": "game_events", "stream": "s", "ratePerSecond": 60, "delivery": "kpl" },
            { "kind": "tweets", "stream": "s", "ratePerSecond": 20, "delivery": "agent" },
            { "kind": "stock_ticks", "stream": "ticks", "ratePerSecond": 20, "bursts": { "everyMs": 5000, "durationMs": 1000, "multiplier": 3 } }
        ],
        "consumers": [
            { "kind": "kcl", "stream": "s", "name": "app", "workers": 2, "workerFailures": [{ "worker": "worker-1", "atMs": 20000 }] },
            { "kind": "lambda", "stream": "s", "name": "fn", "functionErrorPercent": 10, "bisectBatchOnFunctionError": true },
            { "kind": "fanout", "stream": "s", "name": "efo" },
            { "kind": "polling", "stream": "ticks", "name": "poller", "startingPosition": "LATEST" }
        ]
    });
    let mut sim = Sim::from_scenario(&doc.to_string()).unwrap();
    let mut media = b"\0\0\0\x18ftypisom\0\0\0\0isomavc1".to_vec();
    media.extend_from_slice(b"\0\0\0\x10avcC\x01\x42\xC0\x1F");
    let now = sim.now_ms();
    sim.put_media("cam", now, 1_000, media).unwrap();
    sim.advance(45_000);
    sim.dispatch("Kinesis_20131202.SplitShard", json!({ "StreamName": "s", "ShardToSplit": "shardId-000000000000",
        "NewStartingHashKey": "85070591730234615865843651857942052864" }).to_string().as_bytes());
    sim.advance(40_000);
    sim
}

/// Steps both worlds alike, a second at a time, comparing hashes every `check_every` seconds
/// (hashing a busy world is costly); names the first virtual time at which they differ.
fn assert_same_future(name: &str, mut a: Sim, mut b: Sim, seconds: u64, check_every: u64) {
    assert_eq!(a.state_hash(), b.state_hash(), "{name}: restored hash");
    for s in 0..seconds {
        for sim in [&mut a, &mut b] {
            let pending: Vec<u64> = sim.pending_invocations().iter().map(|p| p.id).collect();
            for (i, id) in pending.into_iter().enumerate() {
                let answer = if i % 3 == 2 { Err(LambdaFailure::Timeout) } else { Ok(r#"{"records":[]}"#.to_string()) };
                sim.complete_invocation(id, answer).unwrap();
            }
            sim.advance(1_000);
        }
        if (s + 1) % check_every == 0 {
            assert_eq!(a.state_hash(), b.state_hash(), "{name}: hashes differ after {} s, at virtual time {}", s + 1, a.now_ms());
        }
    }
}

#[test]
fn restored_busy_worlds_have_the_same_hash_and_the_same_future() {
    let mut worlds = vec![("everything".to_string(), everything())];
    for name in ["course-pipeline.json", "hot-key.json", "retention.json", "fan-out.json"] {
        let mut sim = Sim::from_scenario(&example(name)).unwrap();
        sim.advance(25_500);
        worlds.push((name.to_string(), sim));
    }
    for (name, sim) in worlds {
        let text = sim.snapshot();
        let restored = Sim::restore(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(restored.snapshot(), text, "{name}: snapshot, restore, snapshot is stable");
        assert_eq!(restored.to_scenario(), sim.to_scenario(), "{name}: same setup");
        assert_same_future(&name, sim, restored, 60, 20);
    }
}

#[test]
fn a_restore_keeps_pending_invocations_and_video_media() {
    let mut sim = everything();
    while sim.pending_invocations().is_empty() {
        sim.advance(1_000);
    }
    let restored = Sim::restore(&sim.snapshot()).unwrap();
    assert_eq!(restored.pending_invocations(), sim.pending_invocations());
    let media = |s: &Sim| s.video.media().into_iter().map(|(k, v)| (k.to_string(), v.iter().map(|m| m.to_vec()).collect::<Vec<_>>())).collect::<Vec<_>>();
    assert_eq!(media(&restored), media(&sim));
    assert_eq!(media(&sim)[0].1.len(), 1);
}

#[test]
fn damaged_or_foreign_snapshots_are_refused() {
    let sim = everything();
    let text = sim.snapshot();
    assert!(matches!(Sim::restore(&text[..text.len() / 2]), Err(SnapshotError::NotJson(_))));
    assert!(matches!(Sim::restore("{}"), Err(SnapshotError::NotJson(_))));
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["kinesimSnapshot"] = json!(1);
    assert_eq!(Sim::restore(&v.to_string()).unwrap_err().to_string(), "kinesimSnapshot must be 3; got 1");
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["world"]["speed"] = json!(60);
    assert!(matches!(Sim::restore(&v.to_string()), Err(SnapshotError::Hash { .. })));
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["world"]["clock"] = json!("soon");
    assert!(matches!(Sim::restore(&v.to_string()), Err(SnapshotError::World(_))));
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["videoMedia"]["cam"] = json!(["AAAA"]);
    assert!(matches!(Sim::restore(&v.to_string()), Err(SnapshotError::World(_))));
}


/// Every record of stream `s`, shard by shard, as GetRecords returns it (base64 `Data`).
fn get_all_records(sim: &mut Sim) -> Vec<serde_json::Value> {
    let call = |sim: &mut Sim, action: &str, body: serde_json::Value| {
        let r = sim.dispatch(&format!("Kinesis_20131202.{action}"), body.to_string().as_bytes());
        (r.status, serde_json::from_str::<serde_json::Value>(&r.body).unwrap())
    };
    let mut out = Vec::new();
    for shard in ["shardId-000000000000", "shardId-000000000001"] {
        let (_, it) = call(sim, "GetShardIterator", json!({ "StreamName": "s", "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON" }));
        let mut iterator = it["ShardIterator"].as_str().map(String::from);
        while let Some(current) = iterator {
            let (status, page) = call(sim, "GetRecords", json!({ "ShardIterator": current }));
            assert_eq!(status, 200, "{page}");
            let records = page["Records"].as_array().cloned().unwrap_or_default();
            iterator = page["NextShardIterator"].as_str().filter(|_| !records.is_empty()).map(String::from);
            out.extend(records);
        }
    }
    out
}

#[test]
fn restored_built_in_producers_records_read_back_byte_for_byte() {
    let doc = json!({
        "version": 1, "seed": 5,
        "streams": [{ "name": "s", "shardCount": 2 }],
        "producers": [
            { "kind": "tweets", "stream": "s", "ratePerSecond": 15, "delivery": "put_records", "keys": { "strategy": "zipf", "zipfS": 1.3 } },
            { "kind": "stock_ticks", "stream": "s", "ratePerSecond": 10, "delivery": "put_record" }
        ]
    });
    let mut sim = Sim::from_scenario(&doc.to_string()).unwrap();
    sim.advance(20_000);
    // The removed producer's records stay readable: its source outlives it.
    assert!(sim.remove_producer("producer-1"));
    sim.advance(5_000);
    let text = sim.snapshot();
    let world: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(world["world"]["kinesis"]["sources"].as_array().map(Vec::len), Some(2), "each source saved once");
    let mut restored = Sim::restore(&text).unwrap();
    let original = get_all_records(&mut sim);
    assert!(original.len() > 400, "{} records", original.len());
    assert!(original.iter().any(|r| r["Data"].as_str().unwrap().starts_with("eyJ")), "JSON records rendered");
    assert_eq!(get_all_records(&mut restored), original, "GetRecords returns the same bytes after a restore");
    assert_same_future("built-in producers", sim, restored, 60, 20);
}
