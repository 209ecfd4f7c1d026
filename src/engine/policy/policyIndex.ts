/**
 * The policies of one cluster, indexed for evaluation: by namespace, and per pod the policies
 * that select it for each direction (computed on first use and kept). Built once per Cluster
 * object (WeakMap), so every trace hook and matrix of an unchanged cluster shares it.
 *
 * Endpoints: a connection's far end is a pod (pod-network pods, matched by selectors), a node
 * (node IPs and the node's own device addresses: tunl0, vxlan.calico, cilium_host, weave) or an
 * address outside the cluster. hostNetwork pods are their node: NetworkPolicy does not select
 * them and selectors do not match them.
 */
import { formatIpv4, type Ipv4 } from '../addressing/ipv4';
import type { Cluster, NodeRec, PodRec } from '../model/cluster';
import { policiesOf } from './parse';
import { selectorMatches } from '../model/labelSelector';
import type { Direction, Policy } from './types';

export type Endpoint =
  | { kind: 'pod'; pod: PodRec; namespace: string; ip: Ipv4; name: string }
  | { kind: 'node'; node: NodeRec; ip: Ipv4; name: string }
  | { kind: 'external'; ip: Ipv4; name: string };

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export const podKey = (p: PodRec) => `${p.meta.namespace ?? 'default'}/${p.meta.name}`;

/** Pods NetworkPolicy applies to: on the pod network with an address. */
export const isPolicyPod = (p: PodRec) => !p.hostNetwork && p.attachment !== undefined;

export class PolicyIndex {
  readonly policies: Policy[];
  readonly byNamespace = new Map<string, Policy[]>();
  private readonly podByIp = new Map<Ipv4, PodRec>();
  private readonly nodeByIp = new Map<Ipv4, NodeRec>();
  private readonly nsLabelCache = new Map<string, Record<string, string>>();
  private readonly selectingCache = new Map<string, Record<Direction, Policy[]>>();

  constructor(readonly cluster: Cluster) {
    // CiliumNetworkPolicy is a CRD only Cilium installs and enforces.
    const cilium = cluster.config.cni.startsWith('cilium');
    this.policies = policiesOf(cluster).filter((p) => cilium || p.kind === 'NetworkPolicy');
    for (const p of this.policies) {
      let l = this.byNamespace.get(p.namespace);
      if (!l) this.byNamespace.set(p.namespace, (l = []));
      l.push(p);
    }
    for (const p of cluster.pods.values()) if (isPolicyPod(p)) this.podByIp.set(p.attachment!.ip, p);
    for (const n of cluster.nodes) {
      for (const ip of [n.ip, n.tunnelIp, n.routerIp, n.bridgeIp, n.wireguardIp]) if (ip !== undefined) this.nodeByIp.set(ip, n);
    }
  }

  /** A namespace's labels as selectors see them: its own plus `kubernetes.io/metadata.name` (set by the API server since 1.21). */
  nsLabels(ns: string): Record<string, string> {
    let l = this.nsLabelCache.get(ns);
    if (!l) {
      l = { ...(this.cluster.namespaces.get(ns)?.meta.labels ?? {}), [NAMESPACE_NAME_LABEL]: ns };
      this.nsLabelCache.set(ns, l);
    }
    return l;
  }

  podEndpoint(pod: PodRec): Endpoint {
    if (!isPolicyPod(pod)) {
      const node = this.cluster.nodes.find((n) => n.meta.name === pod.nodeName);
      if (node) return this.nodeEndpoint(node);
      return { kind: 'external', ip: 0, name: podKey(pod) };
    }
    return { kind: 'pod', pod, namespace: pod.meta.namespace ?? 'default', ip: pod.attachment!.ip, name: podKey(pod) };
  }

  nodeEndpoint(node: NodeRec, ip = node.ip): Endpoint {
    return { kind: 'node', node, ip, name: `node/${node.meta.name}` };
  }

  endpointOfIp(ip: Ipv4): Endpoint {
    const pod = this.podByIp.get(ip);
    if (pod) return this.podEndpoint(pod);
    const node = this.nodeByIp.get(ip);
    if (node) return this.nodeEndpoint(node, ip);
    return { kind: 'external', ip, name: formatIpv4(ip) };
  }

  podOfIp(ip: Ipv4): PodRec | undefined {
    return this.podByIp.get(ip);
  }

  /** Policies in the pod's namespace whose podSelector selects it and whose policyTypes include `dir`, in list order. */
  selecting(pod: PodRec, dir: Direction): Policy[] {
    const key = podKey(pod);
    let hit = this.selectingCache.get(key);
    if (!hit) {
      hit = { Ingress: [], Egress: [] };
      if (isPolicyPod(pod)) {
        for (const p of this.byNamespace.get(pod.meta.namespace ?? 'default') ?? []) {
          if (!selectorMatches(p.podSelector, pod.meta.labels)) continue;
          for (const t of p.types) hit[t].push(p);
        }
      }
      this.selectingCache.set(key, hit);
    }
    return hit[dir];
  }
}

const cache = new WeakMap<Cluster, PolicyIndex>();

export function policyIndexOf(cluster: Cluster): PolicyIndex {
  let idx = cache.get(cluster);
  if (!idx) {
    idx = new PolicyIndex(cluster);
    cache.set(cluster, idx);
  }
  return idx;
}
