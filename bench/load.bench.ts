/**
 * `npm run bench` — loads a cluster at Kubernetes' published limits (5,000 nodes, 150,000 pods,
 * about 33 MB of YAML) and compares podpath's load with the fastest JavaScript YAML parser here
 * (js-yaml's loadAll), then times traces on a 3-node and on the 5,000-node cluster.
 * `npm run bench -- --quick` runs the same at a tenth of the size.
 *
 * Each measurement runs in a fresh child process (bench/measure.ts) so its peak RSS is its own.
 * A benchmark, not a test: it always exits 0; the table says PASS or FAIL per target.
 * Targets (issue 2 §8): load ≤ 3× the parse; big-cluster trace ≤ 1.5× the small one; peak < 1 GB.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCluster } from './generateCluster';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const quick = process.argv.includes('--quick');
const size = quick
  ? { nodes: 500, totalPods: 15_000, targetBytes: 3_300_000, runs: 100 }
  : { nodes: 5_000, totalPods: 150_000, targetBytes: 33_000_000, runs: 200 };

function child(args: string[]): Record<string, any> {
  const out = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', '--import', 'tsx', join(here, 'measure.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(out.trim().split('\n').pop()!);
}

const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${(ms * 1000).toFixed(0)} µs`);
const fmtMB = (mb: number) => `${mb.toFixed(0)} MB`;

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

console.log(`podpath benchmark${quick ? ' (--quick)' : ''} on node ${process.version}`);
const t0 = performance.now();
const gen = generateCluster({ nodes: size.nodes, totalPods: size.totalPods, targetBytes: size.targetBytes });
mkdirSync(join(here, 'out'), { recursive: true });
const file = join(here, 'out', `cluster-${size.nodes}.yaml`);
writeFileSync(file, gen.text);
console.log(
  `generated ${file.slice(root.length + 1)}: ${(gen.text.length / 1e6).toFixed(1)} MB, ${gen.nodes} Nodes, ${gen.namespaces} Namespaces, ` +
    `${gen.deployments} Deployments (${gen.deploymentReplicas} replicas), ${gen.podManifests} Pods (${fmtMs(performance.now() - t0)})`,
);

console.log('measuring js-yaml loadAll …');
const parse = child(['parse', file]);
console.log(`  ${fmtMs(parse.ms)}, ${parse.docs} documents, retained heap ${fmtMB(parse.retainedHeapMB)}, peak RSS ${fmtMB(parse.peakRssMB)}`);

console.log('measuring podpath loadCluster and traces …');
let load: Record<string, any> | undefined;
try {
  load = child(['load', file, join(root, 'src/scenarios/demo.yaml'), String(size.runs)]);
} catch (e) {
  console.log(`  load failed: ${(e as Error).message.split('\n')[0]}`);
}

if (load) {
  console.log(
    `  ${fmtMs(load.ms)}: ${load.nodes} nodes, ${load.pods} pods${load.pods === gen.expectedPods ? '' : ` (expected ${gen.expectedPods})`}, ` +
      `retained heap ${fmtMB(load.retainedHeapMB)}, peak RSS ${fmtMB(load.peakRssMB)} (process baseline ${fmtMB(load.baseRssMB)} with the file read)`,
  );
  const s = load.smallTrace;
  const b = load.bigTrace;
  console.log(`  trace, ${load.smallNodes}-node cluster: median ${fmtMs(s.medianMs)} over ${size.runs} (${s.pairs} pod pairs, first ${s.verdict}, cold first ${fmtMs(s.coldFirstMs)})`);
  console.log(`  trace, ${load.nodes}-node cluster: median ${fmtMs(b.medianMs)} over ${size.runs} (${b.pairs} pod pairs, first ${b.verdict}, cold first ${fmtMs(b.coldFirstMs)})`);
  console.log(`  peak RSS after the traces: ${fmtMB(load.peakRssAfterTracesMB)}`);

  const loadRatio = load.ms / parse.ms;
  const traceRatio = b.medianMs / s.medianMs;
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  console.log('\n' + table([
    ['target', 'measured', 'limit', 'result'],
    ['load time / js-yaml parse', `${loadRatio.toFixed(2)}× (${fmtMs(load.ms)} / ${fmtMs(parse.ms)})`, '≤ 3×', verdict(loadRatio <= 3)],
    [`trace ${load.nodes} nodes / ${load.smallNodes} nodes`, `${traceRatio.toFixed(2)}× (${fmtMs(b.medianMs)} / ${fmtMs(s.medianMs)})`, '≤ 1.5×', verdict(traceRatio <= 1.5)],
    ['peak RSS of the load', fmtMB(load.peakRssMB), '< 1024 MB', verdict(load.peakRssMB < 1024)],
  ]));
  if (quick) console.log('(--quick: a tenth of the published limits; run without it for the real figures)');
}
