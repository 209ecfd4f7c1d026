import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { runnerImport, type Plugin } from 'vite';

/**
 * builtInScenario(): `import demo from './demo.yaml?scenario'` gives `{ text, docs, cluster }`:
 * the text, its YAML documents parsed at build time by the engine's own parser, and the cluster
 * the engine's loader builds from it (src/ui/state/clusterCopy.ts encodeCluster), and `drawn`:
 * its drawings and trace targets (src/ui/builtInDrawing.ts), so the page draws the demo before
 * the parser, the loader and the drawing engine (later chunks) have loaded. A file that does
 * not parse or load, or whose documents JSON cannot carry, fails the build.
 */
function builtInScenario(): Plugin {
  // The engine's parser and loader, loaded through Vite's module runner (they are TypeScript with
  // extensionless imports, which the config file itself should not import), once per build.
  type Parsing = typeof import('./src/engine/scenario/parseYaml') & typeof import('./src/ui/state/parsedScenarios') & typeof import('./src/engine/load') & typeof import('./src/ui/state/clusterCopy') & typeof import('./src/ui/builtInDrawing');
  let parsing: Promise<Parsing> | undefined;
  const load = async (): Promise<Parsing> => {
    const root = import.meta.dirname;
    const opts = { configFile: false as const, logLevel: 'error' as const };
    const [yaml, cache, loader, copy, drawn] = await Promise.all([
      runnerImport<typeof import('./src/engine/scenario/parseYaml')>(join(root, 'src/engine/scenario/parseYaml.ts'), opts),
      runnerImport<typeof import('./src/ui/state/parsedScenarios')>(join(root, 'src/ui/state/parsedScenarios.ts'), opts),
      runnerImport<typeof import('./src/engine/load')>(join(root, 'src/engine/load.ts'), opts),
      runnerImport<typeof import('./src/ui/state/clusterCopy')>(join(root, 'src/ui/state/clusterCopy.ts'), opts),
      runnerImport<typeof import('./src/ui/builtInDrawing')>(join(root, 'src/ui/builtInDrawing.ts'), opts),
    ]);
    return { ...yaml.module, ...cache.module, ...loader.module, ...copy.module, ...drawn.module };
  };
  return {
    name: 'podpath-built-in-scenario',
    enforce: 'pre',
    async load(id) {
      const [file, query] = id.split('?', 2);
      if (query === undefined || !new URLSearchParams(query).has('scenario')) return null;
      this.addWatchFile(file);
      const { parseYamlFile, jsonSafeDocs, loadCluster, encodeCluster, drawBuiltIn } = await (parsing ??= load());
      const text = readFileSync(file, 'utf8');
      const parsed = parseYamlFile({ name: basename(file), text });
      if (!parsed.ok) this.error(`${file}:${parsed.errors[0].line}: ${parsed.errors[0].message}`);
      if (!jsonSafeDocs(parsed.value)) this.error(`${file}: its YAML documents do not survive JSON (aliases, .inf or .nan?)`);
      // The app loads it as 'scenario.yaml' (store.ts SCENARIO_FILE): the cluster's sources name that file.
      const built = loadCluster([{ name: 'scenario.yaml', text }]);
      if (!built.ok) this.error(`${file}:${built.errors[0].line ?? 0}: ${built.errors[0].message}`);
      const cluster = encodeCluster(built.value);
      // Its drawings and trace targets, from the cluster as the page decodes it (src/ui/builtInDrawing.ts).
      const drawn = drawBuiltIn(JSON.parse(JSON.stringify(cluster)));
      if (!isDeepStrictEqual(JSON.parse(JSON.stringify(drawn)), withoutUndefined(drawn))) this.error(`${file}: its drawings do not survive JSON`);
      return `export default JSON.parse(${JSON.stringify(JSON.stringify({ text, docs: parsed.value, cluster, drawn }))});`;
    },
  };
}

/** A copy of plain data without its undefined properties (which JSON leaves out, and React Flow reads as absent). */
function withoutUndefined(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(withoutUndefined);
  if (x === null || typeof x !== 'object' || Object.getPrototypeOf(x) !== Object.prototype) return x;
  return Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined).map(([k, v]) => [k, withoutUndefined(v)]));
}

/**
 * serviceWorker(): writes `sw.js` next to the built files, listing them for the offline cache.
 * The cache name carries a hash of every file name and public file, so a new build (whose
 * asset names change with their content) installs a new cache and drops the old one.
 */

function filesUnder(dir: string): string[] {
  let out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(filesUnder(p));
    else out.push(p);
  }
  return out;
}

const WORKER = (version: string, assets: string[]) => `// podpath offline cache (generated at build time; see vite.config.ts)
const CACHE = 'podpath-${version}';
const ASSETS = ${JSON.stringify(assets)};

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('podpath-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // The page itself: the network when there is one (a new build), else the cached copy.
    event.respondWith(fetch(request).catch(() => caches.match('./index.html', { ignoreSearch: true }).then((hit) => hit || Response.error())));
    return;
  }
  event.respondWith(
    caches.match(request, { ignoreSearch: true }).then((hit) => hit || fetch(request).then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(request, copy));
      }
      return response;
    })),
  );
});
`;

function serviceWorker(): Plugin {
  let publicDir = '';
  return {
    name: 'podpath-service-worker',
    apply: 'build',
    configResolved(config) {
      publicDir = config.publicDir;
    },
    // After Vite's own generateBundle, which drops chunks left empty (a pure-CSS or fully
    // grouped entry): the list must name only files that are written.
    generateBundle: {
        order: 'post',
        handler(_options, bundle) {
        const hash = createHash('sha256');
        const built = Object.keys(bundle).sort();
        for (const name of built) hash.update(name);
        const pub = filesUnder(publicDir).map((p) => relative(publicDir, p).split('\\').join('/')).sort();
        for (const name of pub) {
          hash.update(name);
          hash.update(readFileSync(join(publicDir, name)));
        }
        const assets = ['./', './index.html', ...[...built, ...pub].filter((n) => !n.endsWith('.map') && n !== 'sw.js' && n !== 'index.html').map((n) => `./${n}`)];
        this.emitFile({ type: 'asset', fileName: 'sw.js', source: WORKER(hash.digest('hex').slice(0, 16), assets) });
      },
    },
  };
}

/**
 * firstPaintChunk(): everything the entry imports statically — what the first paint runs — goes
 * into two chunks: the packages (React, React Flow: `vendor`, which a new build of the app leaves
 * cached) and the app's own modules (`app`, the entry). Left alone, the bundler cuts it into a
 * dozen shared chunks (the later chunks share pieces of it), and each piece is compressed on its
 * own: ~6 KiB more gzip to fetch. Two pieces cost nothing measurable, and the page fetches and
 * compiles them side by side. The module graph is read when the build has loaded every module;
 * the chunking asks after.
 */
function firstPaintChunk(): { plugin: Plugin; test: (id: string) => boolean } {
  const firstPaint = new Set<string>();
  const plugin: Plugin = {
    name: 'podpath-first-paint-chunk',
    apply: 'build',
    buildEnd() {
      firstPaint.clear();
      const entries = [...this.getModuleIds()].filter((id) => this.getModuleInfo(id)?.isEntry);
      const stack = [...entries];
      while (stack.length) {
        const id = stack.pop()!;
        if (firstPaint.has(id)) continue;
        firstPaint.add(id);
        for (const dep of this.getModuleInfo(id)?.importedIds ?? []) stack.push(dep);
      }
    },
  };
  return { plugin, test: (id) => firstPaint.has(id) };
}

const firstPaint = firstPaintChunk();

// Relative base so the build works from any GitHub Pages sub-path.
export default defineConfig({
  base: './',
  plugins: [builtInScenario(), react(), serviceWorker(), firstPaint.plugin],
  build: {
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'vendor', test: (id) => firstPaint.test(id) && id.includes('/node_modules/'), priority: 2 },
            { name: 'app', test: firstPaint.test, priority: 1 },
          ],
        },
      },
    },
    // The first paint's chunks (React and React Flow ~420 kB minified, the app ~190 kB; ~180 KiB
    // gzip together, bench:ui holds them to 1.6× a bare React Flow build). The YAML editor's
    // chunk (CodeMirror, ~430 kB) loads with its tab.
    chunkSizeWarningLimit: 700,
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'tests/unit/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
