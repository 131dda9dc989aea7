// An operator's day (issue 17), every screen and every step of the upload and shipment flows, each in English and
// Russian at 1366x768 and 390x844: axe-core finds no serious or critical violation; switching the language leaves no
// text of the other language behind (texts, names, hints); at 390 px the page never scrolls sideways and a tap on a
// control lands on it. Then connect, upload and a shipment with the keyboard alone (Tab, Enter, Space): focus moves
// to the result of each action, never back to <body>.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, API_KEY, startSandbox, startBrowser, connect } from './harness.mjs';

const AXE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
const SIZES = { wide: { width: 1366, height: 768 }, narrow: { width: 390, height: 844 } };
/** The order of the checks of one state: each language switch is made in both directions, at both sizes. */
const CONFIGS = [['wide', 'en'], ['wide', 'ru'], ['narrow', 'ru'], ['narrow', 'en']];

/** The translation table (src/i18n/table.rs) as patterns matching a whole text of one language. */
function patterns() {
  const src = readFileSync(join(ROOT, 'src', 'i18n', 'table.rs'), 'utf8');
  const unquote = (s) => s.replace(/\\(.)/g, '$1');
  const pattern = (template) => template
    .split(/\{[^}]*\}/)
    .map((part) => part.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&'))
    .join('[\\s\\S]+?');
  const letters = (template) => template.replace(/\{[^}]*\}/g, '').replace(/[^\p{L}]/gu, '').length;
  const by = { en: [], ru: [] };
  for (const m of src.matchAll(/^\s*(\w+) => "((?:[^"\\]|\\.)*)", "((?:[^"\\]|\\.)*)";$/gm)) {
    const [en, ru] = [unquote(m[2]), unquote(m[3])];
    if (en === ru) continue;
    // A template of one short word between values ("{done} of {total} {unit}") would match any text.
    if (letters(en) >= 3) by.en.push([m[1], pattern(en.trim())]);
    if (letters(ru) >= 3) by.ru.push([m[1], pattern(ru.trim())]);
  }
  return by;
}
const PATTERNS = patterns();

/** In the page: texts and names that are whole texts of the other language (`patterns`), and (in Russian) names
 * (aria-label, title, placeholder) without a Russian letter. */
function leftBehind([patterns, lang]) {
  const res = patterns.map(([name, source]) => [name, new RegExp(`^${source}$`)]);
  // What the CRM or the operator wrote is not the panel's text.
  const skip = (el) => el.closest('pre, code, textarea, script, style, .crm-message, .crm-errors');
  const where = (el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''}`;
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (text && node.parentElement && !skip(node.parentElement)) texts.push([text, node.parentElement]);
  }
  const found = [];
  for (const el of document.body.querySelectorAll('[aria-label], [title], [placeholder]')) {
    for (const attr of ['aria-label', 'title', 'placeholder']) {
      const value = el.getAttribute(attr)?.trim();
      if (!value) continue;
      texts.push([value, el]);
      if (lang === 'ru' && !/[а-яё]/i.test(value)) found.push(`untranslated ${attr} "${value}" on ${where(el)}`);
    }
  }
  for (const [text, el] of texts) {
    for (const [name, re] of res) if (re.test(text)) found.push(`${name} "${text}" in ${where(el)}`);
  }
  return [...new Set(found)];
}

/** In the page at 390 px: whether the page scrolls sideways (and what sticks out), and the controls a tap at their
 * centre misses. */
function narrowProblems() {
  const problems = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width) {
    const scrolls = (el) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return true;
      }
      return false;
    };
    const out = [...document.body.querySelectorAll('*')]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && !scrolls(el))
      .filter((el, _, all) => !all.some((other) => other !== el && el.contains(other)))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${el.className}`);
    problems.push(`page ${document.documentElement.scrollWidth} px wide at ${width}: ${out.join(', ')}`);
  }
  const controls = document.querySelectorAll('button[id], a[id], input[id], select[id], textarea[id], summary');
  for (const el of controls) {
    const rect = el.getBoundingClientRect();
    // Folded away (in a closed <details>) or not shown: nothing to tap.
    if (el.disabled || rect.width < 2 || rect.height < 2 || !el.checkVisibility()) continue;
    el.scrollIntoView({ block: 'center', inline: 'center' });
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    const lands = hit && (hit === el || el.contains(hit) || [...(el.labels ?? [])].some((l) => l.contains(hit)));
    if (!lands) problems.push(`a tap on ${el.tagName.toLowerCase()}#${el.id} lands on ${hit?.tagName.toLowerCase()}#${hit?.id}.${hit?.className}`);
  }
  window.scrollTo(0, 0);
  return problems;
}

/** Serious and critical axe violations of the page as it is. */
async function axe(page) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    // axe ran its rules on the page (not on an empty document): names, contrast, landmarks, ...
    if (result.passes.length < 10) throw new Error(`axe checked only ${result.passes.length} rules`);
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

const frame = (page) => page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));

async function setLanguage(page, lang) {
  await page.click(`.lang-switch button[data-lang=${lang}]`);
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  await frame(page);
}

/** Serious or critical violations per state (the sum over its four checks), printed at the end. */
const found = {};

/** Checks the state the page is in at both sizes and in both languages; returns every problem found. */
async function check(page, state) {
  const problems = [];
  found[state] = 0;
  for (const [size, lang] of CONFIGS) {
    await page.setViewportSize(SIZES[size]);
    await setLanguage(page, lang);
    const at = `${state}, ${size}, ${lang}`;
    for (const v of await axe(page)) {
      found[state] += v.nodes.length;
      problems.push(`${at}: axe ${v.id}: ${v.nodes.slice(0, 4).join(' | ')}`);
    }
    const other = lang === 'en' ? 'ru' : 'en';
    for (const text of await page.evaluate(leftBehind, [PATTERNS[other], lang])) {
      problems.push(`${at}: left in ${other}: ${text}`);
    }
    if (size === 'narrow') {
      for (const p of await page.evaluate(narrowProblems)) problems.push(`${at}: ${p}`);
    }
  }
  await page.setViewportSize(SIZES.wide);
  return problems;
}

let sandbox, browser, keyboard;
before(async () => {
  sandbox = await startSandbox();
  browser = await startBrowser();
  keyboard = await startBrowser();
});
after(async () => {
  console.log(`# axe: serious or critical violations per state (summed over en/ru x 1366/390): ${JSON.stringify(found)}`);
  await browser?.close();
  await keyboard?.close();
  sandbox?.stop();
});

const nav = async (page, path, ready) => {
  await page.click(`nav.sidenav a[href="${path}"]`);
  await page.waitForSelector(ready, { state: 'attached' });
};

test('connection: before and after the check', async () => {
  const { page } = browser;
  await page.goto(`${sandbox.url}/`);
  await page.waitForSelector('#page-connection');
  const problems = await check(page, 'connection');
  await connect(page, sandbox);
  await page.waitForSelector('#connection-report');
  problems.push(...await check(page, 'connection checked'));
  assert.deepEqual(problems, []);
});

test('module: first visit, the module loaded, the review of a save', async () => {
  const { page } = browser;
  await nav(page, '/module', '#mod-first-visit');
  const problems = await check(page, 'module first visit');
  await page.fill('#mod-code-input', 'demo-wms');
  await page.click('#mod-load');
  await page.waitForSelector('#mod-loaded');
  await page.waitForSelector('#logo-preview .logo-status[data-state=ok]');
  problems.push(...await check(page, 'module loaded'));
  await page.click('#mod-save');
  await page.waitForSelector('#mod-review');
  assert.equal(await focused(page), 'h3#mod-review-title', 'Save moves the focus to the review');
  problems.push(...await check(page, 'module review'));
  await page.click('#mod-confirm');
  await page.waitForSelector('#mod-save-result[data-result=saved]');
  await focusIn(page, '.mod-outcome', 2000);
  assert.match(await announced(page), /^Module (updated|created)/);
  assert.deepEqual(problems, []);
});

test('stock: a page of the CRM sorted, then everything loaded; the table scrolls by keyboard and starts near the top', async () => {
  const { page } = browser;
  await nav(page, '/inventories', '#inv-table tr.inv-row');
  await page.click('#inv-table th[data-sort=total] button');
  await page.waitForSelector('#inv-table th[data-sort=total][aria-sort=ascending]');
  const problems = await check(page, 'stock page');
  await page.setViewportSize(SIZES.narrow);
  await frame(page);
  const top = await page.evaluate(() => document.querySelector('#inv-table').getBoundingClientRect().top);
  assert.ok(top < SIZES.narrow.height, `the stock table starts ${top} px down at 390 px (filters folded)`);
  await page.focus('#inv-table-wrap');
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  // The browser scrolls smoothly: the box moves within a moment.
  await page.waitForFunction(() => document.querySelector('#inv-table-wrap').scrollLeft > 0, null, { timeout: 3000 })
    .catch(() => assert.fail('the table does not scroll with the arrow keys'));
  await page.setViewportSize(SIZES.wide);
  await page.click('#inv-load-all');
  await page.waitForSelector('#inv-loaded', { timeout: 30000 });
  problems.push(...await check(page, 'stock all loaded'));
  assert.deepEqual(problems, []);
});

/** An upload file: 600 offers of main, two rows with problems and one offer the CRM does not have. */
function uploadFile() {
  const rows = ['externalId;site;main;main:purchasePrice'];
  for (let i = 1; i <= 600; i++) rows.push(`offer-${String(i).padStart(6, '0')};shop-${i % 2 ? 'a' : 'b'};${i % 7};${i % 5}.5`);
  rows.push('offer-000601;shop-a;x;1', 'offer-000602;shop-a;-3;1', 'no-such-offer;shop-a;1;1');
  return rows.join('\n');
}

test('upload: file picked with its mapping and problems, dry run, running, report', async () => {
  const { page } = browser;
  await sandbox.reset();
  await nav(page, '/upload', '#up-reference[data-loaded=true]');
  const problems = await check(page, 'upload start');
  // A wide file: the mapping lists some columns and has a box to find the others.
  const wide = ['externalId', 'main', ...Array.from({ length: 60 }, (_, i) => `c${i}`)].join(';');
  await page.setInputFiles('#up-file', { name: 'wide.csv', mimeType: 'text/csv', buffer: Buffer.from(`${wide}\noffer-000001;5${';1'.repeat(60)}\n`) });
  await page.waitForSelector('#up-wide-find');
  problems.push(...await check(page, 'upload wide file, mapping with find'));
  await page.setInputFiles('#up-file', { name: 'stock.csv', mimeType: 'text/csv', buffer: Buffer.from(uploadFile()) });
  await page.waitForSelector('#up-validation-summary[data-problems="2"]');
  problems.push(...await check(page, 'upload file picked, mapping, problems'));
  await page.click('#up-dry-run');
  await page.waitForSelector('#up-diff-counts', { timeout: 30000 });
  problems.push(...await check(page, 'upload dry run'));
  await sandbox.api('faults', { method: 'POST', body: { latencyMs: 20000 } });
  try {
    await page.click('#up-start');
    await page.waitForSelector('#up-job-state[data-state=Running]');
    problems.push(...await check(page, 'upload running'));
  } finally {
    await sandbox.api('faults', { method: 'POST', body: { latencyMs: 0 } });
  }
  await page.waitForSelector('#up-report-verdict', { timeout: 60000 });
  problems.push(...await check(page, 'upload report'));
  assert.deepEqual(problems, []);
});

test('catalog: a product opened, and the properties', async () => {
  const { page } = browser;
  await nav(page, '/catalog', '#cat-products-table');
  await page.click('#cat-products-table tr.cat-product .cat-product-toggle');
  await page.waitForSelector('tr.cat-detail');
  await page.waitForSelector('#cat-tree');
  const problems = await check(page, 'catalog product open');
  await page.click('#cat-tab-properties');
  await page.waitForSelector('#cat-properties-table');
  problems.push(...await check(page, 'catalog properties'));
  assert.deepEqual(problems, []);
});

test('shipments: one order found and saved, many orders checked and sent, the waiting list marked', async () => {
  const { page } = browser;
  await sandbox.reset();
  const { body } = await sandbox.crm('/api/v5/orders?limit=50');
  const target = body.orders.find((o) => o.site === 'shop-a' && !o.shipped && o.externalId);
  await nav(page, '/shipments', '#wait-table');
  const problems = await check(page, 'shipments');
  await page.selectOption('#ship-site', 'shop-a');
  await page.fill('#ship-key', target.externalId);
  await page.click('#ship-find');
  await page.waitForSelector('#ship-form');
  problems.push(...await check(page, 'shipments order found'));
  await page.click('#ship-save');
  await page.waitForSelector('#ship-saved');
  problems.push(...await check(page, 'shipments order saved'));
  await page.fill('#bulk-text', [
    'externalId,site,warehouse,date,shipped',
    'order-000001,shop-a,main,2025-02-01,1',
    'order-000002,shop-b,north,02.02.2025,1',
    'order-000003,shop-a,nowhere,2025-02-03,1',
    'order-999999,shop-a,main,2025-02-08,1',
  ].join('\n'));
  await page.click('#bulk-check');
  await page.waitForSelector('#bulk-problems');
  problems.push(...await check(page, 'shipments many checked'));
  await page.click('#bulk-send');
  await page.waitForSelector('#bulk-controls[data-state=done]', { timeout: 20000 });
  problems.push(...await check(page, 'shipments many report'));
  const ids = await page.$$eval('#wait-table tr.wait-order', (rows) => rows.slice(0, 2).map((r) => r.dataset.id));
  for (const id of ids) await page.check(`#wait-select-${id}`);
  await page.click('#wait-mark');
  await page.waitForSelector('#wait-controls[data-state=done]', { timeout: 20000 });
  problems.push(...await check(page, 'shipments waiting marked'));
  assert.deepEqual(problems, []);
});

test('the page not found', async () => {
  const { page } = browser;
  await page.goto(`${sandbox.url}/no/such/screen`);
  await page.waitForSelector('#not-found');
  assert.deepEqual(await check(page, 'not found'), []);
});

// ---- the keyboard alone

/** Presses Tab until `selector` has the focus (at most `max` times). */
async function tabTo(page, selector, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  const at = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
  throw new Error(`${max} Tabs never reached ${selector} (focus on ${at})`);
}

/** Waits until the focus is on or inside `selector`. */
const focusIn = (page, selector, timeout = 20000) => page.waitForFunction(
  (s) => Boolean(document.activeElement?.closest(s)), selector, { timeout });

/** What the live region says now. */
const announced = (page) => page.$eval('#announcer[role=status]', (el) => el.textContent.trim());

const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return el ? `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}` : 'nothing';
});

test('keyboard only: the skip link, connect, sort the stock', async () => {
  const { page } = keyboard;
  await page.setViewportSize(SIZES.wide);
  await page.goto(`${sandbox.url}/`);
  await page.waitForSelector('#page-connection');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('skip-link')), true, 'the skip link comes first');
  await page.keyboard.press('Enter');
  await focusIn(page, 'main');
  await tabTo(page, '#api-key', 10);
  await page.keyboard.type(API_KEY);
  await tabTo(page, '#check-connection');
  await page.keyboard.press('Enter');
  await focusIn(page, '#connection-report');
  assert.equal(await announced(page), 'API v5 is available and the key works.');
  await page.waitForSelector('#account-badge .ok');
  await tabTo(page, 'nav a[href="/inventories"]', 120);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#inv-table tr.inv-row');
  await tabTo(page, '#inv-table th[data-sort=total] button');
  await page.keyboard.press('Space');
  await page.waitForSelector('#inv-table th[data-sort=total][aria-sort=ascending]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#inv-table th[data-sort=total][aria-sort=descending]');
  assert.equal(await focused(page), 'button', 'the sort button keeps the focus');
});

test('keyboard only: an upload from picking the file to the report', async () => {
  const { page } = keyboard;
  await sandbox.reset();
  await tabTo(page, 'nav a[href="/upload"]', 200);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#up-reference[data-loaded=true]', { state: 'attached' });
  await tabTo(page, '#up-file');
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Space');
  const rows = ['externalId;site;main', 'offer-000001;shop-a;7', 'offer-000002;shop-b;8'].join('\n');
  await (await chooser).setFiles({ name: 'keys.csv', mimeType: 'text/csv', buffer: Buffer.from(rows) });
  await page.waitForSelector('#up-validation-summary[data-offers="2"]');
  await tabTo(page, '#up-dry-run');
  await page.keyboard.press('Enter');
  await focusIn(page, '#up-dry-run-result');
  await page.waitForFunction(() => document.querySelector('#announcer').textContent.startsWith('Dry run done: '));
  await tabTo(page, '#up-start');
  await page.keyboard.press('Enter');
  await focusIn(page, '#up-job-state');
  await page.waitForSelector('#up-job-state[data-state=Done]', { timeout: 20000 });
  await page.waitForSelector('#up-report-verdict');
  assert.notEqual(await focused(page), 'body', 'the focus stays on the job state');
  await focusIn(page, '#up-job-state', 1000);
  assert.equal(await announced(page), 'Done: every offer of the file was applied.');
  const [offer] = (await sandbox.api('inventories?externalId=offer-000001')).offers;
  assert.equal(offer.stores.find((s) => s.store === 'main').quantity, 7);
});

test('keyboard only: find an order and save its shipment', async () => {
  const { page } = keyboard;
  await sandbox.reset();
  const { body } = await sandbox.crm('/api/v5/orders?limit=50');
  const target = body.orders.find((o) => o.site === 'shop-a' && !o.shipped && o.externalId);
  await tabTo(page, 'nav a[href="/shipments"]', 200);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#ship-site option[value="shop-b"]', { state: 'attached' });
  assert.equal(await page.inputValue('#ship-site'), 'shop-a');
  await tabTo(page, '#ship-key');
  await page.keyboard.type(target.externalId);
  await page.keyboard.press('Enter');
  await focusIn(page, '#ship-found');
  await tabTo(page, '#ship-save');
  await page.keyboard.press('Enter');
  await focusIn(page, '#ship-saved');
  assert.equal(await announced(page), 'Saved.');
  const saved = (await sandbox.api(`orders/${target.externalId}`)).order;
  assert.equal(saved.shipped, true);
});
