// Scanner and toll-fraud findings on the page, in headless Chromium: three hours of generated
// VOS3000 traffic with a SIP scanner (600 INVITEs from 45.9.1.2 in five minutes, refused 403/404)
// and toll fraud (CUST_C's 60 answered calls to +882 from 02:30) injected. The page lists both with
// the CLI's titles (`cdrscope report --json`), in English and Spanish, and "Show these calls" lists
// the scanner's 600 attempts; the same day without the attacks raises neither. Screenshots:
// tests/e2e/screenshots/abuse-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serveDist, screenshotPath, ROOT } from './helpers.mjs';
import { launchBrowser, openReady, loadText, waitUntil } from './page-driver.mjs';

const T0 = 1741564800000; // 2025-03-10 00:00:00 UTC

/** Three hours of ordinary traffic (one attempt a second), plus the attacks when `attacks`. */
function day(attacks) {
  let x = 4242;
  const rnd = () => { x = (x * 1103515245 + 12345) % 2147483648; return x / 2147483648; };
  const rows = [];
  for (let t = 0; t < 3 * 3600; t += 1) {
    const u = rnd();
    const [code, hold, pdd] = u < 0.5 ? ['-8', 10 + Math.floor(rnd() * 160), 1000 + Math.floor(rnd() * 4000)]
      : u < 0.55 ? ['486', 0, 1500] : u < 0.8 ? ['480', 0, 20000] : ['487', 0, 5000];
    rows.push({
      caller: `55${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}`,
      callee: `${['008613', '004420', '001212', '00497', '00331'][Math.floor(rnd() * 5)]}${String(Math.floor(rnd() * 1e7)).padStart(7, '0')}`,
      ingress: `CUST_${'ABCD'[Math.floor(rnd() * 4)]}`, egress: rnd() < 0.5 ? 'GW_B' : 'GW_A',
      start: T0 + t * 1000 + Math.floor(rnd() * 1000), pdd, hold, code,
    });
  }
  if (attacks) {
    for (let i = 0; i < 600; i += 1) {
      rows.push({ caller: '100', callee: `0044207946${String(i).padStart(4, '0')}`, ingress: '45.9.1.2', egress: '',
        start: T0 + 1800 * 1000 + Math.floor(i * 300 * 1000 / 600), pdd: 0, hold: 0, code: i % 5 === 0 ? '403' : '404' });
    }
    for (let i = 0; i < 60; i += 1) {
      rows.push({ caller: `55${String(1000 + i).padStart(8, '0')}`, callee: `0088216${String(100000 + i * 7)}`, ingress: 'CUST_C',
        egress: 'GW_C', start: T0 + (9000 + i * 30) * 1000, pdd: 2000, hold: 300, code: '-8' });
    }
  }
  rows.sort((a, b) => a.start - b.start);
  const lines = rows.map((r) => [r.caller, r.callee, r.ingress, r.egress, r.start, r.start + r.pdd + r.hold * 1000,
    r.pdd, r.hold, r.code === '-8' ? 1 : 0, r.code].join(','));
  return `callere164,calleee164,callergatewayid,calleegatewayid,starttime,stoptime,callerpdd,holdtime,enddirection,endreason\n${lines.join('\n')}\n`;
}

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'cdrscope-abuse-'));
const ATTACKED = path.join(DIR, 'attacked.csv');
const CLEAN = path.join(DIR, 'clean.csv');
fs.writeFileSync(ATTACKED, day(true));
fs.writeFileSync(CLEAN, day(false));
const BIN = ['release', 'debug'].map((p) => path.join(ROOT, 'target', p, 'cdrscope')).find((b) => fs.existsSync(b));
const cli = (file) => JSON.parse(execFileSync(BIN, ['report', file, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 }));

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server.close(); fs.rmSync(DIR, { recursive: true, force: true }); });

/** The findings on the page as { rule, subject, title }. */
const shownFindings = (page) => page.evaluate(() => [...document.querySelectorAll('#findings li.finding')]
  .map((li) => ({ rule: li.dataset.rule, subject: li.dataset.subject, title: li.querySelector('.finding-title').textContent })));

test('chromium: the scanner and the toll fraud are findings with the CLI\'s words; clean traffic has neither', { skip: !BIN && 'no cdrscope binary', timeout: 180000 }, async () => {
  const report = cli(ATTACKED);
  const want = report.findings.filter((f) => f.rule === 'scanner' || f.rule === 'toll_fraud');
  assert.deepEqual(want.map((f) => [f.rule, f.subject]).sort(), [['scanner', '45.9.1.2'], ['toll_fraud', 'CUST_C']],
    JSON.stringify(report.findings.map((f) => f.rule)));
  assert.deepEqual(cli(CLEAN).findings.filter((f) => f.rule === 'scanner' || f.rule === 'toll_fraud'), []);
  const b = await launchBrowser('chromium');
  try {
    const page = await b.newPage(1366, 900);
    const errors = await openReady(page, server.url);
    await loadText(page, 'attacked.csv', fs.readFileSync(ATTACKED).toString('base64'));
    await waitUntil(page, () => document.getElementById('dashboard').dataset.state === 'done');
    // Both attacks lead the list, before the symptoms the scanner also causes.
    const shown = await shownFindings(page);
    assert.deepEqual(shown.slice(0, 2).map((s) => s.rule).sort(), ['scanner', 'toll_fraud'], JSON.stringify(shown));
    for (const f of want) {
      assert.ok(shown.some((s) => s.rule === f.rule && s.subject === f.subject && s.title === f.title),
        `${f.rule}: ${f.title} not in ${JSON.stringify(shown)}`);
    }
    await page.evaluate(() => document.getElementById('findings').scrollIntoView());
    await page.screenshot({ path: screenshotPath('abuse-findings-chromium-1366.png') });
    // "Show these calls" on the scanner: its 600 refused attempts.
    await page.click('#findings li.finding[data-rule="scanner"] [data-action="finding"]');
    await waitUntil(page, () => document.getElementById('drill').dataset.state === 'done');
    assert.equal(await page.evaluate(() => document.querySelector('#drill .drill-count').dataset.total), '600');
    // Spanish: the same findings in the page's other language.
    await page.evaluate(() => localStorage.setItem('cdrscope.lang', 'es'));
    await openReady(page, server.url);
    await loadText(page, 'attacked.csv', fs.readFileSync(ATTACKED).toString('base64'));
    await waitUntil(page, () => document.getElementById('dashboard').dataset.state === 'done');
    const es = await shownFindings(page);
    for (const f of want) {
      const title = f.texts.find((t) => t.lang === 'es').title;
      assert.ok(es.some((s) => s.rule === f.rule && s.title === title), `${title} not in ${JSON.stringify(es)}`);
    }
    // The clean day: neither finding.
    await page.evaluate(() => localStorage.setItem('cdrscope.lang', 'en'));
    await openReady(page, server.url);
    await loadText(page, 'clean.csv', fs.readFileSync(CLEAN).toString('base64'));
    await waitUntil(page, () => document.getElementById('dashboard').dataset.state === 'done');
    assert.deepEqual((await shownFindings(page)).filter((s) => s.rule === 'scanner' || s.rule === 'toll_fraud'), []);
    assert.deepEqual(errors, []);
  } finally {
    await b.close();
  }
});
