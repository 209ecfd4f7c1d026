/**
 * What the kernel's neighbour table has learned from the traffic the session sent. The plugins
 * build each namespace's static entries (flannel's VTEPs, Cilium's router, Azure's gateway); the
 * rest of a real table is learned: every ARP request a traced packet made from a namespace (an
 * `arp` hop) leaves an entry for its next hop — a Calico pod's `169.254.1.1 dev eth0 lladdr
 * ee:ee:ee:ee:ee:ee` (answered by the host veth's proxy ARP), a flannel pod's cni0 gateway, a
 * node's entries for its pods. The MAC is what the namespace's ARP gets now (dataplane/neighbor.ts),
 * the state REACHABLE within base_reachable_time (30 s, net.ipv4.neigh.default) of the last
 * confirmation and STALE after it (the entry stays until garbage collection; ip-neighbour(8)),
 * FAILED when nobody answered. The traces themselves stay as they were: each starts with cold
 * caches, so the trace still shows the ARP exchange it needed.
 */
import { parseIpv4 } from '../addressing/ipv4';
import { networkOf } from '../cni/network';
import { resolveNeighbor } from '../dataplane/neighbor';
import { indexOf } from '../dataplane/nsIndex';
import { lookupRoute } from '../dataplane/routeTable';
import type { Neighbor, Netns } from '../model/netns';
import type { TraceResult } from '../trace/traceTypes';
import type { Session } from './types';

/** net.ipv4.neigh.default.base_reachable_time_ms: 30000. */
const BASE_REACHABLE_SECONDS = 30;

/** The entries the namespace learned from the session's traced traffic, not already in its table (in the order first learned). */
export function learnedNeighbors(session: Session, ns: Netns): Neighbor[] {
  const cluster = session.cluster;
  const sent: { at: number; trace: TraceResult }[] = [...(session.flowLog ?? []), ...session.traces.map((trace) => ({ at: cluster.now, trace }))];
  const idx = indexOf(ns);
  const last = new Map<string, { ip: number; dev: string; at: number }>();
  for (const { at, trace } of sent) {
    for (const leg of [trace, trace.reply]) {
      for (const hop of leg?.hops ?? []) {
        if (hop.action !== 'arp' || hop.netns !== ns.id) continue;
        const dst = parseIpv4(hop.packet.encap?.dst ?? hop.packet.dst);
        if (dst === null) continue;
        const m = lookupRoute(ns, { dst });
        const nexthop = m && m.route.dev === hop.device && m.route.via !== undefined ? m.route.via : dst;
        const key = `${hop.device}|${nexthop}`;
        last.delete(key);
        last.set(key, { ip: nexthop, dev: hop.device, at });
      }
    }
  }
  const out: Neighbor[] = [];
  const env = { cluster, network: networkOf(cluster) };
  for (const [key, e] of last) {
    if (idx.neigh.has(key)) continue;
    const link = idx.link.get(e.dev);
    if (!link) continue;
    const r = resolveNeighbor(env, ns, link, e.ip);
    if ('fail' in r) out.push({ ip: e.ip, dev: e.dev, mac: null, state: 'FAILED' });
    else if (r.mac) out.push({ ip: e.ip, dev: e.dev, mac: r.mac, state: cluster.now - e.at < BASE_REACHABLE_SECONDS ? 'REACHABLE' : 'STALE' });
  }
  return out;
}
