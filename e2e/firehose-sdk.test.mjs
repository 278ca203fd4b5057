// Firehose through the real `@aws-sdk/client-firehose`, with the Firehose pieces of the JS
// contract around it: createBucket, putRole, putGlueTable, registerLambda, listObjects,
// getObject. User Lambdas are plain JS functions called when Firehose invokes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import {
  FirehoseClient, CreateDeliveryStreamCommand, DescribeDeliveryStreamCommand, ListDeliveryStreamsCommand,
  PutRecordCommand, PutRecordBatchCommand, DeleteDeliveryStreamCommand, ResourceNotFoundException,
  InvalidArgumentException,
} from '@aws-sdk/client-firehose';
import { simulatorRequestHandler } from './sdk-handler.mjs';

const { Simulator } = createRequire(import.meta.url)('../target/pkg-node/kinesim.js');
const Bucket = 'kinesim-bucket';

function setup(seed) {
  const sim = new Simulator(seed);
  sim.createBucket(Bucket);
  const RoleARN = sim.putRole('firehose_role', JSON.stringify(['s3:PutObject', 'lambda:InvokeFunction']));
  const firehose = new FirehoseClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'kinesim' },
    requestHandler: simulatorRequestHandler(sim),
    maxAttempts: 1,
  });
  return { sim, RoleARN, firehose };
}

const destination = (RoleARN, extra = {}) => ({
  RoleARN,
  BucketARN: `arn:aws:s3:::${Bucket}`,
  Prefix: 'carpeta_tweests_exitosos/',
  BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 },
  CloudWatchLoggingOptions: { Enabled: true },
  ...extra,
});

const lambda = (arn, retries = 3) => ({
  ProcessingConfiguration: {
    Enabled: true,
    Processors: [{ Type: 'Lambda', Parameters: [
      { ParameterName: 'LambdaArn', ParameterValue: `${arn}:$LATEST` },
      { ParameterName: 'NumberOfRetries', ParameterValue: String(retries) },
      { ParameterName: 'BufferIntervalInSeconds', ParameterValue: '0' },
    ] }],
  },
});

const text = (bytes) => new TextDecoder().decode(bytes);
const objects = (sim, prefix) => JSON.parse(sim.listObjects(Bucket, prefix));

test('Direct PUT through the SDK is delivered to S3 under YYYY/MM/DD/HH/', async () => {
  const { sim, RoleARN, firehose } = setup(1);
  const { DeliveryStreamARN } = await firehose.send(new CreateDeliveryStreamCommand({
    DeliveryStreamName: 'tweets', DeliveryStreamType: 'DirectPut', ExtendedS3DestinationConfiguration: destination(RoleARN),
  }));
  assert.equal(DeliveryStreamARN, 'arn:aws:firehose:us-east-1:123456789012:deliverystream/tweets');
  const { DeliveryStreamDescription: d } = await firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'tweets' }));
  assert.equal(d.DeliveryStreamStatus, 'ACTIVE');
  assert.ok(d.CreateTimestamp instanceof Date);
  assert.deepEqual(d.Destinations[0].ExtendedS3DestinationDescription.BufferingHints, { SizeInMBs: 1, IntervalInSeconds: 60 });

  const put = await firehose.send(new PutRecordCommand({ DeliveryStreamName: 'tweets', Record: { Data: new TextEncoder().encode('{"a":1}\n') } }));
  assert.ok(put.RecordId.length > 0);
  const batch = await firehose.send(new PutRecordBatchCommand({
    DeliveryStreamName: 'tweets',
    Records: ['{"a":2}\n', '{"a":3}\n'].map((s) => ({ Data: new TextEncoder().encode(s) })),
  }));
  assert.equal(batch.FailedPutCount, 0);
  assert.equal(batch.RequestResponses.length, 2);

  sim.advance(59_999);
  assert.deepEqual(objects(sim, ''), []);
  sim.advance(1);
  const [o] = objects(sim, 'carpeta_tweests_exitosos/2026/01/01/00/');
  assert.match(o.Key, /^carpeta_tweests_exitosos\/2026\/01\/01\/00\/tweets-1-2026-01-01-00-00-00-[0-9a-f-]{36}$/);
  assert.equal(o.LastModified, '2026-01-01T00:01:00.000Z');
  assert.equal(text(sim.getObject(Bucket, o.Key)), '{"a":1}\n{"a":2}\n{"a":3}\n');

  const { DeliveryStreamNames } = await firehose.send(new ListDeliveryStreamsCommand({}));
  assert.deepEqual(DeliveryStreamNames, ['tweets']);
  await firehose.send(new DeleteDeliveryStreamCommand({ DeliveryStreamName: 'tweets' }));
  await assert.rejects(
    firehose.send(new DescribeDeliveryStreamCommand({ DeliveryStreamName: 'tweets' })),
    (e) => e instanceof ResourceNotFoundException && e.message === 'Firehose tweets under account 123456789012 not found.',
  );
});

test('a registered JS Lambda transforms records; throws and garbage become ProcessingFailed', async () => {
  const { sim, RoleARN, firehose } = setup(2);
  const upper = sim.registerLambda('to_upper', (event) => ({
    records: event.records.map((r) => ({
      recordId: r.recordId,
      result: 'Ok',
      data: Buffer.from(Buffer.from(r.data, 'base64').toString().toUpperCase()).toString('base64'),
    })),
  }));
  assert.equal(upper, 'arn:aws:lambda:us-east-1:123456789012:function:to_upper');
  const thrower = sim.registerLambda('thrower', () => { throw new Error('boom'); });
  const garbage = sim.registerLambda('garbage', () => 42);

  for (const [name, arn] of [['up', upper], ['throws', thrower], ['garbage', garbage]]) {
    await firehose.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: name,
      ExtendedS3DestinationConfiguration: destination(RoleARN, { Prefix: `${name}/`, ...lambda(arn, 1) }),
    }));
    await firehose.send(new PutRecordCommand({ DeliveryStreamName: name, Record: { Data: new TextEncoder().encode('hola') } }));
  }
  sim.advance(61_000);

  const [ok] = objects(sim, 'up/2026/');
  assert.equal(text(sim.getObject(Bucket, ok.Key)), 'HOLA');
  const failure = (prefix) => {
    const found = objects(sim, `${prefix}/processing-failed/2026/01/01/00/`);
    assert.equal(found.length, 1, prefix);
    return JSON.parse(text(sim.getObject(Bucket, found[0].Key)));
  };
  const thrown = failure('throws');
  assert.equal(thrown.errorCode, 'Lambda.FunctionError');
  assert.match(thrown.errorMessage, /boom/);
  assert.equal(thrown.attemptsMade, 2, 'NumberOfRetries 1: two attempts');
  assert.equal(Buffer.from(thrown.rawData, 'base64').toString(), 'hola');
  assert.equal(thrown.lambdaArn, `${thrower}:$LATEST`);
  assert.equal(failure('garbage').errorCode, 'Lambda.JsonProcessingException');
});

test('Parquet through a Glue table, and AWS errors for what does not exist', async () => {
  const { sim, RoleARN, firehose } = setup(3);
  sim.putGlueTable('kinesis_db', 'tweets_json', JSON.stringify([{ Name: 'id', Type: 'bigint' }, { Name: 'text', Type: 'string' }]));
  await firehose.send(new CreateDeliveryStreamCommand({
    DeliveryStreamName: 'parquet',
    ExtendedS3DestinationConfiguration: destination(RoleARN, {
      BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 60 },
      DataFormatConversionConfiguration: {
        Enabled: true,
        SchemaConfiguration: { DatabaseName: 'kinesis_db', TableName: 'tweets_json', RoleARN },
        InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: {} } },
        OutputFormatConfiguration: { Serializer: { ParquetSerDe: { Compression: 'SNAPPY' } } },
      },
    }),
  }));
  await firehose.send(new PutRecordCommand({ DeliveryStreamName: 'parquet', Record: { Data: new TextEncoder().encode('{"id":1,"text":"hola"}') } }));
  sim.advance(60_000);
  const [o] = objects(sim, 'carpeta_tweests_exitosos/2026/');
  assert.ok(o.Key.endsWith('.parquet'), o.Key);
  assert.equal(text(sim.getObject(Bucket, o.Key).slice(0, 4)), 'PAR1');

  await assert.rejects(
    firehose.send(new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'ghost', ExtendedS3DestinationConfiguration: destination('arn:aws:iam::123456789012:role/ghost'),
    })),
    (e) => e instanceof InvalidArgumentException
      && e.message === 'Firehose is unable to assume role arn:aws:iam::123456789012:role/ghost. Please check the role provided.',
  );
  assert.throws(() => sim.putRole('bad name', '[]'), /role name 'bad name' is invalid/);
  assert.throws(() => sim.getObject(Bucket, 'nope'), /NoSuchKey/);
});
