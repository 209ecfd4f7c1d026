/**
 * The Kubernetes network model, checked over random clusters in every CNI mode
 * (kubernetes.io/docs/concepts/cluster-administration/networking: every pod can reach every
 * other pod, on any node, without NAT; agents on a node can reach every pod on it):
 * - pod IPs are unique and inside their node's range;
 * - every pod reaches every pod, every node reaches every pod, and the source IP arrives unchanged;
 * - traces always end (no loops) and the reply comes back.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CNI_MODES, formatIpv4, loadCluster, networkOf, type Cluster } from '../../src/engine/index';
import { trace } from '../../src/engine/trace/tracer';

interface Shape {
  cni: (typeof CNI_MODES)[number];
  workers: number;
  pods: { ns: string; node: number | null }[];
  seed: number;
}

const shape = fc.record({
  cni: fc.constantFrom(...CNI_MODES),
  workers: fc.integer({ min: 1, max: 4 }),
  pods: fc.array(fc.record({ ns: fc.constantFrom('default', 'shop'), node: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }) }), {
    minLength: 1,
    maxLength: 8,
  }),
  seed: fc.integer({ min: 1, max: 1_000_000 }),
});

function scenarioYaml(s: Shape): string {
  const nodes = ['  - {name: control-plane, role: control-plane}', ...Array.from({ length: s.workers }, (_, i) => `  - {name: worker-${i + 1}}`)];
  const docs = [
    `apiVersion: podpath/v1alpha1\nkind: Cluster\nmetadata: {name: prop}\nspec:\n  cni: ${s.cni}\n  seed: ${s.seed}\n  nodes:\n${nodes.join('\n')}`,
    'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}',
  ];
  s.pods.forEach((p, i) => {
    const nodeName = p.node !== null && p.node < s.workers ? `\n  nodeName: worker-${p.node + 1}` : '';
    docs.push(`apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, namespace: ${p.ns}, labels: {app: p${i}}}\nspec:${nodeName}\n  containers:\n  - {name: c, image: busybox}`);
  });
  return docs.join('\n---\n');
}

function load(s: Shape): Cluster {
  const r = loadCluster([{ name: 'prop.yaml', text: scenarioYaml(s) }]);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.value;
}

function nodeRange(cluster: Cluster, nodeName: string, ip: number): boolean {
  const node = cluster.nodes.find((n) => n.meta.name === nodeName)!;
  const c = cluster.config;
  if (c.cni === 'aws-vpc') return c.nodeNetwork.contains(ip);
  // azure-cni: one of the secondary IPs its NIC was created with.
  if (c.cni === 'azure-cni') return (node.secondaryIps ?? []).includes(ip);
  if (c.cni.startsWith('calico')) return node.blocks.some((b) => b.contains(ip));
  if (c.cni === 'weave') return c.podCIDR.contains(ip);
  // Cilium's cluster-pool IPAM hands each node its own CIDR (kept in `blocks`); host-local uses spec.podCIDR.
  return (node.podCIDR !== null && node.podCIDR.contains(ip)) || node.blocks.some((b) => b.contains(ip));
}

describe('the Kubernetes network model holds in every CNI mode', () => {
  it('pod IPs are unique and inside their node range', () => {
    fc.assert(
      fc.property(shape, (s) => {
        const cluster = load(s);
        const seen = new Set<number>();
        for (const pod of cluster.pods.values()) {
          if (!pod.attachment) continue;
          expect(seen.has(pod.attachment.ip), `duplicate ${formatIpv4(pod.attachment.ip)}`).toBe(false);
          seen.add(pod.attachment.ip);
          expect(nodeRange(cluster, pod.nodeName, pod.attachment.ip), `${pod.meta.name} ${formatIpv4(pod.attachment.ip)} on ${pod.nodeName}`).toBe(true);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('every pod and every node reaches every pod, without NAT, and traces end', () => {
    fc.assert(
      fc.property(shape, (s) => {
        const cluster = load(s);
        const pods = [...cluster.pods.values()].filter((p) => p.attachment && p.meta.namespace !== 'kube-system');
        const sources = [...pods.map((p) => `${p.meta.namespace}/${p.meta.name}`), ...cluster.nodes.map((n) => `node/${n.meta.name}`)];
        for (const from of sources) {
          for (const to of pods) {
            const target = `${to.meta.namespace}/${to.meta.name}`;
            if (from === target) continue;
            const t = trace(cluster, { from, to: target, proto: 'tcp', port: 80 });
            expect(t.verdict, `${s.cni}: ${from} -> ${target}: ${t.reason ?? ''}`).toBe('delivered');
            expect(t.hops.length).toBeLessThan(64);
            const last = t.hops[t.hops.length - 1];
            expect(last.packet.dst).toBe(formatIpv4(to.attachment!.ip));
            const srcIp = from.startsWith('node/')
              ? null
              : formatIpv4(cluster.pods.get(from)!.attachment!.ip);
            if (srcIp) expect(last.packet.src, `${s.cni}: source NATed ${from} -> ${target}`).toBe(srcIp);
            expect(t.reply?.verdict, `${s.cni}: reply ${target} -> ${from}: ${t.reply?.reason ?? ''}`).toBe('delivered');
          }
        }
        // the network is materialized lazily; asking for every namespace must work too
        const net = networkOf(cluster);
        for (const id of net.ids()) expect(net.get(id)).toBeDefined();
      }),
      { numRuns: 40 },
    );
  });
});
