/**
 * GKE VPC-native (legacy datapath) against the kernel, on the GKE example's own addressing
 * (src/scenarios/gke.yaml switched to `cni: gke` with kube-proxy): nodes with a /32 eth0 and
 * DHCP's gateway routes, ptp veths holding the alias range's .1/32, and the VPC as routes in the
 * node-network namespace. What conformance.test.ts checks for every mode runs for gke there; this
 * file checks what is particular to a GCE node and to the VPC:
 *   - `ip route get` on a node for every pod: podpath's route (dev, gateway, source) is the kernel's;
 *   - the VPC is no hop: a cross-node ping's reply arrives with TTL 64 minus the routers podpath's
 *     traceroute of the reply path shows (GCP's routing has no device of its own,
 *     cloud.google.com/vpc/docs/routes), and the kernel's reply TTL is that number.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIpv4, loadCluster, type Cluster } from '../../src/engine/index';
import { networkOf } from '../../src/engine/cni/network';
import { lookupRoute, selectSource } from '../../src/engine/dataplane/routeTable';
import { traceroute } from '../../src/engine/trace/tracer';
import type { PodRec } from '../../src/engine/model/cluster';
import type { NetnsId } from '../../src/engine/model/ids';
import { deviceProblem, hostProblem } from './host';
import { Lab, pool } from './lab';

/** `calico`: GKE's network policy enforcement (Calico's CNI, cali… veths, 169.254.1.1) instead of ptp. */
function gkeCluster(networkPolicy?: 'calico'): Cluster {
  const text = readFileSync(new URL('../../src/scenarios/gke.yaml', import.meta.url), 'utf8')
    .replace(/^([ \t]*)cni:[ \t]*\S+/m, networkPolicy ? `$1cni: gke\n$1networkPolicy: ${networkPolicy}` : '$1cni: gke')
    .replace(/^(\s*kubeProxy:\s*)\S+/m, '$1iptables');
  const r = loadCluster([{ name: 'gke.yaml', text }]);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

const podKey = (p: PodRec) => `${p.meta.namespace ?? 'default'}/${p.meta.name}`;
const ipOf = (p: PodRec) => formatIpv4(p.attachment!.ip);

const reason = hostProblem() ?? deviceProblem('veth');
if (reason) console.warn(`kernel conformance: gke (example) skipped: ${reason}`);

describe.skipIf(reason !== undefined).each([{ policy: undefined }, { policy: 'calico' as const }])('gke on the GKE example, networkPolicy: $policy', ({ policy }) => {
  const cluster = gkeCluster(policy);
  const pods = [...cluster.pods.values()].filter((p) => !p.hostNetwork && p.attachment);
  let lab: Lab | undefined;

  beforeAll(() => {
    lab = new Lab(cluster);
    lab.up();
  });
  afterAll(() => lab?.down());

  it('the example has pods on more than one node (else nothing crosses the VPC)', () => {
    expect(new Set(pods.map((p) => p.nodeName)).size).toBeGreaterThan(1);
  });

  it('ip route get on each node: the route podpath picks', async () => {
    const net = networkOf(cluster);
    const wrong: string[] = [];
    const pairs = cluster.nodes.flatMap((n) => pods.map((p) => [n, p] as const));
    await pool(pairs, 16, async ([node, pod]) => {
      const ns = net.get(`node/${node.meta.name}` as NetnsId)!;
      const m = lookupRoute(ns, { dst: pod.attachment!.ip })!;
      const src = selectSource(ns, m.route);
      const predicted = { dev: m.route.dev, gateway: m.route.via !== undefined ? formatIpv4(m.route.via) : undefined, prefsrc: src !== undefined ? formatIpv4(src) : undefined };
      const k = await lab!.inNs(`node/${node.meta.name}`, ['ip', '-j', 'route', 'get', ipOf(pod)]);
      const got = (JSON.parse(k.stdout || '[{}]') as { dev?: string; gateway?: string; prefsrc?: string }[])[0];
      const kernel = { dev: got.dev, gateway: got.gateway, prefsrc: got.prefsrc };
      if (JSON.stringify(predicted) !== JSON.stringify(kernel)) wrong.push(`${node.meta.name} → ${podKey(pod)} (${ipOf(pod)}): podpath ${JSON.stringify(predicted)}, kernel ${JSON.stringify(kernel)}`);
    });
    expect(wrong, wrong.join('\n')).toEqual([]);
  });

  it('the VPC is no hop: a cross-node ping reply arrives with the TTL podpath predicts', async () => {
    const wrong: string[] = [];
    const pairs = pods.flatMap((a) => pods.filter((b) => b.nodeName !== a.nodeName).map((b) => [a, b] as const)).slice(0, 12);
    expect(pairs.length).toBeGreaterThan(0);
    await pool(pairs, 6, async ([a, b]) => {
      // The reply's routers are the hops before the destination on b's traceroute back to a.
      const back = traceroute(cluster, podKey(b), ipOf(a), { maxTtl: 8 });
      expect(back[back.length - 1]?.reached, `podpath: ${podKey(b)} reaches ${ipOf(a)}`).toBe(true);
      const predicted = 64 - (back.length - 1);
      const k = await lab!.inNs(`pod/${podKey(a)}`, ['ping', '-c1', '-W1', ipOf(b)]);
      const ttl = /ttl=(\d+)/.exec(k.stdout)?.[1];
      if (String(predicted) !== ttl) wrong.push(`${podKey(a)} → ${podKey(b)}: podpath reply TTL ${predicted}, kernel ${ttl ?? `no reply (${k.stdout}${k.stderr})`}`);
    });
    expect(wrong, wrong.join('\n')).toEqual([]);
  });
});
