/**
 * Where the big-cluster load's long tasks go (issue 13 point 11): opens the 1,000-node /
 * 10,000-pod share link in a built app, then reloads (the autosave's turn), under Chrome's
 * tracing with the V8 sampling profiler on, and prints every main-thread task over 50 ms with
 * the trace events inside it and the functions its CPU samples fell in (self and inclusive).
 *
 *   npx vite build --outDir DIR --minify false     (readable function names)
 *   node --import tsx bench/ui/profileBigLoad.ts DIR [width height]
 *
 * BENCH_UI_PORT picks the preview server's port (default 4301). Not part of `npm run bench:ui`:
 * a tool for finding what to fix, not a figure to hold.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { preview } from 'vite';
import { BIG, bigScenario, shareHash } from './bigLoad';

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time, µs: what the task costs on a quiet machine. */
  tdur?: number;
  pid: number;
  tid: number;
  id?: string;
  args?: { name?: string; data?: Record<string, unknown> };
}

interface ProfNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

async function waitReady(page: Page): Promise<void> {
  await page.waitForFunction(
    (n) => {
      const facts = document.querySelector('[data-testid="cluster-facts"]')?.textContent ?? '';
      return facts.includes(`${n} nodes`) && !!document.querySelector('.react-flow__node-k8sNode') && !document.querySelector('[data-testid="canvas-loading"]');
    },
    BIG.nodes,
    { timeout: 120_000, polling: 50 },
  );
}

function analyse(label: string, events: TraceEvent[]): void {
  const threads = new Map<string, string>();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args?.name ?? '');
  // Samples per thread (profile id → thread), timestamps absolute.
  const nodes = new Map<string, Map<number, ProfNode>>();
  const samples: { key: string; ts: number; node: number; prof: string }[] = [];
  const profThread = new Map<string, { key: string; t: number }>();
  for (const e of events) {
    if (e.name === 'Profile' && e.id) profThread.set(`${e.pid}:${e.id}`, { key: `${e.pid}:${e.tid}`, t: (e.args?.data as { startTime: number }).startTime });
  }
  for (const e of events) {
    if (e.name !== 'ProfileChunk' || !e.id) continue;
    // Profile ids are per process.
    const id = `${e.pid}:${e.id}`;
    const p = profThread.get(id);
    if (!p) continue;
    const data = e.args!.data as { cpuProfile?: { nodes?: ProfNode[]; samples?: number[] }; timeDeltas?: number[] };
    let m = nodes.get(id);
    if (!m) nodes.set(id, (m = new Map()));
    for (const n of data.cpuProfile?.nodes ?? []) m.set(n.id, n);
    const s = data.cpuProfile?.samples ?? [];
    const d = data.timeDeltas ?? [];
    for (let i = 0; i < s.length; i++) {
      p.t += d[i] ?? 0;
      samples.push({ key: p.key, ts: p.t, node: s[i], prof: id });
    }
  }
  samples.sort((a, b) => a.ts - b.ts);
  // The page's renderer: the one whose main thread loads the app (not Chrome's own WebUI renderers).
  const pagePids = new Set(events.filter((e) => typeof e.args?.data?.url === 'string' && (e.args.data.url as string).startsWith('http://127.0.0.1')).map((e) => e.pid));
  const mains = [...threads].filter(([k, n]) => n === 'CrRendererMain' && pagePids.has(Number(k.split(':')[0]))).map(([k]) => k);
  const tasks = events.filter((e) => e.ph === 'X' && e.name === 'RunTask' && mains.includes(`${e.pid}:${e.tid}`) && (e.dur ?? 0) > 50_000).sort((a, b) => a.ts - b.ts);
  const t0 = events.reduce((m, e) => (e.ts > 0 && mains.includes(`${e.pid}:${e.tid}`) ? Math.min(m, e.ts) : m), Infinity);
  console.log(`\n=== ${label}: ${tasks.length} tasks > 50 ms on the main thread`);
  const cpu = events.filter((e) => e.ph === 'X' && e.name === 'RunTask' && mains.includes(`${e.pid}:${e.tid}`) && (e.tdur ?? 0) > 20_000).sort((a, b) => b.tdur! - a.tdur!);
  console.log(`CPU time of the tasks over 20 ms of CPU: ${cpu.map((e) => `${(e.tdur! / 1000).toFixed(0)}@${((e.ts - events.reduce((m, x) => (x.ts > 0 && mains.includes(`${x.pid}:${x.tid}`) ? Math.min(m, x.ts) : m), Infinity)) / 1000).toFixed(0)}`).join(' ')}`);
  const frameName = (n: ProfNode) => `${n.callFrame.functionName || '(anonymous)'} ${(n.callFrame.url ?? '').replace(/^.*\//, '')}:${n.callFrame.lineNumber + 1}`;
  for (const t of tasks) {
    const key = `${t.pid}:${t.tid}`;
    const end = t.ts + t.dur!;
    const inner = new Map<string, number>();
    for (const e of events) {
      if (e === t || e.ph !== 'X' || `${e.pid}:${e.tid}` !== key || e.ts < t.ts || e.ts > end || (e.dur ?? 0) < 5_000) continue;
      const data = e.args?.data as { functionName?: string; url?: string; type?: string } | undefined;
      const what = `${e.name}${data?.type ? `(${data.type})` : ''}${data?.functionName ? ` ${data.functionName}` : ''}`;
      inner.set(what, Math.max(inner.get(what) ?? 0, e.dur!));
    }
    const self = new Map<string, number>();
    const incl = new Map<string, number>();
    let n = 0;
    for (const s of samples) {
      if (s.key !== key || s.ts < t.ts || s.ts > end) continue;
      n++;
      const m = nodes.get(s.prof)!;
      let node = m.get(s.node);
      if (!node) continue;
      self.set(frameName(node), (self.get(frameName(node)) ?? 0) + 1);
      const seen = new Set<string>();
      while (node) {
        const f = frameName(node);
        if (!seen.has(f)) incl.set(f, (incl.get(f) ?? 0) + 1);
        seen.add(f);
        node = node.parent !== undefined ? m.get(node.parent) : undefined;
      }
    }
    const top = (m: Map<string, number>, k: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([f, c]) => `${((100 * c) / Math.max(1, n)).toFixed(0).padStart(3)}% ${f}`);
    console.log(`\n--- task at ${((t.ts - t0) / 1000).toFixed(0)} ms, ${(t.dur! / 1000).toFixed(1)} ms (CPU ${((t.tdur ?? 0) / 1000).toFixed(1)} ms), ${n} samples`);
    console.log('  events:', [...inner].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([w, d]) => `${w} ${(d / 1000).toFixed(1)}`).join(' | '));
    console.log('  self:\n    ' + top(self, 10).join('\n    '));
    console.log('  inclusive:\n    ' + top(new Map([...incl].filter(([f]) => !/^\(root\)|^\(program\)/.test(f) && !REACT_INTERNAL.test(f))), 24).join('\n    '));
    const layouts = events.filter((e) => e.name === 'Layout' && e.ph === 'X' && `${e.pid}:${e.tid}` === key && e.ts >= t.ts && e.ts <= end && (e.dur ?? 0) > 5_000);
    for (const l of layouts) console.log(`  Layout ${(l.dur! / 1000).toFixed(1)} ms`, JSON.stringify((l.args as { beginData?: unknown })?.beginData ?? {}));
  }
}

/** React's own work loop, named in every stack: left out of the inclusive list so the components and hooks show. */
const REACT_INTERNAL = /^(performWorkOnRoot|performSyncWorkOnRoot|flushSyncWorkAcrossRoots_impl|processRootScheduleInMicrotask|renderRootSync|workLoopSync|performUnitOfWork|beginWork|renderWithHooks|updateFunctionComponent|updateMemoComponent|updateSimpleMemoComponent|completeUnitOfWork|completeWork|commitRoot|completeRoot|completeRootWhenReady|flushPassiveEffects|flushPendingEffects|flushSpawnedWork|recursivelyTraverse\w+|commit\w+OnFiber|commitHookEffectListMount|performWorkUntilDeadline|performWorkOnRootViaSchedulerTask|flushMutationEffects|updateMemo|mountMemo|exports\.use\w+|use(State|Memo|Callback|SyncExternalStore)|mountStateImpl) /;

async function main(): Promise<void> {
  if (process.argv[2]?.endsWith('.json')) {
    // A saved trace (PROFILE_SAVE): analyse it again.
    analyse(process.argv[2], (JSON.parse(readFileSync(process.argv[2], 'utf8')) as { traceEvents: TraceEvent[] }).traceEvents);
    return;
  }
  const dir = resolve(process.argv[2] ?? 'dist');
  const viewport = { width: Number(process.argv[3] ?? 1600), height: Number(process.argv[4] ?? 1000) };
  const port = Number(process.env.BENCH_UI_PORT ?? 4301);
  const server = await preview({ configFile: false, logLevel: 'error', root: dir, base: './', build: { outDir: dir }, preview: { port, strictPort: true, host: '127.0.0.1' } });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const categories = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-v8.cpu_profiler', 'v8.execute', 'toplevel', 'blink.user_timing', '__metadata'];
  try {
    const hash = shareHash(bigScenario());
    const page = await browser.newPage({ viewport });
    for (const step of ['share', 'reload'] as const) {
      await browser.startTracing(page, { categories });
      const t = Date.now();
      if (step === 'share') await page.goto(`http://127.0.0.1:${port}/#${hash}`);
      else await page.reload();
      await waitReady(page);
      console.log(`${step}: ready after ${Date.now() - t} ms (wall, traced)`);
      await page.waitForTimeout(1500);
      const buf = await browser.stopTracing();
      if (process.env.PROFILE_SAVE) writeFileSync(`${process.env.PROFILE_SAVE}-${step}.json`, buf);
      analyse(step, (JSON.parse(buf.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents);
    }
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.httpServer.close(() => r()));
  }
}

void main();
