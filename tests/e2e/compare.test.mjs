// Compare mode in Chromium and Firefox ESR: a generated VOS3000 day where, from 02:00, GW_A
// answers 408 to a third of its attempts and half of its traffic moves to GW_C. The page split at
// 02:00 shows the CLI's statements (`cdrscope compare FILE --split-at … --json`) and its first
// table row, in English and Spanish; a screenshot of the panel is taken.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serveDist, screenshotPath, ROOT } from './helpers.mjs';
import { launchBrowser, openReady, loadText, waitUntil, setValue, FIREFOX } from './page-driver.mjs';

const T0 = 1741564800000; // 2025-03-10 00:00:00 UTC

/** A deterministic day of traffic as VOS3000 CSV (the shape of tests/traffic/mod.rs). */
function day() {
  let x = 12345;
  const rnd = () => { x = (x * 1103515245 + 12345) % 2147483648; return x / 2147483648; };
  const rows = [];
  let a = 0;
  for (let t = 0; t < 4 * 3600; t += 1) {
    const dest = ['008613', '004420', '001212'][Math.floor(rnd() * 3)];
    let gw = rnd() < 0.5 ? 'GW_B' : (rnd() < 0.5 ? 'GW_A' : 'GW_C');
    const u = rnd();
    let [code, hold, pdd] = u < 0.5 ? ['-8', 10 + Math.floor(rnd() * 160), 1000 + Math.floor(rnd() * 4000)]
      : u < 0.55 ? ['486', 0, 1500] : u < 0.8 ? ['480', 0, 25000] : ['487', 0, 5000];
    if (t >= 2 * 3600 && gw === 'GW_A') {
      a += 1;
      if (a % 3 === 0) [code, hold, pdd] = ['408', 0, 0];
      else if (a % 2 === 1) gw = 'GW_C';
    }
    const start = T0 + t * 1000 + Math.floor(rnd() * 1000);
    const end = start + pdd + hold * 1000;
    const caller = `55${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}`;
    const callee = `${dest}${String(Math.floor(rnd() * 1e7)).padStart(7, '0')}`;
    rows.push([caller, callee, `CUST_${'ABCD'[t % 4]}`, gw, start, end, pdd, hold, code === '-8' ? 1 : 0, code].join(','));
  }
  return `callere164,calleee164,callergatewayid,calleegatewayid,starttime,stoptime,callerpdd,holdtime,enddirection,endreason\n${rows.join('\n')}\n`;
}

const TEXT = day();
const FILE = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cdrscope-compare-')), 'day.csv');
fs.writeFileSync(FILE, TEXT);
const BIN = ['release', 'debug'].map((p) => path.join(ROOT, 'target', p, 'cdrscope'))
  .find((b) => fs.existsSync(b) && execFileSync(b, ['compare', '--help'], { encoding: 'utf8' }).includes('--split-at'));
const CLI = BIN && JSON.parse(execFileSync(BIN, ['compare', FILE, '--split-at', '2025-03-10T02:00', '--json'], { encoding: 'utf8' }));

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); fs.rmSync(path.dirname(FILE), { recursive: true, force: true }); });

test('the CLI finds the injected change and the move', { skip: !BIN && 'no cdrscope binary with --split-at' }, () => {
  assert.equal(CLI.since, '2025-03-10 02:00');
  assert.equal(CLI.groups[0].name, 'GW_A');
  assert.equal(CLI.groups[0].moved_to.to, 'GW_C');
  assert.match(CLI.statements[0].en, /^after 2025-03-10 02:00, gateway GW_A: ASR went from .*; its traffic moved to GW_C \(about \d+ attempts to /);
});

for (const browser of ['chromium', 'firefox']) {
  const skip = (browser === 'firefox' && !fs.existsSync(FIREFOX) && `${FIREFOX} is absent`) || (!BIN && 'no cdrscope binary with --split-at');
  test(`${browser}: compare mode shows the CLI's comparison`, { skip }, async () => {
    const b = await launchBrowser(browser);
    try {
      const page = await b.newPage(1280, 900);
      const errors = await openReady(page, server.url);
      await loadText(page, 'day.csv', Buffer.from(TEXT).toString('base64'));
      await waitUntil(page, () => document.getElementById('dashboard').dataset.state === 'done');
      // The split defaults to the middle of the calls' times (their ends: 00:00:01 to 04:02:48).
      assert.equal(await page.evaluate(() => document.getElementById('compare-at').value), '2025-03-10T02:01');
      await setValue(page, '#compare-at', '2025-03-10T02:00');
      await page.click('[data-action="compare"]');
      await waitUntil(page, () => document.getElementById('compare-result').dataset.state === 'done');
      const shown = await page.evaluate(() => ({
        head: document.querySelector('#compare-result h3').textContent,
        statements: [...document.querySelectorAll('.compare-statements li')].map((li) => li.textContent),
        first: [...document.querySelectorAll('#table-compare tbody tr:first-child > *')].map((c) => c.textContent),
      }));
      assert.equal(shown.head, 'Before → after 2025-03-10 02:00');
      assert.deepEqual(shown.statements, CLI.statements.map((s) => s.en));
      const g = CLI.groups[0];
      const pct = (v) => `${(v * 100).toFixed(1)}%`;
      assert.deepEqual(shown.first.slice(0, 6), ['gateway', 'GW_A', `${g.before.attempts} → ${g.after.attempts}`,
        `${pct(g.before.asr)} → ${pct(g.after.asr)}`, g.lost_answered.toFixed(0), g.asr_z.toFixed(1)]);
      // Exact values of this generated day, as the CLI computes them.
      assert.deepEqual([g.before.attempts, g.after.attempts, g.lost_answered], [1837, 1255, 315.6]);
      assert.equal(shown.first[9], `timeout 0.0% → ${pct(g.outcomes[0].after)} *`);
      assert.equal(shown.first[11], 'yes');
      // The paired chart: the first group's ASR before and after, as the CLI has them.
      const chartText = await page.evaluate(() => [...document.querySelectorAll('#compare-chart svg text')].map((t) => t.textContent.trim()));
      assert.ok(chartText.includes('GW_A · before'), JSON.stringify(chartText.filter((t) => t.includes('GW_A'))));
      assert.ok(chartText.includes(`${pct(g.before.asr)} → ${pct(g.after.asr)}`), `${pct(g.before.asr)} → ${pct(g.after.asr)} in ${chartText.join(' | ')}`);
      await page.evaluate(() => document.getElementById('compare').scrollIntoView());
      await (await page.$('#compare')).screenshot({ path: screenshotPath(`compare-${browser}.png`) });
      // Spanish: the same comparison in the page's other language.
      await page.evaluate(() => localStorage.setItem('cdrscope.lang', 'es'));
      await openReady(page, server.url);
      await loadText(page, 'day.csv', Buffer.from(TEXT).toString('base64'));
      await waitUntil(page, () => document.getElementById('dashboard').dataset.state === 'done');
      await setValue(page, '#compare-at', '2025-03-10T02:00');
      await page.click('[data-action="compare"]');
      await waitUntil(page, () => document.getElementById('compare-result').dataset.state === 'done');
      const es = await page.evaluate(() => [...document.querySelectorAll('.compare-statements li')].map((li) => li.textContent));
      assert.deepEqual(es, CLI.statements.map((s) => s.es));
      assert.deepEqual(errors, []);
    } finally {
      await b.close();
    }
  });
}
