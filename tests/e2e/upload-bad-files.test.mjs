// A corpus of bad and awkward stock files (issue 15): each is picked on the Upload screen as an operator picks it and
// gives a clear message (a read error naming what the file is and the fix) or an explicit verdict, within its time
// and never with a page error. The large files are generated here (a sparse file for the byte limit); the
// 50 MB file's size is LARGE_MB.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, openSync, writeSync, ftruncateSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, startBrowser, connect } from './harness.mjs';
import { wasmMemoryBytes, watchWasmMemory } from '../bench/memory.mjs';

/** The panel's limits (src/sheet/limits.rs). */
const MAX_BYTES = 100 * 1024 * 1024;
const MAX_COLUMNS = 1000;
const MAX_ROWS = 1_000_000;
const MAX_CELLS = 10_000_000;

let sandbox, browser, dir;
before(async () => {
  sandbox = await startSandbox(['--offers', '300']);
  browser = await startBrowser();
  dir = mkdtempSync(join(tmpdir(), 'wp-bad-files-'));
  const { page } = browser;
  await watchWasmMemory(page);
  await connect(page, sandbox);
  await page.click('nav a[href="/upload"]');
  await page.waitForSelector('#up-reference[data-loaded=true]', { state: 'attached', timeout: 15000 });
});
after(async () => {
  await browser?.close();
  sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Every test ends with no page error (a wasm panic, an uncaught exception, a console error) of its own.
let errorsBefore = 0;
beforeEach(() => { errorsBefore = browser.errors.length; });
afterEach(() => { assert.deepEqual(browser.errors.slice(errorsBefore), [], 'no page error'); });

/** Bytes in a single-byte Cyrillic encoding the browser can decode (windows-1251, koi8-r), by inverting its decoder. */
function encodeSingleByte(text, label) {
  const decoder = new TextDecoder(label);
  const table = new Map();
  for (let b = 0x80; b <= 0xff; b++) table.set(decoder.decode(Uint8Array.of(b)), b);
  return Buffer.from([...text].map((c) => (c.charCodeAt(0) < 0x80 ? c.charCodeAt(0) : table.get(c))));
}

let counter = 0;
/** Picks a file (bytes, or `{path}` of one on disk) and waits for the file name and the screen's verdict. */
async function pick(content, name = `file-${++counter}.csv`, timeout = 15000) {
  const { page } = browser;
  if (content.path) {
    await page.setInputFiles('#up-file', content.path);
    name = content.path.split('/').pop();
  } else {
    const buffer = Buffer.from(content);
    if (buffer.length > 32 * 1048576) {
      // Playwright hands over at most 50 MB from memory: larger files go through a file on disk.
      const path = join(dir, name);
      writeFileSync(path, buffer);
      try {
        await page.setInputFiles('#up-file', path);
      } finally {
        rmSync(path, { force: true });
      }
    } else {
      await page.setInputFiles('#up-file', { name, mimeType: 'text/csv', buffer });
    }
  }
  await page.waitForFunction((n) => document.querySelector('#up-file-name')?.textContent === n, name, { timeout });
  await page.waitForSelector('#up-read-error, #up-validation-summary', { timeout });
}

/** What the screen says about the file just picked. */
async function verdict() {
  const { page } = browser;
  // Each read looks once (no waiting for an element that may rightly be absent).
  const text = async (selector) => (await (await page.$(selector))?.textContent())?.trim() ?? null;
  const attribute = async (selector, name) => (await page.$(selector))?.getAttribute(name) ?? null;
  const error = await text('#up-read-error');
  if (error) return { error };
  return {
    rows: Number(await attribute('#up-detected', 'data-rows')),
    encoding: await attribute('#up-detected', 'data-encoding'),
    delimiter: await attribute('#up-detected', 'data-delimiter'),
    guessed: Boolean(await page.$('#up-encoding-guessed')),
    badLines: await text('#up-bad-lines'),
    preview: await text('#up-preview'),
    offers: Number(await attribute('#up-validation-summary', 'data-offers')),
    problems: Number(await attribute('#up-validation-summary', 'data-problems')),
    green: ((await attribute('#up-validation-summary', 'class')) ?? '').split(/\s+/).includes('ok'),
    nothing: await attribute('#up-nothing', 'data-reason'),
    kinds: await page.$$eval('.up-problem-group', (g) => g.map((e) => e.dataset.kind)),
    dryRun: Boolean(await page.$('#up-dry-run')),
  };
}

/** Picks a file and returns the verdict and the milliseconds from the pick to it. */
async function tried(content, name, timeout) {
  const started = Date.now();
  await pick(content, name, timeout);
  const ms = Date.now() - started;
  return { ...(await verdict()), ms };
}

/** Reads-error cases: the file, and what the message must say. */
const refused = {
  'an empty file': ['', /empty/i],
  'blank lines only': ['\r\n\r\n  \r\n', /empty/i],
  'a quote that never closes (names its line)': ['id;main\n1;5\n2;"6\n3;7\n', /line 3 never closes/],
  'random binary bytes': [Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)), /not a text file.*CSV/],
  'a zip archive': [Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(200, 1)]), /archive.*unpack/],
  'an xlsx workbook': [Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(26), Buffer.from('xl/workbook.xml'), Buffer.alloc(200, 3)]),
    /Excel workbook \(\.xlsx\).*save it as CSV/],
  'an xls workbook': [Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504, 0)]),
    /old Excel workbook \(\.xls\).*save it as CSV/],
  'an ods spreadsheet': [Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(26), Buffer.from('mimetypeapplication/vnd.oasis.opendocument.spreadsheet')]),
    /OpenDocument spreadsheet.*save it as CSV/],
  'a docx document': [Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(26), Buffer.from('word/document.xml'), Buffer.alloc(100, 2)]),
    /text document.*save it as CSV/],
  'an RTF document': ['{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} id main 1 5}', /text document/],
  'a gzip archive': [Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), Buffer.alloc(100, 5)]), /archive/],
  'a 7z archive': [Buffer.concat([Buffer.from('7z\xbc\xaf\x27\x1c', 'latin1'), Buffer.alloc(100, 5)]), /archive/],
  'a rar archive': [Buffer.concat([Buffer.from('Rar!\x1a\x07\x00', 'latin1'), Buffer.alloc(100, 5)]), /archive/],
  'a PDF': ['%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n', /PDF document.*export the table as CSV/],
  'a PNG image': [Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]), /PNG image.*CSV/],
  'a JPEG image': [Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF'), Buffer.alloc(64, 9)]), /JPEG image.*CSV/],
  'a GIF image': [Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(64, 1)]), /GIF image.*CSV/],
  'a WebP image': [Buffer.concat([Buffer.from('RIFF'), Buffer.from([64, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(64, 4)]), /WebP image/],
  'a BMP image': [Buffer.concat([Buffer.from('BM'), Buffer.from([70, 0, 0, 0, 0, 0, 0, 0, 54, 0]), Buffer.alloc(64, 8)]), /BMP image/],
  'JSON': ['[{"id": 1, "main": 5}]', /JSON data.*CSV/],
  'a JSON object': ['{"offers": [{"id": 1}]}', /JSON data/],
  'an HTML page (Excel\'s "web page")': ['<!DOCTYPE html><html><body><table><tr><td>id</td><td>main</td></tr></table></body></html>',
    /web page \(HTML\).*save it as CSV/],
  'XML': ['<?xml version="1.0"?><offers><offer id="1" main="5"/></offers>', /XML file.*save it as CSV/],
};
for (const [name, [content, message]] of Object.entries(refused)) {
  test(`refused with its reason: ${name}`, async () => {
    const v = await tried(content);
    assert.match(v.error ?? '', message, JSON.stringify(v));
    assert.equal(await browser.page.$('#up-dry-run'), null, 'nothing to dry-run');
  });
}

test('a 1,000,000-column line is refused at once, with the limit', async () => {
  const v = await tried(`${'c;'.repeat(1_000_000)}\n1\n`);
  assert.match(v.error ?? '', /Line 1 has 1000001 columns: the panel reads at most 1000\b/);
  assert.ok(v.ms < 5000, `refused in ${v.ms} ms`);
  console.log(`# 1,000,000 columns: refused in ${v.ms} ms`);
});

test('5,000 columns are refused, with the limit', async () => {
  const header = ['id', ...Array.from({ length: 4999 }, (_, i) => `c${i}`)].join(';');
  const v = await tried(`${header}\n${'1;'.repeat(4999)}1\n`);
  assert.match(v.error ?? '', /Line 1 has 5000 columns: the panel reads at most 1000\b/);
  console.log(`# 5,000 columns: refused in ${v.ms} ms`);
});

test('1,001 columns in a data row are refused; 1,000 columns are read, the preview and mapping bounded', async () => {
  const header = ['id', 'main', ...Array.from({ length: 998 }, (_, i) => `c${i}`)].join(';');
  const wide = await tried(`${header}\n1;5${';x'.repeat(998)}\n2;6${';x'.repeat(999)}\n`);
  assert.match(wide.error ?? '', /Line 3 has 1001 columns/);
  const v = await tried(`${header}\n1;5${';x'.repeat(998)}\n`);
  assert.equal(v.rows, 1, JSON.stringify(v));
  const { page } = browser;
  assert.match(await page.textContent('#up-preview-more'), /980 more columns/);
  assert.equal(await page.$$eval('#up-preview thead th', (th) => th.length), 20);
  // The mapping lists 30 value columns (the mapped one among them) and counts the rest; a find box reaches any.
  assert.equal(await page.$$eval('#up-wide-map tbody tr', (tr) => tr.length), 30);
  assert.match(await page.textContent('#up-wide-more'), /Columns not listed: 969\b/);
  assert.equal(await page.$eval('#up-wide-map select[data-column="1"]', (s) => s.value), 'main|quantity');
  const elements = await page.evaluate(() => document.getElementsByTagName('*').length);
  console.log(`# 1,000 columns: a verdict in ${v.ms} ms, ${elements} elements in the page`);
  assert.ok(elements < 5000, `${elements} elements`);
  assert.ok(v.ms < 10000, `${v.ms} ms`);
  await page.fill('#up-wide-find', 'C997');
  await page.waitForFunction(() => document.querySelectorAll('#up-wide-map tbody tr').length === 1);
  assert.equal(await page.textContent('#up-wide-map tbody td'), 'c997');
  await page.selectOption('#up-wide-map select[data-column="999"]', 'north|quantity');
  await page.waitForFunction(() => document.querySelector('#up-wide-map select[data-column="999"]')?.value === 'north|quantity');
  assert.equal(await page.inputValue('#up-wide-find'), 'C997', 'a change of the mapping keeps the find box');
});

test('a file just over the byte limit is refused before it is read', async () => {
  // A sparse file: 100 MiB + 1 byte on disk without writing them.
  const path = join(dir, 'over-the-limit.csv');
  const fd = openSync(path, 'w');
  writeSync(fd, 'id;main\n1;5\n');
  ftruncateSync(fd, MAX_BYTES + 1);
  closeSync(fd);
  const wasmBefore = await wasmMemoryBytes(browser.page);
  const v = await tried({ path });
  const grown = (await wasmMemoryBytes(browser.page)) - wasmBefore;
  rmSync(path, { force: true });
  assert.match(v.error ?? '', /The file is 100\.0 MB: the panel reads files up to 100 MB/);
  assert.ok(v.ms < 3000, `refused in ${v.ms} ms`);
  assert.ok(grown < 16 * 1048576, `wasm memory grew by ${grown} bytes: the file was read`);
});

test('more rows than the limit are refused, with the limit', async () => {
  const v = await tried(`id;main\n${'1;2\n'.repeat(MAX_ROWS + 1)}`, undefined, 60000);
  assert.match(v.error ?? '', /1000001 rows: the panel reads at most 1000000/);
  console.log(`# ${MAX_ROWS + 1} rows: refused in ${v.ms} ms`);
});

test('more cells than the limit are refused, with the limit', async () => {
  const columns = 100;
  const rows = MAX_CELLS / columns + 1;
  const line = `${'1;'.repeat(columns - 1)}1\n`;
  const v = await tried(`${Array.from({ length: columns }, (_, i) => `c${i}`).join(';')}\n${line.repeat(rows)}`, undefined, 60000);
  assert.match(v.error ?? '', new RegExp(`${rows * columns} cells: the panel reads at most ${MAX_CELLS}`));
  console.log(`# ${rows * columns} cells: refused in ${v.ms} ms`);
});

test('a failed read of the file is said', async () => {
  const { page } = browser;
  await page.evaluate(() => {
    window.__arrayBuffer = Blob.prototype.arrayBuffer;
    Blob.prototype.arrayBuffer = () => Promise.reject(new DOMException('gone', 'NotReadableError'));
  });
  try {
    const v = await tried('id;main\n1;5\n');
    assert.match(v.error ?? '', /could not read the file/);
  } finally {
    await page.evaluate(() => { Blob.prototype.arrayBuffer = window.__arrayBuffer; });
  }
});

test('UTF-16 LE without a BOM is read as UTF-16', async () => {
  const v = await tried(Buffer.from('externalId\tmain\r\noffer-000001\t5\r\n', 'utf16le'));
  assert.deepEqual([v.rows, v.encoding, v.offers, v.problems], [1, 'UTF-16 LE', 1, 0], JSON.stringify(v));
});

test('UTF-16 LE and BE with a BOM', async () => {
  const le = await tried(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('externalId\tmain\r\nоффер\t5\r\n', 'utf16le')]));
  assert.deepEqual([le.rows, le.encoding], [1, 'UTF-16 LE']);
  assert.match(le.preview, /оффер/);
  const be = Buffer.from('externalId\tmain\r\nоффер\t5\r\n', 'utf16le').swap16();
  const v = await tried(Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
  assert.deepEqual([v.rows, v.encoding], [1, 'UTF-16 BE']);
  assert.match(v.preview, /оффер/);
});

test('UTF-8 with a BOM', async () => {
  const v = await tried(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('externalId;main\noffer-000001;5\n')]));
  assert.deepEqual([v.rows, v.encoding, v.offers], [1, 'UTF-8 (BOM)', 1]);
});

test('UTF-8 with one invalid byte stays UTF-8: the bad line is listed, the Cyrillic intact', async () => {
  const v = await tried(Buffer.concat([
    Buffer.from('externalId;Название;main\noffer-000001;Футболка хлопковая;5\noffer-000002;Кастр'),
    Buffer.from([0xff]),
    Buffer.from('юля;6\noffer-000003;Шапка;7\n'),
  ]));
  assert.deepEqual([v.rows, v.encoding], [3, 'UTF-8'], JSON.stringify(v));
  assert.match(v.badLines ?? '', /^1 lines? .*not UTF-8.*lines 3\.?$/, v.badLines);
  assert.match(v.preview, /Футболка хлопковая/);
  assert.match(v.preview, /Шапка/);
  assert.match(v.preview, /Кастр\uFFFDюля/);
});

test('Windows-1251 is read as Windows-1251', async () => {
  const text = 'externalId;Название;main\noffer-000001;Футболка мужская хлопковая;5\noffer-000002;Кастрюля из нержавеющей стали;6\n';
  const v = await tried(encodeSingleByte(text, 'windows-1251'));
  assert.deepEqual([v.rows, v.encoding], [2, 'Windows-1251'], JSON.stringify(v));
  assert.match(v.preview, /Кастрюля из нержавеющей стали/);
});

test('KOI8-R is read as KOI8-R, said to be a guess; another encoding chosen reads it again', async () => {
  const text = 'externalId;Название;main\noffer-000001;Футболка мужская хлопковая;5\noffer-000002;Наушники беспроводные;6\n';
  const v = await tried(encodeSingleByte(text, 'koi8-r'));
  assert.deepEqual([v.rows, v.encoding, v.guessed], [2, 'KOI8-R', true], JSON.stringify(v));
  assert.match(v.preview, /Наушники беспроводные/);
  const { page } = browser;
  await page.selectOption('#up-encoding', 'windows-1251');
  await page.waitForSelector('#up-detected[data-encoding="Windows-1251"]');
  const again = await verdict();
  assert.doesNotMatch(again.preview, /Наушники/, 'read again in the chosen encoding');
  assert.equal(again.guessed, false, 'chosen, not guessed');
  await page.selectOption('#up-encoding', '');
  await page.waitForSelector('#up-detected[data-encoding="KOI8-R"]');
  assert.match((await verdict()).preview, /Наушники беспроводные/);
});

test('Latin-1 bytes (a single-byte guess) are read and said to be a guess', async () => {
  const v = await tried(Buffer.from([...Buffer.from('externalId;main\n'), 0x63, 0x61, 0x66, 0xe9, 0x3b, 0x35, 0x0a]));
  assert.equal(v.rows, 1);
  assert.ok(['Windows-1251', 'KOI8-R'].includes(v.encoding), v.encoding);
  assert.equal(v.guessed, true);
});

test('a header and no rows: nothing to upload, no green verdict, no dry run', async () => {
  const v = await tried('externalId;main;north\n');
  assert.equal(v.nothing, 'noRows', JSON.stringify(v));
  assert.equal(v.green, false);
  assert.equal(v.dryRun, false);
  assert.match(await browser.page.textContent('#up-nothing'), /header and no rows/);
});

test('only a key column: nothing to upload', async () => {
  const v = await tried('externalId\noffer-000001\noffer-000002\n');
  assert.deepEqual([v.nothing, v.green, v.dryRun], ['noWarehouseColumns', false, false], JSON.stringify(v));
});

test('every row with a problem: nothing to upload, the problems listed', async () => {
  const v = await tried('externalId;main\noffer-000001;x\noffer-000002;-3\n;5\n');
  assert.deepEqual([v.nothing, v.green, v.dryRun], ['everyRowHasProblems', false, false], JSON.stringify(v));
  assert.deepEqual([...v.kinds].sort(), ['missing_key', 'negative', 'not_a_number']);
});

test('every value blank: nothing to upload', async () => {
  const v = await tried('externalId;main;north\noffer-000001;;\noffer-000002;;\n');
  assert.deepEqual([v.nothing, v.green, v.dryRun], ['allBlank', false, false], JSON.stringify(v));
});

test('-0 is 0, in the dry run too', async () => {
  const v = await tried('id;main\n1;-0\n');
  assert.deepEqual([v.offers, v.problems, v.green, v.nothing], [1, 0, true, null], JSON.stringify(v));
  const { page } = browser;
  await page.click('#up-dry-run');
  await page.waitForSelector('#up-diff-table .up-diff-row', { timeout: 15000 });
  const row = (await page.textContent('#up-diff-table .up-diff-row')).trim();
  assert.match(row, /main: \d+ → 0(?!\d)/, row);
  assert.doesNotMatch(row, /→ -0/);
});

test('ragged rows: short rows are blanks, extra cells ignored, a blank row skipped', async () => {
  const v = await tried('id;main;north\n1;5;7;8;9\n2\n3;4\n;;\n4;1;2');
  assert.equal(v.rows, 4, JSON.stringify(v));
});

test('stray quotes inside cells are read as written', async () => {
  const v = await tried('id;main\n1;5"x\n2;a"b"c\n');
  assert.equal(v.rows, 2, JSON.stringify(v));
  assert.deepEqual(v.kinds, ['not_a_number']);
});

test('formula cells are not numbers', async () => {
  const v = await tried('externalId;main;north\n=HYPERLINK("http://x");5;=1+1\n@SUM(A1);+3;-2\n');
  assert.ok(v.kinds.includes('not_a_number'), JSON.stringify(v));
});

test('huge numbers are problems, not crashes', async () => {
  const v = await tried('id;main\n99999999999999999999999;1e400\n1;999999999999999999999999999999\n');
  assert.ok(v.problems > 0, JSON.stringify(v));
});

test('long layout: duplicate key and warehouse, fractions and unknown warehouses are named', async () => {
  const v = await tried('externalId;store;quantity\noffer-000001;main;5\noffer-000001;main;2.5\noffer-000002;nowhere;1\n');
  for (const kind of ['duplicate_key', 'fractional_quantity', 'unknown_warehouse']) {
    assert.ok(v.kinds.includes(kind), `${kind}: ${JSON.stringify(v)}`);
  }
});

test('a quantity other than 0/1 for an availability warehouse is a fixable warning', async () => {
  const v = await tried('externalId;pickup\noffer-000001;5\n');
  assert.deepEqual(v.kinds, ['not_zero_or_one'], JSON.stringify(v));
  assert.ok(await browser.page.$('#up-clamp'), 'the fix is offered');
});

test('delimiters: tab, comma and semicolon are detected', async () => {
  for (const [text, delimiter] of [['externalId\tmain\noffer-000001\t5\n', '\\t'],
    ['externalId,main\noffer-000001,5\n', ','], ['externalId;main\noffer-000001;5\n', ';']]) {
    const v = await tried(text);
    assert.deepEqual([v.delimiter, v.offers], [delimiter, 1], JSON.stringify(v));
  }
});

test('old Mac line ends (CR only)', async () => {
  const v = await tried('externalId;main\roffer-000001;5\roffer-000002;6\r');
  assert.deepEqual([v.rows, v.offers], [2, 2], JSON.stringify(v));
});

test('a 1 MB cell is read without freezing the screen', async () => {
  const v = await tried(`externalId;main\n${'x'.repeat(1048576)};5\n`);
  assert.equal(v.rows, 1, JSON.stringify({ ...v, preview: v.preview?.length }));
  assert.ok(v.ms < 10000, `${v.ms} ms`);
});

test('a 50 MB file of 1,000,000 rows (the row limit) reaches a verdict: measured', async () => {
  const mb = Number(process.env.LARGE_MB ?? 50);
  const rows = MAX_ROWS;
  const width = Math.floor((mb * 1048576) / rows);
  const parts = ['id;main;north;main:purchasePrice;note\n'];
  for (let i = 1; i <= rows; i++) {
    const r = `${i};${i % 97};${i % 13};${(i % 1000) / 10};`;
    parts.push(`${r}${'x'.repeat(Math.max(1, width - r.length - 1))}\n`);
  }
  const text = parts.join('');
  const wasmBefore = await wasmMemoryBytes(browser.page);
  const v = await tried(text, `large-${mb}mb.csv`, 10 * 60 * 1000);
  const wasm = await wasmMemoryBytes(browser.page);
  console.log(`# ${(text.length / 1048576).toFixed(1)} MB, ${rows} rows: ${(v.ms / 1000).toFixed(1)} s to a verdict ` +
    `(${v.offers} offers, ${v.problems} problems); wasm memory ${(wasmBefore / 1048576).toFixed(0)} -> ${(wasm / 1048576).toFixed(0)} MB`);
  assert.deepEqual([v.rows, v.offers, v.problems, v.green], [rows, rows, 0, true], JSON.stringify({ ...v, preview: undefined }));
});
