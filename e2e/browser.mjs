// Debian's Chromium, headless, with the flags this machine's closed network needs.
import { before, after } from 'node:test';
import { mkdir } from 'node:fs/promises';
import { chromium } from 'playwright-core';
import { serveDist } from './static-server.mjs';

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// For a journey file: serves dist/ and starts Chromium before its tests, stops both after.
// The returned object's `url` and `browser` are set once the tests run.
export function servedApp() {
  const app = {};
  before(async () => {
    app.server = await serveDist();
    app.url = app.server.url;
    app.browser = await launchChromium();
  });
  after(async () => {
    await app.browser?.close();
    await app.server?.close();
  });
  return app;
}

// Opens the console in a new page of the journey's browser (`options` as Playwright's
// newPage; 1280x800 by default). `errors` collects the page's uncaught errors, which every
// journey expects to stay empty; target/screenshots/ exists for its screenshots.
export async function openConsole(app, options = { viewport: { width: 1280, height: 800 } }) {
  const page = await app.browser.newPage(options);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await mkdir('target/screenshots', { recursive: true });
  await page.goto(app.url);
  return { page, errors };
}

// Creates a provisioned data stream through the wizard and leaves the page on its stream page.
export async function createStream(page, name, shards = 1) {
  await page.getByTestId('create-data-stream').click();
  await page.getByTestId('stream-name').fill(name);
  await page.getByTestId('shard-count').fill(String(shards));
  await page.getByTestId('create-stream-submit').click();
  await page.getByTestId('stream-status').waitFor();
}

// Runs the clock at x10 until the stream on screen is ACTIVE, then pauses it.
export async function runUntilActive(page) {
  await page.getByTestId('speed-10').click();
  await page.getByTestId('play-toggle').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=stream-status]').textContent === 'ACTIVE',
    null, { timeout: 20_000 });
  await page.getByTestId('play-toggle').click();
}
