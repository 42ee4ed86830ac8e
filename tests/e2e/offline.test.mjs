// The single-file build (dist/cdrscope.html, scripts/build-single.mjs) opened from file://:
// drop a fixture, KPIs equal the CLI's, nothing is fetched from anywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, cliReport, dropFiles, waitLoaded, kpis, screenshotPath, DIST, FIXTURES } from './helpers.mjs';

test('dist/cdrscope.html works from file:// with a classic worker and no network', async () => {
  const file = path.join(DIST, 'cdrscope.html');
  assert.ok(fs.existsSync(file), 'run node scripts/build-single.mjs first');
  assert.ok(fs.statSync(file).size < 1.5 * 1048576, 'size budget 1.5 MB');
  const { context, close } = await launch();
  try {
    const page = await context.newPage();
    const errors = [];
    const urls = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('request', (r) => urls.push(r.url()));
    await page.goto(`file://${file}`);
    await page.waitForFunction(() => document.getElementById('drop-zone').dataset.ready === 'true', null, { timeout: 20000 });
    const fixture = path.join(FIXTURES, 'vos3000_cdr_en.csv');
    await dropFiles(page, [fixture]);
    await waitLoaded(page);
    const cli = cliReport(fixture);
    const k = await kpis(page);
    for (const key of ['attempts', 'answered', 'asr', 'acd_s', 'pdd_avg_ms', 'ner']) {
      assert.ok(Math.abs(k[key] - cli.overall[key]) < 1e-9, `${key}: ${k[key]} vs ${cli.overall[key]}`);
    }
    await page.selectOption('#filter-egress', 'GW_SG_CHEAP');
    await page.waitForSelector('#dashboard[data-state="done"]');
    assert.equal((await kpis(page)).attempts, 471);
    assert.ok(await page.$('figure[data-chart="codes"] svg'));
    await page.screenshot({ path: screenshotPath('offline-file.png') });
    assert.deepEqual(urls.filter((u) => !u.startsWith('file://') && !u.startsWith('blob:') && !u.startsWith('data:')), []);
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
