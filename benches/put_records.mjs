// PutRecords throughput through Simulator.dispatch in the release wasm build under Node, the
// same workload as benches/put_records.rs. Prints figures; asserts nothing about speed.
import { createRequire } from 'node:module';

const { Simulator } = createRequire(import.meta.url)('../target/pkg-node-release/kinesim.js');
const CALLS = 400, RECORDS_PER_CALL = 500, DATA_BYTES = 100, SHARDS = 4;

const sim = new Simulator(42);
sim.dispatch('Kinesis_20131202.CreateStream', JSON.stringify({ StreamName: 'bench', ShardCount: SHARDS }));
sim.advance(60_000);

// Keys from a fixed xorshift so every run sends the same requests.
let x = 0x9e3779b97f4a7c15n;
const nextKey = () => {
  x ^= x << 13n; x &= 0xffffffffffffffffn; x ^= x >> 7n; x ^= x << 17n; x &= 0xffffffffffffffffn;
  return `user-${x.toString(16).padStart(16, '0')}`;
};
const data = Buffer.alloc(DATA_BYTES, 'x').toString('base64');
const bodies = Array.from({ length: CALLS }, () => JSON.stringify({
  StreamName: 'bench',
  Records: Array.from({ length: RECORDS_PER_CALL }, () => ({ PartitionKey: nextKey(), Data: data })),
}));

let failed = 0;
const start = process.hrtime.bigint();
for (const body of bodies) {
  const r = sim.dispatch('Kinesis_20131202.PutRecords', body);
  if (!r.body.includes('"FailedRecordCount":0')) failed++;
  sim.advance(1_000);
}
const secs = Number(process.hrtime.bigint() - start) / 1e9;
const records = CALLS * RECORDS_PER_CALL;
console.log(`wasm (Node ${process.version}) PutRecords (${RECORDS_PER_CALL} x ${DATA_BYTES} B, random keys, ${SHARDS} shards, ${CALLS} calls)`);
console.log(`  records/s through dispatch : ${(records / secs).toFixed(0).padStart(12)}`);
console.log(`  dispatch ns per record     : ${(secs * 1e9 / records).toFixed(0).padStart(12)}`);
console.log(`  calls with a failed record : ${String(failed).padStart(12)}`);
