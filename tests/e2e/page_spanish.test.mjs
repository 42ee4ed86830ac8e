// Spanish completeness, in Chromium and Firefox ESR: with the page in Spanish, no text on the empty
// page, the error card, the settings panel, the demo dashboard (its charts' SVG text included) or
// its drill-down is one of the page's
// English texts (src/web/i18n.rs) whose Spanish differs. The list is read from the source, so a new
// English text left untranslated on these screens fails here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serveDist, ROOT, FIXTURES } from './helpers.mjs';
import { launchBrowser, openReady, loadText, waitUntil, FIREFOX } from './page-driver.mjs';

const TEXT = [...fs.readFileSync(path.join(ROOT, 'src/web/i18n.rs'), 'utf8')
  .matchAll(/^\s*\("([a-z0-9_-]+)", "((?:[^"\\]|\\.)*)", "((?:[^"\\]|\\.)*)"\),$/gm)]
  .map((m) => [m[1], m[2], m[3]]);
const ENGLISH = new Set(TEXT.filter(([, en, es]) => en !== es && en.length > 3 && !en.includes('{}')).map(([, en]) => en));
const DEMO = fs.readFileSync(path.join(ROOT, 'www/demo_vos3000_cdr.csv')).toString('base64');

/** Visible text nodes and labels of the page that are one of the English texts. */
const english = (page) => page.evaluate((list) => {
  const en = new Set(list);
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = n.textContent.trim();
    // Chart drawings (SVG text from src/chart) included: "(none)", "other" and the keys too.
    if (en.has(t) && !n.parentElement.closest('[hidden]')) found.push(t);
  }
  for (const e of document.querySelectorAll('[aria-label], [placeholder], [title]')) {
    for (const a of ['aria-label', 'placeholder', 'title']) if (en.has(e.getAttribute(a))) found.push(`${a}=${e.getAttribute(a)}`);
  }
  return [...new Set(found)];
}, [...ENGLISH]);

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); });

test('the i18n table is read: it has the settings and error-card texts', () => {
  assert.ok(TEXT.length > 200, `${TEXT.length} texts`);
  assert.ok(ENGLISH.has('Reset to defaults') && ENGLISH.has('What to do'));
});

for (const browser of ['chromium', 'firefox']) {
  const skip = browser === 'firefox' && !fs.existsSync(FIREFOX) ? `${FIREFOX} is absent` : false;
  test(`${browser}: the Spanish page shows none of the English texts`, { skip }, async () => {
    const b = await launchBrowser(browser);
    try {
      const page = await b.newPage();
      await openReady(page, server.url);
      await page.evaluate(() => localStorage.setItem('cdrscope.lang', 'es'));
      const errors = await openReady(page, server.url);
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'es');
      await page.click('#settings > summary');
      assert.deepEqual(await english(page), [], 'empty page and settings');
      await loadText(page, 'header_only.csv', fs.readFileSync(path.join(FIXTURES, 'bad/header_only.csv')).toString('base64'));
      await waitUntil(page, () => !document.getElementById('error').hidden);
      assert.deepEqual(await english(page), [], 'error card');
      await loadText(page, 'demo_vos3000_cdr.csv', DEMO);
      await waitUntil(page, () => document.getElementById('dashboard').dataset.state === 'done');
      // The charts are drawn one per frame after the dashboard: all nine, with their SVG text.
      await waitUntil(page, () => document.querySelectorAll('#charts figure svg').length >= 9);
      const svgText = await page.evaluate(() => [...document.querySelectorAll('#charts svg text')].map((t) => t.textContent.trim()));
      assert.ok(svgText.includes('ASR % (≥ 10 llamadas)'), svgText.join(' | '));
      await page.click('#tables [data-action="drill"]');
      await waitUntil(page, () => !!document.querySelector('#drill [data-total]'));
      assert.deepEqual(await english(page), [], 'dashboard and drill');
      assert.deepEqual(errors, []);
    } finally {
      await b.close();
    }
  });
}
