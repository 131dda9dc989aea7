// The README's screenshot (tests/e2e/readme/panel.png): the built panel (dist/) against a sandbox on the demo's port,
// connected with the demo key, on the Stock screen (1366 px wide), as a newcomer sees it after `.ci/demo`.
//   node tests/e2e/readme/shoot.mjs   (port 8080 must be free; PORT=N picks another)
import { join } from 'node:path';
import { ROOT, connect, startBrowser, startSandbox } from '../harness.mjs';

const sandbox = await startSandbox([], { port: Number(process.env.PORT ?? 8080) });
const browser = await startBrowser();
try {
  const { page } = browser;
  await page.setViewportSize({ width: 1366, height: 1150 });
  await connect(page, sandbox);
  await page.click('nav a[href="/inventories"]');
  await page.waitForSelector('#inv-table tbody tr');
  await page.screenshot({ path: join(ROOT, 'tests', 'e2e', 'readme', 'panel.png') });
  console.log(`screenshot of ${sandbox.url}/inventories saved`);
} finally {
  await browser.close();
  sandbox.stop();
}
