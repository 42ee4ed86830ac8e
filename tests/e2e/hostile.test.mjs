// Hostile input, round two (issue 22), in the page: bombs give the right result or one message
// naming the file and the reason, the worker's memory stays bounded, Cancel stops a busy
// worker, a worker failure names its step, long lists are capped, hidden characters are shown
// escaped. Inputs are generated into a temporary folder (tests/e2e/hostile-gen.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { serveDist, launch, freshPage, waitLoaded, kpis } from './helpers.mjs';
import * as gen from './hostile-gen.mjs';

let server; let browser; let dir;
before(async () => {
  server = await serveDist(); browser = await launch();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdrscope-hostile-'));
});
after(async () => {
  await browser?.close(); await server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes `data` to a file of the test folder and returns its path. */
function file(name, data) {
  const p = path.join(dir, name);
  fs.writeFileSync(p, data);
  return p;
}

/** The largest wasm memory of the page's workers, in MiB (it never shrinks: the peak). */
async function wasmMiB(page) {
  let most = 0;
  for (const w of page.workers()) {
    const b = await w.evaluate(() => (self.cdrscopeMemory ? self.cdrscopeMemory.buffer.byteLength : 0)).catch(() => 0);
    most = Math.max(most, b);
  }
  return most / 1048576;
}

/** Opens `files` with the file picker (paths: no copy through the test protocol). */
async function open(page, files) {
  await page.setInputFiles('#file-input', files);
}

async function errorText(page) {
  await page.waitForSelector('#error:not([hidden])', { timeout: 60000 });
  return page.textContent('#error');
}

test('a 60 MiB line: its rejected row shows its start and how much more, and the page stays usable', async () => {
  const p = path.join(dir, 'long_line.csv');
  const fd = fs.openSync(p, 'w');
  fs.writeSync(fd, gen.csv(3));
  fs.writeSync(fd, Buffer.alloc(60 << 20, 'x'));
  fs.writeSync(fd, `\n${gen.row(4, 'GW_A')}\n`);
  fs.closeSync(fd);
  const { page, errors } = await freshPage(browser, server.url);
  await open(page, p);
  await waitLoaded(page);
  assert.deepEqual([(await kpis(page)).attempts, await page.getAttribute('#rejects', 'data-total')], [4, '1']);
  // The row was read back whole before (a 50 MB row froze the tab 13 s; 500 MB crashed it).
  const t0 = Date.now();
  const cell = await page.waitForSelector('#rejects-table tr[data-line="5"] td.raw:has-text("(+")');
  const text = await cell.textContent();
  assert.ok(Date.now() - t0 < 10000, `${Date.now() - t0} ms`);
  assert.equal(text, `${'x'.repeat(4096)} … (+${(60 << 20) - 4096} bytes)`);
  assert.ok(await wasmMiB(page) < 256, `${await wasmMiB(page)} MiB`);
  await page.click('#btn-demo');
  await page.waitForFunction(() => window.cdrscope.summary()?.rows?.accepted === 2000);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a gzip of 2 GiB of zeros is refused at once with the file named; the worker stays small', async () => {
  const p = path.join(dir, 'zeros.csv.gz');
  gen.gzipZeros(p, 2048);
  const { page, errors } = await freshPage(browser, server.url);
  await open(page, p);
  const text = await errorText(page);
  assert.ok(text.includes('zeros.csv.gz: this is a binary file, not a CSV/text CDR export'), text);
  // Every 1 MB chunk was inflated whole before (about 1 GB each): the worker panicked at 2.1 GB.
  assert.ok(await wasmMiB(page) < 128, `${await wasmMiB(page)} MiB`);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a gzip of rows past the page's call cap keeps what it read and says why it stopped", async () => {
  const p = file('rows.csv.gz', zlib.gzipSync(gen.csv(20000)));
  const { page, errors } = await freshPage(browser, server.url);
  await page.evaluate(() => { window.cdrscopeMaxCalls = 5000; });
  await open(page, p);
  await waitLoaded(page);
  const s = await page.evaluate(() => window.cdrscope.summary());
  assert.ok(s.rows.accepted >= 5000 && s.rows.accepted < 20000, `${s.rows.accepted}`);
  assert.equal(s.rows.data, s.rows.accepted + s.rows.rejected);
  const text = await errorText(page);
  assert.ok(text.includes('rows.csv.gz: stopped after 5000 calls, the most this page holds'), text);
  assert.deepEqual(errors, []);
  await page.close();
});

test('JSON with a 64 MiB string: the record is rejected, the rest read, memory bounded', async () => {
  const p = path.join(dir, 'long_string.json');
  gen.jsonHugeString(p, 100, 64);
  const { page, errors } = await freshPage(browser, server.url);
  await open(page, p);
  await waitLoaded(page);
  const s = await page.evaluate(() => window.cdrscope.summary());
  assert.deepEqual([s.rows.accepted, s.rows.rejected], [100, 1]);
  assert.equal(s.rejects[0].reason, 'row longer than 1048576 bytes');
  // The JSON was collected whole and parsed into values before (a panic in the page).
  assert.ok(await wasmMiB(page) < 128, `${await wasmMiB(page)} MiB`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Excel bombs: shared strings past the cap refused, a 64 MiB cell and XFD cells reject their rows', async () => {
  const { page, errors } = await freshPage(browser, server.url);
  await open(page, file('shared.xlsx', await gen.xlsxSharedBomb(300, 5)));
  const text = await errorText(page);
  assert.ok(text.includes("shared.xlsx: the workbook's shared strings hold more than 256 MiB of text"), text);
  // The strings held up to the cap (the file was 3.4 GB of memory natively before).
  assert.ok(await wasmMiB(page) < 700, `${await wasmMiB(page)} MiB`);
  await open(page, file('cell.xlsx', await gen.xlsxHugeCell(100, 64)));
  await waitLoaded(page);
  let s = await page.evaluate(() => window.cdrscope.summary());
  assert.deepEqual([s.rows.accepted, s.rows.rejected], [100, 1]);
  assert.equal(s.rejects[0].line, 102);
  await open(page, file('far.xlsx', await gen.xlsxFarColumn(2000)));
  // Not done after 3 minutes before.
  await page.waitForFunction(() => window.cdrscope.summary()?.files?.[0]?.name === 'far.xlsx'
    && document.getElementById('dashboard').dataset.state !== 'loading', null, { timeout: 60000 });
  s = await page.evaluate(() => window.cdrscope.summary());
  assert.deepEqual([s.rows.accepted, s.rows.rejected], [0, 2000]);
  assert.equal(s.rejects[0].reason, 'row has more than 4096 fields');
  assert.deepEqual(errors, []);
  await page.close();
});

test('Cancel stops a worker busy inside one file, says so, and the page works again', async () => {
  const p = file('busy.xlsx', await gen.xlsxSharedBomb(300, 5));
  const { page, errors } = await freshPage(browser, server.url);
  await open(page, p);
  await page.waitForSelector('#progress:not([hidden])');
  await page.waitForTimeout(300);
  const t0 = Date.now();
  await page.click('#btn-cancel');
  // Before, the message waited in the busy worker's queue until the file was done.
  await page.waitForFunction(() => document.getElementById('status').textContent === 'Analysis cancelled.');
  assert.ok(Date.now() - t0 < 2000, `${Date.now() - t0} ms`);
  assert.equal(await page.getAttribute('#dashboard', 'data-state'), 'cancelled');
  await page.click('#btn-demo');
  await waitLoaded(page);
  assert.equal((await kpis(page)).attempts, 2000);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a worker failure names the step; a panic replaces the worker and says the analysis was reset', async () => {
  const { page, errors } = await freshPage(browser, server.url);
  await page.click('#btn-demo');
  await waitLoaded(page);
  const [worker] = page.workers();
  // A request the handle refuses: an error naming the step, the worker kept.
  await worker.evaluate(() => self.onmessage({ data: { type: 'rows', job: 0, filter: 5 } }));
  let text = await errorText(page);
  assert.ok(text.startsWith('reading the drill-down rows: '), text);
  // The same after a panic (the hook leaves its message where the worker finds it): the page
  // replaces the worker and says so, instead of "unreachable".
  await worker.evaluate(() => {
    self.cdrscopePanic = 'panicked at src/x.rs:1:1:\nboom';
    self.onmessage({ data: { type: 'rows', job: 0, filter: 5 } });
  });
  await page.waitForFunction(() => document.getElementById('error').textContent.includes('boom'));
  text = await page.textContent('#error');
  assert.equal(text, 'reading the drill-down rows: panicked at src/x.rs:1:1:\\x0aboom. The analysis was reset; drop the files again to start over.');
  assert.equal(await page.isHidden('#dashboard'), true);
  await page.click('#btn-demo');
  await waitLoaded(page);
  assert.equal((await kpis(page)).attempts, 2000);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the files table, the error line and the filter selects are capped, with a search', async () => {
  // 1,000 zip entries, every 200th with rows, the others empty (800,000 DOM nodes before).
  const entries = [];
  for (let i = 0; i < 1000; i += 1) {
    const body = i % 200 === 0 ? gen.csv(3, () => `GW_${i}`).replace(/^(\d+),/gm, (m, n) => `${i * 10 + Number(n)},`) : '';
    entries.push([`e${String(i).padStart(4, '0')}.csv`, [body]]);
  }
  const { page, errors } = await freshPage(browser, server.url);
  await open(page, file('entries.zip', await gen.zip(entries)));
  await waitLoaded(page);
  assert.equal(await page.$$eval('#files-table tbody tr[data-file]', (r) => r.length), 200);
  assert.equal(await page.getAttribute('#files-table tr[data-more]', 'data-more'), '800');
  await page.fill('#files-search', 'e0999');
  assert.deepEqual(await page.$$eval('#files-table tbody tr[data-file]', (r) => r.map((x) => x.dataset.file)), ['entries.zip/e0999.csv']);
  const text = await page.textContent('#error');
  assert.equal(text.split(' · ').length, 6, text);
  assert.ok(text.endsWith('… 990 more files with an error: see the files table'), text);
  // 1,000 gateways: 300 options and a search.
  const gws = file('gateways.csv', gen.csv(1000, (i) => `GW_${String(i).padStart(4, '0')}`));
  await open(page, gws);
  await page.waitForFunction(() => window.cdrscope.summary()?.files?.[0]?.name === 'gateways.csv' && document.getElementById('dashboard').dataset.state === 'done');
  assert.equal(await page.$$eval('#filter-egress option', (o) => o.length), 302);
  assert.equal(await page.getAttribute('#filter-egress option[data-more]', 'data-more'), '700');
  await page.fill('#filter-search-egress', 'GW_0999');
  assert.deepEqual(await page.$$eval('#filter-egress option', (o) => o.map((x) => x.value)), ['', 'GW_0999']);
  await page.selectOption('#filter-egress', 'GW_0999');
  await page.waitForFunction(() => window.cdrscope.summary()?.overall?.attempts === 1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('bidi overrides and control characters are shown escaped; the gateway chart draws; full-width ＝ is neutralised', async () => {
  const names = ['GW\u202E684', 'GW\u0007\u001b[2J', '＝1+1'];
  const p = file('hidden.csv', gen.csv(3, (i) => names[i - 1]));
  const { page, errors } = await freshPage(browser, server.url);
  await open(page, p);
  await waitLoaded(page);
  const cells = await page.$$eval('#table-egress tr[data-name] th.name', (t) => t.map((x) => x.textContent));
  assert.ok(cells.includes('GW\\u{202e}684'), cells.join(' | '));
  assert.ok(cells.includes('GW\\x07\\x1b[2J'), cells.join(' | '));
  const body = await page.textContent('body');
  assert.ok(!/[\u202E\u0007\u001b]/.test(body), 'a hidden character reached the page');
  // A control character made the SVG invalid XML: the chart was missing.
  assert.ok(await page.$('figure[data-chart="gateways"] svg'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-calls')]);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  assert.ok(csv.includes("'＝1+1"), csv);
  assert.deepEqual(errors, []);
  await page.close();
});

test('70,000 gateways: the names past the 16-bit ids share one bucket that says how many, and the page works', async () => {
  // 65,534 distinct gateway names once panicked the worker ("unreachable").
  const { page, errors } = await freshPage(browser, server.url);
  await open(page, file('many-gateways.csv', gen.csv(70000, (i) => `GW${i}`)));
  await waitLoaded(page);
  assert.equal(await page.evaluate(() => window.cdrscope.summary().overall.attempts), 70000);
  await page.fill('#filter-search-egress', '(other names');
  assert.deepEqual(await page.$$eval('#filter-egress option', (o) => o.map((x) => x.value)), ['', '(other names: 4466 more)']);
  await page.selectOption('#filter-egress', '(other names: 4466 more)');
  await page.waitForFunction(() => window.cdrscope.summary()?.overall?.attempts === 4466);
  assert.deepEqual(errors, []);
  await page.close();
});
