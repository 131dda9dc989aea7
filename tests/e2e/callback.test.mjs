// The inventoriesUpload callback: the module screen's probe against the sandbox's built-in responder (passes) and
// against `crm-sandbox responder` in each faulty mode (each problem reported), then the full loop on the CRM side.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startSandbox, startBrowser, connect, freePort, screenshot, ROOT } from './harness.mjs';

let sandbox, browser;
const responders = [];
before(async () => { sandbox = await startSandbox(); browser = await startBrowser(); });
after(async () => {
  for (const r of responders) r.kill('SIGTERM');
  await browser?.close();
  sandbox?.stop();
});

/** Starts `crm-sandbox responder --mode <mode>` on a free port; resolves with its base address. */
async function startResponder(mode) {
  const port = await freePort();
  const child = spawn(join(ROOT, 'target', 'debug', 'crm-sandbox'),
    ['responder', '--port', String(port), '--mode', mode, '--timeout-sleep-ms', '3000'],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  responders.push(child);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${url}/`)).ok) return url; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`responder ${mode} did not start`);
}

/** Sends the probe and returns {outcome, text} of the result. */
async function probe(page) {
  await page.click('#probe-send');
  await page.waitForSelector('.probe-result', { timeout: 15000 });
  return {
    outcome: await page.getAttribute('.probe-result', 'data-outcome'),
    text: await page.textContent('.probe-result'),
  };
}

test('the probe of the seeded module against the built-in responder passes', async () => {
  const { page } = browser;
  await connect(page, sandbox);
  await page.waitForLoadState('networkidle');
  await page.click('nav.sidenav >> text=Module');
  await page.fill('#mod-code-input', 'demo-wms');
  await page.click('#mod-load');
  await page.waitForSelector('#mod-loaded');
  assert.equal(await page.textContent('#probe-address'), `${sandbox.url}/_responder/callback/inventories`);
  await page.waitForFunction(() => document.querySelector('#probe-payload')?.value.includes('"externalId"'));
  const request = await page.textContent('#probe-request');
  assert.match(request, /^POST http/);
  assert.match(request, /clientId=demo-client-id/);
  assert.match(request, /inventoriesUpload=\{"offers":\[\{"externalId":"offer-/);
  const { outcome, text } = await probe(page);
  assert.equal(outcome, 'good', text);
  assert.match(text, /Good reply: 3 offers/);
  await screenshot(page, 'callback-probe-good');
});

for (const [mode, expected, pattern] of [
  ['wrong-shape', 'bad-reply', /success must be true or false, not "yes"[\s\S]*offers is missing or not a list/],
  ['unknown-store', 'bad-reply', /there is no warehouse no-such-store in the CRM/],
  ['missing-offers', 'bad-reply', /was asked for but is missing in the reply/],
  ['status-500', 'http-status', /HTTP 500/],
  ['timeout', 'timeout', /No reply within 1 s/],
  ['legacy-spelling', 'good', /store\/quantity instead of code\/available/],
]) {
  test(`the probe reports a responder in mode ${mode}`, async () => {
    const { page } = browser;
    const url = await startResponder(mode);
    await page.fill('#mod-f-baseUrl', url);
    await page.fill('#probe-timeout', '1');
    await page.waitForFunction((u) => document.querySelector('#probe-address')?.textContent.startsWith(u), url);
    const { outcome, text } = await probe(page);
    assert.equal(outcome, expected, text);
    assert.match(text, pattern);
  });
}

test('an endpoint that cannot be reached is told apart from a bad reply', async () => {
  const { page } = browser;
  await page.fill('#mod-f-baseUrl', `http://127.0.0.1:${await freePort()}`);
  const { outcome, text } = await probe(page);
  assert.equal(outcome, 'unreachable', text);
  assert.match(text, /network or CORS/);
  // Refused connections and the 500 reply are failed loads on purpose; a panic would be a pageerror.
  assert.deepEqual(browser.errors.filter((e) => !/Failed to load resource/.test(e)), []);
});

test("firing a call point of the seeded module changes the sandbox's stock as the responder's table says", async () => {
  const stock = async () => (await sandbox.api('inventories?externalId=offer-000002')).offers[0].stores;
  const amount = (stores, code) => {
    const s = stores.find((x) => (x.store ?? x.code) === code);
    return s && (s.quantity ?? s.available);
  };
  await sandbox.api('stock', { method: 'POST', body: { offers: [{ externalId: 'offer-000002',
    stores: [{ code: 'main', quantity: 1 }, { code: 'north', quantity: 1 }] }] } });
  assert.equal(amount(await stock(), 'main'), 1);
  const report = await sandbox.api('callpoints/manual', { method: 'POST', body: { offers: ['offer-000002'] } });
  assert.ok(!report.problems?.length, JSON.stringify(report));
  const after = await stock();
  // The built-in responder's default table: every offer has 25 in main and 4 in north.
  assert.equal(amount(after, 'main'), 25, JSON.stringify(after));
  assert.equal(amount(after, 'north'), 4, JSON.stringify(after));
  const { callbacks } = await sandbox.api('callbacks');
  assert.ok(callbacks?.length >= 1);

  // The loop as an operator sees it: the leftovers screen shows the stock the WMS answered with.
  const { page } = browser;
  const site = (await sandbox.api('inventories?externalId=offer-000002')).offers[0].site;
  await page.goto(`${sandbox.url}/inventories?offerExternalId=offer-000002&site=${site}`);
  await page.waitForSelector('#inv-table tbody tr.inv-row', { timeout: 15000 });
  const shown = await page.$$eval('#inv-table tbody tr.inv-row td.qty', (tds) =>
    Object.fromEntries(tds.map((td) => [td.dataset.store, td.textContent.trim()])));
  assert.equal(shown.main, '25', JSON.stringify(shown));
  assert.equal(shown.north, '4', JSON.stringify(shown));
});
