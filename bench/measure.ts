/**
 * One benchmark measurement, run in a fresh child process so each figure's peak memory is its
 * own: `parse FILE` (js-yaml loadAll only), `load FILE` (podpath's loadCluster: parse, validate,
 * allocate) followed by trace timings on that cluster and on a small one. Prints one JSON line.
 *
 * Memory: `process.resourceUsage().maxRSS` is the kernel's high-water mark of the whole process
 * (node itself, tsx, the modules and the file text included), so it is the honest peak; heap
 * deltas are measured after forced GC (`--expose-gc`) while the result is still referenced.
 */
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import type { Cluster, TraceRequest } from '../src/engine/index';

// Imported only by `load`, so the parse measurement does not carry the engine's modules.
type Engine = typeof import('../src/engine/index');

const MB = 1024 * 1024;

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

const peakRssMB = () => process.resourceUsage().maxRSS / 1024;
const heapMB = () => process.memoryUsage().heapUsed / MB;
const rssMB = () => process.memoryUsage().rss / MB;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function measureParse(file: string) {
  const text = readFileSync(file, 'utf8');
  gc();
  const heap0 = heapMB();
  const rss0 = rssMB();
  const t0 = performance.now();
  const docs = yaml.loadAll(text);
  const ms = performance.now() - t0;
  const peak = peakRssMB();
  gc();
  const retained = heapMB() - heap0;
  return { ms, docs: docs.length, baseRssMB: rss0, peakRssMB: peak, retainedHeapMB: retained };
}

/** Pod-to-pod pairs on different nodes, spread over the node list. */
function crossNodePairs(cluster: Cluster, count: number): TraceRequest[] {
  const firstPodOn = new Map<string, string>();
  for (const [key, p] of cluster.pods) {
    if (p.hostNetwork || !p.attachment || firstPodOn.has(p.nodeName)) continue;
    firstPodOn.set(p.nodeName, key);
  }
  const nodes = cluster.nodes.map((n) => n.meta.name).filter((n) => firstPodOn.has(n));
  const pairs: TraceRequest[] = [];
  for (let i = 0; i < count && nodes.length >= 2; i++) {
    const a = nodes[Math.floor((i * nodes.length) / count) % nodes.length];
    const b = nodes[(Math.floor((i * nodes.length) / count) + Math.floor(nodes.length / 2)) % nodes.length];
    if (a === b) continue;
    pairs.push({ from: firstPodOn.get(a)!, to: firstPodOn.get(b)!, proto: 'icmp' });
  }
  return pairs;
}

interface TraceTiming {
  pairs: number;
  coldFirstMs: number;
  medianMs: number;
  verdict: string;
}

function timeTraces(engine: Engine, cluster: Cluster, runs: number): TraceTiming {
  const { trace } = engine;
  const pairs = crossNodePairs(cluster, Math.min(20, cluster.nodes.length));
  if (!pairs.length) throw new Error('no cross-node pod pair to trace');
  const t0 = performance.now();
  const first = trace(cluster, pairs[0]);
  const coldFirstMs = performance.now() - t0;
  // Warm-up: every pair a few times, so lazily built namespaces and the JIT are settled.
  for (let k = 0; k < 5; k++) for (const p of pairs) trace(cluster, p);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const p = pairs[i % pairs.length];
    const s = performance.now();
    trace(cluster, p);
    samples.push(performance.now() - s);
  }
  return { pairs: pairs.length, coldFirstMs, medianMs: median(samples), verdict: first.verdict };
}

function load(engine: Engine, name: string, text: string): Cluster {
  const r = engine.loadCluster([{ name, text }]);
  if (!r.ok) {
    for (const e of r.errors.slice(0, 10)) process.stderr.write(engine.formatScenarioError(e) + '\n');
    throw new Error(`${name}: ${r.errors.length} error(s)`);
  }
  return r.value;
}

async function measureLoad(file: string, smallFile: string, runs: number) {
  const engine: Engine = await import('../src/engine/index');
  const text = readFileSync(file, 'utf8');
  const smallText = readFileSync(smallFile, 'utf8');
  gc();
  const heap0 = heapMB();
  const rss0 = rssMB();
  const t0 = performance.now();
  const cluster = load(engine, file, text);
  const ms = performance.now() - t0;
  const peak = peakRssMB();
  gc();
  const retained = heapMB() - heap0;
  const small = load(engine, smallFile, smallText);
  const smallTrace = timeTraces(engine, small, runs);
  const bigTrace = timeTraces(engine, cluster, runs);
  return {
    ms,
    nodes: cluster.nodes.length,
    pods: cluster.pods.size,
    baseRssMB: rss0,
    peakRssMB: peak,
    retainedHeapMB: retained,
    peakRssAfterTracesMB: peakRssMB(),
    smallNodes: small.nodes.length,
    smallTrace,
    bigTrace,
  };
}

const [mode, file, smallFile, runs] = process.argv.slice(2);
const result = mode === 'parse' ? measureParse(file) : await measureLoad(file, smallFile, Number(runs ?? 200));
process.stdout.write(JSON.stringify(result) + '\n');
