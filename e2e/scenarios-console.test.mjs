// Scenarios in the console: a refused import keeps the world, a good one replaces it; export
// downloads the setup; autosave survives a reload with the same state hash; a share link
// opens the setup; a link's JavaScript waits for consent and is shown as text; ?embed=1 is
// compact; a failing storage is reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { deflateRawSync } from 'node:zlib';
import { servedApp } from './browser.mjs';

const app = servedApp();
const shot = (page, name) => page.screenshot({ path: `target/screenshots/scenarios-${name}.png`, fullPage: true });
const hotKey = () => readFile(new URL('../www/scenarios/hot-key.json', import.meta.url), 'utf8');
const linkFor = (doc) => `#scenario=${deflateRawSync(Buffer.from(JSON.stringify(doc))).toString('base64url')}`;

test('import, export, autosave and reload, share link', { timeout: 180_000 }, async () => {
  await mkdir('target/screenshots', { recursive: true });
  const context = await app.browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(app.url);

  await page.getByTestId('scenario-import').click();
  await page.getByTestId('import-text').fill(JSON.stringify({ version: 1, streams: [{ name: 'a' }, { name: 'b', shardCount: 0 }] }));
  await page.getByTestId('import-load').click();
  assert.match(await page.getByTestId('import-error').textContent(),
    /Scenario refused; the world is unchanged\. streams\[1\]\.shardCount: ValidationException: .*Value '0' at 'shardCount'/);
  assert.equal(await page.locator('.streams-panel table').count(), 0, 'the refused scenario created nothing');
  await shot(page, '1-refused');

  await page.getByTestId('import-text').fill(await hotKey());
  await page.getByTestId('import-load').click();
  await page.getByTestId('import-dialog').waitFor({ state: 'detached' });
  await page.getByText('game_events', { exact: true }).first().waitFor();
  await shot(page, '2-imported');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('scenario-export').click()]);
  assert.equal(download.suggestedFilename(), 'kinesim-scenario.json');
  const exported = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(exported.version, 1);
  assert.equal(exported.streams[0].name, 'game_events');
  assert.equal(exported.producers[0].keys.hotKey, 'player-42');

  await page.getByTestId('speed-1').click();
  await page.getByTestId('play-toggle').click();
  await page.waitForTimeout(2_000);
  await page.getByTestId('play-toggle').click();
  await page.getByTestId('autosave-ok').waitFor();
  const saved = await page.locator('.app').getAttribute('data-autosave-hash');
  assert.match(saved, /^[0-9a-f]{32}$/);
  const packed = await page.evaluate(() => localStorage.getItem('kinesim.autosave').length);
  console.log(`autosave: ${packed} bytes packed for ${await page.getByTestId('sim-clock').textContent()}`);
  const clock = await page.getByTestId('sim-clock').textContent();

  await page.reload();
  await page.getByTestId('restored').waitFor();
  assert.equal(await page.locator('.app').getAttribute('data-restored-hash'), saved, 'the same state after reload');
  assert.equal(await page.getByTestId('sim-clock').textContent(), clock, 'the same virtual time after reload');
  await shot(page, '3-restored');

  await page.getByTestId('scenario-share').click();
  const url = await page.getByTestId('share-url').inputValue();
  assert.match(url, /#scenario=[A-Za-z0-9_-]+$/);
  await shot(page, '4-share');
  const fresh = await (await app.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await fresh.goto(url);
  await fresh.getByText('game_events', { exact: true }).first().waitFor();
  assert.equal(await fresh.getByTestId('code-consent').count(), 0, 'no code, no question');
  assert.deepEqual(errors, []);
});

test("a link's JavaScript is shown as text and runs only with consent", { timeout: 120_000 }, async () => {
  const code = '(e) => e /* <img src=x onerror="window.pwned=1"> */';
  const page = await (await app.browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await page.goto(app.url + linkFor({ version: 1, lambdas: [{ name: 'stranger', code }] }));
  await page.getByTestId('code-consent').waitFor();
  assert.equal(await page.getByTestId('consent-code').textContent(), code);
  assert.equal(await page.locator('.consent img').count(), 0, 'nothing from a scenario is inserted as HTML');
  await shot(page, '5-consent');
  await page.getByTestId('consent-skip').click();
  await page.getByTestId('code-consent').waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => window.pwned), undefined);

  await page.goto('about:blank');
  await page.goto(app.url + '#scenario=!!broken');
  assert.match(await page.getByTestId('opening-error').textContent(), /The link's scenario is damaged/);
});

test('embed mode is compact, and a failing storage is reported', { timeout: 120_000 }, async () => {
  const page = await (await app.browser.newContext({ viewport: { width: 768, height: 700 } })).newPage();
  await page.addInitScript(() => {
    Storage.prototype.setItem = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
  });
  await page.goto(app.url + '?embed=1' + linkFor(JSON.parse(await hotKey())));
  await page.locator('.app.embed').waitFor();
  assert.equal(await page.locator('.brand-tag').count(), 0);
  await page.getByTestId('play-toggle').click();
  await page.getByTestId('play-toggle').click();
  assert.match(await page.getByTestId('autosave-failed').textContent(),
    /Autosave failed; a reload will lose this world: QuotaExceededError: The quota has been exceeded\./);
  await shot(page, '6-embed-768');
});
