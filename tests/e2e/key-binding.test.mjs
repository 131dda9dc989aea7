// The key goes only where the operator sends it: a link naming another host (`?account=`) pre-fills the form and
// that host receives no request with the key until the operator clicks; a same-origin proxy is used whatever the
// link says; a wrong key is never kept; plain HTTP to another computer asks first; "forget this device" removes
// everything the panel kept and says what.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, startBrowser, startStaticPanel, startRecorder, connect, API_KEY } from './harness.mjs';

let crm, panel, sandbox, other, browser;
before(async () => {
  crm = await startSandbox(['--cors']); // a CRM that answers the browser directly
  sandbox = await startSandbox(); // the panel and the CRM's API on one origin (the proxy deployment)
  panel = await startStaticPanel(); // the panel alone: no API on its origin
  other = await startRecorder(); // someone else's host
  browser = await startBrowser({ args: ['--host-resolver-rules=MAP other.test 127.0.0.1'] });
});
after(async () => {
  await browser?.close();
  for (const s of [crm, sandbox, panel, other]) s?.stop();
});
beforeEach(async () => {
  for (const origin of [panel.url, sandbox.url]) {
    await browser.page.goto(`${origin}/`);
    await browser.page.evaluate(() => { localStorage.clear(); sessionStorage.clear(); });
  }
  other.requests.length = 0;
});

const keyed = () => other.requests.filter((r) => r.key !== null);
const stored = (page) => page.evaluate(() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage));

async function connectAt(page, origin, address, { remember }) {
  await page.goto(`${origin}/`);
  await page.fill('#crm-url', address);
  await page.fill('#api-key', API_KEY);
  if (remember) await page.check('#remember-key');
  await page.click('#check-connection');
  await page.waitForSelector('#account-badge .ok', { timeout: 15000 });
}

for (const remember of [true, false]) {
  test(`a link naming another host gets no key until the operator clicks (${remember ? 'device' : 'tab'} key)`, async () => {
    const { page } = browser;
    await connectAt(page, panel.url, crm.url, { remember });
    const kept = await stored(page);
    assert.ok(kept.includes(crm.url) && kept.includes(API_KEY), 'kept with the address it was verified against');

    const link = `http://127.0.0.1:${other.port}`;
    await page.goto(`${panel.url}/?account=${encodeURIComponent(link)}`);
    await page.waitForSelector('#other-account');
    assert.equal(await page.inputValue('#crm-url'), link);
    assert.equal(await page.inputValue('#api-key'), API_KEY, 'the kept key is ready for the click');
    assert.match(await page.textContent('#other-account'), new RegExp(`checked with 127.0.0.1:${crm.port}`));
    await page.waitForTimeout(1500);
    assert.deepEqual(keyed(), [], 'no request carried the key before the click');
    assert.equal(await page.$('#account-badge .ok'), null);

    await page.click('#check-connection');
    await page.waitForSelector('.api-error', { timeout: 15000 });
    assert.ok(keyed().some((r) => r.key === API_KEY && r.path === '/api/api-versions'), 'sent after the click');
    // A failed check keeps nothing: the key stays bound to the address it was verified against.
    assert.ok(!(await stored(page)).includes(`127.0.0.1:${other.port}`));
  });
}

test('going back to the verified address sends the key there, not to the link', async () => {
  const { page } = browser;
  await connectAt(page, panel.url, crm.url, { remember: true });
  await page.goto(`${panel.url}/?account=${encodeURIComponent(`127.0.0.1:${other.port}`)}`);
  await page.click('#back-to-bound');
  assert.equal(await page.inputValue('#crm-url'), crm.url);
  await page.click('#check-connection');
  await page.waitForSelector('#account-badge .ok', { timeout: 15000 });
  assert.deepEqual(other.requests, []);
});

test('with the API on the panel\'s own origin, the link only labels the account', async () => {
  const { page } = browser;
  await connectAt(page, sandbox.url, sandbox.url, { remember: false });
  await page.goto(`${sandbox.url}/?account=${encodeURIComponent(`http://127.0.0.1:${other.port}`)}`);
  // The kept key is checked again at its own address at once; the link names the account beside it.
  await page.waitForSelector('#account-badge .ok', { timeout: 15000 });
  assert.equal(await page.textContent('#account-label'), `127.0.0.1:${other.port}`);
  assert.match(await page.textContent('#account-badge .ok'), new RegExp(`127.0.0.1:${sandbox.port}`));
  assert.equal(await page.inputValue('#crm-url'), sandbox.url);
  assert.match(await page.textContent('#proxy-note'), new RegExp(`127.0.0.1:${other.port}`));
  assert.deepEqual(other.requests, [], 'the other host is not even asked');
});

test('a wrong key is never kept, and nothing is sent at the next start', async () => {
  const { page } = browser;
  await page.goto(`${panel.url}/`);
  await page.fill('#crm-url', crm.url);
  await page.fill('#api-key', 'not-the-key');
  await page.check('#remember-key');
  await page.click('#check-connection');
  await page.waitForSelector('.api-error');
  assert.ok(!(await stored(page)).includes('not-the-key'));
  const requests = [];
  page.on('request', (r) => { if (r.headers()['x-api-key']) requests.push(r.url()); });
  await page.reload();
  await page.waitForSelector('#crm-url');
  await page.waitForTimeout(1000);
  page.removeAllListeners('request');
  assert.deepEqual(requests, []);
  assert.equal(await page.inputValue('#api-key'), '');
});

test('plain HTTP to another computer asks before the key is sent', async () => {
  const { page } = browser;
  await page.goto(`${panel.url}/`);
  const address = `http://other.test:${other.port}`;
  await page.fill('#crm-url', address);
  await page.fill('#api-key', API_KEY);
  await page.click('#check-connection');
  await page.waitForSelector('#insecure-warning');
  assert.match(await page.textContent('#insecure-warning'), /not HTTPS/);
  await page.waitForTimeout(500);
  assert.deepEqual(other.requests, []);
  await page.click('#cancel-insecure');
  await page.waitForSelector('#insecure-warning', { state: 'detached' });
  await page.click('#check-connection');
  await page.click('#confirm-insecure');
  await page.waitForSelector('.api-error', { timeout: 15000 });
  assert.ok(keyed().some((r) => r.key === API_KEY));
});

test('forget this device removes everything the panel kept and says what', async () => {
  const { page } = browser;
  await connect(page, sandbox);
  await page.check('#remember-key');
  await page.selectOption('#site-select', 'shop-b');
  await page.click('.lang-switch button[data-lang=ru]');
  await page.click('.lang-switch button[data-lang=en]');
  await page.evaluate(() => localStorage.setItem('someone-else', 'theirs'));
  await page.click('#forget-key');
  await page.waitForSelector('#forget-report');
  const kinds = await page.$$eval('#forget-report li', (lis) => lis.map((li) => li.dataset.kind));
  assert.deepEqual(kinds, ['key', 'address', 'site', 'language']);
  const left = await page.evaluate(() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)]);
  assert.deepEqual(left, ['someone-else']);
  await page.waitForFunction(() => !document.querySelector('#account-badge .ok'));
  assert.equal(await page.inputValue('#api-key'), '');
  await page.evaluate(() => localStorage.clear());
});
