// Browser test of "map columns by hand": a billing-tool export no format recognises is dropped,
// its columns are chosen in the editor, and the page's KPIs equal the CLI's with the same
// mapping given as --mapping JSON.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  serveDist, launch, dropFiles, waitLoaded, kpis, screenshotPath, FIXTURES, ROOT, freshPage } from './helpers.mjs';

let server; let browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const BILLING = path.join(FIXTURES, 'billing_export.csv');
const MAPPING = path.join(FIXTURES, 'billing_export.mapping.json');
const KPI_KEYS = ['attempts', 'answered', 'asr', 'acd_s', 'pdd_avg_ms', 'pdd_p95_ms', 'ner', 'sdr', 'minutes'];

function cli(args) {
  return JSON.parse(execFileSync(path.join(ROOT, 'target/release/cdrscope'), args, { encoding: 'utf8' }));
}

const fresh = () => freshPage(browser, server.url);

/** The options of a select as [value, text]. */
const options = (page, sel) => page.$$eval(`${sel} option`, (os) => os.map((o) => [o.value, o.textContent]));

test('an unrecognised export is mapped by hand: the KPI tiles equal the CLI with --mapping', async () => {
  // Without a mapping the CLI cannot read it either.
  assert.throws(() => execFileSync(path.join(ROOT, 'target/release/cdrscope'), ['report', '--json', BILLING], { stdio: 'pipe' }),
    /not a recognised CDR format/);
  const want = cli(['report', '--json', '--mapping', MAPPING, BILLING]);
  assert.equal(want.format, 'generic');
  assert.equal(want.overall.attempts, 60);
  assert.equal(want.rows.rejected, 1);

  const { page, errors } = await fresh();
  await dropFiles(page, [BILLING]);
  // Nothing was read: the error card, never a dashboard of zeros, holds the "wrong format?"
  // box open on the editor.
  await page.waitForSelector('#error .wrong-format[open] #mapping-editor');
  // Every file refused outright (no format fits): the card's title says so.
  assert.equal(await page.textContent('#error h2'), 'This file could not be read');
  assert.equal(await page.isHidden('#dashboard'), true);
  assert.equal(await page.$$eval('#mapping-editor', (e) => e.length), 1, 'one editor, one set of ids');
  assert.equal(await page.isChecked('#map-header'), true, 'the first row is taken as a header');
  // Each column is listed by its header name with the first data row as the example.
  const cols = await options(page, '#map-start');
  assert.deepEqual(cols, [
    ['', '— not in the file'],
    ['0', '1. Start — 2025-03-10 08:01:30'],
    ['1', '2. Dest — 1202321629'],
    ['2', '3. Route — CARRIER-A'],
    ['3', '4. Result — 503'],
    ['4', '5. Secs — 0'],
  ]);
  // No format read this file: the editor is pre-filled with a guess from the header names
  // (Start, Dest, Route, Result, Secs), the same as `cdrscope mapping suggest`.
  const guessed = {};
  for (const f of ['start', 'callee', 'egress', 'code', 'duration', 'caller']) guessed[f] = await page.inputValue(`#map-${f}`);
  assert.deepEqual(guessed, { start: '0', callee: '1', egress: '2', code: '3', duration: '4', caller: '' });
  assert.equal(await page.inputValue('#map-code_system'), 'sip', 'the code values are SIP statuses');

  // Apply with nothing chosen: a message, no reload.
  for (const f of ['start', 'callee', 'egress', 'code', 'duration']) await page.selectOption(`#map-${f}`, '');
  await page.click('[data-action="map-apply"]');
  assert.match(await page.textContent('#map-msg'), /at least/);

  // Chosen with the keyboard: focus each select and pick the option.
  // (The caller as well, which the guess leaves empty: the remembered mapping below keeps it.)
  for (const [field, col] of [['start', '0'], ['callee', '1'], ['egress', '2'], ['code', '3'], ['duration', '4'], ['caller', '1']]) {
    await page.focus(`#map-${field}`);
    await page.selectOption(`#map-${field}`, col);
  }
  assert.equal(await page.textContent('#map-msg'), '', 'a change clears the message');
  // The values field only shows for the rules that read it.
  assert.equal(await page.isVisible('#map-answered_values'), false);
  await page.selectOption('#map-answered', 'code');
  assert.equal(await page.isVisible('#map-answered_values'), true);
  await page.selectOption('#map-answered', 'auto');
  assert.equal(await page.isVisible('#map-answered_values'), false);
  await page.screenshot({ path: screenshotPath('mapping-editor.png') });
  await page.focus('[data-action="map-apply"]');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-det="mapping"]');
  await waitLoaded(page);

  const tiles = await kpis(page);
  for (const k of KPI_KEYS) {
    const v = want.overall[k] ?? null;
    if (v === null) assert.equal(tiles[k], null, `${k} should be empty`);
    else assert.ok(Math.abs(tiles[k] - v) < 1e-9, `${k}: page ${tiles[k]} vs CLI ${v}`);
  }
  const s = await page.evaluate(() => window.cdrscope.summary());
  assert.equal(s.format, 'generic');
  assert.deepEqual(s.rows, want.rows);
  assert.deepEqual(s.by_egress_gateway.map((g) => [g.name, g.attempts, g.answered]),
    want.by_egress_gateway.map((g) => [g.name, g.attempts, g.answered]));
  assert.deepEqual(s.by_code, want.by_code);
  // The header line says the generic mapping is in use.
  assert.equal(await page.textContent('[data-det="format"] strong'), 'Generic CSV (column mapping)');
  assert.match(await page.textContent('[data-det="mapping"]'), /mapped by hand/);
  // The editor closes once the file reads, and opened shows the mapping in use, so the next
  // correction starts from it.
  assert.equal(await page.$('.wrong-format[open]'), null);
  await page.click('.wrong-format summary');
  assert.equal(await page.inputValue('#map-code'), '3');
  assert.equal(await page.inputValue('#map-egress'), '2');
  await page.screenshot({ path: screenshotPath('mapping-applied.png') });

  // A filter keeps the editor's choices (re-renders do not reset it).
  await page.selectOption('#map-caller', '');
  await page.selectOption('#filter-egress', 'CARRIER-A');
  await page.waitForSelector('#dashboard[data-state="done"]');
  assert.equal(await page.inputValue('#map-caller'), '');

  // Reset: back to automatic detection, which cannot read the file.
  await page.click('[data-action="map-reset"]');
  await page.waitForSelector('#error:not([hidden]) .wrong-format[open]');
  assert.equal(await page.isHidden('#dashboard'), true);
  assert.match(await page.textContent('#error'), /not a recognised CDR format/);
  assert.deepEqual(errors, []);
  await page.close();

  // The mapping applied is remembered for files with the same header (localStorage): a new
  // page offers it, including the choice the guess does not make (caller = column 2, Dest).
  const again = await fresh();
  await dropFiles(again.page, [BILLING]);
  await again.page.waitForSelector('#error .wrong-format[open] #mapping-editor');
  assert.equal(await again.page.inputValue('#map-egress'), '2');
  assert.equal(await again.page.inputValue('#map-caller'), '1');
  assert.deepEqual(again.errors, []);
  await again.page.close();
});

test('a recognised file pre-fills the editor with what its format read; headerless files list column numbers', async () => {
  const { page, errors } = await fresh();
  await dropFiles(page, [path.join(FIXTURES, 'asterisk_Master.csv')]);
  await waitLoaded(page);
  await page.click('.wrong-format summary');
  // Master.csv has no header: columns are numbered, examples from the first row.
  assert.equal(await page.isChecked('#map-header'), false);
  const cols = await options(page, '#map-code');
  assert.match(cols[15][1], /^column 15 — [A-Z ]+$/);
  // Asterisk reads disposition (column 15) as the code and billsec (14) as the talk time.
  assert.equal(await page.inputValue('#map-code'), '14');
  assert.equal(await page.inputValue('#map-duration'), '13');
  assert.equal(await page.inputValue('#map-code_system'), 'asterisk');
  // Saying the first row is a header turns its cells into column names, the choices kept.
  await page.focus('#map-header');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.querySelector('#map-code option[value="14"]').textContent.startsWith('15. ANSWERED — '));
  assert.equal(await page.inputValue('#map-code'), '14');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'map-header', 'focus stays on the checkbox');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.querySelector('#map-code option[value="14"]').textContent.startsWith('column 15 — '));
  // Spanish texts, and header values still only as text.
  await page.selectOption('#lang', 'es');
  assert.equal(await page.textContent('#map-title'), 'Asignar columnas a mano');
  assert.match((await options(page, '#map-code'))[15][1], /^columna 15 — /);
  await page.selectOption('#lang', 'en');
  assert.deepEqual(errors, []);
  await page.close();
});

test('hostile header names and values stay text in the editor', async () => {
  const { page, errors } = await fresh();
  const csv = 'When,<img src=x onerror="window.pwned=1">,Secs\n2025-03-10 08:00:00,<b id="bold">x</b>,5\n';
  await page.setInputFiles('#file-input', { name: 'hostile.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.waitForSelector('#error #mapping-editor');
  const cols = await options(page, '#map-caller');
  assert.equal(cols[2][1], '2. <img src=x onerror="window.pwned=1"> — <b id="bold">x</b>');
  assert.equal(await page.$('#mapping-editor img, #bold'), null);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.deepEqual(errors, []);
  await page.close();
});
