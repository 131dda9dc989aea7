// The catalog screen against the sandbox: the group tree, a product's offers and the properties match the API;
// filters narrow the list as the API does and survive a reload; an offer links to its leftovers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, startBrowser, connect, screenshot } from './harness.mjs';

let sandbox, browser;
before(async () => {
  sandbox = await startSandbox();
  browser = await startBrowser();
  await connect(browser.page, sandbox);
});
after(async () => { await browser?.close(); sandbox?.stop(); });

/** Opens the catalog through the navigation (the session stays checked) and waits for the tree. */
async function openCatalog(page) {
  await page.click('nav.sidenav >> text=Catalog');
  await page.waitForSelector('#cat-groups-count', { timeout: 15000 });
}

/** Waits until the products total shown equals `expected` and returns it. */
async function shownTotal(page, expected) {
  await page.waitForFunction(
    (n) => document.querySelector('#cat-products-total')?.dataset.total === String(n), expected, { timeout: 15000 });
  return Number(await page.getAttribute('#cat-products-total', 'data-total'));
}

test('the group tree matches the sandbox groups (every page, parent/child, counts)', async () => {
  const { page } = browser;
  await openCatalog(page);
  const api = await sandbox.crm('/api/v5/store/product-groups?limit=250');
  const groups = api.body.productGroup;
  assert.ok(groups.length > 0);
  assert.equal(api.body.pagination.totalCount, groups.length, 'one page holds them all');
  assert.match(await page.textContent('#cat-groups-count'), new RegExp(`\\b${groups.length}\\b`));
  // Collapsed: only the roots.
  const roots = groups.filter((g) => !g.parentId).map((g) => g.id).sort((a, b) => a - b);
  const shownRoots = await page.$$eval('li.cat-group', (els) => els.map((e) => Number(e.dataset.id)));
  assert.deepEqual([...shownRoots].sort((a, b) => a - b), roots);
  await page.click('#cat-expand-all');
  await page.waitForFunction((n) => document.querySelectorAll('li.cat-group').length === n, groups.length);
  const rows = await page.$$eval('li.cat-group', (els) => els.map((e) => ({
    id: Number(e.dataset.id),
    depth: Number(e.dataset.depth),
    children: e.querySelector('.cat-group-children')?.textContent ?? '',
  })));
  const byId = new Map(groups.map((g) => [g.id, g]));
  for (const row of rows) {
    const g = byId.get(row.id);
    assert.ok(g, `group ${row.id} is in the API`);
    assert.equal(row.depth, g.lvl - 1, `depth of ${g.name}`);
    const kids = groups.filter((c) => c.parentId === g.id).length;
    if (kids > 0) assert.match(row.children, new RegExp(`^${kids} /`), `children of ${g.name}`);
  }
  // Every child appears right after its parent's subtree starts (depth-first order).
  const order = rows.map((r) => r.id);
  for (const g of groups.filter((x) => x.parentId)) {
    assert.ok(order.indexOf(g.id) > order.indexOf(g.parentId), `${g.id} below ${g.parentId}`);
  }
  // Filtered by site and active as the API does.
  await page.selectOption('#cat-groups-site', 'shop-b');
  const shopB = (await sandbox.crm('/api/v5/store/product-groups?limit=250&filter[sites][]=shop-b')).body;
  await page.waitForFunction((n) => document.querySelector('#cat-groups-count')?.textContent.includes(String(n))
    && !document.querySelector('#cat-groups-loading'), shopB.pagination.totalCount);
  await page.selectOption('#cat-groups-site', '');
  await page.waitForFunction((n) => document.querySelector('#cat-groups-count')?.textContent.includes(String(n)),
    groups.length);
});

test('clicking a group filters the products as the API does', async () => {
  const { page } = browser;
  const some = (await sandbox.crm('/api/v5/store/products?limit=20')).body.products;
  const groupId = some[0].groups[0].id;
  const direct = (await sandbox.crm(`/api/v5/store/products?limit=20&filter[groups]=${groupId}`)).body;
  assert.ok(direct.pagination.totalCount > 0);
  await page.click('#cat-expand-all');
  await page.click(`li.cat-group[data-id="${groupId}"] .cat-group-name`);
  await page.waitForURL(new RegExp(`[?&]group=${groupId}\\b`));
  assert.equal(await shownTotal(page, direct.pagination.totalCount), direct.pagination.totalCount);
  const ids = await page.$$eval('tr.cat-product', (els) => els.map((e) => Number(e.dataset.id)));
  assert.deepEqual(ids, direct.products.map((p) => p.id));
  await page.click('#cat-clear-group');
  await page.waitForFunction(() => !location.search.includes('group='));
});

test('a top-level group shows the products of its whole subtree: its sub-groups are sent in the filter', async () => {
  const { page } = browser;
  const groups = (await sandbox.crm('/api/v5/store/product-groups?limit=250')).body.productGroup;
  const below = (id) => groups.filter((g) => g.parentId === id).flatMap((g) => [g.id, ...below(g.id)]);
  const root = groups.find((g) => !g.parentId && below(g.id).length > 1);
  const subtree = [root.id, ...below(root.id)];
  const query = subtree.map((id) => `&filter[groups][]=${id}`).join('');
  const whole = (await sandbox.crm(`/api/v5/store/products?limit=20${query}`)).body;
  const own = (await sandbox.crm(`/api/v5/store/products?limit=20&filter[groups][]=${root.id}`)).body;
  assert.ok(whole.pagination.totalCount > own.pagination.totalCount, 'the sub-groups hold products of their own');

  await openCatalog(page);
  await sandbox.api('requests', { method: 'DELETE' });
  await page.click(`li.cat-group[data-id="${root.id}"] .cat-group-name`);
  await page.waitForURL(new RegExp(`[?&]group=${root.id}\\b`));
  assert.equal(await shownTotal(page, whole.pagination.totalCount), whole.pagination.totalCount);
  assert.deepEqual(await page.$$eval('tr.cat-product', (els) => els.map((e) => Number(e.dataset.id))),
    whole.products.map((p) => p.id));
  assert.equal(await page.getAttribute('#cat-group-filter', 'data-subgroups'), String(subtree.length - 1));
  assert.match(await page.textContent('#cat-group-filter'), new RegExp(`with its sub-groups: ${subtree.length - 1}`));
  const calls = (await sandbox.api('requests')).requests.filter((r) => r.path.endsWith('/store/products'))
    .map((r) => decodeURIComponent(r.query));
  assert.ok(calls.length >= 1 && calls.every((q) => subtree.every((id) => q.includes(`filter[groups][]=${id}&`) || q.endsWith(`filter[groups][]=${id}`))),
    `every products call names the whole subtree: ${calls}`);
  // A reload opens the same group with its subtree.
  await page.reload();
  assert.equal(await shownTotal(page, whole.pagination.totalCount), whole.pagination.totalCount);
  await page.click('#cat-clear-group');
  await page.waitForFunction(() => !location.search.includes('group='));
  assert.deepEqual(browser.errors, []);
});

test('name and active filters narrow the list like the API, and survive a reload', async () => {
  const { page } = browser;
  const all = (await sandbox.crm('/api/v5/store/products?limit=20')).body;
  const word = all.products[0].name.split(' ')[1];
  const direct = (await sandbox.crm(
    `/api/v5/store/products?limit=20&filter[name]=${encodeURIComponent(word)}&filter[active]=1`)).body;
  assert.ok(direct.pagination.totalCount < all.pagination.totalCount, 'the filter narrows');
  await page.fill('#cat-f-name', word);
  await page.selectOption('#cat-f-active', '1');
  await page.click('#cat-apply');
  await page.waitForURL(/active=1/);
  assert.equal(await shownTotal(page, direct.pagination.totalCount), direct.pagination.totalCount);
  const url = page.url();
  assert.match(url, new RegExp(`name=${encodeURIComponent(word)}`));
  await page.reload();
  await page.waitForSelector('#cat-products-total', { timeout: 15000 });
  assert.equal(page.url(), url);
  assert.equal(await shownTotal(page, direct.pagination.totalCount), direct.pagination.totalCount);
  assert.equal(await page.inputValue('#cat-f-name'), word);
  assert.equal(await page.inputValue('#cat-f-active'), '1');
  // Price range and page size reach the API too.
  const ranged = (await sandbox.crm('/api/v5/store/products?limit=50&filter[minPrice]=1000&filter[maxPrice]=2000')).body;
  await page.click('#cat-reset');
  await page.fill('#cat-f-min-price', '1000');
  await page.fill('#cat-f-max-price', '2000');
  await page.click('#cat-apply');
  await page.selectOption('#cat-products .pager-limit', '50');
  await page.waitForURL(/limit=50/);
  assert.equal(await shownTotal(page, ranged.pagination.totalCount), ranged.pagination.totalCount);
  await page.waitForFunction((n) => document.querySelectorAll('tr.cat-product').length === n,
    Math.min(50, ranged.pagination.totalCount));
  await page.click('#cat-reset');
});

test("a product's offers match the sandbox product, and an offer links to its leftovers", async () => {
  const { page } = browser;
  await page.fill('#cat-f-offer-external-id', 'offer-000002');
  await page.click('#cat-apply');
  await page.waitForURL(/offerExternalId=offer-000002/);
  const listed = (await sandbox.crm('/api/v5/store/products?filter[offerExternalId]=offer-000002')).body.products;
  assert.equal(listed.length, 1);
  const productId = listed[0].id;
  await shownTotal(page, 1);
  const product = (await sandbox.crm(`/api/v5/store/products?filter[ids][]=${productId}`)).body.products[0];
  await page.click(`tr.cat-product[data-id="${productId}"] .cat-product-toggle`);
  await page.waitForSelector(`tr.cat-detail[data-product="${productId}"] tr.cat-offer`);
  const offers = await page.$$eval(`tr.cat-detail[data-product="${productId}"] tr.cat-offer`, (els) => els.map((e) => ({
    id: Number(e.dataset.id),
    externalId: e.querySelector('.cat-offer-external-id').textContent,
    xmlId: e.querySelector('.cat-offer-xml-id').textContent,
    article: e.querySelector('.cat-offer-article').textContent,
    price: e.querySelector('.cat-offer-price').textContent,
    purchasePrice: e.querySelector('.cat-offer-purchase-price').textContent,
    quantity: e.querySelector('.cat-offer-quantity').textContent,
    barcode: e.querySelector('.cat-offer-barcode').textContent,
    prices: e.querySelector('.cat-offer-prices').textContent,
    properties: e.querySelector('.cat-offer-properties').textContent,
    link: e.querySelector('a.cat-leftovers-link')?.getAttribute('href'),
  })));
  assert.deepEqual(offers, product.offers.map((o) => ({
    id: o.id,
    externalId: o.externalId,
    xmlId: o.xmlId,
    article: o.article,
    price: String(o.price),
    purchasePrice: o.purchasePrice === undefined ? '' : String(o.purchasePrice),
    quantity: String(o.quantity),
    barcode: o.barcode,
    prices: o.prices.map((p) => `${p.priceType}: ${p.price}`).join(''),
    properties: Object.entries(o.properties).sort(([a], [b]) => a.localeCompare(b)).map(([c, v]) => `${c}: ${v}`).join(''),
    link: `/inventories?offerExternalId=${o.externalId}&site=${o.site}`,
  })));
  await screenshot(page, 'catalog-offers');
  const first = product.offers[0];
  await page.click(`tr.cat-offer[data-id="${first.id}"] a.cat-leftovers-link`);
  await page.waitForURL((u) => u.pathname === '/inventories');
  const u = new URL(page.url());
  assert.equal(u.search, `?offerExternalId=${first.externalId}&site=${first.site}`);
  await page.waitForSelector('#page-inventories');
});

test("products' and offers' thumbnails are the sandbox's pictures and load", async () => {
  const { page } = browser;
  await openCatalog(page);
  await page.waitForSelector('tr.cat-product');
  const listed = (await sandbox.crm('/api/v5/store/products?limit=20')).body.products;
  const withImage = listed.find((p) => p.imageUrl);
  assert.ok(withImage, 'a seeded product on the first page has an imageUrl');
  assert.ok(listed.some((p) => !p.imageUrl), 'and one has none');
  const thumb = `tr.cat-product[data-id="${withImage.id}"] img.cat-thumb`;
  await page.locator(thumb).scrollIntoViewIfNeeded();
  assert.equal(await page.getAttribute(thumb, 'src'), withImage.imageUrl);
  await page.waitForFunction((sel) => document.querySelector(sel)?.complete, thumb, { timeout: 10000 });
  assert.ok(await page.$eval(thumb, (img) => img.naturalWidth) > 0, 'the product thumbnail loaded');
  for (const p of listed.filter((p) => !p.imageUrl)) {
    assert.equal(await page.locator(`tr.cat-product[data-id="${p.id}"] img.cat-thumb`).count(), 0);
  }

  // The opened product shows its offers' pictures; they load too.
  await page.click(`tr.cat-product[data-id="${withImage.id}"] .cat-product-toggle`);
  const offer = withImage.offers.find((o) => o.images.length > 0);
  const offerThumb = `tr.cat-offer[data-id="${offer.id}"] .cat-offer-images img.cat-thumb`;
  await page.waitForSelector(offerThumb);
  await page.locator(offerThumb).scrollIntoViewIfNeeded();
  assert.equal(await page.getAttribute(offerThumb, 'src'), offer.images[0]);
  await page.waitForFunction((sel) => document.querySelector(sel)?.complete, offerThumb, { timeout: 10000 });
  assert.ok(await page.$eval(offerThumb, (img) => img.naturalWidth) > 0, 'the offer picture loaded');
});

test('the property list matches the sandbox, and its filters are the API filters', async () => {
  const { page } = browser;
  await openCatalog(page);
  await page.click('#cat-tab-properties');
  await page.waitForSelector('#cat-properties-table');
  const api = (await sandbox.crm('/api/v5/store/products/properties?limit=20')).body;
  const rows = await page.$$eval('tr.cat-property', (els) => els.map((e) => ({
    code: e.querySelector('.cat-property-code').textContent,
    name: e.querySelector('.cat-property-name').textContent,
    sites: e.querySelector('.cat-property-sites').textContent,
    groups: e.querySelector('.cat-property-groups').textContent,
  })));
  assert.deepEqual(rows, api.properties.map((p) => ({
    code: p.code,
    name: p.name,
    sites: p.sites.join(', '),
    groups: p.groups.map((g) => `${g.name} (${g.id})`).join(', '),
  })));
  const variative = (await sandbox.crm('/api/v5/store/products/properties?limit=20&filter[variative]=1')).body;
  await page.selectOption('#cat-p-variative', '1');
  await page.click('#cat-p-apply');
  await page.waitForURL(/pp\.variative=1/);
  await page.waitForFunction((n) => document.querySelector('#cat-properties-total')?.dataset.total === String(n),
    variative.pagination.totalCount);
  assert.ok(variative.pagination.totalCount < api.pagination.totalCount);
  assert.deepEqual(browser.errors, []);
});

test('the current page downloads as CSV with one row per offer', async () => {
  const { page } = browser;
  await page.click('#cat-tab-products');
  await page.waitForSelector('tr.cat-product');
  const direct = (await sandbox.crm('/api/v5/store/products?limit=20')).body;
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#cat-export-page')]);
  assert.equal(download.suggestedFilename(), 'products.csv');
  const text = await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString('utf8'));
  const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.match(lines[0], /^productId,productExternalId,productName/);
  const offerCount = direct.products.reduce((n, p) => n + Math.max(1, p.offers.length), 0);
  assert.equal(lines.length - 1, offerCount);
});

test('all pages download as one CSV under the rate limit, with every offer once', async () => {
  const { page } = browser;
  const { summary } = await sandbox.api('state');
  const started = Date.now();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 30000 }),
    page.click('#cat-export-all'),
  ]);
  const text = await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString('utf8'));
  const lines = text.replace(/^\uFEFF/, '').trim().split('\r\n');
  assert.equal(lines.length - 1, summary.offers, 'every offer of every product is a row');
  const offerIds = new Set(lines.slice(1).map((l) => l.split(',')[8]));
  assert.equal(offerIds.size, summary.offers, 'no offer twice');
  await page.waitForSelector('#cat-export-saved');
  assert.match(await page.textContent('#cat-export-saved'), new RegExp(`\\b${summary.products}\\b`));
  console.log(`export of ${summary.products} products / ${summary.offers} offers took ${Date.now() - started} ms`);
  assert.deepEqual(browser.errors, []);
});

test('the list follows its URL under latency: two quick page clicks, then a name filter and a group click', async () => {
  const { page } = browser;
  const products = async (query) => (await sandbox.crm(`/api/v5/store/products?limit=20${query}`)).body;
  const ids = (body) => body.products.map((p) => p.id);
  const [p1, p3] = [ids(await products('')), ids(await products('&page=3'))];
  // A product whose name word and group each narrow the list, and both together narrow it further.
  let pick;
  for (const p of (await products('')).products.filter((x) => x.groups.length > 0)) {
    const word = p.name.split(' ')[1];
    const group = p.groups[0].id;
    const name = encodeURIComponent(word);
    const [both, byName, byGroup] = [await products(`&filter[name]=${name}&filter[groups]=${group}`),
      await products(`&filter[name]=${name}`), await products(`&filter[groups]=${group}`)];
    const n = both.pagination.totalCount;
    if (n > 0 && n < byName.pagination.totalCount && n < byGroup.pagination.totalCount) {
      pick = { word, group, both };
      break;
    }
  }
  assert.ok(pick, 'a name and a group that narrow each other');

  await openCatalog(page);
  await page.click('#cat-tab-products');
  await page.click('#cat-reset');
  await page.click('#cat-expand-all');
  await page.waitForFunction((want) => [...document.querySelectorAll('tr.cat-product')]
    .map((e) => Number(e.dataset.id)).join(',') === want, p1.join(','));
  const latency = (ms) => sandbox.api('faults', { method: 'POST', body: { latencyMs: ms } });
  const productCalls = async () => (await sandbox.api('requests')).requests
    .filter((r) => r.path.endsWith('/store/products'))
    .map((r) => decodeURIComponent(r.query.replace(/\+/g, ' ')));
  await latency(600);
  try {
    // Two quick clicks on "next": the second while page 2 is still loading.
    await sandbox.api('requests', { method: 'DELETE' });
    await page.evaluate(() => {
      window.__frames = [];
      const tick = () => {
        window.__frames.push({
          search: location.search,
          ids: [...document.querySelectorAll('tr.cat-product')].map((e) => Number(e.dataset.id)),
        });
        if (!window.__stopFrames) requestAnimationFrame(tick);
      };
      tick();
    });
    await page.click('#cat-products .pager-next');
    await page.waitForURL(/[?&]page=2\b/);
    await page.click('#cat-products .pager-next');
    await page.waitForURL(/[?&]page=3\b/);
    await page.waitForFunction((want) => [...document.querySelectorAll('tr.cat-product')]
      .map((e) => Number(e.dataset.id)).join(',') === want, p3.join(','), { timeout: 10000 });
    assert.match(await page.textContent('#cat-products .pager-label'), /^Page 3 of \d+$/);
    const frames = await page.evaluate(() => { window.__stopFrames = true; return window.__frames; });
    for (const f of frames.filter((x) => /[?&]page=3\b/.test(x.search) && x.ids.length > 0)) {
      assert.deepEqual(f.ids, p3, 'while the URL says page 3, no other page is shown');
    }
    const calls = await productCalls();
    assert.equal(calls.filter((q) => /(^|&)page=3(&|$)/.test(q)).length, 1, `page 3 asked once: ${calls}`);
    assert.ok(calls.every((q) => /(^|&)page=[23](&|$)/.test(q)), `${calls}`);

    // A name filter, then a group click while its answer is on the way: the list answers both.
    await sandbox.api('requests', { method: 'DELETE' });
    await page.fill('#cat-f-name', pick.word);
    await page.click('#cat-apply');
    await page.waitForURL(/[?&]name=/);
    await page.click(`li.cat-group[data-id="${pick.group}"] .cat-group-name`);
    await page.waitForURL(new RegExp(`[?&]group=${pick.group}\\b`));
    assert.match(page.url(), new RegExp(`[?&]name=${encodeURIComponent(pick.word)}\\b`));
    assert.equal(await shownTotal(page, pick.both.pagination.totalCount), pick.both.pagination.totalCount);
    assert.deepEqual(await page.$$eval('tr.cat-product', (els) => els.map((e) => Number(e.dataset.id))),
      ids(pick.both));
    assert.equal(await page.inputValue('#cat-f-name'), pick.word);
    await page.waitForSelector('#cat-group-filter');
    const both = (await productCalls()).filter((q) => q.includes(`filter[name]=${pick.word}`)
      && q.includes(`filter[groups][]=${pick.group}`));
    assert.equal(both.length, 1, 'the CRM was asked for both filters');
  } finally {
    await latency(0);
  }
  await page.click('#cat-reset');
  assert.deepEqual(browser.errors, []);
});
