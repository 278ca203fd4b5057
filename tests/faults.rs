//! Injected faults and the effects AWS would show: throttling storms, consumer crashes with
//! restart from checkpoint, Lambda errors and timeouts (event source mapping and Firehose
//! transform), S3 AccessDenied; plus determinism and refusals of bad fault JSON.
#![cfg(not(target_arch = "wasm32"))]

use kinesim::engine::events::EventKind;
use kinesim::engine::faults::{FaultChange, FaultState, FaultView};
use kinesim::engine::firehose::metrics::{points, FirehoseMetric};
use kinesim::engine::iam::FIREHOSE_DEFAULT_ACTIONS;
use kinesim::engine::sim::Sim;
use kinesim::engine::streams::metrics::Metric;
use serde_json::{json, Value};

const BUCKET: &str = "kinesim-bucket";

fn kinesis(sim: &mut Sim, action: &str, body: Value) {
    let r = sim.dispatch(&format!("Kinesis_20131202.{action}"), body.to_string().as_bytes());
    assert_eq!(r.status, 200, "{action}: {}", r.body);
}

fn firehose(sim: &mut Sim, action: &str, body: Value) {
    let r = sim.dispatch(&format!("Firehose_20150804.{action}"), body.to_string().as_bytes());
    assert_eq!(r.status, 200, "{action}: {}", r.body);
}

/// A world with stream `s` of `shards` shards, ACTIVE.
fn with_stream(seed: u64, shards: u32) -> Sim {
    let mut sim = Sim::new(seed);
    kinesis(&mut sim, "CreateStream", json!({ "StreamName": "s", "ShardCount": shards }));
    sim.advance(60_000);
    sim
}

fn progress(sim: &mut Sim, id: &str) -> Value {
    serde_json::from_str(&sim.consumer_progress(id).unwrap()).unwrap()
}

fn fault(sim: &Sim, id: &str) -> FaultView {
    sim.faults().into_iter().find(|f| f.id == id).unwrap()
}

fn effect(sim: &Sim, id: &str, name: &str) -> u64 {
    fault(sim, id).effects.get(name).copied().unwrap_or_else(|| panic!("{id} has no effect {name}"))
}

#[test]
fn a_throttling_storm_throttles_writes_and_reads_then_passes() {
    let mut sim = with_stream(7, 1);
    let producer = sim.add_producer(r#"{"kind":"tweets","stream":"s","ratePerSecond":450,"delivery":"kpl"}"#).unwrap();
    let plain = sim.add_producer(r#"{"kind":"tweets","stream":"s","ratePerSecond":50,"delivery":"put_record"}"#).unwrap();
    let consumer = sim.add_consumer(r#"{"kind":"polling","stream":"s"}"#).unwrap();
    sim.advance(30_000);
    assert_eq!(sim.producers.get_mut(&producer).unwrap().metrics.throttled, 0, "500 records/s fit one shard");
    assert_eq!(sim.producers.get_mut(&plain).unwrap().metrics.throttled, 0);

    let id = sim.inject_fault(r#"{"kind":"throttling_storm","target":{"stream":"s"},"capacityPercent":10,"durationSeconds":60}"#).unwrap();
    assert_eq!(fault(&sim, &id).state, FaultState::Active, "no startAfterSeconds: it starts at once");
    sim.advance(60_000);
    let m = sim.producers.get_mut(&producer).unwrap().metrics.clone();
    assert!(m.throttled > 0 && m.retried > 0, "the KPL is throttled and retries: {m:?}");
    let error = sim.producers.get_mut(&plain).unwrap().metrics.last_error.clone().unwrap_or_default();
    assert!(error.starts_with("Rate exceeded for shard shardId-000000000000 in stream s under account 123456789012"), "{error}");
    assert!(effect(&sim, &id, "writeThrottled") > 0 && effect(&sim, &id, "readThrottled") > 0);
    assert!(progress(&mut sim, &consumer)["totals"]["readThrottled"].as_u64().unwrap() > 0);
    let shard = &sim.kinesis.stream("s").unwrap().shards[0];
    let exceeded = |metric| shard.metrics.points(metric, 0, u64::MAX).iter().map(|p| p.value).sum::<u64>();
    assert!(exceeded(Metric::WriteProvisionedThroughputExceeded) > 0);
    assert!(exceeded(Metric::ReadProvisionedThroughputExceeded) > 0);

    // Over: the frozen effects stay listed; after the backlog drains, writes go through again.
    assert_eq!(fault(&sim, &id).state, FaultState::Ended);
    let frozen = fault(&sim, &id).effects;
    sim.advance(30_000);
    let throttled = |sim: &mut Sim| sim.kinesis.stream("s").unwrap().shards[0].totals.write_throttled;
    let after = throttled(&mut sim);
    sim.advance(30_000);
    assert_eq!(throttled(&mut sim), after, "no throttling once the storm ends and the backlog is sent");
    assert_eq!(fault(&sim, &id).effects, frozen);
    let changes: Vec<FaultChange> = sim.faults.events().filter(|e| e.fault == id).map(|e| e.change).collect();
    assert_eq!(changes, [FaultChange::Ended, FaultChange::Started, FaultChange::Scheduled], "newest first");
    let on_stream: Vec<FaultChange> = sim
        .kinesis
        .events
        .newest()
        .filter_map(|e| match &e.kind {
            EventKind::Fault { stream, fault, kind, change } if stream == "s" && fault == &id && kind == "throttling_storm" => Some(*change),
            _ => None,
        })
        .collect();
    assert_eq!(on_stream, [FaultChange::Ended, FaultChange::Started], "the stream's event log shows the storm");
}

#[test]
fn a_storm_on_one_shard_leaves_the_others_alone() {
    let mut sim = with_stream(3, 2);
    sim.add_producer(r#"{"kind":"game_events","stream":"s","ratePerSecond":400}"#).unwrap();
    sim.inject_fault(r#"{"kind":"throttling_storm","target":{"stream":"s","shard":"shardId-000000000001"},"capacityPercent":0,"durationSeconds":30}"#).unwrap();
    sim.advance(30_000);
    let shards = &sim.kinesis.stream("s").unwrap().shards;
    assert_eq!(shards[0].totals.write_throttled, 0);
    assert!(shards[1].totals.write_throttled > 0);
    assert_eq!(shards[1].totals.records_in, 0, "0 % capacity: every write throttled");
}

#[test]
fn shards_opened_during_a_storm_join_it() {
    let mut sim = with_stream(4, 1);
    sim.inject_fault(r#"{"kind":"throttling_storm","target":{"stream":"s"},"capacityPercent":0,"durationSeconds":600}"#).unwrap();
    let split = json!({ "StreamName": "s", "ShardToSplit": "shardId-000000000000", "NewStartingHashKey": "170141183460469231731687303715884105728" });
    kinesis(&mut sim, "SplitShard", split);
    sim.advance(60_000);
    let producer = sim.add_producer(r#"{"kind":"game_events","stream":"s","ratePerSecond":100}"#).unwrap();
    sim.advance(10_000);
    let shards = &sim.kinesis.stream("s").unwrap().shards;
    assert_eq!(shards.len(), 3);
    assert!(shards.iter().all(|s| s.totals.records_in == 0), "the children run at 0 % too");
    assert!(sim.producers.get_mut(&producer).unwrap().metrics.throttled > 0);
}

#[test]
fn a_kcl_worker_crash_moves_its_leases_and_records_are_processed_again_in_order() {
    let mut sim = with_stream(11, 4);
    sim.add_producer(r#"{"kind":"stock_ticks","stream":"s","ratePerSecond":200}"#).unwrap();
    let c = sim.add_consumer(r#"{"kind":"kcl","stream":"s","workers":2,"checkpointIntervalMs":20000,"failoverTimeMs":10000}"#).unwrap();
    sim.advance(45_000);
    assert_eq!(progress(&mut sim, &c)["totals"]["duplicates"], 0);
    let owned_by = |p: &Value, w: &str| p["leases"].as_array().unwrap().iter().filter(|l| l["owner"] == w).count();
    assert_eq!(owned_by(&progress(&mut sim, &c), "worker-1"), 2);

    let id = sim.inject_fault(r#"{"kind":"consumer_crash","target":{"consumer":"consumer-1","worker":"worker-1"},"durationSeconds":60}"#).unwrap();
    sim.advance(20_000);
    let p = progress(&mut sim, &c);
    assert_eq!(owned_by(&p, "worker-2"), 4, "worker-1's leases expired and worker-2 took them: {}", p["leases"]);
    sim.advance(60_000);
    let p = progress(&mut sim, &c);
    assert!(p["totals"]["duplicates"].as_u64().unwrap() > 0, "records after the checkpoints were processed again");
    assert_eq!(p["outOfOrder"], 0, "each key stays in order");
    assert!(effect(&sim, &id, "duplicates") > 0);
    assert_eq!(owned_by(&p, "worker-1"), 2, "the restarted worker takes its share back");
}

#[test]
fn a_crash_mid_batch_processes_that_batch_again_even_with_a_checkpoint_per_batch() {
    let mut sim = with_stream(13, 1);
    sim.add_producer(r#"{"kind":"tweets","stream":"s","ratePerSecond":100}"#).unwrap();
    let c = sim.add_consumer(r#"{"kind":"kcl","stream":"s","workers":1}"#).unwrap();
    sim.advance(20_000);
    sim.inject_fault(r#"{"kind":"consumer_crash","target":{"consumer":"consumer-1"},"durationSeconds":15}"#).unwrap();
    sim.advance(30_000);
    let p = progress(&mut sim, &c);
    let duplicates = p["totals"]["duplicates"].as_u64().unwrap();
    assert!((50..=150).contains(&duplicates), "about one second's batch again: {duplicates}");
    assert_eq!(p["outOfOrder"], 0);
}

#[test]
fn a_whole_application_crash_restarts_from_the_checkpoint() {
    let mut sim = with_stream(12, 1);
    sim.add_producer(r#"{"kind":"tweets","stream":"s","ratePerSecond":100}"#).unwrap();
    let c = sim.add_consumer(r#"{"kind":"kcl","stream":"s","workers":1,"checkpointIntervalMs":30000}"#).unwrap();
    sim.advance(50_000);
    let before = progress(&mut sim, &c)["totals"]["processed"].as_u64().unwrap();
    sim.inject_fault(r#"{"kind":"consumer_crash","target":{"consumer":"consumer-1"},"durationSeconds":30}"#).unwrap();
    sim.advance(29_000);
    assert_eq!(progress(&mut sim, &c)["totals"]["processed"].as_u64().unwrap(), before, "nothing is processed while down");
    sim.advance(30_000);
    let p = progress(&mut sim, &c);
    assert!(p["totals"]["duplicates"].as_u64().unwrap() > 0);
    assert!(p["totals"]["processed"].as_u64().unwrap() > before, "it catches up after the restart");
    assert_eq!(p["outOfOrder"], 0);
}

#[test]
fn lambda_errors_on_an_event_source_mapping_retry_bisect_and_age_the_iterator() {
    let mut sim = with_stream(5, 1);
    sim.add_producer(r#"{"kind":"tweets","stream":"s","ratePerSecond":100}"#).unwrap();
    let plain = sim.add_consumer(r#"{"kind":"lambda","stream":"s","maxRetryAttempts":2}"#).unwrap();
    let bisect = sim.add_consumer(r#"{"kind":"lambda","stream":"s","maxRetryAttempts":2,"bisectBatchOnFunctionError":true}"#).unwrap();
    let retry_forever = sim.add_consumer(r#"{"kind":"lambda","stream":"s"}"#).unwrap();
    sim.advance(10_000);
    let age_before = progress(&mut sim, &retry_forever)["iteratorAgeMs"].as_u64().unwrap();
    for c in [&plain, &bisect] {
        sim.inject_fault(&json!({ "kind": "lambda_errors", "target": { "consumer": c }, "errorPercent": 20, "durationSeconds": 60 }).to_string()).unwrap();
    }
    let id = sim.inject_fault(&json!({ "kind": "lambda_errors", "target": { "consumer": retry_forever }, "durationSeconds": 60 }).to_string()).unwrap();
    sim.advance(60_000);
    let p = progress(&mut sim, &retry_forever);
    assert!(p["lambda"]["functionErrors"].as_u64().unwrap() >= 50, "one failed retry per poll: {}", p["lambda"]);
    assert!(p["iteratorAgeMs"].as_u64().unwrap() > age_before + 50_000, "the iterator ages while the batch keeps failing: {}", p["iteratorAgeMs"]);
    assert!(effect(&sim, &id, "functionErrors") >= 50);
    let discarded = |sim: &mut Sim, c: &str| progress(sim, c)["lambda"]["recordsDiscarded"].as_u64().unwrap();
    let (d_plain, d_bisect) = (discarded(&mut sim, &plain), discarded(&mut sim, &bisect));
    assert!(d_plain > 0, "after 2 retries a batch is given up");
    assert!(d_bisect < d_plain, "bisecting isolates the failing records: {d_bisect} vs {d_plain}");

    // The fault over, the waiting batch goes through and the iterator catches up.
    sim.advance(30_000);
    let p = progress(&mut sim, &retry_forever);
    assert!(p["iteratorAgeMs"].as_u64().unwrap() < 5_000, "{}", p["iteratorAgeMs"]);
    assert_eq!(p["totals"]["lost"], 0);
}

#[test]
fn lambda_timeouts_on_an_event_source_mapping_count_as_timeouts() {
    let mut sim = with_stream(6, 1);
    sim.add_producer(r#"{"kind":"tweets","stream":"s","ratePerSecond":50}"#).unwrap();
    let c = sim.add_consumer(r#"{"kind":"lambda","stream":"s"}"#).unwrap();
    let id = sim.inject_fault(r#"{"kind":"lambda_timeouts","target":{"consumer":"consumer-1"},"durationSeconds":20}"#).unwrap();
    sim.advance(20_000);
    let p = progress(&mut sim, &c);
    assert!(p["lambda"]["timeouts"].as_u64().unwrap() > 0);
    assert_eq!(p["totals"]["processed"], 0, "a timed-out invocation processes nothing");
    assert_eq!(effect(&sim, &id, "timeouts"), p["lambda"]["timeouts"].as_u64().unwrap());
}

/// A Direct PUT delivery stream `d` into BUCKET with CloudWatch error logging, a 60 s buffer,
/// the error prefix `errors/<type>/` and, optionally, the `transform_to_json` processor.
fn with_delivery_stream(transform: bool) -> Sim {
    let mut sim = Sim::new(21);
    sim.s3.create_bucket(BUCKET, sim.now_ms()).unwrap();
    let actions: Vec<String> = FIREHOSE_DEFAULT_ACTIONS.iter().map(|a| a.to_string()).collect();
    let role = sim.iam.put_role("firehose_role", &actions).unwrap();
    let mut s3 = json!({
        "RoleARN": role,
        "BucketARN": format!("arn:aws:s3:::{BUCKET}"),
        "Prefix": "data/",
        "ErrorOutputPrefix": "errors/!{firehose:error-output-type}/",
        "BufferingHints": { "SizeInMBs": 1, "IntervalInSeconds": 60 },
        "CloudWatchLoggingOptions": { "Enabled": true },
    });
    if transform {
        s3["ProcessingConfiguration"] = json!({ "Enabled": true, "Processors": [{ "Type": "Lambda", "Parameters": [
            { "ParameterName": "LambdaArn", "ParameterValue": "arn:aws:lambda:us-east-1:123456789012:function:transform_to_json:$LATEST" },
            { "ParameterName": "NumberOfRetries", "ParameterValue": "3" },
            { "ParameterName": "BufferIntervalInSeconds", "ParameterValue": "60" },
        ]}]});
    }
    firehose(&mut sim, "CreateDeliveryStream", json!({ "DeliveryStreamName": "d", "ExtendedS3DestinationConfiguration": s3 }));
    sim
}

fn put_records(sim: &mut Sim, n: usize) {
    let records: Vec<Value> = (0..n).map(|i| json!({ "Data": base64(format!("{{\"n\":{i}}}").as_bytes()) })).collect();
    firehose(sim, "PutRecordBatch", json!({ "DeliveryStreamName": "d", "Records": records }));
}

fn base64(data: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(data)
}

fn keys(sim: &Sim, prefix: &str) -> Vec<String> {
    sim.s3.list_objects_v2(BUCKET, prefix, None).unwrap().contents.into_iter().map(|o| o.key).collect()
}

fn error_lines(sim: &Sim) -> Vec<Value> {
    keys(sim, "errors/processing-failed/")
        .iter()
        .flat_map(|k| String::from_utf8(sim.s3.get_object(BUCKET, k).unwrap().bytes(&sim.kinesis.sources).to_vec()).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect::<Vec<Value>>())
        .collect()
}

fn log_messages(sim: &Sim) -> Vec<String> {
    sim.logs.group("/aws/kinesisfirehose/d").map(|g| g.events("S3Delivery").iter().map(|e| e.message.clone()).collect()).unwrap_or_default()
}

#[test]
fn firehose_retries_a_failing_transform_then_writes_processing_failed_records() {
    let mut sim = with_delivery_stream(true);
    let id = sim.inject_fault(r#"{"kind":"lambda_errors","target":{"function":"transform_to_json"},"durationSeconds":120}"#).unwrap();
    put_records(&mut sim, 10);
    sim.advance(120_000);
    let lines = error_lines(&sim);
    assert_eq!(lines.len(), 10, "every record of the failed batch goes to the error output");
    let first = &lines[0];
    assert_eq!(first["errorCode"], "Lambda.FunctionError");
    assert_eq!(first["errorMessage"], "The Lambda function was successfully invoked but it returned an error result: Error: injected fault fault-1");
    assert_eq!(first["attemptsMade"], 4, "the first attempt and NumberOfRetries = 3");
    assert!(first["lambdaArn"].as_str().unwrap().ends_with(":function:transform_to_json:$LATEST"));
    assert_eq!(base64(br#"{"n":0}"#), first["rawData"]);
    assert!(keys(&sim, "data/").is_empty());
    assert!(log_messages(&sim).iter().any(|m| m.starts_with("Lambda.FunctionError: ") && m.ends_with("(attempt 4 of 4)")));
    assert_eq!(effect(&sim, &id, "failedInvocations"), 4);
    assert_eq!(effect(&sim, &id, "processingFailedRecords"), 10);

    // Fault over: new records are transformed and delivered.
    put_records(&mut sim, 3);
    sim.advance(130_000);
    assert_eq!(keys(&sim, "data/").len(), 1);
    assert_eq!(sim.firehose.stream("d").unwrap().tally.delivered, 3);
}

#[test]
fn firehose_transform_timeouts_use_the_timeout_text() {
    let mut sim = with_delivery_stream(true);
    sim.inject_fault(r#"{"kind":"lambda_timeouts","target":{"function":"transform_to_json"},"startAfterSeconds":10,"durationSeconds":300}"#).unwrap();
    put_records(&mut sim, 2);
    sim.advance(120_000);
    let lines = error_lines(&sim);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["errorCode"], "Lambda.FunctionTimedOut");
    assert_eq!(lines[0]["errorMessage"], "Firehose encountered timeout errors when calling AWS Lambda. The maximum supported function timeout is 5 minutes.");
}

#[test]
fn s3_access_denied_holds_deliveries_which_go_through_once_cleared() {
    let mut sim = with_delivery_stream(false);
    let id = sim.inject_fault(&json!({ "kind": "s3_access_denied", "target": { "bucket": BUCKET }, "durationSeconds": 3_600 }).to_string()).unwrap();
    for _ in 0..3 {
        put_records(&mut sim, 5);
        sim.advance(60_000);
    }
    sim.advance(30_000);
    assert!(keys(&sim, "").is_empty(), "nothing reaches the bucket");
    let logged = log_messages(&sim);
    let denied = "S3.AccessDenied: Access was denied. Ensure that the trust policy for the provided IAM role allows Kinesis Data Firehose to assume the role, and the access policy allows access to the S3 bucket.";
    assert!(logged.len() > 3 && logged.iter().all(|m| m == denied), "{logged:?}");
    let d = sim.firehose.stream("d").unwrap();
    let success: u64 = points(&d.metrics, FirehoseMetric::DeliveryToS3Success, 0, u64::MAX).iter().map(|p| p.value).sum();
    assert_eq!(success, 0, "DeliveryToS3.Success drops to 0");
    assert_eq!(d.records_in_flight(), 15, "the backlog waits for retries");
    assert!(effect(&sim, &id, "deniedWrites") >= 3);
    assert_eq!(effect(&sim, &id, "deliveredRecords"), 0);

    assert!(sim.clear_fault(&id));
    assert!(sim.faults().is_empty(), "a cleared fault leaves the list");
    sim.advance(10_000);
    assert_eq!(sim.firehose.stream("d").unwrap().tally.delivered, 15, "the backlog is delivered");
    assert_eq!(keys(&sim, "data/").len(), 3);
    let cleared = sim.faults.events().find(|e| e.fault == id).unwrap();
    assert_eq!(cleared.change, FaultChange::Cleared);
    assert!(cleared.effects["deniedWrites"] >= 3);
}

#[test]
fn firehose_gives_up_after_24_hours_of_access_denied() {
    let mut sim = with_delivery_stream(false);
    let id = sim.inject_fault(&json!({ "kind": "s3_access_denied", "target": { "bucket": BUCKET }, "durationSeconds": 100_000 }).to_string()).unwrap();
    put_records(&mut sim, 4);
    sim.advance(25 * 3_600_000);
    assert_eq!(sim.firehose.stream("d").unwrap().tally.lost, 4);
    assert_eq!(effect(&sim, &id, "lostRecords"), 4);
    assert!(log_messages(&sim).iter().any(|m| m == "4 records were not delivered after 24 hours of retries and are lost."));
}

/// One world with every kind of fault, some overlapping, some scheduled ahead.
fn faulty_world(seed: u64) -> Sim {
    let mut sim = with_stream(seed, 2);
    sim.add_producer(r#"{"kind":"tweets","stream":"s","ratePerSecond":300,"delivery":"kpl"}"#).unwrap();
    sim.add_consumer(r#"{"kind":"kcl","stream":"s","checkpointIntervalMs":5000}"#).unwrap();
    sim.add_consumer(r#"{"kind":"lambda","stream":"s","bisectBatchOnFunctionError":true,"maxRetryAttempts":3}"#).unwrap();
    for f in [
        r#"{"kind":"throttling_storm","target":{"stream":"s"},"capacityPercent":30,"startAfterSeconds":5,"durationSeconds":20}"#,
        r#"{"kind":"throttling_storm","target":{"stream":"s","shard":"shardId-000000000000"},"capacityPercent":5,"startAfterSeconds":10,"durationSeconds":5}"#,
        r#"{"kind":"consumer_crash","target":{"consumer":"consumer-1","worker":"worker-2"},"startAfterSeconds":12,"durationSeconds":25}"#,
        r#"{"kind":"lambda_errors","target":{"consumer":"consumer-2"},"errorPercent":40,"durationSeconds":30}"#,
    ] {
        sim.inject_fault(f).unwrap();
    }
    sim
}

#[test]
fn the_same_faults_and_seed_give_the_same_world() {
    let run = |seed, chunk_ms: u64| {
        let mut sim = faulty_world(seed);
        for _ in 0..(60_000 / chunk_ms) {
            sim.advance(chunk_ms);
        }
        (sim.state_hash(), serde_json::to_string(&sim.faults()).unwrap())
    };
    let a = run(1, 60_000);
    assert_eq!(a, run(1, 60_000));
    assert_eq!(a, run(1, 1_000), "stepping in 1 s chunks reaches the same state");
    let mut plain = with_stream(1, 2);
    plain.add_producer(r#"{"kind":"tweets","stream":"s","ratePerSecond":300,"delivery":"kpl"}"#).unwrap();
    plain.advance(60_000);
    assert_ne!(a.0, plain.state_hash());
}

#[test]
fn faults_are_part_of_the_state_hash() {
    let mut a = with_stream(1, 1);
    let b = a.clone();
    a.inject_fault(r#"{"kind":"throttling_storm","target":{"stream":"s"},"startAfterSeconds":600}"#).unwrap();
    assert_ne!(a.state_hash(), b.state_hash(), "even a scheduled fault changes the state");
    assert!(a.clear_fault("fault-1"));
    assert!(!a.clear_fault("fault-1"));
    a.advance(700_000);
    assert_eq!(a.kinesis.stream("s").unwrap().shards[0].totals.write_throttled, 0, "a cleared scheduled fault never starts");
}

#[test]
fn bad_faults_are_refused_naming_the_field_and_what_is_allowed() {
    let mut sim = with_stream(1, 1);
    sim.add_consumer(r#"{"kind":"fanout","stream":"s","name":"efo"}"#).unwrap();
    let before = sim.state_hash();
    let refusal = |sim: &mut Sim, json: &str| sim.inject_fault(json).unwrap_err().0;
    assert!(refusal(&mut sim, "{").starts_with("The configuration is not valid JSON"));
    assert_eq!(refusal(&mut sim, r#"{"kind":"throttling_storm","target":{"stream":"nope"}}"#), "target.stream: no stream named \"nope\"; streams: s");
    assert_eq!(
        refusal(&mut sim, r#"{"kind":"throttling_storm","target":{"stream":"s","shard":"shardId-000000000007"}}"#),
        "target.shard: stream s has no shard shardId-000000000007; shards: shardId-000000000000"
    );
    assert_eq!(
        refusal(&mut sim, r#"{"kind":"consumer_crash","target":{"consumer":"consumer-1"}}"#),
        "target.consumer: a consumer_crash fault applies to kcl and polling consumers; consumer-1 is a fanout consumer"
    );
    assert_eq!(
        refusal(&mut sim, r#"{"kind":"lambda_errors","target":{"consumer":"consumer-1"}}"#),
        "target.consumer: a lambda_errors fault applies to lambda consumers (event source mappings); consumer-1 is a fanout consumer"
    );
    assert!(refusal(&mut sim, r#"{"kind":"lambda_timeouts","target":{"function":"nope"}}"#).starts_with("target.function: no Lambda function named \"nope\"; functions: "));
    assert_eq!(refusal(&mut sim, r#"{"kind":"s3_access_denied","target":{"bucket":"b"}}"#), "target.bucket: no bucket named \"b\"; there are no buckets");
    assert_eq!(
        refusal(&mut sim, r#"{"kind":"lambda_errors","target":{"function":"transform_to_json"},"errorPercent":0}"#),
        "errorPercent must be a whole number from 1 to 100; got 0"
    );
    assert_eq!(sim.state_hash(), before, "a refused fault leaves the world untouched");
}
