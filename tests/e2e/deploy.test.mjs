// The README's deployment example works: nginx serves dist/ under the Content-Security-Policy (the inline loader's
// hash from deploy/csp.mjs, no 'unsafe-inline' script, frames allowed only on the CRM's page) and proxies /api/ to a
// CRM (the sandbox) on the same origin. The panel connects through it with nothing typed but the key, deep links
// load, every screen runs without a single CSP violation, and another site cannot frame it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, DIST, API_KEY, freePort, listen, startSandbox, startBrowser, uploadStock } from './harness.mjs';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find(existsSync);
let sandbox, browser, nginx, tmp, origin, crmPage, strangerPage;
/** Every `securitypolicyviolation` event of any page or frame: `directive blocked-uri`. */
const violations = [];

/** A page on another origin that shows the panel in a frame, as the CRM does. */
const framer = () => listen(createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end(`<!DOCTYPE html><title>CRM</title><iframe id="panel" width="1000" height="700" src="${origin}/"></iframe>`);
}));

before(async () => {
  assert.ok(NGINX, 'nginx is installed by .ci/setup');
  sandbox = await startSandbox();
  tmp = mkdtempSync(join(tmpdir(), 'wp-nginx-'));
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  crmPage = await framer();
  strangerPage = await framer();
  // What the README tells the deployer to run after each build.
  writeFileSync(join(tmp, 'warehouse-panel-csp.conf'),
    execFileSync(process.execPath, [join(ROOT, 'deploy', 'csp.mjs'), DIST], { encoding: 'utf8' }));
  const conf = readFileSync(join(ROOT, 'tests', 'deploy', 'nginx.conf.template'), 'utf8')
    .replaceAll('__TMP__', tmp).replaceAll('__PORT__', String(port)).replaceAll('__DIST__', DIST)
    .replaceAll('__CRM_HOST__', `127.0.0.1:${sandbox.port}`).replaceAll('__CRM__', sandbox.url)
    .replaceAll('__FRAME_ANCESTORS__', crmPage.url).replaceAll('__SANDBOX_IMAGES__', ` ${sandbox.url}`);
  writeFileSync(join(tmp, 'nginx.conf'), conf);
  nginx = spawn(NGINX, ['-c', join(tmp, 'nginx.conf'), '-e', join(tmp, 'error.log')], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${origin}/`)).ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await startBrowser();
  await browser.context.exposeBinding('reportViolation', (_, v) => violations.push(v));
  await browser.context.addInitScript(() => document.addEventListener('securitypolicyviolation',
    (e) => window.reportViolation(`${e.effectiveDirective} ${e.blockedURI}`)));
});

after(async () => {
  await browser?.close();
  nginx?.kill('SIGTERM');
  for (const s of [sandbox, crmPage, strangerPage]) s?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('the proxied API answers on the panel origin', async () => {
  const res = await fetch(`${origin}/api/api-versions`, { headers: { 'X-API-KEY': API_KEY } });
  assert.equal(res.status, 200);
  assert.ok((await res.json()).versions.includes('5.0'));
});

test('a deep link loads the panel through try_files, under the policy', async () => {
  for (const path of ['/', '/inventories']) {
    const res = await fetch(`${origin}${path}`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<html/i);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/]{43}='/);
    assert.ok(!csp.includes('unsafe-inline'), csp);
    for (const directive of ["object-src 'none'", "base-uri 'none'", "style-src 'self'", `frame-ancestors ${crmPage.url}`]) {
      assert.ok(csp.includes(directive), `${directive} in ${csp}`);
    }
  }
});

test('the panel connects through the proxy with its own origin as the CRM address', async () => {
  const { page } = browser;
  await page.goto(`${origin}/`);
  assert.equal(await page.inputValue('#crm-url'), origin);
  await page.fill('#api-key', API_KEY);
  await page.click('#check-connection');
  await page.waitForSelector('#account-badge .ok', { timeout: 15000 });
  assert.deepEqual(browser.errors, []);
  assert.deepEqual(violations, []);
});

test('every screen runs under the policy without a violation, inline styles set through CSSOM', async () => {
  const { page } = browser;
  await page.click('nav a[href="/inventories"]');
  await page.waitForSelector('#inv-table tbody tr', { timeout: 15000 });
  await page.click('nav a[href="/catalog"]');
  await page.waitForSelector('#cat-tree li', { timeout: 15000 });
  await page.waitForSelector('.cat-thumb', { timeout: 15000 });

  await page.click('nav a[href="/module"]');
  await page.fill('#mod-code-input', 'demo-wms');
  await page.click('#mod-load');
  await page.waitForSelector('#mod-loaded');
  await page.waitForSelector('.logo-status[data-state="ok"]');
  const boxes = await page.$$eval('.logo-box', (els) => els.map((e) => getComputedStyle(e).width));
  assert.deepEqual(boxes, ['32px', '64px', '128px']);

  await uploadStock(page, [[1, 7]]);
  assert.equal(await page.$eval('#page-upload .progress div', (e) => e.style.width), '100%');

  await page.click('nav a[href="/shipments"]');
  await page.waitForSelector('#page-shipments');
  assert.deepEqual(violations, []);
  assert.deepEqual(browser.errors, []);
  // The watch would have seen one: an inline style attribute is refused and reported.
  await page.evaluate(() => document.body.setAttribute('style', 'color: red'));
  for (let i = 0; i < 20 && violations.length === 0; i++) await page.waitForTimeout(50);
  assert.deepEqual(violations.splice(0), ['style-src-attr inline']);
  browser.errors.length = 0;
});

test('the account the CRM names only labels the account behind the same-origin proxy', async () => {
  const { page } = browser;
  await page.goto(`${origin}/?account=https://acme.retailcrm.ru`);
  await page.waitForSelector('#proxy-note');
  assert.equal(await page.inputValue('#crm-url'), origin);
  assert.deepEqual(violations, []);
});

test('the CRM\'s page may frame the panel, another site may not', async () => {
  const { page } = browser;
  await page.goto(`${crmPage.url}/`);
  const allowed = await (await page.waitForSelector('#panel')).contentFrame();
  await allowed.waitForSelector('#page-connection', { timeout: 15000 });
  browser.errors.length = 0;
  await page.goto(`${strangerPage.url}/`);
  const refused = await (await page.waitForSelector('#panel')).contentFrame();
  for (let i = 0; i < 50 && !browser.errors.some((e) => e.includes('frame-ancestors')); i++) await page.waitForTimeout(100);
  assert.ok(browser.errors.some((e) => e.includes('frame-ancestors')), browser.errors.join('\n'));
  assert.equal(await refused.$('#page-connection'), null);
});
