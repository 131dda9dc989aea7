// Benchmark of the stock upload (issue 7, item 7): a sandbox with 100,000 offers x 5 warehouses, 10 requests/s and
// 200 ms of added latency; a generated wide CSV uploaded through the built panel in headless Chromium, then the same
// data with the peers' strategy (200 offers a request, one at a time, 250 ms pause) from node. Prints figures; asserts
// nothing.
//   PANEL_DIST=target/dist-upload-release [SANDBOX_PROFILE=release] [OFFERS=100000] node tests/bench/upload.mjs
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startSandbox, startBrowser, connect, API_KEY, ROOT } from '../e2e/harness.mjs';
import { sampleJsHeap, wasmMemoryBytes, watchWasmMemory } from './memory.mjs';

const OFFERS = Number(process.env.OFFERS ?? 100000);
const STORES = Number(process.env.STORES ?? 5);
const RATE = 10;
const LATENCY = 200;
const UPLOAD = '/api/v5/store/inventories/upload';

/** The crm-sandbox binary the harness started on `port` (its choice of profile), from the running processes. */
function sandboxBinary(port) {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    let args;
    try { args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'); } catch { continue; }
    const at = args.indexOf('--port');
    if (at > 0 && args[at + 1] === String(port) && args[0].endsWith('crm-sandbox')) return relative(ROOT, args[0]);
  }
  return 'unknown';
}

const sandbox = await startSandbox(['--offers', String(OFFERS), '--stores', String(STORES),
  '--rate-limit', String(RATE), '--latency-ms', String(LATENCY)]);
const browser = await startBrowser();
const { page } = browser;
const dir = mkdtempSync(join(tmpdir(), 'wp-bench-upload-'));
await watchWasmMemory(page);
const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** Counts upload calls in the sandbox's log (it keeps the last 1000) by polling it while `work` runs. */
async function counting(work) {
  await sandbox.api('requests', { method: 'DELETE' });
  const seen = new Map();
  const poll = async () => {
    const { requests } = await sandbox.api('requests');
    for (const r of requests) seen.set(`${r.at}|${r.method}|${r.path}|${r.status}|${r.durationMs}`, r);
  };
  let polling = true;
  const poller = (async () => { while (polling) { await poll(); await sleep(3000); } })();
  const started = Date.now();
  const result = await work();
  const ms = Date.now() - started;
  polling = false;
  await poller;
  await poll();
  const calls = [...seen.values()].filter((r) => r.path === UPLOAD);
  return {
    ms,
    result,
    ok: calls.filter((r) => r.status === 200).length,
    limited: calls.filter((r) => r.status === 503).length,
    dropped: calls.filter((r) => r.dropped).length,
    other: calls.filter((r) => r.status !== 200 && r.status !== 503).length,
  };
}

try {
  const { body } = await sandbox.crm('/api/v5/reference/stores');
  const stores = body.stores.map((s) => ({ code: s.code, available: s.inventoryType === 'available' }));
  // The wide layout: offer id, per warehouse a quantity, and a purchase price for the first warehouse.
  const header = ['id', ...stores.map((s) => `${s.code}:quantity`), `${stores[0].code}:purchasePrice`];
  const data = [];
  const lines = [header.join(',')];
  for (let id = 1; id <= OFFERS; id++) {
    const q = stores.map((s, j) => (s.available ? (id + j) % 2 : (id * 7 + j * 13) % 500));
    const price = ((id * 31) % 100000) / 100;
    data.push({ id, q, price });
    lines.push(`${id},${q.join(',')},${price}`);
  }
  const file = join(dir, 'stock-100k.csv');
  writeFileSync(file, lines.join('\r\n') + '\r\n');
  const bytes = readFileSync(file);

  await connect(page, sandbox);
  await page.click('nav a[href="/upload"]');
  await page.waitForSelector('#up-reference[data-loaded=true]', { state: 'attached', timeout: 30000 });

  const jsHeap = await sampleJsHeap(page);
  const heapBefore = jsHeap.before;

  let t = Date.now();
  // Picked by path, as a user picks it: no copy of the file passes through the page's JS heap.
  await page.setInputFiles('#up-file', file);
  await page.waitForSelector(`#up-validation-summary[data-offers="${OFFERS}"]`, { timeout: 300000 });
  const parseMs = Date.now() - t;
  const problems = await page.getAttribute('#up-validation-summary', 'data-problems');
  // The JS heap peak per phase: reading + validating the file, then the upload.
  const peakHeapRead = await jsHeap.stop();
  const uploadHeap = await sampleJsHeap(page);

  const panel = await counting(async () => {
    await page.click('#up-start');
    await page.waitForSelector('#up-job-state[data-state=Done]', { timeout: 30 * 60 * 1000 });
  });
  const figures = await page.textContent('#up-run-figures');
  const notSaved = await page.$('#up-not-saved');
  // What the job left on the device (the plan is written once, the status after each chunk).
  const stored = await page.evaluate(() => Object.keys(localStorage)
    .filter((k) => k.startsWith('warehouse-panel.upload.job'))
    .map((k) => `${k.replace('warehouse-panel.upload.', '')} ${localStorage.getItem(k).length} chars`));
  const peakHeapUpload = await uploadHeap.stop();
  const peakHeap = Math.max(peakHeapRead, peakHeapUpload);
  const wasmBytes = await wasmMemoryBytes(page);
  const check = await sandbox.api(`inventories?${[1, 2, 777, OFFERS].map((id) => `id=${id}`).join('&')}`);

  // The peers' strategy from node: 200 offers a request, one at a time, 250 ms pause between requests; a 503 is
  // tried again after the pause.
  // PEERS=0 skips the peers' strategy (about 4 minutes at this size).
  const peers = process.env.PEERS === '0' ? { ms: NaN, ok: 0, limited: 0, result: 0 } : await counting(async () => {
    let requests = 0;
    for (let i = 0; i < data.length; i += 200) {
      const offers = data.slice(i, i + 200).map((o) => ({
        id: o.id,
        stores: stores.map((s, j) => ({ code: s.code, available: o.q[j], ...(j === 0 ? { purchasePrice: o.price } : {}) })),
      }));
      for (;;) {
        requests++;
        const res = await fetch(`${sandbox.url}${UPLOAD}`, {
          method: 'POST',
          headers: { 'X-API-KEY': API_KEY, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ offers: JSON.stringify(offers) }).toString(),
        });
        await res.arrayBuffer();
        await sleep(250);
        if (res.status !== 503) break;
      }
    }
    return requests;
  });

  const limitS = panel.ok / RATE;
  console.log(JSON.stringify({ offers: OFFERS, stores: STORES, rateLimit: RATE, latencyMs: LATENCY,
    panel: process.env.PANEL_DIST ?? 'dist', sandbox: sandboxBinary(sandbox.port),
    fileBytes: bytes.length }));
  console.log(`parse + validate (file picked -> summary of ${OFFERS} offers, ${problems} problems): ${(parseMs / 1000).toFixed(2)} s`);
  console.log(`panel upload ("upload" -> done): ${(panel.ms / 1000).toFixed(1)} s, ${panel.ok} requests answered 200, ` +
    `${panel.limited} answered 503, ${panel.dropped} dropped, ${panel.other} other`);
  console.log(`physical limit: ${panel.ok} requests / ${RATE} rps = ${limitS.toFixed(1)} s; ratio wall/limit = ${(panel.ms / 1000 / limitS).toFixed(3)}`);
  console.log(`panel figures: ${figures?.trim()}`);
  console.log(`job kept on the device: ${notSaved ? 'NO (too large: the panel says resume after reload is unavailable)' : 'yes'}; ${stored.join(', ') || 'nothing left (done)'}`);
  console.log(`JS heap: before ${mb(heapBefore)}, peak while reading the file ${mb(peakHeapRead)}, ` +
    `peak while uploading ${mb(peakHeapUpload)}, peak ${mb(peakHeap)}; wasm linear memory (only grows: its peak) ${mb(wasmBytes)}; ` +
    `sum of peaks ${mb(peakHeap + wasmBytes)}`);
  console.log(`sandbox stock check (ids 1, 2, 777, ${OFFERS}): ${check.offers.every((o) => {
    const d = data[o.id - 1];
    return stores.every((s, j) => (o.stores.find((x) => x.store === s.code)?.quantity ?? 0) === d.q[j]);
  }) ? 'matches the file' : 'MISMATCH'}`);
  console.log(`peers' strategy (200/request, sequential, 250 ms pause): ${(peers.ms / 1000).toFixed(1)} s, ${peers.result} requests ` +
    `(${peers.ok} answered 200, ${peers.limited} answered 503)`);
  console.log(`ratio peers / panel: ${(peers.ms / panel.ms).toFixed(2)}x`);
  console.log(`page errors: ${browser.errors.length ? browser.errors.slice(0, 5).join(' | ') : 'none'}`);
} finally {
  await browser.close();
  sandbox.stop();
  rmSync(dir, { recursive: true, force: true });
}
