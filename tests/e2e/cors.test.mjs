// The panel served from one origin and the CRM on another: works when the CRM answers cross-origin requests
// (sandbox --cors), and says "blocked by the browser, use a same-origin proxy" when it does not (the default,
// as the real CRM is likely to behave).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, startBrowser, API_KEY } from './harness.mjs';

let panel, withCors, withoutCors, browser;
before(async () => {
  panel = await startSandbox();
  withCors = await startSandbox(['--cors']);
  withoutCors = await startSandbox();
  browser = await startBrowser();
});
after(async () => {
  await browser?.close();
  for (const s of [panel, withCors, withoutCors]) s?.stop();
});

async function checkAgainst(crm) {
  const { page } = browser;
  await page.goto(`${panel.url}/`);
  await page.evaluate(() => { localStorage.clear(); sessionStorage.clear(); });
  await page.fill('#crm-url', crm.url);
  await page.fill('#api-key', API_KEY);
  await page.click('#check-connection');
  await page.waitForSelector('#v5-ok, .api-error', { timeout: 20000 });
}

test('a CRM that allows cross-origin requests is reached directly', async () => {
  await checkAgainst(withCors);
  assert.ok(await browser.page.$('#v5-ok'));
  assert.match(await browser.page.textContent('#account-badge'), new RegExp(`127.0.0.1:${withCors.port}`));
});

test('a CRM that does not is reported as blocked, pointing to the same-origin proxy', async () => {
  await checkAgainst(withoutCors);
  assert.equal(await browser.page.getAttribute('.api-error', 'data-kind'), 'api.error.cors');
  assert.match(await browser.page.textContent('.api-error'), /proxy/);
  assert.equal(await browser.page.$('#account-badge .ok'), null);
});
