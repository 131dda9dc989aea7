// The upload as an operator meets it (issues 13, 15 and 17): a price-only file after a dry run of another file sends no
// quantity; rows left out are counted and downloadable; the verdict is said; the template; leaving mid-upload asks
// first; a file too large is refused before it is read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startSandbox, startBrowser, connect } from './harness.mjs';

let sandbox, browser;
before(async () => {
  sandbox = await startSandbox(['--offers', '600']);
  browser = await startBrowser();
});
after(async () => { await browser?.close(); sandbox?.stop(); });

async function openUpload(page) {
  await connect(page, sandbox);
  await page.click('nav a[href="/upload"]');
  await page.waitForSelector('#up-reference[data-loaded=true]', { state: 'attached', timeout: 15000 });
}

async function pick(page, name, text) {
  await page.setInputFiles('#up-file', { name, mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.waitForFunction((n) => document.querySelector('#up-file-name')?.textContent === n, name);
  await page.waitForSelector('#up-validation-summary, #up-read-error');
}

async function stock(externalId) {
  const { offers } = await sandbox.api(`inventories?externalId=${externalId}`);
  return offers[0];
}

/** externalId -> site of the first `n` offers (the key covers two sites: a row names its site). */
async function sitesOf(n) {
  const keys = Array.from({ length: n }, (_, i) => `offer-${String(i + 1).padStart(6, '0')}`);
  const { offers } = await sandbox.api(`inventories?externalId=${keys.join(',')}`);
  return new Map(offers.map((o) => [o.externalId, o.site]));
}

const uploads = async () => (await sandbox.api('requests')).requests.filter((r) => r.path.endsWith('/inventories/upload'));

test('a price-only file after a dry run of another file sends no quantity (issue 13, case 1)', async () => {
  await sandbox.reset();
  const { page } = browser;
  await openUpload(page);
  const before = await stock('offer-000021');
  const main = before.stores.find((s) => s.store === 'main');
  await pick(page, 'quantities.csv', `externalId;site;main\noffer-000021;${before.site};${main.quantity + 5}\n`);
  await page.click('#up-dry-run');
  await page.waitForSelector('#up-diff-counts');
  // The operator changes their mind: another file, prices only, uploaded without a new dry run.
  await pick(page, 'prices.csv', `externalId;site;main:purchasePrice\noffer-000021;${before.site};9,99\n`);
  assert.equal(await page.$('#up-diff-counts'), null, 'the dry run of the other file is gone');
  await sandbox.api('requests', { method: 'DELETE' });
  await page.click('#up-start');
  await page.waitForSelector('#up-job-state[data-state=Done]');
  const [sent] = await uploads();
  assert.ok(sent, 'one upload request');
  const after = await stock('offer-000021');
  const mainAfter = after.stores.find((s) => s.store === 'main');
  assert.equal(mainAfter.quantity, main.quantity, 'the quantity is unchanged');
  assert.equal(mainAfter.purchasePrice, 9.99, 'the price is applied');
  assert.equal(await page.getAttribute('#up-report-verdict', 'data-verdict'), 'allApplied');
});

test('rows left out for problems are counted in the report and the history, with a clear verdict', async () => {
  await sandbox.reset();
  const { page } = browser;
  await openUpload(page);
  const sites = await sitesOf(9);
  const key = (i) => `offer-${String(i).padStart(6, '0')}`;
  const rows = ['externalId;site;main'];
  for (let i = 1; i <= 7; i++) rows.push(`${key(i)};${sites.get(key(i))};${i}`);
  rows.push(`${key(8)};${sites.get(key(8))};x`, `${key(9)};${sites.get(key(9))};-3`);
  await pick(page, 'nine.csv', rows.join('\n'));
  assert.equal(await page.getAttribute('#up-validation-summary', 'data-offers'), '7');
  await page.click('#up-start');
  await page.waitForSelector('#up-job-state[data-state=Done]');
  assert.equal(await page.getAttribute('#up-report-summary', 'data-skipped'), '2');
  assert.equal(await page.getAttribute('#up-report-verdict', 'data-verdict'), 'doneWithIssues');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#up-report-skipped-download')]);
  const text = readFileSync(await download.path(), 'utf8');
  assert.match(text, /offer-000008/);
  assert.match(text, /offer-000009/);
  assert.doesNotMatch(text, /offer-000001/);
  const history = await page.$$eval('#up-history tbody tr:first-child td', (tds) => tds.map((td) => td.textContent));
  assert.equal(history[2], '7', 'seven offers sent');
  assert.equal(history[6], '2', 'two rows left out');
});

test('a file without sites, for a key of several sites, asks for the site before anything is sent', async () => {
  const { page } = browser;
  await openUpload(page);
  await pick(page, 'no-site.csv', 'externalId;main\noffer-000001;4\n');
  await page.waitForSelector('#up-needs-site');
  assert.equal(await page.$('#up-start'), null);
  const site = (await sitesOf(1)).get('offer-000001');
  await page.selectOption('#up-default-site', site);
  await page.waitForSelector('#up-start');
  assert.equal(await page.$('#up-needs-site'), null);
});

test('the empty template and the format line; nothing to upload is not a green verdict', async () => {
  const { page } = browser;
  await openUpload(page);
  await page.click('#up-template summary');
  assert.match(await page.textContent('#up-format'), /purchasePrice/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#up-template-empty')]);
  const header = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').split('\r\n')[0];
  assert.match(header, /^externalId,xmlId,id,site,main:quantity,main:purchasePrice/);
  await pick(page, 'header-only.csv', `${header}\n`);
  assert.equal(await page.getAttribute('#up-nothing', 'data-reason'), 'noRows');
  assert.match(await page.getAttribute('#up-validation-summary', 'class'), /warn/);
  assert.equal(await page.$('#up-start'), null, 'nothing to start');
  assert.equal(await page.$('#up-dry-run'), null, 'nothing to compare');
});

test('the template with the current stock reads every page and uploads back unchanged', async () => {
  await sandbox.reset();
  const { page } = browser;
  await openUpload(page);
  await page.click('#up-template summary');
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), page.click('#up-template-stock')]);
  const text = readFileSync(await download.path(), 'utf8');
  const lines = text.trim().split('\r\n');
  const { body } = await sandbox.crm('/api/v5/store/inventories?limit=20');
  assert.equal(lines.length - 1, body.pagination.totalCount, 'one row per offer of the account');
});

test('leaving the screen during an upload asks first; staying keeps it running', async () => {
  await sandbox.stop();
  sandbox = await startSandbox(['--offers', '600', '--latency-ms', '800']);
  const { page } = browser;
  await openUpload(page);
  const sites = await sitesOf(600);
  const rows = ['externalId;site;main'];
  for (let i = 1; i <= 600; i++) {
    const k = `offer-${String(i).padStart(6, '0')}`;
    rows.push(`${k};${sites.get(k)};${i % 9}`);
  }
  await pick(page, 'many.csv', rows.join('\n'));
  await page.click('#up-start');
  await page.waitForSelector('#up-job-state[data-state=Running]');
  const questions = [];
  page.once('dialog', async (d) => { questions.push(d.message()); await d.dismiss(); });
  await page.click('nav a[href="/inventories"]');
  assert.equal(questions.length, 1, 'the operator was asked');
  assert.ok(page.url().endsWith('/upload'), 'still on the upload screen');
  await page.waitForSelector('#up-job-state[data-state=Done]', { timeout: 60000 });
  // Done: leaving asks nothing.
  await page.click('nav a[href="/inventories"]');
  await page.waitForURL(/\/inventories/);
});

test('a file over the size limit is refused before it is read, and the previous file is dropped', async () => {
  const { page } = browser;
  await openUpload(page);
  await pick(page, 'ok.csv', 'id;main\n1;5\n');
  // A file the browser reports as larger than the limit (a sparse file would do; a Blob of that size is lazy).
  await page.evaluate(() => {
    const input = document.querySelector('#up-file');
    const big = new File([new Blob([new ArrayBuffer(101 * 1048576)])], 'huge.csv', { type: 'text/csv' });
    const dt = new DataTransfer();
    dt.items.add(big);
    input.files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await page.waitForSelector('#up-read-error');
  assert.match(await page.textContent('#up-read-error'), /100/);
  assert.equal(await page.$('#up-start'), null, 'the previous file cannot be uploaded any more');
  assert.deepEqual(browser.errors.filter((e) => /pageerror|panicked/.test(e)), []);
});
