/**
 * `npm run bench:controllers` — the controllers at scale: 1,000 pod deletions, each followed by
 * what the cluster does about it (the ReplicaSet's replacement scheduled and given an address by
 * the CNI's IPAM, the Service's EndpointSlice updated, kube-proxy's rules for that Service
 * rewritten on the replacement's node), on the 5,000-node / 150,000-pod cluster of
 * bench/generateCluster.ts and on a 3-node one, each with the same 30-replica Deployment behind a Service.
 * Target (issue 12): each replacement costs no more than 2× on the big cluster what it costs on
 * the small one (medians). `--quick`: 500 nodes, 200 deletions.
 * A benchmark, not a test: it always exits 0; the table says PASS or FAIL.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { formatIpv4 } from '../src/engine/addressing/ipv4';
import { applyManifests, deletePod } from '../src/engine/controllers/commands';
import { servicePorts } from '../src/engine/kubeproxy/endpoints';
import { writeIptablesProxier, type SepMeta } from '../src/engine/kubeproxy/iptablesProxier';
import { emptyTable } from '../src/engine/kubeproxy/rules';
import { loadCluster } from '../src/engine/load';
import type { Cluster } from '../src/engine/model/cluster';
import { serviceInfoOf } from '../src/engine/services/table';
import { generateCluster } from './generateCluster';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const quick = process.argv.includes('--quick');
const DELETIONS = process.env.BENCH_DELETIONS ? Number(process.env.BENCH_DELETIONS) : quick ? 200 : 1_000;
const BIG = quick ? { nodes: 500, totalPods: 15_000, targetBytes: 3_300_000 } : { nodes: 5_000, totalPods: 150_000, targetBytes: 33_000_000 };
const SMALL = { nodes: 3, totalPods: 100, targetBytes: 20_000 };
const TARGET = 2;

/**
 * The measured Deployment and its Service, the same in both clusters: 30 replicas behind one
 * Service, so the EndpointSlice and kube-proxy rules have as many endpoints on 3 nodes as on
 * 5,000 (the generated Deployments differ in size from one cluster to the other: 66 replicas of
 * api-0 on 3 nodes, 44 on 500, which made the small cluster's rules dearer and the ratio flatter).
 */
const NS = 'payments';
const APP = 'bench-web';
const REPLICAS = 30;
const WORKLOAD = `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${APP}, namespace: ${NS}}
spec:
  replicas: ${REPLICAS}
  selector: {matchLabels: {app: ${APP}}}
  template:
    metadata: {labels: {app: ${APP}}}
    spec:
      containers: [{name: web, image: nginx:1.27, ports: [{name: http, containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: ${APP}, namespace: ${NS}}
spec:
  selector: {app: ${APP}}
  ports: [{name: http, port: 80, targetPort: http}]
`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const fmt = (ms: number) => (ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`);

function must<T>(r: { ok: true; value: T } | { ok: false; errors: { message: string }[] }): T {
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.value;
}

function prepare(size: typeof BIG): Cluster {
  const t = performance.now();
  const gen = generateCluster(size);
  const loaded = must(loadCluster([{ name: 'bench.yaml', text: gen.text }]));
  const c = must(applyManifests(loaded, [{ name: 'bench-web.yaml', text: WORKLOAD }])).cluster;
  console.log(`  ${size.nodes} nodes, ${c.pods.size} pods loaded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return c;
}

interface Costs {
  replace: number[];
  endpoints: number[];
  rules: number[];
  total: number[];
}

/** The name of the pod the last command's ReplicaSet created (its SuccessfulCreate event). */
function createdPod(c: Cluster): string {
  const events = c.events;
  for (let i = (events?.length ?? 0) - 1; i >= 0; i--) {
    const e = events!.get(i)!;
    // After ten, client-go aggregates them: "(combined from similar events): Created pod: NAME".
    if (e.reason === 'SuccessfulCreate') return e.message.slice(e.message.lastIndexOf('Created pod: ') + 'Created pod: '.length);
  }
  throw new Error('no replacement was created');
}

function run(label: string, start: Cluster): Costs {
  const costs: Costs = { replace: [], endpoints: [], rules: [], total: [] };
  // The Deployment's pods, oldest first: each deletion takes the oldest, its replacement goes last.
  const queue = [...start.pods.values()].filter((p) => p.meta.namespace === NS && p.meta.labels.app === APP).map((p) => p.meta.name);
  let c = start;
  gc();
  for (let i = 0; i < DELETIONS; i++) {
    const victim = queue.shift()!;
    let t = performance.now();
    c = must(deletePod(c, NS, victim));
    const replacement = createdPod(c);
    const replace = performance.now() - t;
    t = performance.now();
    const svc = serviceInfoOf(c, NS, APP)!;
    const endpoints = performance.now() - t;
    const pod = c.pods.get(`${NS}/${replacement}`)!;
    if (!svc.endpoints.some((e) => e.pod?.name === replacement) || svc.endpoints.some((e) => e.pod?.name === victim)) throw new Error(`the EndpointSlice of ${APP} does not follow: ${victim} → ${replacement} ${JSON.stringify({ phase: pod?.phase, ready: pod?.ready, node: pod?.nodeName, status: pod?.status, eps: svc.endpoints.length })}`);
    t = performance.now();
    const nat = emptyTable('nat');
    const filter = emptyTable('filter');
    const node = c.nodes.find((n) => n.meta.name === pod.nodeName)!;
    writeIptablesProxier({ nodeName: node.meta.name, nodeIp: node.ip, clusterCIDR: c.config.podCIDR, views: servicePorts([svc], node.meta.name), localhostNodePortsCounter: true }, nat, filter, new Map<string, SepMeta>());
    const rules = performance.now() - t;
    if (!nat.chains.size) throw new Error('no kube-proxy rules');
    queue.push(replacement);
    costs.replace.push(replace);
    costs.endpoints.push(endpoints);
    costs.rules.push(rules);
    costs.total.push(replace + endpoints + rules);
  }
  const last = c.pods.get(`${NS}/${queue[queue.length - 1]}`)!;
  console.log(`  ${label}: ${DELETIONS} replacements, the last ${last.meta.name} on ${last.nodeName} at ${last.attachment ? formatIpv4(last.attachment.ip) : '(no IP)'}`);
  return costs;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

console.log(`podpath controllers benchmark${quick ? ' (--quick)' : ''} on node ${process.version}`);
// The small cluster is measured second of its kind: its first pass warms the JIT, which would
// otherwise be charged to the small cluster alone (and flatter the ratio).
console.log('small cluster (warm-up pass, not counted):');
run('warm-up', prepare(SMALL));
console.log('small cluster:');
const small = run('small', prepare(SMALL));
console.log('big cluster:');
const big = run('big', prepare(BIG));

const rows = [['per replacement (median)', `${SMALL.nodes} nodes`, `${BIG.nodes} nodes`, 'ratio', `target ≤ ${TARGET}×`]];
for (const k of ['replace', 'endpoints', 'rules', 'total'] as const) {
  const s = median(small[k]);
  const b = median(big[k]);
  const ratio = b / s;
  const what = { replace: 'delete + schedule + IPAM', endpoints: 'EndpointSlice', rules: 'kube-proxy rules', total: 'whole replacement' }[k];
  rows.push([what, fmt(s), fmt(b), `${ratio.toFixed(2)}×`, k === 'total' ? (ratio <= TARGET ? 'PASS' : 'FAIL') : '']);
}
console.log('');
console.log(table(rows));
