#![cfg(not(target_arch = "wasm32"))]
//! Determinism across step sizes: the same scenario advanced in 1 ms steps, in 1 s steps and
//! in one big step reaches the same state hash. A mismatch names the first virtual second
//! at which the runs differ.

mod common;

use kinesim::engine::sim::Sim;

const SECONDS: u64 = 20;

fn scenarios() -> Vec<(String, String)> {
    let mut files = common::example_scenarios();
    files.push(("host-run Lambda".into(), HOST_LAMBDA.into()));
    files
}

/// A Firehose transform run by the host: answered at the virtual instant it is invoked, as
/// the JS contract's `advance` does, so its effect cannot depend on the step size.
const HOST_LAMBDA: &str = r#"{
  "version": 1, "seed": 3,
  "streams": [{ "name": "s", "shardCount": 1 }],
  "buckets": ["bkt"],
  "roles": [{ "name": "r", "allowedActions": ["*"] }],
  "lambdas": [{ "name": "host_fn", "code": "(e) => e" }],
  "deliveryStreams": [{
    "DeliveryStreamName": "d", "DeliveryStreamType": "KinesisStreamAsSource",
    "KinesisStreamSourceConfiguration": { "KinesisStreamARN": "arn:aws:kinesis:us-east-1:123456789012:stream/s", "RoleARN": "arn:aws:iam::123456789012:role/r" },
    "ExtendedS3DestinationConfiguration": {
      "RoleARN": "arn:aws:iam::123456789012:role/r", "BucketARN": "arn:aws:s3:::bkt",
      "BufferingHints": { "SizeInMBs": 1, "IntervalInSeconds": 60 },
      "ProcessingConfiguration": { "Enabled": true, "Processors": [{ "Type": "Lambda", "Parameters": [
        { "ParameterName": "LambdaArn", "ParameterValue": "arn:aws:lambda:us-east-1:123456789012:function:host_fn" },
        { "ParameterName": "BufferIntervalInSeconds", "ParameterValue": "3" }] }] }
    }
  }],
  "producers": [{ "kind": "tweets", "stream": "s", "ratePerSecond": 50 }],
  "consumers": [{ "kind": "kcl", "stream": "s", "name": "app" }, { "kind": "lambda", "stream": "s", "name": "f", "functionErrorPercent": 20 }]
}"#;

/// Advances `ms`, answering each host-run invocation at the instant it is made.
fn step(sim: &mut Sim, ms: u64) {
    let until = sim.now_ms() + ms;
    loop {
        for p in sim.pending_invocations() {
            let records: Vec<serde_json::Value> = serde_json::from_str::<serde_json::Value>(&p.payload_json).unwrap()["records"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| serde_json::json!({ "recordId": r["recordId"], "result": "Ok", "data": r["data"] }))
                .collect();
            sim.complete_invocation(p.id, Ok(serde_json::json!({ "records": records }).to_string())).unwrap();
        }
        if !sim.advance_until_invocation(until) {
            return;
        }
    }
}

/// The state hash at the end of every virtual second, stepping `step_ms` at a time.
fn hashes_per_second(text: &str, step_ms: u64) -> Vec<(u64, String)> {
    let mut sim = Sim::from_scenario(text).unwrap();
    let mut out = Vec::new();
    for _ in 0..SECONDS {
        for _ in 0..1_000 / step_ms {
            step(&mut sim, step_ms);
        }
        out.push((sim.now_ms(), sim.state_hash()));
    }
    out
}

fn first_difference(a: &[(u64, String)], b: &[(u64, String)]) -> Option<u64> {
    a.iter().zip(b).find(|(x, y)| x != y).map(|(x, _)| x.0)
}

#[test]
fn one_ms_steps_one_second_steps_and_one_big_step_reach_the_same_state() {
    for (name, text) in scenarios() {
        let fine = hashes_per_second(&text, 1);
        let coarse = hashes_per_second(&text, 1_000);
        if let Some(at) = first_difference(&fine, &coarse) {
            panic!("{name}: 1 ms and 1 s steps first differ at virtual time {at} ms");
        }
        let mut big = Sim::from_scenario(&text).unwrap();
        step(&mut big, SECONDS * 1_000);
        let (at, hash) = coarse.last().unwrap();
        assert_eq!(&big.state_hash(), hash, "{name}: one {SECONDS} s step differs from 1 s steps at virtual time {at} ms");
    }
}
