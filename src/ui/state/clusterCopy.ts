/**
 * Copies of an engine `Cluster` made elsewhere: a structured clone from the engine worker
 * (offThread.ts) and the demo's cluster built at build time and embedded as JSON
 * (vite.config.ts builtInScenario), so the first paint needs neither the YAML parser nor the
 * loader. A Cluster is plain data apart from its Maps and its `Cidr` values; a copy gets those
 * back here. clusterCopy.test.ts checks, on every example and CNI mode, that a copy equals the
 * original class for class, so a new class in the Cluster cannot be missed.
 */
import { Cidr } from '../../engine/addressing/ipv4';
import type { Cluster, NodeRec } from '../../engine/model/cluster';

/** A `Cidr` from its structured clone (its fields) or its JSON (`Cidr.toJSON`: `a.b.c.d/n`). */
function cidr(v: Cidr | string): Cidr {
  if (typeof v === 'string') {
    const c = Cidr.parse(v);
    if (!c) throw new Error(`not a CIDR: ${v}`);
    return c;
  }
  return Object.setPrototypeOf(v, Cidr.prototype) as Cidr;
}

/** Give a copy of a Cluster its `Cidr` instances back (the config's and each node's spec.podCIDR and IPAM blocks), in place. */
export function reviveCluster(c: Cluster): Cluster {
  const config = c.config;
  config.podCIDR = cidr(config.podCIDR);
  config.serviceCIDR = cidr(config.serviceCIDR);
  config.nodeNetwork = cidr(config.nodeNetwork);
  for (const n of c.nodes as NodeRec[]) {
    if (n.podCIDR) n.podCIDR = cidr(n.podCIDR);
    n.blocks = n.blocks.map(cidr);
  }
  return c;
}

/** A Cluster as JSON can carry it: its Maps as entry lists (in their order). */
export type EncodedCluster = Omit<Cluster, 'namespaces' | 'pods' | 'workloads' | 'objects'> & {
  namespaces: [string, unknown][];
  pods: [string, unknown][];
  workloads: [string, unknown][];
  objects: [string, unknown][];
};

export function encodeCluster(c: Cluster): EncodedCluster {
  return { ...c, namespaces: [...c.namespaces], pods: [...c.pods], workloads: [...c.workloads], objects: [...c.objects] };
}

/** The Cluster of `encodeCluster`'s output read back from JSON. */
export function decodeCluster(e: EncodedCluster): Cluster {
  return reviveCluster({
    ...e,
    namespaces: new Map(e.namespaces),
    pods: new Map(e.pods),
    workloads: new Map(e.workloads),
    objects: new Map(e.objects),
  } as Cluster);
}
