#![cfg(not(target_arch = "wasm32"))]
//! Scenarios: every example in www/scenarios imports and runs, exports read back to the same
//! setup, and bad documents are refused with the field's path, the value and what is allowed.

mod common;

use kinesim::engine::sim::Sim;
use serde_json::{json, Value};

fn examples() -> Vec<(String, String)> {
    common::example_scenarios()
}

fn records_written(sim: &Sim) -> u64 {
    sim.producers.iter().map(|p| p.metrics.succeeded).sum()
}

#[test]
fn every_example_imports_runs_and_exports_the_same_setup() {
    for (name, text) in examples() {
        let mut sim = Sim::from_scenario(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let exported = sim.to_scenario();
        sim.advance(120_000);
        assert!(records_written(&sim) > 0, "{name}: producers wrote nothing");
        assert_eq!(sim.to_scenario(), exported, "{name}: running changes data, not setup");
        let again = Sim::from_scenario(&exported).unwrap_or_else(|e| panic!("{name} exported: {e}\n{exported}"));
        assert_eq!(again.to_scenario(), exported, "{name}: export, import, export is stable");
        let mut fresh = Sim::from_scenario(&text).unwrap();
        let mut reimported = again;
        fresh.advance(30_000);
        reimported.advance(30_000);
        assert_eq!(fresh.state_hash(), reimported.state_hash(), "{name}: the exported setup builds the same world");
    }
}

#[test]
fn the_course_pipeline_delivers_parquet_under_the_course_prefix() {
    let text = examples().into_iter().find(|(n, _)| n == "course-pipeline.json").unwrap().1;
    let mut sim = Sim::from_scenario(&text).unwrap();
    assert_eq!(sim.speed(), 60);
    sim.advance(300_000);
    let listing = sim.s3.list_objects_v2("kinesim-curso-tweets", "carpeta_tweests_exitosos/2026/01/01/00/", None).unwrap();
    assert!(!listing.contents.is_empty(), "no objects delivered");
    assert!(listing.contents.iter().all(|o| o.key.ends_with(".parquet")), "{:?}", listing.contents);
    let body = &sim.s3.get_object("kinesim-curso-tweets", &listing.contents[0].key).unwrap().bytes(&sim.kinesis.sources);
    assert_eq!(&body[..4], b"PAR1");
}

#[test]
fn the_hot_key_lesson_throttles_one_shard() {
    let text = examples().into_iter().find(|(n, _)| n == "hot-key.json").unwrap().1;
    let mut sim = Sim::from_scenario(&text).unwrap();
    sim.advance(30_000);
    let m = &sim.producers.iter().next().unwrap().metrics;
    assert!(m.throttled > 0, "the hot shard throttles: {m:?}");
}

#[test]
fn a_world_built_by_hand_exports_what_it_holds() {
    let mut sim = Sim::starting_at(9, 1_800_000_000_000);
    sim.dispatch("Kinesis_20131202.CreateStream", br#"{"StreamName":"s","ShardCount":3}"#);
    sim.advance(60_000);
    sim.dispatch("Kinesis_20131202.IncreaseStreamRetentionPeriod", br#"{"StreamName":"s","RetentionPeriodHours":72}"#);
    sim.advance(60_000);
    sim.lambda.register_source("shout", "(e) => e").unwrap();
    sim.s3.create_bucket("b-1", 0).unwrap();
    let p = sim.add_producer(r#"{"kind":"tweets","stream":"s","keys":{"strategy":"zipf","zipfS":1.5}}"#).unwrap();
    sim.set_producer_running(&p, false);
    sim.set_speed(600);
    let doc: Value = serde_json::from_str(&sim.to_scenario()).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["seed"], 9);
    assert_eq!(doc["startTime"], "2027-01-15T08:00:00.000Z");
    assert_eq!(doc["speed"], 600);
    assert_eq!(doc["streams"], json!([{ "name": "s", "mode": "PROVISIONED", "shardCount": 3, "retentionHours": 72 }]));
    assert_eq!(doc["lambdas"], json!([{ "name": "shout", "code": "(e) => e" }]));
    assert_eq!(doc["buckets"], json!(["b-1"]));
    assert_eq!(doc["producers"][0]["running"], false);
    assert_eq!(doc["producers"][0]["keys"]["zipfS"], 1.5);
    let back = Sim::from_scenario(&doc.to_string()).unwrap();
    assert_eq!(back.kinesis.stream("s").unwrap().retention_hours, 72);
    assert_eq!(back.start_ms(), 1_800_000_000_000);
    assert!(!back.producers.iter().next().unwrap().config.running);
}

fn refusal(doc: &str) -> String {
    Sim::from_scenario(doc).map(|_| ()).unwrap_err().0
}

#[test]
fn bad_scenarios_are_refused_naming_the_field_the_value_and_what_is_allowed() {
    let s = |extra: Value| {
        let mut doc = json!({ "version": 1 });
        for (k, v) in extra.as_object().unwrap() {
            doc[k] = v.clone();
        }
        doc.to_string()
    };
    assert!(refusal("{\"version\": 1,").starts_with("The scenario is not valid JSON: "));
    assert_eq!(refusal("[1]"), "The scenario must be a JSON object; got [1]");
    assert_eq!(refusal("{}"), "version is required: 1");
    assert_eq!(refusal(r#"{"version":2}"#), "version must be 1; got 2");
    assert_eq!(refusal(&s(json!({ "seed": -1 }))), "seed must be a whole number from 0 to 9007199254740991; got -1");
    assert_eq!(refusal(&s(json!({ "speed": 7 }))), "speed must be one of 1, 10, 60, 600, 3600; got 7");
    assert_eq!(refusal(&s(json!({ "startTime": "yesterday" }))), "startTime must be a UTC date-time such as \"2026-01-01T00:00:00Z\"; got \"yesterday\"");
    assert_eq!(refusal(&s(json!({ "account": { "region": "mars" } }))), "account.region must be an AWS Region code such as us-east-1; got \"mars\"");
    assert_eq!(refusal(&s(json!({ "account": { "id": "42" } }))), "account.id must be an AWS account id of 12 digits; got \"42\"");
    assert_eq!(
        refusal(&s(json!({ "streamz": [] }))),
        "streamz is not a scenario field; allowed here: version, about, seed, startTime, account, speed, streams, videoStreams, buckets, roles, glueTables, lambdas, deliveryStreams, analytics, producers, consumers, faults"
    );
    assert_eq!(refusal(&s(json!({ "streams": {} }))), "streams must be a JSON array; got {}");
    assert_eq!(refusal(&s(json!({ "streams": [{ "name": "a" }, 3] }))), "streams[1] must be a JSON object; got 3");
    assert_eq!(refusal(&s(json!({ "streams": [{ "shardCount": 1 }] }))), "streams[0].name is required");
    assert_eq!(
        refusal(&s(json!({ "streams": [{ "name": "a" }, { "name": "b", "shardCount": 0 }] }))),
        "streams[1].shardCount: ValidationException: 1 validation error detected: Value '0' at 'shardCount' failed to satisfy constraint: Member must have value greater than or equal to 1"
    );
    assert_eq!(
        refusal(&s(json!({ "streams": [{ "name": "a" }, { "name": "a" }] }))),
        "streams[1].name: ResourceInUseException: Stream a under account 123456789012 already exists."
    );
    assert_eq!(
        refusal(&s(json!({ "streams": [{ "name": "a", "retentionHours": 9000 }] }))),
        "streams[0].retentionHours: InvalidArgumentException: Maximum allowed retention period is 8760 hours. Requested retention period (9000 hours) is too long."
    );
    assert_eq!(
        refusal(&s(json!({ "streams": [{ "name": "a", "mode": "ON_DEMAND", "shardCount": 2 }] }))),
        "streams[0].shardCount must be left out for an ON_DEMAND stream, which scales itself; got 2"
    );
    assert_eq!(
        refusal(&s(json!({ "streams": [{ "name": "a", "shardcount": 2 }] }))),
        "streams[0].shardcount is not a scenario field; allowed here: name, mode, shardCount, retentionHours, enhancedMonitoring, consumers"
    );
    assert_eq!(
        refusal(&s(json!({ "producers": [{ "kind": "tweets", "stream": "a", "ratePerSecond": -3 }] }))),
        "producers[0].ratePerSecond must be a number from 0 to 100000; got -3"
    );
    assert_eq!(refusal(&s(json!({ "consumers": [7] }))), "consumers[0]: The configuration must be a JSON object; got 7");
    assert_eq!(refusal(&s(json!({ "buckets": ["Bad_Bucket"] }))).split(':').next(), Some("buckets[0]"));
    assert_eq!(refusal(&s(json!({ "lambdas": [{ "name": "bad name", "code": "x" }] }))).split(':').next(), Some("lambdas[0]"));
    assert_eq!(refusal(&s(json!({ "faults": [{ "kind": "throttle" }] }))), "faults[0].kind must be one of throttling_storm, consumer_crash, lambda_errors, lambda_timeouts, s3_access_denied; got \"throttle\"");
    let firehose = refusal(&s(json!({ "deliveryStreams": [{ "DeliveryStreamName": "d", "ExtendedS3DestinationConfiguration": {
        "RoleARN": "arn:aws:iam::123456789012:role/r", "BucketARN": "arn:aws:s3:::b", "BufferingHints": { "SizeInMBs": 500 } } }] })));
    assert!(firehose.starts_with("deliveryStreams[0]: "), "{firehose}");
    assert!(firehose.contains("500"), "names the value: {firehose}");
    let sql = refusal(&s(json!({ "streams": [{ "name": "a" }], "analytics": [{ "name": "app", "sourceStream": "a",
        "columns": [{ "name": "X", "type": "INTEGER" }], "sql": "SELECT nonsense" }] })));
    assert!(sql.starts_with("analytics[0].sql: "), "{sql}");
    assert_eq!(
        refusal(&s(json!({ "analytics": [{ "name": "app", "sourceStream": "a", "columns": [{ "name": "X", "type": "BLOB" }] }] }))),
        "analytics[0].columns[0].type must be VARCHAR(n), INTEGER, BIGINT, DOUBLE, REAL, BOOLEAN or TIMESTAMP; got \"BLOB\""
    );
}

#[test]
fn the_retention_lesson_loses_records_only_on_the_24_hour_stream() {
    let text = examples().into_iter().find(|(n, _)| n == "retention.json").unwrap().1;
    let mut sim = Sim::from_scenario(&text).unwrap();
    sim.advance(26 * 3_600_000);
    let lost = |sim: &mut Sim, id: &str| -> u64 {
        let p: Value = serde_json::from_str(&sim.consumer_progress(id).unwrap()).unwrap();
        p["totals"]["lost"].as_u64().unwrap()
    };
    assert!(lost(&mut sim, "consumer-1") > 0, "the 24-hour stream's slow reader loses records");
    assert_eq!(lost(&mut sim, "consumer-2"), 0, "the 48-hour stream keeps them");
}

#[test]
fn the_fan_out_lesson_throttles_shared_readers_but_not_fan_out_ones() {
    let text = examples().into_iter().find(|(n, _)| n == "fan-out.json").unwrap().1;
    let mut sim = Sim::from_scenario(&text).unwrap();
    sim.advance(60_000);
    let progress = |sim: &mut Sim, id: &str| -> Value { serde_json::from_str(&sim.consumer_progress(id).unwrap()).unwrap() };
    let pollers: u64 = (1..=3).map(|i| progress(&mut sim, &format!("consumer-{i}"))["totals"]["readThrottled"].as_u64().unwrap()).sum();
    assert!(pollers > 0, "shared readers throttle");
    for id in ["consumer-4", "consumer-5"] {
        let p = progress(&mut sim, id);
        assert_eq!(p["totals"]["readThrottled"], 0, "{id}");
        assert!(p["totals"]["processed"].as_u64().unwrap() > 10_000, "{id} keeps up: {p}");
    }
}

#[test]
fn faults_in_a_scenario_are_injected_and_exported_with_the_time_they_have_left() {
    let doc = json!({
        "version": 1,
        "streams": [{ "name": "s", "shardCount": 1 }],
        "producers": [{ "kind": "tweets", "stream": "s", "ratePerSecond": 500, "delivery": "put_records" }],
        "faults": [{ "kind": "throttling_storm", "target": { "stream": "s" }, "startAfterSeconds": 10, "durationSeconds": 30, "capacityPercent": 10 }],
    });
    let mut sim = Sim::from_scenario(&doc.to_string()).unwrap();
    let listed: Value = serde_json::to_value(sim.faults()).unwrap();
    assert_eq!(listed[0]["state"], "scheduled", "{listed}");
    sim.advance(20_000);
    let exported: Value = serde_json::from_str(&sim.to_scenario()).unwrap();
    let fault = &exported["faults"][0];
    assert_eq!((fault["kind"].as_str(), fault["startAfterSeconds"].as_u64(), fault["durationSeconds"].as_u64()), (Some("throttling_storm"), Some(0), Some(20)), "{fault}");
    let mut again = Sim::from_scenario(&exported.to_string()).unwrap();
    again.advance(5_000);
    assert!(again.producers.iter().next().unwrap().metrics.throttled > 0, "the storm is in force right after import");
    again.advance(60_000);
    assert_eq!(serde_json::from_str::<Value>(&again.to_scenario()).unwrap()["faults"], json!([]), "an ended fault is not exported");

    let mut bad = doc.clone();
    bad["faults"][0]["durationSeconds"] = json!(0);
    let message = refusal(&bad.to_string());
    assert!(message.starts_with("faults[0].durationSeconds"), "{message}");
}
