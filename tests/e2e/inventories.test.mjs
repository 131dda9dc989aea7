// The leftovers screen against the sandbox: numbers per warehouse, filters as the API applies them, the URL as
// the view's bookmark, CSV export read back, and "load all" with its progress and totals.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startSandbox, startBrowser, connect, screenshot } from './harness.mjs';

const OFFERS = 600;
let sandbox, browser;
before(async () => {
  sandbox = await startSandbox(['--offers', String(OFFERS)]);
  browser = await startBrowser();
  await connect(browser.page, sandbox);
});
after(async () => { await browser?.close(); sandbox?.stop(); });

/** A CRM API call that waits out the sandbox's rate limit (the panel shares the key). */
const crm = (path) => sandbox.crmBody(path);

/** Every offer of an inventories query, all pages, with details. */
async function allOffers(filter = '') {
  const offers = [];
  for (let page = 1; ; page++) {
    const body = await crm(`/api/v5/store/inventories?filter[details]=1&limit=250&page=${page}${filter}`);
    offers.push(...body.offers);
    if (page >= body.pagination.totalPageCount) return offers;
  }
}

async function readRows(page) {
  return page.$$eval('#inv-table tbody tr.inv-row', (trs) => trs.map((tr) => ({
    id: Number(tr.dataset.id),
    externalId: tr.dataset.externalId,
    site: tr.dataset.site,
    total: tr.querySelector('td.total').textContent,
    offerPrice: tr.querySelector('td.offer-price').textContent,
    stores: Object.fromEntries([...tr.querySelectorAll('td.qty')].map((td) => [td.dataset.store, {
      q: td.textContent,
      p: tr.querySelector(`td.price[data-store="${td.dataset.store}"]`).textContent,
    }])),
  })));
}

/** Waits until the table shows exactly the offers with these ids (in any order). */
async function waitForIds(page, ids, timeout = 15000) {
  const want = [...ids].sort((a, b) => a - b).join(',');
  await page.waitForFunction((want) => {
    const got = [...document.querySelectorAll('#inv-table tbody tr.inv-row')].map((tr) => Number(tr.dataset.id));
    return got.sort((a, b) => a - b).join(',') === want && !document.querySelector('#inv-loading');
  }, want, { timeout });
}

const num = (text) => (text === '' ? null : Number(text));
/** A number as the CRM holds it (absent: blank). */
const exact = (v) => (v === undefined || v === null ? null : v);

/** Asserts a shown row equals an offer as the sandbox holds it, every decimal included. */
function assertRowEquals(row, offer) {
  assert.equal(row.externalId, offer.externalId);
  assert.equal(row.site, offer.site);
  assert.equal(num(row.total), exact(offer.quantity), `total of ${offer.externalId}`);
  assert.equal(num(row.offerPrice), exact(offer.purchasePrice), `offer price of ${offer.externalId}`);
  for (const [code, cell] of Object.entries(row.stores)) {
    const s = offer.stores.find((x) => x.store === code);
    assert.equal(num(cell.q), s ? exact(s.quantity) : null, `${offer.externalId} ${code} quantity`);
    assert.equal(num(cell.p), s ? exact(s.purchasePrice) : null, `${offer.externalId} ${code} price`);
  }
}

test('the numbers shown per warehouse equal the sandbox state; available warehouses are marked; sorting works', async () => {
  const { page } = browser;
  const first = await crm('/api/v5/store/inventories?filter[details]=1&limit=50&page=2');
  await page.goto(`${sandbox.url}/inventories?limit=50&page=2`);
  await waitForIds(page, first.offers.map((o) => o.id));
  const rows = await readRows(page);
  assert.equal(rows.length, 50);
  const state = await sandbox.api(`inventories?id=${rows.map((r) => r.id).join(',')}`);
  assert.equal(state.offers.length, 50);
  const byId = new Map(state.offers.map((o) => [o.id, o]));
  const stores = (await crm('/api/v5/reference/stores')).stores;
  assert.deepEqual(Object.keys(rows[0].stores).sort(), stores.map((s) => s.code).sort());
  for (const row of rows) assertRowEquals(row, byId.get(row.id));
  for (const s of stores) {
    const marked = await page.$(`#inv-table th.inv-store[data-store="${s.code}"] .inv-available`);
    assert.equal(Boolean(marked), s.inventoryType === 'available', s.code);
  }
  await page.click('#inv-table th[data-sort=total]');
  const totals = (await readRows(page)).map((r) => Number(r.total));
  assert.deepEqual(totals, [...totals].sort((a, b) => a - b));
  await page.click('#inv-table th[data-sort=total]');
  const desc = (await readRows(page)).map((r) => Number(r.total));
  assert.deepEqual(desc, [...totals].sort((a, b) => b - a));
  // Hiding a warehouse hides its columns and is remembered on the device.
  const hide = stores[0].code;
  await page.click(`#inv-warehouses label[data-store="${hide}"] input`);
  assert.equal(await page.$(`#inv-table td.qty[data-store="${hide}"]`), null);
  await page.reload();
  await waitForIds(page, first.offers.map((o) => o.id));
  assert.equal(await page.$(`#inv-table td.qty[data-store="${hide}"]`), null);
  await page.click(`#inv-warehouses label[data-store="${hide}"] input`);
  await page.waitForSelector(`#inv-table td.qty[data-store="${hide}"]`);
  assert.deepEqual(browser.errors, []);
});

test('filters narrow the result as the API does, from the form and from a catalog link', async () => {
  const { page } = browser;
  const api = await crm('/api/v5/store/inventories?filter[details]=1&limit=20&filter[sites][]=shop-a&filter[offerActive]=1');
  await page.goto(`${sandbox.url}/inventories?site=shop-a&offerActive=1`);
  await waitForIds(page, api.offers.map((o) => o.id));
  assert.match(await page.textContent('#inv-count'), new RegExp(`\\b${api.pagination.totalCount}\\b`));
  const all = (await crm('/api/v5/store/inventories?limit=20')).pagination.totalCount;
  assert.ok(api.pagination.totalCount < all, 'the filter narrows');
  assert.ok((await readRows(page)).every((r) => r.site === 'shop-a'));

  // A catalog link names one offer by externalId and site.
  const one = api.offers[0];
  await page.goto(`${sandbox.url}/inventories?offerExternalId=${one.externalId}&site=shop-a`);
  await waitForIds(page, [one.id]);
  assertRowEquals((await readRows(page))[0], one);

  // The form: a list of externalIds, one per line, applied into the URL.
  const ext = ['offer-000002', 'offer-000003', 'offer-000004'];
  await page.selectOption('#inv-site', '');
  await page.fill('#inv-external-id', ext.join('\n'));
  await page.click('#inv-apply');
  const want = await crm(`/api/v5/store/inventories?filter[details]=1&limit=20${ext.map((e) => `&filter[offerExternalId][]=${e}`).join('')}`);
  await waitForIds(page, want.offers.map((o) => o.id));
  assert.match(page.url(), /offerExternalId=offer-000002%0Aoffer-000003%0Aoffer-000004/);
  assert.doesNotMatch(page.url(), /site=/);

  // A search within these filters: sent to the CRM on Enter (typing asks nothing), as an exact identifier.
  await sandbox.api('requests', { method: 'DELETE' });
  await page.fill('#inv-search', 'offer-000003');
  await page.waitForTimeout(300);
  let log = (await sandbox.api('requests')).requests;
  assert.equal(log.filter((e) => e.path.endsWith('/store/inventories')).length, 0, 'nothing sent while typing');
  await page.press('#inv-search', 'Enter');
  await waitForIds(page, want.offers.filter((o) => o.externalId === 'offer-000003').map((o) => o.id));
  log = (await sandbox.api('requests')).requests;
  const searches = log.filter((e) => e.path.endsWith('/store/inventories')).map((e) => decodeURIComponent(e.query ?? ''));
  assert.ok(searches.some((q) => q.includes('filter[offerExternalId][]=offer-000003')), JSON.stringify(searches));
  await page.fill('#inv-search', '');
  await waitForIds(page, want.offers.map((o) => o.id));
});

test('filters and page in the URL survive a reload', async () => {
  const { page } = browser;
  const api = await crm('/api/v5/store/inventories?filter[details]=1&limit=50&page=2&filter[sites][]=shop-b&filter[productActive]=1');
  await page.goto(`${sandbox.url}/inventories?site=shop-b&productActive=1&limit=50&page=2`);
  await waitForIds(page, api.offers.map((o) => o.id));
  await page.reload();
  await waitForIds(page, api.offers.map((o) => o.id));
  assert.equal(await page.inputValue('#inv-site'), 'shop-b');
  assert.equal(await page.inputValue('#inv-product-active'), '1');
  assert.equal(await page.inputValue('.pager-limit'), '50');
  assert.equal((await page.textContent('.pager-label')).trim(), `Page 2 of ${api.pagination.totalPageCount}`);
  await page.click('.pager-prev');
  await page.waitForURL((u) => !u.search.includes('page=') && u.search.includes('site=shop-b'));
  const first = await crm('/api/v5/store/inventories?filter[details]=1&limit=50&filter[sites][]=shop-b&filter[productActive]=1');
  await waitForIds(page, first.offers.map((o) => o.id));
});

/** A CSV as the export writes it: BOM, CRLF, quoted cells. */
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  text = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; }
    else if (c === '\n') { row.push(cell.replace(/\r$/, '')); rows.push(row); row = []; cell = ''; }
    else cell += c;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: file.suggestedFilename(), rows: parseCsv(readFileSync(await file.path(), 'utf8')) };
}

function assertCsvEqualsSandbox(rows, offersById) {
  const [header, ...body] = rows;
  assert.deepEqual(header.slice(0, 4), ['externalId', 'xmlId', 'id', 'site']);
  for (const line of body) {
    const offer = offersById.get(Number(line[2]));
    assert.ok(offer, `offer ${line[2]} exists`);
    assert.equal(line[0], offer.externalId);
    assert.equal(line[3], offer.site);
    for (let c = 4; c < header.length - 1; c++) {
      const [code, field] = header[c].split(':');
      const s = offer.stores.find((x) => x.store === code);
      const want = field === 'quantity' ? (s ? s.quantity : 0) : (s?.purchasePrice ?? null);
      assert.equal(line[c] === '' ? null : Number(line[c]), want, `${offer.externalId} ${header[c]}`);
    }
    // The last column is the offer's own purchase price.
    assert.equal(header.at(-1), 'purchasePrice');
    assert.equal(line.at(-1) === '' ? null : Number(line.at(-1)), offer.purchasePrice ?? null, `${offer.externalId} price`);
  }
  return body.length;
}

test('export of the page, read back, gives the same numbers as the sandbox', async () => {
  const { page } = browser;
  const api = await crm('/api/v5/store/inventories?filter[details]=1&limit=100&filter[sites][]=shop-a');
  await page.goto(`${sandbox.url}/inventories?site=shop-a&limit=100`);
  await waitForIds(page, api.offers.map((o) => o.id));
  const { name, rows } = await download(page, '#inv-export-shown');
  assert.match(name, /\.csv$/);
  const state = await sandbox.api(`inventories?id=${api.offers.map((o) => o.id).join(',')}`);
  const n = assertCsvEqualsSandbox(rows, new Map(state.offers.map((o) => [o.id, o])));
  assert.equal(n, 100);
});

test('load all shows progress, then filters, totals and export work on the whole set locally', async () => {
  const { page } = browser;
  // Slow answers to see the progress, and a share of 503s that the transport retries (not a failure).
  await sandbox.api('faults', { method: 'POST', body: { latencyMs: 400, fail503Share: 0.3 } });
  try {
    await page.goto(`${sandbox.url}/inventories`);
    await page.waitForSelector('#inv-count');
    await page.click('#inv-load-all');
    await page.waitForSelector('#inv-load-progress .progress');
    await page.waitForFunction(() => /of 3 pages/.test(document.querySelector('#inv-load-progress')?.textContent ?? ''));
    await page.waitForSelector('#inv-loaded', { timeout: 20000 });
  } finally {
    await sandbox.api('faults', { method: 'POST', body: { latencyMs: 0, fail503Share: 0 } });
  }
  assert.match(await page.textContent('#inv-loaded'), new RegExp(`${OFFERS}`));
  assert.equal(await page.$('#page-inventories .api-error'), null, 'a 503 is retried, not shown as a failure');
  assert.ok((await page.$$('#inv-table tbody tr')).length <= 20, 'only one page of rows in the DOM');
  const offers = await allOffers();
  assert.equal(offers.length, OFFERS);
  const sums = {};
  for (const o of offers) for (const s of o.stores) sums[s.store] = (sums[s.store] ?? 0) + s.quantity;
  const bars = await page.$$eval('#inv-bars .bar', (els) => els.map((e) => [e.dataset.store, e.querySelector('.bar-total').textContent]));
  assert.ok(bars.length > 0);
  for (const [code, shown] of bars) assert.equal(Number(shown), sums[code] ?? 0, code);
  await screenshot(page, 'inventories-loaded');

  // A local filter on the whole set: the same offers as the API gives for site=shop-b, without a request.
  await sandbox.api('requests', { method: 'DELETE' });
  await page.selectOption('#inv-site', 'shop-b');
  await page.click('#inv-apply');
  const shopB = offers.filter((o) => o.site === 'shop-b');
  await page.waitForFunction((n) => document.querySelector('#inv-count')?.textContent.trim().endsWith(`: ${n}`), shopB.length);
  const log = (await sandbox.api('requests')).requests;
  assert.equal(log.filter((e) => JSON.stringify(e).includes('inventories')).length, 0, 'filtered locally');
  const rows = await readRows(page);
  assert.ok(rows.every((r) => r.site === 'shop-b'));
  // Search over the whole loaded set, then export all of it and read it back.
  await page.fill('#inv-search', 'offer-00001');
  const hits = shopB.filter((o) => [String(o.id), o.externalId, o.xmlId].some((v) => v.toLowerCase().includes('offer-00001')));
  await page.waitForFunction((n) => document.querySelector('#inv-count')?.textContent.trim().endsWith(`: ${n}`), hits.length);
  const { rows: csv } = await download(page, '#inv-export-all');
  assert.equal(assertCsvEqualsSandbox(csv, new Map(offers.map((o) => [o.id, o]))), hits.length);
  // The browser logs each 503 it received (retried by the transport); nothing else may fail.
  assert.deepEqual(browser.errors.filter((e) => !/status of 503/.test(e)), []);
});

test('load all can be cancelled and keeps what was loaded', async () => {
  const { page } = browser;
  await page.goto(`${sandbox.url}/inventories`);
  await page.waitForSelector('#inv-count');
  await sandbox.api('faults', { method: 'POST', body: { latencyMs: 700 } });
  try {
    await page.click('#inv-load-all');
    await page.waitForFunction(() => /Offers loaded: 250 of/.test(document.querySelector('#inv-load-offers')?.textContent ?? ''));
    await page.click('#inv-load-cancel');
    await page.waitForSelector('#inv-loaded-part');
  } finally {
    await sandbox.api('faults', { method: 'POST', body: { latencyMs: 0 } });
  }
  assert.match(await page.textContent('#inv-loaded-part'), /250 of 600/);
  await page.click('#inv-back-to-pages');
  await page.waitForSelector('#inv-loaded-part', { state: 'detached' });
});

test('quantities and prices show every decimal the CRM holds; totals add up without float noise', async () => {
  const { page } = browser;
  const codes = (await crm('/api/v5/reference/stores')).stores.map((s) => s.code);
  /** Stock in the warehouses named (`code: [quantity, purchase price]`), none in the others. */
  const only = (stock) => codes.map((code) => {
    const [quantity = null, purchasePrice] = stock[code] ?? [];
    return { code, quantity, ...(purchasePrice === undefined ? {} : { purchasePrice }) };
  });
  const set = await sandbox.api('stock', { method: 'POST', body: { offers: [
    { externalId: 'offer-000001', stores: only({ main: [0.1, 1.999], north: [0.125] }) },
    { externalId: 'offer-000002', stores: only({ main: [0.2] }) },
  ] } });
  assert.deepEqual(set.notFound ?? [], []);
  await page.goto(`${sandbox.url}/inventories?offerExternalId=offer-000001%0Aoffer-000002`);
  const api = await crm('/api/v5/store/inventories?filter[details]=1&filter[offerExternalId][]=offer-000001&filter[offerExternalId][]=offer-000002');
  await waitForIds(page, api.offers.map((o) => o.id));
  const rows = await readRows(page);
  const first = rows.find((r) => r.externalId === 'offer-000001');
  assert.deepEqual([first.stores.main.q, first.stores.main.p, first.stores.north.q], ['0.1', '1.999', '0.125']);
  assert.equal(first.total, '0.225');
  for (const row of rows) assertRowEquals(row, api.offers.find((o) => o.id === row.id));
  // The page's total of the main warehouse: 0.1 + 0.2 shown as 0.3.
  assert.equal((await page.textContent('#inv-totals-row td.qty-total[data-store="main"]')).trim(), '0.3');
  assert.equal((await page.textContent('#inv-totals-row td.qty-total[data-store="north"]')).trim(), '0.125');
});

test('search finds an offer anywhere in the account: through the CRM on a page, locally once all is loaded', async () => {
  const big = await startSandbox(['--offers', '3000']);
  const own = await startBrowser();
  try {
    const { page, errors } = own;
    await connect(page, big);
    await page.goto(`${big.url}/inventories`);
    await page.waitForSelector('#inv-count');
    assert.equal((await page.textContent('.pager-label')).trim(), 'Page 1 of 150');
    const target = (await big.crm('/api/v5/store/inventories?limit=20&page=50')).body.offers.find((o) => o.externalId === 'offer-000999');
    assert.ok(target, 'offer-000999 is on page 50 of 150');

    await big.api('requests', { method: 'DELETE' });
    await page.fill('#inv-search', 'offer-000999');
    await page.click('#inv-search-go');
    await waitForIds(page, [target.id]);
    assert.match(await page.textContent('#inv-count'), /whole account: 1$/);
    assert.match(page.url(), /q=offer-000999/);
    const sent = (await big.api('requests')).requests.filter((e) => e.path.endsWith('/store/inventories'));
    assert.ok(sent.length <= 3, `a few requests, not 150 pages: ${sent.length}`);
    assert.ok(sent.every((e) => !/page=50\b/.test(e.query ?? '')));
    // The URL keeps the search: a reload finds it again.
    await page.reload();
    await waitForIds(page, [target.id]);
    // By id too; nothing found is said so.
    await page.fill('#inv-search', String(target.id));
    await page.press('#inv-search', 'Enter');
    await waitForIds(page, [target.id]);
    await page.fill('#inv-search', 'offer-999999');
    await page.press('#inv-search', 'Enter');
    await page.waitForSelector('#inv-empty');
    assert.match(await page.textContent('#inv-empty'), /No offer in the account has this id, externalId or xmlId/);
    // Cleared, the CRM's pages are back.
    await page.fill('#inv-search', '');
    await page.waitForFunction(() => /Offers found by the CRM: 3000/.test(document.querySelector('#inv-count')?.textContent ?? ''));
    // Everything loaded: part of an identifier is enough, as it is typed, and the CRM is not asked.
    await page.click('#inv-load-all');
    await page.waitForSelector('#inv-loaded', { timeout: 30000 });
    assert.match(await page.textContent('#inv-search-hint'), /as you type/);
    await big.api('requests', { method: 'DELETE' });
    await page.fill('#inv-search', '000999');
    await waitForIds(page, [target.id]);
    const asked = (await big.api('requests')).requests.filter((e) => e.path.endsWith('/store/inventories'));
    assert.equal(asked.length, 0, 'searched locally');
    assert.deepEqual(errors, []);
  } finally {
    await own.close();
    big.stop();
  }
});
