/**
 * One engine table entry → the iproute2 command that creates it in a namespace. The commands
 * use `ip -n NS` / `bridge -n NS`, so nothing runs in (or touches) the host's namespace.
 *
 * What is left out because the kernel makes it itself: connected routes (`proto kernel`, added
 * with the address), the `local` table, the bridge's own FDB entries (`master … permanent`, added
 * when a port joins) and learned (non-permanent) FDB entries and neighbours.
 */
import { formatIpv4 } from '../addressing/ipv4';
import type { FdbEntry, IfAddr, Neighbor, Route, RouteRule } from '../model/netns';
import { word } from './bash';

const ip = formatIpv4;

/**
 * Route protocols by number (include/uapi/linux/rtnetlink.h RTPROT_*): iproute2 reads names from
 * rt_protos, which not every distribution ships with every name, so the script writes numbers for
 * anything beyond the names iproute2 has built in. `bird` (12) is probed at run time instead (see the script).
 */
const RTPROT: Record<string, number> = { redirect: 1, gated: 8, ra: 9, mrt: 10, zebra: 11, bird: 12, dnrouted: 13, xorp: 14, ntk: 15, dhcp: 16, keepalived: 18, babel: 42 };
const BUILTIN_PROTOS = new Set(['kernel', 'boot', 'static']);

export function protoWord(proto: string): string {
  if (proto === 'bird') return '"$PROTO_BIRD"';
  if (BUILTIN_PROTOS.has(proto) || /^\d+$/.test(proto)) return proto;
  return String(RTPROT[proto] ?? word(proto));
}

/** The kernel creates this route by itself (connected routes, the local table). */
export function kernelMadeRoute(r: Route): boolean {
  return r.table === 'local' || r.proto === 'kernel';
}

export function routeCommand(ns: string, r: Route): string {
  const parts: string[] = [];
  if (r.type !== 'unicast') parts.push(r.type);
  parts.push(r.dst.prefix === 0 ? (r.type === 'unicast' ? 'default' : '0.0.0.0/0') : r.dst.prefix === 32 ? ip(r.dst.network) : r.dst.toString());
  if (r.via !== undefined) parts.push('via', ip(r.via));
  if (r.dev) parts.push('dev', word(r.dev));
  if (r.table && r.table !== 'main') parts.push('table', word(r.table));
  if (r.proto && r.proto !== 'boot') parts.push('proto', protoWord(r.proto));
  if (r.scope && r.scope !== 'global') parts.push('scope', r.scope);
  if (r.src !== undefined) parts.push('src', ip(r.src));
  if (r.metric !== undefined) parts.push('metric', String(r.metric));
  if (r.onlink) parts.push('onlink');
  if (r.mtu !== undefined) parts.push('mtu', String(r.mtu));
  return `ip -n ${ns} route replace ${parts.join(' ')}`;
}

/** Routes that name a gateway need the route to the gateway first (unless onlink): device routes go first. */
export function routeOrder(a: Route, b: Route): number {
  const rank = (r: Route) => (r.via === undefined || r.onlink ? 0 : 1);
  return rank(a) - rank(b);
}

export function ruleCommand(ns: string, r: RouteRule): string {
  const parts = [`priority ${r.priority}`];
  if (r.not) parts.push('not');
  if (r.from) parts.push('from', r.from.toString());
  if (r.to) parts.push('to', r.to.toString());
  if (r.fwmark) parts.push('fwmark', `0x${r.fwmark.value.toString(16)}/0x${r.fwmark.mask.toString(16)}`);
  if (r.iif) parts.push('iif', word(r.iif));
  parts.push('lookup', word(r.table));
  return `ip -n ${ns} rule add ${parts.join(' ')}`;
}

/**
 * `noprefixroute` when the namespace has no connected route for the address: a plugin deleted the
 * one the kernel made (Azure CNI's transparent mode removes the pod's subnet route).
 */
export function addrCommand(ns: string, dev: string, a: IfAddr, noPrefixRoute = false): string {
  let s = `ip -n ${ns} addr add ${ip(a.ip)}/${a.prefix}`;
  if (a.broadcast !== undefined) s += ` broadcast ${ip(a.broadcast)}`;
  if (a.scope !== 'global') s += ` scope ${a.scope}`;
  return `${s} dev ${word(dev)}${noPrefixRoute ? ' noprefixroute' : ''}`;
}

/**
 * Only entries someone programmed: PERMANENT (flannel, Felix), NOARP, and those a plugin wrote
 * with their MAC in another state (`programmed`: Azure CNI's entry for 169.254.1.1).
 */
export function neighborCommand(ns: string, n: Neighbor): string | undefined {
  if (n.state !== 'PERMANENT' && n.state !== 'NOARP' && !(n.programmed && n.mac)) return undefined;
  const lladdr = n.mac ? ` lladdr ${n.mac}` : '';
  return `ip -n ${ns} neigh replace ${ip(n.ip)}${lladdr} dev ${word(n.dev)} nud ${n.state.toLowerCase()}${n.router ? ' router' : ''}`;
}

/** Only entries a daemon programs on a device itself (`self`: VXLAN remote VTEPs); the bridge makes and learns the rest. */
export function fdbCommand(ns: string, e: FdbEntry): string | undefined {
  if (!e.self || !e.permanent) return undefined;
  let s = `bridge -n ${ns} fdb replace ${e.mac} dev ${word(e.dev)}`;
  if (e.dst !== undefined) s += ` dst ${ip(e.dst)}`;
  if (e.vlan !== undefined) s += ` vlan ${e.vlan}`;
  return `${s} self permanent`;
}
