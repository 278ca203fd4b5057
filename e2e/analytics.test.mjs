// Data Analytics clicked through: stock ticks into a stream, an SQL application averaging the
// price per minute, results after the first minute of virtual time, and the application's
// output read back in the second stream's data viewer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { createStream, servedApp } from './browser.mjs';

const app = servedApp();
const shot = (page, name) => page.screenshot({ path: `target/screenshots/analytics-${name}.png`, fullPage: true });

const toConsole = (page) => page.locator('nav.crumbs button.link').first().click();

test('stock ticks averaged per minute by SQL reach a second stream', { timeout: 120_000 }, async () => {
  const page = await app.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await mkdir('target/screenshots', { recursive: true });
  await page.goto(app.url);

  await createStream(page, 'ticks');
  await page.getByTestId('speed-60').click();
  await page.getByTestId('play-toggle').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=stream-status]').textContent === 'ACTIVE',
    null, { timeout: 20_000 });
  await page.getByTestId('producer-kind').selectOption('stock_ticks');
  await page.getByTestId('producer-rate').fill('20');
  await page.getByTestId('producer-add').click();
  await page.getByTestId('producer-row').waitFor();
  await toConsole(page);
  await createStream(page, 'averages');
  await page.waitForFunction(() => document.querySelector('[data-testid=stream-status]').textContent === 'ACTIVE',
    null, { timeout: 20_000 });
  // Pause while configuring, so the minute counted below starts at the run.
  await page.getByTestId('play-toggle').click();
  await toConsole(page);
  await shot(page, '1-console');

  await page.getByTestId('analytics-name').fill('ticker-averages');
  await page.getByTestId('analytics-source').selectOption('ticks');
  await page.getByTestId('analytics-create').click();
  const schema = await page.locator('[data-testid=analytics-schema] input').evaluateAll((inputs) => inputs.map((i) => i.value));
  assert.deepEqual(schema, ['TICKER', 'VARCHAR(8)', 'PRICE', 'DOUBLE', 'VOLUME', 'INTEGER', 'COL_TIMESTAMP', 'TIMESTAMP']);
  await page.getByTestId('sample-average').click();
  assert.match(await page.getByTestId('analytics-sql').inputValue(), /STEP\("SOURCE_SQL_STREAM_001"\.ROWTIME BY INTERVAL '60' SECOND\)/);
  await page.getByTestId('analytics-output-dest').selectOption('kinesis:averages');
  await page.getByTestId('analytics-output-add').click();
  await page.getByTestId('analytics-outputs').waitFor();
  await page.getByTestId('analytics-run').click();
  assert.equal(await page.getByTestId('analytics-status').textContent(), 'RUNNING');
  assert.equal(await page.getByTestId('analytics-no-rows').count(), 1, 'no rows before a minute passes');
  await shot(page, '2-running');

  await page.getByTestId('play-toggle').click();
  await page.getByTestId('analytics-row').first().waitFor({ timeout: 30_000 });
  await page.getByTestId('play-toggle').click();
  const row = await page.getByTestId('analytics-row').first().textContent();
  assert.match(row, /:00\.000[A-Z]+[\d.]+\d/, `a window row: ${row}`);
  const delivered = parseInt(await page.getByTestId('analytics-delivered').textContent(), 10);
  assert.ok(delivered > 0, 'rows were written to the output stream');
  await shot(page, '3-results');

  // A bad query is refused with the construct and its place.
  await page.getByTestId('analytics-stop').click();
  await page.getByTestId('analytics-sql').fill('CREATE OR REPLACE STREAM "D" (a DOUBLE);\nCREATE OR REPLACE PUMP "P" AS INSERT INTO "D"\nSELECT STREAM LN(price) FROM "SOURCE_SQL_STREAM_001";');
  await page.getByTestId('analytics-run').click();
  assert.equal(await page.getByTestId('analytics-error').textContent(),
    'function LN is not supported by Kinesim\'s SQL applications (line 3, column 15)');
  await shot(page, '4-error');

  await toConsole(page);
  await page.getByRole('button', { name: 'averages', exact: true }).click();
  await page.getByTestId('viewer-type').selectOption('TRIM_HORIZON');
  await page.getByTestId('viewer-iterator').click();
  await page.getByTestId('viewer-next').click();
  const records = await page.getByTestId('viewer-records').textContent();
  assert.match(records, /"AVG_PRICE": \d+/);
  assert.match(records, /"ROWTIME": "2026-01-01 00:\d\d:00\.000"/);
  await shot(page, '5-output-stream');
  assert.deepEqual(errors, []);
});
