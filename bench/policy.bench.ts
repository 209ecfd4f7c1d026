/**
 * `npm run bench:policy` — the NetworkPolicy connectivity matrix for 1,000 pods × 1,000 pods
 * under 20, 50, 100 and 200 policies (issue 5 §4): time and memory. Targets: 200 policies under
 * 2 s in Node, and the per-pair cost flat as policies grow (200-policy per-pair time within 2×
 * the 20-policy one). Pods: 20 namespaces × 50 pods on 20 Calico nodes, labelled app/tier;
 * policies: a deterministic mix of default-deny, podSelector, namespaceSelector, AND-peers,
 * ipBlock, numeric and named ports. `--quick` runs 300 pods.
 * A benchmark, not a test: it always exits 0; the table says PASS or FAIL per target.
 */
import { loadCluster } from '../src/engine/index';
import { applyManifests } from '../src/engine/controllers/commands';
import type { Cluster } from '../src/engine/model/cluster';
import { connectivityMatrix, fillMatrix, matrixPods, matrixRows } from '../src/engine/policy/matrix';

const quick = process.argv.includes('--quick');
const NAMESPACES = 20;
const PODS = quick ? 300 : 1000;
const NODES = 20;
let seed = 12345;
const rnd = (n: number) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};

function scenario(): string {
  const docs = [
    `apiVersion: podpath/v1alpha1\nkind: Cluster\nmetadata: {name: bench}\nspec:\n  cni: calico\n  podCIDR: 10.244.0.0/16\n  nodes:\n  - {name: control-plane, role: control-plane}\n${Array.from({ length: NODES }, (_, i) => `  - {name: worker-${i + 1}}`).join('\n')}`,
  ];
  for (let n = 0; n < NAMESPACES; n++) docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ns-${n}, labels: {team: t${n % 5}}}`);
  for (let i = 0; i < PODS; i++) {
    const ns = i % NAMESPACES;
    docs.push(
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p-${i}, namespace: ns-${ns}, labels: {app: a${i % 10}, tier: t${i % 3}}}\nspec:\n  nodeName: worker-${(i % NODES) + 1}\n  containers:\n  - name: c\n    image: nginx\n    ports: [{name: http, containerPort: 80}]`,
    );
  }
  return docs.join('\n---\n');
}

function policy(i: number): string {
  const ns = `ns-${rnd(NAMESPACES)}`;
  const sel = rnd(3) === 0 ? '{}' : `{matchLabels: {app: a${rnd(10)}}}`;
  const kind = rnd(6);
  let ingress: string;
  if (kind === 0) ingress = '[]';
  else if (kind === 1) ingress = `[{from: [{podSelector: {matchLabels: {tier: t${rnd(3)}}}}], ports: [{port: 80}]}]`;
  else if (kind === 2) ingress = `[{from: [{namespaceSelector: {matchLabels: {team: t${rnd(5)}}}}]}]`;
  else if (kind === 3) ingress = `[{from: [{namespaceSelector: {matchLabels: {team: t${rnd(5)}}}, podSelector: {matchExpressions: [{key: app, operator: In, values: [a${rnd(10)}, a${rnd(10)}]}]}}], ports: [{port: http}]}]`;
  else if (kind === 4) ingress = `[{from: [{ipBlock: {cidr: 10.244.0.0/18, except: [10.244.${rnd(64)}.0/24]}}]}]`;
  else ingress = `[{ports: [{port: 81, endPort: 90}]}]`;
  const egress = rnd(4) === 0 ? `\n  egress: [{to: [{namespaceSelector: {}}]}]\n  policyTypes: [Ingress, Egress]` : '';
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: pol-${i}, namespace: ${ns}}\nspec:\n  podSelector: ${sel}\n  ingress: ${ingress}${egress}`;
}

const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

console.log(`podpath policy benchmark${quick ? ' (--quick)' : ''} on node ${process.version}`);
const loaded = loadCluster([{ name: 'bench.yaml', text: scenario() }]);
if (!loaded.ok) {
  console.log(loaded.errors.slice(0, 3));
  process.exit(0);
}
const base: Cluster = loaded.value;
const allPolicies = Array.from({ length: 200 }, (_, i) => policy(i));
const rows: string[][] = [['policies', 'pods', 'pairs', 'matrix time', 'precompute', 'per pair', 'heap after', 'peak RSS', 'allowed']];
const perPair: Record<number, number> = {};
let time200 = 0;
let peakRss = 0;
for (const n of [20, 50, 100, 200]) {
  const r = applyManifests(base, [{ name: 'policies.yaml', text: allPolicies.slice(0, n).join('\n---\n') }]);
  if (!r.ok) {
    console.log(r.errors.slice(0, 3));
    process.exit(0);
  }
  const c = r.value.cluster;
  // Median of 7 runs, each on a fresh Cluster object (so no index is reused), after a warm-up:
  // the whole matrix, its per-pod precomputation, and the pair phase on its own.
  const runs: { total: number; rows: number; pairs: number }[] = [];
  let m = connectivityMatrix(c, { proto: 'TCP', port: 80 });
  for (let k = 0; k < 7; k++) {
    const fresh = { ...c };
    const t0 = performance.now();
    m = connectivityMatrix(fresh, { proto: 'TCP', port: 80 });
    const total = performance.now() - t0;
    const fresh2 = { ...c };
    const t1 = performance.now();
    const rows = matrixRows(fresh2, matrixPods(fresh2), { proto: 'TCP', port: 80 });
    const rowsMs = performance.now() - t1;
    const buf = new Uint8Array(m.allowed.length);
    const t2 = performance.now();
    fillMatrix(buf, rows);
    runs.push({ total, rows: rowsMs, pairs: performance.now() - t2 });
  }
  const median = (f: (r: (typeof runs)[number]) => number) => runs.map(f).sort((a, b) => a - b)[3];
  const ms = median((r) => r.total);
  const rowsMs = median((r) => r.rows);
  const pairs = m.pods.length ** 2;
  perPair[n] = (median((r) => r.pairs) * 1e6) / pairs;
  if (n === 200) time200 = ms;
  const mem = process.memoryUsage();
  peakRss = Math.max(peakRss, mem.rss);
  const allowed = m.allowed.reduce((a, b) => a + b, 0);
  rows.push([String(n), String(m.pods.length), pairs.toLocaleString('en-US'), fmtMs(ms), fmtMs(rowsMs), `${perPair[n].toFixed(0)} ns`, `${(mem.heapUsed / 2 ** 20).toFixed(0)} MB`, `${(mem.rss / 2 ** 20).toFixed(0)} MB`, `${((allowed / pairs) * 100).toFixed(1)}%`]);
}
console.log('\n' + table(rows));
const ratio = perPair[200] / perPair[20];
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
console.log('\n' + table([
  ['target', 'measured', 'limit', 'result'],
  ['matrix, 200 policies', fmtMs(time200), '2 s', verdict(time200 < 2000)],
  ['per-pair cost 200 vs 20 policies', `${ratio.toFixed(2)}×`, '2×', verdict(ratio < 2)],
  ['peak RSS', `${(peakRss / 2 ** 20).toFixed(0)} MB`, '1024 MB', verdict(peakRss < 2 ** 30)],
]));
