// `make bench`: the standard scenario (benches/scenario.json) on the release Node build of the
// wasm engine; prints virtual seconds simulated per wall-clock second. A figure, not a test.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const { Simulator } = createRequire(import.meta.url)('../target/pkg-node-release/kinesim.js');
const scenario = JSON.parse(readFileSync(new URL('./scenario.json', import.meta.url), 'utf8'));

const sim = new Simulator(1);
sim.dispatch('Kinesis_20131202.CreateStream', JSON.stringify({ StreamName: scenario.stream, ShardCount: scenario.shards }));
sim.advance(scenario.warmupSeconds * 1000);
for (const p of scenario.producers) sim.addProducer(JSON.stringify(p));
const consumers = scenario.consumers.map((c) => sim.addConsumer(JSON.stringify(c)));
const started = performance.now();
for (let s = 0; s < scenario.virtualSeconds; s += 1) sim.advance(1000);
const wallS = (performance.now() - started) / 1000;
const processed = consumers.map((c) => { const p = JSON.parse(sim.consumerProgress(c)); return `"${p.name}" ${p.totals.processed}`; });
console.log(`wasm (Node): ${scenario.virtualSeconds} virtual s in ${wallS.toFixed(2)} wall s = ${(scenario.virtualSeconds / wallS).toFixed(0)}x (virtual seconds per wall second); processed: ${processed.join(', ')}`);
