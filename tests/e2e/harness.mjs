// Shared harness for the end-to-end tests: starts a crm-sandbox serving the built panel (dist/) on a free
// loopback port, and a headless Debian Chromium driven by playwright-core. Nothing leaves the machine.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname, normalize, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const API_KEY = 'demo-key';
/** The built panel; PANEL_DIST points elsewhere (e.g. a debug build of one's own) while developing. */
export const DIST = process.env.PANEL_DIST ? resolve(process.env.PANEL_DIST) : join(ROOT, 'dist');

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/** The sandbox binary: debug if built, else release; SANDBOX_PROFILE=release prefers release (benchmarks). */
function sandboxBinary() {
  const order = process.env.SANDBOX_PROFILE === 'release' ? ['release', 'debug'] : ['debug', 'release'];
  for (const profile of order) {
    const p = join(ROOT, 'target', profile, 'crm-sandbox');
    if (existsSync(p)) return p;
  }
  throw new Error('crm-sandbox is not built: run `cargo build -p crm-sandbox`');
}

/** Starts a sandbox with extra CLI args (on `port`, else a free one); resolves once it listens. Returns
 * {url, port, stop, api, reset}. */
export async function startSandbox(args = [], { port = undefined } = {}) {
  port ??= await freePort();
  const child = spawn(sandboxBinary(), ['--port', String(port), '--dist', DIST, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`sandbox did not start:\n${output}`)), 20000);
    const onData = (d) => {
      output += d.toString();
      if (output.includes('listening')) { clearTimeout(timer); ok(); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => { output += d.toString(); });
    child.once('exit', (code) => { clearTimeout(timer); fail(new Error(`sandbox exited ${code}:\n${output}`)); });
  });
  child.removeAllListeners('exit');
  const url = `http://127.0.0.1:${port}`;
  const sandbox = {
    url,
    port,
    /** Calls a test-only endpoint of the sandbox (`/_sandbox/...`) and returns its JSON. */
    async api(path, { method = 'GET', body } = {}) {
      const res = await fetch(`${url}/_sandbox/${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      try { return JSON.parse(text); } catch { return text; }
    },
    /** Calls the CRM API of the sandbox like an outside client would. */
    async crm(path, { method = 'GET', form } = {}) {
      const res = await fetch(`${url}${path}`, {
        method,
        headers: { 'X-API-KEY': API_KEY, ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        body: form ? new URLSearchParams(form).toString() : undefined,
      });
      return { status: res.status, body: await res.json() };
    },
    /** The body of a CRM API call, waiting out the rate limit (the panel under test shares the key). */
    async crmBody(path) {
      for (let attempt = 0; attempt < 20; attempt++) {
        const r = await sandbox.crm(path);
        if (r.status !== 503) return r.body;
        await new Promise((ok) => setTimeout(ok, 250));
      }
      throw new Error(`rate limited: ${path}`);
    },
    reset(options = {}) { return sandbox.api('reset', { method: 'POST', body: options }); },
    stop() { child.kill('SIGTERM'); },
  };
  return sandbox;
}

/** A headless Chromium with a fresh profile (and extra command-line `args`); returns {browser, page, close}. */
export async function startBrowser({ args = [] } = {}) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'wp-e2e-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 860 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', ...args],
  });
  const page = context.pages()[0] ?? await context.newPage();
  // Uncaught exceptions (a wasm panic among them) and console errors, for tests to assert there were none.
  // Failed resource loads the test provokes on purpose (a missing logo) are console errors too: tests that
  // provoke them filter by text.
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  // A console error names the address it is about, when there is one (a failed load): `console: … at <url>`.
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const url = m.location()?.url;
    errors.push(`console: ${m.text()}${url ? ` at ${url}` : ''}`);
  });
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };

/** Serves the built panel as plain static files with the SPA fallback (no CRM API on this origin), on a free
 * loopback port. Returns {url, port, stop}. */
export async function startStaticPanel() {
  const server = createHttpServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = join(DIST, normalize(path).replace(/^([/\\])+/, ''));
    const found = file.startsWith(DIST) && existsSync(file) && statSync(file).isFile() ? file : join(DIST, 'index.html');
    res.writeHead(200, { 'content-type': MIME[extname(found)] ?? 'application/octet-stream' });
    res.end(readFileSync(found));
  });
  return listen(server);
}

/** A stand-in for someone else's host: answers every request (CORS allowed, so a browser would send it the key)
 * with a CRM-like error, and records each request's method, path and `X-API-KEY`. Returns {url, port, requests,
 * stop}. */
export async function startRecorder() {
  const requests = [];
  const server = createHttpServer((req, res) => {
    requests.push({ method: req.method, path: req.url, key: req.headers['x-api-key'] ?? null });
    res.writeHead(req.method === 'OPTIONS' ? 204 : 403, {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'x-api-key, accept, content-type',
      'access-control-allow-methods': 'GET, POST',
      'content-type': 'application/json',
    });
    res.end(req.method === 'OPTIONS' ? '' : '{"success":false,"errorMsg":"Wrong \\"apiKey\\" value."}');
  });
  return { ...(await listen(server)), requests };
}

/** Starts `server` on a free loopback port; returns {url, port, stop}. */
export async function listen(server) {
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, port, stop: () => server.close() };
}

/** Opens the panel's connection screen, types the key, checks it, and waits for the account badge. */
export async function connect(page, sandbox, key = API_KEY) {
  await page.goto(`${sandbox.url}/`);
  await page.fill('#api-key', key);
  await page.click('#check-connection');
  await page.waitForSelector('#account-badge .ok', { timeout: 15000 });
}

/** On a connected panel (a page or a frame): opens the upload screen, uploads `rows` (`[id, quantity of main]`)
 * as a small CSV file and waits until the upload is done. */
export async function uploadStock(target, rows) {
  await target.click('nav a[href="/upload"]');
  await target.waitForSelector('#up-reference[data-loaded=true]', { state: 'attached', timeout: 15000 });
  const csv = ['id;main', ...rows.map((row) => row.join(';'))].join('\n');
  await target.setInputFiles('#up-file', { name: 'stock.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await target.waitForSelector(`#up-validation-summary[data-offers="${rows.length}"]`);
  await target.click('#up-start');
  await target.waitForSelector('#up-job-state[data-state=Done]', { timeout: 20000 });
}

/** Saves a screenshot under tests/e2e/artifacts (git-ignored). */
export function screenshot(page, name) {
  return page.screenshot({ path: join(ROOT, 'tests', 'e2e', 'artifacts', `${name}.png`), fullPage: true });
}
