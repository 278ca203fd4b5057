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

test('Kinesis Video from JavaScript: create, PutMedia, list and fetch fragments', () => {
  const sim = new Simulator(3);
  const call = (op, body) => sim.dispatch(`KinesisVideo_20170930.${op}`, JSON.stringify(body));
  assert.equal(call('CreateStream', { StreamName: 'cam', DataRetentionInHours: 1 }).status, 200);
  assert.throws(() => sim.putMedia('cam', START, 1000, new Uint8Array([1])), /^Error: ResourceNotFoundException: /);
  sim.advance(5_000);
  const media = new TextEncoder().encode('\0\0\0\x18ftypisom');
  const ack = JSON.parse(sim.putMedia('cam', START + 4_000, 1000, media));
  assert.equal(ack.EventType, 'PERSISTED');
  assert.match(ack.FragmentNumber, /^\d{47}$/);
  const listed = JSON.parse(call('ListFragments', { StreamName: 'cam' }).body).Fragments;
  assert.deepEqual(listed.map((f) => f.FragmentNumber), [ack.FragmentNumber]);
  assert.deepEqual([...sim.getMediaForFragmentList('cam', [ack.FragmentNumber])], [...media]);
  assert.throws(() => sim.getMediaForFragmentList('cam', ['1']), /ResourceNotFoundException/);
});
