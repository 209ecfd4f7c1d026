/**
 * `npm run bench:ui`: the canvas in headless Chromium (Debian's /usr/bin/chromium), a benchmark
 * and not a test — it prints figures and the targets they are held to, it never fails a build.
 *
 * 1. Frame times (p50/p95 of requestAnimationFrame deltas, vsync off so they are the frames'
 *    real cost) while a packet animates on clusters
 *    of 10, 100 and 1,000 pods, fit to view and zoomed in, against a bare React Flow page with
 *    as many nodes and edges as the cluster's full drawing, measured in the same run.
 *    Target: p95 ≤ 1.25 × bare.
 * 2. JS+CSS gzip size of the app's build against a bare React + React Flow build. Target ≤ 1.6×.
 *    Two figures: what a visit loads before the first render (the scripts, module preloads and
 *    style sheets index.html names — the chunks loaded later on demand are not in it) and every
 *    asset of the build. The target is held to the first; the second is printed so nobody is
 *    misled (the YAML editor and the terminal alone are larger than the bare build).
 * 3. First render of the demo cluster in the built app (navigation start to the last node box
 *    in the DOM), median of 5 loads, at each screen size. Target < 1 s.
 * 4. A 1,000-node / 10,000-pod cluster (bench/ui/bigLoad.ts) opened in the built app from a share
 *    link and again from its autosave (a reload), at each screen size: time to ready, the longest
 *    main-thread task (Long Tasks API) and the page's heap. Targets: ready ≤ 5 s, no task over 200 ms.
 *    Parts 3 and 4 run in a Chromium with vsync and its frame cap, as a learner's browser is; part
 *    1 uncaps frames to measure their cost.
 *
 * Screen sizes: a desktop (1600×1000) and the classroom laptops (1366×768, 1280×720). Frame times
 * run every cluster size on the desktop and the 1,000-pod cluster on the laptops.
 * BENCH_UI_PORT moves the three preview servers (default 4301–4303) when another checkout runs it too.
 * BENCH_UI_ONLY=frames,bundle,first,big runs only the named parts (all of them by default).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from '@playwright/test';
import react from '@vitejs/plugin-react';
import { build, preview, type PreviewServer } from 'vite';
import { bigScenario, BIG, measureBigLoad, shareHash, type LoadRun } from './ui/bigLoad';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'bench/out/ui');
const SIZES = [10, 100, 1000];
const WINDOW_MS = Number(process.env.BENCH_UI_MS ?? 3000);
/** App and bare runs alternate this many times; the medians are reported (one stray frame is 5% of a short window). */
const ROUNDS = Number(process.env.BENCH_UI_ROUNDS ?? 3);
const DESKTOP = { width: 1600, height: 1000 };
const LAPTOPS = [
  { width: 1366, height: 768 },
  { width: 1280, height: 720 },
];
const SCREENS = [DESKTOP, ...LAPTOPS];
type Viewport = typeof DESKTOP;
const PORT = Number(process.env.BENCH_UI_PORT ?? 4301);
const url = (i: number) => `http://127.0.0.1:${PORT + i}/`;
const size = (v: Viewport) => `${v.width}×${v.height}`;
const ONLY = new Set((process.env.BENCH_UI_ONLY ?? 'frames,bundle,first,big').split(',').map((s) => s.trim()));
const runs = (part: 'frames' | 'bundle' | 'first' | 'big') => ONLY.has(part);

async function buildAll() {
  const quiet = { logLevel: 'error' as const, configFile: false as const, base: './', plugins: [react()] };
  // The real app, as `npm run build` makes it (the project's vite.config.ts: its chunking and the built-in demo).
  await build({ logLevel: 'error', root: ROOT, build: { outDir: join(OUT, 'site'), emptyOutDir: true } });
  for (const entry of ['app', 'bare']) {
    await build({ ...quiet, root: join(ROOT, 'bench/ui'), build: { outDir: join(OUT, entry), emptyOutDir: true, rollupOptions: { input: join(ROOT, `bench/ui/${entry}.html`) } } });
  }
}

async function serve(dir: string, port: number): Promise<PreviewServer> {
  return preview({ configFile: false, logLevel: 'error', root: ROOT, base: './', build: { outDir: dir }, preview: { port, strictPort: true, host: '127.0.0.1' } });
}

type Size = { js: number; css: number };

const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;

/** Every JS and CSS asset of a build. */
function gzipSize(dir: string): Size {
  const size = { js: 0, css: 0 };
  const assets = join(dir, 'assets');
  for (const f of readdirSync(assets)) {
    if (f.endsWith('.js')) size.js += gz(join(assets, f));
    else if (f.endsWith('.css')) size.css += gz(join(assets, f));
  }
  return size;
}

/** What the page loads before it renders: the assets its HTML names (entry, module preloads, style sheets). */
function initialSize(dir: string, html: string): Size {
  const size = { js: 0, css: 0 };
  const text = readFileSync(join(dir, html), 'utf8');
  for (const [, url] of text.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.(?:js|css))"/g)) {
    if (url.endsWith('.js')) size.js += gz(join(dir, url));
    else size.css += gz(join(dir, url));
  }
  return size;
}

type Run = { frames: number; p50: number; p95: number; max: number; rendered: number };

async function zoomIn(page: Page, viewport: Viewport) {
  await page.mouse.move(viewport.width / 2, viewport.height / 2);
  for (let i = 0; i < 6; i++) {
    await page.mouse.wheel(0, -400);
    await page.waitForTimeout(120);
  }
  await page.waitForTimeout(400);
}

async function measureApp(browser: Browser, pods: number, zoomed: boolean, viewport: Viewport): Promise<Run & { elements: { nodes: number; edges: number }; pods: number; level: string }> {
  const page = await browser.newPage({ viewport });
  await page.goto(`${url(0)}app.html?pods=${pods}`);
  await page.waitForFunction(() => !!window.__bench && document.querySelectorAll('.react-flow__node').length > 0, null, { timeout: 120_000 });
  await page.waitForTimeout(800);
  if (zoomed) await zoomIn(page, viewport);
  const run = await page.evaluate((ms) => window.__bench.run(ms), WINDOW_MS);
  const info = await page.evaluate(() => ({ elements: window.__bench.elements, pods: window.__bench.pods, level: document.querySelector('[data-testid="canvas"]')?.getAttribute('data-level') ?? '?' }));
  await page.close();
  return { ...run, ...info };
}

async function measureBare(browser: Browser, nodes: number, edges: number, zoomed: boolean, viewport: Viewport): Promise<Run> {
  const page = await browser.newPage({ viewport });
  await page.goto(`${url(1)}bare.html?nodes=${nodes}&edges=${edges}`);
  await page.waitForFunction(() => !!window.__bare && document.querySelectorAll('.react-flow__node').length > 0, null, { timeout: 120_000 });
  await page.waitForTimeout(800);
  if (zoomed) await zoomIn(page, viewport);
  const run = await page.evaluate((ms) => window.__bare.run(ms), WINDOW_MS);
  await page.close();
  return run;
}

async function firstRender(browser: Browser, viewport: Viewport): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { __firstRender?: number };
      new MutationObserver((_, obs) => {
        if (document.querySelector('[data-testid="k8snode-worker-2"]')) {
          w.__firstRender = performance.now();
          obs.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(url(2));
    await page.waitForFunction(() => (window as unknown as { __firstRender?: number }).__firstRender !== undefined, null, { timeout: 30_000 });
    times.push(await page.evaluate(() => (window as unknown as { __firstRender: number }).__firstRender));
    await context.close();
  }
  return times;
}

const ms = (x: number) => `${x.toFixed(1)} ms`;
const kb = (x: number) => `${(x / 1024).toFixed(1)} KiB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function main() {
  console.log('building the app, the benchmark page and the bare React Flow page…');
  await buildAll();
  const servers = [await serve(join(OUT, 'app'), PORT), await serve(join(OUT, 'bare'), PORT + 1), await serve(join(OUT, 'site'), PORT + 2)];
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    // No vsync and no frame-rate cap: requestAnimationFrame runs as soon as the previous frame
    // is done, so a frame time is the frame's real cost, not a multiple of 16.7 ms.
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-gpu-vsync', '--disable-frame-rate-limit'],
  });
  // Loads (first render, the big cluster) are timed in a browser as a learner has it: with vsync
  // and its frame cap. Uncapped, anything that animates while the page loads (the boot spinner,
  // the drawing note) is repainted as fast as the machine allows and takes the CPU the load needs,
  // which no real browser does (measured: reload ready 2.3 s with the spinner still, 6.8–7.4 s
  // with it spinning uncapped, same build and load).
  const userBrowser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-timer-throttling', '--disable-renderer-backgrounding'],
  });
  try {
    if (runs('frames')) {
      console.log(`\nframe times while a packet animates (medians over ${ROUNDS} alternating rounds of p50 / p95 of rAF deltas, ${WINDOW_MS} ms windows)`);
      console.log('screen     pods  view     level     app DOM nodes  app p50 / p95        bare (nodes+edges)  bare p50 / p95       p95 ratio  target ≤ 1.25');
      const frameRuns: [Viewport, number][] = [...SIZES.map((p): [Viewport, number] => [DESKTOP, p]), ...LAPTOPS.map((v): [Viewport, number] => [v, SIZES[SIZES.length - 1]])];
      for (const [viewport, pods] of frameRuns) {
        for (const zoomed of [false, true]) {
          const apps: Awaited<ReturnType<typeof measureApp>>[] = [];
          const bares: Run[] = [];
          for (let r = 0; r < ROUNDS; r++) {
            apps.push(await measureApp(browser, pods, zoomed, viewport));
            bares.push(await measureBare(browser, apps[0].elements.nodes, apps[0].elements.edges, zoomed, viewport));
          }
          const app = { ...apps[0], p50: median(apps.map((a) => a.p50)), p95: median(apps.map((a) => a.p95)) };
          const bare = { ...bares[0], p50: median(bares.map((a) => a.p50)), p95: median(bares.map((a) => a.p95)) };
          const ratio = app.p95 / bare.p95;
          console.log(
            `${size(viewport).padEnd(10)} ${String(app.pods).padEnd(5)} ${(zoomed ? 'zoomed' : 'fit').padEnd(8)} ${app.level.padEnd(9)} ${String(app.rendered).padEnd(14)} ${`${ms(app.p50)} / ${ms(app.p95)}`.padEnd(20)} ${`${app.elements.nodes}+${app.elements.edges} (${bare.rendered} DOM)`.padEnd(19)} ${`${ms(bare.p50)} / ${ms(bare.p95)}`.padEnd(20)} ${ratio.toFixed(2).padEnd(10)} ${ratio <= 1.25 ? 'ok' : 'OVER'}`,
          );
        }
      }
    }

    if (runs('bundle')) {
      const bare = gzipSize(join(OUT, 'bare'));
      const first = initialSize(join(OUT, 'site'), 'index.html');
      const all = gzipSize(join(OUT, 'site'));
      const total = (s: Size) => s.js + s.css;
      const ratio = total(first) / total(bare);
      console.log('\nbundle (gzip -9 of JS + CSS)');
      console.log(`bare              JS ${kb(bare.js)} + CSS ${kb(bare.css)} = ${kb(total(bare))}  (React + React Flow)`);
      console.log(`app, first render JS ${kb(first.js)} + CSS ${kb(first.css)} = ${kb(total(first))}  ratio ${ratio.toFixed(2)}  target ≤ 1.6  ${ratio <= 1.6 ? 'ok' : 'OVER'}`);
      console.log(`app, every chunk  JS ${kb(all.js)} + CSS ${kb(all.css)} = ${kb(total(all))}  ratio ${(total(all) / total(bare)).toFixed(2)}  (tracer, shell, terminal, YAML editor, exporters load on demand)`);
    }

    if (runs('first')) {
      console.log('\nfirst render of the demo cluster (median of 5 loads)  target < 1000 ms');
      for (const viewport of SCREENS) {
        const times = await firstRender(userBrowser, viewport);
        const m = median(times);
        console.log(`${size(viewport).padEnd(10)} median ${ms(m)} (${times.map((t) => t.toFixed(0)).join(', ')} ms)  ${m < 1000 ? 'ok' : 'OVER'}`);
      }
    }

    if (runs('big')) {
      console.log(`\na ${BIG.nodes.toLocaleString('en-US')}-node / ${BIG.totalPods.toLocaleString('en-US')}-pod cluster: share link, then reload (autosave)  targets: ready ≤ 5000 ms, longest task ≤ 200 ms`);
      console.log('screen     load     ready        longest task  tasks > 200 ms  tasks > 50 ms, total  heap      verdict');
      const text = bigScenario();
      const hash = shareHash(text);
      const line = (viewport: Viewport, what: string, r: LoadRun) =>
        console.log(
          `${size(viewport).padEnd(10)} ${what.padEnd(8)} ${ms(r.ready).padEnd(12)} ${ms(r.longest).padEnd(13)} ${String(r.over200).padEnd(15)} ${ms(r.blocked).padEnd(21)} ${`${r.heapMB.toFixed(0)} MB`.padEnd(9)} ${r.ready <= 5000 && r.longest <= 200 ? 'ok' : 'OVER'}`,
        );
      for (const viewport of SCREENS) {
        const { share, reload } = await measureBigLoad(userBrowser, url(2), viewport, hash);
        line(viewport, 'share', share);
        line(viewport, 'reload', reload);
      }
    }
  } finally {
    await browser.close();
    await userBrowser.close();
    await Promise.all(servers.map((s) => s.close()));
  }
}

await main();
