// Where the panel's wasm bytes go: the shipped files' sizes against the budget in `.ci/wasm-budget` (gzip -9 bytes
// of all wasm in dist/) and their sections (code, data, ...) raw and gzipped; then, from a build that keeps names
// (the wasm-bindgen output before wasm-opt, optimised again here with `wasm-opt -Oz -g` so the figures are close to
// the shipped file's), bytes by crate, the panel's own bytes by module, the generic functions with the most bytes
// over all their copies (how many types or closures each is compiled for) and the largest functions. Exits 1 above
// the budget.
//   node tests/size/report.mjs [--dist dist] [--top 25] [--no-breakdown]
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, resolve, dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const dist = resolve(ROOT, opt('--dist', 'dist'));
const top = Number(opt('--top', 25));

/** Reads an unsigned LEB128 at `pos`; returns [value, next position]. */
function leb(buf, pos) {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = buf[pos++];
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [result, pos];
    shift += 7;
  }
}

/** The sections of a wasm file: [id, contents] in file order. */
function sections(buf) {
  const out = [];
  let pos = 8;
  while (pos < buf.length) {
    const id = buf[pos++];
    let size;
    [size, pos] = leb(buf, pos);
    out.push([id, buf.subarray(pos, pos + size)]);
    pos += size;
  }
  return out;
}

/** A function's generic name: its path with the hash, crate disambiguators and generic arguments dropped. */
function genericName(path) {
  let name = path.replace(/::h[0-9a-f]{16}$/, '').replace(/\[[0-9a-f]+\]/g, '');
  for (let i = 0; i < 4; i++) name = name.replace(/<[^<>]*>/g, '<>');
  return name;
}

/** The function bodies' sizes (index -> bytes, imported functions first) and the names section's function names. */
function functions(buf) {
  let pos = 8;
  let imported = 0;
  const sizes = new Map();
  const names = new Map();
  while (pos < buf.length) {
    const id = buf[pos++];
    let size;
    [size, pos] = leb(buf, pos);
    const end = pos + size;
    if (id === 2) {
      // Imports: count the imported functions (they come first in the function index space).
      let [count, p] = leb(buf, pos);
      for (let i = 0; i < count; i++) {
        let len;
        [len, p] = leb(buf, p); p += len;
        [len, p] = leb(buf, p); p += len;
        const kind = buf[p++];
        if (kind === 0) { [, p] = leb(buf, p); imported++; }
        else if (kind === 1) { p++; const [flags, q] = leb(buf, p); p = q; [, p] = leb(buf, p); if (flags & 1) [, p] = leb(buf, p); }
        else if (kind === 2) { const [flags, q] = leb(buf, p); p = q; [, p] = leb(buf, p); if (flags & 1) [, p] = leb(buf, p); }
        else if (kind === 3) { p += 2; }
        else if (kind === 4) { p++; [, p] = leb(buf, p); }
      }
    } else if (id === 10) {
      let [count, p] = leb(buf, pos);
      for (let i = 0; i < count; i++) {
        let body;
        [body, p] = leb(buf, p);
        sizes.set(imported + i, body);
        p += body;
      }
    } else if (id === 0) {
      let [len, p] = leb(buf, pos);
      const name = buf.subarray(p, p + len).toString();
      p += len;
      if (name === 'name') {
        while (p < end) {
          const sub = buf[p++];
          let subSize;
          [subSize, p] = leb(buf, p);
          const subEnd = p + subSize;
          if (sub === 1) {
            let [count, q] = leb(buf, p);
            for (let i = 0; i < count; i++) {
              let index, nlen;
              [index, q] = leb(buf, q);
              [nlen, q] = leb(buf, q);
              names.set(index, buf.subarray(q, q + nlen).toString());
              q += nlen;
            }
          }
          p = subEnd;
        }
      }
    }
    pos = end;
  }
  return { sizes, names };
}

/** A Rust symbol's path (legacy `_ZN..E` mangling, or already demangled), its hash dropped. */
function demangle(name) {
  if (!name.startsWith('_ZN')) return name;
  const parts = [];
  let i = 3;
  while (i < name.length && name[i] !== 'E') {
    let j = i;
    while (name[j] >= '0' && name[j] <= '9') j++;
    const len = Number(name.slice(i, j));
    if (!len) break;
    parts.push(name.slice(j, j + len));
    i = j + len;
  }
  if (parts.length && /^h[0-9a-f]{16}$/.test(parts[parts.length - 1])) parts.pop();
  return parts.join('::').replace(/\$LT\$/g, '<').replace(/\$GT\$/g, '>').replace(/\$u20\$/g, ' ')
    .replace(/\$RF\$/g, '&').replace(/\$C\$/g, ',').replace(/\.\./g, '::').replace(/\$u7b\$/g, '{').replace(/\$u7d\$/g, '}');
}

/** The crate a function belongs to: its path's first segment (for `<T as Trait>` impls, the type's). */
function crateOf(path) {
  const m = path.match(/^<?([a-zA-Z_][a-zA-Z0-9_]*)/);
  return m ? m[1] : '?';
}

const kb = (b) => `${(b / 1024).toFixed(1)} KB`;

// The shipped files and the budget.
const budget = Number(readFileSync(join(ROOT, '.ci', 'wasm-budget'), 'utf8').trim());
let total = 0;
for (const f of readdirSync(dist).filter((f) => f.endsWith('.wasm') || f.endsWith('.js'))) {
  const bytes = readFileSync(join(dist, f));
  const gz = gzipSync(bytes, { level: 9 }).length;
  if (f.endsWith('.wasm')) total += gz;
  console.log(`size: ${f.padEnd(50)} raw ${String(bytes.length).padStart(9)} B   gzip -9 ${String(gz).padStart(9)} B`);
}
console.log(`size: all wasm in ${dist.replace(ROOT + '/', '')}: ${total} B gzip -9; budget ${budget} B (.ci/wasm-budget)`);
const SECTION_NAMES = { 0: 'custom', 1: 'types', 2: 'imports', 3: 'functions', 4: 'tables', 5: 'memory', 6: 'globals',
  7: 'exports', 8: 'start', 9: 'elements (function table)', 10: 'code', 11: 'data', 12: 'data count' };
for (const f of readdirSync(dist).filter((f) => f.endsWith('.wasm'))) {
  const rows = [];
  for (const [id, bytes] of sections(readFileSync(join(dist, f)))) {
    if (bytes.length >= 1024) rows.push(`${SECTION_NAMES[id] ?? id} ${bytes.length} B raw / ${gzipSync(bytes, { level: 9 }).length} B gzip`);
  }
  console.log(`size: ${f} sections: ${rows.join('; ')}`);
}

// Where the bytes go, from the name-keeping build.
const named = join(ROOT, 'target', 'wasm-bindgen', 'release', 'warehouse-panel_bg.wasm');
if (!args.includes('--no-breakdown') && existsSync(named)) {
  const dir = mkdtempSync(join(tmpdir(), 'wp-size-'));
  try {
    const optimised = join(dir, 'named.wasm');
    execFileSync(join(ROOT, 'node_modules', '.bin', 'wasm-opt'), ['-Oz', '-g', '--enable-bulk-memory',
      '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals', '--enable-reference-types',
      '--enable-multivalue', named, '-o', optimised], { stdio: 'ignore' });
    const { sizes, names } = functions(readFileSync(optimised));
    const byCrate = new Map();
    const rows = [];
    let code = 0;
    for (const [index, size] of sizes) {
      const path = demangle(names.get(index) ?? `func${index}`);
      code += size;
      const crate = crateOf(path);
      byCrate.set(crate, (byCrate.get(crate) ?? 0) + size);
      rows.push([size, path]);
    }
    console.log(`\ncode section (wasm-opt -Oz -g of the wasm-bindgen output): ${kb(code)} in ${sizes.size} functions`);
    console.log('bytes by crate:');
    for (const [crate, size] of [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`  ${kb(size).padStart(10)}  ${(100 * size / code).toFixed(1).padStart(5)} %  ${crate}`);
    }
    // The panel's own bytes by module (screens and components one level deeper), to see which part to cut.
    const byModule = new Map();
    for (const [size, path] of rows) {
      const m = path.match(/warehouse_panel::((?:ui::(?:pages|components)::)?(?:ui::)?[a-z_0-9]+)/);
      if (m) byModule.set(m[1], (byModule.get(m[1]) ?? 0) + size);
    }
    console.log('bytes of warehouse_panel by module (functions named after the module; generic code lands in its crate):');
    for (const [module, size] of [...byModule].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`  ${kb(size).padStart(10)}  ${module}`);
    }
    const generic = new Map();
    for (const [size, path] of rows) {
      const name = genericName(path);
      const [bytes, copies] = generic.get(name) ?? [0, 0];
      generic.set(name, [bytes + size, copies + 1]);
    }
    console.log(`generic functions by bytes over all their copies (top ${top}; copies = types or closures compiled for):`);
    for (const [name, [size, copies]] of [...generic].sort((a, b) => b[1][0] - a[1][0]).slice(0, top)) {
      console.log(`  ${kb(size).padStart(10)}  ${String(copies).padStart(5)} x  ${name.slice(0, 140)}`);
    }
    console.log(`largest functions (top ${top}):`);
    for (const [size, path] of rows.sort((a, b) => b[0] - a[0]).slice(0, top)) {
      console.log(`  ${kb(size).padStart(10)}  ${path.slice(0, 150)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (total > budget) {
  console.error(`size: ${total} B gzip -9 is over the budget of ${budget} B: see where the bytes go above.`);
  process.exit(1);
}
