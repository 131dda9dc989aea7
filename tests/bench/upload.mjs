// Benchmark of the stock upload (issue 16, items 4 and 5): a sandbox with 100,000 offers x 5 warehouses, 10
// requests/s and 200 ms of added latency; generated wide CSV files uploaded through the built panel in headless
// Chromium. One run measures, each with its time, its requests, the ratio to the floor (requests needed / rate limit)
// and its 503s:
//   (d) the blind upload of file A (every offer);
//   (b) the dry run of file B, which differs from A in 10% of offers (the CRM holds A by then);
//   (c) that dry run plus "upload only what changed";
//   (e) the plan in IndexedDB: file C with a quantity and a purchase price in every warehouse, the upload started,
//       the page reloaded half-way, the resume offered and completed with nothing sent twice;
// then the peers' strategy (200 offers a request, one at a time, 250 ms pause) from node (PEERS=0 skips it: about 4
// minutes at this size). Requests are counted by the sandbox's counters (`/_sandbox/requests/counts`: every call
// since the last clear; its log keeps only the last 1000). Prints figures; asserts nothing.
//   PANEL_DIST=target/dist-release [SANDBOX_PROFILE=release] [OFFERS=100000] [PEERS=0] node tests/bench/upload.mjs
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startSandbox, startBrowser, connect, API_KEY, ROOT } from '../e2e/harness.mjs';
import { sampleJsHeap, wasmMemoryBytes, watchWasmMemory } from './memory.mjs';

const OFFERS = Number(process.env.OFFERS ?? 100000);
const STORES = Number(process.env.STORES ?? 5);
const RATE = 10;
const LATENCY = 200;
const UPLOAD = 'POST /api/v5/store/inventories/upload';
const READ = 'GET /api/v5/store/inventories';
const LONG = 30 * 60 * 1000;

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
const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** The sandbox's counters of one route since the last clear: received, answered 200 / 503 / other, unanswered. */
async function counts(route) {
  const c = (await sandbox.api('requests/counts')).counts[route] ?? { received: 0, status: {}, dropped: 0 };
  const answered = Object.values(c.status).reduce((a, b) => a + b, 0);
  return {
    received: c.received,
    ok: c.status['200'] ?? 0,
    limited: c.status['503'] ?? 0,
    other: answered - (c.status['200'] ?? 0) - (c.status['503'] ?? 0),
    dropped: c.dropped,
    unanswered: c.received - answered,
  };
}
const clearCounts = () => sandbox.api('requests', { method: 'DELETE' });

/** "N requests (N answered 200, N 503, ...)". */
function requestsText(c) {
  const extra = [c.other && `${c.other} other`, c.dropped && `${c.dropped} dropped`,
    c.unanswered && `${c.unanswered} left unanswered (client gone)`].filter(Boolean);
  return `${c.received} requests (${c.ok} answered 200, ${c.limited} answered 503${extra.length ? `, ${extra.join(', ')}` : ''})`;
}
/** "floor F s (R requests / 10 per s): X x the floor". */
function floorText(ms, requests) {
  const floor = requests / RATE;
  return `floor ${floor.toFixed(1)} s (${requests} requests / ${RATE} per s): ${(ms / 1000 / floor).toFixed(3)} x the floor`;
}

/** Writes a CSV of `header` and a `line(row)` per row; returns its path and size. */
function writeCsv(name, rows, header, line) {
  const file = join(dir, name);
  writeFileSync(file, [header.join(','), ...rows.map(line)].join('\r\n') + '\r\n');
  return { file, bytes: statSync(file).size };
}

/** Picks `file` as a user does (by path: no copy through the page's JS heap) and waits for its validation. */
async function pick(file) {
  const started = Date.now();
  await page.setInputFiles('#up-file', file);
  const name = file.split('/').pop();
  await page.waitForFunction((n) => document.querySelector('#up-file-name')?.textContent === n, name, { timeout: 300000 });
  await page.waitForSelector(`#up-validation-summary[data-offers="${OFFERS}"]`, { timeout: 300000 });
  return Date.now() - started;
}

const figures = async () => (await page.textContent('#up-run-figures'))?.trim() ?? '';
/** The planned requests of the job on the screen ("requests N of TOTAL"). */
const plannedChunks = async () => Number((await figures()).match(/ of (\d+)/)?.[1] ?? NaN);

/** Whether the sandbox holds `rows`' quantities for a few offers (`q(row)`: per warehouse). */
async function stockMatches(rows, stores, ids) {
  const check = await sandbox.api(`inventories?${ids.map((id) => `id=${id}`).join('&')}`);
  return check.offers.length === ids.length && check.offers.every((o) => {
    const d = rows[o.id - 1];
    return stores.every((st, j) => {
      const got = o.stores.find((x) => x.store === st.code);
      return (got?.quantity ?? 0) === d.q[j] && (d.p === undefined || got?.purchasePrice === d.p[j]);
    });
  });
}

try {
  const { body } = await sandbox.crm('/api/v5/reference/stores');
  const stores = body.stores.map((st) => ({ code: st.code, available: st.inventoryType === 'available' }));
  // The warehouse whose quantity file B changes: one that keeps quantities (not 0/1 availability).
  const changedStore = Math.max(0, stores.findIndex((st) => !st.available));
  const quantity = (id, j) => (stores[j].available ? (id + j) % 2 : (id * 7 + j * 13) % 500);

  // File A: per warehouse a quantity, and a purchase price for the first warehouse.
  const rowsA = [];
  for (let id = 1; id <= OFFERS; id++) {
    rowsA.push({ id, q: stores.map((_, j) => quantity(id, j)), price: ((id * 31) % 100000) / 100 });
  }
  const header = ['id', ...stores.map((st) => `${st.code}:quantity`), `${stores[0].code}:purchasePrice`];
  const lineA = (r) => `${r.id},${r.q.join(',')},${r.price}`;
  const fileA = writeCsv('stock-a.csv', rowsA, header, lineA);
  // File B: A with one quantity changed in every tenth offer.
  const rowsB = rowsA.map((r) => (r.id % 10 === 0
    ? { ...r, q: r.q.map((v, j) => (j === changedStore ? v + 1 : v)) } : r));
  const fileB = writeCsv('stock-b.csv', rowsB, header, lineA);
  const changedInB = rowsB.filter((r, i) => r !== rowsA[i]).length;
  // File C: a quantity and a purchase price in every warehouse (the largest plan per offer).
  const rowsC = rowsA.map((r) => ({ id: r.id, q: stores.map((_, j) => quantity(r.id + 1, j)),
    p: stores.map((_, j) => ((r.id * 37 + j * 101) % 100000) / 100) }));
  const headerC = ['id', ...stores.flatMap((st) => [`${st.code}:quantity`, `${st.code}:purchasePrice`])];
  const fileC = writeCsv('stock-c.csv', rowsC, headerC, (r) => `${r.id},${r.q.flatMap((q, j) => [q, r.p[j]]).join(',')}`);

  await connect(page, sandbox);
  await page.click('nav a[href="/upload"]');
  await page.waitForSelector('#up-reference[data-loaded=true]', { state: 'attached', timeout: 30000 });
  const jsHeap = await sampleJsHeap(page);
  const heapBefore = jsHeap.before;

  // (d) The blind upload of A.
  const parseA = await pick(fileA.file);
  const problemsA = await page.getAttribute('#up-validation-summary', 'data-problems');
  const estimateD = (await page.textContent('#up-estimate'))?.trim();
  await clearCounts();
  let t = Date.now();
  await page.click('#up-start');
  await page.waitForSelector('#up-job-state[data-state=Done]', { timeout: LONG });
  const blindMs = Date.now() - t;
  const blind = await counts(UPLOAD);
  const blindFigures = await figures();
  const blindChunks = await plannedChunks();
  const checkIds = [1, 2, 10, 777, 5000, OFFERS];
  const blindStock = await stockMatches(rowsA, stores, checkIds);

  // (b) The dry run of B, then (c) only what changed.
  const parseB = await pick(fileB.file);
  const estimateB = (await page.textContent('#up-dry-run-estimate'))?.trim();
  await clearCounts();
  t = Date.now();
  await page.click('#up-dry-run');
  await page.waitForSelector('#up-diff-counts', { timeout: LONG });
  const dryMs = Date.now() - t;
  const dry = await counts(READ);
  const plan = (await page.textContent('#up-dry-run-plan'))?.trim();
  const diff = await page.$eval('#up-diff-counts', (e) => ({ ...e.dataset }));
  await page.check('#up-only-changed');
  const estimateC = (await page.textContent('#up-estimate'))?.trim();
  await page.click('#up-start');
  await page.waitForSelector('#up-job-state[data-state=Done]', { timeout: LONG });
  const changedMs = Date.now() - t;
  const writes = await counts(UPLOAD);
  const readsAfter = await counts(READ);
  const changedFigures = await figures();
  const changedStock = await stockMatches(rowsB, stores, checkIds);
  const peakHeap = await jsHeap.stop();
  const wasmAfterC = await wasmMemoryBytes(page);

  // (e) The plan in IndexedDB: C started, the page reloaded half-way, resumed.
  const parseC = await pick(fileC.file);
  await clearCounts();
  const startedE = Date.now();
  await page.click('#up-start');
  await page.waitForSelector('#up-job-state[data-state=Running]', { timeout: 30000 });
  const chunksC = await plannedChunks();
  while ((await counts(UPLOAD)).ok < chunksC / 2) await sleep(100);
  const beforeReload = await counts(UPLOAD);
  const reloadAt = Date.now();
  await page.reload();
  await page.waitForSelector('#up-recovered', { timeout: 60000 });
  const recoverMs = Date.now() - reloadAt;
  const stored = await page.evaluate(async () => {
    const db = await new Promise((ok, fail) => {
      const r = indexedDB.open('warehouse-panel');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const all = await new Promise((ok, fail) => {
      const tx = db.transaction('values', 'readonly');
      const store = tx.objectStore('values');
      const keys = store.getAllKeys();
      const values = store.getAll();
      tx.oncomplete = () => ok(keys.result.map((k, i) => [k, values.result[i]?.length ?? 0]));
      tx.onerror = () => fail(tx.error);
    });
    db.close();
    const local = Object.keys(localStorage).filter((k) => k.includes('upload.status'))
      .map((k) => [k, localStorage.getItem(k).length]);
    // The chunks the saved status records as done (answered before the reload).
    const status = Object.keys(localStorage).filter((k) => k.includes('upload.status'))
      .map((k) => JSON.parse(localStorage.getItem(k)))[0];
    const done = status?.status?.chunks?.filter((c) => c.t === 'd').length ?? null;
    return { indexedDb: all, localStorage: local, done };
  });
  const whileAway = await counts(UPLOAD);
  const resumedAt = Date.now();
  await page.click('#up-resume');
  await page.waitForSelector('#up-job-state[data-state=Done]', { timeout: LONG });
  const restMs = Date.now() - resumedAt;
  const totalEMs = Date.now() - startedE;
  const resumed = await counts(UPLOAD);
  const resumedFigures = await figures();
  const resumedStock = await stockMatches(rowsC, stores, checkIds);
  const wasmBytes = await wasmMemoryBytes(page);

  // The peers' strategy from node: 200 offers a request, one at a time, 250 ms pause between requests; a 503 is
  // tried again after the pause.
  let peers = null;
  if (process.env.PEERS !== '0') {
    await clearCounts();
    t = Date.now();
    let sent = 0;
    for (let i = 0; i < rowsA.length; i += 200) {
      const offers = rowsA.slice(i, i + 200).map((o) => ({
        id: o.id,
        stores: stores.map((st, j) => ({ code: st.code, available: o.q[j], ...(j === 0 ? { purchasePrice: o.price } : {}) })),
      }));
      for (;;) {
        sent++;
        const res = await fetch(`${sandbox.url}/api/v5/store/inventories/upload`, {
          method: 'POST',
          headers: { 'X-API-KEY': API_KEY, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ offers: JSON.stringify(offers) }).toString(),
        });
        await res.arrayBuffer();
        await sleep(250);
        if (res.status !== 503) break;
      }
    }
    peers = { ms: Date.now() - t, sent, ...(await counts(UPLOAD)) };
  }

  console.log(JSON.stringify({ offers: OFFERS, stores: STORES, rateLimit: RATE, latencyMs: LATENCY,
    panel: process.env.PANEL_DIST ?? 'dist', sandbox: sandboxBinary(sandbox.port),
    fileBytes: { a: fileA.bytes, b: fileB.bytes, c: fileC.bytes } }));
  console.log(`parse + validate (file picked -> summary of ${OFFERS} offers): A ${s(parseA)} (${problemsA} problems), B ${s(parseB)}, C ${s(parseC)}`);
  console.log(`(d) blind upload of A: ${s(blindMs)}, ${requestsText(blind)}; ${floorText(blindMs, blindChunks)}; ` +
    `said before: "${estimateD}"; figures: ${blindFigures}; stock check: ${blindStock ? 'matches A' : 'MISMATCH'}`);
  console.log(`(b) dry run of B (${changedInB} offers differ from A): ${s(dryMs)}, ${requestsText(dry)}; ${floorText(dryMs, dry.ok)}; ` +
    `said before: "${estimateB}"; plan: "${plan}"; diff: changed ${diff.changed}, unchanged ${diff.unchanged}, not in CRM ${diff.notInCrm}`);
  console.log(`(c) dry run + only what changed: ${s(changedMs)} (dry run ${s(dryMs)}, then the upload ${s(changedMs - dryMs)}), ` +
    `reads ${requestsText(readsAfter)}, writes ${requestsText(writes)}; ${floorText(changedMs, dry.ok + writes.ok)}; ` +
    `said before the upload: "${estimateC}"; figures: ${changedFigures}; stock check: ${changedStock ? 'matches B' : 'MISMATCH'}`);
  const planEntry = stored.indexedDb.find(([k]) => String(k).includes('upload.plan'));
  console.log(`(e) IndexedDB: C (a quantity and a purchase price in each of ${STORES} warehouses, ${fileC.bytes} bytes) planned as ${chunksC} requests; ` +
    `the plan stored in IndexedDB: ${planEntry ? `${planEntry[1]} characters of JSON (${mb(planEntry[1])})` : 'NOT FOUND'}; ` +
    `status in localStorage: ${stored.localStorage.map(([k, n]) => `${n} chars`).join(', ') || 'none'}`);
  console.log(`(e) reloaded after ${beforeReload.ok} of ${chunksC} requests answered 200 (${s(reloadAt - startedE)} in): ` +
    `the resume offered (#up-recovered) ${s(recoverMs)} after the reload; the rest (${chunksC - whileAway.ok} requests) ${s(restMs)}; ` +
    `start to done ${s(totalEMs)} with the reload`);
  // Chunks the CRM applied before the reload whose answers the page never saw (in flight as it unloaded): the saved
  // status has them pending, so they are sent again.
  const lost = whileAway.ok - stored.done;
  console.log(`(e) at the reload: the CRM had answered ${whileAway.ok} with 200, the saved status recorded ${stored.done} done ` +
    `(${lost} applied but their answers lost with the page), ${whileAway.unanswered} aborted before the CRM applied them`);
  console.log(`(e) upload requests over the whole job: ${requestsText(resumed)}; planned ${chunksC}: ` +
    `${resumed.ok === chunksC ? 'nothing sent twice (answered 200 = planned)' : `${resumed.ok - chunksC} sent twice`}` +
    `${lost > 0 && resumed.ok - chunksC === lost ? ' (exactly those in flight at the reload: nothing recorded as sent was sent again)' : ''}; ` +
    `figures: ${resumedFigures}; stock check: ${resumedStock ? 'matches C' : 'MISMATCH'}`);
  console.log(`503s in all: ${blind.limited + dry.limited + writes.limited + resumed.limited}`);
  console.log(`memory: JS heap before ${mb(heapBefore)}, peak over A and B ${mb(peakHeap)}; wasm linear memory (only grows: its peak) ` +
    `${mb(wasmAfterC)} after A and B, ${mb(wasmBytes)} after the reload and C`);
  if (peers) {
    console.log(`peers' strategy (200/request, sequential, 250 ms pause): ${s(peers.ms)}, ${peers.sent} requests sent, ${requestsText(peers)}; ` +
      `${(peers.ms / blindMs).toFixed(2)}x the panel's blind upload`);
  } else {
    console.log('peers\' strategy: skipped (PEERS=0)');
  }
  console.log(`page errors: ${browser.errors.length ? browser.errors.slice(0, 5).join(' | ') : 'none'}`);
} finally {
  await browser.close();
  sandbox.stop();
  rmSync(dir, { recursive: true, force: true });
}
