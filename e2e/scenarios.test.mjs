// Scenarios and snapshots through the JS contract: Simulator.fromScenario / toScenario,
// snapshot / Simulator.restore, and refusals thrown as Errors naming the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync, readdirSync } from 'node:fs';

const { Simulator } = createRequire(import.meta.url)('../target/pkg-node/kinesim.js');
const dir = new URL('../www/scenarios/', import.meta.url);

test('every example scenario imports, runs and exports the same setup', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.ok(files.length >= 4, files.join());
  for (const file of files) {
    const sim = Simulator.fromScenario(readFileSync(new URL(file, dir), 'utf8'));
    const exported = sim.toScenario();
    sim.advance(10_000);
    assert.equal(Simulator.fromScenario(exported).toScenario(), exported, file);
    assert.equal(JSON.parse(exported).version, 1);
  }
});

test('a bad scenario throws an Error naming the field path, the value and what is allowed', () => {
  const doc = { version: 1, streams: [{ name: 'a' }, { name: 'b', shardCount: 0 }] };
  assert.throws(() => Simulator.fromScenario(JSON.stringify(doc)),
    (e) => e instanceof Error && e.message.startsWith("streams[1].shardCount: ValidationException: 1 validation error detected: Value '0' at 'shardCount'"));
  assert.throws(() => Simulator.fromScenario('{"version":3}'), /^Error: version must be 1; got 3$/);
  assert.throws(() => Simulator.fromScenario('nope'), /The scenario is not valid JSON/);
});

test('snapshot and restore give the same virtual time, state hash and future', () => {
  const sim = Simulator.fromScenario(readFileSync(new URL('hot-key.json', dir), 'utf8'));
  sim.advance(20_000);
  const copy = Simulator.restore(sim.snapshot());
  assert.equal(copy.nowMs(), sim.nowMs());
  assert.equal(copy.stateHash(), sim.stateHash());
  sim.advance(15_000);
  copy.advance(15_000);
  assert.equal(copy.stateHash(), sim.stateHash());
  assert.throws(() => Simulator.restore('{"kinesimSnapshot":3}'), /The snapshot is not valid JSON/);
});

test('a registered JavaScript Lambda travels in the exported scenario as source text', () => {
  const sim = new Simulator(1);
  sim.registerLambda('shout', (event) => ({ records: event.records }));
  const scenario = JSON.parse(sim.toScenario());
  assert.deepEqual(scenario.lambdas, [{ name: 'shout', code: '(event) => ({ records: event.records })' }]);
  const copy = Simulator.fromScenario(JSON.stringify(scenario));
  assert.deepEqual(JSON.parse(copy.lambdaSources()), scenario.lambdas);
});
