//! `make bench`: the standard scenario (benches/scenario.json) run natively; prints how many
//! virtual seconds the engine simulates per wall-clock second. A figure, not a test.

use kinesim::engine::sim::Sim;
use serde_json::Value;
use std::time::Instant;

fn main() {
    let scenario: Value = serde_json::from_str(include_str!("scenario.json")).expect("benches/scenario.json is valid JSON");
    let mut sim = Sim::new(1);
    let create = serde_json::json!({"StreamName": scenario["stream"], "ShardCount": scenario["shards"]}).to_string();
    sim.dispatch("Kinesis_20131202.CreateStream", create.as_bytes());
    sim.advance(scenario["warmupSeconds"].as_u64().unwrap_or(30) * 1000);
    for p in scenario["producers"].as_array().into_iter().flatten() {
        sim.add_producer(&p.to_string()).expect("bench producer config");
    }
    let consumers: Vec<String> =
        scenario["consumers"].as_array().into_iter().flatten().map(|c| sim.add_consumer(&c.to_string()).expect("bench consumer config")).collect();
    let virtual_s = scenario["virtualSeconds"].as_u64().unwrap_or(60);
    let started = Instant::now();
    for _ in 0..virtual_s {
        sim.advance(1_000);
    }
    let wall_s = started.elapsed().as_secs_f64();
    let records: u64 = sim.kinesis.stream("bench").map_or(0, |s| s.shards.iter().map(|sh| sh.totals.records_in).sum());
    let processed: Vec<String> = consumers.iter().filter_map(|c| sim.consumer_progress(c)).map(|p| {
        let v: Value = serde_json::from_str(&p).unwrap_or_default();
        format!("{} {}", v["name"], v["totals"]["processed"])
    }).collect();
    println!("native: {virtual_s} virtual s in {wall_s:.2} wall s = {:.0}x (virtual seconds per wall second); {records} Kinesis records stored; processed: {}", virtual_s as f64 / wall_s, processed.join(", "));
}
