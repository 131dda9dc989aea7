// Benchmark of reading large and wide files on the Upload screen (issue 15, item 6): the built panel in headless
// Chromium, each file picked from disk as an operator picks it, on a freshly loaded page (the wasm linear memory
// only grows, so its size after the verdict is the case's peak). Prints the time from the pick to the verdict, the
// verdict, the peak wasm memory and the JS heap peak; asserts nothing. The target (issue 15): a 100 MB file under
// 1 GB of wasm memory.
//   PANEL_DIST=target/dist-release [START=1] node tests/bench/files.mjs [case ...]
// Cases: rows-1m (1,000,000 rows of about 100 bytes), largest-utf8 and largest-cp1251 (1,000,000 rows filling the
// byte limit, 100 MiB, in UTF-8 and in Windows-1251), cells-10m (1,000 columns x 10,000 rows: the cell limit),
// columns-5000 (refused).
import { mkdtempSync, openSync, writeSync, closeSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, startBrowser, connect } from '../e2e/harness.mjs';
import { sampleJsHeap, wasmMemoryBytes, watchWasmMemory } from './memory.mjs';

/** The panel's limits (src/sheet/limits.rs). */
const MAX_BYTES = 100 * 1024 * 1024;
const MAX_ROWS = 1_000_000;

const NAMES = ['Футболка мужская хлопковая', 'Кастрюля из нержавеющей стали', 'Наушники беспроводные',
  'Тетрадь в клетку', 'Молоко пастеризованное', 'Палатка туристическая'];
const HEADER = 'externalId;name;main;north;south;east;west;main:purchasePrice;north:purchasePrice;south:purchasePrice\n';

/** Text to bytes: UTF-8, or Windows-1251 by inverting the browser's decoder (node has no 1251 encoder). */
const cp1251 = (() => {
  const decoder = new TextDecoder('windows-1251');
  const table = new Map();
  for (let b = 0x80; b <= 0xff; b++) table.set(decoder.decode(Uint8Array.of(b)), b);
  return (text) => Buffer.from([...text].map((c) => (c.charCodeAt(0) < 0x80 ? c.charCodeAt(0) : table.get(c))));
})();

/** Writes a stock file of `rows` rows of ten columns, each padded (its last price's digits) to fill `bytes` exactly when
 * the rows are short enough. */
function stockFile(path, rows, bytes, encode) {
  const fd = openSync(path, 'w');
  const header = encode(HEADER);
  writeSync(fd, header);
  const perRow = Math.floor((bytes - header.length) / rows);
  // The first rows take the bytes left over by the division.
  const longer = bytes - header.length - perRow * rows;
  let batch = [];
  for (let i = 0; i < rows; i++) {
    const row = `SKU-${String(i).padStart(7, '0')};${NAMES[i % NAMES.length]};${i % 97};${i % 13};${i % 7};${i % 250};` +
      `${i % 3};${i % 1000},${String(i % 100).padStart(2, '0')};${i % 5000};${i % 900}`;
    const encoded = encode(row);
    const width = perRow + (i < longer ? 1 : 0);
    batch.push(encoded, encode('0'.repeat(Math.max(0, width - encoded.length - 1)) + '\n'));
    if (batch.length >= 20000) {
      writeSync(fd, Buffer.concat(batch));
      batch = [];
    }
  }
  writeSync(fd, Buffer.concat(batch));
  closeSync(fd);
}

/** Writes `rows` rows of `columns` one-character cells (and a header). */
function gridFile(path, columns, rows) {
  const fd = openSync(path, 'w');
  writeSync(fd, `${['externalId', 'main', ...Array.from({ length: columns - 2 }, (_, c) => `c${c}`)].join(';')}\n`);
  const rest = ';1'.repeat(columns - 2);
  let batch = [];
  for (let i = 0; i < rows; i++) {
    batch.push(`K${i};${i % 10}${rest}\n`);
    if (batch.length >= 1000) {
      writeSync(fd, batch.join(''));
      batch = [];
    }
  }
  writeSync(fd, batch.join(''));
  closeSync(fd);
}

const CASES = {
  'rows-1m': (path) => stockFile(path, MAX_ROWS, 100 * MAX_ROWS, Buffer.from),
  'largest-utf8': (path) => stockFile(path, MAX_ROWS, MAX_BYTES, Buffer.from),
  'largest-cp1251': (path) => stockFile(path, MAX_ROWS, MAX_BYTES, cp1251),
  'cells-10m': (path) => gridFile(path, 1000, 10_000),
  'columns-5000': (path) => gridFile(path, 5000, 100),
};

const chosen = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(CASES);
const sandbox = await startSandbox(['--offers', '300']);
const browser = await startBrowser();
const { page } = browser;
const dir = mkdtempSync(join(tmpdir(), 'wp-bench-files-'));
const mb = (b) => `${(b / 1048576).toFixed(1)} MB`;
await watchWasmMemory(page);
try {
  await connect(page, sandbox);
  console.log(JSON.stringify({ panel: process.env.PANEL_DIST ?? 'dist', cases: chosen }));
  for (const name of chosen) {
    const make = CASES[name];
    if (!make) {
      console.log(`${name}: unknown case, one of ${Object.keys(CASES).join(', ')}`);
      continue;
    }
    const path = join(dir, `${name}.csv`);
    make(path);
    const bytes = statSync(path).size;
    // A fresh page: a new wasm instance whose memory starts small.
    await page.goto(`${sandbox.url}/upload`);
    await page.waitForSelector('#up-reference[data-loaded=true]', { state: 'attached', timeout: 30000 });
    const wasmBefore = await wasmMemoryBytes(page);
    const heap = await sampleJsHeap(page);
    const started = Date.now();
    await page.setInputFiles('#up-file', path);
    await page.waitForFunction((n) => document.querySelector('#up-file-name')?.textContent === n, `${name}.csv`,
      { timeout: 10 * 60 * 1000 });
    await page.waitForSelector('#up-read-error, #up-validation-summary', { timeout: 10 * 60 * 1000 });
    const ms = Date.now() - started;
    const heapPeak = await heap.stop();
    const wasm = await wasmMemoryBytes(page);
    const error = await page.$('#up-read-error');
    const verdict = error ? `refused: "${(await error.textContent()).trim()}"` : await page.evaluate(() => {
      const d = document.querySelector('#up-detected').dataset;
      const v = document.querySelector('#up-validation-summary').dataset;
      return `${d.rows} rows read as ${d.encoding}, ${v.offers} offers ready, ${v.problems} problems`;
    });
    const elements = await page.evaluate(() => document.getElementsByTagName('*').length);
    console.log(`${name}: ${mb(bytes)} (${bytes} bytes): ${verdict}; ${(ms / 1000).toFixed(1)} s to the verdict; ` +
      `wasm memory ${mb(wasmBefore)} -> ${mb(wasm)} (its peak); JS heap peak ${mb(heapPeak)}; ${elements} elements in the page`);
    if (!error && process.env.START === '1') {
      // START=1: then the upload planned, saved and started (and paused): the memory of the step after the verdict.
      // The sandbox refuses the made-up offers of the first requests (400): those show as console errors.
      const planned = Date.now();
      await page.click('#up-start');
      await page.waitForSelector('#up-job-state[data-state=Running]', { timeout: 10 * 60 * 1000 });
      await page.click('#up-pause');
      await page.waitForSelector('#up-job-state[data-state=Paused]', { timeout: 60000 });
      console.log(`${name}: the upload started (planned and saved) and paused in ${((Date.now() - planned) / 1000).toFixed(1)} s; ` +
        `wasm memory then ${mb(await wasmMemoryBytes(page))}; the job kept on the device: ${(await page.$('#up-not-saved')) ? 'no' : 'yes'}`);
      await page.click('#up-discard').catch(() => {});
    }
    rmSync(path, { force: true });
  }
  console.log(`page errors: ${browser.errors.length ? browser.errors.slice(0, 5).join(' | ') : 'none'}`);
} finally {
  await browser.close();
  sandbox.stop();
  rmSync(dir, { recursive: true, force: true });
}
