// Smoke test: the built page loads the wasm in headless Chromium and reports its version.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serveDist, launch, ROOT } from './helpers.mjs';

test('the served page loads the wasm and shows the crate version', async () => {
  const version = fs.readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8').match(/^version = "([^"]+)"/m)[1];
  const server = await serveDist();
  const { context, close } = await launch();
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(server.url);
    await page.waitForFunction(() => document.getElementById('version').textContent !== '', null, { timeout: 20000 });
    assert.equal(await page.textContent('#version'), `v${version}`);
    assert.deepEqual(errors, []);
  } finally {
    await close();
    await server.close();
  }
});
