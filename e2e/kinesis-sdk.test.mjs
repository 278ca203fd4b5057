// The real AWS SDK for JavaScript v3 talks to the simulator: its requests go through a custom
// requestHandler (e2e/sdk-handler.mjs) that hands each target and body to `Simulator.dispatch`,
// so the SDK's own serialisers, deserialisers and error classes check Kinesim's wire format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import {
  KinesisClient, CreateStreamCommand, DescribeStreamSummaryCommand, PutRecordCommand,
  PutRecordsCommand, GetShardIteratorCommand, GetRecordsCommand, SplitShardCommand,
  ListShardsCommand, ProvisionedThroughputExceededException, ResourceNotFoundException,
} from '@aws-sdk/client-kinesis';
import { simulatorRequestHandler } from './sdk-handler.mjs';

const { Simulator } = createRequire(import.meta.url)('../target/pkg-node/kinesim.js');

function clientFor(sim) {
  return new KinesisClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'kinesim' },
    requestHandler: simulatorRequestHandler(sim),
    maxAttempts: 1, // retries would hide the throttling the test wants to see
  });
}

async function waitActive(sim, kinesis, StreamName) {
  for (let i = 0; i < 120; i++) {
    const { StreamDescriptionSummary: s } = await kinesis.send(new DescribeStreamSummaryCommand({ StreamName }));
    if (s.StreamStatus === 'ACTIVE') return s;
    sim.advance(1_000);
  }
  throw new Error(`${StreamName} never became ACTIVE`);
}

test('create, wait for ACTIVE, put and get records, split a shard', async () => {
  const sim = new Simulator(1);
  const kinesis = clientFor(sim);
  const StreamName = 'test_kinesis_stream';
  await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
  const summary = await waitActive(sim, kinesis, StreamName);
  assert.equal(summary.OpenShardCount, 1);
  assert.equal(summary.RetentionPeriodHours, 24);

  const put = await kinesis.send(new PutRecordCommand({
    StreamName, PartitionKey: 'a', Data: new TextEncoder().encode('{"hola":"mundo"}'),
  }));
  assert.equal(put.ShardId, 'shardId-000000000000');
  assert.match(put.SequenceNumber, /^\d{56}$/);

  const batch = await kinesis.send(new PutRecordsCommand({
    StreamName,
    Records: ['b', 'e', 'f'].map((k) => ({ PartitionKey: k, Data: new TextEncoder().encode(k) })),
  }));
  assert.equal(batch.FailedRecordCount, 0);
  assert.equal(batch.Records.length, 3);

  const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({
    StreamName, ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON',
  }));
  const got = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
  assert.deepEqual(got.Records.map((r) => r.PartitionKey), ['a', 'b', 'e', 'f']);
  assert.equal(new TextDecoder().decode(got.Records[0].Data), '{"hola":"mundo"}');
  assert.ok(got.Records[0].ApproximateArrivalTimestamp instanceof Date);
  assert.equal(got.MillisBehindLatest, 0);

  await kinesis.send(new SplitShardCommand({
    StreamName, ShardToSplit: 'shardId-000000000000',
    NewStartingHashKey: '170141183460469231731687303715884105728',
  }));
  await waitActive(sim, kinesis, StreamName);
  const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName }));
  assert.deepEqual(Shards.map((s) => s.ShardId),
    ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']);
  assert.equal(Shards[1].ParentShardId, 'shardId-000000000000');
  assert.equal(Shards[2].HashKeyRange.StartingHashKey, '170141183460469231731687303715884105728');
});

test('SDK error classes come out right', async () => {
  const sim = new Simulator(2);
  const kinesis = clientFor(sim);
  await assert.rejects(
    kinesis.send(new PutRecordCommand({ StreamName: 'missing', PartitionKey: 'k', Data: new Uint8Array([1]) })),
    (e) => e instanceof ResourceNotFoundException
      && e.message === 'Stream missing under account 123456789012 not found.'
      && e.$metadata.httpStatusCode === 400,
  );

  const StreamName = 'hot';
  await kinesis.send(new CreateStreamCommand({ StreamName, ShardCount: 1 }));
  await waitActive(sim, kinesis, StreamName);
  // One shard takes 1 MiB/s: two 600 KiB records in the same virtual instant overflow it.
  const Data = new Uint8Array(600 * 1024);
  await kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'hot-key', Data }));
  await assert.rejects(
    kinesis.send(new PutRecordCommand({ StreamName, PartitionKey: 'hot-key', Data })),
    (e) => e instanceof ProvisionedThroughputExceededException
      && /^Rate exceeded for shard shardId-000000000000 in stream hot under account 123456789012\.$/.test(e.message),
  );
});
