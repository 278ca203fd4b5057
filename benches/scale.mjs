// `make bench`: the scale bench (benches/scale.json, issue 8) on the release Node build of the
// wasm engine. Prints wall time, peak wasm memory (the WebAssembly.Memory buffer's byte length),
// bytes per retained record, and the projection to a whole simulated day. Figures, not a test.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const { Simulator } = createRequire(import.meta.url)('../target/pkg-node-release/kinesim.js');
const scenario = JSON.parse(readFileSync(new URL('./scale.json', import.meta.url), 'utf8'));
const virtualS = Number(process.env.SCALE_SECONDS ?? scenario.virtualSeconds);

const sim = new Simulator(1);
sim.createBucket(scenario.bucket);
const role = sim.putRole('scale-bench-firehose', JSON.stringify(['s3:PutObject', 'lambda:InvokeFunction']));
sim.dispatch('Kinesis_20131202.CreateStream', JSON.stringify({ StreamName: scenario.stream, ShardCount: scenario.shards }));
sim.advance(scenario.warmupSeconds * 1000);
const created = sim.dispatch('Firehose_20150804.CreateDeliveryStream', JSON.stringify(scenario.deliveryStream).replaceAll('ROLE', role));
if (created.status !== 200) throw new Error(`bench delivery stream: ${created.body}`);
const producers = scenario.producers.map((p) => sim.addProducer(JSON.stringify(p)));
const consumers = scenario.consumers.map((c) => sim.addConsumer(JSON.stringify(c)));
const started = performance.now();
for (let s = 0; s < virtualS; s += 1) sim.advance(1000);
const wallS = (performance.now() - started) / 1000;
const memory = Simulator.wasmMemoryBytes();
const mib = (b) => (b / 1024 / 1024).toFixed(1);
const written = producers.reduce((n, p) => n + JSON.parse(sim.producerMetrics(p)).succeeded, 0);
const processed = consumers.map((c) => { const p = JSON.parse(sim.consumerProgress(c)); return `"${p.name}" ${p.totals.processed}`; });
// Printed before the read-back below, which takes longer than the run itself for a whole day.
for (const p of producers) sim.removeProducer(p);
console.log(`wasm (Node) scale: ${virtualS} virtual s in ${wallS.toFixed(2)} wall s (${(virtualS / wallS).toFixed(0)}x); ${written} records written; peak wasm memory ${mib(memory)} MiB = ${(memory / Math.max(written, 1)).toFixed(1)} bytes per written record; processed: ${processed.join(', ')}`);

// Retained records: every record of each shard from TRIM_HORIZON, counted through GetRecords.
const call = (target, body) => JSON.parse(sim.dispatch(target, JSON.stringify(body)).body);
const shards = call('Kinesis_20131202.ListShards', { StreamName: scenario.stream }).Shards;
let retained = 0;
for (const shard of shards) {
  let it = call('Kinesis_20131202.GetShardIterator', { StreamName: scenario.stream, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }).ShardIterator;
  for (;;) {
    const out = call('Kinesis_20131202.GetRecords', { ShardIterator: it });
    if (out.Records === undefined) { sim.advance(1000); continue; } // throttled: 5 reads/s
    retained += out.Records.length;
    if (out.Records.length === 0 || !out.NextShardIterator) break;
    it = out.NextShardIterator;
  }
}
const scale = scenario.daySeconds / virtualS;
console.log(`wasm (Node) scale: ${retained} of ${written} records retained and readable with GetRecords (retention is 24 h)`);
console.log(`wasm (Node) scale, projected to ${scenario.daySeconds} virtual s (linear): ${(wallS * scale).toFixed(0)} wall s, ${mib(memory * scale)} MiB for ${(written * scale / 1e6).toFixed(1)} M records (goal: < 30 s, < 256 MiB)`);
