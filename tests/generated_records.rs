//! A built-in producer's records are stored as references and rendered when read. Over random
//! histories (producing, hand-typed records amid them, splits, retention trimming) every
//! stored record comes back through GetRecords, in order, with its sequence number, arrival
//! time, key and size, and with exactly the bytes the producer would have sent.
#![cfg(not(target_arch = "wasm32"))]

use base64::Engine as _;
use kinesim::engine::producers::generator::Moment;
use kinesim::engine::sim::Sim;
use kinesim::engine::streams::hashing::hash_key;
use kinesim::engine::streams::shard::Stored;
use kinesim::engine::streams::sequence::{decode, Decoded};
use proptest::prelude::*;
use serde_json::{json, Value};

#[derive(Debug, Clone)]
enum Step {
    /// A record typed by hand, between the producer's.
    Type { key: u8, len: u8 },
    Split { pick: u8 },
    Toggle,
    Advance { ms: u32 },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (any::<u8>(), any::<u8>()).prop_map(|(key, len)| Step::Type { key, len }),
        1 => any::<u8>().prop_map(|pick| Step::Split { pick }),
        1 => Just(Step::Toggle),
        // 25 hours: past the default 24-hour retention, so trimming happens mid-history.
        4 => prop_oneof![0u32..1_000, 1_000u32..5_000].prop_map(|ms| Step::Advance { ms }),
        1 => Just(Step::Advance { ms: 25 * 3_600_000 }),
    ]
}

fn call(sim: &mut Sim, action: &str, body: Value) -> (u16, Value) {
    let r = sim.dispatch(&format!("Kinesis_20131202.{action}"), body.to_string().as_bytes());
    (r.status, serde_json::from_str(&r.body).unwrap_or(Value::Null))
}

/// One record as GetRecords returned it: sequence number, arrival ms, key, bytes.
type Read = (String, u64, String, Vec<u8>);

/// Every record of shard `shard_id` from TRIM_HORIZON, waiting out read throttles.
fn read_all(sim: &mut Sim, shard_id: &str) -> Vec<Read> {
    let (_, it) = call(sim, "GetShardIterator", json!({"StreamName": "s", "ShardId": shard_id, "ShardIteratorType": "TRIM_HORIZON"}));
    let mut iterator = it["ShardIterator"].as_str().map(String::from);
    let mut out = Vec::new();
    while let Some(current) = iterator {
        let (status, page) = call(sim, "GetRecords", json!({"ShardIterator": current}));
        if status != 200 {
            assert_eq!(page["__type"], "ProvisionedThroughputExceededException", "{page}");
            sim.advance(1_000);
            iterator = Some(current);
            continue;
        }
        let records = page["Records"].as_array().cloned().unwrap_or_default();
        for r in &records {
            let data = base64::engine::general_purpose::STANDARD.decode(r["Data"].as_str().unwrap()).unwrap();
            let arrival_ms = (r["ApproximateArrivalTimestamp"].as_f64().unwrap() * 1000.0).round() as u64;
            out.push((r["SequenceNumber"].as_str().unwrap().to_string(), arrival_ms, r["PartitionKey"].as_str().unwrap().to_string(), data));
        }
        // An open shard's iterator never ends: stop at its tip.
        iterator = page["NextShardIterator"].as_str().filter(|_| !records.is_empty()).map(String::from);
    }
    out
}

fn run(kind: &str, keys: &str, steps: Vec<Step>) {
    let mut sim = Sim::new(11);
    call(&mut sim, "CreateStream", json!({"StreamName": "s", "ShardCount": 2}));
    sim.advance(30_000);
    let producer = sim
        .add_producer(&format!(r#"{{"kind":"{kind}","stream":"s","ratePerSecond":40,"delivery":"put_records","keys":{{"strategy":"{keys}"}}}}"#))
        .unwrap();
    let mut running = true;
    let mut typed: Vec<(String, Vec<u8>, u64)> = Vec::new();
    for (i, step) in steps.into_iter().enumerate() {
        match step {
            Step::Type { key, len } => {
                let data = format!("typed {i} {}", "y".repeat(usize::from(len % 40))).into_bytes();
                let b64 = base64::engine::general_purpose::STANDARD.encode(&data);
                let (status, out) = call(&mut sim, "PutRecord", json!({"StreamName": "s", "PartitionKey": format!("t{key}"), "Data": b64}));
                if status == 200 {
                    typed.push((out["SequenceNumber"].as_str().unwrap().to_string(), data, sim.now_ms()));
                }
            }
            Step::Split { pick } => {
                let open: Vec<(String, u128, u128)> =
                    sim.kinesis.stream("s").unwrap().open_shards().map(|s| (s.id(), s.hash_range.start, s.hash_range.end)).collect();
                let (id, start, end) = &open[usize::from(pick) % open.len()];
                let middle = start + (end - start) / 2;
                call(&mut sim, "SplitShard", json!({"StreamName": "s", "ShardToSplit": id, "NewStartingHashKey": middle.to_string()}));
            }
            Step::Toggle => {
                running = !running;
                sim.set_producer_running(&producer, running);
            }
            // Hours pass with the producer paused: millions of records would only slow the test.
            Step::Advance { ms } if ms > 60_000 => {
                sim.set_producer_running(&producer, false);
                sim.advance(u64::from(ms));
                sim.set_producer_running(&producer, running);
            }
            Step::Advance { ms } => sim.advance(u64::from(ms)),
        }
    }
    sim.set_producer_running(&producer, false);
    let horizon = sim.kinesis.stream("s").unwrap().trim_horizon_ms(sim.now_ms());
    // What the store holds, unexpired, shard by shard, as the producer would have sent it.
    let shards: Vec<(String, Vec<Read>)> = sim
        .kinesis
        .stream("s")
        .unwrap()
        .shards
        .iter()
        .map(|shard| {
            let want = shard
                .readable_after(0, horizon, &sim.kinesis.sources)
                .map(|r| {
                    let data = match &r.stored {
                        Stored::Generated { source, index, route } => {
                            let source = sim.kinesis.sources.get(*source).expect("a stored record's source is registered");
                            let sent = source.record(*index, &Moment::at(r.arrival_ms));
                            let sent_route = (hash_key(&sent.partition_key), sent.partition_key.len() as u32, sent.data.len() as u32);
                            assert_eq!(sent_route, (route.hash, route.key_len, route.size), "the stored route is the sent record's");
                            sent.data
                        }
                        Stored::Alone(_) => r.read_data(&sim.kinesis.sources).bytes().to_vec(),
                    };
                    (shard.sequence_number(r.counter, r.arrival_ms).to_decimal(), r.arrival_ms, r.partition_key(&sim.kinesis.sources), data)
                })
                .collect();
            (shard.id(), want)
        })
        .collect();
    let mut read_typed = 0;
    for (shard_id, want) in shards {
        let got = read_all(&mut sim, &shard_id);
        assert_eq!(got, want, "GetRecords on {shard_id} returns exactly what is stored");
        for w in got.windows(2) {
            let counter = |s: &str| match decode(s) {
                Some(Decoded::V2(n)) => n.counter,
                _ => panic!("undecodable sequence number {s}"),
            };
            assert!(counter(&w[0].0) < counter(&w[1].0) && w[0].1 <= w[1].1, "order on {shard_id}");
        }
        for (seq, _, _, data) in &got {
            match typed.iter().find(|t| &t.0 == seq) {
                Some(t) => {
                    assert_eq!(&t.1, data, "a hand-typed record keeps its bytes");
                    read_typed += 1;
                }
                None => assert!(serde_json::from_slice::<Value>(data).is_ok(), "a producer's record is JSON"),
            }
        }
    }
    let unexpired = typed.iter().filter(|t| t.2 >= horizon).count();
    assert_eq!(read_typed, unexpired, "every unexpired hand-typed record is read back");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, ..ProptestConfig::default() })]

    #[test]
    fn stored_references_read_back_as_the_records_sent(
        kind in prop_oneof![Just("tweets"), Just("stock_ticks"), Just("game_events")],
        keys in prop_oneof![Just("natural"), Just("random"), Just("few"), Just("hot"), Just("zipf")],
        steps in prop::collection::vec(step(), 1..14),
    ) {
        run(kind, keys, steps);
    }
}

#[test]
fn references_survive_a_split_and_a_partial_trim_amid_typed_records() {
    run(
        "tweets",
        "natural",
        vec![
            Step::Advance { ms: 2_000 },
            Step::Type { key: 1, len: 5 },
            Step::Advance { ms: 20 * 3_600_000 },
            Step::Split { pick: 0 },
            Step::Type { key: 2, len: 9 },
            // The first second of records falls out of retention, the next stays.
            Step::Advance { ms: 4 * 3_600_000 - 1_000 },
        ],
    );
}
