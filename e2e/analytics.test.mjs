// Data Analytics clicked through: stock ticks into a stream, an SQL application averaging the
// price per minute, results after the first minute of virtual time, and the application's
// output read back in the second stream's data viewer. Then the same ticks read through a
// Firehose delivery stream as the application's source, and a schema edit that makes every
// row a coercion error, shown in error_stream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openConsole, createStream, runUntilActive, servedApp } from './browser.mjs';

const app = servedApp();
const shot = (page, name) => page.screenshot({ path: `target/screenshots/analytics-${name}.png`, fullPage: true });

const toConsole = (page) => page.locator('nav.crumbs button.link').first().click();

test('stock ticks averaged per minute by SQL reach a second stream', { timeout: 120_000 }, async () => {
  const { page, errors } = await openConsole(app, { viewport: { width: 1280, height: 900 } });

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
  await page.getByTestId('analytics-source').selectOption('kinesis:ticks');
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

test('a Firehose delivery stream as the source; rows that do not fit go to error_stream', { timeout: 180_000 }, async () => {
  const { page, errors } = await openConsole(app, { viewport: { width: 1280, height: 900 } });

  // Ticks into a data stream, read by a delivery stream that writes them to S3.
  await createStream(page, 'ticks');
  await runUntilActive(page);
  await page.getByTestId('producer-kind').selectOption('stock_ticks');
  await page.getByTestId('producer-rate').fill('20');
  await page.getByTestId('producer-add').click();
  await page.getByTestId('producer-row').waitFor();
  await toConsole(page);
  await page.getByTestId('create-delivery-stream').click();
  assert.equal(await page.getByTestId('fh-kinesis-stream').inputValue(), 'ticks');
  await page.getByTestId('fh-name').fill('ticks-firehose');
  await page.getByTestId('fh-new-bucket').fill('ticks-bucket');
  await page.getByTestId('fh-create-bucket').click();
  await page.getByTestId('fh-submit').click();
  await page.getByTestId('fh-status').waitFor();
  // A few virtual seconds, so the delivery stream has records for schema discovery.
  await page.getByTestId('speed-10').click();
  await page.getByTestId('play-toggle').click();
  await page.waitForTimeout(2_000);
  await page.getByTestId('play-toggle').click();
  await toConsole(page);

  await page.getByTestId('analytics-name').fill('firehose-averages');
  const sources = await page.locator('[data-testid=analytics-source] option').allTextContents();
  assert.deepEqual(sources, ['Kinesis · ticks', 'Firehose · ticks-firehose']);
  await page.getByTestId('analytics-source').selectOption('firehose:ticks-firehose');
  await shot(page, '5b-console-firehose-source');
  await page.getByTestId('analytics-create').click();
  const schema = () => page.locator('[data-testid=analytics-schema] input').evaluateAll((inputs) => inputs.map((i) => i.value));
  assert.deepEqual(await schema(), ['TICKER', 'VARCHAR(8)', 'PRICE', 'DOUBLE', 'VOLUME', 'INTEGER', 'COL_TIMESTAMP', 'TIMESTAMP'],
    'discovered from the delivery stream\'s records');
  assert.equal(await page.getByTestId('analytics-format-kind').inputValue(), 'JSON');
  assert.match(await page.locator('header.page-head').textContent(), /Firehose · ticks-firehose → SOURCE_SQL_STREAM_001/);
  // A delivery stream source is not offered as a destination (it would feed itself).
  const destinations = await page.locator('[data-testid=analytics-output-dest] option').allTextContents();
  assert.deepEqual(destinations, ['Kinesis · ticks']);
  await page.getByTestId('sample-average').click();
  await page.getByTestId('analytics-run').click();
  assert.equal(await page.getByTestId('analytics-status').textContent(), 'RUNNING');
  await page.getByTestId('speed-60').click();
  await page.getByTestId('play-toggle').click();
  await page.getByTestId('analytics-row').first().waitFor({ timeout: 30_000 });
  await page.getByTestId('play-toggle').click();
  assert.match(await page.getByTestId('analytics-row').first().textContent(), /:00\.000[A-Z]+[\d.]+\d/);
  await shot(page, '6-firehose-source');

  // PRICE typed BOOLEAN: every record is a coercion error, listed in error_stream.
  await page.getByTestId('analytics-stop').click();
  const price = page.locator('[data-testid=analytics-schema] input').nth(3);
  await price.fill('BOOLEAN');
  await price.press('Tab');
  assert.equal((await schema())[3], 'BOOLEAN');
  await page.getByTestId('analytics-run').click();
  await page.getByTestId('play-toggle').click();
  await page.getByTestId('analytics-last-error').waitFor({ timeout: 20_000 });
  await page.getByTestId('play-toggle').click();
  assert.match(await page.getByTestId('analytics-last-error').textContent(),
    /^Coercion_Error: [\d.]+ cannot be converted to column PRICE BOOLEAN$/);
  await page.getByTestId('analytics-results-stream').selectOption('error_stream');
  const header = await page.locator('[data-testid=analytics-results] th').allTextContents();
  assert.deepEqual(header, ['ROWTIME', 'ERROR_TIME', 'ERROR_LEVEL', 'ERROR_NAME', 'MESSAGE', 'DATA_ROWTIME', 'DATA_ROW', 'PUMP_NAME']);
  const first = await page.getByTestId('analytics-row').first().locator('td').allTextContents();
  assert.deepEqual(first.slice(2, 4), ['ERROR', 'Coercion_Error']);
  assert.match(first[6], /^7b22/, 'DATA_ROW is the record, hex-encoded');
  await shot(page, '7-error-stream');
  await page.setViewportSize({ width: 768, height: 900 });
  await shot(page, '7-error-stream-768');
  await page.setViewportSize({ width: 1280, height: 900 });

  // The record format is editable while stopped: CSV shows its delimiters, escaped.
  await page.getByTestId('analytics-stop').click();
  await page.getByTestId('analytics-format-kind').selectOption('CSV');
  assert.equal(await page.getByTestId('analytics-row-delimiter').inputValue(), '\\n');
  assert.equal(await page.getByTestId('analytics-column-delimiter').inputValue(), ',');
  await page.getByTestId('analytics-column-delimiter').fill('|');
  await page.getByTestId('analytics-column-delimiter').press('Tab');
  assert.equal(await page.getByTestId('analytics-column-delimiter').inputValue(), '|');
  const mappings = await page.locator('[data-testid=analytics-schema] tbody td.mono').allTextContents();
  assert.deepEqual(mappings, ['#1', '#2', '#3', '#4']);
  await page.locator('.analytics-schema').screenshot({ path: 'target/screenshots/analytics-8-csv-format.png' });
  assert.deepEqual(errors, []);
});
