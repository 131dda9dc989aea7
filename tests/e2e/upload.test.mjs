// The upload screen end to end against the sandbox: import (`;`, decimal comma, cp1251), validation, dry run,
// chunked upload (<= 250 offers a request), 503 retries, pause/resume, resume after a reload, and the report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, startBrowser, connect, screenshot } from './harness.mjs';

let sandbox, browser;
before(async () => {
  sandbox = await startSandbox(['--offers', '600']);
  browser = await startBrowser();
});
after(async () => { await browser?.close(); sandbox?.stop(); });

const ext = (n) => `offer-${String(n).padStart(6, '0')}`;

async function openUpload(page) {
  await connect(page, sandbox);
  await page.click('nav a[href="/upload"]');
  await page.waitForSelector('#up-reference[data-loaded=true]', { state: 'attached', timeout: 15000 });
}

async function pickFile(page, name, content) {
  const buffer = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
  await page.setInputFiles('#up-file', { name, mimeType: 'text/csv', buffer });
  await page.waitForSelector('#up-detected');
}

async function stock(keys, by = 'externalId') {
  const q = keys.map((k) => `${by}=${encodeURIComponent(k)}`).join('&');
  const { offers } = await sandbox.api(`inventories?${q}`);
  return offers;
}

const qty = (offer, code) => offer.stores.find((s) => s.store === code)?.quantity ?? 0;
const waitState = (page, state, timeout = 20000) =>
  page.waitForSelector(`#up-job-state[data-state=${state}]`, { timeout });

async function uploadRequests() {
  const { requests } = await sandbox.api('requests');
  return requests.filter((r) => r.path === '/api/v5/store/inventories/upload');
}

test('a `;` file with decimal commas: validation, dry run counts, upload, sandbox stock and report', async () => {
  const { page } = browser;
  await sandbox.reset();
  await openUpload(page);
  const keys = Array.from({ length: 11 }, (_, i) => ext(i + 1));
  const before = await stock(keys);
  const lines = ['externalId;site;main:quantity;main:purchasePrice;north:quantity'];
  before.slice(0, 5).forEach((o, i) => lines.push(`${o.externalId};${o.site};${qty(o, 'main') + 7};${i === 0 ? '12,5' : ''};`));
  before.slice(5, 10).forEach((o) => lines.push(`${o.externalId};${o.site};${qty(o, 'main')};;${qty(o, 'north')}`));
  lines.push('offer-999999;shop-a;3;;');
  lines.push(`${before[10].externalId};${before[10].site};abc;;`); // file line 13, column 3
  await pickFile(page, 'stock.csv', lines.join('\r\n'));
  assert.equal(await page.getAttribute('#up-detected', 'data-rows'), '12');
  assert.equal(await page.getAttribute('#up-detected', 'data-delimiter'), ';');
  await page.waitForSelector('#up-validation-summary');
  assert.equal(await page.getAttribute('#up-validation-summary', 'data-offers'), '11');
  const problem = '.up-problem-group[data-kind=not_a_number] .up-problem[data-line="13"][data-column="3"]';
  await page.waitForSelector(problem);
  // The cells are not kept after validation: the download and a new mapping read the file again.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#up-problems-download')]);
  const rows = (await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString('utf8')))
    .replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.equal(rows.length, 2, rows.join('|'));
  assert.match(rows[1], /;abc;/);
  await page.selectOption('.up-column-map[data-column="2"]', '');
  await page.waitForSelector(problem, { state: 'detached' });
  await page.selectOption('.up-column-map[data-column="2"]', 'main|quantity');
  await page.waitForSelector(problem);
  assert.equal(await page.getAttribute('#up-validation-summary', 'data-offers'), '11');

  await page.click('#up-dry-run');
  await page.waitForSelector('#up-diff-counts', { timeout: 15000 });
  const counts = await page.$eval('#up-diff-counts', (e) => ({ ...e.dataset }));
  assert.deepEqual(counts, { changed: '5', unchanged: '5', notInCrm: '1' });

  await page.click('#up-start');
  await waitState(page, 'Done');
  const after = await stock(keys);
  for (let i = 0; i < 5; i++) assert.equal(qty(after[i], 'main'), qty(before[i], 'main') + 7, keys[i]);
  assert.equal(after[0].stores.find((s) => s.store === 'main').purchasePrice, 12.5);
  for (let i = 5; i < 11; i++) assert.deepEqual(after[i].stores, before[i].stores, keys[i]);
  await page.waitForSelector('.up-report-row[data-outcome=not_found][data-key="offer-999999"]');
  assert.equal(await page.getAttribute('#up-report-summary', 'data-not-found'), '1');
  await page.waitForSelector('#up-history .up-history-row');
  await screenshot(page, 'upload-report');
  assert.deepEqual(browser.errors, []);
});

const idFile = (n, base) => ['id;main', ...Array.from({ length: n }, (_, i) => `${i + 1};${base + (i % 50)}`)].join('\n');

async function checkIdStock(n, base) {
  const ids = [1, 2, 250, 251, 499, 500, 501, n].map(String);
  for (const o of await stock(ids, 'id')) assert.equal(qty(o, 'main'), base + ((o.id - 1) % 50), `id ${o.id}`);
}

test('600 offers go in 3 requests of <= 250, and complete with 30% of answers 503', async () => {
  const { page } = browser;
  await sandbox.reset();
  await openUpload(page);
  await pickFile(page, 'ids.csv', idFile(600, 1000));
  await page.waitForSelector('#up-validation-summary[data-offers="600"]');
  await sandbox.api('requests', { method: 'DELETE' });
  await sandbox.api('faults', { method: 'POST', body: { fail503Share: 0.3 } });
  const started = Date.now();
  await page.click('#up-start');
  await waitState(page, 'Done', 60000);
  const seconds = (Date.now() - started) / 1000;
  await sandbox.api('faults', { method: 'POST', body: { fail503Share: 0 } });
  const ok = (await uploadRequests()).filter((r) => r.status === 200);
  const failed = (await uploadRequests()).filter((r) => r.status === 503);
  // Several requests are in flight, and a 503 sends one again later: the sizes, not their order.
  assert.deepEqual(ok.map((r) => r.offers).sort((a, b) => b - a), [250, 250, 100]);
  console.log(`# 600 offers, 30% 503: ${seconds.toFixed(2)} s, ${failed.length} answers 503 retried`);
  await checkIdStock(600, 1000);
});

test('"only what changed" after a dry run: the estimate and the upload are the changed offers\' requests', async () => {
  const { page } = browser;
  const errorsBefore = browser.errors.length;
  await sandbox.reset();
  await openUpload(page);
  await pickFile(page, 'ids.csv', idFile(600, 1000));
  await page.waitForSelector('#up-validation-summary[data-offers="600"]');
  await page.click('#up-start');
  await waitState(page, 'Done', 60000);
  // The same 600 offers, 10 of them changed.
  const changed = ['id;main', ...Array.from({ length: 600 }, (_, i) => `${i + 1};${1000 + (i % 50) + (i < 10 ? 1 : 0)}`)];
  await pickFile(page, 'ids-changed.csv', changed.join('\n'));
  await page.waitForFunction(() => document.querySelector('#up-file-name')?.textContent === 'ids-changed.csv');
  const estimate = async () => Number((await page.textContent('#up-estimate')).match(/^(\d+) /)?.[1]);
  assert.equal(await estimate(), 3, 'before the dry run: every offer');
  await page.click('#up-dry-run');
  await page.waitForSelector('#up-diff-counts[data-changed="10"]', { timeout: 15000 });
  await page.check('#up-only-changed');
  assert.equal(await estimate(), 1, 'only the 10 changed offers');
  await page.uncheck('#up-only-changed');
  assert.equal(await estimate(), 3);
  await page.check('#up-only-changed');
  await sandbox.api('requests', { method: 'DELETE' });
  await page.click('#up-start');
  await waitState(page, 'Done', 20000);
  assert.deepEqual((await uploadRequests()).map((r) => [r.status, r.offers]), [[200, 10]]);
  const ids = ['1', '2', '10', '11', '250', '600'];
  for (const o of await stock(ids, 'id')) {
    assert.equal(qty(o, 'main'), 1000 + ((o.id - 1) % 50) + (o.id <= 10 ? 1 : 0), `id ${o.id}`);
  }
  assert.deepEqual(browser.errors.slice(errorsBefore), []);
});

test('pause then resume completes; a reload during a run offers to resume it', async () => {
  const { page } = browser;
  await sandbox.reset();
  await openUpload(page);
  await pickFile(page, 'ids.csv', idFile(600, 2000));
  await page.waitForSelector('#up-validation-summary[data-offers="600"]');
  await sandbox.api('faults', { method: 'POST', body: { latencyMs: 800 } });
  // One request at a time: with the automatic choice all three chunks would be in flight at once, and a
  // pause only holds back chunks not yet sent.
  await page.selectOption('#up-in-flight', '1');
  await page.click('#up-start');
  await page.click('#up-pause');
  await waitState(page, 'Paused');
  await page.waitForTimeout(1200);
  assert.equal(await page.getAttribute('#up-job-state', 'data-state'), 'Paused');
  await page.click('#up-resume');
  await waitState(page, 'Done');
  await checkIdStock(600, 2000);

  await page.click('#up-discard');
  await pickFile(page, 'ids2.csv', idFile(600, 3000));
  await page.waitForSelector('#up-validation-summary[data-offers="600"]');
  await page.click('#up-start');
  await page.waitForFunction(() => /requests 1 of 3/.test(document.querySelector('#up-run-figures')?.textContent ?? ''), null, { timeout: 10000 });
  await page.reload();
  await openUpload(page);
  await page.waitForSelector('#up-recovered');
  await waitState(page, 'Paused');
  await sandbox.api('faults', { method: 'POST', body: { latencyMs: 0 } });
  await page.click('#up-resume');
  await waitState(page, 'Done');
  await checkIdStock(600, 3000);
  // The browser logs every 503 of the fault test as a failed resource load; anything else is a real error.
  assert.deepEqual(browser.errors.filter((e) => !/status of 503/.test(e)), []);
});

test('a Windows-1251 file with a Cyrillic header imports', async () => {
  const { page } = browser;
  await sandbox.reset();
  await openUpload(page);
  const text = `Внешний код;Сайт;Остаток main\r\n${ext(1)};shop-a;5\r\n${ext(2)};shop-b;6\r\n`;
  const bytes = Buffer.from([...text].map((c) => {
    const u = c.codePointAt(0);
    if (u < 0x80) return u;
    if (u >= 0x410 && u <= 0x44f) return u - 0x410 + 0xc0;
    if (u === 0x451) return 0xb8;
    if (u === 0x401) return 0xa8;
    throw new Error(`no cp1251 byte for ${c}`);
  }));
  await pickFile(page, 'остатки.csv', bytes);
  assert.equal(await page.getAttribute('#up-detected', 'data-encoding'), 'Windows-1251');
  assert.match(await page.textContent('#up-preview thead'), /Внешний код/);
  await page.waitForSelector('#up-validation-summary[data-offers="2"][data-problems="0"]');
  assert.equal(await page.$eval('#up-key-kind', (e) => e.value), 'externalId');
});

test('measured: 3000 offers at 10 requests/s through the panel (requests in flight: automatic)', async () => {
  const { page } = browser;
  await sandbox.reset({ offers: 3000 });
  await openUpload(page);
  await pickFile(page, 'ids3000.csv', idFile(3000, 4000));
  await page.waitForSelector('#up-validation-summary[data-offers="3000"]');
  await sandbox.api('requests', { method: 'DELETE' });
  const started = Date.now();
  await page.click('#up-start');
  await waitState(page, 'Done', 60000);
  const seconds = (Date.now() - started) / 1000;
  const requests = (await uploadRequests()).filter((r) => r.status === 200).length;
  console.log(`# 3000 offers: ${requests} requests in ${seconds.toFixed(2)} s = ${(3000 / seconds).toFixed(0)} offers/s (limit ${requests / 10} s at 10 rps)`);
  assert.equal(requests, 12);
  await checkIdStock(3000, 4000);
});
