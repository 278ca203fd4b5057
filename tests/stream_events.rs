//! The event log tells what happened to a stream: ACTIVE, throttles (one line per shard per
//! second with a count), reshards with their lineage, records expiring at retention.
#![cfg(not(target_arch = "wasm32"))]

use kinesim::engine::events::EventKind;
use kinesim::engine::sim::Sim;

fn call(sim: &mut Sim, action: &str, body: &str) -> u16 {
    sim.dispatch(&format!("Kinesis_20131202.{action}"), body.as_bytes()).status
}

#[test]
fn a_streams_life_in_events() {
    let mut sim = Sim::new(1);
    assert_eq!(call(&mut sim, "CreateStream", r#"{"StreamName":"s","ShardCount":1}"#), 200);
    sim.advance(60_000);
    // 600 KiB twice in one instant: the second write is over 1 MiB/s.
    let big = format!(r#"{{"StreamName":"s","PartitionKey":"k","Data":"{}"}}"#, "A".repeat(819_200));
    assert_eq!(call(&mut sim, "PutRecord", &big), 200);
    for _ in 0..3 {
        assert_eq!(call(&mut sim, "PutRecord", &big), 400);
    }
    let split = r#"{"StreamName":"s","ShardToSplit":"shardId-000000000000","NewStartingHashKey":"170141183460469231731687303715884105728"}"#;
    assert_eq!(call(&mut sim, "SplitShard", split), 200);
    sim.advance(25 * 3_600_000);

    let events: Vec<_> = sim.kinesis.events.newest().collect();
    let find = |pred: &dyn Fn(&EventKind) -> bool| events.iter().find(|e| pred(&e.kind)).copied();
    assert!(find(&|k| matches!(k, EventKind::StreamActive { stream } if stream == "s")).is_some());
    let throttled = find(&|k| matches!(k, EventKind::WriteThrottled { shard, .. } if shard == "shardId-000000000000")).unwrap();
    assert_eq!(throttled.count, 3, "three refused writes within a second are one event");
    let reshard = find(&|k| matches!(k, EventKind::Resharded { .. })).unwrap();
    assert_eq!(
        reshard.kind,
        EventKind::Resharded {
            stream: "s".into(),
            closed: vec!["shardId-000000000000".into()],
            opened: vec!["shardId-000000000001".into(), "shardId-000000000002".into()],
        }
    );
    let expired = find(&|k| matches!(k, EventKind::RecordsExpired { .. })).unwrap();
    assert_eq!(expired.count, 1, "the one accepted record expires after 24 h");
    assert!(find(&|k| matches!(k, EventKind::ShardExpired { shard, .. } if shard == "shardId-000000000000")).is_some());
}

#[test]
fn shard_views_show_the_live_write_rate() {
    let mut sim = Sim::new(1);
    assert_eq!(call(&mut sim, "CreateStream", r#"{"StreamName":"s","ShardCount":1}"#), 200);
    sim.advance(60_000);
    // 800 records/s for 3 s: the live rate is 800/s, well before the minute's metrics catch up.
    for _ in 0..300 {
        for _ in 0..8 {
            assert_eq!(call(&mut sim, "PutRecord", r#"{"StreamName":"s","PartitionKey":"k","Data":"AAAA"}"#), 200);
        }
        sim.advance(10);
    }
    let now = sim.now_ms();
    let shard = &sim.kinesis.shard_views("s", now).unwrap()[0];
    assert!((shard.incoming_records_per_s - 800.0).abs() < 1.0, "{}", shard.incoming_records_per_s);
    assert!((shard.incoming_bytes_per_s - 800.0 * 4.0).abs() < 10.0, "key (1 B) + data (3 B) per record");
}
