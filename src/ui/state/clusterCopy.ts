/**
 * Copies of an engine `Cluster` made elsewhere: a structured clone from the engine worker
 * (offThread.ts) and the demo's cluster built at build time and embedded as JSON
 * (vite.config.ts builtInScenario), so the first paint needs neither the YAML parser nor the
 * loader. A Cluster is plain data apart from its Maps and its `Cidr` values; a copy gets those
 * back here. clusterCopy.test.ts checks, on every example and CNI mode, that a copy equals the
 * original class for class, so a new class in the Cluster cannot be missed.
 */
import { Cidr } from '../../engine/addressing/ipv4';
import type { Cluster, IpamState, NodeRec } from '../../engine/model/cluster';
import { PMap, PVec, type KeyedState } from '../../engine/util/persistent';

/** A `Cidr` from its structured clone (its fields) or its JSON (`Cidr.toJSON`: `a.b.c.d/n`). */
function cidr(v: Cidr | string): Cidr {
  if (typeof v === 'string') {
    const c = Cidr.parse(v);
    if (!c) throw new Error(`not a CIDR: ${v}`);
    return c;
  }
  return Object.setPrototypeOf(v, Cidr.prototype) as Cidr;
}

/** A persistent map in JSON: its entries in order, marked so decoding can tell it from a record. */
interface EncodedPMap { $pmap: [string, unknown][] }
const encodeKeyed = <V,>(s: KeyedState<V>): KeyedState<V> | EncodedPMap => (s instanceof PMap ? { $pmap: [...s] } : s);
const decodeKeyed = <V,>(s: KeyedState<V> | EncodedPMap): KeyedState<V> => (s && typeof s === 'object' && '$pmap' in s && Array.isArray(s.$pmap) ? PMap.from(s.$pmap as [string, V][]) : (s as KeyedState<V>));

/** The IPAM state with its persistent maps encoded (encode) or decoded (decode). */
function mapIpam(ipam: IpamState, f: (s: never) => unknown): IpamState {
  const g = f as <V>(s: KeyedState<V>) => KeyedState<V>;
  return {
    ...ipam,
    lastReserved: g(ipam.lastReserved),
    blockFree: g(ipam.blockFree),
    nextIfindex: g(ipam.nextIfindex),
    ...(ipam.pidCursor ? { pidCursor: g(ipam.pidCursor) } : {}),
  };
}

/**
 * A structured clone of a persistent map or vector (util/persistent.ts: plain fields, trie
 * nodes as arrays) gets its class back; anything else (a Map, a plain record) is returned as is.
 */
function persistent<T>(v: T): T {
  if (!v || typeof v !== 'object' || v instanceof Map || v instanceof PMap || v instanceof PVec) return v;
  if ('trie' in v && 'order' in v) {
    Object.setPrototypeOf(v, PMap.prototype);
    const m = v as unknown as { order: unknown };
    m.order = persistent(m.order);
  } else if ('root' in v && 'shift' in v && 'length' in v) Object.setPrototypeOf(v, PVec.prototype);
  return v;
}

/** Give a copy of a Cluster its `Cidr` instances and its events' PVec back (the config's and each node's spec.podCIDR and IPAM blocks), in place. */
export function reviveCluster(c: Cluster): Cluster {
  if (Array.isArray(c.events)) c.events = PVec.from(c.events);
  else if (c.events) c.events = persistent(c.events);
  c.pods = persistent(c.pods);
  const ipam = c.ipam;
  ipam.lastReserved = persistent(ipam.lastReserved);
  ipam.blockFree = persistent(ipam.blockFree);
  ipam.nextIfindex = persistent(ipam.nextIfindex);
  if (ipam.pidCursor) ipam.pidCursor = persistent(ipam.pidCursor);
  const config = c.config;
  config.podCIDR = cidr(config.podCIDR);
  config.serviceCIDR = cidr(config.serviceCIDR);
  config.nodeNetwork = cidr(config.nodeNetwork);
  if (config.vnetCIDR) config.vnetCIDR = cidr(config.vnetCIDR);
  if (config.peerings) config.peerings = config.peerings.map((p) => ({ ...p, cidr: cidr(p.cidr) }));
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
  return { ...c, ipam: mapIpam(c.ipam, encodeKeyed as never), ...(c.events ? { events: c.events.toArray() as never } : {}), namespaces: [...c.namespaces], pods: [...c.pods], workloads: [...c.workloads], objects: [...c.objects] };
}

/** The Cluster of `encodeCluster`'s output read back from JSON. */
export function decodeCluster(e: EncodedCluster): Cluster {
  return reviveCluster({
    ...e,
    ipam: mapIpam(e.ipam, decodeKeyed as never),
    namespaces: new Map(e.namespaces),
    pods: new Map(e.pods),
    workloads: new Map(e.workloads),
    objects: new Map(e.objects),
  } as Cluster);
}
