import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

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
    generateBundle(_options, bundle) {
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
  };
}

// Relative base so the build works from any GitHub Pages sub-path.
export default defineConfig({
  base: './',
  plugins: [react(), serviceWorker()],
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'tests/unit/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
