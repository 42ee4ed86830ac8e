// Broken files dropped on the page: a clear message naming the file and the reason, rejected rows
// listed with line and reason, and the page keeps working afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serveDist, launch, dropFiles, waitLoaded, kpis, cliReport, FIXTURES } from './helpers.mjs';

let server; let browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const bad = (name) => path.join(FIXTURES, 'bad', name);

async function fresh() {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url);
  await page.waitForFunction(() => window.cdrscope && document.getElementById('drop-zone').dataset.ready === 'true');
  return { page, errors };
}

for (const [name, reason] of [
  ['empty.csv', 'the file is empty'],
  ['image.png', 'PNG image'],
  ['not_cdr.csv', 'not a recognised CDR format'],
]) {
  test(`${name}: a message names the file and why, then the page still works`, async () => {
    const { page, errors } = await fresh();
    await dropFiles(page, [bad(name)]);
    await page.waitForSelector('#error:not([hidden])', { timeout: 20000 });
    const text = await page.textContent('#error');
    assert.ok(text.includes(name), `${text} names ${name}`);
    assert.ok(text.includes(reason), `${text} says ${reason}`);
    // The page is still usable: the demo loads and the message goes away.
    await page.click('#btn-demo');
    await waitLoaded(page);
    assert.equal((await kpis(page)).attempts, 2000);
    assert.equal(await page.isHidden('#error'), true);
    assert.deepEqual(errors, [], 'no uncaught error or panic');
    await page.close();
  });
}

test('a truncated last line is listed as rejected with its line and reason', async () => {
  const { page, errors } = await fresh();
  await dropFiles(page, [bad('truncated_last_line.csv')]);
  await waitLoaded(page);
  const s = await page.evaluate(() => window.cdrscope.summary());
  assert.deepEqual([s.rows.accepted, s.rows.rejected], [2, 1]);
  assert.equal(s.rejects[0].line, 4);
  assert.equal(s.rejects[0].reason, 'expected 13 fields, found 6');
  const panel = await page.textContent('body');
  assert.ok(panel.includes('expected 13 fields, found 6'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('an unclosed quote costs one rejected line, not the rest of the file', async () => {
  const { page, errors } = await fresh();
  await dropFiles(page, [bad('unclosed_quote.csv')]);
  await waitLoaded(page);
  const s = await page.evaluate(() => window.cdrscope.summary());
  assert.deepEqual([s.rows.accepted, s.rows.rejected], [102, 1]);
  assert.equal(s.rejects[0].line, 4);
  assert.equal(s.rejects[0].reason, 'a quoted field is never closed (it would swallow the rest of the file)');
  assert.equal((await kpis(page)).attempts, 102);
  assert.deepEqual(errors, []);
  await page.close();
});

test('spreadsheet-mangled numbers are accepted but listed as doubtful', async () => {
  const { page, errors } = await fresh();
  await dropFiles(page, [bad('excel_mangled.csv')]);
  await waitLoaded(page);
  assert.equal(await page.getAttribute('#notes', 'data-total'), '2');
  const text = await page.textContent('#notes');
  assert.ok(text.includes('excel_mangled.csv:2: callee "4.42079E+11" was mangled by a spreadsheet'), text);
  assert.deepEqual(errors, []);
  await page.close();
});

// Every file of the corpus: the page agrees with the CLI, row for row, or shows the CLI's message.
test('every file of the bad-input corpus: the page says what the CLI says, and keeps working', async () => {
  const { page, errors } = await fresh();
  const names = fs.readdirSync(path.join(FIXTURES, 'bad'))
    .filter((n) => !n.endsWith('.md') && !n.endsWith('.py') && fs.statSync(bad(n)).isFile());
  assert.ok(names.length >= 18, names.join(' '));
  for (const name of names) {
    const cli = cliReport(bad(name));
    await page.evaluate(() => { document.getElementById('dashboard').dataset.state = ''; });
    await dropFiles(page, [bad(name)]);
    if (cli.unsupported) {
      // The CLI refused the file: the page shows a message naming it, with the same reason.
      await page.waitForSelector('#error:not([hidden])', { timeout: 20000 });
      const text = await page.textContent('#error');
      const reason = cli.unsupported.replace(/^cdrscope: [^:]*: /, '').slice(0, 30);
      assert.ok(text.includes(name) && text.includes(reason), `${name}: page "${text}" vs CLI "${cli.unsupported}"`);
    } else {
      if (cli.rows.accepted === 0) {
        // No call read: one error card instead of a dashboard of zeros (issue 17).
        await page.waitForSelector('#error:not([hidden]) h2', { timeout: 20000 });
      } else {
        await waitLoaded(page);
      }
      const s = await page.evaluate(() => window.cdrscope.summary());
      assert.deepEqual(
        [s.rows.data, s.rows.accepted, s.rows.rejected, s.rejects_total],
        [cli.rows.data, cli.rows.accepted, cli.rows.rejected, cli.rejects_total],
        name,
      );
      assert.equal(s.rows.accepted + s.rows.rejected, s.rows.data, `${name}: every row accounted for`);
    }
  }
  // Still usable afterwards.
  await page.click('#btn-demo');
  await waitLoaded(page);
  assert.equal((await kpis(page)).attempts, 2000);
  assert.deepEqual(errors, [], 'no uncaught error or panic');
  await page.close();
});
