// Issue 17's keyboard and screen-reader points, in Chromium and Firefox ESR: one tab stop per
// chart with arrows among its keys, focus into the drill-down and back on Escape, every finding
// open for printing, and axe-core with no serious or critical violation on the empty page, the
// dashboard, the drill-down and the code reference, in both themes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serveDist, ROOT } from './helpers.mjs';
import { launchBrowser, openReady, loadText, setValue, waitUntil, FIREFOX } from './page-driver.mjs';

const DEMO = path.join(ROOT, 'www/demo_vos3000_cdr.csv');
const AXE = fs.readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page as "rule: target" lines. The source is
 *  evaluated by the test protocol (the page's CSP allows no inline script). */
async function axeViolations(page) {
  await page.evaluate(`${AXE}\n;true`);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
  });
}
const activeId = (page) => page.evaluate(() => {
  const a = document.activeElement;
  return a.id || `${a.closest('[id]') && a.closest('[id]').id} ${a.tagName} ${a.textContent.slice(0, 40)}`;
});

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); });

for (const browser of ['chromium', 'firefox']) {
  const skip = browser === 'firefox' && !fs.existsSync(FIREFOX) ? `${FIREFOX} is absent` : false;

  test(`${browser}: chart keys are one tab stop each, the drill takes focus and Escape gives it back, print opens every finding`, { skip }, async () => {
    const b = await launchBrowser(browser);
    try {
      const page = await b.newPage();
      const errors = await openReady(page, server.url);
      await loadText(page, 'demo_vos3000_cdr.csv', fs.readFileSync(DEMO).toString('base64'));
      await waitUntil(page, () => document.getElementById('dashboard').dataset.state === 'done');
      const stops = await page.evaluate(() => [...document.querySelectorAll('#charts .chart-keys')]
        .map((k) => [k.children.length, [...k.children].filter((c) => c.tabIndex === 0).length]));
      assert.ok(stops.length >= 4, JSON.stringify(stops));
      for (const [keys, tabbable] of stops) assert.equal(tabbable, 1, `${keys} keys, ${tabbable} tab stops`);
      assert.ok(stops.reduce((n, [k]) => n + k, 0) > 40, 'the keys are still all there for the arrows');
      // Arrows move along a chart's keys, and the tab stop moves with them.
      await page.focus('#charts .chart-keys > button');
      await page.keyboard.press('ArrowRight');
      const moved = await page.evaluate(() => {
        const k = document.querySelector('#charts .chart-keys');
        return [[...k.children].indexOf(document.activeElement), k.children[0].tabIndex, k.children[1].tabIndex];
      });
      assert.deepEqual(moved, [1, -1, 0]);
      const label = await page.evaluate(() => document.activeElement.textContent);
      // Enter opens the drill-down on that key; focus goes into it; Escape closes it and returns.
      await page.keyboard.press('Enter');
      await waitUntil(page, () => !document.getElementById('drill').hidden && !!document.querySelector('#drill [data-total]'));
      assert.equal(await page.evaluate(() => document.activeElement === document.querySelector('#drill h2')), true);
      await page.keyboard.press('Escape');
      assert.equal(await page.evaluate(() => document.getElementById('drill').hidden), true);
      assert.equal(await page.evaluate(() => document.activeElement.textContent), label);
      assert.equal(await page.evaluate(() => document.activeElement.closest('.chart-keys') !== null), true);
      // Printing opens every collapsed finding.
      const before = await page.evaluate(() => [...document.querySelectorAll('#findings details')].map((d) => d.open));
      assert.ok(before.includes(false), `a finding is collapsed on screen: ${before}`);
      await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
      const after = await page.evaluate(() => [...document.querySelectorAll('#findings details')].map((d) => d.open));
      assert.deepEqual(after, before.map(() => true));
      assert.deepEqual(errors, []);
    } finally {
      await b.close();
    }
  });

  test(`${browser}: a panel whose data the export lacks is one line saying so, not empty axes`, { skip }, async () => {
    const b = await launchBrowser(browser);
    try {
      const page = await b.newPage();
      const errors = await openReady(page, server.url);
      await loadText(page, 'asterisk_Master.csv', fs.readFileSync(path.join(ROOT, 'tests/fixtures/asterisk_Master.csv')).toString('base64'));
      await waitUntil(page, () => document.getElementById('dashboard').dataset.state === 'done');
      assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('#charts .no-data')].map((p) => [p.closest('figure').dataset.chart, p.textContent])), [
        ['direction', 'This Asterisk export does not say who hung up.'],
        ['pdd', 'This Asterisk export has no post-dial delay.'],
      ]);
      assert.equal(await page.evaluate(() => document.querySelectorAll('#charts figure[data-chart="pdd"] svg').length), 0);
      // The demo has both: drawn as charts.
      await loadText(page, 'demo_vos3000_cdr.csv', fs.readFileSync(DEMO).toString('base64'));
      await waitUntil(page, () => document.getElementById('dashboard').dataset.state === 'done');
      assert.equal(await page.evaluate(() => document.querySelectorAll('#charts .no-data').length), 0);
      assert.equal(await page.evaluate(() => document.querySelectorAll('#charts figure[data-chart="pdd"] svg').length), 1);
      assert.deepEqual(errors, []);
    } finally {
      await b.close();
    }
  });

  test(`${browser}: axe-core finds no serious or critical violation (empty page, reference, dashboard, drill; light and dark)`, { skip }, async () => {
    const b = await launchBrowser(browser);
    try {
      const page = await b.newPage();
      const errors = await openReady(page, server.url);
      for (const dark of [false, true]) {
        await openReady(page, server.url);
        await page.evaluate((d) => { if (document.body.classList.contains('dark') !== d) document.getElementById('btn-theme').click(); }, dark);
        const theme = dark ? 'dark' : 'light';
        assert.deepEqual(await axeViolations(page), [], `${theme}: empty page`);
        await setValue(page, '#ref-search', '503');
        await waitUntil(page, () => !!document.querySelector('#reference .ref-card'));
        await page.click('#settings > summary');
        assert.deepEqual(await axeViolations(page), [], `${theme}: reference and settings`);
        await loadText(page, 'demo_vos3000_cdr.csv', fs.readFileSync(DEMO).toString('base64'));
        await waitUntil(page, () => document.getElementById('dashboard').dataset.state === 'done');
        assert.deepEqual(await axeViolations(page), [], `${theme}: dashboard`);
        await page.click('#tables [data-action="drill"]');
        await waitUntil(page, () => !!document.querySelector('#drill [data-total]'));
        assert.deepEqual(await axeViolations(page), [], `${theme}: drill`);
      }
      assert.deepEqual(errors, []);
    } finally {
      await b.close();
    }
  });
}
