// The README's deployment example works: nginx serves dist/ and proxies /api/ to a CRM (the sandbox) on the
// same origin; the panel connects through it with nothing typed but the key, and deep links load.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, DIST, API_KEY, freePort, startSandbox, startBrowser } from './harness.mjs';

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find(existsSync);
let sandbox, browser, nginx, tmp, origin;

before(async () => {
  assert.ok(NGINX, 'nginx is installed by .ci/setup');
  sandbox = await startSandbox();
  tmp = mkdtempSync(join(tmpdir(), 'wp-nginx-'));
  const port = await freePort();
  const conf = readFileSync(join(ROOT, 'tests', 'deploy', 'nginx.conf.template'), 'utf8')
    .replaceAll('__TMP__', tmp).replaceAll('__PORT__', String(port)).replaceAll('__DIST__', DIST)
    .replaceAll('__CRM_HOST__', `127.0.0.1:${sandbox.port}`).replaceAll('__CRM__', sandbox.url);
  writeFileSync(join(tmp, 'nginx.conf'), conf);
  nginx = spawn(NGINX, ['-c', join(tmp, 'nginx.conf'), '-e', join(tmp, 'error.log')], { stdio: 'ignore' });
  origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { if ((await fetch(`${origin}/`)).ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  nginx?.kill('SIGTERM');
  sandbox?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('the proxied API answers on the panel origin', async () => {
  const res = await fetch(`${origin}/api/api-versions`, { headers: { 'X-API-KEY': API_KEY } });
  assert.equal(res.status, 200);
  assert.ok((await res.json()).versions.includes('5.0'));
});

test('a deep link loads the panel through try_files', async () => {
  const res = await fetch(`${origin}/inventories`);
  assert.equal(res.status, 200);
  assert.match(await res.text(), /<html/i);
});

test('the panel connects through the proxy with its own origin as the CRM address', async () => {
  const { page } = browser;
  await page.goto(`${origin}/`);
  assert.equal(await page.inputValue('#crm-url'), origin);
  await page.fill('#api-key', API_KEY);
  await page.click('#check-connection');
  await page.waitForSelector('#account-badge .ok', { timeout: 15000 });
  assert.deepEqual(browser.errors, []);
});
