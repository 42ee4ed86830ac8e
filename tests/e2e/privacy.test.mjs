// Nothing leaves the machine: every request the browser makes is recorded (page, workers, service
// worker and the server's own log). After the page's own files have loaded, a whole session (drop a
// fixture, analysis, filter, drill-down, reference, every export) makes no request at all, and no
// request ever goes to another origin. The single file over file:// makes none but reading itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, dropFiles, waitLoaded, kpis, DIST, FIXTURES } from './helpers.mjs';
import { serveDir, exportAll } from './offline-helpers.mjs';

const LOCAL = /^(blob|data):/;

async function session(page) {
  await dropFiles(page, [path.join(FIXTURES, 'vos3000_cdr_en.csv')]);
  await waitLoaded(page);
  assert.equal((await kpis(page)).attempts, 2000);
  await page.selectOption('#filter-egress', 'GW_SG_CHEAP');
  await page.waitForSelector('#dashboard[data-state="done"]');
  assert.equal((await kpis(page)).attempts, 471);
  await page.click('#table-egress tr[data-name="GW_SG_CHEAP"] td.num [data-action="drill"]');
  await page.waitForSelector('#drill[data-state="done"]');
  await page.fill('#ref-search', '503');
  await page.waitForSelector('.ref-card[data-code="503"]');
  const out = await exportAll(page);
  assert.equal(out.json.overall.attempts, 471);
}

test('privacy: after the served page\'s own files, a whole session makes no request at all', async () => {
  const server = await serveDir();
  const { context, close } = await launch();
  try {
    const all = [];
    let fromServiceWorker = 0;
    context.on('request', (r) => { all.push(r.url()); if (r.serviceWorker()) fromServiceWorker += 1; });
    const page = await context.newPage();
    const pageUrls = [];
    page.on('request', (r) => pageUrls.push(r.url()));
    page.on('worker', (w) => w.url() && pageUrls.push(`worker:${w.url()}`));
    await page.goto(server.url);
    await page.waitForFunction(() => document.getElementById('drop-zone').dataset.ready === 'true', null, { timeout: 20000 });
    // The page's own assets, including the service worker's precache of them.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
    await page.waitForLoadState('networkidle');
    const served = [...new Set(server.requests.map((u) => new URL(u, server.url).pathname))].sort();
    const sw = fs.readFileSync(path.join(DIST, 'sw.js'), 'utf8');
    const precached = JSON.parse(sw.match(/^const ASSETS = (\[.*\]);$/m)[1]).map((a) => `/${a}`);
    for (const p of served) assert.ok(p === '/' || p === '/sw.js' || precached.includes(p), `unexpected asset ${p}`);
    for (const p of ['/', '/cdrscope_bg.wasm', '/cdrscope.js', '/worker.js', '/sw.js']) assert.ok(served.includes(p), `loaded ${p}`);

    assert.ok(fromServiceWorker > 0, 'the recorder sees the service worker\'s own requests (its precache)');
    const mark = { server: server.requests.length, page: pageUrls.length, all: all.length };
    await session(page);
    await page.waitForTimeout(500);
    assert.deepEqual(server.requests.slice(mark.server), [], 'the server saw no request during the session');
    assert.deepEqual(pageUrls.slice(mark.page).filter((u) => !LOCAL.test(u)), [], 'the page made none');
    assert.deepEqual(all.slice(mark.all).filter((u) => !LOCAL.test(u)), [], 'nor did any worker');
    const foreign = [...pageUrls, ...all].map((u) => u.replace(/^worker:/, ''))
      .filter((u) => !LOCAL.test(u) && !u.startsWith(server.url));
    assert.deepEqual(foreign, [], 'never another origin');
  } finally {
    await close();
    await server.close();
  }
});

test('privacy: dist/cdrscope.html over file:// makes no request but reading itself', async () => {
  const file = path.join(DIST, 'cdrscope.html');
  const { context, close } = await launch();
  try {
    const all = [];
    context.on('request', (r) => all.push(r.url()));
    const page = await context.newPage();
    const pageUrls = [];
    page.on('request', (r) => pageUrls.push(r.url()));
    await page.goto(`file://${file}`);
    await page.waitForFunction(() => document.getElementById('drop-zone').dataset.ready === 'true', null, { timeout: 20000 });
    await session(page);
    await page.waitForTimeout(500);
    const urls = [...new Set([...pageUrls, ...all])];
    assert.deepEqual(urls.filter((u) => !LOCAL.test(u)), [`file://${file}`]);
    assert.ok(!(await page.evaluate(() => 'serviceWorker' in navigator && navigator.serviceWorker.controller)), 'no service worker on file://');
  } finally {
    await close();
  }
});
