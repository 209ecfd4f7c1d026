/**
 * A hand-made reference cluster for the shell's tests (until the scenario loader lands): three
 * flannel nodes, a busybox client, two nginx pods and a netshoot pod, at fixed times; plus a
 * tiny tracer and pod ops so ping/run/delete can be exercised. Test support only.
 */
import { handCluster } from '../cni/handCluster';
import type { Cluster, PodRec } from '../model/cluster';
import type { TraceRequest, TraceResult } from '../trace/traceTypes';
import type { ClusterOps } from './types';

export function referenceCluster(): Cluster {
  const c = handCluster(
    'flannel',
    [
      { name: 'control-plane', ip: '192.168.1.10', podCIDR: '10.244.0.0/24' },
      { name: 'worker-1', ip: '192.168.1.11', podCIDR: '10.244.1.0/24' },
      { name: 'worker-2', ip: '192.168.1.12', podCIDR: '10.244.2.0/24' },
    ],
    [
      { name: 'client', node: 'worker-1', ip: '10.244.1.2', hostIfindex: 5, labels: { app: 'client' } },
      { name: 'web-7d9f8c6b4-x2p9k', node: 'worker-1', ip: '10.244.1.3', hostIfindex: 6, labels: { app: 'web', 'pod-template-hash': '7d9f8c6b4' } },
      { name: 'web-7d9f8c6b4-q8z4m', node: 'worker-2', ip: '10.244.2.2', hostIfindex: 5, labels: { app: 'web', 'pod-template-hash': '7d9f8c6b4' } },
      { name: 'netshoot', namespace: 'tools', node: 'worker-2', ip: '10.244.2.3', hostIfindex: 6, labels: { run: 'netshoot' } },
    ],
  );
  c.nodes[0].role = 'control-plane';
  c.now = 3600;
  const images: Record<string, string> = { client: 'busybox:1.36', netshoot: 'nicolaka/netshoot' };
  for (const p of c.pods.values()) {
    const img = images[p.meta.name] ?? 'nginx:1.27';
    p.containers = [{ name: img.startsWith('nginx') ? 'nginx' : p.meta.name === 'client' ? 'shell' : 'netshoot', image: img, ports: img.startsWith('nginx') ? [{ name: 'http', containerPort: 80, protocol: 'TCP' }] : [] }];
    p.meta.creationTimestamp = p.meta.name === 'client' ? '3300' : '60';
  }
  for (const n of c.nodes) n.meta.creationTimestamp = '0';
  return c;
}

/** A stand-in tracer: delivered both ways when the destination is a known pod or node IP, 1 router per node hop. */
export function fakeTrace(cluster: Cluster, req: TraceRequest): TraceResult {
  const pods = [...cluster.pods.values()];
  const fromPod = pods.find((p) => `${p.meta.namespace}/${p.meta.name}` === req.from);
  const toPod = pods.find((p) => p.attachment && ipStr(p.attachment.ip) === req.to);
  const sameNode = fromPod && toPod && fromPod.nodeName === toPod.nodeName;
  const pkt = (ttl: number) => ({ src: '0.0.0.0', dst: req.to, proto: req.proto, ttl, size: (req.size ?? 56) + 28 });
  if (!toPod) return { verdict: 'dropped', reason: 'no owner', hops: [{ node: null, netns: `pod/${req.from}`, device: 'eth0', action: 'send', detail: '', packet: pkt(64) }] };
  const hops = sameNode ? 1 : 2;
  return {
    verdict: 'delivered',
    hops: [
      { node: null, netns: `pod/${req.from}`, device: 'eth0', action: 'send', detail: '', packet: pkt(64) },
      ...(sameNode ? [] : [{ node: null, netns: 'node/x', device: 'eth0', action: 'wire' as const, detail: '', packet: pkt(63) }]),
      { node: null, netns: `pod/${toPod.meta.namespace}/${toPod.meta.name}`, device: 'eth0', action: 'deliver', detail: '', packet: pkt(64 - hops) },
    ],
    reply: { verdict: 'delivered', hops: [{ node: null, netns: 'x', device: 'eth0', action: 'deliver', detail: '', packet: pkt(64 - hops) }] },
  };
}

function ipStr(ip: number): string {
  return `${ip >>> 24}.${(ip >>> 16) & 255}.${(ip >>> 8) & 255}.${ip & 255}`;
}

/** Minimal pod ops over maps (the real ones are controllers/commands.ts). */
export const fakeOps: ClusterOps = {
  addPod(cluster, manifest) {
    const m = manifest as { metadata: { name: string; namespace: string; labels: Record<string, string> }; spec: { containers: { name: string; image: string }[] } };
    const pods = new Map(cluster.pods);
    const ns = m.metadata.namespace;
    const rec: PodRec = {
      kind: 'Pod',
      meta: { name: m.metadata.name, namespace: ns, labels: m.metadata.labels, annotations: {}, uid: `uid-${m.metadata.name}`, creationTimestamp: String(cluster.now) },
      nodeName: 'worker-2',
      hostNetwork: false,
      containers: m.spec.containers.map((c) => ({ name: c.name, image: c.image, ports: [] })),
      phase: 'Running',
      ready: true,
      containerId: 'ab'.repeat(32),
      pid: 9000,
      attachment: { ip: (10 << 24) + (244 << 16) + (2 << 8) + 9, prefix: 24, hostIfname: 'veth0badcafe', hostIfindex: 9, podIfindex: 2, podMac: '0a:58:0a:f4:02:09', hostMac: '0a:00:00:00:00:09', mtu: 1450 },
    };
    pods.set(`${ns}/${m.metadata.name}`, rec);
    return { ok: true, cluster: { ...cluster, pods } };
  },
  deletePod(cluster, namespace, name) {
    const pods = new Map(cluster.pods);
    pods.delete(`${namespace}/${name}`);
    return { ok: true, cluster: { ...cluster, pods } };
  },
};
