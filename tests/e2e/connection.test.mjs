// The connection screen: key check, rights per capability, site choice, where the key is kept, the account link.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, startBrowser, connect, screenshot, API_KEY } from './harness.mjs';

let sandbox, browser;
const urls = [];
before(async () => {
  sandbox = await startSandbox();
  browser = await startBrowser();
  browser.page.on('request', (r) => urls.push(r.url()));
});
after(async () => { await browser?.close(); sandbox?.stop(); });
beforeEach(async () => {
  await browser.page.goto(`${sandbox.url}/`);
  await browser.page.evaluate(() => { localStorage.clear(); sessionStorage.clear(); });
});

test('a wrong key is refused in plain words and the panel stays disconnected', async () => {
  const { page } = browser;
  await page.goto(`${sandbox.url}/`);
  await page.fill('#api-key', 'not-the-key');
  await page.click('#check-connection');
  await page.waitForSelector('.api-error');
  assert.equal(await page.getAttribute('.api-error', 'data-kind'), 'api.error.wrong_key');
  assert.match(await page.textContent('.api-error'), /API key is wrong/);
  assert.match(await page.textContent('.api-error'), /Wrong "apiKey" value/); // the CRM's own words, kept
  assert.equal(await page.$('#account-badge .ok'), null);
});

test('the right key shows v5, every capability allowed, and the sites to choose from', async () => {
  const { page } = browser;
  await connect(page, sandbox);
  await page.waitForSelector('#v5-ok');
  const rows = await page.$$eval('#capabilities tr', (trs) => trs.map((tr) => [tr.dataset.capability, tr.textContent]));
  assert.equal(rows.length, 6);
  for (const [cap, text] of rows) assert.match(text, /allowed/, cap);
  const sites = await page.$$eval('#site-select option', (os) => os.map((o) => o.value).filter(Boolean));
  const crm = await sandbox.crm('/api/v5/reference/sites');
  assert.deepEqual(sites.sort(), Object.keys(crm.body.sites).sort());
  assert.match(await page.textContent('#account-badge'), new RegExp(`127.0.0.1:${sandbox.port}`));
  await screenshot(page, 'panel');
});

test('a key without write rights is told what it cannot do', async () => {
  const { page } = browser;
  await connect(page, sandbox, 'limited-key');
  await page.waitForSelector('#capabilities');
  const upload = await page.textContent('#capabilities tr[data-capability="api.capability.upload"]');
  assert.match(upload, /missing/);
  assert.match(upload, /store_write/);
  const shipments = await page.textContent('#capabilities tr[data-capability="api.capability.shipments"]');
  assert.match(shipments, /order_write/);
  const inventories = await page.textContent('#capabilities tr[data-capability="api.capability.inventories_read"]');
  assert.match(inventories, /allowed/);
});

test('the key is kept for the tab only unless remembered, and forgetting the device removes it', async () => {
  const { page } = browser;
  await connect(page, sandbox);
  let stored = await page.evaluate(() => [JSON.stringify(localStorage), JSON.stringify(sessionStorage)]);
  assert.ok(!stored[0].includes(API_KEY), 'not on the device');
  assert.ok(stored[1].includes(API_KEY), 'in the tab session');
  await page.check('#remember-key');
  await page.click('#check-connection');
  await page.waitForSelector('#v5-ok');
  stored = await page.evaluate(() => [JSON.stringify(localStorage), JSON.stringify(sessionStorage)]);
  assert.ok(stored[0].includes(API_KEY), 'remembered on the device');
  await page.click('#forget-key');
  stored = await page.evaluate(() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage));
  assert.ok(!stored.includes(API_KEY));
  await page.waitForFunction(() => !document.querySelector('#account-badge .ok'));
});

test('a reload keeps the connection and the chosen site', async () => {
  const { page } = browser;
  await connect(page, sandbox);
  await page.selectOption('#site-select', 'shop-b');
  await page.reload();
  await page.waitForSelector('#account-badge .ok', { timeout: 15000 });
  await page.waitForSelector('#site-select');
  assert.equal(await page.inputValue('#site-select'), 'shop-b');
});

test('the account query parameter the CRM adds labels the account when this origin serves the API', async () => {
  const { page } = browser;
  // The sandbox serves the panel and the API on one origin, like the README's proxy deployment: the origin is
  // used, and the account the CRM named is shown beside it (key-binding.test.mjs covers an origin without API).
  await page.goto(`${sandbox.url}/?account=https://acme.retailcrm.ru`);
  await page.waitForSelector('#proxy-note');
  assert.match(await page.textContent('#proxy-note'), /acme\.retailcrm\.ru/);
  assert.equal(await page.inputValue('#crm-url'), sandbox.url);
  await page.fill('#api-key', API_KEY);
  await page.click('#check-connection');
  await page.waitForSelector('#account-badge .ok', { timeout: 15000 });
  assert.equal(await page.textContent('#account-label'), 'acme.retailcrm.ru');
});

test('an address with no CRM behind it is reported, and the key never appears in a URL', async () => {
  const { page } = browser;
  await page.goto(`${sandbox.url}/`);
  await page.fill('#crm-url', 'http://127.0.0.1:9');
  await page.fill('#api-key', API_KEY);
  await page.click('#check-connection');
  await page.waitForSelector('.api-error', { timeout: 20000 });
  const kind = await page.getAttribute('.api-error', 'data-kind');
  assert.ok(['api.error.network', 'api.error.cors'].includes(kind), kind);
  assert.ok(urls.length > 0);
  assert.ok(urls.every((u) => !u.includes(API_KEY)), 'no URL carries the key');
});
