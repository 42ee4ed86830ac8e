// Screenshots of the page an operator meets first (Chromium, headless), in English and Spanish at
// 390, 1366 and 1920 px: the empty page with the code reference, a refused file's error card, the
// settings panel, the demo dashboard and its drill-down. Written to tests/e2e/screenshots/page-*.png
// for a person to look at; the checks are the page's own state at each step.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serveDist, screenshotPath, ROOT, FIXTURES } from './helpers.mjs';
import { launchBrowser, openReady, loadText, setValue, waitUntil } from './page-driver.mjs';

const DEMO = fs.readFileSync(path.join(ROOT, 'www/demo_vos3000_cdr.csv')).toString('base64');
const HEADER_ONLY = fs.readFileSync(path.join(FIXTURES, 'bad/header_only.csv')).toString('base64');

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); });

test('screenshots: empty page with the reference, error card, settings, dashboard and drill (en, es; 390/1366/1920 px)', async () => {
  const b = await launchBrowser('chromium');
  try {
    for (const lang of ['en', 'es']) {
      for (const width of [390, 1366, 1920]) {
        const page = await b.newPage(width, width === 390 ? 844 : 900);
        const errors = await openReady(page, server.url);
        // On a phone the language is in the top bar's menu.
        if (await page.isVisible('#btn-menu')) await page.click('#btn-menu');
        await page.selectOption('#lang', lang);
        if (await page.isVisible('#btn-menu')) await page.click('#btn-menu');
        assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
        await setValue(page, '#ref-search', '503');
        await waitUntil(page, () => !!document.querySelector('#reference .ref-card'));
        await page.screenshot({ path: screenshotPath(`page-empty-${lang}-${width}.png`), fullPage: true });
        await loadText(page, 'header_only.csv', HEADER_ONLY);
        await waitUntil(page, () => !document.getElementById('error').hidden);
        await page.screenshot({ path: screenshotPath(`page-error-${lang}-${width}.png`) });
        if (width === 1366) {
          await page.click('#settings > summary');
          await page.screenshot({ path: screenshotPath(`page-settings-${lang}-${width}.png`), fullPage: true });
          await page.click('#settings > summary');
        }
        await loadText(page, 'demo_vos3000_cdr.csv', DEMO);
        await waitUntil(page, () => document.getElementById('dashboard').dataset.state === 'done');
        await page.screenshot({ path: screenshotPath(`page-dashboard-${lang}-${width}.png`) });
        await page.click('#tables [data-action="drill"]');
        await waitUntil(page, () => !!document.querySelector('#drill [data-total]'));
        await page.screenshot({ path: screenshotPath(`page-drill-${lang}-${width}.png`) });
        assert.deepEqual(errors, []);
        await page.close();
      }
    }
  } finally {
    await b.close();
  }
});
