// Issue 17's error card per kind of bad file, in Chromium and Firefox ESR: a file whose every row
// is rejected, a header only, random binary bytes and a CSV of another system each get one card
// (never a dashboard of zeros) with the exact reasons; a drop where some files read shows the
// dashboard and names the file that read no call.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serveDist, ROOT, FIXTURES } from './helpers.mjs';
import { launchBrowser, openReady, waitUntil, FIREFOX } from './page-driver.mjs';

const DEMO = path.join(ROOT, 'www/demo_vos3000_cdr.csv');
const b64 = (bytes) => Buffer.from(bytes).toString('base64');
const ALL_REJECTED = 'flowno,callere164,calleee164,starttime,stoptime,holdtime,endreason\n'
  + '1,123,456,xx,yy,3,-9\n2,123,456,xx,yy,3,-9\n3,123,456,2025-03-10 08:00:00,2025-03-10 08:00:09,abc,-9\n';

/** 3000 bytes of a fixed linear congruential generator: no magic number names them. */
function noise() {
  let seed = 7;
  return Uint8Array.from({ length: 3000 }, () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed >>> 24;
  });
}

/** Loads files ([name, bytes]) together through `cdrscope.load`; resolves when it finished. */
const load = (page, files) => page.evaluate(async (list) => {
  const fs = list.map(([name, data]) => new File([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))], name));
  window.cdrscope.load(fs);
  // `load` resolves at the end of an analysis; the card is its end when nothing was read.
  await new Promise((r) => { const t = setInterval(() => { if (!document.getElementById('progress').hidden) return; clearInterval(t); r(); }, 50); });
}, files.map(([n, d]) => [n, b64(d)]));

/** The card: title, the files line, the reasons, whether the dashboard is hidden. */
const card = (page) => page.evaluate(() => ({
  title: document.querySelector('#error h2')?.textContent,
  files: [...document.querySelectorAll('#error h3 + ul:not(.err-why):not(.err-todo) li')].map((l) => l.textContent),
  why: [...document.querySelectorAll('#error .err-why li')].map((l) => l.textContent),
  todo: document.querySelectorAll('#error .err-todo li').length,
  dashboard: !document.getElementById('dashboard').hidden,
  editor: !!document.querySelector('#error .wrong-format[open] #mapping-editor'),
  text: document.getElementById('error').textContent,
}));

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); });

for (const browser of ['chromium', 'firefox']) {
  const skip = browser === 'firefox' && !fs.existsSync(FIREFOX) ? `${FIREFOX} is absent` : false;

  test(`${browser}: one error card per kind of bad file, with its exact reasons; a mixed drop names the unread file`, { skip }, async () => {
    const b = await launchBrowser(browser);
    try {
      const page = await b.newPage();
      const errors = await openReady(page, server.url);
      const cases = [
        ['all_rejected.csv', Buffer.from(ALL_REJECTED), {
          title: 'No call could be read from these files',
          files: ['all_rejected.csv · 166 B · vos3000 · 3 rows · 3 refused'],
          why: [
            '2 × starttime is not a time (first at all_rejected.csv:2: starttime is not a time: "xx")',
            '1 × holdtime is not a valid number (first at all_rejected.csv:4: holdtime is not a valid number: "abc")',
          ],
          todo: 3, dashboard: false, editor: true,
        }],
        ['header_only.csv', fs.readFileSync(path.join(FIXTURES, 'bad/header_only.csv')), {
          title: 'No call could be read from these files',
          files: ['header_only.csv · 134 B · vos3000 · 0 rows · 0 refused'],
          why: ['The file has a header but no data row.'],
          todo: 3, dashboard: false, editor: true,
        }],
        ['capture.dat', noise(), {
          title: 'This file could not be read',
          files: ['capture.dat · 2.9 KB · this is a binary file, not a CSV/text CDR export'],
          why: ['capture.dat: this is a binary file, not a CSV/text CDR export'],
          todo: 3, dashboard: false, editor: false,
        }],
      ];
      for (const [name, bytes, want] of cases) {
        await load(page, [[name, bytes]]);
        await waitUntil(page, () => !document.getElementById('error').hidden && !!document.querySelector('#error h2'));
        const got = await card(page);
        const { text, ...shape } = got;
        assert.deepEqual(shape, want, name);
        // Never a garbled preview of the bytes.
        assert.ok(!text.includes('\uFFFD') && !text.includes('\\u{'), `${name}: ${text}`);
      }

      // A mixed drop: the demo reads, so the dashboard shows; the file of rejects is named.
      await load(page, [['all_rejected.csv', Buffer.from(ALL_REJECTED)], ['demo.csv', fs.readFileSync(DEMO)]]);
      await waitUntil(page, () => document.getElementById('dashboard').dataset.state === 'done' && !document.getElementById('dashboard').hidden);
      assert.equal(await page.evaluate(() => document.getElementById('error').textContent),
        'all_rejected.csv: no call read, every row rejected (3 rows)');
      assert.equal(await page.evaluate(() => window.cdrscope.summary().overall.attempts), 2000);
      assert.equal(await page.evaluate(() => document.querySelector('.wrong-format[open]')), null, 'the editor is closed once a file reads');
      assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('#files-body tr')].map((r) => [r.cells[0].textContent, r.cells.item(r.cells.length - 1).textContent])),
        [['all_rejected.csv', 'no call read, every row rejected'], ['demo.csv', '']]);

      // Switched to Spanish, the card is drawn again in its words (the reasons are the core's,
      // in English), and stays a card.
      await load(page, [['all_rejected.csv', Buffer.from(ALL_REJECTED)]]);
      await waitUntil(page, () => !document.getElementById('error').hidden && !!document.querySelector('#error h2'));
      await page.evaluate(() => { const l = document.getElementById('lang'); l.value = 'es'; l.dispatchEvent(new Event('change')); });
      const es = await card(page);
      assert.equal(es.dashboard, false);
      assert.equal(es.editor, true);
      assert.equal(es.title, 'No se pudo leer ninguna llamada de estos archivos');
      assert.equal(es.why[0], '2 × starttime is not a time (la primera en all_rejected.csv:2: starttime is not a time: "xx")');
      assert.deepEqual(errors, []);
    } finally {
      await b.close();
    }
  });
}

for (const browser of ['chromium', 'firefox']) {
  const skip = browser === 'firefox' && !fs.existsSync(FIREFOX) ? `${FIREFOX} is absent` : false;

  test(`${browser}: Cancel of a second load keeps no partial number on screen or in the API, even after a re-render`, { skip }, async () => {
    const b = await launchBrowser(browser);
    try {
      const page = await b.newPage();
      const errors = await openReady(page, server.url);
      await load(page, [['demo.csv', fs.readFileSync(DEMO)]]);
      await waitUntil(page, () => document.getElementById('dashboard').dataset.state === 'done');
      // A second load, large enough to show first KPIs while reading (the demo 150 times).
      await page.evaluate(async () => {
        const demo = await (await fetch('demo_vos3000_cdr.csv')).text();
        const nl = demo.indexOf('\n');
        const rows = demo.slice(nl + 1).split('\n').filter((l) => l.length > 0);
        const parts = [demo.slice(0, nl + 1)];
        for (let i = 0; i < 150; i += 1) parts.push(rows.map((r) => `${i}${r}\n`).join(''));
        window.cdrscopeSplit = false;
        window.cdrscope.load(new File(parts, 'big.csv'));
      });
      // The partial KPIs are on screen, marked as loading.
      await waitUntil(page, () => document.getElementById('dashboard').dataset.state === 'loading'
        && !document.getElementById('dashboard').hidden && window.cdrscope.summary() !== null);
      await page.evaluate(() => document.getElementById('btn-cancel').click());
      await waitUntil(page, () => !document.getElementById('banner').hidden);
      const banner = await page.evaluate(() => document.getElementById('banner').textContent);
      assert.match(banner, /^Cancelled: partial, read \d+\.\d MB \/ \d+\.\d MB\. Nothing from the partial read is shown; open the file again to read it whole\.$/);
      const state = () => page.evaluate(() => ({
        dashboard: !document.getElementById('dashboard').hidden,
        summary: window.cdrscope.summary(),
        welcome: !document.getElementById('welcome').hidden,
      }));
      assert.deepEqual(await state(), { dashboard: false, summary: null, welcome: true });
      // A language switch re-renders the page: still no partial dashboard.
      await page.evaluate(() => { const l = document.getElementById('lang'); l.value = 'es'; l.dispatchEvent(new Event('change')); });
      assert.deepEqual(await state(), { dashboard: false, summary: null, welcome: true });
      assert.deepEqual(errors, []);
    } finally {
      await b.close();
    }
  });
}

for (const browser of ['chromium', 'firefox']) {
  const skip = browser === 'firefox' && !fs.existsSync(FIREFOX) ? `${FIREFOX} is absent` : false;

  test(`${browser}: a number-plan setting re-reads the files, says why, and keeps the filter and the drill-down`, { skip }, async () => {
    const b = await launchBrowser(browser);
    try {
      const page = await b.newPage();
      const errors = await openReady(page, server.url);
      await load(page, [['demo.csv', fs.readFileSync(DEMO)]]);
      await waitUntil(page, () => document.getElementById('dashboard').dataset.state === 'done');
      await page.evaluate(() => { const s = document.getElementById('filter-egress'); s.value = 'GW_SG_CHEAP'; s.dispatchEvent(new Event('change', { bubbles: true })); });
      await waitUntil(page, () => window.cdrscope.summary().filter.egress?.[0] === 'GW_SG_CHEAP' && document.getElementById('dashboard').dataset.state === 'done');
      const before = await page.evaluate(() => window.cdrscope.summary().overall.attempts);
      await page.evaluate(() => document.querySelector('#tables [data-action="drill"]').click());
      await waitUntil(page, () => !!document.querySelector('#drill [data-total]'));
      const drillTotal = await page.evaluate(() => document.querySelector('#drill [data-total]').dataset.total);

      await page.evaluate(() => {
        document.getElementById('set-country').value = 'US';
        document.querySelector('[data-action="settings-apply"]').click();
      });
      await waitUntil(page, () => !document.getElementById('banner').hidden);
      assert.equal(await page.evaluate(() => document.getElementById('banner').textContent),
        'The number settings changed: the files are read again, because destinations are decided while reading. Your filter and open drill-down are kept.');
      // Read again: the same filter, the same calls under it, the drill-down open again.
      await waitUntil(page, () => {
        const s = window.cdrscope.summary();
        return s && s.filter.egress?.[0] === 'GW_SG_CHEAP' && document.getElementById('dashboard').dataset.state === 'done'
          && !!document.querySelector('#drill [data-total]');
      });
      assert.equal(await page.evaluate(() => window.cdrscope.summary().overall.attempts), before);
      assert.equal(await page.evaluate(() => document.querySelector('#drill [data-total]').dataset.total), drillTotal);
      assert.equal(await page.evaluate(() => document.getElementById('filter-egress').value), 'GW_SG_CHEAP');
      assert.deepEqual(errors, []);
    } finally {
      await b.close();
    }
  });
}

for (const browser of ['chromium', 'firefox']) {
  const skip = browser === 'firefox' && !fs.existsSync(FIREFOX) ? `${FIREFOX} is absent` : false;

  test(`${browser}: at 390 px the top bar is one row with a menu; every action fits in the window`, { skip }, async () => {
    const b = await launchBrowser(browser);
    try {
      const page = await b.newPage(390, 800);
      const errors = await openReady(page, server.url);
      const bar = () => page.evaluate(() => {
        const box = (id) => { const r = document.getElementById(id).getBoundingClientRect(); return r.width > 0 && r.left >= 0 && r.right <= window.innerWidth ? 'in' : (r.width === 0 ? 'hidden' : 'cut'); };
        return {
          height: Math.round(document.querySelector('.topbar').getBoundingClientRect().height),
          pageWider: document.documentElement.scrollWidth > window.innerWidth,
          open: box('btn-open'), menu: box('btn-menu'), folder: box('btn-folder'), demo: box('btn-demo'), print: box('btn-print'),
          expanded: document.getElementById('btn-menu').getAttribute('aria-expanded'),
        };
      });
      const closed = await bar();
      assert.ok(closed.height <= 56, `one row: ${closed.height} px`);
      assert.deepEqual({ ...closed, height: 0 }, { height: 0, pageWider: false, open: 'in', menu: 'in', folder: 'hidden', demo: 'hidden', print: 'hidden', expanded: 'false' });
      fs.mkdirSync(path.join(ROOT, 'tests/e2e/screenshots'), { recursive: true });
      await page.screenshot({ path: path.join(ROOT, `tests/e2e/screenshots/phone-topbar-${browser}.png`) });
      await page.evaluate(() => document.getElementById('btn-menu').click());
      assert.deepEqual({ ...(await bar()), height: 0 }, { height: 0, pageWider: false, open: 'in', menu: 'in', folder: 'in', demo: 'in', print: 'in', expanded: 'true' });
      await page.screenshot({ path: path.join(ROOT, `tests/e2e/screenshots/phone-topbar-menu-${browser}.png`) });
      // Choosing an action closes the menu: the demo loads under a one-row bar.
      await page.evaluate(() => document.getElementById('btn-demo').click());
      await waitUntil(page, () => document.getElementById('dashboard').dataset.state === 'done');
      assert.equal((await bar()).expanded, 'false');
      assert.equal((await bar()).folder, 'hidden');
      assert.deepEqual(errors, []);
    } finally {
      await b.close();
    }
  });
}

for (const browser of ['chromium', 'firefox']) {
  const skip = browser === 'firefox' && !fs.existsSync(FIREFOX) ? `${FIREFOX} is absent` : false;

  test(`${browser}: one number format per language in tiles, tables and charts`, { skip }, async () => {
    const b = await launchBrowser(browser);
    try {
      const page = await b.newPage();
      const errors = await openReady(page, server.url);
      // The demo twice over (new flownos), so tiles and table cells pass a thousand.
      await page.evaluate(async () => {
        const demo = await (await fetch('demo_vos3000_cdr.csv')).text();
        const nl = demo.indexOf('\n');
        const rows = demo.slice(nl + 1).split('\n').filter((l) => l.length > 0);
        const parts = [demo.slice(0, nl + 1)];
        for (let i = 1; i <= 2; i += 1) parts.push(rows.map((r) => `${i}${r}\n`).join(''));
        await window.cdrscope.load(new File(parts, 'double.csv'));
      });
      await waitUntil(page, () => document.getElementById('dashboard').dataset.state === 'done'
        && document.querySelectorAll('#charts figure svg').length >= 9);
      const s = await page.evaluate(() => window.cdrscope.summary());
      // The oracle: Intl's en-US, and de-DE for Spanish's full-stop thousands and decimal comma.
      const fmt = (locale, v, d) => new Intl.NumberFormat(locale, { minimumFractionDigits: d, maximumFractionDigits: d }).format(v);
      const shown = () => page.evaluate(() => ({
        attempts: document.querySelector('[data-kpi="attempts"] .kpi-value').textContent,
        minutes: document.querySelector('[data-kpi="minutes"] .kpi-value').textContent,
        asr: document.querySelector('[data-kpi="asr"] .kpi-value').textContent,
        fee: document.querySelector('[data-kpi="fee"] .kpi-value').textContent,
        cells: [...document.querySelectorAll('#tables td.num button')].map((e) => e.textContent),
        donut: [...document.querySelectorAll('#charts svg text')].map((t) => t.textContent.trim()).find((t) => /^ASR \d/.test(t)),
      }));
      let asrEn;
      for (const [lang, locale] of [['en', 'en-US'], ['es', 'de-DE']]) {
        await page.evaluate((l) => { const e = document.getElementById('lang'); e.value = l; e.dispatchEvent(new Event('change')); }, lang);
        await waitUntil(page, () => document.querySelectorAll('#charts figure svg').length >= 9);
        const got = await shown();
        assert.equal(got.attempts, fmt(locale, 4000, 0), lang);
        assert.equal(got.attempts, lang === 'en' ? '4,000' : '4.000');
        assert.equal(got.minutes, fmt(locale, s.overall.minutes, 1), lang);
        // Money keeps every decimal of the file and writes them as the language does.
        assert.match(s.overall.fee, /^\d+\.\d{4}$/);
        assert.equal(got.fee, fmt(locale, Number(s.overall.fee), 4), lang);
        // 745 of 2000 is 37.25 %, a tie Intl rounds up and Rust to even: the oracle is the
        // English text, whose decimal point the Spanish one writes as a comma.
        asrEn ??= got.asr;
        assert.match(asrEn, /^\d\d\.\d%$/);
        assert.equal(got.asr, lang === 'en' ? asrEn : asrEn.replace('.', ','), lang);
        assert.equal(got.donut, `ASR ${got.asr}`, lang);
        const first = s.by_egress_gateway[0].attempts;
        assert.ok(first >= 1000 && got.cells.includes(fmt(locale, first, 0)), `${lang}: ${got.cells.slice(0, 8)}`);
      }
      assert.deepEqual(errors, []);
    } finally {
      await b.close();
    }
  });
}
