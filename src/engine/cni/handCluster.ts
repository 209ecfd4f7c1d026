/**
 * A small cluster assembled by hand (no scenario loader, no IPAM) for the CNI plugin tests:
 * nodes and pods with the addresses, names and ifindexes given, so a test fixes its inputs
 * and asserts what the plugin derives from them. Test support only; never used by the engine.
 */
import { Cidr, parseIpv4, type Ipv4 } from '../addressing/ipv4';
import { macFor } from '../addressing/mac';
import type { Cluster, ClusterConfig, CniMode, NodeRec, PodRec } from '../model/cluster';
import { pluginFor } from './registry';
import { Rng } from '../sim/rng';

export const ip4 = (text: string): Ipv4 => {
  const v = parseIpv4(text);
  if (v === null) throw new Error(`bad IP ${text}`);
  return v;
};
export const cidr = (text: string): Cidr => {
  const c = Cidr.parse(text);
  if (!c) throw new Error(`bad CIDR ${text}`);
  return c;
};

export interface HandNode {
  name: string;
  ip: string;
  podCIDR?: string;
  /** Extra NodeRec fields (routerIp, bridgeIp...) as IPAM would record them. */
  extra?: Record<string, unknown>;
}

export interface HandPod {
  name: string;
  namespace?: string;
  node: string;
  ip?: string;
  hostNetwork?: boolean;
  labels?: Record<string, string>;
  hostIfindex: number;
  endpointId?: number;
}

export function handCluster(cni: CniMode, nodes: HandNode[], pods: HandPod[], over: Partial<ClusterConfig> = {}): Cluster {
  const config: ClusterConfig = {
    name: 'test',
    cni,
    kubeProxy: 'iptables',
    podCIDR: cidr(cni.startsWith('cilium') ? '10.0.0.0/8' : cni === 'weave' ? '10.32.0.0/12' : '10.244.0.0/16'),
    nodeCIDRMaskSize: 24,
    serviceCIDR: cidr('10.96.0.0/12'),
    nodeNetwork: cidr('192.168.1.0/24'),
    clusterDomain: 'cluster.local',
    wireguard: false,
    nodeMtu: 1500,
    seed: 7,
    kubernetesVersion: 'v1.31.0',
    ...over,
  };
  const plugin = pluginFor(cni);
  const meta = (name: string, namespace?: string, labels: Record<string, string> = {}) => ({
    name,
    ...(namespace ? { namespace } : {}),
    labels,
    annotations: {},
    uid: `uid-${namespace ?? ''}-${name}`,
    creationTimestamp: '0',
  });
  const nodeRecs: NodeRec[] = nodes.map((n) => ({
    kind: 'Node',
    meta: meta(n.name),
    role: 'worker',
    ip: ip4(n.ip),
    podCIDR: n.podCIDR ? cidr(n.podCIDR) : null,
    capacityPods: 110,
    blocks: [],
    macs: { eth0: macFor(config.seed, `node/${n.name}/eth0`) },
    osImage: 'Ubuntu 22.04.4 LTS',
    kernelVersion: '6.5.0-1022-aws',
    containerRuntime: 'containerd://1.7.20',
    ...(n.extra ?? {}),
  }));
  const rng = new Rng(config.seed);
  const podMap = new Map<string, PodRec>();
  pods.forEach((p, i) => {
    const ns = p.namespace ?? 'default';
    const rec: PodRec = {
      kind: 'Pod',
      meta: meta(p.name, ns, p.labels ?? { app: p.name }),
      nodeName: p.node,
      hostNetwork: !!p.hostNetwork,
      containers: [{ name: 'c', image: 'busybox', ports: [] }],
      phase: 'Running',
      ready: true,
      containerId: `${(i + 1).toString(16).padStart(2, '0')}c0ffee${'0'.repeat(56)}`,
      pid: 4000 + i * 17,
    };
    if (!p.hostNetwork && p.ip) {
      rec.attachment = {
        ip: ip4(p.ip),
        prefix: plugin.podPrefix(config),
        hostIfname: plugin.hostIfname(rec, rng, p.endpointId),
        hostIfindex: p.hostIfindex,
        podIfindex: 2,
        podMac: macFor(config.seed, `pod/${ns}/${p.name}/eth0`),
        hostMac: plugin.fixedHostMac ?? macFor(config.seed, `host/${ns}/${p.name}`),
        mtu: plugin.podMtu(config),
        ...(p.endpointId !== undefined ? { endpointId: p.endpointId } : {}),
      };
    }
    podMap.set(`${ns}/${p.name}`, rec);
  });
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
