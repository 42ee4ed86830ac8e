// The served page as an installable, offline app: manifest and icons, a service worker that precaches
// the page's own files; with the server gone the page reloads, the demo and a dropped file analyse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, dropFiles, waitLoaded, kpis, screenshotPath, DIST, FIXTURES } from './helpers.mjs';
import { serveDir } from './offline-helpers.mjs';

test('PWA: the built sw.js precaches every file of the build under a content version', () => {
  const sw = fs.readFileSync(path.join(DIST, 'sw.js'), 'utf8');
  const version = sw.match(/^const VERSION = '([0-9a-f]{16})';$/m);
  assert.ok(version, 'VERSION written by scripts/sw-precache.mjs (Trunk post_build hook)');
  const assets = JSON.parse(sw.match(/^const ASSETS = (\[.*\]);$/m)[1]);
  for (const f of ['index.html', 'boot.js', 'cdrscope.js', 'cdrscope_bg.wasm', 'worker.js', 'style.css',
    'demo_vos3000_cdr.csv', 'pwa.js', 'embed-bridge.js', 'embed.js', 'manifest.webmanifest',
    'icons/icon.svg', 'icons/icon-192.png', 'icons/icon-512.png']) assert.ok(assets.includes(f), `precaches ${f}`);
  assert.ok(!assets.includes('sw.js') && !assets.some((a) => a.startsWith('examples/')), 'no sw.js, no examples');
  for (const f of assets) assert.ok(fs.existsSync(path.join(DIST, f)), `${f} exists in dist/`);
  const manifest = JSON.parse(fs.readFileSync(path.join(DIST, 'manifest.webmanifest'), 'utf8'));
  assert.equal(manifest.start_url, './');
  assert.equal(manifest.display, 'standalone');
  assert.deepEqual(manifest.icons.map((i) => i.sizes), ['any', '192x192', '512x512']);
  for (const i of manifest.icons.filter((x) => x.type === 'image/png')) {
    const png = fs.readFileSync(path.join(DIST, i.src));
    const [w, h] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    assert.equal(`${w}x${h}`, i.sizes, `${i.src} is ${i.sizes}`);
  }
});

test('PWA: after one visit the served page works with the server gone (demo, then a dropped fixture)', async () => {
  const server = await serveDir();
  const { context, close } = await launch();
  let closed = false;
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(server.url);
    await page.waitForFunction(() => document.getElementById('drop-zone').dataset.ready === 'true', null, { timeout: 20000 });
    assert.equal(await page.getAttribute('link[rel="manifest"]', 'href'), 'manifest.webmanifest');
    // The worker installs (precache), activates and claims this page.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 });
    const cached = await page.evaluate(async () => {
      const keys = await caches.keys();
      const c = await caches.open(keys.find((k) => k.startsWith('cdrscope-')));
      return (await c.keys()).map((r) => new URL(r.url).pathname).sort();
    });
    for (const f of ['/index.html', '/cdrscope_bg.wasm', '/cdrscope.js', '/worker.js', '/demo_vos3000_cdr.csv']) {
      assert.ok(cached.includes(f), `${f} in the cache: ${cached.join(' ')}`);
    }
    // Cut the network: the origin's server is closed and the browser is offline.
    await server.close();
    closed = true;
    await context.setOffline(true);
    const before = server.requests.length;
    await page.reload();
    await page.waitForFunction(() => document.getElementById('drop-zone').dataset.ready === 'true', null, { timeout: 20000 });
    assert.ok(await page.evaluate(() => navigator.serviceWorker.controller !== null), 'controlled after reload');
    await page.click('#btn-demo');
    await waitLoaded(page);
    let k = await kpis(page);
    assert.equal(k.attempts, 2000);
    assert.equal(await page.getAttribute('[data-kpi="attempts"]', 'data-value'), '2000');
    await dropFiles(page, [path.join(FIXTURES, 'vos3000_cdr_en.csv')]);
    await waitLoaded(page);
    k = await kpis(page);
    assert.equal(k.attempts, 2000);
    await page.selectOption('#filter-egress', 'GW_SG_CHEAP');
    await page.waitForSelector('#dashboard[data-state="done"]');
    assert.equal((await kpis(page)).attempts, 471);
    // A page opened fresh while offline (a new tab on the app's URL) starts from the cache too.
    const page2 = await context.newPage();
    await page2.goto(server.url);
    await page2.waitForFunction(() => document.getElementById('drop-zone').dataset.ready === 'true', null, { timeout: 20000 });
    await page2.click('#btn-demo');
    await waitLoaded(page2);
    assert.equal((await kpis(page2)).attempts, 2000);
    await page2.screenshot({ path: screenshotPath('pwa-offline.png') });
    assert.equal(server.requests.length, before, 'the closed server saw nothing');
    assert.deepEqual(errors, []);
  } finally {
    await close();
    if (!closed) await server.close();
  }
});
