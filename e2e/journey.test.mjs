// A first-time visitor: the console loads, they press play at x60 and watch simulated time move.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openConsole, servedApp } from './browser.mjs';

const app = servedApp();

test('the shell mounts, play advances the simulated clock, pause stops it', async () => {
  const { page, errors } = await openConsole(app);

  const clock = page.getByTestId('sim-clock');
  await clock.waitFor();
  assert.equal(await clock.textContent(), '2026-01-01 00:00:00 UTC');
  for (const area of ['Data Streams', 'Firehose', 'S3', 'Metrics']) {
    await page.getByRole('heading', { name: area, exact: true }).waitFor();
  }

  await page.getByTestId('step').click();
  assert.equal(await clock.textContent(), '2026-01-01 00:00:01 UTC');

  await page.getByTestId('speed-60').click();
  await page.getByTestId('play-toggle').click();
  // At x60 a real second is a simulated minute: wait until at least 10 simulated seconds pass.
  await page.waitForFunction(
    () => document.querySelector('[data-testid=sim-clock]').textContent >= '2026-01-01 00:00:11 UTC',
    null, { timeout: 10_000 });
  await page.getByTestId('play-toggle').click();
  const paused = await clock.textContent();
  assert.notEqual(paused, '2026-01-01 00:00:01 UTC');
  await page.waitForTimeout(300);
  assert.equal(await clock.textContent(), paused, 'the clock must stand still while paused');

  await page.screenshot({ path: 'target/screenshots/journey-shell.png' });
  assert.deepEqual(errors, []);
});
