// Issue 17, the drill-down as a call table, in Chromium and Firefox ESR: the columns of a known
// VOS3000 call in the chosen time zone, sorting by a header (mouse and keyboard, aria-sort), a row
// expanding to the line as it is in the file with its file:line, copy buttons for caller, callee
// and Call-ID, the calls CSV with caller, callee and call_id, and the table at 1366 and 390 px
// (tests/e2e/screenshots/drill-calls-*.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serveDist, screenshotPath, FIXTURES } from './helpers.mjs';
import { launchBrowser, openReady, loadText, waitUntil, FIREFOX } from './page-driver.mjs';

const VOS = path.join(FIXTURES, 'vos3000_cdr_en.csv');
const LINES = fs.readFileSync(VOS, 'utf8').split('\n').map((l) => l.replace(/\r$/, ''));
const HEAD = LINES[0].split(',');
const col = (name) => HEAD.indexOf(name);
// Every GW_SG_CHEAP row of the file, as [line, fields]; the first 50 are the drill's first page.
const GATEWAY_ROWS = LINES.map((l, i) => [i + 1, l.split(',')])
  .filter(([n, f]) => n > 1 && f[col('calleegatewayid')] === 'GW_SG_CHEAP');
const PAGE = GATEWAY_ROWS.slice(0, 50);

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); });

/** Opens the page at `width`, loads the VOS3000 sample, shows times at UTC+08:00 and drills into
 *  GW_SG_CHEAP. */
async function drilled(b, width) {
  const page = await b.newPage(width, 800);
  const errors = await openReady(page, server.url);
  await loadText(page, 'vos3000_cdr_en.csv', fs.readFileSync(VOS).toString('base64'));
  await waitUntil(page, () => document.getElementById('dashboard').dataset.state === 'done');
  await page.evaluate(() => {
    const tz = document.getElementById('tz');
    tz.value = '480';
    tz.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await waitUntil(page, () => document.getElementById('tz').value === '480' && document.getElementById('dashboard').dataset.state === 'done');
  await page.evaluate(() => document.querySelector('#table-egress tr[data-name="GW_SG_CHEAP"] td.num [data-action="drill"]').click());
  await waitUntil(page, () => document.getElementById('drill').dataset.state === 'done');
  return { page, errors };
}

/** Each call row of the drill as { line, cells by column } (the copyable cells: their text). */
const callRows = (page) => page.evaluate(() => [...document.querySelectorAll('#drill-table tbody tr.call')].map((tr) => {
  const cells = {};
  for (const td of tr.querySelectorAll('td[data-col]')) {
    const copy = td.querySelector('.copy-text');
    cells[td.dataset.col] = (copy || td).textContent;
  }
  return { line: Number(tr.dataset.line), cells };
}));

for (const browser of ['chromium', 'firefox']) {
  const skip = browser === 'firefox' && !fs.existsSync(FIREFOX) ? `${FIREFOX} is absent` : false;

  test(`${browser}: the drill is a call table: exact columns, sort, expand to the file's line, copy, calls CSV`, { skip, timeout: 120000 }, async () => {
    const b = await launchBrowser(browser);
    try {
      const { page, errors } = await drilled(b, 1366);
      assert.equal(await page.evaluate(() => document.querySelector('#drill .drill-count').dataset.total), '471');
      let rows = await callRows(page);
      assert.deepEqual(rows.map((r) => r.line), PAGE.map(([n]) => n), 'the file order of the first page');
      // Line 2: stoptime 1741536126674 is 16:02:06 UTC, 00:02:06 at +08:00; callerpdd 4962 ms.
      assert.deepEqual(rows[0], {
        line: 2,
        cells: {
          time: '2025-03-10 00:02:06', caller: '2455096001', callee: '8804694738104', ingress: 'CUST_BRAVO',
          egress: 'GW_SG_CHEAP', destination: '880', outcome: 'answered', code: '-9 Caller hung up',
          talk: '2 s', pdd: '4.96 s', fee: '0.0030',
        },
      });
      // Line 3: a 500 with no PDD.
      assert.deepEqual([rows[1].cells.outcome, rows[1].cells.code, rows[1].cells.pdd, rows[1].cells.talk],
        ['vendor unavailable', '500 Server Internal Error', '–', '0 s']);

      // Copy controls: caller and callee in the row, Call-ID (VOS3000's flowno) in its expansion.
      const copies = await page.evaluate(() => {
        const tr = document.querySelector('#drill-table tr.call[data-index="0"]');
        const raw = document.getElementById('drill-raw-0');
        const c = (e) => e && [e.dataset.copy, e.getAttribute('aria-label')];
        return [c(tr.querySelector('[data-col="caller"] button.copy')), c(tr.querySelector('[data-col="callee"] button.copy')),
          c([...raw.querySelectorAll('button.copy')].find((x) => x.getAttribute('aria-label').includes('Call-ID')))];
      });
      assert.deepEqual(copies, [['2455096001', 'Copy Caller'], ['8804694738104', 'Copy Callee'], ['330455001', 'Copy Call-ID']]);
      if (browser === 'chromium') await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
      await page.click('#drill-table tr.call[data-index="0"] [data-col="callee"] button.copy');
      await waitUntil(page, () => document.querySelector('#drill-table tr.call[data-index="0"] [data-col="callee"] button.copy').dataset.copied);
      assert.equal(await page.evaluate(() => document.querySelector('#drill-table tr.call[data-index="0"] [data-col="callee"] button.copy').dataset.copied), 'true');
      assert.equal(await page.evaluate(() => document.getElementById('drill-copied').textContent), 'Copied');
      if (browser === 'chromium') assert.equal(await page.evaluate(() => navigator.clipboard.readText()), '8804694738104');

      // Expanding the first row shows the line as it is in the file, with its file and line.
      const expand = '#drill-table tr.call[data-index="0"] [data-action="drill-expand"]';
      assert.equal(await page.evaluate(() => document.getElementById('drill-raw-0').hidden), true);
      await page.click(expand);
      const shown = await page.evaluate(() => {
        const r = document.getElementById('drill-raw-0');
        return [r.hidden, document.querySelector('#drill-table tr.call[data-index="0"] [data-action="drill-expand"]').getAttribute('aria-expanded'),
          r.querySelector('.raw-where').textContent, r.querySelector('.raw').textContent];
      });
      assert.deepEqual(shown, [false, 'true', 'vos3000_cdr_en.csv:2', LINES[1]]);

      // Sorting by talk: ascending, then descending by keyboard, over all 471 calls of the
      // gateway (not only the page on screen); ties keep the file's order.
      const byTalk = (desc) => GATEWAY_ROWS.map(([n, f], i) => [n, Number(f[col('holdtime')]), i])
        .sort((a, c) => (desc ? c[1] - a[1] : a[1] - c[1]) || a[2] - c[2]).map(([n]) => n).slice(0, 50);
      const firstLine = (want) => waitUntil(page, (w) => Number(document.querySelector('#drill-table tbody tr.call')?.dataset.line) === w, want);
      await page.click('#drill-table [data-action="drill-sort"][data-key="talk"]');
      await firstLine(byTalk(false)[0]);
      rows = await callRows(page);
      assert.deepEqual(rows.map((r) => r.line), byTalk(false));
      assert.equal(await page.evaluate(() => document.querySelector('#drill-table th[data-col="talk"]').getAttribute('aria-sort')), 'ascending');
      await waitUntil(page, () => document.activeElement?.dataset?.key === 'talk');
      await page.keyboard.press('Enter');
      await waitUntil(page, () => document.querySelector('#drill-table th[data-col="talk"]').getAttribute('aria-sort') === 'descending');
      await firstLine(byTalk(true)[0]);
      rows = await callRows(page);
      assert.deepEqual(rows.map((r) => r.line), byTalk(true));
      assert.equal(rows[0].cells.talk, `${Number(GATEWAY_ROWS.find(([n]) => n === rows[0].line)[1][col('holdtime')]).toLocaleString('en-US')} s`);
      assert.equal(await page.evaluate(() => document.querySelectorAll('#drill-table th[aria-sort]').length), 1);
      assert.equal(await page.evaluate(() => document.activeElement.dataset.key), 'talk', 'focus stays on the header');
      // Caller and callee are not in the store: they sort the page on screen.
      await page.click('#drill-table [data-action="drill-sort"][data-key="callee"]');
      rows = await callRows(page);
      const callees = rows.map((r) => r.cells.callee);
      assert.deepEqual(callees, [...callees].sort());
      assert.deepEqual(rows.map((r) => r.line).sort((a, c) => a - c), byTalk(true).sort((a, c) => a - c));
      await page.evaluate(() => document.getElementById('drill').scrollIntoView());
      await page.screenshot({ path: screenshotPath(`drill-calls-1366-${browser}.png`) });

      // The calls CSV (the page's filter: every call) has caller, callee and call_id.
      await page.evaluate(() => {
        window.__csv = [];
        const create = URL.createObjectURL;
        URL.createObjectURL = (blob) => { window.__csv.push(blob.text()); return create.call(URL, blob); };
      });
      await page.click('#export-calls');
      await waitUntil(page, () => window.__csv.length > 0);
      const csv = (await page.evaluate(() => window.__csv[0])).trim().split('\n');
      assert.equal(csv.length, 1 + 2000);
      assert.equal(csv[0], 'file,line,time,egress_gateway,ingress_gateway,destination,code,code_label,answered,talk_s,pdd_ms,end_direction,outcome,caller,callee,call_id,fee');
      assert.equal(csv[1], 'vos3000_cdr_en.csv,2,2025-03-10 00:02:06,GW_SG_CHEAP,CUST_BRAVO,880,-9,Caller hung up,yes,2,4962,caller,answered,2455096001,8804694738104,330455001,0.0030');
      // Every row's caller, callee and Call-ID are its line's callere164, calleeaccesse164, flowno.
      for (const l of csv.slice(1)) {
        const f = l.split(',');
        const src = LINES[Number(f[1]) - 1].split(',');
        assert.deepEqual(f.slice(13, 16), [src[col('callere164')], src[col('calleeaccesse164')], src[col('flowno')]], l);
      }
      assert.deepEqual(errors, []);
    } finally {
      await b.close();
    }
  });

  test(`${browser}: at 390 px the row keeps time, callee, outcome and talk; its expansion has the rest and the copy buttons`, { skip, timeout: 120000 }, async () => {
    const b = await launchBrowser(browser);
    try {
      const { page, errors } = await drilled(b, 390);
      const visible = () => page.evaluate(() => [...document.querySelectorAll('#drill-table thead th[data-col]')]
        .filter((th) => getComputedStyle(th).display !== 'none').map((th) => th.dataset.col));
      assert.deepEqual(await visible(), ['time', 'callee', 'outcome', 'talk']);
      const shownCopies = () => page.evaluate(() => [...document.querySelectorAll('#drill-table tr.call[data-index="0"] button.copy, #drill-raw-0 button.copy')]
        .filter((e) => getComputedStyle(e).display !== 'none' && e.offsetParent !== null).map((e) => e.dataset.copy));
      await page.click('#drill-table tr.call[data-index="0"] [data-action="drill-expand"]');
      const detail = await page.evaluate(() => [...document.querySelectorAll('#drill-raw-0 .call-detail dd')]
        .filter((dd) => getComputedStyle(dd).display !== 'none').map((dd) => (dd.querySelector('.copy-text') || dd).textContent));
      assert.deepEqual(detail, ['vos3000_cdr_en.csv:2', '330455001', '2455096001', '8804694738104', 'CUST_BRAVO', 'GW_SG_CHEAP', '880', '-9 Caller hung up', '4.96 s', '0.0030']);
      assert.deepEqual(await shownCopies(), ['330455001', '2455096001', '8804694738104']);
      // Nothing sticks out sideways: the table fits its scrolling region.
      const [scrollW, clientW] = await page.evaluate(() => {
        const s = document.querySelector('#drill .table-scroll');
        return [s.scrollWidth, s.clientWidth];
      });
      assert.ok(scrollW <= clientW + 1, `${scrollW} > ${clientW}`);
      await page.evaluate(() => document.getElementById('drill').scrollIntoView());
      await page.screenshot({ path: screenshotPath(`drill-calls-390-${browser}.png`) });
      // In Spanish too (longer words): the same columns, still no sideways scrolling.
      await page.evaluate(() => {
        const l = document.getElementById('lang');
        l.value = 'es';
        l.dispatchEvent(new Event('change', { bubbles: true }));
      });
      await waitUntil(page, () => document.querySelector('#drill-table th[data-col="talk"]')?.textContent === 'Duración');
      assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('#drill-table thead th[data-col]')]
        .filter((th) => getComputedStyle(th).display !== 'none').map((th) => th.textContent)), ['Hora', 'Llamado', 'Resultado', 'Duración']);
      assert.equal(await page.evaluate(() => document.querySelector('#drill-table tr.call[data-index="0"] td[data-col="outcome"]').textContent), 'contestada');
      // The expanded row's code label is the reference's Spanish title, the fee has the decimal comma.
      if (!await page.evaluate(() => document.querySelector('#drill-raw-0')?.offsetParent)) {
        await page.click('#drill-table tr.call[data-index="0"] [data-action="drill-expand"]');
      }
      const esDetail = await page.evaluate(() => [...document.querySelectorAll('#drill-raw-0 .call-detail dd')]
        .map((dd) => (dd.querySelector('.copy-text') || dd).textContent));
      assert.ok(esDetail.includes('-9 El llamante colgó') && esDetail.includes('0,0030'), esDetail.join(' | '));
      const [w, cw] = await page.evaluate(() => {
        const s = document.querySelector('#drill .table-scroll');
        return [s.scrollWidth, s.clientWidth];
      });
      assert.ok(w <= cw + 1, `es: ${w} > ${cw}`);
      await page.screenshot({ path: screenshotPath(`drill-calls-390-es-${browser}.png`) });
      assert.deepEqual(errors, []);
    } finally {
      await b.close();
    }
  });
}
