// The app shell: navigation to every screen, not-found page, language switch remembered, version shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, startBrowser } from './harness.mjs';

let sandbox, browser;
before(async () => { sandbox = await startSandbox(); browser = await startBrowser(); });
after(async () => { await browser?.close(); sandbox?.stop(); });

test('every screen of the navigation opens its own page', async () => {
  const { page } = browser;
  await page.goto(`${sandbox.url}/`);
  for (const [link, id] of [['Module', 'page-module'], ['Leftovers', 'page-inventories'], ['Upload', 'page-upload'],
    ['Catalog', 'page-catalog'], ['Shipments', 'page-shipments'], ['Connection', 'page-connection']]) {
    await page.click(`nav.sidenav >> text=${link}`);
    await page.waitForSelector(`#${id}`, { timeout: 10000 });
  }
  assert.deepEqual(browser.errors, []);
});

test('an unknown address shows the not-found page, served by the SPA fallback', async () => {
  const { page } = browser;
  await page.goto(`${sandbox.url}/no/such/screen`);
  await page.waitForSelector('#not-found');
  assert.match(await page.textContent('#not-found h1'), /not found/i);
});

test('the language switch translates the panel and is remembered after a reload', async () => {
  const { page } = browser;
  await page.goto(`${sandbox.url}/`);
  await page.click('.lang-switch button[data-lang=ru]');
  await page.waitForFunction(() => document.querySelector('nav.sidenav')?.textContent.includes('Подключение'));
  await page.reload();
  await page.waitForSelector('nav.sidenav');
  assert.match(await page.textContent('nav.sidenav'), /Остатки/);
  assert.equal(await page.getAttribute('html', 'lang'), 'ru');
  await page.click('.lang-switch button[data-lang=en]');
  await page.waitForFunction(() => document.querySelector('nav.sidenav')?.textContent.includes('Leftovers'));
});

test('the version is visible', async () => {
  const { page } = browser;
  await page.goto(`${sandbox.url}/`);
  assert.match(await page.textContent('#version'), /\d+\.\d+\.\d+/);
});
