// Leaving a screen while its CRM request is still in flight: the request is cancelled, the screen's signals are
// disposed, and the code after the `.await` must not read them (a panic kills the wasm page). Every screen starts
// a request under 1.5 s of injected latency and the user clicks away at once; no page error may follow, and the
// panel must keep working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, startBrowser, connect } from './harness.mjs';

let sandbox, browser;
before(async () => { sandbox = await startSandbox(); browser = await startBrowser(); });
after(async () => { await browser?.close(); sandbox?.stop(); });

const LATENCY_MS = 1500;
const SETTLE_MS = 2500;

/** Page errors (a panic shows as `RuntimeError: unreachable` or a "disposed" message) are never ignored. */
const pageErrors = () => browser.errors.filter((e) => e.startsWith('pageerror') || /panicked|disposed/i.test(e));
/** Console errors other than the aborted / slow requests this test provokes on purpose. */
const otherConsoleErrors = () => browser.errors.filter((e) => e.startsWith('console')
  && !/Failed to load resource|net::ERR_ABORTED|AbortError|aborted/i.test(e));

const nav = (page, name) => page.click(`nav.sidenav >> text=${name}`);
const latency = (ms) => sandbox.api('faults', { method: 'POST', body: { latencyMs: ms } });

/** Waits past the injected latency, then checks nothing broke. */
async function settled(page, what) {
  await page.waitForTimeout(SETTLE_MS);
  assert.deepEqual(pageErrors(), [], `no page error after leaving ${what}`);
  assert.deepEqual(otherConsoleErrors(), [], `no unexpected console error after leaving ${what}`);
  assert.ok(await page.isVisible('section.page'), `a screen is shown after leaving ${what}`);
}

test('leaving every screen mid-request neither panics nor breaks the panel', async () => {
  const { page } = browser;
  await connect(page, sandbox);
  await page.waitForLoadState('networkidle');
  await latency(LATENCY_MS);
  try {
    // Inventories: opening the screen asks for the warehouses and the first page.
    await nav(page, 'Stock');
    await page.waitForSelector('#page-inventories');
    await nav(page, 'Connection');
    await settled(page, 'the leftovers screen while it opened');

    // Inventories: "load all" walks every page.
    await nav(page, 'Stock');
    await page.waitForSelector('#inv-load-all:enabled');
    await page.click('#inv-load-all');
    await nav(page, 'Connection');
    await settled(page, 'the leftovers screen while loading all');

    // Catalog: opening it asks for the sites, the groups and the products.
    await nav(page, 'Catalog');
    await page.waitForSelector('#page-catalog');
    await nav(page, 'Connection');
    await settled(page, 'the catalog while it opened');

    // Shipments: find an order.
    await nav(page, 'Shipments');
    await page.waitForSelector('#ship-key');
    await page.fill('#ship-key', 'order-000001');
    await page.click('#ship-find');
    await nav(page, 'Connection');
    await settled(page, 'the shipments screen while finding an order');

    // Module: load by code (the probe also asks for offers and warehouses when the form shows).
    await nav(page, 'Module');
    await page.waitForSelector('#mod-code-input');
    await page.fill('#mod-code-input', 'demo-wms');
    await page.click('#mod-load');
    await nav(page, 'Connection');
    await settled(page, 'the module screen while loading');

    // Module: confirm a save, then leave at once.
    await nav(page, 'Module');
    await page.waitForSelector('#mod-loaded', { timeout: 10000 });
    await page.click('#mod-save');
    await page.waitForSelector('#mod-confirm');
    await page.click('#mod-confirm');
    await nav(page, 'Connection');
    await settled(page, 'the module screen while saving');

    // Connection: check the key, then leave at once.
    await page.waitForSelector('#check-connection');
    await page.click('#check-connection');
    await nav(page, 'Module');
    await settled(page, 'the connection screen while checking');
  } finally {
    await latency(0);
  }

  // The panel still works: screens load their data.
  await nav(page, 'Stock');
  await page.waitForSelector('#inv-table tbody tr', { timeout: 15000 });
  await nav(page, 'Module');
  await page.waitForSelector('#mod-loaded', { timeout: 15000 });
  await nav(page, 'Shipments');
  const { order } = await sandbox.api('orders/order-000001');
  await page.waitForSelector(`#ship-site option[value="${order.site}"]`, { state: 'attached' });
  await page.selectOption('#ship-site', order.site);
  await page.fill('#ship-key', 'order-000001');
  await page.click('#ship-find');
  await page.waitForSelector('#ship-current td[data-field=key]:has-text("order-000001")', { timeout: 15000 });
  assert.deepEqual(pageErrors(), []);
  assert.deepEqual(otherConsoleErrors(), []);
});
