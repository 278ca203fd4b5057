// A student records 20 s from the synthetic camera into a video stream, asks for an ON_DEMAND
// HLS session covering seconds 5-15, and watches the player receive and play those fragments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openConsole, servedApp } from './browser.mjs';

const app = servedApp();

// The form takes the console's UTC form, to the millisecond: 2026-01-01 00:00:07.033
const utc = (ms) => new Date(ms).toISOString().replace('T', ' ').slice(0, 23);

test('record 20 s, play back seconds 5-15 through an ON_DEMAND HLS session', { timeout: 90_000 }, async () => {
  const { page, errors } = await openConsole(app, { viewport: { width: 1400, height: 1000 } });

  await page.getByTestId('video-name').fill('cam');
  await page.getByTestId('video-create').click();
  await page.getByTestId('video-status').waitFor();
  assert.equal(await page.getByTestId('video-status').textContent(), 'CREATING');

  await page.getByTestId('play-toggle').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=video-status]').textContent === 'ACTIVE');
  await page.getByTestId('camera-start').click();
  // 1-second fragments at x1: twenty fragments are twenty seconds of virtual time.
  await page.waitForFunction(
    () => parseInt(document.querySelector('[data-testid=camera-status]').textContent, 10) >= 20,
    null, { timeout: 40_000 });
  await page.getByTestId('camera-stop').click();
  await page.screenshot({ path: 'target/screenshots/video-recorded.png' });

  const oldest = Date.parse((await page.getByTestId('video-oldest').textContent()).split(' ')[0]);
  await page.getByTestId('hls-start').fill(utc(oldest + 5_000));
  await page.getByTestId('hls-end').fill(utc(oldest + 15_000));
  await page.getByTestId('hls-request').click();
  const url = await page.getByTestId('hls-url').textContent();
  assert.match(url, /^https:\/\/b-[0-9a-f]{8}\.kinesisvideo\.us-east-1\.amazonaws\.com\/hls\/v1\/getHLSMasterPlaylist\.m3u8\?SessionToken=[A-Za-z0-9]{64}$/);

  // Seconds 5 to 15, both ends inclusive on the fragment start: eleven 1-second fragments.
  await page.waitForFunction(() => document.querySelector('[data-testid=player-received]').textContent === '11',
    null, { timeout: 20_000 });
  await page.waitForFunction(() => parseFloat(document.querySelector('[data-testid=player-time]').textContent) > 1,
    null, { timeout: 20_000 });
  const playlist = await page.getByTestId('hls-playlist').textContent();
  assert.equal(playlist.match(/#EXTINF:1\.000,/g).length, 11);
  assert.ok(playlist.endsWith('#EXT-X-ENDLIST\n'));

  await page.getByText('Media playlist (GetHLSMediaPlaylist)').click();
  await page.screenshot({ path: 'target/screenshots/video-playback.png', fullPage: true });
  assert.deepEqual(errors, []);
});
