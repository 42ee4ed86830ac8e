// Browser tests of folders (issue 9): a month of hourly exports with sub-folders, picked with
// "Choose folder" or dragged onto the page, is one data set equal to the CLI's report on the
// same folder, with per-file rows, duplicates counted once and clutter skipped and listed. And
// the drill-down shows the original row for rows that came out of a .gz, a zip or Excel.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { serveDist, launch, dropFiles, waitLoaded, kpis, cliReport, screenshotPath, DIST, FIXTURES, freshPage } from './helpers.mjs';

let server; let browser; let root;
before(async () => {
  server = await serveDist(); browser = await launch();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdrscope-folder-'));
});
after(async () => {
  await browser?.close(); await server?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

const VOS_EN = path.join(FIXTURES, 'vos3000_cdr_en.csv');
const TWIN = fs.readFileSync(VOS_EN, 'utf8').split('\n').filter((l) => l !== '');

const fresh = () => freshPage(browser, server.url);

/**
 * march/ with the twin's 2000 calls split into three "hourly" files over two day folders, a
 * re-sent copy of the first hour in a sub-folder (700 cross-file duplicates), and clutter:
 * .DS_Store, Thumbs.db and a hidden folder holding a CSV that must not be read.
 */
function makeMonth(name) {
  const dir = path.join(root, name, 'march');
  const [header, ...body] = TWIN;
  const csv = (rows) => [header, ...rows].join('\n') + '\n';
  const files = {
    'day01/h00.csv': csv(body.slice(0, 700)),
    'day01/h01.csv': csv(body.slice(700, 1400)),
    'day02/h02.csv': csv(body.slice(1400)),
    'day02/resent/h00.csv': csv(body.slice(0, 700)),
    '.DS_Store': '\x00\x00\x00\x01Bud1\x00\x00',
    'day02/Thumbs.db': '\xD0\xCF\x11\xE0 not a workbook',
    '.hidden/old.csv': csv(body.slice(0, 50)),
  };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** The parts of a summary that do not depend on the viewer's time zone, names or sizes. */
function comparable(s) {
  const { overall, by_code, by_egress_gateway, by_ingress_gateway, by_destination, rows, format, rejects_total } = s;
  return { overall, by_code, by_egress_gateway, by_ingress_gateway, by_destination, rows, format, rejects_total };
}

const WANT_FILES = [
  ['march/day01/h00.csv', 700, 0],
  ['march/day01/h01.csv', 700, 0],
  ['march/day02/h02.csv', 600, 0],
  ['march/day02/resent/h00.csv', 700, 700],
];

/** Checks a loaded folder against the CLI's report on the same folder. */
async function checkMonth(page, dir) {
  const cli = cliReport(dir);
  assert.ok(!cli.unsupported, cli.unsupported);
  const tiles = await kpis(page);
  assert.equal(tiles.attempts, 2000);
  assert.equal(tiles.answered, 745);
  for (const k of ['attempts', 'answered', 'asr', 'acd_s', 'pdd_avg_ms', 'pdd_p95_ms', 'ner', 'sdr', 'minutes']) {
    assert.ok(Math.abs(tiles[k] - cli.overall[k]) < 1e-9, `${k}: page ${tiles[k]} vs CLI ${cli.overall[k]}`);
  }
  const s = await page.evaluate(() => window.cdrscope.summary());
  assert.deepEqual(comparable(s), comparable(cli));
  assert.deepEqual([s.rows.accepted, s.rows.duplicates], [2700, 700]);
  assert.deepEqual(s.files.map((f) => [f.name, f.accepted, f.duplicates]), WANT_FILES);
  // The CLI names the same files by their full path, in the same order.
  assert.deepEqual(cli.files.map((f) => [path.relative(path.dirname(dir), f.name).split(path.sep).join('/'), f.accepted, f.duplicates]), WANT_FILES);
  // The per-file table on the page.
  const table = await page.$$eval('#files-table tbody tr', (trs) => trs.map((tr) => [tr.dataset.file, Number(tr.dataset.accepted), Number(tr.dataset.duplicates), tr.cells[1].textContent]));
  assert.deepEqual(table, WANT_FILES.map(([n, a, d]) => [n, a, d, 'vos3000']));
  return s;
}

test('"Choose folder" reads every file of a folder and its sub-folders as one data set, like the CLI', async () => {
  const dir = makeMonth('picked');
  const { page, errors } = await fresh();
  // The button is a real, focusable button; the input it opens is a webkitdirectory picker.
  assert.equal(await page.textContent('#btn-folder'), 'Choose folder…');
  assert.equal(await page.$eval('#folder-input', (i) => i.webkitdirectory && i.type === 'file'), true);
  await page.setInputFiles('#folder-input', dir);
  await waitLoaded(page);
  await checkMonth(page, dir);
  const skipped = await page.$$eval('#skipped-files [data-skipped]', (els) => els.map((e) => e.dataset.skipped));
  assert.deepEqual(skipped, ['march/.DS_Store', 'march/.hidden/old.csv', 'march/day02/Thumbs.db']);
  // Drill into a gateway: rows name their file by its path and show the line as written.
  await page.click('#table-egress tr[data-name="GW_SG_CHEAP"] td.num [data-action="drill"]');
  await page.waitForSelector('#drill[data-state="done"]');
  const rows = await page.$$eval('#drill-table tbody tr.call', (trs) => trs.map((tr) => [tr.nextElementSibling.querySelector('.raw-where').textContent, Number(tr.dataset.line), tr.nextElementSibling.querySelector('.raw').textContent]));
  assert.equal(rows.length, 50);
  const egress = TWIN[0].split(',').indexOf('calleegatewayid');
  const want = TWIN.map((l, i) => [i + 1, l]).filter(([i, l]) => i > 1 && i <= 701 && l.split(',')[egress] === 'GW_SG_CHEAP').slice(0, 50);
  assert.deepEqual(rows, want.map(([line, l]) => [`march/day01/h00.csv:${line}`, line, l]));
  await page.screenshot({ path: screenshotPath('folder-picked.png'), fullPage: true });
  // Spanish labels.
  await page.selectOption('#lang', 'es');
  assert.equal(await page.textContent('#btn-folder'), 'Elegir carpeta…');
  assert.equal(await page.textContent('#files h2'), 'Archivos leídos');
  await page.selectOption('#lang', 'en');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the "Choose folder" button is reachable and pressed with the keyboard', async () => {
  const { page, errors } = await fresh();
  // Playwright turns on file-chooser interception without waiting for it: listening first, several
  // round trips before the key press, keeps a loaded machine from opening an unintercepted dialog.
  const chooser = page.waitForEvent('filechooser');
  await page.bringToFront();
  await page.focus('#btn-open');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'btn-folder');
  await page.keyboard.press('Enter');
  const fc = await chooser;
  assert.equal(await fc.element().evaluate((i) => i.id), 'folder-input');
  const dir = makeMonth('keyboard');
  await fc.setFiles(dir);
  await waitLoaded(page);
  assert.equal((await kpis(page)).attempts, 2000);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a folder dragged onto the page (CDP drag with the folder path) is walked like the picker', async () => {
  const dir = makeMonth('dragged');
  const { page, errors } = await fresh();
  const cdp = await page.context().newCDPSession(page);
  const box = await page.$eval('#drop-zone', (e) => { const r = e.getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + 40 }; });
  const data = { items: [], files: [dir], dragOperationsMask: 1 };
  for (const type of ['dragEnter', 'dragOver', 'drop']) {
    await cdp.send('Input.dispatchDragEvent', { type, x: box.x, y: box.y, data });
  }
  await waitLoaded(page);
  await checkMonth(page, dir);
  const skipped = await page.$$eval('#skipped-files [data-skipped]', (els) => els.map((e) => e.dataset.skipped));
  // The walk does not enter a hidden folder: it is listed as a folder.
  assert.deepEqual(skipped, ['march/.DS_Store', 'march/.hidden/', 'march/day02/Thumbs.db']);
  await page.screenshot({ path: screenshotPath('folder-dropped.png'), fullPage: true });
  await page.locator('#files').screenshot({ path: screenshotPath('folder-dropped-files.png') });
  assert.deepEqual(errors, []);
  await page.close();
});

test('a folder with more than 100 files in one directory is read whole (readEntries is called until empty)', async () => {
  const dir = path.join(root, 'many', 'hours');
  fs.mkdirSync(dir, { recursive: true });
  const [header, ...body] = TWIN;
  for (let i = 0; i < 125; i++) {
    const rows = body.slice(i * 16, i * 16 + 16);
    fs.writeFileSync(path.join(dir, `h${String(i).padStart(3, '0')}.csv`), [header, ...rows].join('\n') + '\n');
  }
  const { page, errors } = await fresh();
  const cdp = await page.context().newCDPSession(page);
  const data = { items: [], files: [dir], dragOperationsMask: 1 };
  for (const type of ['dragEnter', 'dragOver', 'drop']) {
    await cdp.send('Input.dispatchDragEvent', { type, x: 400, y: 300, data });
  }
  await waitLoaded(page);
  const s = await page.evaluate(() => window.cdrscope.summary());
  assert.equal(s.files.length, 125);
  assert.equal(s.files[124].name, 'hours/h124.csv');
  assert.equal(s.rows.accepted, 2000);
  assert.equal(s.overall.answered, 745);
  assert.deepEqual(errors, []);
  await page.close();
});

// Drill-down of rows from inside containers: the raw row is the CSV twin's line.
const GW = 'GW_SG_CHEAP';
const egressCol = TWIN[0].split(',').indexOf('calleegatewayid');
const WANT_GW = TWIN.map((l, i) => [i + 1, l]).filter(([i, l]) => i > 1 && l.split(',')[egressCol] === GW);

async function drillPage(page) {
  await page.waitForSelector('#drill[data-state="done"]');
  return page.$$eval('#drill-table tbody tr.call', (trs) => trs.map((tr) => [Number(tr.dataset.line), tr.nextElementSibling.querySelector('.raw').textContent]));
}

for (const [name, lineShift] of [
  ['vos3000_cdr_en.csv.gz', 0],
  ['vos3000_cdr_en.xlsx', 0],
  ['vos3000_cdr_en.xls', 0],
  ['vos3000_cdr_en_halves.zip', 1000],
]) {
  test(`drill-down into ${name} shows each row as its CSV twin has it`, async () => {
    const { page, errors } = await fresh();
    await dropFiles(page, [path.join(FIXTURES, 'inputs', name)]);
    await waitLoaded(page);
    await page.click(`#table-egress tr[data-name="${GW}"] td.num [data-action="drill"]`);
    assert.equal(WANT_GW.length, 471);
    let rows = await drillPage(page);
    assert.deepEqual(rows, WANT_GW.slice(0, 50));
    // The last page: for the zip these rows come from its second entry (lines restart there).
    await page.evaluate(() => document.getElementById('drill').removeAttribute('data-state'));
    await page.evaluate(() => {
      const next = document.querySelector('#drill [data-action="drill-page"]:last-child');
      next.dataset.page = '9';
      next.click();
    });
    rows = await drillPage(page);
    assert.deepEqual(rows, WANT_GW.slice(450).map(([line, l]) => [line - lineShift, l]));
    // Rows name the file they are in: a zip's entry, not just the archive.
    const [file, line] = await page.$eval('#drill-table tbody tr.call', (tr) => [tr.nextElementSibling.querySelector('.raw-where').textContent, tr.dataset.line]);
    assert.equal(file, `${name.endsWith('.zip') ? `${name}/e_cdr_20250310_part2.csv` : name}:${line}`);
    if (name.endsWith('.gz')) await page.screenshot({ path: screenshotPath('drill-gz.png') });
    assert.deepEqual(errors, []);
    await page.close();
  });
}

/** A zip archive of stored (uncompressed) entries: [name, Buffer] pairs. */
function storedZip(entries) {
  const locals = []; const centrals = []; let offset = 0;
  for (const [name, data] of entries) {
    const n = Buffer.from(name); const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16); central.writeUInt32LE(data.length, 20); central.writeUInt32LE(data.length, 24); central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, data); centrals.push(central, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

test('rejected rows from inside a .gz or a zip entry are listed with their original text', async () => {
  const bad = fs.readFileSync(path.join(FIXTURES, 'bad', 'truncated_last_line.csv'));
  const lastLine = bad.toString('utf8').trimEnd().split('\n').pop();
  const dir = path.join(root, 'rejects');
  fs.mkdirSync(dir, { recursive: true });
  const gz = path.join(dir, 'truncated.csv.gz');
  fs.writeFileSync(gz, zlib.gzipSync(bad));
  const zip = path.join(dir, 'exports.zip');
  fs.writeFileSync(zip, storedZip([['a/ok.csv', Buffer.from(TWIN.slice(0, 6).join('\n') + '\n')], ['b/truncated.csv', bad]]));
  for (const [file, name] of [[gz, 'truncated.csv.gz'], [zip, 'exports.zip/b/truncated.csv']]) {
    const { page, errors } = await fresh();
    await dropFiles(page, [file]);
    await waitLoaded(page);
    const s = await page.evaluate(() => window.cdrscope.summary());
    assert.deepEqual(s.rejects.map((r) => [r.file, r.line, r.reason]), [[name, 4, 'expected 13 fields, found 6']]);
    await page.waitForSelector('#rejects[data-texts="done"]');
    const rows = await page.$$eval('#rejects-table tbody tr', (trs) => trs.map((tr) => [tr.cells[0].textContent, Number(tr.dataset.line), tr.querySelector('td.raw').textContent]));
    assert.deepEqual(rows, [[name, 4, lastLine]]);
    assert.deepEqual(errors, []);
    await page.close();
  }
});

test('single file over file:// (classic worker): drill-down into a .gz shows the twin lines too', async () => {
  const { context, close } = await launch();
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(`file://${path.join(DIST, 'cdrscope.html')}`);
    await page.waitForFunction(() => document.getElementById('drop-zone').dataset.ready === 'true', null, { timeout: 20000 });
    await dropFiles(page, [path.join(FIXTURES, 'inputs', 'vos3000_cdr_en.csv.gz')]);
    await waitLoaded(page);
    await page.click(`#table-egress tr[data-name="${GW}"] td.num [data-action="drill"]`);
    assert.deepEqual(await drillPage(page), WANT_GW.slice(0, 50));
    assert.deepEqual(errors, []);
  } finally {
    await close();
  }
});
