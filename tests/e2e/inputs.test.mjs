// Browser tests of the other input kinds: gzip, zip, Excel and VOS3000 API JSON dropped on the
// page give the same figures as the CSV they were made from, and a folder of files is one data set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serveDist, launch, dropFiles, waitLoaded, kpis, FIXTURES, freshPage } from './helpers.mjs';

let server; let browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const fresh = () => freshPage(browser, server.url);

for (const name of ['vos3000_cdr_en.csv.gz', 'vos3000_cdr_en_halves.zip', 'vos3000_cdr_en.xlsx', 'vos3000_cdr_en.xls', 'vos3000_getcdr.json', 'vos3000_getcdr.jsonl']) {
  test(`${name} dropped on the page gives the CSV's figures`, async () => {
    const { page, errors } = await fresh();
    await dropFiles(page, [path.join(FIXTURES, 'inputs', name)]);
    await waitLoaded(page);
    const k = await kpis(page);
    assert.equal(k.attempts, 2000);
    assert.equal(k.answered, 745);
    const s = await page.evaluate(() => window.cdrscope.summary());
    assert.equal(s.format, 'vos3000');
    const sg = s.by_egress_gateway.find((g) => g.name === 'GW_SG_CHEAP');
    assert.deepEqual([sg.attempts, sg.answered], [471, 94]);
    assert.equal(s.by_code.find((c) => c.code === '503').count, 294);
    assert.ok(s.files.every((f) => !f.error), JSON.stringify(s.files));
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('a zip of two halves is read entry by entry, one data set', async () => {
  const { page, errors } = await fresh();
  await dropFiles(page, [path.join(FIXTURES, 'inputs', 'vos3000_cdr_en_halves.zip')]);
  await waitLoaded(page);
  const s = await page.evaluate(() => window.cdrscope.summary());
  assert.equal(s.files.length, 2);
  assert.ok(s.files.every((f) => f.name.startsWith('vos3000_cdr_en_halves.zip/')), JSON.stringify(s.files.map((f) => f.name)));
  assert.equal(s.files[0].accepted + s.files[1].accepted, 2000);
  assert.deepEqual(errors, []);
  await page.close();
});
