// Cold start of the built panel (issue 18, item 4): headless Chromium with 4x CPU throttling and the DevTools
// "Fast 3G" network profile (562.5 ms latency, 1.44 Mbit/s down, 675 kbit/s up), an empty cache, the files served
// gzip -9 like a deployment serves them (COMPRESS=0 serves them as they are). Measures the time from navigation
// to the first text painted (the "Loading…" of index.html) and to the connection screen being usable: the key input
// enabled and the check button enabled (clickable), with when
// the wasm finished downloading and when the app started. Prints figures for each run and their median; asserts
// nothing.
//   [PANEL_DIST=dist] [RUNS=5] [COMPRESS=0] node tests/bench/cold-start.mjs
import { createServer } from 'node:http';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST, listen, startBrowser } from '../e2e/harness.mjs';

const RUNS = Number(process.env.RUNS ?? 5);
const COMPRESS = process.env.COMPRESS !== '0';
// DevTools' "Fast 3G" preset (bytes per second and milliseconds, as the protocol takes them).
const FAST_3G = { offline: false, latency: 562.5, downloadThroughput: (1.6e6 / 8) * 0.9, uploadThroughput: (750e3 / 8) * 0.9 };
const CPU_SLOWDOWN = 4;
const MIME = {
  '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css',
  '.json': 'application/json', '.svg': 'image/svg+xml',
};

// Every file of dist/ read (and compressed) once, before the timed runs.
const files = new Map();
for (const name of readdirSync(DIST).filter((f) => statSync(join(DIST, f)).isFile())) {
  const raw = readFileSync(join(DIST, name));
  files.set(`/${name}`, { raw, gz: gzipSync(raw, { level: 9 }) });
}
const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
  const name = files.has(path) ? path : '/index.html';
  const file = files.get(name);
  const zipped = COMPRESS && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
  res.writeHead(200, {
    'content-type': MIME[extname(name)] ?? 'application/octet-stream',
    'cache-control': 'no-store',
    ...(zipped ? { 'content-encoding': 'gzip' } : {}),
  });
  res.end(zipped ? file.gz : file.raw);
});
const panel = await listen(server);

/** Records (in the page) when the connection screen becomes usable, and when the app started. */
function watchUsable() {
  const usable = () => {
    const key = document.getElementById('api-key');
    const check = document.getElementById('check-connection');
    return key && check && !key.disabled && !check.disabled && check.getClientRects().length > 0;
  };
  addEventListener('TrunkApplicationStarted', () => { window.__started = performance.now(); });
  const observer = new MutationObserver(() => {
    if (window.__usable === undefined && usable()) {
      window.__usable = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true });
}

const wasm = [...files.keys()].find((f) => f.endsWith('.wasm'));
const wasmBytes = files.get(wasm);
console.log(`cold start: ${DIST}, wasm ${wasmBytes.raw.length} B raw, ${wasmBytes.gz.length} B gzip -9 ` +
  `(served ${COMPRESS ? 'gzip' : 'uncompressed'}); ${CPU_SLOWDOWN}x CPU slowdown, Fast 3G ` +
  `(${FAST_3G.latency} ms, ${(FAST_3G.downloadThroughput * 8 / 1e6).toFixed(2)} Mbit/s down); ${RUNS} runs`);

const results = [];
for (let run = 1; run <= RUNS; run++) {
  const browser = await startBrowser();
  try {
    const { page } = browser;
    await page.addInitScript(watchUsable);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', FAST_3G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    await page.goto(`${panel.url}/`, { waitUntil: 'commit', timeout: 120000 });
    await page.waitForFunction(() => window.__usable !== undefined, null, { timeout: 120000, polling: 200 });
    const figures = await page.evaluate((wasmPath) => {
      const entry = performance.getEntriesByType('resource').find((e) => new URL(e.name).pathname === wasmPath);
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      return { usable: window.__usable, started: window.__started, wasmLoaded: entry?.responseEnd, firstText: paint?.startTime };
    }, wasm);
    if (browser.errors.length) throw new Error(`errors on the page: ${browser.errors.join('; ')}`);
    results.push(figures);
    const ms = (v) => (v === undefined ? '?' : `${Math.round(v)} ms`);
    console.log(`run ${run}: first text at ${ms(figures.firstText)}, usable at ${ms(figures.usable)} ` +
      `(wasm downloaded at ${ms(figures.wasmLoaded)}, app started at ${ms(figures.started)})`);
  } finally {
    await browser.close();
  }
}
panel.stop();

const median = (values) => {
  const sorted = values.filter((v) => v !== undefined).sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
console.log(`cold start: median ${Math.round(median(results.map((r) => r.firstText)))} ms to the first text, ` +
  `${Math.round(median(results.map((r) => r.usable)))} ms to a usable connection ` +
  `screen (wasm downloaded at ${Math.round(median(results.map((r) => r.wasmLoaded)))} ms, app started at ` +
  `${Math.round(median(results.map((r) => r.started)))} ms)`);
