// A large file is read in parts by several workers (line-aligned parts planned by the core,
// src/web/part.rs over src/ingest/plan.rs; www/worker.js moves the bytes): the page's summary
// equals the CLI's and the one-worker read, for 2, 3 and 4 parts, with a quoted field spanning a
// cut (the worker whose part ends inside it reads on alone), and in the single-file build from
// file://.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serveDist, launch, cliReport, DIST, FIXTURES, ROOT } from './helpers.mjs';

let server; let browser; let dir;
const MB = 1 << 20;

/** The VOS3000 fixture's rows repeated to about `mb` MB, every 997th row with a bad holdtime
 *  (rejected) and every 1009th with a callee in scientific notation (noted); `quoted` puts a
 *  row whose quoted softswitchname spans 40 lines of 2 KB right across the cut (47 % of the file). */
function bigFile(name, mb, quoted) {
  const text = fs.readFileSync(path.join(FIXTURES, 'vos3000_cdr_en.csv'), 'utf8');
  const [header, ...rows] = text.split('\n').filter((l) => l.length > 0);
  const out = [header];
  let size = header.length + 2, k = 0;
  while (size < mb * MB) {
    for (const row of rows) {
      const f = row.split(',');
      if (k % 997 === 5) f[23] = 'abc';
      if (k % 1009 === 7) f[3] = '8.80469E+12';
      f[41] = `${f[41]}${Math.floor(k / rows.length)}`;
      const line = f.join(',');
      out.push(line);
      size += line.length + 2;
      k += 1;
    }
  }
  if (quoted) {
    // The quoted field adds about 80 KB: the cut (47 % of the new size) falls about 40 KB into it.
    let at = 0, i = 0;
    while (at < size * 0.47 - 2000) { at += out[i].length + 2; i += 1; }
    assert.ok(out[i].includes(',softswitch,'), out[i]);
    out[i] = out[i].replace(',softswitch,', `,"soft${`${'x'.repeat(2000)}\n`.repeat(40)}switch",`);
  }
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${out.join('\r\n')}\r\n`);
  return file;
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdrscope-parts-'));
  server = await serveDist();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The parts of a summary that must equal the CLI's. */
function comparable(s) {
  const { overall, by_code, by_egress_gateway, by_ingress_gateway, by_destination, rows, format, encoding, rejects_total, notes_total } = s;
  return { overall, by_code, by_egress_gateway, by_ingress_gateway, by_destination, rows, format, encoding, rejects_total, notes_total,
    rejects: s.rejects.slice(0, 50).map((r) => [r.line, r.offset, r.reason]),
    notes: s.notes.slice(0, 50).map((r) => [r.line, r.offset, r.reason]) };
}

/** Loads `file` through the page's file input; returns the summary and the worker's split stats. */
async function loadBig(page, file) {
  await page.setInputFiles('#file-input', file);
  await page.waitForSelector('#dashboard:not([hidden])[data-state="done"]', { timeout: 180000 });
  const summary = await page.evaluate(() => window.cdrscope.summary());
  let stats = null;
  for (const w of page.workers()) {
    const s = await w.evaluate(() => self.cdrscopeLastLoad || null).catch(() => null);
    if (s) stats = s;
  }
  return { summary, stats };
}

/** Opens the page; `cores` given: the page sees that many cores and decides the split itself;
 *  `force` given ({ split, splitMin }): `window.cdrscopeSplit` and `cdrscopeSplitMin` set so. */
async function open(url, cores, force) {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  if (force) {
    await page.addInitScript((f) => {
      window.cdrscopeSplit = f.split;
      if (f.splitMin) window.cdrscopeSplitMin = f.splitMin;
      if (f.fail) window.cdrscopePartFail = f.fail;
    }, force);
  } else if (cores === undefined) {
    // This machine has two cores, where the page reads with one worker: the split is forced.
    await page.addInitScript(() => { window.cdrscopeSplit = true; });
  } else {
    await page.addInitScript((n) => { Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => n }); }, cores);
  }
  await page.goto(url);
  await page.waitForFunction(() => window.cdrscope && document.getElementById('drop-zone').dataset.ready === 'true', null, { timeout: 30000 });
  return { page, errors };
}

test('a 40 MB file is read by two workers and the summary equals the CLI', async () => {
  const file = bigFile('big.csv', 40, false);
  const cli = cliReport(file);
  assert.equal(cli.unsupported, undefined);
  const { page, errors } = await open(server.url);
  const { summary, stats } = await loadBig(page, file);
  assert.equal(stats.split, true, JSON.stringify(stats));
  assert.equal(stats.fallback, false, JSON.stringify(stats));
  // The line start after 47 % of the file (the first worker also computes the partial summaries).
  const bytes = fs.readFileSync(file);
  const at = Math.floor(bytes.length * 47 / 100);
  assert.equal(stats.cut, bytes.indexOf(10, at) + 1);
  assert.deepEqual(comparable(summary), comparable(cli));
  // 2000 fixture rows × 50 copies; rejects every 997th row; both halves have some.
  assert.equal(summary.rows.data, cli.rows.data);
  assert.ok(summary.rejects_total > 90, `rejects ${summary.rejects_total}`);
  assert.ok(summary.rejects.some((r) => r.offset > stats.cut), 'a reject from the second half');
  assert.ok(summary.rejects.some((r) => r.offset < stats.cut), 'a reject from the first half');
  assert.deepEqual(errors, []);
  await page.close();
});

test('left to itself, the page splits only with more than two cores; both ways equal the CLI', async () => {
  const file = bigFile('big.csv', 40, false);
  const cli = cliReport(file);
  for (const [cores, split] of [[2, false], [4, true]]) {
    const { page, errors } = await open(server.url, cores);
    assert.equal(await page.evaluate(() => navigator.hardwareConcurrency), cores);
    const { summary, stats } = await loadBig(page, file);
    assert.equal(stats.split, split, `${cores} cores: ${JSON.stringify(stats)}`);
    assert.deepEqual(comparable(summary), comparable(cli));
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('a quoted field spanning the cut: the first worker reads on alone, same summary as the CLI', async () => {
  const file = bigFile('quoted.csv', 40, true);
  const cli = cliReport(file);
  const { page, errors } = await open(server.url);
  const { summary, stats } = await loadBig(page, file);
  assert.equal(stats.split, true, JSON.stringify(stats));
  assert.equal(stats.fallback, true, JSON.stringify(stats));
  assert.equal(stats.reason, 'a quoted field spans the cut');
  assert.deepEqual(comparable(summary), comparable(cli));
  assert.ok(summary.by_code.length > 3);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the single-file build from file:// splits too and equals the CLI', async () => {
  const single = path.join(DIST, 'cdrscope.html');
  assert.ok(fs.existsSync(single), 'run node scripts/build-single.mjs first');
  const file = fs.existsSync(path.join(dir, 'big.csv')) ? path.join(dir, 'big.csv') : bigFile('big.csv', 40, false);
  const cli = cliReport(file);
  const { page, errors } = await open(`file://${single}`);
  const { summary, stats } = await loadBig(page, file);
  assert.equal(stats.split, true, JSON.stringify(stats));
  assert.equal(stats.fallback, false, JSON.stringify(stats));
  assert.deepEqual(comparable(summary), comparable(cli));
  assert.deepEqual(errors, []);
  await page.close();
});

test('Cancel during a two-worker read stops both workers; the next load is complete', async () => {
  // 160 MB: a 40 MB file can be read completely before the Cancel click lands (0.7 s on an idle machine).
  const file = bigFile('big160.csv', 160, false);
  const cli = cliReport(file);
  const { page, errors } = await open(server.url);
  await page.setInputFiles('#file-input', file);
  // Wait until the main worker has started the second one, then cancel.
  let split = false;
  for (let i = 0; i < 400 && !split; i += 1) {
    for (const w of page.workers()) {
      const s = await w.evaluate(() => self.cdrscopeLastLoad || null).catch(() => null);
      if (s && s.split) split = true;
    }
    if (!split) await new Promise((r) => setTimeout(r, 25));
  }
  assert.ok(split, 'the second worker was started');
  const during = page.workers().length;
  assert.equal(during, 2, 'the page sees both workers');
  await page.click('#btn-cancel');
  await page.waitForSelector('#progress[hidden]', { state: 'attached' });
  assert.equal(await page.textContent('#status'), 'Analysis cancelled.');
  // The second worker is terminated: only the page's worker is left.
  for (let i = 0; i < 100 && page.workers().length > 1; i += 1) await new Promise((r) => setTimeout(r, 50));
  assert.equal(page.workers().length, 1, `workers: ${during} while reading, ${page.workers().length} after Cancel`);
  const { summary } = await loadBig(page, file);
  assert.deepEqual(comparable(summary), comparable(cli));
  assert.deepEqual(errors, []);
  await page.close();
});

test('two files, the first split: calls of its second half are found again as duplicates in the next file', async () => {
  const file = fs.existsSync(path.join(dir, 'big.csv')) ? path.join(dir, 'big.csv') : bigFile('big.csv', 40, false);
  const again = path.join(dir, 'big_again.csv');
  fs.copyFileSync(file, again);
  const cli = JSON.parse(execFileSync(path.join(ROOT, 'target/release/cdrscope'), ['report', '--json', file, again], { encoding: 'utf8', maxBuffer: 1 << 28 }));
  const { page, errors } = await open(server.url);
  await page.setInputFiles('#file-input', [file, again]);
  await page.waitForSelector('#dashboard:not([hidden])[data-state="done"]', { timeout: 180000 });
  const summary = await page.evaluate(() => window.cdrscope.summary());
  let stats = null;
  for (const w of page.workers()) stats = (await w.evaluate(() => self.cdrscopeLastLoad || null).catch(() => null)) || stats;
  assert.equal(stats.split, true, JSON.stringify(stats));
  assert.equal(summary.rows.duplicates, summary.rows.accepted / 2);
  assert.equal(summary.overall.attempts, summary.rows.accepted / 2);
  assert.deepEqual(comparable(summary), comparable(cli));
  assert.deepEqual(errors, []);
  await page.close();
});

/** The numbers that must not move with the number of parts, exact. */
function kpis(s) {
  return { attempts: s.overall.attempts, answered: s.overall.answered, data: s.rows.data, accepted: s.rows.accepted,
    rejected: s.rows.rejected, duplicates: s.rows.duplicates, rejects_total: s.rejects_total, notes_total: s.notes_total,
    gateways: s.by_egress_gateway.map((g) => [g.name, g.attempts, g.answered]) };
}

test('2, 3 and 4 parts (forced, threshold lowered) equal the one-worker read and the CLI, exactly', async () => {
  const file = bigFile('six.csv', 6, false);
  const cli = cliReport(file);
  const one = await open(server.url, undefined, { split: false });
  const { summary: alone, stats: aloneStats } = await loadBig(one.page, file);
  assert.equal(aloneStats.split, false, JSON.stringify(aloneStats));
  assert.deepEqual(comparable(alone), comparable(cli));
  assert.deepEqual(one.errors, []);
  await one.page.close();
  assert.ok(alone.overall.attempts > 10000 && alone.rows.rejected > 10, JSON.stringify(kpis(alone)));
  for (const n of [2, 3, 4]) {
    const { page, errors } = await open(server.url, undefined, { split: n, splitMin: 1 << 20 });
    const { summary, stats } = await loadBig(page, file);
    assert.equal(stats.split, true, JSON.stringify(stats));
    assert.equal(stats.parts, n, JSON.stringify(stats));
    assert.equal(stats.cuts.length, n + 1, JSON.stringify(stats));
    assert.equal(stats.fallback, false, JSON.stringify(stats));
    assert.deepEqual(kpis(summary), kpis(alone), `${n} parts`);
    assert.deepEqual(comparable(summary), comparable(alone), `${n} parts`);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('3 parts, a quoted multi-line field across the second cut: that part reads on, same result', async () => {
  const plainFile = fs.existsSync(path.join(dir, 'six.csv')) ? path.join(dir, 'six.csv') : bigFile('six.csv', 6, false);
  const probe = await open(server.url, undefined, { split: 3, splitMin: 1 << 20 });
  const { stats: probeStats } = await loadBig(probe.page, plainFile);
  await probe.page.close();
  assert.equal(probeStats.parts, 3, JSON.stringify(probeStats));
  // The row that ends at the second cut gets a quoted device name with 20,000 bytes and a newline:
  // the cut target (moved by less than what is added) stays before that newline, which becomes the cut.
  const bytes = fs.readFileSync(plainFile);
  const cut = probeStats.cuts[2];
  const rowStart = bytes.lastIndexOf(10, cut - 2) + 1;
  const row = bytes.subarray(rowStart, cut).toString('latin1');
  assert.ok(row.includes(',softswitch,'), row);
  const quoted = row.replace(',softswitch,', `,"soft${'x'.repeat(20000)}\nswitch",`);
  const file = path.join(dir, 'quoted3.csv');
  fs.writeFileSync(file, Buffer.concat([bytes.subarray(0, rowStart), Buffer.from(quoted, 'latin1'), bytes.subarray(cut)]));
  const cli = cliReport(file);
  const one = await open(server.url, undefined, { split: false });
  const { summary: alone } = await loadBig(one.page, file);
  await one.page.close();
  assert.deepEqual(comparable(alone), comparable(cli));
  const { page, errors } = await open(server.url, undefined, { split: 3, splitMin: 1 << 20 });
  const { summary, stats } = await loadBig(page, file);
  assert.equal(stats.parts, 3, JSON.stringify(stats));
  // Part 1 (cuts[1]..cuts[2], the first part worker's) ends inside the field and reads on; part 2 is dropped.
  assert.equal(stats.readOn, 1, JSON.stringify(stats));
  assert.equal(stats.fallback, false, JSON.stringify(stats));
  assert.deepEqual(kpis(summary), kpis(alone));
  assert.deepEqual(comparable(summary), comparable(alone));
  assert.deepEqual(errors, []);
  await page.close();
});

test('a part worker that fails: the rest is read by the first worker from that part on, same result', async () => {
  const file = fs.existsSync(path.join(dir, 'six.csv')) ? path.join(dir, 'six.csv') : bigFile('six.csv', 6, false);
  const one = await open(server.url, undefined, { split: false });
  const { summary: alone } = await loadBig(one.page, file);
  await one.page.close();
  for (const fail of [1, 2]) {
    const { page, errors } = await open(server.url, undefined, { split: 4, splitMin: 1 << 20, fail });
    const { summary, stats } = await loadBig(page, file);
    assert.equal(stats.parts, 4, JSON.stringify(stats));
    assert.equal(stats.fallback, true, JSON.stringify(stats));
    assert.match(stats.reason, /failed for a test/);
    assert.deepEqual(kpis(summary), kpis(alone), `part ${fail} failed`);
    assert.deepEqual(comparable(summary), comparable(alone), `part ${fail} failed`);
    assert.deepEqual(errors, []);
    await page.close();
  }
});
