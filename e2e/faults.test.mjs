// Injected faults: the JS contract on the Node build (injectFault, faults, clearFault,
// faultEvents), then the console's Faults panel in headless Chromium: a throttling storm
// injected against a stream, its throttles counted while it runs, then cleared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { openConsole, servedApp, createStream, runUntilActive } from './browser.mjs';

const { Simulator } = createRequire(import.meta.url)('../target/pkg-node/kinesim.js');

const call = (sim, action, body) => {
  const r = sim.dispatch(`Kinesis_20131202.${action}`, JSON.stringify(body));
  assert.equal(r.status, 200, r.body);
};

test('injectFault schedules a fault that faults() lists with its effects, until clearFault', () => {
  const sim = new Simulator(3);
  call(sim, 'CreateStream', { StreamName: 's', ShardCount: 1 });
  sim.advance(60_000);
  sim.addProducer(JSON.stringify({ kind: 'tweets', stream: 's', ratePerSecond: 500, delivery: 'kpl' }));
  const id = sim.injectFault(JSON.stringify({ kind: 'throttling_storm', target: { stream: 's' },
    startAfterSeconds: 10, durationSeconds: 60, capacityPercent: 10 }));
  assert.equal(id, 'fault-1');
  let [f] = JSON.parse(sim.faults());
  assert.deepEqual([f.state, f.remainingMs, f.capacityPercent, f.target], ['scheduled', 10_000, 10, { stream: 's' }]);
  sim.advance(40_000);
  [f] = JSON.parse(sim.faults());
  assert.equal(f.state, 'active');
  assert.equal(f.remainingMs, 30_000);
  assert.ok(f.effects.writeThrottled > 0, JSON.stringify(f.effects));
  assert.ok(JSON.parse(sim.producerMetrics('producer-1')).retried > 0, 'the KPL retries');
  assert.equal(sim.clearFault(id), true);
  assert.equal(sim.clearFault(id), false);
  assert.deepEqual(JSON.parse(sim.faults()), []);
  const changes = JSON.parse(sim.faultEvents()).map((e) => e.change);
  assert.deepEqual(changes, ['cleared', 'started', 'scheduled']);
  assert.throws(() => sim.injectFault('{"kind":"meteor"}'), /kind must be one of throttling_storm, consumer_crash, lambda_errors, lambda_timeouts, s3_access_denied; got "meteor"/);
});

const app = servedApp();

test('the Faults panel injects a throttling storm, shows its effect, and clears it', { timeout: 120_000 }, async () => {
  const { page, errors } = await openConsole(app);
  await createStream(page, 'orders', 2);
  await runUntilActive(page);
  await page.getByTestId('producer-rate').fill('800');
  await page.getByTestId('producer-add').click();
  await page.getByTestId('producer-row').waitFor();
  await page.getByRole('button', { name: 'Console' }).click();

  const panel = page.getByTestId('faults-panel');
  await panel.scrollIntoViewIfNeeded();
  assert.match(await page.getByTestId('fault-target').textContent(), /orders · all shards/);
  await page.getByTestId('fault-duration').fill('600');
  await page.getByTestId('fault-percent').fill('5');
  await page.getByTestId('fault-inject').click();
  await page.getByTestId('fault-row').waitFor();
  assert.equal(await page.getByTestId('fault-state').textContent(), 'active');

  await page.getByTestId('play-toggle').click();
  await page.waitForFunction(() => parseInt(document.querySelector('[data-testid=fault-effects]')?.textContent, 10) > 100,
    null, { timeout: 20_000 });
  await page.getByTestId('play-toggle').click();
  assert.match(await page.getByTestId('fault-effects').textContent(), /writes throttled/);
  assert.match(await page.getByTestId('fault-log').textContent(), /fault-1 started \(Throttling storm\)/);
  await panel.screenshot({ path: 'target/screenshots/faults-1-storm.png' });
  await page.setViewportSize({ width: 768, height: 900 });
  await panel.screenshot({ path: 'target/screenshots/faults-2-narrow.png' });

  // A bad value is refused with the engine's words.
  await page.getByTestId('fault-duration').fill('0');
  await page.getByTestId('fault-inject').click();
  assert.equal(await page.getByTestId('fault-error').textContent(), 'durationSeconds must be a whole number from 1 to 604800; got 0');

  await page.getByTestId('fault-clear').click();
  assert.equal(await page.getByTestId('fault-row').count(), 0);
  assert.match(await page.getByTestId('fault-log').textContent(), /fault-1 cleared \(Throttling storm\) \d+ writes throttled/);
  assert.deepEqual(errors, []);
});
