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
