//! PutRecords throughput through `Sim::dispatch`, natively, next to the cost of the MD5 that
//! routing a record needs. Prints figures; asserts nothing about speed.
//!
//! Run with `make bench` (or `cargo bench --bench put_records`).

use kinesim::engine::producers::generator::{RecordKind, Source};
use kinesim::engine::producers::keys::KeyStrategy;
use kinesim::engine::rng::SimRng;
use kinesim::engine::sim::Sim;
use base64::Engine as _;
use kinesim::engine::streams::hashing::hash_key;
use kinesim::engine::streams::records::RecordInput;
use std::hint::black_box;
use std::time::Instant;

const CALLS: usize = 400;
const RECORDS_PER_CALL: usize = 500;
const DATA_BYTES: usize = 100;
const SHARDS: u32 = 4;

fn main() {
    let mut sim = Sim::new(42);
    let create = format!(r#"{{"StreamName":"bench","ShardCount":{SHARDS}}}"#);
    assert_eq!(sim.dispatch("Kinesis_20131202.CreateStream", create.as_bytes()).status, 200);
    sim.advance(60_000);

    let mut rng = SimRng::from_seed(7);
    let data = base64::engine::general_purpose::STANDARD.encode([b'x'; DATA_BYTES]);
    let keys: Vec<String> = (0..CALLS * RECORDS_PER_CALL).map(|_| format!("user-{:016x}", rng.next_u64())).collect();
    let bodies: Vec<String> = keys
        .chunks(RECORDS_PER_CALL)
        .map(|chunk| {
            let records: Vec<String> =
                chunk.iter().map(|k| format!(r#"{{"PartitionKey":"{k}","Data":"{data}"}}"#)).collect();
            format!(r#"{{"StreamName":"bench","Records":[{}]}}"#, records.join(","))
        })
        .collect();

    // 500 records per virtual second across 4 shards stays far below 4,000 records/s: nothing throttles.
    let start = Instant::now();
    let mut failed = 0u64;
    for body in &bodies {
        let r = sim.dispatch("Kinesis_20131202.PutRecords", body.as_bytes());
        failed += u64::from(!r.body.contains(r#""FailedRecordCount":0"#));
        sim.advance(1_000);
    }
    let put_secs = start.elapsed().as_secs_f64();
    let records = (CALLS * RECORDS_PER_CALL) as f64;

    let start = Instant::now();
    for k in &keys {
        black_box(hash_key(black_box(k)));
    }
    let md5_ns = start.elapsed().as_nanos() as f64 / records;

    let stream = sim.kinesis.stream("bench").expect("stream exists");
    let start = Instant::now();
    for k in &keys {
        black_box(stream.route(hash_key(black_box(k))));
    }
    let route_ns = start.elapsed().as_nanos() as f64 / records;

    // The same records through the engine's typed entry point: no JSON, no base64.
    let batches: Vec<Vec<RecordInput>> = keys
        .chunks(RECORDS_PER_CALL)
        .map(|chunk| {
            chunk
                .iter()
                .map(|k| RecordInput { partition_key: k.clone(), data: vec![b'x'; DATA_BYTES].into(), explicit_hash_key: None })
                .collect()
        })
        .collect();
    // Only the calls are timed; the virtual second between them is the world's, not the record's.
    let mut engine = std::time::Duration::ZERO;
    for batch in batches {
        let now = sim.now_ms();
        let start = Instant::now();
        black_box(sim.kinesis.put_records(now, "bench", batch).ok());
        engine += start.elapsed();
        sim.advance(1_000);
    }
    let engine_ns = engine.as_nanos() as f64 / records;

    let per_record_ns = put_secs * 1e9 / records;
    println!("native PutRecords ({RECORDS_PER_CALL} x {DATA_BYTES} B, random keys, {SHARDS} shards, {CALLS} calls)");
    println!("  records/s through dispatch : {:>12.0}", records / put_secs);
    println!("  dispatch ns per record     : {per_record_ns:>12.0}   (JSON, base64, validation, engine)");
    println!("  engine ns per record       : {engine_ns:>12.0}   (typed put_records: route, admit, store, metrics)");
    println!("  MD5 of the key, ns         : {md5_ns:>12.0}");
    println!("  routing (MD5 + shard), ns  : {route_ns:>12.0}");
    println!("  engine / MD5               : {:>12.1}x", engine_ns / md5_ns);
    println!("  dispatch / MD5             : {:>12.1}x", per_record_ns / md5_ns);
    println!("  calls with a failed record : {failed:>12}");
    route_costs();
}

/// What a stream pays per generated record to route, admit and find it again: `Source::route`
/// (key hash, key length, size) for each built-in generator, natural keys and random keys.
fn route_costs() {
    const ROUTES: u64 = 200_000;
    // 2026-01-01, one record per millisecond: the times a stream sees.
    const START_MS: u64 = 1_767_225_600_000;
    println!("native Source::route ({ROUTES} records per line)");
    for kind in [RecordKind::Tweets, RecordKind::StockTicks, RecordKind::GameEvents] {
        for (label, keys) in [("natural", KeyStrategy::Natural), ("random", KeyStrategy::Random)] {
            let source = Source { kind, seed: 42, keys, use_alternate: false, min_size: 0 };
            let start = Instant::now();
            for i in 0..ROUTES {
                black_box(source.route(black_box(i), START_MS + i));
            }
            let ns = start.elapsed().as_nanos() as f64 / ROUTES as f64;
            println!("  {:<28} ns per route : {ns:>8.1}", format!("{kind:?}, {label} keys"));
        }
    }
}
