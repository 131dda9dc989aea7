// The shipments screen: one order (by externalId, by id and by the number on the packing slip, shipped true and false,
// its status by name), the orders waiting to be shipped (filters, pages, a choice across pages marked shipped in one
// go), many orders from a paste and a file (validation, unknown order reported, report download), the refusal without
// a registered warehouse module, and pause/resume while an order is in flight at 1.5 s latency (each order edited once).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startSandbox, startBrowser, connect, screenshot } from './harness.mjs';

const LATENCY_MS = 1500;

let sandbox, browser;
before(async () => { sandbox = await startSandbox(); browser = await startBrowser(); });
after(async () => { await browser?.close(); sandbox?.stop(); });

/** Errors other than the failed loads the tests provoke on purpose (the CRM's 404 and 400 answers). */
const unexpected = (errors) => errors.filter((e) => !e.startsWith('console: Failed to load resource'));
const order = (externalId) => sandbox.api(`orders/${externalId}`).then((r) => r.order);

/** Opens a fresh shipments screen through the navigation (the session stays in the page), connecting first if needed. */
async function openShipments(page) {
  if (await page.locator('#account-badge .ok').count() === 0) await connect(page, sandbox);
  else await page.click('nav.sidenav >> text=Module');
  await page.click('nav.sidenav >> text=Shipments');
  await page.waitForSelector('#ship-one');
  await page.waitForSelector('#ship-site option[value="shop-b"]', { state: 'attached' });
}

/** A CRM API call that waits out the sandbox's rate limit (the panel shares the key). */
const crm = (path) => sandbox.crmBody(path);

/** The account's statuses (`/reference/statuses`), read once. */
let statuses;
async function readStatuses() {
  statuses ??= (await crm('/api/v5/reference/statuses')).statuses;
  return statuses;
}

/** The name the account gives status `code`. */
async function statusName(code) {
  const name = (await readStatuses())[code]?.name;
  assert.ok(name && name !== code, `status ${code} has a name of its own`);
  return name;
}

async function findOrder(page, { by = 'externalId', key, site }) {
  if (site) await page.selectOption('#ship-site', site);
  await page.selectOption('#ship-by', by);
  await page.fill('#ship-key', key);
  await page.click('#ship-find');
  await page.waitForSelector(`#ship-current td[data-field=key]:has-text("${key}")`);
}

test('one order: found by externalId in its shop, shipped set and unset, warehouse and date as picked', async () => {
  const { page, errors } = browser;
  const { body } = await sandbox.crm('/api/v5/orders?limit=20');
  const target = body.orders.find((o) => o.site === 'shop-b' && !o.shipped);
  assert.ok(target, 'an unshipped order of shop-b');
  await openShipments(page);
  await findOrder(page, { key: target.externalId, site: 'shop-b' });
  assert.equal(await page.getAttribute('#ship-current td[data-field=shipped]', 'data-value'), 'false');
  // The status by its name in the account, not its code.
  assert.equal(await page.getAttribute('#ship-current td[data-field=status]', 'data-value'), target.status);
  await page.waitForFunction(() => document.querySelector('#ship-current td[data-field=status]')?.textContent !== '…');
  assert.equal(await page.textContent('#ship-current td[data-field=status]'), await statusName(target.status));
  // The date picker defaults to today (this machine's local date).
  const now = new Date();
  const today = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  assert.equal(await page.inputValue('#ship-date'), today);

  await page.selectOption('#ship-shipped', 'true');
  await page.selectOption('#ship-store', 'north');
  await page.fill('#ship-date', '2025-03-04');
  await page.click('#ship-save');
  await page.waitForSelector('#ship-result td[data-field=shipped][data-value=true]');
  assert.match(await page.textContent('#ship-result td[data-field=shipmentStore]'), /north/);
  // The "order now" card follows the order the CRM returned.
  await page.waitForSelector('#ship-current td[data-field=shipped][data-value=true]');
  assert.equal(await page.getAttribute('#ship-current td[data-field=shipmentStore]', 'data-value'), 'north');
  assert.equal(await page.textContent('#ship-current td[data-field=shipmentDate]'), '2025-03-04');
  let saved = await order(target.externalId);
  assert.deepEqual([saved.shipped, saved.shipmentStore, saved.shipmentDate], [true, 'north', '2025-03-04']);

  // shipped=false is sent too (un-ship), with another warehouse.
  await page.selectOption('#ship-shipped', 'false');
  await page.selectOption('#ship-store', 'south');
  await page.click('#ship-save');
  await page.waitForSelector('#ship-result td[data-field=shipped][data-value=false]');
  await page.waitForSelector('#ship-current td[data-field=shipped][data-value=false]');
  saved = await order(target.externalId);
  assert.deepEqual([saved.shipped, saved.shipmentStore, saved.shipmentDate], [false, 'south', '2025-03-04']);
  await screenshot(page, 'shipments-one');

  // By CRM id: an order already shipped is un-shipped.
  const shippedOrder = body.orders.find((o) => o.shipped);
  await findOrder(page, { by: 'id', key: String(shippedOrder.id), site: shippedOrder.site });
  assert.equal(await page.getAttribute('#ship-current td[data-field=shipped]', 'data-value'), 'true');
  await page.selectOption('#ship-shipped', 'false');
  await page.click('#ship-save');
  await page.waitForSelector('#ship-result td[data-field=shipped][data-value=false]');
  assert.equal((await order(shippedOrder.externalId)).shipped, false);

  // By the number on the packing slip, whatever the shop chosen; the save goes to that order.
  const bySlip = body.orders.find((o) => o.site === 'shop-a' && !o.shipped && o.number);
  await page.selectOption('#ship-site', 'shop-b');
  await page.selectOption('#ship-by', 'number');
  await page.fill('#ship-key', bySlip.number);
  await page.click('#ship-find');
  await page.waitForSelector(`#ship-current td[data-field=number]:has-text("${bySlip.number}")`);
  assert.match(await page.textContent('#ship-current td[data-field=key]'), new RegExp(`id ${bySlip.id}\\b`));
  await page.selectOption('#ship-shipped', 'true');
  await page.selectOption('#ship-store', 'north');
  await page.click('#ship-save');
  await page.waitForSelector('#ship-result td[data-field=shipped][data-value=true]');
  assert.deepEqual([(await order(bySlip.externalId)).shipped, (await order(bySlip.externalId)).shipmentStore], [true, 'north']);
  await page.fill('#ship-key', '9999Z');
  await page.click('#ship-find');
  await page.waitForSelector('#ship-no-number');
  assert.match(await page.textContent('#ship-no-number'), /No order has the number 9999Z/);

  // An unknown order is reported where it was looked for.
  await page.selectOption('#ship-by', 'externalId');
  await page.fill('#ship-key', 'order-999999');
  await page.click('#ship-find');
  await page.waitForSelector('#ship-one .api-error[data-kind="api.error.not_found"]');
  assert.deepEqual(unexpected(errors), []);
});

test('orders waiting to be shipped: filtered and paged as the CRM does, several chosen across pages marked shipped in one go', async () => {
  const { page, errors } = browser;
  await sandbox.reset({});
  const crmOrders = (query) => crm(`/api/v5/orders?filter[shipped]=0${query}`);
  const waiting = await crmOrders('&limit=20');
  assert.ok(waiting.pagination.totalPageCount > 1, 'more than one page waits');
  await openShipments(page);
  await page.waitForSelector('#wait-count');
  assert.match(await page.textContent('#wait-count'), new RegExp(`: ${waiting.pagination.totalCount}$`));
  const shown = () => page.$$eval('#wait-table tr.wait-order', (trs) => trs.map((tr) => ({
    id: Number(tr.dataset.id), status: tr.dataset.status, statusName: tr.querySelector('.wait-status').textContent,
    site: tr.children[3].textContent,
  })));
  assert.deepEqual((await shown()).map((r) => r.id), waiting.orders.map((o) => o.id));
  // Statuses by their names once the account's statuses are read ("…" until then, never the code).
  await page.waitForFunction(() => [...document.querySelectorAll('#wait-table .wait-status')].every((e) => e.textContent !== '…'));
  for (const row of await shown()) assert.equal(row.statusName, await statusName(row.status));

  // Filters: a status (by its name in the list), a shop.
  await page.selectOption('#wait-status', 'assembling');
  const assembling = await crmOrders('&limit=20&filter[extendedStatus][]=assembling');
  await page.waitForFunction((n) => document.querySelector('#wait-count')?.textContent.endsWith(`: ${n}`), assembling.pagination.totalCount);
  assert.ok((await shown()).every((r) => r.status === 'assembling'));
  assert.ok(await page.$eval('#wait-status option[value=assembling]', (o) => o.textContent !== 'assembling'));
  await page.selectOption('#wait-site', 'shop-b');
  const shopB = await crmOrders('&limit=20&filter[extendedStatus][]=assembling&filter[sites][]=shop-b');
  await page.waitForFunction((n) => document.querySelector('#wait-count')?.textContent.endsWith(`: ${n}`), shopB.pagination.totalCount);
  assert.ok((await shown()).every((r) => r.site === 'shop-b'));
  await page.selectOption('#wait-status', '');
  await page.selectOption('#wait-site', '');
  await page.waitForFunction((n) => document.querySelector('#wait-count')?.textContent.endsWith(`: ${n}`), waiting.pagination.totalCount);

  // Two orders on page 1, the whole of page 2 but one: kept while the pages change.
  const page1 = (await shown()).map((r) => r.id);
  await page.check(`#wait-select-${page1[0]}`);
  await page.check(`#wait-select-${page1[3]}`);
  await page.click('#ship-waiting .pager-next');
  const page2 = (await crmOrders('&limit=20&page=2')).orders.map((o) => o.id);
  await page.waitForFunction((id) => document.querySelector(`#wait-table tr.wait-order[data-id="${id}"]`), page2[0]);
  await page.check('#wait-select-page');
  await page.uncheck(`#wait-select-${page2[1]}`);
  assert.equal(await page.$eval('#wait-select-page', (c) => c.indeterminate), true);
  const chosen = [page1[0], page1[3], ...page2.filter((id) => id !== page2[1])];
  assert.match(await page.textContent('#wait-chosen'), new RegExp(`: ${chosen.length}$`));
  await page.click('#ship-waiting .pager-prev');
  await page.waitForFunction((id) => document.querySelector(`#wait-select-${id}`)?.checked, page1[0]);

  await sandbox.api('requests', { method: 'DELETE' });
  await page.selectOption('#wait-ship-store', 'north');
  await page.fill('#wait-ship-date', '2025-07-01');
  await page.click('#wait-mark');
  await page.waitForSelector('#wait-controls[data-state=done]', { timeout: 20000 });
  assert.match(await page.textContent('#wait-state'), new RegExp(`${chosen.length} set, 0 failed`));
  const edits = (await sandbox.api('requests')).requests.filter((r) => r.method === 'POST' && r.path.endsWith('/edit'));
  assert.deepEqual(edits.map((r) => r.path).sort(), chosen.map((id) => `/api/v5/orders/${id}/edit`).sort(), 'each chosen order once, by id');
  const all = (await crm('/api/v5/orders?limit=100')).orders.concat((await crm('/api/v5/orders?limit=100&page=2')).orders);
  for (const id of chosen) {
    const o = all.find((x) => x.id === id);
    assert.deepEqual([o.shipped, o.shipmentStore, o.shipmentDate], [true, 'north', '2025-07-01'], `order ${id}`);
  }
  assert.equal(all.find((x) => x.id === page2[1]).shipped, false, 'the order left out is not shipped');
  // The list is read again: the orders shipped have left it.
  const left = waiting.pagination.totalCount - chosen.length;
  await page.waitForFunction((n) => document.querySelector('#wait-count')?.textContent.endsWith(`: ${n}`), left);
  assert.ok((await shown()).every((r) => !chosen.includes(r.id)));
  assert.match(await page.textContent('#wait-chosen'), /: 0$/);
  await screenshot(page, 'shipments-waiting');
  assert.deepEqual(unexpected(errors), []);
});

test('many orders: checked before sending, sent, unknown order reported, report downloaded', async () => {
  const { page, errors } = browser;
  await sandbox.reset({});
  const before7 = await order('order-000007');
  const rows = [
    'externalId,site,warehouse,date,shipped',
    'order-000001,shop-a,main,2025-02-01,1',
    'order-000002,shop-b,North warehouse,02.02.2025,да',
    'order-000003,shop-a,south,2025-02-03,true',
    'order-000004,shop-b,main,,yes',
    'order-000005,shop-a,pickup,05.02.2025,1',
    'order-000006,shop-b,main,2025-02-06,0',
    'order-000007,shop-a,nowhere,2025-02-07,1',
    'order-999999,shop-a,main,2025-02-08,1',
    'order-000009,shop-a,north,2025-02-09,нет',
    'order-000010,shop-b,main,2025-02-10,1',
    'order-000011,shop-a,main,31.02.2025,1',
    'order-000001,shop-a,north,,1',
  ].join('\n');
  await openShipments(page);
  await page.fill('#bulk-text', rows);
  await page.click('#bulk-check');
  await page.waitForSelector('#bulk-problems');
  assert.match(await page.textContent('#bulk-summary'), /9 rows ready to send, 3 rows will not be sent/);
  assert.match(await page.textContent('#bulk-problems tr[data-key=order-000007]'), /Unknown warehouse “nowhere”/);
  assert.match(await page.textContent('#bulk-problems tr[data-key=order-000011]'), /Bad date “31.02.2025”/);
  assert.match(await page.textContent('#bulk-problems tr[data-line="13"]'), /same order as on line 2/);

  const started = Date.now();
  await page.click('#bulk-send');
  await page.waitForSelector('#bulk-controls[data-state=done]', { timeout: 20000 });
  const elapsed = Date.now() - started;
  assert.match(await page.textContent('#bulk-state'), /8 set, 1 failed/);
  const failed = page.locator('#bulk-report tr[data-key=order-999999]');
  assert.equal(await failed.getAttribute('data-status'), 'failed');
  assert.match(await failed.textContent(), /not found/i);
  assert.equal(await page.locator('#bulk-report tr[data-status=sent]').count(), 8);

  const got = async (id) => { const o = await order(id); return [o.shipped, o.shipmentStore ?? null, o.shipmentDate ?? null]; };
  assert.deepEqual(await got('order-000001'), [true, 'main', '2025-02-01']);
  assert.deepEqual(await got('order-000002'), [true, 'north', '2025-02-02']);
  assert.deepEqual(await got('order-000005'), [true, 'pickup', '2025-02-05']);
  assert.deepEqual(await got('order-000006'), [false, 'main', '2025-02-06']);
  assert.deepEqual(await got('order-000009'), [false, 'north', '2025-02-09']);
  assert.equal((await order('order-000004')).shipmentStore, 'main');
  const after7 = await order('order-000007');
  assert.deepEqual([after7.shipped, after7.shipmentStore], [before7.shipped, before7.shipmentStore], 'refused row not sent');

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#bulk-download')]);
  assert.equal(download.suggestedFilename(), 'shipment-report.csv');
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(csv, /^\uFEFFLine,Order,Shop,Shipped,Shipment warehouse,Shipment date,Result,Number,CRM error\r\n/);
  assert.match(csv, /\r\n9,order-999999,shop-a,true,main,2025-02-08,failed,,[^\r\n]*Not found/);
  assert.match(csv, /\r\n2,order-000001,shop-a,true,main,2025-02-01,set,1001A,\r\n/);
  await screenshot(page, 'shipments-bulk');
  console.log(`bulk: 9 orders sent in ${elapsed} ms`);

  // A file in Windows-1251 with `;` is read into the box, where it can be checked like a paste.
  const file = Buffer.concat([Buffer.from('externalId;site;'), Buffer.from([0xD1, 0xEA, 0xEB, 0xE0, 0xE4]),
    Buffer.from(';date;shipped\norder-000020;shop-b;main;2025-02-20;1\n')]);
  await page.setInputFiles('#bulk-file', { name: 'ship.csv', mimeType: 'text/csv', buffer: file });
  await page.waitForSelector('#bulk-loaded');
  assert.match(await page.inputValue('#bulk-text'), /externalId;site;Склад;date;shipped/);
  await page.click('#bulk-check');
  await page.waitForFunction(() => /1 row ready to send, 0 rows/.test(document.querySelector('#bulk-summary')?.textContent ?? ''));
  assert.deepEqual(unexpected(errors), []);
});

test('without a registered warehouse module the refusal says so and links to the module screen', async () => {
  const { page, errors } = browser;
  await sandbox.reset({ module: false });
  await openShipments(page);
  await findOrder(page, { key: 'order-000005', site: 'shop-a' });
  await page.selectOption('#ship-shipped', 'true');
  await page.click('#ship-save');
  await page.waitForSelector('#ship-save-error .ship-no-module a[href="/module"]');
  assert.match(await page.textContent('#ship-save-error .ship-no-module'), /no warehouse system is registered/);
  assert.match(await page.textContent('#ship-save-error .crm-errors'), /shipped/);
  assert.equal((await order('order-000005')).shipped, false);

  // In bulk the job stops at the first refusal, the row stays pending and nothing is lost.
  await page.fill('#bulk-text', 'externalId,site,warehouse,shipped\norder-000001,shop-a,main,1\norder-000003,shop-a,main,1');
  await page.click('#bulk-check');
  await page.click('#bulk-send');
  await page.waitForSelector('#bulk-refusal .ship-no-module a[href="/module"]');
  await page.waitForSelector('#bulk-controls[data-in-flight="0"]'); // both rows may have been on their way
  assert.equal(await page.getAttribute('#bulk-controls', 'data-state'), 'paused');
  assert.equal(await page.locator('#bulk-report tr[data-status=pending]').count(), 2);
  await screenshot(page, 'shipments-no-module');
  await page.click('#bulk-refusal .ship-no-module a[href="/module"]');
  await page.waitForSelector('#page-module');
  assert.deepEqual(unexpected(errors), []);
});

test('many orders: 503s retried, pause holds, resume goes on, cancel leaves the rest pending', async () => {
  const { page, errors } = browser;
  await sandbox.reset({});
  await sandbox.api('faults', { method: 'POST', body: { latencyMs: 200, fail503Share: 0.3 } });
  const ids = Array.from({ length: 20 }, (_, i) => 21 + i);
  const externalId = (n) => `order-${String(n).padStart(6, '0')}`;
  const lines = ids.map((n) => `${externalId(n)},${n % 2 ? 'shop-a' : 'shop-b'},south,2025-04-01,1`);
  await openShipments(page);
  await page.fill('#bulk-text', ['externalId,site,warehouse,date,shipped', ...lines].join('\n'));
  await page.click('#bulk-check');
  await page.click('#bulk-send');
  const sent = () => page.locator('#bulk-report tr[data-status=sent]').count();
  await page.waitForFunction(() => document.querySelectorAll('#bulk-report tr[data-status=sent]').length >= 3);
  await page.click('#bulk-pause');
  await page.waitForSelector('#bulk-controls[data-state=paused]');
  // The orders on their way when pausing (several: the runner keeps some in flight) are still recorded.
  await page.waitForSelector('#bulk-controls[data-in-flight="0"]', { timeout: 15000 });
  const held = await sent();
  await page.waitForTimeout(900);
  assert.equal(await sent(), held, 'nothing is sent while paused');
  assert.ok(held < 20);

  await page.click('#bulk-resume');
  await page.waitForFunction((n) => document.querySelectorAll('#bulk-report tr[data-status=sent]').length >= n, held + 2);
  await page.click('#bulk-cancel');
  await page.waitForSelector('#bulk-controls[data-state=cancelled]');
  // The orders on their way when cancelling are answered and recorded as the CRM holds them.
  await page.waitForSelector('#bulk-controls[data-in-flight="0"]', { timeout: 15000 });
  const done = await sent();
  const pending = await page.locator('#bulk-report tr[data-status=pending]').count();
  assert.equal(await page.locator('#bulk-report tr[data-status=failed]').count(), 0, '503s were retried, not failed');
  assert.equal(done + pending, 20, "the report shows every order on one page");
  assert.ok(pending > 0, 'cancel left rows pending');
  const shipped = [];
  for (const n of ids) shipped.push((await order(externalId(n))).shipmentStore === 'south');
  assert.equal(shipped.filter(Boolean).length, done, 'the sandbox holds exactly the rows reported as set');
  const log = (await sandbox.api('requests')).requests;
  assert.ok(log.some((r) => r.status === 503), 'some calls were answered 503');
  await sandbox.api('faults', { method: 'POST', body: { latencyMs: 0, fail503Share: 0 } });
  assert.deepEqual(unexpected(errors).filter((e) => !/503/.test(e)), []);
});

test('many orders at 1.5 s latency: Pause then Resume while the first is in flight edits each order exactly once', async () => {
  const slow = await startSandbox(['--latency-ms', String(LATENCY_MS)]);
  const own = await startBrowser();
  try {
    const { page, errors } = own;
    await connect(page, slow);
    await page.waitForLoadState('networkidle');
    await page.click('nav.sidenav >> text=Shipments');
    await page.waitForSelector('#ship-site option[value="shop-b"]', { state: 'attached' });
    await page.waitForSelector('#bulk-check:enabled', { timeout: 15000 }); // the warehouses are loaded
    const keys = ['order-000041', 'order-000042', 'order-000043', 'order-000044'];
    const { requests: before } = await slow.api('requests');
    const lines = keys.map((k, i) => `${k},${i % 2 ? 'shop-b' : 'shop-a'},north,2025-05-0${i + 1},1`);
    await page.fill('#bulk-text', ['externalId,site,warehouse,date,shipped', ...lines].join('\n'));
    await page.click('#bulk-check');
    await page.waitForSelector('#bulk-summary');
    await page.click('#bulk-send');
    await page.waitForSelector('#bulk-report tr[data-status=sending]');
    await page.click('#bulk-pause');
    await page.waitForSelector('#bulk-controls[data-state=paused]');
    // The first order is still on its way (its answer takes 1.5 s).
    assert.equal(await page.locator('#bulk-report tr[data-status=sent]').count(), 0);
    assert.ok(Number(await page.getAttribute('#bulk-controls', 'data-in-flight')) >= 1);
    await page.click('#bulk-resume');
    // Leaving while orders are on their way asks first; staying keeps the job going.
    const questions = [];
    page.once('dialog', async (d) => { questions.push(d.message()); await d.dismiss(); });
    await page.click('nav.sidenav >> text=Catalog');
    assert.equal(questions.length, 1, 'the operator was asked');
    assert.match(questions[0], /marked shipped/);
    assert.ok(page.url().endsWith('/shipments'), 'still on the shipments screen');
    await page.waitForSelector('#bulk-controls[data-state=done]', { timeout: 30000 });
    assert.equal(await page.locator('#bulk-report tr[data-status=sent]').count(), 4);
    // Done: leaving asks nothing.
    await page.click('nav.sidenav >> text=Catalog');
    await page.waitForURL(/\/catalog/);

    const { requests } = await slow.api('requests');
    const edits = requests.slice(before.length).filter((r) => r.method === 'POST' && /^\/api\/v5\/orders\/[^/]+\/edit$/.test(r.path));
    assert.deepEqual(edits.map((r) => r.path).sort(), keys.map((k) => `/api/v5/orders/${k}/edit`),
      'exactly 4 edit requests, one per order');
    for (const k of keys) {
      const { order: saved } = await slow.api(`orders/${k}`);
      assert.deepEqual([saved.shipped, saved.shipmentStore], [true, 'north']);
    }
    assert.deepEqual(unexpected(errors), []);
  } finally {
    await own.close();
    slow.stop();
  }
});
