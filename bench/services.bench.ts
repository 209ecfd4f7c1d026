/**
 * `npm run bench:services` — kube-proxy at scale: 10,000 Services × 5 endpoints on one node.
 * Measures building the node's iptables rules (kube-proxy's syncProxyRules output) and printing
 * iptables-save, then the per-packet translation (nat PREROUTING walk: KUBE-SERVICES → KUBE-SVC
 * → KUBE-SEP DNAT) at 10 and at 10,000 Services, and reports how many rules each mode says it
 * checked: iptables is linear in Services (the engine indexes rules, so its own time is not),
 * IPVS is one hash lookup, Cilium's eBPF one map lookup.
 * Target: per-packet time at 10,000 Services within 1.5× of 10 Services.
 * A benchmark, not a test: it always exits 0; the table says PASS or FAIL.
 */
import { Cidr, formatIpv4, type Ipv4 } from '../src/engine/addressing/ipv4';
import type { ServiceInfo } from '../src/engine/services/types';
import { servicePorts, type ServicePortView } from '../src/engine/kubeproxy/endpoints';
import { evaluateChain, indexTable, type PacketFacts } from '../src/engine/kubeproxy/evaluate';
import { writeIptablesProxier, type SepMeta } from '../src/engine/kubeproxy/iptablesProxier';
import { buildIpvs, vsKey } from '../src/engine/kubeproxy/ipvs';
import { backendsFor, frontendKey, frontends, mixedHash, pickIndex } from '../src/engine/kubeproxy/lookup';
import { emptyTable, orderedChains, saveRule } from '../src/engine/kubeproxy/rules';
import { writeIptablesJumps, writeKubeletBase, writeKubeletJumps } from '../src/engine/kubeproxy/base';

const quick = process.argv.includes('--quick');
const BIG = quick ? 1_000 : 10_000;
const SMALL = 10;
const ENDPOINTS = 5;
const PACKETS = quick ? 2_000 : 20_000;
const podCIDR = Cidr.parse('10.244.0.0/16')!;
const svcBase = Cidr.parse('10.96.0.0/12')!;

function services(n: number): ServiceInfo[] {
  const out: ServiceInfo[] = [];
  for (let i = 0; i < n; i++) {
    const endpoints = Array.from({ length: ENDPOINTS }, (_, j) => ({
      ip: podCIDR.nth(256 + i * ENDPOINTS + j),
      nodeName: `worker-${j % 3}`,
      pod: { namespace: `ns-${i % 100}`, name: `svc-${i}-${j}` },
      ready: true,
      serving: true,
      terminating: false,
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' as const }],
    }));
    out.push({
      namespace: `ns-${i % 100}`,
      name: `svc-${i}`,
      uid: `uid-${i}`,
      type: 'ClusterIP',
      clusterIP: svcBase.nth(1000 + i),
      externalIPs: [],
      loadBalancerSourceRanges: [],
      ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'http' }],
      selector: { app: `svc-${i}` },
      sessionAffinity: 'None',
      sessionAffinityTimeout: 10800,
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      publishNotReadyAddresses: false,
      endpoints,
      endpointSlices: [`svc-${i}-abcde`],
      manifest: {},
    });
  }
  return out;
}

function build(views: ServicePortView[]) {
  const mangle = emptyTable('mangle');
  const nat = emptyTable('nat');
  const filter = emptyTable('filter');
  const seps = new Map<string, SepMeta>();
  writeKubeletBase(mangle, nat, filter, 'iptables');
  writeIptablesJumps(nat, filter);
  writeIptablesProxier({ nodeName: 'worker-0', nodeIp: 0xc0a8010b, clusterCIDR: podCIDR, views, localhostNodePortsCounter: true }, nat, filter, seps);
  writeKubeletJumps(filter);
  for (const t of [mangle, nat, filter]) indexTable(t);
  return { mangle, nat, filter };
}

function save(t: ReturnType<typeof build>): string {
  const lines: string[] = [];
  for (const table of [t.mangle, t.filter, t.nat]) {
    lines.push(`*${table.table}`);
    const chains = orderedChains(table);
    for (const c of chains) lines.push(`:${c.name} ${c.policy ?? '-'} [0:0]`);
    for (const c of chains) for (const r of c.rules) lines.push(saveRule(r));
    lines.push('COMMIT');
  }
  return lines.join('\n') + '\n';
}

const shared: PacketFacts = factsObject();
function facts(dst: Ipv4, sport: number): PacketFacts {
  shared.dst = dst;
  shared.sport = sport;
  shared.mark = 0;
  return shared;
}

function factsObject(): PacketFacts {
  const f: PacketFacts = {
    src: podCIDR.nth(5),
    dst: 0,
    proto: 'tcp',
    sport: 0,
    dport: 80,
    inDev: 'cni0',
    mark: 0,
    ctstate: 'NEW',
    isLocal: () => false,
    isLocalOn: () => false,
    draw: (chain, index) => mixedHash(`1/${f.sport}/${chain}/${index}`) / 4294967296,
    recent: () => false,
    sets: { keys: () => undefined, nets: () => undefined },
  };
  return f;
}

const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 1 ? `${ms.toFixed(1)} ms` : `${(ms * 1000).toFixed(1)} µs`);

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function timePackets(tables: ReturnType<typeof build>, dsts: Ipv4[]): { perPacketMs: number; checked: number } {
  gc();
  let checked = 0;
  const t = performance.now();
  for (let i = 0; i < dsts.length; i++) {
    const r = evaluateChain(tables.nat, 'PREROUTING', facts(dsts[i], 32768 + (i % 28000)));
    if (r.terminal?.kind !== 'DNAT') throw new Error(`no DNAT for ${formatIpv4(dsts[i])}`);
    checked += r.checked;
  }
  return { perPacketMs: (performance.now() - t) / dsts.length, checked: checked / dsts.length };
}

function measure(n: number) {
  const svcs = services(n);
  let t = performance.now();
  const views = servicePorts(svcs, 'worker-0');
  const tables = build(views);
  const buildMs = performance.now() - t;
  t = performance.now();
  const text = save(tables);
  const saveMs = performance.now() - t;
  // Warm up, then time packets to Services spread over the whole table.
  const dsts = Array.from({ length: PACKETS }, (_, i) => svcs[mixedHash(`pick/${i}`) % n].clusterIP!);
  for (let i = 0; i < 2000; i++) evaluateChain(tables.nat, 'PREROUTING', facts(dsts[i % dsts.length], 40000 + i));
  const ipvs = buildIpvs(views, [0xc0a8010b]);
  const fe = frontends(views);
  let ipvsOk = 0;
  let bpfOk = 0;
  for (let i = 0; i < 1000; i++) {
    if (ipvs.services.get(vsKey('TCP', dsts[i % dsts.length], 80))?.reals.length) ipvsOk++;
    const f = fe.get(frontendKey('tcp', dsts[i % dsts.length], 80));
    if (f && pickIndex(1, String(i), backendsFor(f).length) >= 0) bpfOk++;
  }
  const rules = text.split('\n').filter((l) => l.startsWith('-A ')).length;
  return { n, buildMs, saveMs, bytes: text.length, rules, tables, dsts, perPacketMs: Infinity, avgChecked: 0, ipvsOk, bpfOk };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

console.log(`podpath services benchmark${quick ? ' (--quick)' : ''} on node ${process.version}: ${BIG} Services × ${ENDPOINTS} endpoints`);
const small = measure(SMALL);
const big = measure(BIG);
// Alternate the two sizes a few times and keep each one's best run (JIT and GC noise out).
for (let round = 0; round < 5; round++) {
  for (const m of [small, big]) {
    const r = timePackets(m.tables, m.dsts);
    if (r.perPacketMs < m.perPacketMs) m.perPacketMs = r.perPacketMs;
    m.avgChecked = r.checked;
  }
}
const ratio = big.perPacketMs / small.perPacketMs;
console.log(
  table([
    ['measurement', `${SMALL} Services`, `${BIG} Services`, 'target', 'result'],
    ['build iptables rules', fmtMs(small.buildMs), fmtMs(big.buildMs), '', ''],
    ['print iptables-save', fmtMs(small.saveMs), fmtMs(big.saveMs), '', `${big.rules} rules, ${(big.bytes / 1e6).toFixed(1)} MB`],
    ['per-packet translation', fmtMs(small.perPacketMs), fmtMs(big.perPacketMs), '≤ 1.5× of 10 Services', `${ratio.toFixed(2)}× ${ratio <= 1.5 ? 'PASS' : 'FAIL'}`],
    ['rules checked: iptables (avg)', small.avgChecked.toFixed(1), big.avgChecked.toFixed(1), 'linear in Services', ''],
    ['rules checked: ipvs', '1 hash lookup', '1 hash lookup', 'constant', big.ipvsOk === 1000 ? 'ok' : 'MISS'],
    ['rules checked: eBPF (Cilium)', '1 map lookup', '1 map lookup', 'constant', big.bpfOk === 1000 ? 'ok' : 'MISS'],
  ]),
);
