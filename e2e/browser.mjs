// Debian's Chromium, headless, with the flags this machine's closed network needs.
import { before, after } from 'node:test';
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
