// Memory figures for the benchmarks: the JS heap sampled through the DevTools protocol, and the wasm module's
// linear memory (where the panel's Rust data lives; it only grows, so its size at the end is its peak).

/** Call before the page loads: keeps a handle on the wasm memory that Trunk's loader announces. */
export function watchWasmMemory(page) {
  return page.addInitScript(() => addEventListener('TrunkApplicationStarted', (e) => {
    window.__wasmMemory = e.detail?.wasm?.memory;
  }));
}

/** The wasm linear memory size in bytes (0 when the handle was not caught). */
export function wasmMemoryBytes(page) {
  return page.evaluate(() => window.__wasmMemory?.buffer.byteLength ?? 0);
}

/** Samples JSHeapUsedSize every 250 ms until `stop()`; returns {before, now(), stop() -> peak}. */
export async function sampleJsHeap(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const now = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
  };
  const before = await now();
  let peak = before;
  let sampling = true;
  const loop = (async () => {
    while (sampling) {
      peak = Math.max(peak, await now().catch(() => 0));
      await new Promise((ok) => setTimeout(ok, 250));
    }
  })();
  return {
    before,
    now,
    async stop() {
      sampling = false;
      await loop;
      return peak;
    },
  };
}
