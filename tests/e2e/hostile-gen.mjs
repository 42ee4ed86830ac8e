// Generators of the hostile inputs of issue 22 for the browser tests, written into a temporary
// folder at test time (the same cases as tests/gen/mod.rs for the native tests).
import fs from 'node:fs';
import zlib from 'node:zlib';

export const HEADER = 'flowno,starttime,stoptime,holdtime,endreason,calleegatewayid';

/** One VOS3000 row: call `i`, answered with 2 s of talk on `gw`. */
export function row(i, gw) {
  const start = 1741536123749 + i * 10000;
  return `${i},${start},${start + 2925},2,-9,${gw}`;
}

/** A CSV of `n` rows, `gw(i)` naming each row's gateway. */
export function csv(n, gw = () => 'GW_A') {
  const lines = [HEADER];
  for (let i = 1; i <= n; i += 1) lines.push(row(i, gw(i)));
  return `${lines.join('\n')}\n`;
}

/** Deflates a stream of `parts` (Buffers or strings, produced by an iterator) and returns
 *  { data, crc, size }, never holding the uncompressed bytes. */
async function deflate(parts) {
  const d = zlib.createDeflateRaw({ level: 6 });
  const out = [];
  d.on('data', (c) => out.push(c));
  const done = new Promise((r) => d.on('end', r));
  let crc = 0; let size = 0;
  for (const p of parts) {
    const b = Buffer.isBuffer(p) ? p : Buffer.from(p);
    crc = zlib.crc32(b, crc);
    size += b.length;
    if (!d.write(b)) await new Promise((r) => d.once('drain', r));
  }
  d.end();
  await done;
  return { data: Buffer.concat(out), crc, size };
}

/** A zip (deflated entries, sizes below 4 GiB) of [name, parts] entries. */
export async function zip(entries) {
  const locals = []; const central = []; let offset = 0;
  for (const [name, parts] of entries) {
    const { data, crc, size } = await deflate(parts);
    const n = Buffer.from(name);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0); h.writeUInt16LE(20, 4); h.writeUInt16LE(8, 8);
    h.writeUInt32LE(crc >>> 0, 14); h.writeUInt32LE(data.length, 18); h.writeUInt32LE(size, 22);
    h.writeUInt16LE(n.length, 26);
    locals.push(h, n, data);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0); c.writeUInt16LE(20, 4); c.writeUInt16LE(20, 6); c.writeUInt16LE(8, 10);
    c.writeUInt32LE(crc >>> 0, 16); c.writeUInt32LE(data.length, 20); c.writeUInt32LE(size, 24);
    c.writeUInt16LE(n.length, 28); c.writeUInt32LE(offset, 42);
    central.push(c, n);
    offset += 30 + n.length + data.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

function* repeat(part, times) {
  const block = part.repeat(Math.max(1, Math.floor(65536 / part.length)));
  const per = block.length / part.length;
  let left = times;
  for (; left >= per; left -= per) yield block;
  for (; left > 0; left -= 1) yield part;
}

const FRAME = (shared) => [
  ['[Content_Types].xml', ['<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>']],
  ['_rels/.rels', ['<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>']],
  ['xl/workbook.xml', ['<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="CDR" sheetId="1" r:id="rId1"/></sheets></workbook>']],
  ['xl/_rels/workbook.xml.rels', [`<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>${shared ? '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' : ''}</Relationships>`]],
];
const SHEET_HEAD = '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const SHEET_TAIL = '</sheetData></worksheet>';

/** A sheet row of `cells` (numbers as numbers, the rest inline strings), `extra` appended. */
function rowXml(r, cells, extra = '') {
  const c = cells.map((v, i) => {
    const ref = `${String.fromCharCode(65 + i)}${r}`;
    return Number.isFinite(Number(v)) && v !== '' ? `<c r="${ref}"><v>${v}</v></c>` : `<c r="${ref}" t="inlineStr"><is><t>${v}</t></is></c>`;
  }).join('');
  return `<row r="${r}">${c}${extra}</row>`;
}

function* sheetRows(n, extra = () => '') {
  yield rowXml(1, HEADER.split(','));
  for (let i = 1; i <= n; i += 1) yield rowXml(i + 1, row(i, 'GW_X').split(','), extra(i + 1));
}

/** Shared strings of `mib` MiB (1 KiB strings) and `n` good rows. */
export function xlsxSharedBomb(mib, n) {
  const si = `<si><t>${'s'.repeat(1024)}</t></si>`;
  return zip([...FRAME(true),
    ['xl/sharedStrings.xml', ['<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">', ...repeat(si, mib * 1024), '</sst>']],
    ['xl/worksheets/sheet1.xml', [SHEET_HEAD, ...sheetRows(n), SHEET_TAIL]]]);
}

/** `n` good rows and, after them, a row of one inline-string cell of `mib` MiB. */
export function xlsxHugeCell(n, mib) {
  const at = n + 2;
  return zip([...FRAME(false),
    ['xl/worksheets/sheet1.xml', [SHEET_HEAD, ...sheetRows(n), `<row r="${at}"><c r="A${at}" t="inlineStr"><is><t>`, ...repeat('x', mib << 20), '</t></is></c></row>', SHEET_TAIL]]]);
}

/** `n` rows each with one more cell in column XFD. */
export function xlsxFarColumn(n) {
  return zip([...FRAME(false),
    ['xl/worksheets/sheet1.xml', [SHEET_HEAD, ...sheetRows(n, (r) => `<c r="XFD${r}"><v>1</v></c>`), SHEET_TAIL]]]);
}

/** A gzip of `mib` MiB of zeros: one 1 MiB member written `mib` times. */
export function gzipZeros(file, mib) {
  const member = zlib.gzipSync(Buffer.alloc(1 << 20), { level: 9 });
  const fd = fs.openSync(file, 'w');
  for (let i = 0; i < mib; i += 1) fs.writeSync(fd, member);
  fs.closeSync(fd);
}

/** A JSON array of `n` GetCdr records, then one whose gateway is a string of `mib` MiB. */
export function jsonHugeString(file, n, mib) {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, '[');
  for (let i = 1; i <= n; i += 1) {
    const start = 1741536123749 + i * 10000;
    fs.writeSync(fd, `{"flowNo":${i},"start":${start},"stop":${start + 2925},"holdTime":2,"endReason":-9,"calleeGateway":"GW_J"},`);
  }
  fs.writeSync(fd, '{"flowNo":0,"calleeGateway":"');
  const block = Buffer.alloc(1 << 20, 'y');
  for (let i = 0; i < mib; i += 1) fs.writeSync(fd, block);
  fs.writeSync(fd, '"}]');
  fs.closeSync(fd);
}
