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

      // In Spanish the card's own words follow (the reasons are the core's, in English).
      await page.evaluate(() => { const l = document.getElementById('lang'); l.value = 'es'; l.dispatchEvent(new Event('change')); });
      await load(page, [['all_rejected.csv', Buffer.from(ALL_REJECTED)]]);
      await waitUntil(page, () => !document.getElementById('error').hidden && !!document.querySelector('#error h2'));
      const es = await card(page);
      assert.equal(es.title, 'No se pudo leer ninguna llamada de estos archivos');
      assert.equal(es.why[0], '2 × starttime is not a time (la primera en all_rejected.csv:2: starttime is not a time: "xx")');
      assert.deepEqual(errors, []);
    } finally {
      await b.close();
    }
  });
}
