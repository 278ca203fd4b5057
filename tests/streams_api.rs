//! End-to-end scenarios through `Sim::dispatch`, the entry point the JS binding uses.
#![cfg(not(target_arch = "wasm32"))]

use kinesim::engine::sim::Sim;
use serde_json::{json, Value};

fn call(sim: &mut Sim, action: &str, body: Value) -> (u16, Value) {
    let r = sim.dispatch(
        &format!("Kinesis_20131202.{action}"),
        body.to_string().as_bytes(),
    );
    (
        r.status,
        serde_json::from_str(&r.body).unwrap_or(Value::Null),
    )
}

fn ok(sim: &mut Sim, action: &str, body: Value) -> Value {
    let (status, out) = call(sim, action, body);
    assert_eq!(status, 200, "{action}: {out}");
    out
}

#[test]
fn create_describe_split_and_read_to_the_end_of_a_closed_shard() {
    let mut sim = Sim::new(1);
    let (status, body) = call(
        &mut sim,
        "CreateStream",
        json!({"StreamName": "s", "ShardCount": 1}),
    );
    assert_eq!((status, body), (200, Value::Null), "empty body");
    let d = ok(&mut sim, "DescribeStream", json!({"StreamName": "s"}));
    assert_eq!(d["StreamDescription"]["StreamStatus"], "CREATING");
    assert_eq!(d["StreamDescription"]["Shards"], json!([]));
    assert_eq!(
        d["StreamDescription"]["StreamARN"],
        "arn:aws:kinesis:us-east-1:123456789012:stream/s"
    );
    sim.advance(30_000);
    let put = ok(
        &mut sim,
        "PutRecord",
        json!({"StreamName": "s", "PartitionKey": "a", "Data": "aGk="}),
    );
    assert_eq!(put["ShardId"], "shardId-000000000000");
    ok(
        &mut sim,
        "SplitShard",
        json!({"StreamName": "s", "ShardToSplit": "shardId-000000000000", "NewStartingHashKey": "170141183460469231731687303715884105728"}),
    );
    let (status, again) = call(
        &mut sim,
        "SplitShard",
        json!({"StreamName": "s", "ShardToSplit": "shardId-000000000000", "NewStartingHashKey": "5"}),
    );
    assert_eq!(status, 400);
    assert_eq!(
        again["message"],
        "Stream s under account 123456789012 not ACTIVE, instead in state UPDATING"
    );
    sim.advance(10_000);
    let shards = ok(&mut sim, "ListShards", json!({"StreamName": "s"}))["Shards"].clone();
    assert_eq!(shards.as_array().map(Vec::len), Some(3));
    assert!(shards[0]["SequenceNumberRange"]["EndingSequenceNumber"].is_string());
    assert_eq!(shards[1]["ParentShardId"], "shardId-000000000000");
    assert_eq!(
        shards[2]["HashKeyRange"]["EndingHashKey"],
        "340282366920938463463374607431768211455"
    );
    let it = ok(
        &mut sim,
        "GetShardIterator",
        json!({"StreamName": "s", "ShardId": "shardId-000000000000", "ShardIteratorType": "TRIM_HORIZON"}),
    );
    let out = ok(
        &mut sim,
        "GetRecords",
        json!({"ShardIterator": it["ShardIterator"]}),
    );
    assert_eq!(out["Records"][0]["Data"], "aGk=");
    assert!(
        out.get("NextShardIterator").is_none(),
        "closed shard read to its end"
    );
    assert_eq!(out["ChildShards"].as_array().map(Vec::len), Some(2));
    let open = ok(
        &mut sim,
        "ListShards",
        json!({"StreamName": "s", "ShardFilter": {"Type": "AT_LATEST"}}),
    );
    assert_eq!(open["Shards"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        ok(
            &mut sim,
            "DescribeStreamSummary",
            json!({"StreamName": "s"})
        )["StreamDescriptionSummary"]["OpenShardCount"],
        2
    );
}

#[test]
fn update_shard_count_closes_parents_and_opens_uniform_children() {
    let mut sim = Sim::new(1);
    ok(
        &mut sim,
        "CreateStream",
        json!({"StreamName": "s", "ShardCount": 2}),
    );
    sim.advance(30_000);
    let (status, err) = call(
        &mut sim,
        "UpdateShardCount",
        json!({"StreamName": "s", "TargetShardCount": 6, "ScalingType": "UNIFORM_SCALING"}),
    );
    assert_eq!(status, 400);
    assert_eq!(err["message"], "UpdateShardCount cannot scale up over double your current open shard count. Current open shard count: 2, Target shard count: 6");
    let out = ok(
        &mut sim,
        "UpdateShardCount",
        json!({"StreamName": "s", "TargetShardCount": 4, "ScalingType": "UNIFORM_SCALING"}),
    );
    assert_eq!(
        out,
        json!({"StreamName": "s", "CurrentShardCount": 2, "TargetShardCount": 4, "StreamARN": "arn:aws:kinesis:us-east-1:123456789012:stream/s"})
    );
    sim.advance(10_000);
    let d = ok(&mut sim, "DescribeStream", json!({"StreamName": "s"}));
    let shards = d["StreamDescription"]["Shards"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(shards.len(), 6);
    assert_eq!(
        shards
            .iter()
            .filter(|s| s["SequenceNumberRange"]
                .get("EndingSequenceNumber")
                .is_some())
            .count(),
        2
    );
}

#[test]
fn retention_bounds_and_expiry() {
    let mut sim = Sim::new(1);
    ok(
        &mut sim,
        "CreateStream",
        json!({"StreamName": "s", "ShardCount": 1}),
    );
    sim.advance(30_000);
    let (_, e) = call(
        &mut sim,
        "IncreaseStreamRetentionPeriod",
        json!({"StreamName": "s", "RetentionPeriodHours": 23}),
    );
    assert_eq!(e["message"], "Minimum allowed retention period is 24 hours. Requested retention period (23 hours) is too short.");
    let (_, e) = call(
        &mut sim,
        "IncreaseStreamRetentionPeriod",
        json!({"StreamName": "s", "RetentionPeriodHours": 8761}),
    );
    assert_eq!(e["message"], "Maximum allowed retention period is 8760 hours. Requested retention period (8761 hours) is too long.");
    ok(
        &mut sim,
        "PutRecord",
        json!({"StreamName": "s", "PartitionKey": "a", "Data": "aGk="}),
    );
    sim.advance(24 * 3_600_000 + 60_000);
    assert!(
        sim.kinesis
            .stream("s")
            .is_some_and(|s| s.shards[0].entries.is_empty()),
        "memory released"
    );
    let it = ok(
        &mut sim,
        "GetShardIterator",
        json!({"StreamName": "s", "ShardId": "shardId-000000000000", "ShardIteratorType": "TRIM_HORIZON"}),
    );
    assert_eq!(
        ok(
            &mut sim,
            "GetRecords",
            json!({"ShardIterator": it["ShardIterator"]})
        )["Records"],
        json!([])
    );
}

#[test]
fn enhanced_fan_out_pushes_records_and_enforces_the_five_second_rule() {
    let mut sim = Sim::new(1);
    ok(
        &mut sim,
        "CreateStream",
        json!({"StreamName": "s", "ShardCount": 1}),
    );
    sim.advance(30_000);
    let arn = "arn:aws:kinesis:us-east-1:123456789012:stream/s";
    let c = ok(
        &mut sim,
        "RegisterStreamConsumer",
        json!({"StreamARN": arn, "ConsumerName": "app"}),
    );
    let consumer_arn = c["Consumer"]["ConsumerARN"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert_eq!(c["Consumer"]["ConsumerStatus"], "CREATING");
    sim.advance(5_000);
    let sub = json!({"ConsumerARN": consumer_arn, "ShardId": "shardId-000000000000", "StartingPosition": {"Type": "TRIM_HORIZON"}});
    ok(&mut sim, "SubscribeToShard", sub.clone());
    ok(
        &mut sim,
        "PutRecord",
        json!({"StreamName": "s", "PartitionKey": "a", "Data": "aGk="}),
    );
    sim.advance(2_000);
    let events = sim.subscription_events(&consumer_arn, "shardId-000000000000");
    let records: usize = events.iter().map(|e| e.records.len()).sum();
    assert_eq!(records, 1);
    assert!(events
        .iter()
        .all(|e| e.continuation_sequence_number.is_some()));
    let (status, e) = call(&mut sim, "SubscribeToShard", sub.clone());
    assert_eq!(
        (status, e["__type"].as_str()),
        (400, Some("ResourceInUseException"))
    );
    sim.advance(5_000);
    ok(&mut sim, "SubscribeToShard", sub);
    sim.advance(400_000);
    let events = sim.subscription_events(&consumer_arn, "shardId-000000000000");
    assert!(
        events.len() <= 300,
        "a subscription lasts at most 5 minutes of one-second pushes"
    );
}

#[test]
fn on_demand_streams_start_with_four_shards_and_cap_a_hot_key_at_one_shard() {
    let mut sim = Sim::new(1);
    ok(
        &mut sim,
        "CreateStream",
        json!({"StreamName": "od", "StreamModeDetails": {"StreamMode": "ON_DEMAND"}}),
    );
    sim.advance(30_000);
    let d = ok(
        &mut sim,
        "DescribeStreamSummary",
        json!({"StreamName": "od"}),
    );
    assert_eq!(d["StreamDescriptionSummary"]["OpenShardCount"], 4);
    assert_eq!(
        d["StreamDescriptionSummary"]["StreamModeDetails"]["StreamMode"],
        "ON_DEMAND"
    );
    let records: Vec<Value> = (0..500)
        .map(|_| json!({"PartitionKey": "hot", "Data": "aGk="}))
        .collect();
    let mut failed = 0;
    for _ in 0..3 {
        failed += ok(
            &mut sim,
            "PutRecords",
            json!({"StreamName": "od", "Records": records}),
        )["FailedRecordCount"]
            .as_u64()
            .unwrap_or(0);
    }
    assert_eq!(failed, 500, "one key, one shard: 1,000 records/s");
    let (status, e) = call(
        &mut sim,
        "UpdateShardCount",
        json!({"StreamName": "od", "TargetShardCount": 5, "ScalingType": "UNIFORM_SCALING"}),
    );
    assert_eq!(
        (status, e["message"].as_str()),
        (
            400,
            Some("Request is invalid. Stream od under account 123456789012 is in On-Demand mode.")
        )
    );
}

#[test]
fn metrics_are_recorded_per_minute_for_stream_and_shard() {
    let mut sim = Sim::new(1);
    ok(
        &mut sim,
        "CreateStream",
        json!({"StreamName": "s", "ShardCount": 1}),
    );
    sim.advance(30_000);
    let start = sim.now_ms();
    ok(
        &mut sim,
        "PutRecord",
        json!({"StreamName": "s", "PartitionKey": "a", "Data": "aGk="}),
    );
    let bytes = sim
        .kinesis
        .stream_metric("s", "IncomingBytes", start - 60_000, start + 60_000)
        .unwrap_or_default();
    assert_eq!(
        bytes.iter().map(|p| p.value).sum::<u64>(),
        3,
        "2 data bytes + 1 key byte"
    );
    let shard = sim
        .kinesis
        .shard_metric("s", "shardId-000000000000", "IncomingRecords", 0, u64::MAX)
        .unwrap_or_default();
    assert_eq!(shard.iter().map(|p| p.value).sum::<u64>(), 1);
    let views = sim
        .kinesis
        .shard_views("s", sim.now_ms())
        .unwrap_or_default();
    assert_eq!(views[0].state, "OPEN");
    assert!(views[0].incoming_records_per_s > 0.0);
    assert_eq!(sim.kinesis.stream_views()[0].status, "ACTIVE");
}
