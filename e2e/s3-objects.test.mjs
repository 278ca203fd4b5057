// The S3 browser on an object Firehose delivered from a Kinesis stream without transform:
// the object keeps the producer's records as references (issue 8) and the console renders
// them when it is opened, sized as listed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { servedApp, openConsole } from './browser.mjs';

const app = servedApp();
const shot = (page, name) => page.screenshot({ path: `target/screenshots/s3-objects-${name}.png`, fullPage: true });

const role = 'arn:aws:iam::123456789012:role/firehose_role';
const world = {
  version: 1, seed: 5,
  streams: [{ name: 'clicks', shardCount: 2 }],
  buckets: ['kinesim-bucket'],
  roles: [{ name: 'firehose_role', allowedActions: ['s3:PutObject'] }],
  deliveryStreams: [{
    DeliveryStreamName: 'clicks-archive', DeliveryStreamType: 'KinesisStreamAsSource',
    KinesisStreamSourceConfiguration: { KinesisStreamARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks', RoleARN: role },
    ExtendedS3DestinationConfiguration: { RoleARN: role, BucketARN: 'arn:aws:s3:::kinesim-bucket', Prefix: 'clicks/',
      BufferingHints: { SizeInMBs: 1, IntervalInSeconds: 60 } },
  }],
  producers: [{ kind: 'tweets', stream: 'clicks', ratePerSecond: 20 }],
};

test('an object delivered from Kinesis opens as the records it holds', { timeout: 120_000 }, async () => {
  const { page, errors } = await openConsole(app);
  await page.getByTestId('scenario-import').click();
  await page.getByTestId('import-text').fill(JSON.stringify(world));
  await page.getByTestId('import-load').click();
  await page.getByTestId('import-dialog').waitFor({ state: 'detached' });

  await page.getByTestId('speed-60').click();
  await page.getByTestId('play-toggle').click();
  // Past the 60 s buffering interval (the clock starts at 00:00:00).
  await page.waitForFunction(() => {
    const [, h, m, s] = document.querySelector('[data-testid=sim-clock]').textContent.match(/(\d\d):(\d\d):(\d\d)/);
    return h * 3600 + m * 60 + s * 1 >= 150;
  }, null, { timeout: 60_000 });
  await page.getByTestId('play-toggle').click();

  await page.getByTestId('bucket-link').filter({ hasText: 'kinesim-bucket' }).click();
  for (;;) {
    const folders = page.getByTestId('s3-folder');
    if (await folders.count() === 0) break;
    await folders.last().click();
  }
  const object = page.getByTestId('s3-object').first();
  const name = await object.textContent();
  assert.match(name, /^clicks-archive-1-2026-01-01-00-0\d-\d\d-[0-9a-f-]{36}$/);
  await object.click();
  const viewer = page.getByTestId('object-viewer');
  await viewer.waitFor();
  await shot(page, '1-object');
  await page.setViewportSize({ width: 768, height: 900 });
  await shot(page, '1-object-768');
  const docs = viewer.locator('.object-docs pre');
  assert.ok(await docs.count() > 100, 'a minute of 20 tweets a second');
  assert.match(await docs.first().textContent(), /"text":/);
  const [, count] = (await viewer.locator('p.hint').textContent()).match(/^(\d+) /);
  assert.equal(Number(count), await docs.count());
  assert.deepEqual(errors, []);
});
