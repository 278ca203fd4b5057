//! Producers driven through the whole world, as the UI and the JS API drive them.

use crate::engine::sim::Sim;

pub(crate) fn world_with_stream(name: &str, shards: u32) -> Sim {
    let mut sim = Sim::new(7);
    let body = format!(r#"{{"StreamName":"{name}","ShardCount":{shards}}}"#);
    assert_eq!(sim.dispatch("Kinesis_20131202.CreateStream", body.as_bytes()).status, 200);
    sim.advance(30_000);
    sim
}

fn shard_throttles(sim: &Sim, stream: &str) -> Vec<(u64, u64)> {
    sim.kinesis.stream(stream).unwrap().shards.iter().map(|s| (s.totals.records_in, s.totals.write_throttled)).collect()
}

#[test]
fn a_zipf_skewed_game_producer_at_1500_per_second_on_two_shards_throttles_only_the_hot_shard() {
    let mut sim = world_with_stream("game", 2);
    let id = sim
        .add_producer(r#"{"kind":"game_events","stream":"game","ratePerSecond":1500,"delivery":"put_records","keys":{"strategy":"zipf","zipfS":1.5}}"#)
        .unwrap();
    sim.advance(60_000);
    let shards = shard_throttles(&sim, "game");
    let (hot, cold): (Vec<&(u64, u64)>, Vec<_>) = shards.iter().partition(|(_, throttled)| *throttled > 0);
    assert_eq!((hot.len(), cold.len()), (1, 1), "exactly one shard throttles: {shards:?}");
    assert!(hot[0].0 >= 55_000, "the hot shard runs at its 1,000 records/s limit: {shards:?}");
    let m = &sim.producers.get(&id).unwrap().metrics;
    assert_eq!(m.attempted, 90_000);
    assert_eq!(m.succeeded + m.failed, m.attempted);
    assert_eq!(m.throttled, hot[0].1);
    assert_eq!(m.succeeded, shards.iter().map(|s| s.0).sum::<u64>());
}

#[test]
fn one_by_one_and_batched_producers_count_every_record() {
    for delivery in ["put_record", "put_records", "kpl"] {
        let mut sim = world_with_stream("t", 1);
        let json = format!(r#"{{"kind":"tweets","stream":"t","ratePerSecond":50,"delivery":"{delivery}"}}"#);
        let id = sim.add_producer(&json).unwrap();
        sim.advance(10_050);
        let m = &sim.producers.get(&id).unwrap().metrics;
        assert_eq!(m.attempted, 500, "{delivery}");
        assert_eq!(m.succeeded + m.in_flight, 500, "{delivery}: {m:?}");
        assert_eq!((m.failed, m.throttled), (0, 0), "{delivery}");
    }
}

#[test]
fn kpl_aggregation_turns_many_user_records_into_few_kinesis_records_and_retries_throttles() {
    let mut sim = world_with_stream("k", 1);
    // 3,000 records/s of 500 bytes: 1.5 MB/s of user data into a 1 MiB/s shard.
    let id = sim.add_producer(r#"{"kind":"stock_ticks","stream":"k","ratePerSecond":3000,"delivery":"kpl","recordSizeBytes":500}"#).unwrap();
    sim.advance(20_000);
    let m = sim.producers.get(&id).unwrap().metrics.clone();
    let stored = sim.kinesis.stream("k").unwrap().shards[0].totals.records_in;
    assert!(stored < m.succeeded / 50, "{stored} Kinesis records carry {} user records", m.succeeded);
    assert!(m.throttled > 0 && m.retried > 0, "over the byte limit the KPL meets throttling and retries: {m:?}");
    assert!(m.latency_ms_max >= 100, "records wait RecordMaxBufferedTime: {m:?}");
}

#[test]
fn producers_are_deterministic_and_stop_when_removed() {
    let run = || {
        let mut sim = world_with_stream("d", 2);
        let id = sim.add_producer(r#"{"kind":"tweets","stream":"d","ratePerSecond":300,"keys":{"strategy":"hot"}}"#).unwrap();
        sim.advance(5_000);
        assert!(sim.remove_producer(&id));
        let before = shard_throttles(&sim, "d");
        sim.advance(5_000);
        assert_eq!(before, shard_throttles(&sim, "d"), "a removed producer writes nothing");
        sim.state_hash()
    };
    assert_eq!(run(), run());
}

#[test]
fn a_bad_config_is_refused_with_the_field_named() {
    let mut sim = Sim::new(1);
    assert_eq!(sim.add_producer(r#"{"kind":"tweets","stream":"s","keys":{"strategy":"lucky"}}"#).unwrap_err().0, "keys.strategy must be one of natural, random, few, hot, zipf; got \"lucky\"");
}

fn stored_records(sim: &Sim, stream: &str) -> Vec<serde_json::Value> {
    sim.kinesis.stream(stream).unwrap().shards.iter().flat_map(|s| s.readable_after(0, 0, &sim.kinesis.sources)).map(|r| serde_json::from_slice(&r.read_data(&sim.kinesis.sources).bytes()).unwrap()).collect()
}

#[test]
fn the_kinesis_agent_tails_the_web_server_log_and_sends_log_to_json_records() {
    let mut sim = world_with_stream("logs", 2);
    let agent_json = r#"{"flows":[{"filePattern":"/var/log/httpd/access_log*","kinesisStream":"logs","maxBufferAgeMillis":1000,
        "dataProcessingOptions":[{"optionName":"LOGTOJSON","logFormat":"COMBINEDAPACHELOG"}]}]}"#;
    let id = sim.add_producer(&format!(r#"{{"kind":"tweets","stream":"logs","delivery":"agent","ratePerSecond":100,"agent":{agent_json}}}"#)).unwrap();
    sim.advance(10_000);
    let m = sim.producers.get(&id).unwrap().metrics.clone();
    assert_eq!(m.attempted, 1_000);
    assert!(m.succeeded >= 900 && m.succeeded + m.in_flight == 1_000, "{m:?}");
    assert!(m.latency_ms_max >= 1_000, "records wait maxBufferAgeMillis: {m:?}");
    let records = stored_records(&sim, "logs");
    assert_eq!(records.len() as u64, m.succeeded);
    assert!(records.iter().all(|r| r["host"].as_str().unwrap().starts_with("203.0.113.") && r["ident"].is_null() && r["agent"].is_string()));
    assert!(records.iter().any(|r| r["request"].as_str().unwrap().starts_with("GET /api/u")));
}

#[test]
fn the_agent_converts_csv_skipping_the_header_and_ignores_files_its_pattern_misses() {
    let mut sim = world_with_stream("csv", 1);
    let flows = r#"[{"filePattern":"/var/log/app/*.csv","kinesisStream":"csv","initialPosition":"START_OF_FILE","skipHeaderLines":1,"maxBufferAgeMillis":1000,
        "partitionKeyOption":"DETERMINISTIC","dataProcessingOptions":[{"optionName":"CSVTOJSON","customFieldNames":["ts","ip","method","path","status","bytes"]}]},
        {"filePattern":"/var/log/nginx/*","kinesisStream":"csv"}]"#;
    let id = sim
        .add_producer(&format!(r#"{{"kind":"stock_ticks","stream":"csv","delivery":"agent","ratePerSecond":20,"webServer":{{"logFormat":"CSV"}},"agent":{{"flows":{flows}}}}}"#))
        .unwrap();
    sim.advance(5_050);
    let records = stored_records(&sim, "csv");
    assert_eq!(records.len() as u64, sim.producers.get(&id).unwrap().metrics.succeeded);
    assert!(records.len() >= 80, "only the first flow's file exists: {}", records.len());
    assert!(records.iter().all(|r| r["method"] == "GET" || r["method"] == "POST"));
    assert!(records.iter().all(|r| r["ts"] != "timestamp"), "the header line is skipped");
}

#[test]
fn the_agent_retries_throttled_records_until_they_are_in() {
    let mut sim = world_with_stream("busy", 1);
    let id = sim
        .add_producer(r#"{"kind":"game_events","stream":"busy","delivery":"agent","ratePerSecond":1500,"agent":{"flows":[{"filePattern":"/var/log/httpd/access_log","kinesisStream":"busy","maxBufferAgeMillis":1000}]}}"#)
        .unwrap();
    sim.advance(5_000);
    assert!(sim.set_producer_running(&id, false));
    sim.advance(30_000);
    let m = &sim.producers.get(&id).unwrap().metrics;
    assert!(m.throttled > 0 && m.retried > 0, "{m:?}");
    assert_eq!((m.succeeded, m.failed, m.in_flight), (7_500, 0, 0), "{m:?}");
}

#[test]
fn agent_configs_that_kinesim_cannot_honour_are_refused_clearly() {
    let mut sim = Sim::new(1);
    let err = |agent: &str| sim.clone().add_producer(&format!(r#"{{"kind":"tweets","stream":"s","delivery":"agent","agent":{agent}}}"#)).unwrap_err().0;
    assert!(err(r#"{"flows":[{"filePattern":"/x","deliveryStream":"d"}]}"#).starts_with("agent.flows[].deliveryStream needs a Firehose delivery stream"));
    assert_eq!(err(r#"{"flows":[{"filePattern":"/x","kinesisStream":"s","maxBufferAgeMillis":5}]}"#), "maxBufferAgeMillis must be a whole number from 1000 to 900000; got 5");
    assert_eq!(err(r#"{"flows":[]}"#), "agent.flows must be a non-empty list of flows; got []");
    assert_eq!(
        err(r#"{"flows":[{"filePattern":"/x","kinesisStream":"s","dataProcessingOptions":[{"optionName":"CSVTOJSON"}]}]}"#),
        "customFieldNames must be a non-empty list of strings; got nothing"
    );
    assert!(sim.add_producer(r#"{"kind":"tweets","stream":"s","delivery":"agent"}"#).is_ok(), "without agent.json one flow tails the server's log");
}

#[test]
fn a_producer_sending_every_500_ms_sends_each_interval_share_in_one_call_created_at_send_time() {
    let mut sim = world_with_stream("t", 2);
    let id = sim.add_producer(r#"{"kind":"game_events","stream":"t","ratePerSecond":800,"delivery":"put_records","sendIntervalMs":500}"#).unwrap();
    let start = sim.now_ms();
    sim.advance(10_000);
    let m = &sim.producers.get(&id).unwrap().metrics;
    assert_eq!((m.put_calls, m.attempted, m.succeeded), (20, 8_000, 8_000), "400 records every 500 ms, one call each");
    let arrivals: std::collections::BTreeSet<u64> =
        sim.kinesis.stream("t").unwrap().shards.iter().flat_map(|s| s.readable_after(0, 0, &sim.kinesis.sources)).map(|r| r.arrival_ms - start).collect();
    let gaps: Vec<u64> = arrivals.iter().zip(arrivals.iter().skip(1)).map(|(a, b)| b - a).collect();
    assert!(arrivals.len() == 20 && gaps.iter().all(|g| *g == 500), "records are created and sent on the interval: {arrivals:?}");
    assert_eq!(
        sim.add_producer(r#"{"kind":"tweets","stream":"t","sendIntervalMs":250}"#).unwrap_err().0,
        "sendIntervalMs must be a multiple of 100; got 250"
    );
}
