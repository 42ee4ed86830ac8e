// The concurrency chart and the two-file compare in headless Chromium. Two generated VOS3000
// days: on the first, GW_B refuses with 503 whenever it carries 30 calls (a channel limit); on the
// second, GW_A answers 408 to a third of its attempts. The first file is dropped on the page: the
// chart's peak and p95 labels equal `cdrscope report --json` (load.overall), and the limit's refusals
// are in its key. The second file is dropped on the compare panel: the table's attempts and ASR
// before → after equal `cdrscope compare FIRST SECOND --json`. Screenshots at 1366 and 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serveDist, screenshotPath, ROOT } from './helpers.mjs';
import { launchBrowser, openReady, waitUntil } from './page-driver.mjs';

const DAY = 86400000;
const T0 = 1741564800000; // 2025-03-10 00:00:00 UTC

/** Two hours of traffic from `t0` as VOS3000 CSV; `fault(row, k)` may change a GW_A row. */
function day(t0, seed, { limitB = 0, breakA = false } = {}) {
  let x = seed;
  const rnd = () => { x = (x * 1103515245 + 12345) % 2147483648; return x / 2147483648; };
  const rows = [];
  for (let t = 0; t < 2 * 3600; t += 1) {
    const gw = rnd() < 0.5 ? 'GW_B' : (rnd() < 0.5 ? 'GW_A' : 'GW_C');
    const u = rnd();
    const [code, hold, pdd] = u < 0.55 ? ['-8', 20 + Math.floor(rnd() * 140), 1000 + Math.floor(rnd() * 3000)]
      : u < 0.65 ? ['486', 0, 1500] : u < 0.85 ? ['480', 0, 20000] : ['487', 0, 5000];
    const dest = ['008613', '004420', '001212'][Math.floor(rnd() * 3)];
    rows.push({ gw, code, hold, pdd, start: t0 + t * 1000 + Math.floor(rnd() * 1000), dest, caller: Math.floor(rnd() * 1e8), callee: Math.floor(rnd() * 1e7), cust: `CUST_${'ABCD'[t % 4]}` });
  }
  if (limitB) {
    // GW_B's channel limit: an attempt while it carries `limitB` calls is refused at once.
    const ends = [];
    for (const r of rows.filter((r) => r.gw === 'GW_B')) {
      for (let i = ends.length - 1; i >= 0; i -= 1) if (ends[i] <= r.start) ends.splice(i, 1);
      if (ends.length >= limitB) Object.assign(r, { code: '503', hold: 0, pdd: 0 });
      else if (r.code === '-8' || r.hold > 0 || r.pdd > 0) ends.push(r.start + r.pdd + r.hold * 1000);
    }
  }
  if (breakA) {
    let a = 0;
    for (const r of rows.filter((r) => r.gw === 'GW_A')) { a += 1; if (a % 3 === 0) Object.assign(r, { code: '408', hold: 0, pdd: 0 }); }
  }
  const lines = rows.map((r) => [`55${String(r.caller).padStart(8, '0')}`, `${r.dest}${String(r.callee).padStart(7, '0')}`, r.cust, r.gw,
    r.start, r.start + r.pdd + r.hold * 1000, r.pdd, r.hold, r.code === '-8' ? 1 : 0, r.code].join(','));
  return `callere164,calleee164,callergatewayid,calleegatewayid,starttime,stoptime,callerpdd,holdtime,enddirection,endreason\n${lines.join('\n')}\n`;
}

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'cdrscope-conc-'));
const FIRST = path.join(DIR, 'monday.csv');
const SECOND = path.join(DIR, 'tuesday.csv');
fs.writeFileSync(FIRST, day(T0, 777, { limitB: 30 }));
fs.writeFileSync(SECOND, day(T0 + DAY, 778, { breakA: true }));
const BIN = ['release', 'debug'].map((p) => path.join(ROOT, 'target', p, 'cdrscope')).find((b) => fs.existsSync(b));
const cli = (args) => JSON.parse(execFileSync(BIN, args, { encoding: 'utf8', maxBuffer: 1 << 28 }));
const REPORT = BIN && cli(['report', FIRST, '--json']);
const COMPARE = BIN && cli(['compare', FIRST, SECOND, '--json']);

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); fs.rmSync(DIR, { recursive: true, force: true }); });

/** Drops `file` on the element `selector` the way a browser does (dragenter, dragover, drop). */
async function drop(page, selector, file) {
  const dt = await page.evaluateHandle((it) => {
    const dt = new DataTransfer();
    dt.items.add(new File([Uint8Array.from(atob(it.b64), (c) => c.charCodeAt(0))], it.name, { type: 'text/csv' }));
    return dt;
  }, { name: path.basename(file), b64: fs.readFileSync(file).toString('base64') });
  for (const type of ['dragenter', 'dragover', 'drop']) await page.dispatchEvent(selector, type, { dataTransfer: dt });
}

test('the CLI sees the limit and the change', { skip: !BIN && 'no cdrscope binary' }, () => {
  assert.ok(REPORT.findings.some((f) => f.rule === 'capacity_limit' && f.subject === 'GW_B'), 'no capacity finding');
  assert.equal(COMPARE.groups[0].name, 'GW_A');
});

for (const width of [1366, 390]) {
  test(`chromium ${width}: concurrency chart labels and the two-file compare equal the CLI`, { skip: !BIN && 'no cdrscope binary' }, async () => {
    const b = await launchBrowser('chromium');
    try {
      const page = await b.newPage(width, width === 390 ? 844 : 900);
      const errors = await openReady(page, server.url);
      await drop(page, '#drop-zone', FIRST);
      await waitUntil(page, () => document.getElementById('dashboard').dataset.state === 'done');
      const o = REPORT.load.overall;
      const fig = 'figure[data-chart="concurrency"]';
      const texts = await page.$$eval(`${fig} svg text`, (ts) => ts.map((t) => t.textContent.trim()));
      assert.ok(texts.includes(`peak ${o.peak_concurrent}`), texts.join(' | '));
      assert.ok(texts.includes(`p95 ${o.p95_concurrent}`), texts.join(' | '));
      const key = texts.find((t) => t.startsWith('most at once in each bucket · '));
      const refused = REPORT.findings.filter((f) => f.rule === 'capacity_limit').length;
      assert.ok(refused >= 1);
      assert.match(key, new RegExp(`^most at once in each bucket · peak ${o.peak_concurrent} · p95 ${o.p95_concurrent} +▲ refused 503 GW_B \\(\\d+\\)`));
      assert.ok(texts.includes(`attempts per second: peak ${o.peak_cps} · p95 ${o.p95_cps}`), texts.join(' | '));
      await page.$eval(fig, (e) => e.scrollIntoView({ block: 'center' }));
      await (await page.$(fig)).screenshot({ path: screenshotPath(`concurrency-chromium-${width}.png`) });
      // The second file, dropped on the compare panel, is after.
      await page.$eval('#compare', (e) => e.scrollIntoView());
      await drop(page, '#compare', SECOND);
      await waitUntil(page, () => document.getElementById('compare-result').dataset.state === 'done');
      // Dropping there did not start a new load.
      assert.equal(await page.evaluate(() => document.getElementById('dashboard').dataset.state), 'done');
      const shown = await page.evaluate(() => ({
        after: document.querySelector('#compare-result .compare-after').textContent,
        rows: [...document.querySelectorAll('#table-compare tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent)),
      }));
      assert.equal(shown.after, 'Before: monday.csv · after: tuesday.csv — 7,200 rows read, 0 rejected');
      const pct = (v) => `${(v * 100).toFixed(1)}%`;
      const dims = { egress: 'gateway', ingress: 'customer', destination: 'destination' };
      for (const g of COMPARE.groups.slice(0, 30)) {
        // A destination's name cell is its code and country: "86China" as text.
        const row = shown.rows.find((r) => r[0] === dims[g.dimension] && r[1] === g.name + (g.label || ''));
        assert.ok(row, `${g.dimension} ${g.name}`);
        assert.deepEqual(row.slice(2, 4), [`${g.before.attempts} → ${g.after.attempts}`, `${pct(g.before.asr)} → ${pct(g.after.asr)}`]);
      }
      assert.ok(shown.rows.some((r) => r[0] === 'destination' && r[1] === '86China'), JSON.stringify(shown.rows.map((r) => r[1])));
      const a = COMPARE.groups[0];
      assert.deepEqual(shown.rows[0].slice(0, 4), ['gateway', 'GW_A', `${a.before.attempts} → ${a.after.attempts}`, `${pct(a.before.asr)} → ${pct(a.after.asr)}`]);
      await (await page.$('#compare')).screenshot({ path: screenshotPath(`compare-files-chromium-${width}.png`) });
      // Narrowed to GW_B: the chart is GW_B's, its peak and p95 those of GW_B in the CLI's report.
      await page.selectOption('#filter-egress', 'GW_B');
      await waitUntil(page, () => [...document.querySelectorAll('figure[data-chart="concurrency"] svg text')]
        .some((t) => t.textContent.trim().startsWith('Concurrent calls: GW_B (')));
      await waitUntil(page, () => document.getElementById('dashboard').dataset.state === 'done');
      const gb = REPORT.load.by_egress_gateway.find((g) => g.name === 'GW_B');
      const gTexts = await page.$$eval(`${fig} svg text`, (ts) => ts.map((t) => t.textContent.trim()));
      assert.ok(gTexts.includes(`peak ${gb.peak_concurrent}`) && gTexts.includes(`p95 ${gb.p95_concurrent}`), gTexts.join(' | '));
      await page.$eval(fig, (e) => e.scrollIntoView({ block: 'center' }));
      await (await page.$(fig)).screenshot({ path: screenshotPath(`concurrency-gw-chromium-${width}.png`) });
      assert.deepEqual(errors, []);
    } finally {
      await b.close();
    }
  });
}
