// Browser tests of the dashboard: drop each fixture and compare the page with the CLI, filter,
// drill down, reference, language, exports, hostile text, screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  serveDist, launch, openPage, cliReport, dropFiles, waitLoaded, kpis, screenshotPath, FIXTURES, freshPage } from './helpers.mjs';

let server; let browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const fixture = (name) => path.join(FIXTURES, name);
const VOS_EN = fixture('vos3000_cdr_en.csv');

const fresh = () => freshPage(browser, server.url);

/** Waits for the summary of the current filter after a control changed. */
async function settled(page) {
  await page.waitForSelector('#dashboard[data-state="done"]', { timeout: 20000 });
}

/** The parts of a summary that do not depend on the viewer's time zone or file sizes. */
function comparable(s) {
  const { overall, by_code, by_egress_gateway, by_ingress_gateway, by_destination, rows, format, encoding, delimiter, rejects_total, by_end_direction, by_outcome } = s;
  return { overall, by_code, by_egress_gateway, by_ingress_gateway, by_destination, rows, format, encoding, delimiter, rejects_total, by_end_direction, by_outcome };
}

const KPI_KEYS = ['attempts', 'answered', 'asr', 'acd_s', 'pdd_avg_ms', 'pdd_p95_ms', 'ner', 'sdr', 'minutes'];

async function checkFixture(t, name) {
  const cli = cliReport(fixture(name));
  if (cli.unsupported) {
    if (/not a recognised CDR format|unsupported|not supported/i.test(cli.unsupported)) {
      t.skip(`the CLI does not read ${name} yet: ${cli.unsupported.split('\n')[0].slice(0, 160)}`);
      return;
    }
    assert.fail(`CLI failed on ${name}: ${cli.unsupported}`);
  }
  const { page, errors } = await fresh();
  await dropFiles(page, [fixture(name)]);
  await waitLoaded(page);
  const tiles = await kpis(page);
  for (const k of KPI_KEYS) {
    const want = cli.overall[k] ?? null;
    if (want === null) assert.equal(tiles[k], null, `${k} should be empty`);
    else assert.ok(Math.abs(tiles[k] - want) < 1e-9, `${name} ${k}: page ${tiles[k]} vs CLI ${want}`);
  }
  for (const k of ['fee', 'cost', 'margin']) {
    if (cli.overall[k] != null) assert.equal(tiles[k], Number(cli.overall[k]), `${name} ${k}`);
  }
  const summary = await page.evaluate(() => window.cdrscope.summary());
  assert.deepEqual(comparable(summary), comparable(cli));
  const det = await page.textContent('#detected');
  assert.ok(det.includes(cli.format_name), det);
  assert.ok(det.includes(cli.encoding), det);
  assert.equal(await page.getAttribute('#rejects', 'data-total'), String(cli.rejects_total));
  await page.screenshot({ path: screenshotPath(`fixture-${name.replace(/\W+/g, '_')}.png`) });
  assert.deepEqual(errors, []);
  await page.close();
}

test('VOS3000 English: KPI tiles and summary equal the CLI', (t) => checkFixture(t, 'vos3000_cdr_en.csv'));
test('VOS3000 Chinese GB18030: KPI tiles and summary equal the CLI', (t) => checkFixture(t, 'vos3000_cdr_zh_gb18030.csv'));
test('Asterisk Master.csv: KPI tiles and summary equal the CLI', (t) => checkFixture(t, 'asterisk_Master.csv'));
test('FreeSWITCH default template: KPI tiles and summary equal the CLI', (t) => checkFixture(t, 'freeswitch_Master.csv'));
test('FreeSWITCH custom template: KPI tiles and summary equal the CLI', (t) => checkFixture(t, 'freeswitch_custom_Master.csv'));

test('filters recompute in the worker: egress GW_SG_CHEAP, then answered only, then clear', async () => {
  const { page, errors } = await fresh();
  await dropFiles(page, [VOS_EN]);
  await waitLoaded(page);
  await page.selectOption('#filter-egress', 'GW_SG_CHEAP');
  await settled(page);
  let k = await kpis(page);
  assert.equal(k.attempts, 471);
  assert.equal(k.answered, 94);
  const s = await page.evaluate(() => window.cdrscope.summary());
  assert.deepEqual(s.filter.egress, ['GW_SG_CHEAP']);
  assert.equal(s.by_egress_gateway.length, 1);
  assert.ok((await page.textContent('#filter-note')).includes('471'));
  await page.selectOption('#filter-answered', 'yes');
  await settled(page);
  k = await kpis(page);
  assert.equal(k.attempts, 94);
  assert.equal(k.answered, 94);
  await page.screenshot({ path: screenshotPath('filter-gw-sg-cheap.png') });
  await page.click('[data-action="clear-filter"]');
  await settled(page);
  k = await kpis(page);
  assert.equal(k.attempts, 2000);
  assert.equal(k.answered, 745);
  assert.deepEqual(errors, []);
  await page.close();
});

test('drill-down into code 503 from the code chart lists the 294 rows as they are in the file', async () => {
  const lines = fs.readFileSync(VOS_EN, 'utf8').split('\n');
  const col = lines[0].split(',').indexOf('endreason');
  const want = lines.map((l, i) => [i + 1, l.replace(/\r$/, '')]).filter(([i, l]) => i > 1 && l.split(',')[col] === '503');
  assert.equal(want.length, 294);
  const { page, errors } = await fresh();
  await dropFiles(page, [VOS_EN]);
  await waitLoaded(page);
  // Click the 503 bar's label in the final-code chart.
  await page.click('figure[data-chart="codes"] svg text:has-text("503 Service Unavailable")');
  await page.waitForSelector('#drill[data-state="done"]');
  assert.equal(await page.getAttribute('#drill .drill-count', 'data-total'), '294');
  let rows = await page.$$eval('#drill-table tbody tr.call', (trs) => trs.map((tr) => [Number(tr.dataset.line), tr.nextElementSibling.querySelector('.raw').textContent]));
  assert.equal(rows.length, 50);
  assert.deepEqual(rows, want.slice(0, 50));
  await page.screenshot({ path: screenshotPath('drill-503.png') });
  await page.evaluate(() => document.getElementById('drill').removeAttribute('data-state'));
  await page.click('#drill [data-action="drill-page"]:has-text("Next")');
  await page.waitForSelector('#drill[data-state="done"]');
  rows = await page.$$eval('#drill-table tbody tr.call', (trs) => trs.map((tr) => [Number(tr.dataset.line), tr.nextElementSibling.querySelector('.raw').textContent]));
  assert.deepEqual(rows, want.slice(50, 100));
  assert.deepEqual(errors, []);
  await page.close();
});

test('table cells drill down, the reference finds codes, Spanish is remembered', async () => {
  const { page, errors } = await fresh();
  await dropFiles(page, [VOS_EN]);
  await waitLoaded(page);
  // The GW_SG_CHEAP attempts cell of the egress table.
  await page.click('#table-egress tr[data-name="GW_SG_CHEAP"] td.num [data-action="drill"]');
  await page.waitForSelector('#drill[data-state="done"]');
  assert.equal(await page.getAttribute('#drill .drill-count', 'data-total'), '471');
  // Reference: search 503 → its card with the count in this file.
  await page.fill('#ref-search', '503');
  const card = await page.waitForSelector('.ref-card[data-code="503"]');
  assert.ok((await card.textContent()).includes('294'));
  assert.ok((await card.textContent()).includes('Service Unavailable'));
  // The card carries the knowledge base: the outcome (from src/outcome), failover and the action.
  assert.ok((await card.textContent()).includes('Vendor unavailable'));
  assert.ok((await card.textContent()).includes('Route to an alternate gateway'));
  // Spanish.
  await page.selectOption('#lang', 'es');
  assert.equal(await page.textContent('[data-kpi="attempts"] .kpi-label'), 'Intentos');
  // Chart texts follow the language: code titles, the donut's slices, the timeline legend.
  assert.ok((await page.textContent('figure[data-chart="codes"] svg')).includes('503 Servicio no disponible'));
  const donut = await page.textContent('figure[data-chart="outcomes"] svg');
  assert.ok(donut.includes('contestadas') && !donut.includes('answered'), donut);
  assert.ok((await page.textContent('figure[data-chart="timeline"] svg')).includes('intentos'));
  await page.locator('#charts').screenshot({ path: screenshotPath('spanish-charts.png') });
  // Spanish words find codes, in Spanish: "ocupado" ranks 486 Busy Here first.
  await page.fill('#ref-search', 'ocupado');
  await page.waitForFunction(() => document.querySelector('.ref-card')?.dataset.code === '486');
  assert.ok((await page.textContent('.ref-card')).includes('Ocupado aquí'));
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  assert.equal(await page.textContent('#btn-demo'), 'Probar la demo');
  await page.screenshot({ path: screenshotPath('spanish.png') });
  await page.reload();
  await page.waitForFunction(() => document.getElementById('drop-zone').dataset.ready === 'true');
  assert.equal(await page.textContent('#btn-demo'), 'Probar la demo');
  await page.selectOption('#lang', 'en');
  assert.deepEqual(errors, []);
  await page.close();
});

test('demo button, several files analysed together, window.cdrscope.load(blob)', async () => {
  const { page, errors } = await fresh();
  await page.click('#btn-demo');
  await waitLoaded(page);
  assert.equal((await kpis(page)).attempts, 2000);
  // The same calls split in two files (header repeated) add up to the same totals.
  const lines = fs.readFileSync(VOS_EN, 'utf8').split('\n').filter((l) => l !== '');
  const dir = fs.mkdtempSync('/tmp/cdrscope-e2e-');
  const a = path.join(dir, 'part1.csv'); const b = path.join(dir, 'part2.csv');
  fs.writeFileSync(a, lines.slice(0, 1001).join('\n') + '\n');
  fs.writeFileSync(b, [lines[0], ...lines.slice(1001)].join('\n') + '\n');
  await dropFiles(page, [a, b]);
  await page.waitForFunction(() => window.cdrscope.summary()?.files?.length === 2 && document.getElementById('dashboard').dataset.state === 'done');
  const k = await kpis(page);
  assert.equal(k.attempts, 2000);
  assert.equal(k.answered, 745);
  const s = await page.evaluate(async () => {
    const text = 'callere164,calleee164,calleegatewayid,starttime,stoptime,holdtime,endreason,callergatewayid\n'
      + '111,8613800000000,GW_A,1741536123749,1741536126674,2,-9,C1\n';
    const r = await window.cdrscope.load(new Blob([text]));
    return { attempts: r.overall.attempts, answered: r.overall.answered, same: r.overall.attempts === window.cdrscope.summary().overall.attempts };
  });
  assert.deepEqual(s, { attempts: 1, answered: 1, same: true });
  assert.deepEqual(errors, []);
  fs.rmSync(dir, { recursive: true, force: true });
  await page.close();
});

test('hostile CDR text stays text, rejected rows are listed with their raw line, calls CSV neutralises formulas', async () => {
  const header = 'callere164,calleee164,calleegatewayid,starttime,stoptime,holdtime,endreason,callergatewayid';
  const text = [
    header,
    '111,8613800000001,<img src=x onerror=alert(1)>,1741536123749,1741536126674,2,-9,C1',
    '112,8613800000002,=HYPERLINK("http://x"),1741536123749,1741536126674,0,503,C1',
    '113,8613800000003,GW_OK,1741536123749',
    '114,8613800000004,GW_OK,1741536123749,1741536126674,2,-9,@SUM(A1)',
  ].join('\n') + '\n';
  const dir = fs.mkdtempSync('/tmp/cdrscope-e2e-');
  const file = path.join(dir, 'hostile.csv');
  fs.writeFileSync(file, text);
  const { page, errors } = await fresh();
  let dialogs = 0;
  page.on('dialog', async (d) => { dialogs += 1; await d.dismiss(); });
  await dropFiles(page, [file]);
  await waitLoaded(page);
  assert.equal(await page.$$eval('img', (imgs) => imgs.length), 0, 'a gateway name became an <img>');
  assert.ok(await page.$('#table-egress tr[data-name="<img src=x onerror=alert(1)>"]'));
  assert.equal(await page.getAttribute('#rejects', 'data-total'), '1');
  const rej = await page.waitForSelector('#rejects-table tr[data-line="4"] td.raw:not(:has-text("…"))');
  assert.equal(await rej.textContent(), '113,8613800000003,GW_OK,1741536123749');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-calls')]);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  assert.ok(csv.includes('"\'=HYPERLINK(""http://x"")"'), csv);
  assert.ok(csv.includes("'@SUM(A1)"), csv);
  assert.ok(csv.includes(',-9,'), 'numeric codes keep their sign');
  assert.equal(csv.trim().split('\n').length, 4, 'header + 3 accepted calls');
  const [sumCsv] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const sumText = fs.readFileSync(await sumCsv.path(), 'utf8');
  assert.ok(sumText.startsWith('section,name,attempts,answered,asr'), sumText.slice(0, 80));
  assert.ok(sumText.includes('overall,all,3,2,'), sumText);
  assert.ok(sumText.includes('egress_gateway,"\'=HYPERLINK(""http://x"")",1,0,0,'), sumText);
  const [json] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  const exported = JSON.parse(fs.readFileSync(await json.path(), 'utf8'));
  assert.equal(exported.overall.attempts, 3);
  const [svg] = await Promise.all([page.waitForEvent('download'), page.click('figure[data-chart="gateways"] [data-action="chart-svg"]')]);
  const svgText = fs.readFileSync(await svg.path(), 'utf8');
  assert.ok(svgText.includes('&lt;img src=x onerror='), 'the gateway name is escaped in the SVG');
  assert.ok(!svgText.includes('<img'));
  const [png] = await Promise.all([page.waitForEvent('download'), page.click('figure[data-chart="codes"] [data-action="chart-png"]')]);
  assert.deepEqual([...fs.readFileSync(await png.path()).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  assert.equal(dialogs, 0);
  assert.deepEqual(errors, []);
  fs.rmSync(dir, { recursive: true, force: true });
  await page.close();
});

test('screenshots: desktop light and dark, phone width', async () => {
  const { page } = await fresh();
  await page.click('#btn-demo');
  await waitLoaded(page);
  await page.screenshot({ path: screenshotPath('desktop-light.png') });
  await page.screenshot({ path: screenshotPath('desktop-light-full.png'), fullPage: true });
  await page.click('#btn-theme');
  await page.screenshot({ path: screenshotPath('desktop-dark.png') });
  await page.click('#btn-theme');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: screenshotPath('phone.png') });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px at 390 px`);
  await page.close();
});

test('time zone selector shifts UTC instants; forcing a format reruns the analysis', async () => {
  const { page, errors } = await fresh();
  await dropFiles(page, [VOS_EN]);
  await waitLoaded(page);
  let s = await page.evaluate(() => window.cdrscope.summary());
  assert.equal(s.time_basis, 'utc');
  assert.equal(s.tz_offset_min, 0);
  assert.equal(s.time_range.first, '2025-03-09 16:02:06');
  await page.selectOption('#tz', '480');
  await settled(page);
  s = await page.evaluate(() => window.cdrscope.summary());
  assert.equal(s.tz_offset_min, 480);
  assert.equal(s.time_range.first, '2025-03-10 00:02:06');
  assert.equal(s.overall.attempts, 2000);
  await page.click('.wrong-format summary');
  await page.selectOption('#force-format', 'vos3000');
  await page.click('[data-action="rerun"]');
  await waitLoaded(page);
  s = await page.evaluate(() => window.cdrscope.summary());
  assert.equal(s.format, 'vos3000');
  assert.equal(s.format_confidence, 1);
  assert.equal(s.overall.attempts, 2000);
  assert.deepEqual(errors, []);
  await page.close();
});

test('nothing leaves the machine: every request during load, analysis and export is to the page itself', async () => {
  const page = await browser.context.newPage();
  const urls = [];
  page.on('request', (r) => urls.push(r.url()));
  await page.goto(server.url);
  await page.waitForFunction(() => document.getElementById('drop-zone').dataset.ready === 'true');
  await page.click('#btn-demo');
  await waitLoaded(page);
  await page.selectOption('#filter-egress', 'GW_SG_CHEAP');
  await settled(page);
  await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  const foreign = urls.filter((u) => !u.startsWith(server.url) && !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(foreign, []);
  // The PWA and embedding files (browser-fetched manifest and icon, when it gets to them): privacy.test.mjs.
  const pwa = ['/pwa.js', '/embed-bridge.js', '/manifest.webmanifest', '/icons/icon.svg'];
  const paths = [...new Set(urls.filter((u) => u.startsWith(server.url)).map((u) => new URL(u).pathname))].filter((p) => !pwa.includes(p)).sort();
  assert.deepEqual(paths, ['/', '/boot.js', '/cdrscope.js', '/cdrscope_bg.wasm', '/demo_vos3000_cdr.csv', '/style.css', '/worker.js']);
  await page.close();
});

test('a large file: progress with MB and rows/s, first KPIs while reading, Cancel, then a full read', async () => {
  // ~85 MB: the English fixture's rows 100 times under one header, each copy's callers with
  // their own leading digits (a row repeated in its file counts once).
  const text = fs.readFileSync(VOS_EN, 'utf8');
  const nl = text.indexOf('\n');
  const rows = text.slice(nl + 1).split('\n').filter((l) => l.length > 0);
  const dir = fs.mkdtempSync('/tmp/cdrscope-e2e-');
  const big = path.join(dir, 'big_vos3000.csv');
  const fd = fs.openSync(big, 'w');
  fs.writeSync(fd, text.slice(0, nl + 1));
  for (let i = 0; i < 100; i += 1) fs.writeSync(fd, rows.map((r) => `${i}${r}\n`).join(''));
  fs.closeSync(fd);
  const { page, errors } = await fresh();
  // Cancel right away: the analysis stops, the page says so.
  await page.setInputFiles('#file-input', big);
  await page.click('#btn-cancel');
  await page.waitForSelector('#progress[hidden]', { state: 'attached' });
  assert.equal(await page.textContent('#status'), 'Analysis cancelled.');
  // Again, and watch it: progress in MB and rows/s, KPIs before the end.
  const t0 = Date.now();
  await page.setInputFiles('#file-input', big);
  const seen = await (await page.waitForFunction(() => {
    const dash = document.getElementById('dashboard');
    const tile = document.querySelector('#dashboard[data-state="loading"]:not([hidden]) [data-kpi="attempts"]');
    return dash.dataset.state === 'loading' && tile
      && { attempts: Number(tile.dataset.value), progress: document.getElementById('progress-text').textContent };
  }, null, { timeout: 20000, polling: 'raf' })).jsonValue();
  assert.ok(seen.attempts > 0 && seen.attempts < 200000, `partial attempts ${seen.attempts}`);
  assert.match(seen.progress, /MB \/ .* MB · .* rows\/s/);
  await page.screenshot({ path: screenshotPath('progress.png') });
  await waitLoaded(page);
  const k = await kpis(page);
  assert.equal(k.attempts, 200000);
  assert.equal(k.answered, 74500);
  console.log(`85 MB read and analysed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  assert.deepEqual(errors, []);
  fs.rmSync(dir, { recursive: true, force: true });
  await page.close();
});

test('keyboard only: Tab to "Try the demo", Enter loads it, chart drill-down by keyboard; print hides the controls', async () => {
  const { page, errors } = await fresh();
  let focused = '';
  for (let i = 0; i < 6 && focused !== 'btn-demo'; i += 1) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.id || '');
  }
  assert.equal(focused, 'btn-demo');
  await page.keyboard.press('Enter');
  await waitLoaded(page);
  assert.equal((await kpis(page)).attempts, 2000);
  // Chart regions have keyboard twins: focus the 503 bar's button, Enter drills down.
  await page.focus('figure[data-chart="codes"] .chart-keys button:has-text("503 Service Unavailable")');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#drill[data-state="done"]');
  assert.equal(await page.getAttribute('#drill .drill-count', 'data-total'), '294');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.$eval('.chart-tools', (e) => getComputedStyle(e).display), 'none');
  assert.equal(await page.$eval('.topbar .actions', (e) => getComputedStyle(e).display), 'none');
  assert.notEqual(await page.$eval('#kpis', (e) => getComputedStyle(e).display), 'none');
  await page.emulateMedia({ media: 'screen' });
  assert.deepEqual(errors, []);
  await page.close();
});

test('findings: the CLI\'s findings lead the dashboard, in Spanish too; a click filters and drills into the rows at fault', async () => {
  const cli = cliReport(VOS_EN);
  assert.ok(cli.findings.length > 0, 'the VOS3000 fixture has findings');
  const { page, errors } = await fresh();
  await dropFiles(page, [VOS_EN]);
  await waitLoaded(page);
  const titles = await page.$$eval('#findings .finding-title', (els) => els.map((e) => e.textContent));
  assert.deepEqual(titles, cli.findings.map((f) => f.title));
  const first = cli.findings[0];
  await page.click('#findings .finding:first-child [data-action="finding"]');
  await settled(page);
  await page.waitForSelector('#drill[data-state="done"]');
  const s = await page.evaluate(() => window.cdrscope.summary());
  assert.deepEqual(s.filter, first.filter);
  // The rows at fault: the finding's view narrowed by its codes, counted in the filtered summary.
  const want = s.by_code.filter((c) => first.rows.code.includes(c.code)).reduce((a, c) => a + c.count, 0);
  assert.ok(first.rows.code.length > 0);
  assert.equal(Number(await page.getAttribute('#drill .drill-count', 'data-total')), want);
  await page.screenshot({ path: screenshotPath('finding-drill.png') });
  // The findings describe the whole file: filtering does not change them.
  assert.deepEqual(await page.$$eval('#findings .finding-title', (els) => els.map((e) => e.textContent)), titles);
  await page.selectOption('#lang', 'es');
  const es = first.texts.find((x) => x.lang === 'es');
  assert.ok(es, 'Spanish text of the first finding');
  assert.equal(await page.textContent('#findings .finding:first-child .finding-title'), es.title);
  await page.selectOption('#lang', 'en');
  // A duration-based finding: the short calls of GW_CN_MOBILE. After the click the page states
  // the finding's numbers: its answered calls in the view, its short calls in the drill-down.
  const sdr = cli.findings.find((f) => f.rule === 'gw_sdr');
  const num = (f, key) => f.numbers.find((n) => n.key === key);
  assert.equal(sdr.rows.max_duration_s, 5);
  await page.click('#findings .finding[data-rule="gw_sdr"] [data-action="finding"]');
  await settled(page);
  await page.waitForSelector('#drill[data-state="done"]');
  assert.equal((await kpis(page)).answered, num(sdr, 'a').value);
  assert.equal(Number(await page.getAttribute('#drill .drill-count', 'data-total')), num(sdr, 'x').value);
  assert.equal(num(sdr, 'x').value, 56);
  assert.deepEqual(errors, []);
  await page.close();
});

test('findings: a click on a failover-chain finding shows its numbers, with the chain conditions as removable chips', async () => {
  const file = fixture('findings/failover.csv');
  const cli = cliReport(file);
  const chain = cli.findings.find((f) => f.rule === 'failover_chain');
  const num = (key) => chain.numbers.find((n) => n.key === key).value;
  assert.deepEqual([num('c'), num('extra')], [20, 40]);
  const { page, errors } = await fresh();
  await dropFiles(page, [file]);
  await waitLoaded(page);
  await page.click('#findings .finding[data-rule="failover_chain"] [data-action="finding"]');
  await settled(page);
  const s = await page.evaluate(() => window.cdrscope.summary());
  assert.deepEqual(s.filter, chain.filter);
  assert.equal(s.overall.attempts, num('c'));
  assert.equal((await kpis(page)).attempts, num('c'));
  assert.equal(s.overall.failover_retries, num('extra'));
  // The conditions the filter bar has no control for show as chips, in the page's language.
  const chips = () => page.$$eval('#filters .chip', (els) => els.map((e) => e.textContent));
  assert.deepEqual(await chips(), ['failover chain ≥ 3 ×', 'first attempt of a chain ×']);
  await page.selectOption('#lang', 'es');
  assert.deepEqual(await chips(), ['cadena de failover ≥ 3 ×', 'primer intento de una cadena ×']);
  await page.selectOption('#lang', 'en');
  await page.locator('#filters').screenshot({ path: screenshotPath('finding-chain-chips.png') });
  // Removing "first attempt" widens the view to every attempt of those chains' codes.
  await page.click('#filters .chip[data-key="chain_role"]');
  await settled(page);
  const wider = await page.evaluate(() => window.cdrscope.summary());
  assert.equal(wider.filter.chain_role ?? null, null);
  assert.equal(wider.filter.chain_min, 3);
  assert.ok(wider.overall.attempts > num('c'), `${wider.overall.attempts} attempts`);
  assert.deepEqual(await chips(), ['failover chain ≥ 3 ×']);
  assert.deepEqual(errors, []);
  await page.close();
});
