//! Consumers driven through the whole world next to built-in producers.

use crate::engine::producers::tests::world_with_stream;
use crate::engine::sim::Sim;
use serde_json::Value;

fn progress(sim: &mut Sim, id: &str) -> Value {
    serde_json::from_str(&sim.consumer_progress(id).unwrap()).unwrap()
}

#[test]
fn a_polling_consumer_processes_every_record_once_in_order_per_key() {
    let mut sim = world_with_stream("t", 2);
    let p = sim.add_producer(r#"{"kind":"tweets","stream":"t","ratePerSecond":200}"#).unwrap();
    let c = sim.add_consumer(r#"{"kind":"polling","stream":"t","name":"reader"}"#).unwrap();
    sim.advance(20_000);
    sim.remove_producer(&p);
    sim.advance(3_000);
    let v = progress(&mut sim, &c);
    assert_eq!(v["totals"]["processed"], 4_000, "{v}");
    assert_eq!(v["totals"]["duplicates"], 0);
    assert_eq!(v["totals"]["lost"], 0);
    assert_eq!(v["outOfOrder"], 0);
    assert_eq!(v["shards"].as_object().unwrap().len(), 2);
    assert_eq!(v["shards"]["shardId-000000000000"]["lagMs"], 0);
    assert!(v["shards"]["shardId-000000000001"]["lastSequenceNumber"].is_string());
}

#[test]
fn too_many_polling_consumers_on_one_shard_are_throttled() {
    let mut sim = world_with_stream("t", 1);
    sim.add_producer(r#"{"kind":"stock_ticks","stream":"t","ratePerSecond":100}"#).unwrap();
    let readers: Vec<String> =
        (0..4).map(|i| sim.add_consumer(&format!(r#"{{"kind":"polling","stream":"t","name":"r{i}","pollIntervalMs":500}}"#)).unwrap()).collect();
    sim.advance(10_000);
    let throttled: u64 = readers.iter().map(|c| progress(&mut sim, c)["totals"]["readThrottled"].as_u64().unwrap()).sum();
    assert!(throttled > 0, "eight reads a second share five");
    let one = progress(&mut sim, &readers[0]);
    assert!(one["totals"]["processed"].as_u64().unwrap() > 500, "yet each still progresses: {one}");
}

#[test]
fn a_consumer_slower_than_its_producer_falls_behind_until_retention_trims_unread_records_and_reports_the_loss() {
    let mut sim = world_with_stream("slow", 1);
    let p = sim.add_producer(r#"{"kind":"game_events","stream":"slow","ratePerSecond":1}"#).unwrap();
    // One record every 10 s against one produced every second.
    let c = sim.add_consumer(r#"{"kind":"polling","stream":"slow","name":"laggard","limit":1,"pollIntervalMs":10000}"#).unwrap();
    sim.advance(20 * 3_600_000);
    let early = progress(&mut sim, &c);
    assert_eq!(early["totals"]["lost"], 0, "nothing has expired yet: {early}");
    assert!(early["totals"]["lagMs"].as_u64().unwrap() > 15 * 3_600_000, "{early}");
    sim.advance(10 * 3_600_000);
    let late = progress(&mut sim, &c);
    let lost = late["totals"]["lost"].as_u64().unwrap();
    let processed = late["totals"]["processed"].as_u64().unwrap();
    assert!(lost > 10_000, "six hours of records expired unread: {late}");
    let produced = sim.producers.get(&p).unwrap().metrics.succeeded;
    let shard = &sim.kinesis.stream("slow").unwrap().shards[0];
    let (horizon, last) = (sim.now_ms() - 24 * 3_600_000, last_counter(&late));
    let unread = shard.readable_after(0, 0, &sim.kinesis.sources).filter(|r| r.arrival_ms >= horizon && r.counter > last).count() as u64;
    assert_eq!(lost + processed + unread, produced, "every record is processed, unread or reported lost");
    assert!(late["totals"]["lagMs"].as_u64().unwrap() <= 24 * 3_600_000, "the reader is pushed up to the trim horizon");
}

fn last_counter(progress: &Value) -> u64 {
    let seq = progress["shards"]["shardId-000000000000"]["lastSequenceNumber"].as_str().unwrap();
    match crate::engine::streams::sequence::decode(seq) {
        Some(crate::engine::streams::sequence::Decoded::V2(s)) => s.counter,
        _ => 0,
    }
}

#[test]
fn a_bad_consumer_config_is_refused_with_the_field_named() {
    let mut sim = Sim::new(1);
    assert_eq!(
        sim.add_consumer(r#"{"kind":"polling","stream":"s","limit":0}"#).unwrap_err().0,
        "limit must be a whole number from 1 to 10000; got 0"
    );
    assert_eq!(sim.add_consumer(r#"{"kind":"carrier pigeon","stream":"s"}"#).unwrap_err().0, "kind must be one of polling, kcl, lambda, fanout; got \"carrier pigeon\"");
}

#[test]
fn a_kcl_application_across_a_split_shard_processes_every_record_once_in_order_per_key() {
    let mut sim = world_with_stream("orders", 1);
    let p = sim.add_producer(r#"{"kind":"tweets","stream":"orders","ratePerSecond":400,"keys":{"strategy":"zipf","zipfS":0.8}}"#).unwrap();
    let c = sim.add_consumer(r#"{"kind":"kcl","stream":"orders","name":"orders-app","workers":2}"#).unwrap();
    sim.advance(10_000);
    let split = r#"{"StreamName":"orders","ShardToSplit":"shardId-000000000000","NewStartingHashKey":"170141183460469231731687303715884105728"}"#;
    assert_eq!(sim.dispatch("Kinesis_20131202.SplitShard", split.as_bytes()).status, 200);
    sim.advance(40_000);
    let produced = sim.producers.get(&p).unwrap().metrics.succeeded;
    sim.remove_producer(&p);
    sim.advance(5_000);
    let v = progress(&mut sim, &c);
    let written: u64 = sim.kinesis.stream("orders").unwrap().shards.iter().map(|s| s.totals.records_in).sum();
    assert_eq!((produced, written), (20_000, 20_000));
    assert_eq!(v["totals"]["processed"].as_u64(), Some(written), "{v}");
    assert_eq!(v["totals"]["duplicates"], 0);
    assert_eq!(v["outOfOrder"], 0, "parents before children keeps every key in order");
    let leases = v["leases"].as_array().unwrap();
    assert_eq!(leases.len(), 3);
    assert_eq!(leases[0]["checkpoint"], "SHARD_END");
    let owners: std::collections::BTreeSet<&str> = leases[1..].iter().map(|l| l["owner"].as_str().unwrap()).collect();
    assert_eq!(owners.len(), 2, "two workers share the two children: {leases:?}");
    for child in &leases[1..] {
        assert_eq!(child["parents"][0], "shardId-000000000000");
        assert!(child["checkpoint"]["AT"]["sequenceNumber"].is_string(), "{child}");
    }
}

#[test]
fn a_polling_consumer_that_ignores_parents_breaks_per_key_order_across_a_split_where_the_kcl_does_not() {
    let mut sim = world_with_stream("s", 1);
    let p = sim.add_producer(r#"{"kind":"game_events","stream":"s","ratePerSecond":900,"keys":{"strategy":"few","count":8}}"#).unwrap();
    // Reading 100 records a second, the poller is still in the parent when children fill up.
    let poller = sim.add_consumer(r#"{"kind":"polling","stream":"s","limit":100}"#).unwrap();
    let kcl = sim.add_consumer(r#"{"kind":"kcl","stream":"s","limit":100}"#).unwrap();
    sim.advance(5_000);
    let split = r#"{"StreamName":"s","ShardToSplit":"0","NewStartingHashKey":"170141183460469231731687303715884105728"}"#;
    assert_eq!(sim.dispatch("Kinesis_20131202.SplitShard", split.as_bytes()).status, 200);
    sim.advance(30_000);
    sim.remove_producer(&p);
    assert!(progress(&mut sim, &poller)["outOfOrder"].as_u64().unwrap() > 0);
    assert_eq!(progress(&mut sim, &kcl)["outOfOrder"], 0);
}

#[test]
fn a_kcl_application_splits_kpl_aggregates_into_user_records_with_sub_sequence_numbers() {
    let mut sim = world_with_stream("agg", 2);
    let p = sim.add_producer(r#"{"kind":"stock_ticks","stream":"agg","ratePerSecond":2000,"delivery":"kpl"}"#).unwrap();
    let c = sim.add_consumer(r#"{"kind":"kcl","stream":"agg","workers":1}"#).unwrap();
    sim.advance(10_000);
    let m = sim.producers.get(&p).unwrap().metrics.clone();
    sim.remove_producer(&p);
    sim.advance(2_000);
    let v = progress(&mut sim, &c);
    assert_eq!(v["totals"]["processed"].as_u64(), Some(m.succeeded), "{v}");
    assert!(v["totals"]["kinesisRecords"].as_u64().unwrap() * 20 < m.succeeded);
    assert_eq!(v["outOfOrder"], 0);
}

#[test]
fn a_fan_out_consumer_keeps_its_own_throughput_while_polling_readers_fight_over_the_shared_budget() {
    let mut sim = world_with_stream("efo", 1);
    let p = sim.add_producer(r#"{"kind":"tweets","stream":"efo","ratePerSecond":100}"#).unwrap();
    let pollers: Vec<String> = (0..5).map(|i| sim.add_consumer(&format!(r#"{{"kind":"polling","stream":"efo","name":"p{i}","pollIntervalMs":400}}"#)).unwrap()).collect();
    let efo = sim.add_consumer(r#"{"kind":"fanout","stream":"efo","name":"dashboard"}"#).unwrap();
    sim.advance(400_000);
    let produced = sim.producers.get(&p).unwrap().metrics.succeeded;
    sim.remove_producer(&p);
    sim.advance(3_000);
    let v = progress(&mut sim, &efo);
    assert_eq!(v["totals"]["processed"].as_u64(), Some(produced), "past a 5-minute resubscription: {v}");
    assert_eq!(v["totals"]["duplicates"], 0);
    assert_eq!(v["totals"]["readThrottled"], 0);
    let throttled: u64 = pollers.iter().map(|c| progress(&mut sim, c)["totals"]["readThrottled"].as_u64().unwrap()).sum();
    assert!(throttled > 1_000, "twelve reads a second share five: {throttled}");
    let arn = sim.kinesis.stream("efo").unwrap().consumers["dashboard"].arn.clone();
    assert!(arn.starts_with("arn:aws:kinesis:us-east-1:123456789012:stream/efo/consumer/dashboard:"));
}

fn lambda_run(extra: &str) -> (Value, u64) {
    let mut sim = world_with_stream("fn", 2);
    let p = sim.add_producer(r#"{"kind":"game_events","stream":"fn","ratePerSecond":300}"#).unwrap();
    let c = sim.add_consumer(&format!(r#"{{"kind":"lambda","stream":"fn","name":"transform","batchSize":100{extra}}}"#)).unwrap();
    sim.advance(20_000);
    let produced = sim.producers.get(&p).unwrap().metrics.succeeded;
    sim.remove_producer(&p);
    // Failed batches are retried once per poll: draining them takes a few minutes.
    sim.advance(240_000);
    (progress(&mut sim, &c), produced)
}

#[test]
fn a_lambda_event_source_mapping_processes_every_record_in_order_even_with_parallel_batches() {
    for extra in ["", r#","parallelizationFactor":4,"batchingWindowMs":2000"#] {
        let (v, produced) = lambda_run(extra);
        assert_eq!(v["totals"]["processed"].as_u64(), Some(produced), "{extra}: {v}");
        assert_eq!((v["totals"]["duplicates"].as_u64(), v["outOfOrder"].as_u64()), (Some(0), Some(0)), "{extra}");
        assert_eq!(v["lambda"]["functionErrors"], 0);
        assert!(v["lambda"]["invocations"].as_u64().unwrap() >= produced / 100);
    }
}

#[test]
fn lambda_retries_reprocess_records_as_duplicates_and_bisecting_isolates_the_poison_records() {
    let (whole, produced) = lambda_run(r#","functionErrorPercent":1,"maxRetryAttempts":2"#);
    let (bisected, _) = lambda_run(r#","functionErrorPercent":1,"maxRetryAttempts":2,"bisectBatchOnFunctionError":true"#);
    for v in [&whole, &bisected] {
        assert!(v["totals"]["duplicates"].as_u64().unwrap() > 0, "records before a failure run again: {v}");
        let discarded = v["lambda"]["recordsDiscarded"].as_u64().unwrap();
        assert_eq!(v["totals"]["processed"].as_u64().unwrap() + discarded, produced, "{v}");
    }
    let discarded = |v: &Value| v["lambda"]["recordsDiscarded"].as_u64().unwrap();
    assert!(discarded(&bisected) * 2 < discarded(&whole), "bisecting discards fewer than half as many records: {} vs {}", discarded(&bisected), discarded(&whole));
}

#[test]
fn worlds_with_every_producer_and_consumer_kind_replay_identically() {
    let run = |steps: &[u64]| {
        let mut sim = world_with_stream("all", 2);
        for (kind, delivery) in [("tweets", "put_record"), ("stock_ticks", "kpl"), ("game_events", "agent")] {
            sim.add_producer(&format!(r#"{{"kind":"{kind}","stream":"all","delivery":"{delivery}","ratePerSecond":200,"keys":{{"strategy":"random"}}}}"#)).unwrap();
        }
        for kind in ["polling", "kcl", "lambda", "fanout"] {
            sim.add_consumer(&format!(r#"{{"kind":"{kind}","stream":"all","name":"{kind}"}}"#)).unwrap();
        }
        for &ms in steps {
            sim.advance(ms);
        }
        sim.state_hash()
    };
    assert_eq!(run(&[20_000]), run(&[20_000]));
    assert_eq!(run(&[7_000, 13_000]), run(&[20_000]), "split advances equal one long advance");
}

#[test]
fn with_unlimited_retries_a_poison_record_blocks_its_shard_until_its_records_expire() {
    let mut sim = world_with_stream("stuck", 1);
    sim.add_producer(r#"{"kind":"tweets","stream":"stuck","ratePerSecond":1}"#).unwrap();
    let c = sim.add_consumer(r#"{"kind":"lambda","stream":"stuck","batchSize":10,"functionErrorPercent":2,"pollIntervalMs":10000}"#).unwrap();
    sim.advance(12 * 3_600_000);
    let blocked = progress(&mut sim, &c);
    assert!(blocked["iteratorAgeMs"].as_u64().unwrap() > 11 * 3_600_000, "the shard waits on one batch: {blocked}");
    assert_eq!(blocked["lambda"]["recordsDiscarded"], 0);
    sim.advance(14 * 3_600_000);
    let moving = progress(&mut sim, &c);
    assert!(moving["lambda"]["recordsDiscarded"].as_u64().unwrap() > 0, "expired batches are given up: {moving}");
    assert!(moving["totals"]["processed"].as_u64().unwrap() > blocked["totals"]["processed"].as_u64().unwrap());
}

#[test]
fn no_configuration_value_panics_at_creation_or_while_running() {
    let odd = ["null", "-1", "0", "1", "1.5", "1e308", "4294967296", "\"x\"", "\"\"", "[]", "{}", "true", "[{}]", r#"[{"optionName":"CSVTOJSON","customFieldNames":["a"]}]"#];
    let producer_fields = ["ratePerSecond", "delivery", "keys", "recordSizeBytes", "batchSize", "bursts", "running", "kpl", "webServer", "agent", "stream"];
    let consumer_fields = ["pollIntervalMs", "limit", "startingPosition", "workers", "deaggregate", "batchSize", "batchingWindowMs", "parallelizationFactor", "maxRetryAttempts", "functionErrorPercent", "functionDurationMs", "name", "stream"];
    let mut sim = world_with_stream("s", 1);
    for value in odd {
        for field in producer_fields {
            for delivery in ["kpl", "agent"] {
                let _ = sim.add_producer(&format!(r#"{{"kind":"tweets","stream":"s","delivery":"{delivery}","{field}":{value}}}"#));
            }
            let _ = sim.add_producer(&format!(r#"{{"kind":"game_events","stream":"s","keys":{{"strategy":"zipf","{field}":{value}}}}}"#));
        }
        for field in consumer_fields {
            for kind in ["polling", "kcl", "lambda", "fanout"] {
                let _ = sim.add_consumer(&format!(r#"{{"kind":"{kind}","stream":"s","{field}":{value}}}"#));
            }
        }
    }
    sim.advance(3_000);
}

#[test]
fn when_a_kcl_worker_fails_its_leases_move_after_the_failover_time_and_records_since_the_checkpoint_are_processed_again() {
    let mut sim = world_with_stream("fo", 4);
    let p = sim.add_producer(r#"{"kind":"game_events","stream":"fo","ratePerSecond":400}"#).unwrap();
    let c = sim
        .add_consumer(r#"{"kind":"kcl","stream":"fo","workers":2,"checkpointIntervalMs":5000,"failoverTimeMs":10000,"workerFailures":[{"worker":"worker-1","atMs":20500}]}"#)
        .unwrap();
    sim.advance(25_000);
    let stalled = progress(&mut sim, &c);
    assert!(stalled["leases"].as_array().unwrap().iter().any(|l| l["owner"] == "worker-1"), "leases wait out the failover time: {stalled}");
    sim.advance(35_000);
    let produced = sim.producers.get(&p).unwrap().metrics.succeeded;
    sim.remove_producer(&p);
    sim.advance(5_000);
    let v = progress(&mut sim, &c);
    assert!(v["leases"].as_array().unwrap().iter().all(|l| l["owner"] == "worker-2"), "{v}");
    assert_eq!(v["totals"]["processed"].as_u64(), Some(produced));
    assert!(v["totals"]["duplicates"].as_u64().unwrap() > 0, "records after the last checkpoint run twice: {v}");
    assert_eq!(v["outOfOrder"], 0);
    let err = sim.add_consumer(r#"{"kind":"kcl","stream":"fo","workers":2,"workerFailures":[{"worker":"worker-3","atMs":1}]}"#).unwrap_err();
    assert_eq!(err.0, "workerFailures[].worker must be one of worker-1 to worker-2; got \"worker-3\"");
}
