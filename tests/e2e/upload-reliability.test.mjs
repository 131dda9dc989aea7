// The upload under faults (issue 7, item 8): 20% of answers 503, 5% of connections dropped, jittered latency; the
// sandbox's final stock equals the file for every offer and warehouse, every offer is reported processed or not
// found; a reload in the middle of an upload resumes to the same result.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, startBrowser, connect } from './harness.mjs';

const OFFERS = 990;
const MISSING = [900001, 900002, 900003, 900004, 900005, 900006, 900007, 900008, 900009, 900010];
let sandbox, browser, stores;
before(async () => {
  sandbox = await startSandbox(['--offers', '1000']);
  browser = await startBrowser();
  const { body } = await sandbox.crm('/api/v5/reference/stores');
  stores = body.stores.map((s) => ({ code: s.code, available: s.inventoryType === 'available' }));
});
after(async () => { await browser?.close(); sandbox?.stop(); });

/** A wide file by id: every warehouse's quantity (0/1 for an `available` one), `seed` varies the values. */
function wideFile(seed) {
  const values = new Map();
  const lines = [['id', ...stores.map((s) => s.code)].join(';')];
  for (const id of [...Array.from({ length: OFFERS }, (_, i) => i + 1), ...MISSING]) {
    const q = stores.map((s, j) => (s.available ? (id + j + seed) % 2 : (id * 7 + j * 13 + seed) % 300));
    values.set(id, q);
    lines.push([id, ...q].join(';'));
  }
  return { text: lines.join('\n'), values };
}

async function openUpload(page) {
  await connect(page, sandbox);
  await page.click('nav a[href="/upload"]');
  await page.waitForSelector('#up-reference[data-loaded=true]', { state: 'attached', timeout: 15000 });
}

const waitState = (page, state, timeout = 60000) =>
  page.waitForSelector(`#up-job-state[data-state=${state}]`, { timeout });

async function assertStockEqualsFile(values) {
  for (let from = 1; from <= OFFERS; from += 200) {
    const ids = Array.from({ length: Math.min(200, OFFERS - from + 1) }, (_, i) => from + i);
    const { offers } = await sandbox.api(`inventories?${ids.map((id) => `id=${id}`).join('&')}`);
    assert.equal(offers.length, ids.length);
    for (const o of offers) {
      const want = values.get(o.id);
      stores.forEach((s, j) => {
        const got = o.stores.find((x) => x.store === s.code)?.quantity ?? 0;
        assert.equal(got, want[j], `offer ${o.id} warehouse ${s.code}`);
      });
    }
  }
}

async function assertEveryOfferReported(page) {
  const summary = await page.$eval('#up-report-summary', (e) => ({ ...e.dataset }));
  assert.deepEqual(summary, { processed: String(OFFERS), notFound: String(MISSING.length), failed: '0', skipped: '0' });
  const notFound = await page.$$eval('.up-report-row[data-outcome=not_found]', (rows) => rows.map((r) => Number(r.dataset.key)));
  assert.deepEqual(notFound.sort((a, b) => a - b), MISSING);
  assert.equal(await page.$$eval('.up-report-row:not([data-outcome=not_found])', (r) => r.length), 0);
}

const FAULTS = { fail503Share: 0.2, dropShare: 0.05, jitterMs: 150, latencyMs: 0 };
const realErrors = () => browser.errors.filter((e) => !/status of 503|Failed to load resource|ERR_|network/i.test(e));

test('20% 503, 5% dropped, jitter: the final stock equals the file, every offer processed or not found', async () => {
  const { page } = browser;
  await openUpload(page);
  const { text, values } = wideFile(1);
  await page.setInputFiles('#up-file', { name: 'faults.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.waitForSelector(`#up-validation-summary[data-offers="${OFFERS + MISSING.length}"][data-problems="0"]`);
  await sandbox.api('faults', { method: 'POST', body: FAULTS });
  await page.click('#up-start');
  await waitState(page, 'Done');
  await sandbox.api('faults', { method: 'POST', body: { fail503Share: 0, dropShare: 0, jitterMs: 0 } });
  console.log(`# ${await page.textContent('#up-run-figures')}`);
  await assertStockEqualsFile(values);
  await assertEveryOfferReported(page);
  assert.deepEqual(realErrors(), []);
});

test('a reload in the middle of a faulty upload resumes to the same result', async () => {
  const { page } = browser;
  await page.click('#up-discard');
  const { text, values } = wideFile(2);
  await page.setInputFiles('#up-file', { name: 'faults2.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.waitForSelector(`#up-validation-summary[data-offers="${OFFERS + MISSING.length}"]`);
  await sandbox.api('faults', { method: 'POST', body: { ...FAULTS, latencyMs: 700 } });
  await page.click('#up-start');
  await page.waitForFunction(() => /requests [1-3] of 4/.test(document.querySelector('#up-run-figures')?.textContent ?? ''),
    null, { timeout: 30000 });
  await page.reload();
  await openUpload(page);
  await page.waitForSelector('#up-recovered');
  await waitState(page, 'Paused');
  await sandbox.api('faults', { method: 'POST', body: { ...FAULTS, latencyMs: 0 } });
  await page.click('#up-resume');
  await waitState(page, 'Done');
  await sandbox.api('faults', { method: 'POST', body: { fail503Share: 0, dropShare: 0, jitterMs: 0 } });
  await assertStockEqualsFile(values);
  await assertEveryOfferReported(page);
  assert.deepEqual(realErrors(), []);
});
