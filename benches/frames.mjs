// Frame times of the console in headless Chromium, for the Data Streams console's goal: with
// 64 shards, 4 producers and 3 consumers at x60, a frame takes under 16 ms at the 95th
// percentile. Drives the page like a user, then records requestAnimationFrame intervals and
// long tasks for 10 s of real time. Prints figures; asserts nothing.
import { serveDist } from '../e2e/static-server.mjs';
import { launchChromium } from '../e2e/browser.mjs';

const MEASURE_MS = 10_000;
const server = await serveDist();
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(server.url);

await page.getByTestId('create-data-stream').click();
await page.getByTestId('stream-name').fill('bench');
await page.getByTestId('shard-count').fill('64');
await page.getByTestId('create-stream-submit').click();
await page.getByTestId('speed-60').click();
await page.getByTestId('play-toggle').click();
await page.waitForFunction(() => document.querySelector('[data-testid=stream-status]').textContent === 'ACTIVE');

for (const [kind, rate] of [['tweets', 1000], ['stock_ticks', 1000], ['game_events', 1000], ['tweets', 1000]]) {
  await page.getByTestId('producer-kind').selectOption(kind);
  await page.getByTestId('producer-rate').fill(String(rate));
  await page.getByTestId('producer-add').click();
}
for (const kind of ['polling', 'kcl', 'fanout']) {
  await page.getByTestId('consumer-kind').selectOption(kind);
  await page.getByTestId('consumer-name').fill(`${kind}-app`);
  await page.getByTestId('consumer-add').click();
}
await page.waitForTimeout(3_000); // let the world fill up before measuring

const result = await page.evaluate((ms) => new Promise((resolve) => {
  const intervals = [];
  const long = [];
  new PerformanceObserver((list) => list.getEntries().forEach((e) => long.push(e.duration)))
    .observe({ type: 'longtask', buffered: false });
  let last = performance.now();
  const end = last + ms;
  const tick = (t) => {
    intervals.push(t - last);
    last = t;
    if (t < end) requestAnimationFrame(tick); else resolve({ intervals, long });
  };
  requestAnimationFrame(tick);
}), MEASURE_MS);

const sorted = [...result.intervals].sort((a, b) => a - b);
const pct = (p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const clock = await page.getByTestId('sim-clock').textContent();
const succeeded = (await page.locator('[data-testid=producer-row] td:nth-child(4)').allTextContents())
  .reduce((sum, t) => sum + parseInt(t, 10), 0);
console.log('console frames (headless Chromium, 1280x800): 64 shards, 4 producers (4,000 records/s), 3 consumers, x60');
console.log(`  frames in ${MEASURE_MS / 1000} s          : ${sorted.length}`);
console.log(`  frame interval p50 / p95 / max : ${pct(0.5).toFixed(1)} / ${pct(0.95).toFixed(1)} / ${sorted.at(-1).toFixed(1)} ms`);
console.log(`  long tasks (> 50 ms)           : ${result.long.length}`);
console.log(`  simulated clock at the end     : ${clock}`);
console.log(`  records the producers wrote    : ${succeeded}`);
await browser.close();
await server.close();
