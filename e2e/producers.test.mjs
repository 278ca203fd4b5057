// Built-in producers and consumers through the JS contract, and the KPL records Kinesim writes
// checked by a third-party de-aggregator (npm aws-kinesis-agg, by AWS Labs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Simulator } = require('../target/pkg-node/kinesim.js');
const { deaggregateSync } = require('aws-kinesis-agg');

function worldWithStream(name, shards) {
  const sim = new Simulator(11);
  const created = sim.dispatch('Kinesis_20131202.CreateStream', JSON.stringify({ StreamName: name, ShardCount: shards }));
  assert.equal(created.status, 200, created.body);
  sim.advance(30_000);
  return sim;
}

function call(sim, action, body) {
  const out = sim.dispatch(`Kinesis_20131202.${action}`, JSON.stringify(body));
  assert.equal(out.status, 200, out.body);
  return JSON.parse(out.body);
}

test('addProducer, addConsumer and consumerProgress: every tweet read once, per shard', () => {
  const sim = worldWithStream('tweets', 2);
  const producer = sim.addProducer(JSON.stringify({
    kind: 'tweets', stream: 'tweets', ratePerSecond: 100, delivery: 'put_records', keys: { strategy: 'natural' },
  }));
  const consumer = sim.addConsumer(JSON.stringify({ kind: 'polling', stream: 'tweets', name: 'dashboard' }));
  assert.match(producer, /^producer-\d+$/);
  assert.match(consumer, /^consumer-\d+$/);
  sim.advance(10_000);
  assert.equal(sim.setProducerRunning(producer, false), true);
  assert.equal(sim.setProducerRunning('producer-99', false), false);
  sim.advance(1_000);
  assert.equal(JSON.parse(sim.producerMetrics(producer)).attempted, 1000, 'a stopped producer generates nothing');
  assert.equal(sim.removeProducer(producer), true);
  assert.equal(sim.removeProducer(producer), false);
  sim.advance(2_000);
  const progress = JSON.parse(sim.consumerProgress(consumer));
  assert.equal(progress.name, 'dashboard');
  assert.equal(progress.totals.processed, 1000);
  assert.equal(progress.totals.duplicates, 0);
  assert.deepEqual(Object.keys(progress.shards), ['shardId-000000000000', 'shardId-000000000001']);
  for (const shard of Object.values(progress.shards)) {
    assert.match(shard.lastSequenceNumber, /^\d+$/);
    assert.equal(shard.lagMs, 0);
  }
  assert.equal(sim.removeConsumer(consumer), true);
  assert.throws(() => sim.consumerProgress(consumer), /No consumer with id consumer-/);
});

test('bad configurations throw errors that name the field and what is allowed', () => {
  const sim = new Simulator(1);
  assert.throws(() => sim.addProducer('{"kind":"tweets","stream":"s","ratePerSecond":"fast"}'),
    /ratePerSecond must be a number from 0 to 100000; got "fast"/);
  assert.throws(() => sim.addProducer('not json'), /not valid JSON/);
  assert.throws(() => sim.addConsumer('{"kind":"polling"}'), /stream is required/);
});

test('KPL records written by Kinesim de-aggregate with aws-kinesis-agg into the user records produced', () => {
  const sim = worldWithStream('game', 1);
  const producer = sim.addProducer(JSON.stringify({
    kind: 'game_events', stream: 'game', ratePerSecond: 800, delivery: 'kpl', keys: { strategy: 'zipf', zipfS: 1.1 },
  }));
  sim.advance(5_000);
  const metrics = JSON.parse(sim.producerMetrics(producer));
  sim.removeProducer(producer);
  assert.equal(metrics.failed, 0);
  const { ShardIterator } = call(sim, 'GetShardIterator', { StreamName: 'game', ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' });
  const { Records } = call(sim, 'GetRecords', { ShardIterator });
  assert.ok(Records.length > 0 && Records.length < metrics.succeeded / 20, `${Records.length} Kinesis records`);
  const users = [];
  let aggregated = 0;
  for (const r of Records) {
    if (Buffer.from(r.Data, 'base64').subarray(0, 4).toString('hex') === 'f3899ac2') aggregated += 1;
    deaggregateSync({ partitionKey: r.PartitionKey, sequenceNumber: r.SequenceNumber, data: r.Data }, true, (err, out) => {
      assert.ifError(err);
      users.push(...out);
    });
  }
  assert.ok(aggregated > 0);
  assert.equal(users.length, metrics.succeeded);
  const events = users.map((u) => ({ ...u, event: JSON.parse(Buffer.from(u.data, 'base64').toString('utf8')) }));
  assert.deepEqual(events.map((e) => e.event.event_id), [...Array(users.length).keys()], 'every user record once, in order');
  for (const e of events) assert.equal(e.partitionKey, e.event.player, 'each user record keeps its own partition key');
  assert.ok(new Set(events.map((e) => e.partitionKey)).size > 50);
});

test('every consumer kind reads what a Kinesis Agent producer wrote; lambda and kcl report their own state', () => {
  const sim = worldWithStream('web', 2);
  const agent = {
    flows: [{
      filePattern: '/var/log/httpd/access_log*', kinesisStream: 'web', maxBufferAgeMillis: 1000,
      dataProcessingOptions: [{ optionName: 'LOGTOJSON', logFormat: 'COMBINEDAPACHELOG' }],
    }],
  };
  const producer = sim.addProducer(JSON.stringify({ kind: 'game_events', stream: 'web', ratePerSecond: 50, delivery: 'agent', agent }));
  const consumers = ['polling', 'kcl', 'lambda', 'fanout'].map((kind) => sim.addConsumer(JSON.stringify({ kind, stream: 'web', name: `${kind}-app` })));
  sim.advance(20_000);
  const { succeeded, inFlight } = JSON.parse(sim.producerMetrics(producer));
  assert.equal(succeeded + inFlight, 1000);
  sim.removeProducer(producer);
  sim.advance(5_000);
  const [polling, kcl, lambda, fanout] = consumers.map((c) => JSON.parse(sim.consumerProgress(c)));
  for (const p of [polling, kcl, lambda, fanout]) {
    assert.equal(p.totals.processed, succeeded, `${p.kind} processed every record`);
    assert.equal(p.totals.duplicates, 0, p.kind);
  }
  assert.equal(kcl.leases.length, 2);
  assert.ok(kcl.leases.every((l) => l.owner && l.checkpoint.AT));
  assert.ok(lambda.lambda.invocations > 0);
  assert.equal(lambda.lambda.functionErrors, 0);
});
