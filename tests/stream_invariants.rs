//! Property tests over random histories of creates, puts, splits, merges, shard count
//! updates, retention changes and time advances:
//! - the open shards' hash ranges cover 0..2^128-1 exactly once;
//! - sequence numbers strictly increase per shard;
//! - every acknowledged record is readable, in order, on its shard until its retention ends,
//!   and never after.
#![cfg(not(target_arch = "wasm32"))]

use kinesim::engine::sim::Sim;
use kinesim::engine::streams::sequence::{decode, Decoded};
use kinesim::engine::streams::shard::parse_shard_id;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
enum Step {
    Put { key: u8, len: u8 },
    PutBatch { keys: Vec<u8> },
    Split { pick: u8, at: u8 },
    Merge { pick: u8 },
    UpdateShardCount { factor: u8 },
    Retention { hours: u16 },
    Advance { ms: u32 },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (any::<u8>(), any::<u8>()).prop_map(|(key, len)| Step::Put { key, len }),
        2 => prop::collection::vec(any::<u8>(), 1..20).prop_map(|keys| Step::PutBatch { keys }),
        1 => (any::<u8>(), 1u8..255).prop_map(|(pick, at)| Step::Split { pick, at }),
        1 => any::<u8>().prop_map(|pick| Step::Merge { pick }),
        1 => (0u8..4).prop_map(|factor| Step::UpdateShardCount { factor }),
        1 => prop_oneof![Just(24u16), Just(25), Just(48), Just(100)].prop_map(|hours| Step::Retention { hours }),
        3 => prop_oneof![0u32..2_000, 10_000u32..60_000, Just(3_600_000), Just(20 * 3_600_000)].prop_map(|ms| Step::Advance { ms }),
    ]
}

/// An acknowledged record: where AWS said it went, and when.
#[derive(Debug, Clone)]
struct Acked {
    shard: u32,
    counter: u64,
    arrival_ms: u64,
    data: String,
}

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

fn ack(sim: &Sim, out: &Value, data: &str, acked: &mut Vec<Acked>) {
    let shard = out["ShardId"]
        .as_str()
        .and_then(parse_shard_id)
        .expect("shard id");
    let Some(Decoded::V2(seq)) = out["SequenceNumber"].as_str().and_then(decode) else {
        panic!("bad sequence number {out}")
    };
    assert_eq!(seq.shard_index, shard, "sequence number encodes its shard");
    acked.push(Acked {
        shard,
        counter: seq.counter,
        arrival_ms: sim.now_ms(),
        data: data.to_string(),
    });
}

fn open_ranges_tile_the_key_space(sim: &Sim) {
    let Some(stream) = sim.kinesis.stream("s") else {
        return;
    };
    let mut ranges: Vec<(u128, u128)> = stream
        .open_shards()
        .map(|s| (s.hash_range.start, s.hash_range.end))
        .collect();
    if ranges.is_empty() {
        return;
    }
    ranges.sort();
    assert_eq!(ranges[0].0, 0, "coverage starts at 0");
    for w in ranges.windows(2) {
        assert_eq!(
            w[0].1.checked_add(1),
            Some(w[1].0),
            "gap or overlap between open shards"
        );
    }
    assert_eq!(
        ranges.last().map(|r| r.1),
        Some(u128::MAX),
        "coverage ends at 2^128-1"
    );
}

fn sequence_numbers_increase_per_shard(sim: &Sim) {
    let Some(stream) = sim.kinesis.stream("s") else {
        return;
    };
    for shard in &stream.shards {
        let seqs: Vec<String> = shard
            .readable_after(0, 0, &sim.kinesis.sources)
            .map(|r| shard.sequence_number(r.counter, r.arrival_ms).to_decimal())
            .collect();
        for w in seqs.windows(2) {
            assert!(
                (w[0].len(), &w[0]) < (w[1].len(), &w[1]),
                "{} !< {} on {}",
                w[0],
                w[1],
                shard.id()
            );
        }
    }
}

fn acknowledged_records_are_readable_until_retention_ends(sim: &Sim, acked: &mut Vec<Acked>) {
    let Some(stream) = sim.kinesis.stream("s") else {
        return;
    };
    let horizon = stream.trim_horizon_ms(sim.now_ms());
    // Once past retention a record is gone for good, even if retention grows later.
    acked.retain(|a| a.arrival_ms >= horizon);
    let mut expected: BTreeMap<u32, Vec<(u64, String)>> = BTreeMap::new();
    for a in acked.iter() {
        expected
            .entry(a.shard)
            .or_default()
            .push((a.counter, a.data.clone()));
    }
    for (index, want) in expected {
        let shard = stream
            .shard(index)
            .unwrap_or_else(|| panic!("shard {index} vanished while it holds unexpired records"));
        let got: Vec<(u64, String)> = shard
            .readable_after(0, horizon, &sim.kinesis.sources)
            .map(|r| (r.counter, String::from_utf8_lossy(&r.read_data(&sim.kinesis.sources).bytes()).into_owned()))
            .collect();
        assert_eq!(got, want, "records of shard {index}");
    }
}

fn run(steps: Vec<Step>) {
    let mut sim = Sim::new(3);
    let mut acked: Vec<Acked> = Vec::new();
    call(
        &mut sim,
        "CreateStream",
        json!({"StreamName": "s", "ShardCount": 2}),
    );
    sim.advance(30_000);
    for (i, step) in steps.into_iter().enumerate() {
        let open: Vec<(u32, u128, u128)> = sim
            .kinesis
            .stream("s")
            .map(|s| {
                s.open_shards()
                    .map(|x| (x.index, x.hash_range.start, x.hash_range.end))
                    .collect()
            })
            .unwrap_or_default();
        match step {
            Step::Put { key, len } => {
                let data = format!("{i}:{}", "x".repeat(usize::from(len % 16)));
                let b64 = base64_encode(&data);
                let (status, out) = call(
                    &mut sim,
                    "PutRecord",
                    json!({"StreamName": "s", "PartitionKey": key.to_string(), "Data": b64}),
                );
                if status == 200 {
                    ack(&sim, &out, &data, &mut acked);
                }
            }
            Step::PutBatch { keys } => {
                let datas: Vec<String> = keys
                    .iter()
                    .enumerate()
                    .map(|(j, _)| format!("{i}.{j}"))
                    .collect();
                let records: Vec<Value> = keys
                    .iter()
                    .zip(&datas)
                    .map(
                        |(k, d)| json!({"PartitionKey": format!("k{k}"), "Data": base64_encode(d)}),
                    )
                    .collect();
                let (status, out) = call(
                    &mut sim,
                    "PutRecords",
                    json!({"StreamName": "s", "Records": records}),
                );
                if status == 200 {
                    for (entry, d) in out["Records"]
                        .as_array()
                        .expect("records")
                        .iter()
                        .zip(&datas)
                    {
                        if entry.get("SequenceNumber").is_some() {
                            ack(&sim, entry, d, &mut acked);
                        }
                    }
                }
            }
            Step::Split { pick, at } => {
                if let Some(&(index, start, end)) = open.get(usize::from(pick) % open.len().max(1))
                {
                    let key = start + (end - start) / 256 * u128::from(at);
                    call(
                        &mut sim,
                        "SplitShard",
                        json!({"StreamName": "s", "ShardToSplit": format!("shardId-{index:012}"), "NewStartingHashKey": key.to_string()}),
                    );
                }
            }
            Step::Merge { pick } => {
                let mut sorted = open.clone();
                sorted.sort_by_key(|x| x.1);
                if sorted.len() >= 2 {
                    let j = usize::from(pick) % (sorted.len() - 1);
                    call(
                        &mut sim,
                        "MergeShards",
                        json!({"StreamName": "s", "ShardToMerge": format!("shardId-{:012}", sorted[j].0), "AdjacentShardToMerge": format!("shardId-{:012}", sorted[j + 1].0)}),
                    );
                }
            }
            Step::UpdateShardCount { factor } => {
                let n = open.len().max(1);
                let target = [n.div_ceil(2), n, n + 1, 2 * n][usize::from(factor)].clamp(1, 16);
                call(
                    &mut sim,
                    "UpdateShardCount",
                    json!({"StreamName": "s", "TargetShardCount": target, "ScalingType": "UNIFORM_SCALING"}),
                );
            }
            Step::Retention { hours } => {
                let current = sim.kinesis.stream("s").map_or(24, |s| s.retention_hours);
                let action = if u32::from(hours) >= current {
                    "IncreaseStreamRetentionPeriod"
                } else {
                    "DecreaseStreamRetentionPeriod"
                };
                call(
                    &mut sim,
                    action,
                    json!({"StreamName": "s", "RetentionPeriodHours": hours}),
                );
            }
            Step::Advance { ms } => sim.advance(u64::from(ms)),
        }
        open_ranges_tile_the_key_space(&sim);
        sequence_numbers_increase_per_shard(&sim);
        acknowledged_records_are_readable_until_retention_ends(&sim, &mut acked);
    }
}

fn base64_encode(s: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(s)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn stream_invariants_hold_over_random_histories(steps in prop::collection::vec(step(), 1..60)) {
        run(steps);
    }
}

#[test]
fn records_survive_a_split_then_expire_with_their_parent() {
    run(vec![
        Step::PutBatch {
            keys: (0..19).collect(),
        },
        Step::Split { pick: 0, at: 128 },
        Step::Advance { ms: 20_000 },
        Step::PutBatch {
            keys: (0..19).collect(),
        },
        Step::Advance { ms: 20 * 3_600_000 },
        Step::Advance { ms: 20 * 3_600_000 },
    ]);
}
