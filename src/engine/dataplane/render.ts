/**
 * One table entry as iproute2 prints it — the single source for the trace's hop details, the
 * shell's `ip route|neigh|rule` and `bridge fdb`, and the tests' expectations.
 *
 * The `format*` functions keep iproute2's trailing space: it prints every field as "%s " and
 * then the newline (ip/iproute.c print_route, ip/ipneigh.c, ip/iprule.c, bridge/fdb.c); busybox's
 * `ip` applet differs in small ways (networking/libiproute/iproute.c). The `render*` forms are the
 * same lines trimmed, for prose (a hop's `detail`).
 */
import { formatIpv4 } from '../addressing/ipv4';
import type { FdbEntry, Neighbor, Route, RouteRule } from '../model/netns';

/** `iproute2` (nodes, debian-like images, netshoot) or `busybox` (busybox/alpine images). */
export type IpFlavor = 'iproute2' | 'busybox';

const ip = formatIpv4;

/** One route as `ip route` prints it: dst, via, dev, table, proto, scope, src, metric, flags, then metrics such as mtu. */
export function formatRoute(r: Route, flavor: IpFlavor = 'iproute2', showTable = false): string {
  const dst = r.dst.prefix === 0 && r.type === 'unicast' ? 'default' : r.dst.prefix === 32 ? ip(r.dst.network) : r.dst.toString();
  let s = r.type === 'unicast' ? `${dst} ` : `${r.type} ${dst} `;
  if (r.via !== undefined) s += `via ${ip(r.via)} `;
  if (r.dev) s += `dev ${r.dev} `;
  if (showTable && r.table && r.table !== 'main') s += `table ${r.table} `;
  if (flavor === 'busybox') {
    // busybox: `proto` only when not boot/kernel; then " src %s " (two spaces).
    if (r.proto && r.proto !== 'kernel' && r.proto !== 'boot') s += `proto ${r.proto} `;
    if (r.scope && r.scope !== 'global') s += `scope ${r.scope} `;
    if (r.src !== undefined) s += ` src ${ip(r.src)} `;
    if (r.metric !== undefined) s += `metric ${r.metric} `;
    if (r.onlink) s += 'onlink ';
    return s;
  }
  if (r.proto && r.proto !== 'boot') s += `proto ${r.proto} `;
  if (r.scope && r.scope !== 'global') s += `scope ${r.scope} `;
  if (r.src !== undefined) s += `src ${ip(r.src)} `;
  if (r.metric !== undefined) s += `metric ${r.metric} `;
  if (r.onlink) s += 'onlink ';
  if (r.mtu !== undefined) s += `mtu ${r.mtu} `;
  return s;
}

/** `ip neigh` line; `dev` is left out when the listing is filtered on a device. */
export function formatNeigh(n: Neighbor, showDev = true): string {
  let s = `${ip(n.ip)} `;
  if (showDev) s += `dev ${n.dev} `;
  if (n.mac) s += `lladdr ${n.mac}`;
  else s = s.trimEnd();
  if (n.router) s += ' router';
  return `${s} ${n.state}`;
}

/** `bridge fdb show` line; `dev` is left out when filtered on a device. */
export function formatFdb(e: FdbEntry, showDev = true): string {
  let s = `${e.mac} `;
  if (showDev) s += `dev ${e.dev} `;
  if (e.vlan !== undefined) s += `vlan ${e.vlan} `;
  if (e.dst !== undefined) s += `dst ${ip(e.dst)} `;
  if (e.master) s += `master ${e.master} `;
  if (e.self) s += 'self ';
  if (e.permanent) s += 'permanent';
  return s;
}

/** `ip rule` line (the mask of a fwmark is printed only when it is not all ones). */
export function formatRule(r: RouteRule): string {
  let sel = r.not ? 'not ' : '';
  sel += `from ${r.from ? r.from.toString() : 'all'} `;
  if (r.to) sel += `to ${r.to.toString()} `;
  if (r.fwmark) sel += `fwmark 0x${r.fwmark.value.toString(16)}${r.fwmark.mask !== 0xffffffff ? `/0x${r.fwmark.mask.toString(16)}` : ''} `;
  if (r.iif) sel += `iif ${r.iif} `;
  return `${r.priority}:\t${sel}lookup ${r.table} `;
}

export const renderRoute = (r: Route): string => formatRoute(r, 'iproute2', true).trimEnd();
export const renderNeigh = (n: Neighbor): string => formatNeigh(n);
export const renderFdb = (f: FdbEntry): string => formatFdb(f).trimEnd();
export const renderRule = (r: RouteRule): string => formatRule(r).trimEnd();
