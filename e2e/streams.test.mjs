// The course note's lesson, clicked through: create test_kinesis_stream with 1 shard, push a
// tweets producer past the shard's 1,000 records/s, see the throttling in the heat view and
// the chart, split the shard, and see the throttling stop.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openConsole, servedApp } from './browser.mjs';

const app = servedApp();
const shot = (page, name) => page.screenshot({ path: `target/screenshots/streams-${name}.png`, fullPage: true });

test('a hot single shard throttles until it is split', { timeout: 120_000 }, async () => {
  const { page, errors } = await openConsole(app);

  await page.getByTestId('create-data-stream').click();
  await page.getByTestId('stream-name').fill('test_kinesis_stream');
  await page.getByTestId('shard-count').fill('1');
  assert.equal(await page.getByTestId('capacity').textContent(),
    'Write capacity1 MiB/s · 1000 records/sRead capacity (shared by polling readers)2 MiB/s');
  await shot(page, '1-wizard');
  await page.getByTestId('create-stream-submit').click();
  assert.equal(await page.getByTestId('stream-status').textContent(), 'CREATING');

  await page.getByTestId('speed-10').click();
  await page.getByTestId('play-toggle').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=stream-status]').textContent === 'ACTIVE',
    null, { timeout: 20_000 });

  await page.getByTestId('producer-rate').fill('1500');
  await page.getByTestId('producer-add').click();
  await page.getByTestId('producer-row').waitFor();
  // Over 1,000 records/s into one shard: the heat view flags it and throttles pile up.
  await page.waitForFunction(() => document.querySelector('[data-testid=heat-state]')?.textContent.startsWith('⚠'),
    null, { timeout: 20_000 });
  await page.waitForFunction(() => parseInt(document.querySelector('[data-testid=producer-throttled]').textContent, 10) > 100,
    null, { timeout: 20_000 });
  assert.ok(await page.locator('[data-testid=charts] rect.alarm').count() >= 1, 'the throttle chart shows red bars');
  await shot(page, '2-throttling');

  await page.getByTestId('split-submit').click();
  assert.match(await page.getByTestId('action-outcome').textContent(), /SplitShard: OK/);
  await page.waitForFunction(() => document.querySelector('[data-testid=open-shards]').textContent === '2',
    null, { timeout: 30_000 });
  // Two shards share the 1,500 records/s: each is below its limit, and no new throttles come.
  const throttledAtSplit = parseInt(await page.getByTestId('producer-throttled').textContent(), 10);
  await page.waitForTimeout(3_000);
  const states = await page.locator('[data-testid=heat-state]').allTextContents();
  assert.equal(states.length, 2);
  assert.ok(states.every((s) => !s.startsWith('⚠')), `both children within limits: ${states}`);
  assert.equal(parseInt(await page.getByTestId('producer-throttled').textContent(), 10), throttledAtSplit,
    'no throttling after the split');
  const log = await page.getByTestId('event-log').textContent();
  assert.match(log, /Resharded: shardId-000000000000 → shardId-000000000001, shardId-000000000002/);
  await shot(page, '3-split');
  assert.deepEqual(errors, []);
});
