/**
 * Per-namespace lookup indexes (links by name, bridge ports, neighbours, FDB, local
 * addresses), built once per `Netns` object and cached in a WeakMap. A node of a
 * 5,000-node cluster holds ~5,000 neighbour and FDB entries; a trace must not scan them.
 *
 * The index is rebuilt when the namespace's tables change size (a test or a shell command
 * that edits a cached namespace in place), so it never serves stale entries for additions.
 */
import type { Ipv4 } from '../addressing/ipv4';
import type { FdbEntry, Link, Neighbor, Netns } from '../model/netns';

export interface NetnsIndex {
  link: Map<string, Link>;
  /** Ports of each bridge / openvswitch datapath (`master X`), in link order. */
  ports: Map<string, Link[]>;
  /** `dev|ip` → neighbour entry. */
  neigh: Map<string, Neighbor>;
  /** `dev|mac` → FDB entries (`bridge fdb show`): device-own (`self`) and bridge-learned (`master`). */
  fdbByDevMac: Map<string, FdbEntry[]>;
  /** `master|mac` → FDB entries learned on a bridge's ports. */
  fdbByMasterMac: Map<string, FdbEntry[]>;
  /** Addresses configured on any link (what the local table holds). */
  local: Map<Ipv4, Link>;
  sizes: number[];
}

const cache = new WeakMap<Netns, NetnsIndex>();

const sizesOf = (ns: Netns) => [ns.links.length, ns.neighbors.length, ns.fdb.length];
const sameSizes = (ns: Netns, s: number[]) => s[0] === ns.links.length && s[1] === ns.neighbors.length && s[2] === ns.fdb.length;

export function indexOf(ns: Netns): NetnsIndex {
  const hit = cache.get(ns);
  if (hit && sameSizes(ns, hit.sizes)) return hit;
  const idx: NetnsIndex = { link: new Map(), ports: new Map(), neigh: new Map(), fdbByDevMac: new Map(), fdbByMasterMac: new Map(), local: new Map(), sizes: sizesOf(ns) };
  for (const l of ns.links) {
    idx.link.set(l.name, l);
    if (l.master) push(idx.ports, l.master, l);
    for (const a of l.addrs) if (!idx.local.has(a.ip)) idx.local.set(a.ip, l);
  }
  for (const n of ns.neighbors) idx.neigh.set(`${n.dev}|${n.ip}`, n);
  for (const f of ns.fdb) {
    push(idx.fdbByDevMac, `${f.dev}|${f.mac}`, f);
    if (f.master) push(idx.fdbByMasterMac, `${f.master}|${f.mac}`, f);
  }
  cache.set(ns, idx);
  return idx;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}

/** Forget a namespace's cached indexes (after editing one of its tables in place without changing its size). */
export function invalidateNetns(ns: Netns): void {
  cache.delete(ns);
}

/** True when `ip` is one of this namespace's own addresses (127.0.0.0/8 included, as the local table has it). */
export function isLocalAddress(ns: Netns, ip: Ipv4): boolean {
  return indexOf(ns).local.has(ip) || ip >>> 24 === 127;
}
