#![cfg(not(target_arch = "wasm32"))]
//! Firehose's S3 objects keep generated records as references (issue 8) yet read exactly as
//! the bytes the old path wrote: the records Firehose read, each object ending at the exact
//! record that reached SizeInMBs, for a Kinesis-sourced and a Direct PUT delivery stream.

use base64::Engine as _;
use kinesim::engine::sim::Sim;
use serde_json::{json, Value};
use std::collections::HashMap;

const MIB: u64 = 1_048_576;

const WORLD: &str = r#"{
  "version": 1, "seed": 11,
  "streams": [{ "name": "s", "shardCount": 2 }],
  "buckets": ["bkt"],
  "roles": [{ "name": "r", "allowedActions": ["*"] }],
  "deliveryStreams": [
    { "DeliveryStreamName": "k", "DeliveryStreamType": "KinesisStreamAsSource",
      "KinesisStreamSourceConfiguration": { "KinesisStreamARN": "arn:aws:kinesis:us-east-1:123456789012:stream/s", "RoleARN": "arn:aws:iam::123456789012:role/r" },
      "ExtendedS3DestinationConfiguration": { "RoleARN": "arn:aws:iam::123456789012:role/r", "BucketARN": "arn:aws:s3:::bkt", "Prefix": "k/",
        "BufferingHints": { "SizeInMBs": 1, "IntervalInSeconds": 60 } } },
    { "DeliveryStreamName": "d", "DeliveryStreamType": "DirectPut",
      "ExtendedS3DestinationConfiguration": { "RoleARN": "arn:aws:iam::123456789012:role/r", "BucketARN": "arn:aws:s3:::bkt", "Prefix": "d/",
        "BufferingHints": { "SizeInMBs": 1, "IntervalInSeconds": 60 } } }
  ],
  "producers": [
    { "kind": "tweets", "stream": "s", "ratePerSecond": 700, "delivery": "put_records" },
    { "kind": "game_events", "stream": "s", "ratePerSecond": 700, "delivery": "put_records" }
  ]
}"#;

fn b64(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(data)
}

fn call(sim: &mut Sim, target: &str, body: Value) -> Value {
    let r = sim.dispatch(target, body.to_string().as_bytes());
    assert_eq!(r.status, 200, "{target}: {}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

/// What S3 shows of the world after a run: every object's key, size, time and MD5.
fn fingerprint(sim: &Sim) -> String {
    use md5::{Digest, Md5};
    let mut all = Md5::new();
    for o in sim.s3.list_objects_v2("bkt", "", None).unwrap().contents {
        let bytes = sim.s3.get_object("bkt", &o.key).unwrap().bytes(&sim.kinesis.sources);
        all.update(format!("{} {} {} {:x}\n", o.key, o.size, o.last_modified_ms, Md5::digest(&bytes)).as_bytes());
    }
    format!("{:x}", all.finalize())
}

/// The run the fingerprint is taken of: both delivery streams, generated and hand-typed
/// records, size and interval flushes.
fn run() -> Sim {
    let mut sim = Sim::from_scenario(WORLD).unwrap();
    sim.advance(40_000);
    for i in 0..5u64 {
        let data = b64(format!(r#"{{"hand":{i}}}"#).as_bytes());
        call(&mut sim, "Kinesis_20131202.PutRecord", json!({ "StreamName": "s", "Data": data, "PartitionKey": format!("p{i}") }));
        let records: Vec<Value> = (0..300u64).map(|n| json!({ "Data": b64(format!(r#"{{"n":{n},"pad":"{}"}}"#, "x".repeat((n * 7 % 1500) as usize)).as_bytes()) })).collect();
        call(&mut sim, "Firehose_20150804.PutRecordBatch", json!({ "DeliveryStreamName": "d", "Records": records }));
        sim.advance(7_000);
    }
    sim.advance(200_000);
    sim
}

/// Taken with the old path, which kept every delivered record as bytes (main before issue 8's
/// S3 bodies): the same world must show the same keys, sizes, times and bytes.
const OLD_PATH_FINGERPRINT: &str = "bf12289ac57d00ac63df56daa7ae8352";

#[test]
fn s3_shows_byte_for_byte_what_the_old_path_wrote() {
    let sim = run();
    assert_eq!(sim.s3.totals().objects, 69);
    assert_eq!(fingerprint(&sim), OLD_PATH_FINGERPRINT);
}

/// Every object under `prefix`, oldest write first: (size as listed, rendered bytes).
fn objects(sim: &Sim, prefix: &str) -> Vec<(u64, Vec<u8>)> {
    let mut listed = sim.s3.list_objects_v2("bkt", prefix, None).unwrap().contents;
    listed.sort_by_key(|o| o.last_modified_ms);
    listed.iter().map(|o| (o.size, sim.s3.get_object("bkt", &o.key).unwrap().bytes(&sim.kinesis.sources).to_vec())).collect()
}

/// The JSON records an object holds, back to back as Firehose writes them without a delimiter.
fn split(body: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut records = serde_json::Deserializer::from_slice(body).into_iter::<serde::de::IgnoredAny>();
    let mut start = 0;
    while let Some(r) = records.next() {
        r.unwrap();
        out.push(body[start..records.byte_offset()].to_vec());
        start = records.byte_offset();
    }
    assert_eq!(start, body.len(), "an object ends with a whole record");
    out
}

/// Each shard's records as GetRecords returns them, oldest first.
fn shard_records(sim: &mut Sim) -> Vec<Vec<Vec<u8>>> {
    let shards = call(sim, "Kinesis_20131202.ListShards", json!({ "StreamName": "s" }))["Shards"].as_array().unwrap().clone();
    let mut out = Vec::new();
    for shard in shards {
        let at = json!({ "StreamName": "s", "ShardId": shard["ShardId"], "ShardIteratorType": "TRIM_HORIZON" });
        let mut iterator = call(sim, "Kinesis_20131202.GetShardIterator", at)["ShardIterator"].clone();
        let mut records = Vec::new();
        loop {
            // Firehose reads the shard too: wait out its share of the 2 MiB/s.
            sim.advance(1_000);
            let r = sim.dispatch("Kinesis_20131202.GetRecords", json!({ "ShardIterator": iterator }).to_string().as_bytes());
            if r.body.contains("ProvisionedThroughputExceededException") {
                continue;
            }
            let got: Value = serde_json::from_str(&r.body).unwrap();
            let page = got["Records"].as_array().unwrap();
            if page.is_empty() {
                break;
            }
            let b64 = base64::engine::general_purpose::STANDARD;
            records.extend(page.iter().map(|r| b64.decode(r["Data"].as_str().unwrap()).unwrap()));
            iterator = got["NextShardIterator"].clone();
        }
        out.push(records);
    }
    out
}

/// Objects flushed by size end at the record that reached 1 MiB, not a record later or
/// earlier; listed sizes are the rendered sizes.
fn assert_exact_size_flushes(objects: &[(u64, Vec<u8>)]) {
    let mut by_size = 0;
    for (size, body) in objects {
        assert_eq!(*size, body.len() as u64, "a listed size is what GetObject returns");
        let records = split(body);
        if *size >= MIB {
            by_size += 1;
            let last = records.last().unwrap().len() as u64;
            assert!(size - last < MIB, "an object of {size} B goes past the record that reached SizeInMBs");
        }
    }
    assert!(by_size >= 3, "the test needs size flushes: {by_size}");
}

#[test]
fn kinesis_sourced_objects_hold_the_records_read_in_shard_order() {
    let mut sim = Sim::from_scenario(WORLD).unwrap();
    sim.advance(40_000);
    // Bytes between generated records: one object mixes both kinds of segment.
    for i in 0..5 {
        let data = b64(format!(r#"{{"hand":{i}}}"#).as_bytes());
        call(&mut sim, "Kinesis_20131202.PutRecord", json!({ "StreamName": "s", "Data": data, "PartitionKey": format!("p{i}") }));
        sim.advance(7_000);
    }
    sim.advance(60_000);
    let producers: Vec<String> = sim.producers.iter().map(|p| p.id.clone()).collect();
    for id in producers {
        assert!(sim.set_producer_running(&id, false));
    }
    sim.advance(180_000);
    let delivered = sim.firehose.stream("k").unwrap().tally.delivered;
    assert_eq!(sim.firehose.stream("k").unwrap().records_in_flight(), 0, "everything is delivered");

    let objects = objects(&sim, "k/");
    assert_exact_size_flushes(&objects);
    let mut place = HashMap::new();
    let shards = shard_records(&mut sim);
    for (shard, records) in shards.iter().enumerate() {
        for (at, r) in records.iter().enumerate() {
            assert!(place.insert(r.clone(), (shard, at)).is_none(), "records are distinct");
        }
    }
    let mut seen = vec![None::<usize>; shards.len()];
    let mut count = 0;
    for (_, body) in &objects {
        for r in split(body) {
            let (shard, at) = place[&r];
            assert!(seen[shard].is_none_or(|before| before < at), "shard {shard}: record {at} out of order");
            seen[shard] = Some(at);
            count += 1;
        }
    }
    assert_eq!(count, delivered);
    assert_eq!(count, shards.iter().map(Vec::len).sum::<usize>() as u64, "every record read is delivered once");

    // Kept as references, the bodies cost a few bytes per record, not the records' bytes.
    let state = serde_json::to_string(&sim.s3).unwrap();
    let total: u64 = objects.iter().map(|(size, _)| size).sum();
    assert!((state.len() as u64) < total / 10, "S3 state is {} B for {total} B of objects", state.len());
    assert!(state.contains(r#"{"run":{"slice":"#), "runs of a PutRecords call stay whole");

    let restored = Sim::restore(&sim.snapshot()).unwrap();
    assert_eq!(self::objects(&restored, "k/"), objects, "a restored world reads the same objects");
}

#[test]
fn direct_put_objects_hold_the_records_put_in_order() {
    let mut sim = Sim::from_scenario(WORLD).unwrap();
    let mut sent = Vec::new();
    for batch in 0..20u64 {
        let records: Vec<Value> = (0..400u64)
            .map(|i| {
                let n = batch * 400 + i;
                let data = format!(r#"{{"n":{n},"pad":"{}"}}"#, "x".repeat((n % 1500) as usize));
                sent.push(data.clone().into_bytes());
                json!({ "Data": b64(data.as_bytes()) })
            })
            .collect();
        let out = call(&mut sim, "Firehose_20150804.PutRecordBatch", json!({ "DeliveryStreamName": "d", "Records": records }));
        assert_eq!(out["FailedPutCount"], 0);
        sim.advance(3_000);
    }
    sim.advance(120_000);
    let objects = objects(&sim, "d/");
    assert_exact_size_flushes(&objects);
    let mut bodies: Vec<Vec<Vec<u8>>> = objects.iter().map(|(_, body)| split(body)).collect();
    // Several objects can be written in one instant; each holds consecutive records.
    bodies.sort_by_key(|records| serde_json::from_slice::<Value>(&records[0]).unwrap()["n"].as_u64());
    assert_eq!(bodies.concat(), sent);
}
