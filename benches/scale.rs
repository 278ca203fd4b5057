//! `make bench`: the scale bench (benches/scale.json, issue 8) run natively. Prints wall time,
//! peak resident memory, the records still retained and the bytes each costs, and what that
//! projects to for a whole simulated day. Figures, not a test.

use kinesim::engine::iam::FIREHOSE_DEFAULT_ACTIONS;
use kinesim::engine::sim::Sim;
use serde_json::Value;
use std::time::Instant;

/// Peak resident set size of this process in bytes (Linux's VmHWM), 0 where unknown.
fn peak_rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status.lines().find_map(|l| l.strip_prefix("VmHWM:")).and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
    kib.unwrap_or(0) * 1024
}

fn main() {
    let scenario: Value = serde_json::from_str(include_str!("scale.json")).expect("benches/scale.json is valid JSON");
    let virtual_s = std::env::var("SCALE_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| scenario["virtualSeconds"].as_u64().unwrap_or(300));
    let day_s = scenario["daySeconds"].as_u64().unwrap_or(86_400);
    let mut sim = Sim::new(1);
    let now = sim.now_ms();
    sim.s3.create_bucket(scenario["bucket"].as_str().unwrap_or("scale-bench"), now).expect("bench bucket");
    let actions: Vec<String> = FIREHOSE_DEFAULT_ACTIONS.iter().map(|a| a.to_string()).collect();
    let role = sim.iam.put_role("scale-bench-firehose", &actions).expect("bench role");
    let create = serde_json::json!({"StreamName": scenario["stream"], "ShardCount": scenario["shards"]}).to_string();
    sim.dispatch("Kinesis_20131202.CreateStream", create.as_bytes());
    sim.advance(scenario["warmupSeconds"].as_u64().unwrap_or(30) * 1000);
    let delivery = scenario["deliveryStream"].to_string().replace("ROLE", &role);
    let created = sim.dispatch("Firehose_20150804.CreateDeliveryStream", delivery.as_bytes());
    assert_eq!(created.status, 200, "bench delivery stream: {}", created.body);
    for p in scenario["producers"].as_array().into_iter().flatten() {
        sim.add_producer(&p.to_string()).expect("bench producer config");
    }
    let consumers: Vec<String> = scenario["consumers"].as_array().into_iter().flatten().map(|c| sim.add_consumer(&c.to_string()).expect("bench consumer config")).collect();
    let started = Instant::now();
    for _ in 0..virtual_s {
        sim.advance(1_000);
    }
    let wall_s = started.elapsed().as_secs_f64();
    let stream = sim.kinesis.stream("day");
    let retained: u64 = stream.map_or(0, |s| s.shards.iter().map(|sh| sh.readable_count(0, 0)).sum());
    let written: u64 = stream.map_or(0, |s| s.shards.iter().map(|sh| sh.totals.records_in).sum());
    let peak = peak_rss_bytes();
    let processed: Vec<String> = consumers.iter().filter_map(|c| sim.consumer_progress(c)).map(|p| {
        let v: Value = serde_json::from_str(&p).unwrap_or_default();
        format!("{} {}", v["name"], v["totals"]["processed"])
    }).collect();
    let delivered = sim.firehose.stream("day-archive").map_or(0, |f| f.tally.delivered);
    let mib = |b: f64| b / (1024.0 * 1024.0);
    let per_record = peak as f64 / retained.max(1) as f64;
    println!(
        "native scale: {virtual_s} virtual s in {wall_s:.2} wall s ({:.0}x); {written} records written, {retained} retained, peak RSS {:.1} MiB = {per_record:.0} bytes per retained record; Firehose delivered {delivered}; processed: {}",
        virtual_s as f64 / wall_s,
        mib(peak as f64),
        processed.join(", ")
    );
    println!(
        "native scale, projected to {day_s} virtual s (linear): {:.0} wall s, {:.0} MiB for the {:.0} M records a day at this rate (goal: < 30 s, < 256 MiB in wasm)",
        wall_s * day_s as f64 / virtual_s as f64,
        mib(per_record * written as f64 * day_s as f64 / virtual_s as f64),
        written as f64 * day_s as f64 / virtual_s as f64 / 1e6
    );
}
