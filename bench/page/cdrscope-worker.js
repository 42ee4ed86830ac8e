// cdrscope benchmark worker: drives the exported WebHandle directly (the product page has its own worker).
// Reads the File in slices with Blob.slice().arrayBuffer(), requesting the next slice before pushing the
// current one, so reading and parsing overlap; the File is never held whole in JS or in wasm.
self.onmessage = async (ev) => {
  const { file, slice, glue } = ev.data;
  try {
    const t0 = performance.now();
    const mod = await import(glue);
    const wasm = await mod.default();          // fetch + compile + instantiate the .wasm next to the glue
    const memMiB = () => +(wasm.memory.buffer.byteLength / 2 ** 20).toFixed(1);
    const t1 = performance.now();
    const handle = new mod.WebHandle();
    handle.start_file(file.name, file.size, undefined);
    const read = (a) => file.slice(a, Math.min(file.size, a + slice)).arrayBuffer();
    let offset = 0, waitMs = 0, pushMs = 0, slices = 0;
    let next = file.size > 0 ? read(0) : null;
    while (next) {
      const w0 = performance.now();
      const buf = await next;
      const w1 = performance.now();
      offset += buf.byteLength;
      next = offset < file.size ? read(offset) : null;   // prefetch while this slice is parsed
      handle.push(new Uint8Array(buf));
      waitMs += w1 - w0; pushMs += performance.now() - w1; slices++;
    }
    handle.finish_file();
    const t2 = performance.now();
    const wasmMemoryAfterIngestMiB = memMiB();
    const s = handle.summary(undefined, undefined);
    const t3 = performance.now();
    // Map the Summary to the benchmark shape: egress gateway "(none)" is the empty calleegatewayid.
    const gw = {};
    for (const g of s.by_egress_gateway) gw[g.name === '(none)' ? '' : g.name] = [g.attempts, g.answered, g.total_hold_s];
    const er = {};
    for (const c of s.by_code) er[String(c.code)] = c.count;
    const t4 = performance.now();
    self.postMessage({ result: {
      rows: s.rows.accepted, gw, er,   // a rejected row shows up as a checksum mismatch
      phases: { initMs: t1 - t0, ingestMs: t2 - t1, summaryMs: t3 - t2, readWaitMs: waitMs, pushMs },
      notes: { format: s.format, encoding: s.encoding, accepted: s.rows.accepted, rejected: s.rows.rejected,
               rejectsTotal: s.rejects_total, findings: (s.findings || []).length, slices, bytesRead: offset,
               egressGroups: s.by_egress_gateway.length, destinations: s.by_destination.length, mapMs: t4 - t3,
               version: mod.WebHandle.version(), wasmMemoryAfterIngestMiB, wasmMemoryAfterSummaryMiB: memMiB() },
    } });
  } catch (e) {
    self.postMessage({ error: String((e && e.stack) || e) });
  }
};
