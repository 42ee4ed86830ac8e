// Trunk post_build hook: writes the precache list and a content version into the built sw.js.
// Every file Trunk produced is precached except the service worker itself and the examples; the version
// is a hash of their names and bytes, so each build with a change gets a fresh cache, installed whole.
// Usage: Trunk runs it with TRUNK_STAGING_DIR set; by hand: node scripts/sw-precache.mjs dist
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2];
if (!dir) throw new Error('sw-precache: give the build directory (or run from Trunk)');
const SKIP = new Set(['sw.js', 'cdrscope.html']);

function walk(d, rel = '') {
  return fs.readdirSync(d, { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) return r === 'examples' ? [] : walk(path.join(d, e.name), r);
    return SKIP.has(r) ? [] : [r];
  });
}

const assets = walk(dir).sort();
const hash = crypto.createHash('sha256');
for (const a of assets) hash.update(a).update('\0').update(fs.readFileSync(path.join(dir, a))).update('\0');
const version = hash.digest('hex').slice(0, 16);
const swPath = path.join(dir, 'sw.js');
let sw = fs.readFileSync(swPath, 'utf8');
const before = sw;
sw = sw.replace(/^const VERSION = .*;$/m, `const VERSION = '${version}';`);
sw = sw.replace(/^const ASSETS = \[[\s\S]*?\];$/m, `const ASSETS = ${JSON.stringify(assets)};`);
if (sw === before || !sw.includes(version)) throw new Error('sw-precache: VERSION/ASSETS lines not found in sw.js');
fs.writeFileSync(swPath, sw);
console.log(`sw.js: ${assets.length} files precached, version ${version}`);
