// A user-written JavaScript Lambda, tested in the wizard's editor, then run by Firehose in a
// Web Worker; GZIP output opened in the S3 viewer as JSON lines, and the downloaded bytes
// gunzip to exactly those lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { openConsole, createStream, runUntilActive, servedApp } from './browser.mjs';

const app = servedApp();
const shot = (page, name) => page.screenshot({ path: `target/screenshots/firehose-js-${name}.png`, fullPage: true });

test('a JavaScript transform, GZIP objects, and their download', { timeout: 180_000 }, async () => {
  const { page, errors } = await openConsole(app, { viewport: { width: 1280, height: 800 }, acceptDownloads: true });

  await createStream(page, 'test_kinesis_stream');
  await runUntilActive(page);
  await page.getByTestId('producer-rate').fill('5');
  await page.getByTestId('producer-add').click();
  await page.getByRole('button', { name: 'Console' }).first().click();
  await page.getByTestId('bucket-name').fill('kinesim-bucket');
  await page.getByTestId('create-bucket').click();

  await page.getByTestId('create-delivery-stream').click();
  await page.getByTestId('fh-name').fill('upper');
  await page.getByTestId('fh-transform').check();
  await page.getByTestId('fh-function').selectOption('__custom__');
  await page.getByTestId('fh-js-test').click();
  const response = JSON.parse(await page.getByTestId('fh-js-response').textContent());
  assert.deepEqual(response.records.map((r) => r.result), ['Ok', 'Ok']);
  assert.equal(JSON.parse(Buffer.from(response.records[0].data, 'base64').toString()).text, 'HOLA KINESIS #AWS');
  await page.getByTestId('fh-interval').fill('60');
  await page.getByTestId('fh-compression').selectOption('GZIP');
  await page.getByTestId('fh-prefix').fill('mayusculas/');
  await shot(page, '1-editor');
  await page.getByTestId('fh-submit').click();
  await page.getByTestId('fh-status').waitFor();

  await page.getByTestId('speed-60').click();
  await page.getByTestId('play-toggle').click();
  await page.waitForFunction(() => parseInt(document.querySelector('[data-testid=fh-delivered]').textContent, 10) > 0,
    null, { timeout: 60_000 });
  await page.getByTestId('play-toggle').click();
  const invocations = page.getByTestId('fh-invocations').locator('tbody tr');
  assert.ok(await invocations.count() > 0, 'the page lists the Lambda invocations');
  assert.match(await invocations.first().textContent(), /Ok$/);
  await shot(page, '2-delivery-stream');

  await page.getByTestId('fh-bucket-link').click();
  while (await page.getByTestId('s3-folder').count() > 0) await page.getByTestId('s3-folder').last().click();
  await page.getByTestId('s3-object').last().click();
  assert.match(await page.getByTestId('object-key').textContent(), /^mayusculas\/2026\/01\/01\/00\/upper-1-.*\.gz$/);
  const shown = await page.locator('[data-testid=object-content] pre').allTextContents();
  assert.ok(shown.length > 0);
  const docs = shown.map((t) => JSON.parse(t));
  assert.ok(docs.every((d) => d.text === d.text.toUpperCase()), 'every tweet went through the JS function');
  await shot(page, '3-object');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('object-download').click()]);
  const file = `target/screenshots/${download.suggestedFilename()}`;
  await download.saveAs(file);
  const lines = gunzipSync(await readFile(file)).toString().trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines, docs, 'the download gunzips to the JSON lines on screen');
  assert.deepEqual(errors, []);
});
