/**
 * Test support for CNI plugin modules: builds small `Cluster` objects by hand (nodes,
 * pods with attachments as the plugin's IPAM would leave them) and a `PlumbContext` over
 * them, so plugin tests do not depend on the scenario loader or the allocators; plus
 * iproute2-style renderers so expectations read like `ip route` / `ip neigh` / `bridge fdb`.
 * Used only by tests.
 */
import { Cidr, formatIpv4, parseIpv4, type Ipv4 } from '../addressing/ipv4';
import { macFor } from '../addressing/mac';
import type { Cluster, ClusterConfig, CniMode, NodeRec, PodRec } from '../model/cluster';
import { netnsId } from '../model/ids';
import type { Route } from '../model/netns';
import { Rng } from '../sim/rng';
import type { CniPlugin, PlumbContext } from './plugin';

export interface NodeSpec {
  name: string;
  ip: string;
  podCIDR?: string;
  blocks?: string[];
  annotations?: Record<string, string>;
  macs?: Record<string, string>;
  /** Extra NodeRec fields (routerIp, bridgeIp, tunnelIp...) as IPAM would record them. */
  extra?: Partial<NodeRec>;
}

export interface PodSpec {
  namespace?: string;
  name: string;
  node: string;
  ip?: string;
  hostNetwork?: boolean;
  labels?: Record<string, string>;
  /** Host-side ifindex; by default 10 up per node. */
  hostIfindex?: number;
  /** eth0's ifindex in the pod (default 3). */
  podIfindex?: number;
  endpointId?: number;
}

const must = <T>(v: T | null | undefined, what: string): T => {
  if (v === null || v === undefined) throw new Error(`bad fixture value: ${what}`);
  return v;
};
export const ip4 = (s: string): Ipv4 => must(parseIpv4(s), s);
export const cidr = (s: string): Cidr => must(Cidr.parse(s), s);

export function testConfig(cni: CniMode, over: Partial<ClusterConfig> = {}): ClusterConfig {
  return {
    name: 'test',
    cni,
    kubeProxy: 'iptables',
    podCIDR: cidr(cni.startsWith('calico') ? '192.168.0.0/16' : '10.244.0.0/16'),
    nodeCIDRMaskSize: 24,
    serviceCIDR: cidr('10.96.0.0/12'),
    nodeNetwork: cidr('192.168.0.0/24'),
    clusterDomain: 'cluster.local',
    wireguard: false,
    nodeMtu: 1500,
    seed: 1,
    kubernetesVersion: 'v1.31.0',
    ...over,
  };
}

const meta = (name: string, namespace?: string, annotations: Record<string, string> = {}) => ({
  name,
  ...(namespace ? { namespace } : {}),
  labels: {},
  annotations,
  uid: `uid-${namespace ?? ''}-${name}`,
  creationTimestamp: '0',
});

/**
 * A cluster with the given nodes and pods. Pod attachments follow the plugin: host ifname
 * from `plugin.hostIfname`, host ifindex from 10 up per node, eth0 ifindex 3 in the pod,
 * MTU from `plugin.podMtu`, prefix from `plugin.podPrefix`; pods without `ip` get the next
 * address of their node's podCIDR from .2 (host-local) or of its first block (Calico).
 */
export function testCluster(plugin: CniPlugin, config: ClusterConfig, nodes: NodeSpec[], pods: PodSpec[] = []): Cluster {
  const rng = new Rng(config.seed);
  const nodeRecs: NodeRec[] = nodes.map((n) => ({
    kind: 'Node',
    meta: meta(n.name, undefined, n.annotations ?? {}),
    role: 'worker',
    ip: ip4(n.ip),
    podCIDR: n.podCIDR ? cidr(n.podCIDR) : null,
    capacityPods: 110,
    blocks: (n.blocks ?? []).map(cidr),
    macs: n.macs ?? {},
    osImage: 'Ubuntu 24.04 LTS',
    kernelVersion: '6.8.0-45-generic',
    containerRuntime: 'containerd://1.7.22',
    ...(n.extra ?? {}),
  }));
  const nextIfindex = new Map<string, number>();
  const nextOffset = new Map<string, number>();
  const podMap = new Map<string, PodRec>();
  for (const p of pods) {
    const ns = p.namespace ?? 'default';
    const node = nodeRecs.find((n) => n.meta.name === p.node)!;
    const pod: PodRec = {
      kind: 'Pod',
      meta: { ...meta(p.name, ns), labels: p.labels ?? {} },
      nodeName: p.node,
      hostNetwork: p.hostNetwork ?? false,
      containers: [{ name: 'c', image: 'busybox', ports: [] }],
      phase: 'Running',
      ready: true,
      containerId: `${(podMap.size + 1).toString(16).padStart(2, '0')}c0ffee${'0'.repeat(56)}`,
      pid: 1000 + podMap.size,
    };
    if (!pod.hostNetwork) {
      let ip: Ipv4;
      if (p.ip) ip = ip4(p.ip);
      else {
        const base = plugin.usesNodePodCIDR ? node.podCIDR! : node.blocks[0];
        const off = nextOffset.get(p.node) ?? (plugin.usesNodePodCIDR ? 2 : 1);
        nextOffset.set(p.node, off + 1);
        ip = base.nth(off);
      }
      const hostIfindex = p.hostIfindex ?? nextIfindex.get(p.node) ?? 10;
      nextIfindex.set(p.node, hostIfindex + 1);
      const hostIfname = plugin.hostIfname(pod, rng, p.endpointId);
      pod.attachment = {
        ip,
        prefix: plugin.podPrefix(config),
        hostIfname,
        hostIfindex,
        podIfindex: p.podIfindex ?? 3,
        podMac: macFor(config.seed, `${netnsId.pod(ns, p.name)}/eth0`),
        hostMac: plugin.fixedHostMac ?? macFor(config.seed, `${netnsId.node(p.node)}/${hostIfname}`),
        mtu: plugin.podMtu(config),
        ...(p.endpointId !== undefined ? { endpointId: p.endpointId } : {}),
      };
    }
    podMap.set(`${ns}/${p.name}`, pod);
  }
  return {
    config,
    namespaces: new Map(),
    nodes: nodeRecs,
    pods: podMap,
    workloads: new Map(),
    objects: new Map(),
    ipam: { lastReserved: {}, blockFree: {}, nextIfindex: {}, nextEndpointId: 1 },
    rngState: rng.state,
    now: 0,
  };
}

/** A PlumbContext over a hand-made cluster (same shape as cni/network.ts builds). */
export function testContext(plugin: CniPlugin, cluster: Cluster): PlumbContext {
  const nodes = new Map(cluster.nodes.map((n) => [n.meta.name, n] as [string, NodeRec]));
  const podsByNode = new Map<string, PodRec[]>();
  for (const p of cluster.pods.values()) {
    const list = podsByNode.get(p.nodeName) ?? [];
    list.push(p);
    podsByNode.set(p.nodeName, list);
  }
  return {
    cluster,
    config: cluster.config,
    plugin,
    node: (n) => nodes.get(n),
    podsOn: (n) => podsByNode.get(n) ?? [],
    mac: (ns, dev) => macFor(cluster.config.seed, `${ns}/${dev}`),
  };
}

export { renderFdb, renderNeigh, renderRoute, renderRule } from '../dataplane/render';

/** A route as one short line (`10.244.1.0/24 via 192.168.1.11 dev eth0 proto bird mtu 1450`): the fields a plugin sets. */
export const routeLine = (r: Route): string =>
  [
    r.dst.prefix === 0 ? 'default' : r.dst.prefix === 32 ? formatIpv4(r.dst.network) : r.dst.toString(),
    r.via !== undefined ? `via ${formatIpv4(r.via)}` : '',
    r.dev ? `dev ${r.dev}` : '',
    r.proto && r.proto !== 'boot' ? `proto ${r.proto}` : '',
    r.scope && r.scope !== 'global' ? `scope ${r.scope}` : '',
    r.src !== undefined ? `src ${formatIpv4(r.src)}` : '',
    r.mtu !== undefined ? `mtu ${r.mtu}` : '',
  ]
    .filter(Boolean)
    .join(' ');
