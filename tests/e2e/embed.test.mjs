// Embedding: examples/embed.html, a support-site page on ANOTHER origin than cdrscope, mounts cdrscope
// with cdrscope.mount(); the frame analyses the file given as `file`, the host gets 'cdrscope:loaded'
// with the KPIs, the host's styles stay its own, options (lang, theme, panels) apply, forged messages
// are ignored, and the user's remembered preferences in cdrscope are not overwritten.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launch, cliReport, screenshotPath, FIXTURES } from './helpers.mjs';
import { serveDir } from './offline-helpers.mjs';

test('embed: examples/embed.html on another origin analyses its file, gets the events, keeps its styles', async () => {
  const app = await serveDir();
  // The support site: same files, another origin; its page loads embed.js from cdrscope's origin.
  const host = await serveDir(undefined, (rel, text) => (rel === '/examples/embed.html'
    ? text.replace('<script src="../embed.js"></script>', `<script src="${app.url}embed.js"></script>`) : text));
  const { context, close } = await launch();
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${host.url}examples/embed.html`);
    // The host's own look, before and after cdrscope is in the page.
    const hostStyle = () => page.evaluate(() => {
      const h1 = getComputedStyle(document.getElementById('title'));
      const body = getComputedStyle(document.body);
      return { color: h1.color, font: h1.fontFamily, size: h1.fontSize, bg: body.backgroundColor, sheets: document.styleSheets.length };
    });
    const want = { color: 'rgb(122, 31, 92)', font: 'Georgia, serif', size: '34px', bg: 'rgb(251, 247, 240)', sheets: 1 };
    await page.waitForSelector('#log[data-attempts]', { timeout: 30000 });
    assert.equal(await page.getAttribute('#log', 'data-attempts'), '2000');
    assert.match(await page.textContent('#log'), /^Analysed: 2000 attempts, \d+ answered, ASR \d+\.\d %, \d+ findings \(vos3000\)\.$/);
    assert.deepEqual(await hostStyle(), want);

    // The frame: cdrscope's origin, sandboxed, its own styles, the panels the host chose.
    const iframe = await page.$('#cdrscope iframe');
    assert.equal(await iframe.getAttribute('sandbox'), 'allow-scripts allow-same-origin allow-downloads');
    const frame = await iframe.contentFrame();
    assert.ok(frame.url().startsWith(app.url), frame.url());
    assert.equal(await frame.getAttribute('[data-kpi="attempts"]', 'data-value'), '2000');
    const shown = await frame.evaluate(() => Object.fromEntries(['findings', 'kpis', 'charts', 'tables', 'reference', 'filters', 'rejects', 'detected']
      .map((id) => [id, getComputedStyle(document.getElementById(id)).display !== 'none'])));
    assert.deepEqual(shown, { findings: true, kpis: true, charts: true, tables: true, reference: true, filters: false, rejects: false, detected: false });
    assert.doesNotMatch(await frame.evaluate(() => getComputedStyle(document.body).fontFamily), /Georgia/);
    // The frame grew to its content (resize messages).
    assert.ok((await iframe.boundingBox()).height > 640);
    await page.screenshot({ path: screenshotPath('embed-host.png'), fullPage: true });

    // The visitor's own export, through the host's file input: a File passed by postMessage.
    const asterisk = path.join(FIXTURES, 'asterisk_Master.csv');
    const cli = cliReport(asterisk);
    await page.setInputFiles('#own-file', asterisk);
    await page.waitForFunction((n) => document.getElementById('log').dataset.attempts === String(n), cli.overall.attempts, { timeout: 30000 });
    assert.match(await page.textContent('#log'), new RegExp(`^Analysed: ${cli.overall.attempts} attempts, ${cli.overall.answered} answered`));

    // A second view mounted from script: Spanish, dark, KPIs only, a Blob; the events carry the numbers.
    const detail = await page.evaluate(async (csv) => {
      const div = document.createElement('div');
      document.querySelector('main').append(div);
      const got = new Promise((resolve, reject) => {
        div.addEventListener('cdrscope:loaded', (e) => resolve(e.detail));
        div.addEventListener('cdrscope:error', (e) => reject(new Error(e.detail.message)));
      });
      cdrscope.mount(div, { lang: 'es', theme: 'dark', panels: ['kpis'], file: new Blob([csv], { type: 'text/csv' }), height: '500px' });
      return got;
    }, (await import('node:fs')).readFileSync(path.join(FIXTURES, 'vos3000_cdr_en.csv'), 'utf8'));
    assert.equal(detail.kpis.attempts, 2000);
    assert.equal(detail.format, 'vos3000');
    const second = await (await page.$$('main iframe'))[1].contentFrame();
    assert.equal(await second.getAttribute('html', 'lang'), 'es');
    assert.equal(await second.evaluate(() => document.body.classList.contains('dark')), true);
    assert.equal(await second.evaluate(() => getComputedStyle(document.getElementById('charts')).display), 'none');
    // Embedding options are not remembered as the visitor's own preferences of cdrscope.
    assert.deepEqual(await second.evaluate(() => [localStorage.getItem('cdrscope.lang'), localStorage.getItem('cdrscope.theme')]), [null, null]);
    assert.deepEqual(await hostStyle(), want);

    // Not a CDR file: the host gets 'cdrscope:error' with the page's reason; a missing URL too.
    const failures = await page.evaluate(async () => {
      const one = (file) => new Promise((resolve) => {
        const div = document.createElement('div');
        document.querySelector('main').append(div);
        div.addEventListener('cdrscope:loaded', () => resolve('loaded'));
        div.addEventListener('cdrscope:error', (e) => resolve(e.detail.message));
        cdrscope.mount(div, { file, height: '300px' });
      });
      const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0, 0, 0, 13, 0, 255])], 'photo.png');
      return [await one(png), await one('../no-such-export.csv')];
    });
    assert.match(failures[0], /^photo\.png: ./);
    assert.match(failures[1], /no-such-export\.csv: HTTP 404$/);

    // A forged message (not from the frame, not from cdrscope's origin) raises no event.
    const forged = await page.evaluate(() => new Promise((resolve) => {
      const box = document.getElementById('cdrscope');
      let fired = false;
      box.addEventListener('cdrscope:loaded', () => { fired = true; });
      window.postMessage({ cdrscope: 'loaded', kpis: { attempts: 1 } }, '*');
      setTimeout(() => resolve(fired), 300);
    }));
    assert.equal(forged, false);
    assert.equal(await page.getAttribute('#log', 'data-attempts'), String(cli.overall.attempts));
    assert.deepEqual(errors, []);
  } finally {
    await close();
    await host.close();
    await app.close();
  }
});

test('embed: the <iframe> recipe without script applies the hash options and loads a same-origin file', async () => {
  const app = await serveDir();
  const { context, close } = await launch();
  try {
    const page = await context.newPage();
    await page.goto(`${app.url}index.html#lang=es&theme=dark&panels=kpis,findings&file=demo_vos3000_cdr.csv`);
    await page.waitForSelector('#dashboard[data-state="done"]:not([hidden])', { timeout: 30000 });
    assert.equal(await page.getAttribute('[data-kpi="attempts"]', 'data-value'), '2000');
    assert.equal(await page.getAttribute('html', 'lang'), 'es');
    assert.equal(await page.evaluate(() => document.body.classList.contains('dark')), true);
    assert.equal(await page.evaluate(() => getComputedStyle(document.getElementById('tables')).display), 'none');
  } finally {
    await close();
    await app.close();
  }
});
