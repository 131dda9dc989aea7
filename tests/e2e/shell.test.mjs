// The app shell of the release build: navigation to every screen in both languages, not-found page, language
// switch remembered, version shown, and no console error or wasm panic anywhere on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, startBrowser, screenshot } from './harness.mjs';

let sandbox, browser;
before(async () => { sandbox = await startSandbox(); browser = await startBrowser(); });
after(async () => { await browser?.close(); sandbox?.stop(); });

const SCREENS = [
  ['/module', 'page-module', 'Module', 'Модуль'],
  ['/inventories', 'page-inventories', 'Stock', 'Остатки'],
  ['/upload', 'page-upload', 'Upload', 'Загрузка'],
  ['/catalog', 'page-catalog', 'Catalog', 'Каталог'],
  ['/shipments', 'page-shipments', 'Shipments', 'Отгрузки'],
  ['/', 'page-connection', 'Connection', 'Подключение'],
];

for (const [lang, column] of [['en', 2], ['ru', 3]]) {
  test(`every navigation link reaches its page (${lang})`, async () => {
    const { page } = browser;
    await page.goto(`${sandbox.url}/`);
    await page.click(`.lang-switch button[data-lang=${lang}]`);
    for (const screen of SCREENS) {
      await page.click(`nav.sidenav a[href="${screen[0]}"]`);
      await page.waitForSelector(`#${screen[1]}`, { timeout: 10000 });
      assert.equal(await page.textContent(`nav.sidenav a[href="${screen[0]}"]`), screen[column]);
      assert.equal(new URL(page.url()).pathname, screen[0]);
    }
    await screenshot(page, `shell-${lang}`);
    assert.deepEqual(browser.errors, [], 'no console error or panic');
  });
}

test('an unknown address shows the not-found page, served by the SPA fallback', async () => {
  const { page } = browser;
  await page.goto(`${sandbox.url}/no/such/screen`);
  await page.click('.lang-switch button[data-lang=en]');
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
  await page.waitForFunction(() => document.querySelector('nav.sidenav')?.textContent.includes('Stock'));
});

test('the version is visible', async () => {
  const { page } = browser;
  await page.goto(`${sandbox.url}/`);
  assert.match(await page.textContent('#version'), /\d+\.\d+\.\d+/);
});

test('the page says it is loading until the panel starts, then the text gives way', async () => {
  const html = await (await fetch(`${sandbox.url}/`)).text();
  assert.match(html, /id="boot"[^>]*>[\s\S]*Loading…/, 'the served page has the loading text');
  const { page } = browser;
  await page.goto(`${sandbox.url}/`);
  await page.waitForSelector('#api-key');
  assert.equal(await page.$('#boot'), null, 'the loading text is gone once the panel runs');
});
