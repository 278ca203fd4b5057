// The first course note, clicked through: a data stream with a tweets producer, a delivery
// stream reading it through transform_to_json, Parquet via the Glue table tweets_json, a 60 s
// interval, prefix carpeta_tweests_exitosos/ and an error prefix; then the S3 tree down to the
// newest object, opened as a table and downloaded, and the download read by pyarrow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { openConsole, createStream, runUntilActive, servedApp } from './browser.mjs';

const app = servedApp();
const shot = (page, name) => page.screenshot({ path: `target/screenshots/firehose-${name}.png`, fullPage: true });

test('course note 1: Kinesis → Firehose (transform_to_json, Parquet) → S3, downloaded and read by pyarrow', { timeout: 180_000 }, async () => {
  const { page, errors } = await openConsole(app, { viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  // The course note is in Spanish: the console and the guided lesson follow it in Spanish.
  await page.getByTestId('lang').selectOption('es');
  await page.getByTestId('lesson-toggle').click();
  const current = () => page.locator('[data-testid=lesson-step].current strong').textContent();
  assert.equal(await current(), 'Crea el data stream test_kinesis_stream');
  await shot(page, '0-console');

  // The data stream and its producer of tweets.
  await createStream(page, 'test_kinesis_stream');
  await runUntilActive(page);
  assert.equal(await current(), 'Agrega un productor de tweets');
  await page.getByTestId('producer-kind').selectOption('tweets');
  await page.getByTestId('producer-rate').fill('20');
  await page.getByTestId('producer-add').click();
  await page.getByTestId('producer-row').waitFor();
  await shot(page, '1-stream-with-producer');
  assert.equal(await current(), 'Crea el delivery stream con transform_to_json');
  await page.getByRole('button', { name: /^(Console|Consola)$/ }).first().click();

  // The delivery stream, step by step.
  await page.getByTestId('create-delivery-stream').click();
  assert.equal(await page.getByTestId('fh-kinesis-stream').inputValue(), 'test_kinesis_stream');
  await page.getByTestId('fh-name').fill('PUT-S3-tweets');
  await page.getByTestId('fh-transform').check();
  assert.equal(await page.getByTestId('fh-function').inputValue(), 'transform_to_json');
  await page.getByTestId('fh-convert').selectOption('Parquet');
  // No Glue table yet: the wizard says so and offers the editor, prefilled with tweets_json.
  assert.match(await page.locator('[data-testid=field-problem]').allTextContents().then((t) => t.join('|')),
    /Glue table kinesis_db\.tweets_json does not exist/);
  await page.getByTestId('glue-create').click();
  await page.getByTestId('fh-new-bucket').fill('kinesim-bucket');
  await page.getByTestId('fh-create-bucket').click();
  assert.equal(await page.getByTestId('fh-bucket').inputValue(), 'kinesim-bucket');
  await page.getByTestId('fh-prefix').fill('carpeta_tweests_exitosos/');
  await page.getByTestId('fh-error-prefix').fill('carpeta_tweests_fallidos/');
  await page.getByTestId('fh-interval').fill('60');
  // 5 MiB is below the conversion minimum: explained, and the create button stays off.
  assert.match(await page.locator('[data-testid=field-problem]').allTextContents().then((t) => t.join('|')),
    /SizeInMBs must be 64 to 128; got 5/);
  assert.ok(await page.getByTestId('fh-submit').isDisabled());
  await page.getByTestId('fh-size').fill('64');
  assert.match(await page.getByTestId('key-preview-data').textContent(),
    /^s3:\/\/kinesim-bucket\/carpeta_tweests_exitosos\/2026\/01\/01\/00\/PUT-S3-tweets-1-2026-01-01-00-00-\d\d-.*\.parquet$/);
  await shot(page, '2-wizard');
  await page.setViewportSize({ width: 768, height: 900 });
  await shot(page, '2-wizard-768');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByTestId('fh-submit').click();
  await page.getByTestId('fh-status').waitFor();
  assert.equal(await current(), 'Deja correr el tiempo más allá del intervalo de 60 s');

  // Time runs past the 60 s interval: the buffer flushes, an object lands.
  await page.getByTestId('speed-60').click();
  await page.getByTestId('play-toggle').click();
  await page.waitForFunction(() => parseInt(document.querySelector('[data-testid=fh-delivered]').textContent, 10) > 0,
    null, { timeout: 60_000 });
  await page.getByTestId('play-toggle').click();
  await shot(page, '3-delivery-stream');

  // The S3 tree, folder by folder, to the newest object.
  await page.getByTestId('fh-bucket-link').click();
  const path = [];
  for (;;) {
    const folders = page.getByTestId('s3-folder');
    if (await folders.count() === 0) break;
    const last = folders.last();
    path.push((await last.textContent()).replace('📁 ', ''));
    await last.click();
  }
  assert.equal(path[0], 'carpeta_tweests_exitosos/');
  assert.deepEqual(path.slice(1, 4), ['2026/', '01/', '01/']);
  assert.equal(path.length, 5, `prefix/YYYY/MM/DD/HH/: ${path}`);
  await shot(page, '4-s3-tree');
  await page.getByTestId('s3-object').last().click();
  const table = page.getByTestId('parquet-table');
  await table.waitFor();
  const headers = await table.locator('th').allTextContents();
  assert.ok(headers.some((h) => h.startsWith('text')), headers.join());
  assert.ok(await table.locator('tbody tr').count() > 0);
  await page.getByTestId('lesson-done').waitFor();
  assert.equal(await page.locator('[data-testid=lesson-step].done').count(), 7);
  await shot(page, '5-object');
  await page.setViewportSize({ width: 768, height: 900 });
  await shot(page, '5-object-768');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('object-download').click()]);
  assert.match(download.suggestedFilename(), /^PUT-S3-tweets-1-.*\.parquet$/);
  const file = `target/screenshots/${download.suggestedFilename()}`;
  await download.saveAs(file);
  const rows = execFileSync('python3', ['-c', `
import sys, pyarrow.parquet as pq
t = pq.read_table(sys.argv[1])
assert t.num_rows > 0, t
assert set(['id', 'text', 'created_at']) <= set(t.column_names), t.column_names
assert all(v is not None for v in t.column('text').to_pylist())
print(t.num_rows)
`, file]).toString().trim();
  assert.ok(parseInt(rows, 10) > 0, rows);
  assert.equal(await table.locator('thead + tbody tr').count() > 0, true);
  assert.deepEqual(errors, []);
});
