// The mapping profile from the Upload screen to the scheduled sync: the operator maps a file whose header leaves the
// key a guess, saves the mapping for scheduled sync (#up-mapping-profile), and `warehouse-sync` uses the saved file
// on a later export with the columns moved; without the profile the command refuses to guess.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { startSandbox, startBrowser, connect, ROOT, API_KEY } from './harness.mjs';

let sandbox, browser, dir;
before(async () => {
  sandbox = await startSandbox(['--offers', '600']);
  browser = await startBrowser();
  dir = mkdtempSync(join(tmpdir(), 'wp-sync-'));
});
after(async () => { await browser?.close(); sandbox?.stop(); rmSync(dir, { recursive: true, force: true }); });

/** The command, as `cargo test` (or `cargo build --bin warehouse-sync`) built it. */
function syncBinary() {
  for (const profile of ['debug', 'release']) {
    const p = join(ROOT, 'target', profile, 'warehouse-sync');
    if (existsSync(p)) return p;
  }
  throw new Error('warehouse-sync is not built: run `cargo build --bin warehouse-sync`');
}

function sync(args) {
  const run = spawnSync(syncBinary(), args, {
    env: { ...process.env, RETAILCRM_API_KEY: API_KEY },
    encoding: 'utf8',
    timeout: 60000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

test('a mapping saved on the Upload screen maps a later export with moved columns in warehouse-sync', async () => {
  const { page, errors } = browser;
  const { offers } = await sandbox.api('inventories?externalId=offer-000001&externalId=offer-000002');
  const [a, b] = offers;
  await connect(page, sandbox);
  await page.click('nav a[href="/upload"]');
  await page.waitForSelector('#up-reference[data-loaded=true]', { state: 'attached', timeout: 15000 });
  // `ID` is the warehouse system's own row number; the panel suggests it as the key, the operator picks the article.
  const file = ['ID;Артикул;site;main', `1;${a.externalId};${a.site};5`, `2;${b.externalId};${b.site};6`].join('\n');
  await page.setInputFiles('#up-file', { name: 'stock.csv', mimeType: 'text/csv', buffer: Buffer.from(file) });
  await page.waitForSelector('#up-mapping');
  await page.selectOption('#up-key-kind', 'externalId');
  await page.selectOption('#up-key-column', '1');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#up-mapping-profile')]);
  assert.equal(download.suggestedFilename(), 'warehouse-sync-mapping.json');
  const profilePath = join(dir, 'mapping.json');
  writeFileSync(profilePath, readFileSync(await download.path()));
  const profile = JSON.parse(readFileSync(profilePath, 'utf8'));
  assert.equal(profile.format, 'warehouse-sync mapping 1');
  assert.deepEqual(profile.keys, [{ kind: 'externalId', column: 'Артикул' }]);
  assert.equal(profile.siteColumn, 'site');
  assert.equal(profile.layout, 'wide');
  assert.deepEqual(profile.columns, [{ column: 'main', store: 'main', field: 'quantity' }]);

  // Next export: the columns moved and one was added.
  const later = join(dir, 'later.csv');
  writeFileSync(later, ['note;main;site;Артикул;ID', `x;11;${a.site};${a.externalId};1`, `y;12;${b.site};${b.externalId};2`].join('\n'));
  const guess = sync(['upload', later, '--account', sandbox.url]);
  assert.equal(guess.code, 1, guess.err);
  assert.match(guess.err, /several columns could name the offer/);
  const run = sync(['upload', later, '--account', sandbox.url, '--mapping', profilePath]);
  assert.equal(run.code, 0, run.out + run.err);
  assert.match(run.out, /2 offers in \d chunks; 2 processed, 0 not found/);
  const { offers: after } = await sandbox.api('inventories?externalId=offer-000001&externalId=offer-000002');
  const main = (o) => o.stores.find((s) => s.store === 'main')?.quantity;
  assert.deepEqual(after.map(main), [11, 12]);
  assert.deepEqual(errors, []);
});
