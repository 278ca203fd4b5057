// The JS contract as a Node program sees it: `new Simulator(seed)`, advance, nowMs, stateHash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const { Simulator } = createRequire(import.meta.url)('../target/pkg-node/kinesim.js');
const START = Date.UTC(2026, 0, 1);

test('a new world starts at 2026-01-01T00:00:00Z and advances by virtual time', () => {
  const sim = new Simulator(1);
  assert.equal(sim.nowMs(), START);
  sim.advance(1500);
  sim.advance(0);
  assert.equal(sim.nowMs(), START + 1500);
});

test('same seed and inputs give the same state hash; another seed differs', () => {
  const run = (seed) => { const s = new Simulator(seed); s.advance(60_000); return s.stateHash(); };
  assert.match(run(7), /^[0-9a-f]{32}$/);
  assert.equal(run(7), run(7));
  assert.notEqual(run(7), run(8));
});

test('bad numbers are refused with a message saying what is allowed', () => {
  assert.throws(() => new Simulator(-1), /seed must be a whole number from 0 to 9007199254740991; got -1/);
  const sim = new Simulator(1);
  assert.throws(() => sim.advance(1.5), /ms must be a whole number/);
  assert.throws(() => sim.advance(Number.NaN), /got NaN/);
  assert.equal(sim.nowMs(), START, 'a refused call leaves the world untouched');
});
