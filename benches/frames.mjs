// Frame times of the console in headless Chromium, for the Data Streams console's goal: with
// 64 shards, 4 producers and 3 consumers at x60, a frame takes under 16 ms at the 95th
// percentile. Drives the page like a user, then records a DevTools trace over a few seconds of
// real time at x60, then at x3600, and prints per frame the main thread's WORK (the tasks run
// from one animation frame to the next: the app's engine advance, its yew render, style,
// layout and paint), split by the app's user timing measures, beside the requestAnimationFrame
// intervals (which cannot go below the display's 16.7 ms). Prints figures; asserts nothing.
import { serveDist } from '../e2e/static-server.mjs';
import { launchChromium } from '../e2e/browser.mjs';

const MEASURE_MS = { 60: 10_000, 3600: 5_000 };
/// The app's user timing measures (src/ui/frame_timing.rs).
const ENGINE = 'kinesim:advance';
const RENDER = 'kinesim:render';
const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'toplevel'];

// DIST=<dir> measures another build (a copy of an older dist/, say) under the same conditions.
const server = await serveDist(process.env.DIST ?? 'dist');
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

/// Virtual seconds since the epoch, read from the clock on screen (`YYYY-MM-DD HH:MM:SS`).
async function simSeconds() {
  const text = await page.getByTestId('sim-clock').textContent();
  return Date.parse(`${text.trim().replace(' ', 'T').slice(0, 19)}Z`) / 1000;
}

/// requestAnimationFrame intervals for `ms` of real time, in the page.
function rafIntervals(ms) {
  return page.evaluate((ms) => new Promise((resolve) => {
    const intervals = [];
    let last = performance.now();
    const end = last + ms;
    const tick = (t) => {
      intervals.push(t - last);
      last = t;
      if (t < end) requestAnimationFrame(tick); else resolve(intervals);
    };
    requestAnimationFrame(tick);
  }), ms);
}

/// A DevTools trace of the page while it runs for `ms` of real time, with the rAF intervals
/// and the simulated speed reached (virtual seconds per real second).
async function traced(ms) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: CATEGORIES, excludedCategories: ['*'] },
  });
  const [sim0, real0] = [await simSeconds(), Date.now()];
  const intervals = await rafIntervals(ms);
  const [sim1, real1] = [await simSeconds(), Date.now()];
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  return { events, intervals, speed: (sim1 - sim0) / ((real1 - real0) / 1000) };
}

/// Per animation frame on the renderer's main thread: the busy time of every top-level task
/// from this frame's task to the next one's, and the app's engine and render measures in it.
function frames(events) {
  const fires = events.filter((e) => e.name === 'FireAnimationFrame');
  const key = (e) => `${e.pid}:${e.tid}`;
  const counts = new Map();
  fires.forEach((e) => counts.set(key(e), (counts.get(key(e)) ?? 0) + 1));
  const main = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  const onMain = events.filter((e) => key(e) === main);
  // Top-level tasks: the outermost complete events of the task runner, whatever Chromium names them.
  const taskNames = new Set(['RunTask', 'ThreadControllerImpl::RunTask']);
  const tasks = [];
  for (const e of onMain.filter((e) => e.ph === 'X' && taskNames.has(e.name)).sort((a, b) => a.ts - b.ts)) {
    const last = tasks.at(-1);
    if (!last || e.ts >= last.ts + last.dur) tasks.push(e);
  }
  const fireTimes = onMain.filter((e) => e.name === 'FireAnimationFrame').map((e) => e.ts);
  const frameTasks = tasks.filter((t) => fireTimes.some((ts) => ts >= t.ts && ts <= t.ts + t.dur));
  // The app's measures: async begin/end pairs of the user timing category.
  const measures = { [ENGINE]: [], [RENDER]: [] };
  const open = new Map();
  for (const e of events.filter((e) => e.cat === 'blink.user_timing' && e.name in measures)) {
    const id = `${e.name}:${e.id ?? e.id2?.local ?? ''}`;
    if (e.ph === 'b') open.set(id, e.ts);
    if (e.ph === 'e' && open.has(id)) {
      measures[e.name].push({ ts: open.get(id), dur: e.ts - open.get(id) });
      open.delete(id);
    }
  }
  const sumIn = (list, from, to) => list.filter((x) => x.ts >= from && x.ts < to).reduce((s, x) => s + x.dur, 0) / 1000;
  const out = [];
  for (let i = 0; i + 1 < frameTasks.length; i += 1) {
    const [from, to] = [frameTasks[i].ts, frameTasks[i + 1].ts];
    const work = sumIn(tasks, from, to);
    // Thread time: what the main thread ran, without the waits of a CPU shared with others.
    const cpu = tasks.filter((t) => t.ts >= from && t.ts < to).reduce((sum, t) => sum + (t.tdur ?? t.dur), 0) / 1000;
    const engine = sumIn(measures[ENGINE], from, to);
    const render = sumIn(measures[RENDER], from, to);
    out.push({ work, cpu, engine, render, rest: work - engine - render });
  }
  return { frames: out, measured: measures[ENGINE].length > 0 };
}

function percentiles(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
  return `${at(0.5).toFixed(1)} / ${at(0.95).toFixed(1)} / ${(sorted.at(-1) ?? NaN).toFixed(1)} ms`;
}

console.log('console frames (headless Chromium, 1280x800): 64 shards, 4 producers (4,000 records/s), 3 consumers');
// SPEEDS=60 node benches/frames.mjs measures one speed only.
for (const speed of (process.env.SPEEDS ?? '60,3600').split(',').map(Number)) {
  await page.getByTestId(`speed-${speed}`).click();
  await page.waitForTimeout(1_000);
  const ms = MEASURE_MS[speed];
  const { events, intervals, speed: reached } = await traced(ms);
  const { frames: work, measured } = frames(events);
  console.log(`x${speed}, ${ms / 1000} s of real time:`);
  console.log(`  frames (rAF callbacks)                : ${intervals.length}`);
  console.log(`  frame interval        p50 / p95 / max : ${percentiles(intervals)}`);
  console.log(`  main-thread work/frame p50 / p95 / max: ${percentiles(work.map((f) => f.work))}`);
  console.log(`    of which on CPU     p50 / p95 / max : ${percentiles(work.map((f) => f.cpu))}`);
  if (measured) {
    console.log(`    engine advance      p50 / p95 / max : ${percentiles(work.map((f) => f.engine))}`);
    console.log(`    yew render          p50 / p95 / max : ${percentiles(work.map((f) => f.render))}`);
    console.log(`    style, layout, paint, other p50/p95/max: ${percentiles(work.map((f) => f.rest))}`);
  } else {
    console.log('    (no kinesim:advance / kinesim:render measures in this build: no split)');
  }
  console.log(`  simulated speed reached               : x${reached.toFixed(0)}`);
}
const succeeded = (await page.locator('[data-testid=producer-row] td:nth-child(4)').allTextContents())
  .reduce((sum, t) => sum + parseInt(t, 10), 0);
console.log(`records the producers wrote: ${succeeded}`);
await browser.close();
await server.close();
