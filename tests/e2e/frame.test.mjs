// The panel inside the CRM's frame, from another site (two host names mapped to this machine by Chromium's host
// resolver rules): this Chromium blocks localStorage and sessionStorage in a cross-site frame. The panel says so
// in plain words, asks for storage access (Storage Access API) on the Connect click, keeps working in memory
// (connect, upload a small file, export the report), starts over cleanly when the CRM page is reloaded, and offers
// "open in a new tab" at its own origin, where the key is kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startSandbox, startBrowser, listen, uploadStock, API_KEY } from './harness.mjs';

let sandbox, crm, browser, panelOrigin;
before(async () => {
  sandbox = await startSandbox(['--offers', '20']);
  panelOrigin = `http://panel.test:${sandbox.port}`;
  // The CRM's page: the module's settings open inside it, with the account in the address, as the CRM does.
  crm = await listen(createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<!DOCTYPE html><title>CRM</title><h1>CRM settings</h1>
      <iframe id="panel" width="1200" height="800"
        src="${panelOrigin}/?account=${encodeURIComponent('https://acme.retailcrm.ru')}"></iframe>`);
  }));
  browser = await startBrowser({ args: ['--host-resolver-rules=MAP crm.test 127.0.0.1, MAP panel.test 127.0.0.1'] });
  // Records every storage-access request, and whether the operator's click was still active when it was made.
  await browser.context.addInitScript(() => {
    const request = Document.prototype.requestStorageAccess;
    if (!request) return;
    window.storageAccessRequests = [];
    Document.prototype.requestStorageAccess = function (...args) {
      window.storageAccessRequests.push({ types: args[0] ?? null, duringClick: navigator.userActivation.isActive });
      return request.apply(this, args);
    };
  });
});
after(async () => {
  await browser?.close();
  crm?.stop();
  sandbox?.stop();
});

/** The panel's frame in the CRM page, once the panel has started in it. */
async function panelFrame(page) {
  const frame = await (await page.waitForSelector('#panel')).contentFrame();
  await frame.waitForSelector('#page-connection');
  return frame;
}

/** Page errors and console errors but two the browser reports on purpose: the 403 of the keyless question "does
 * this origin serve the CRM's API?" (the CRM's answer without a key), and its refusal of storage access to a page
 * over plain HTTP. */
const unexpectedErrors = () => browser.errors
  .filter((e) => !(/status of 403/.test(e) && e.endsWith(`${panelOrigin}/api/api-versions`)))
  .filter((e) => !e.startsWith('console: requestStorageAccess: May not be used in an insecure context.'));

test('inside the CRM frame: blocked storage said in plain words, asked on Connect, work in memory, reload starts over', async () => {
  const { page, context } = browser;
  await page.goto(`http://crm.test:${crm.port}/`);
  let frame = await panelFrame(page);
  assert.equal(new URL(frame.url()).origin, panelOrigin);
  assert.ok(await frame.evaluate(() => { try { localStorage.length; return false; } catch { return true; } }),
    'this Chromium blocks storage in a cross-site frame');

  await frame.waitForSelector('#storage-notice[data-state=blocked]');
  assert.match(await frame.textContent('#storage-notice'), /Inside the CRM's page/);
  assert.match(await frame.textContent('#storage-notice'), /asks the browser for permission/);
  assert.equal(await frame.getAttribute('#open-in-tab', 'target'), '_blank');
  assert.ok((await frame.getAttribute('#open-in-tab', 'href')).startsWith(`${panelOrigin}/`));
  // The CRM named the account; the panel's own origin serves the API (the sandbox), so it is used.
  await frame.waitForSelector('#proxy-note');
  assert.equal(await frame.inputValue('#crm-url'), panelOrigin);

  await frame.fill('#api-key', API_KEY);
  await frame.check('#remember-key');
  await frame.click('#check-connection');
  // panel.test is plain HTTP and not this computer's loopback name: the key waits for a confirmation.
  await frame.click('#confirm-insecure');
  await frame.waitForSelector('#account-badge .ok', { timeout: 15000 });
  const requests = await frame.evaluate(() => window.storageAccessRequests);
  assert.deepEqual(requests, [{ types: { localStorage: true, sessionStorage: true }, duringClick: true }]);
  // Over plain HTTP the browser refuses (it grants storage access only to secure pages): memory it is.
  await frame.waitForSelector('#storage-notice[data-state=refused]');
  assert.match(await frame.textContent('#storage-notice'), /did not allow it/);

  // Upload a small file and export the report, all in memory.
  await uploadStock(frame, [[1, 41], [2, 42]]);
  const { offers } = await sandbox.api('inventories?id=1&id=2');
  assert.deepEqual(offers.map((o) => o.stores.find((s) => s.store === 'main').quantity), [41, 42]);
  const [download] = await Promise.all([page.waitForEvent('download'), frame.click('#up-report-download')]);
  const csv = Buffer.concat(await (await download.createReadStream()).toArray()).toString('utf8');
  assert.equal(csv.replace(/^\uFEFF/, '').trim().split(/\r?\n/).length, 3, csv);
  await frame.waitForSelector('#up-history .up-history-row');

  // The CRM page is reloaded: nothing could be kept, and the panel starts over without an error.
  await page.reload();
  frame = await panelFrame(page);
  await frame.waitForSelector('#storage-notice[data-state=blocked]');
  await frame.waitForSelector('#account-badge .muted');
  assert.equal(await frame.inputValue('#api-key'), '');
  assert.equal(await frame.evaluate(() => window.storageAccessRequests.length), 0, 'not asked without a click');
  assert.deepEqual(unexpectedErrors(), []);
  assert.equal(context.pages().length, 1);
});

test('"open in a new tab" opens the panel at its own origin, where the key is kept', async () => {
  const { page, context } = browser;
  browser.errors.length = 0;
  await page.goto(`http://crm.test:${crm.port}/`);
  const frame = await panelFrame(page);
  const [tab] = await Promise.all([context.waitForEvent('page'), frame.click('#open-in-tab')]);
  await tab.waitForSelector('#page-connection');
  assert.equal(new URL(tab.url()).origin, panelOrigin);
  assert.equal(await tab.$('#storage-notice'), null, 'storage works at the top level');
  await tab.fill('#api-key', API_KEY);
  await tab.check('#remember-key');
  await tab.click('#check-connection');
  await tab.click('#confirm-insecure');
  await tab.waitForSelector('#account-badge .ok', { timeout: 15000 });
  await tab.reload();
  await tab.waitForSelector('#account-badge .ok', { timeout: 15000 });
  await tab.close();
  assert.deepEqual(unexpectedErrors(), []);
});
