// Benchmark of "load all" on the leftovers screen: a sandbox with 100,000 offers and 5 warehouses at 10 requests/s
// with 200 ms latency (a real connection: at 0 ms one page at a time looked as fast as the limit), the built panel in
// headless Chromium. Prints time, requests, the ratio to the floor (requests / rate limit), 503s and memory;
// asserts nothing.
//   PANEL_DIST=target/dist-release [SANDBOX_PROFILE=release] [OFFERS=100000] [LATENCY_MS=200] [RATE=10] \
//     node tests/bench/inventories-load-all.mjs
import { startSandbox, startBrowser, connect } from '../e2e/harness.mjs';
import { sampleJsHeap, wasmMemoryBytes, watchWasmMemory } from './memory.mjs';

const OFFERS = Number(process.env.OFFERS ?? 100000);
const STORES = Number(process.env.STORES ?? 5);
const LATENCY_MS = Number(process.env.LATENCY_MS ?? 200);
const RATE = Number(process.env.RATE ?? 10);

const sandbox = await startSandbox(['--offers', String(OFFERS), '--stores', String(STORES),
  '--latency-ms', String(LATENCY_MS), '--rate-limit', String(RATE)]);
const browser = await startBrowser();
const { page } = browser;
// The table's rows live in the wasm module's linear memory, not in the JS heap: keep a handle to measure it.
await watchWasmMemory(page);
try {
  await connect(page, sandbox);
  await page.goto(`${sandbox.url}/inventories`);
  await page.waitForSelector('#inv-count', { timeout: 30000 });

  const jsHeap = await sampleJsHeap(page);
  const heapBefore = jsHeap.before;

  await sandbox.api('requests', { method: 'DELETE' });
  const started = Date.now();
  // The log keeps the last 1000 calls: count them while the walk runs.
  const seen = new Map();
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const { requests } = await sandbox.api('requests');
      for (const r of requests) seen.set(`${r.at}|${r.query}|${r.status}|${r.durationMs}`, r);
      await new Promise((ok) => setTimeout(ok, 2000));
    }
  })();
  await page.click('#inv-load-all');
  await page.waitForSelector('#inv-loaded', { timeout: 15 * 60 * 1000 });
  const loadMs = Date.now() - started;
  polling = false;
  await poller;
  const { requests } = await sandbox.api('requests');
  for (const r of requests) seen.set(`${r.at}|${r.query}|${r.status}|${r.durationMs}`, r);
  const calls = [...seen.values()].filter((r) => r.path.endsWith('/store/inventories'));
  // The sandbox's counters see every call (the polled log only the last 1000 at each poll): the totals come from them.
  const counted = (await sandbox.api('requests/counts')).counts['GET /api/v5/store/inventories'];
  const ok = calls.filter((r) => r.status === 200);
  const span = calls.length > 1 ? (Math.max(...calls.map((r) => r.at)) - Math.min(...calls.map((r) => r.at))) / 1000 : 0;
  // How many were in the sandbox at once (from each call's start and duration), and how long a page took there.
  const edges = calls.flatMap((r) => [[r.at, 1], [r.at + r.durationMs, -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let inSandbox = 0, mostInSandbox = 0;
  for (const [, d] of edges) { inSandbox += d; mostInSandbox = Math.max(mostInSandbox, inSandbox); }
  const durations = ok.map((r) => r.durationMs).sort((a, b) => a - b);
  const median = durations[Math.floor(durations.length / 2)] ?? 0;
  const floorS = counted.received / RATE;
  const loadedText = await page.textContent('#inv-loaded');
  const domRows = await page.$$eval('#inv-table tbody tr', (rows) => rows.length);
  const domNodes = await page.evaluate(() => document.getElementsByTagName('*').length);

  /** Runs `action` in the page and times until `done` holds, checked each animation frame. */
  const timed = (action, done) => page.evaluate(async ([action, done]) => {
    const act = new Function(action); const check = new Function(done);
    const t0 = performance.now();
    act();
    while (!check()) await new Promise((ok) => requestAnimationFrame(ok));
    return performance.now() - t0;
  }, [action, done]);
  const firstId = "return document.querySelector('#inv-table tbody tr')?.dataset.id";
  const sortMs = await timed(
    "window.__before = document.querySelector('#inv-table tbody tr')?.dataset.id; document.querySelector('#inv-table th[data-sort=total] button').click()",
    `return document.querySelector('#inv-table th[data-sort=total]').getAttribute('aria-sort') === 'ascending' && (function () { ${firstId} })() !== window.__before`);
  const sortDescMs = await timed(
    "window.__before = document.querySelector('#inv-table tbody tr')?.dataset.id; document.querySelector('#inv-table th[data-sort=total] button').click()",
    `return document.querySelector('#inv-table th[data-sort=total]').getAttribute('aria-sort') === 'descending' && (function () { ${firstId} })() !== window.__before`);
  const countBefore = await page.textContent('#inv-count');
  const searchMs = await timed(
    "const i = document.querySelector('#inv-search'); i.value = 'offer-0999'; i.dispatchEvent(new Event('input', {bubbles: true}))",
    `return document.querySelector('#inv-count')?.textContent !== ${JSON.stringify(countBefore)}`);
  const searchCount = await page.textContent('#inv-count');
  const clearMs = await timed(
    "const i = document.querySelector('#inv-search'); i.value = ''; i.dispatchEvent(new Event('input', {bubbles: true}))",
    `return document.querySelector('#inv-count')?.textContent === ${JSON.stringify(countBefore)}`);
  const peakHeap = await jsHeap.stop();
  const heapAfter = await jsHeap.now();

  const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;
  const offersLoaded = Number((loadedText.match(/\d+/) ?? ['0'])[0]);
  console.log(JSON.stringify({
    offers: OFFERS, stores: STORES, latencyMs: LATENCY_MS, rate: RATE,
    panel: process.env.PANEL_DIST ?? 'dist', sandbox: process.env.SANDBOX_PROFILE ?? 'debug-first',
  }));
  console.log(`load all: ${(loadMs / 1000).toFixed(1)} s for ${offersLoaded} offers = ${(offersLoaded / (loadMs / 1000)).toFixed(0)} offers/s`);
  console.log(`requests: ${counted.received} (${counted.status['200'] ?? 0} answered 200, ${counted.status['503'] ?? 0} answered 503; `
    + `the polled log saw ${calls.length}), ${(counted.received / (loadMs / 1000)).toFixed(2)} requests/s; `
    + `floor ${floorS.toFixed(1)} s (${counted.received} requests / ${RATE} per s): ${(loadMs / 1000 / floorS).toFixed(3)} x the floor`);
  console.log(`in the sandbox at once: at most ${mostInSandbox}; a page there took ${median.toFixed(0)} ms (median, with the ${LATENCY_MS} ms latency), `
    + `${(durations.at(-1) ?? 0).toFixed(0)} ms at most; calls spread over ${span.toFixed(1)} s`);
  console.log(`JS heap: before ${mb(heapBefore)}, peak ${mb(peakHeap)}, after ${mb(heapAfter)}`);
  const wasmBytes = await wasmMemoryBytes(page);
  console.log(`wasm linear memory after load (it only grows, so this is its peak): ${mb(wasmBytes)}`);
  console.log(`DOM: ${domRows} table rows, ${domNodes} elements after load`);
  console.log(`local sort of the whole set by total: ${sortMs.toFixed(0)} ms ascending, ${sortDescMs.toFixed(0)} ms descending`);
  console.log(`local search 'offer-0999' over the whole set: ${searchMs.toFixed(0)} ms (${searchCount.trim()}); clearing it: ${clearMs.toFixed(0)} ms`);
  console.log(`page errors: ${browser.errors.length ? browser.errors.join(' | ') : 'none'}`);
} finally {
  await browser.close();
  sandbox.stop();
}
