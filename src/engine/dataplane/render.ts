/**
 * iproute2 renderings of the table entries a hop names in its `detail`: a route as
 * `ip route show table all` prints it (ip/iproute.c print_route: dst, via, dev, table,
 * proto, scope, src, metric, flags such as onlink, then metrics such as mtu), a neighbour
 * as `ip neigh`, an FDB entry as `bridge fdb show`, a rule as `ip rule`.
 */
import { formatIpv4 } from '../addressing/ipv4';
import type { FdbEntry, Neighbor, Route, RouteRule } from '../model/netns';

const ip = formatIpv4;

export function renderRoute(r: Route): string {
  const parts: string[] = [];
  if (r.type !== 'unicast') parts.push(r.type);
  parts.push(r.dst.prefix === 0 ? 'default' : r.dst.prefix === 32 ? ip(r.dst.network) : r.dst.toString());
  if (r.via !== undefined) parts.push('via', ip(r.via));
  if (r.dev) parts.push('dev', r.dev);
  if (r.table && r.table !== 'main') parts.push('table', r.table);
  if (r.proto && r.proto !== 'boot') parts.push('proto', r.proto);
  if (r.scope && r.scope !== 'global') parts.push('scope', r.scope);
  if (r.src !== undefined) parts.push('src', ip(r.src));
  if (r.metric !== undefined) parts.push('metric', String(r.metric));
  if (r.onlink) parts.push('onlink');
  if (r.mtu !== undefined) parts.push('mtu', String(r.mtu));
  return parts.join(' ');
}

export function renderNeigh(n: Neighbor): string {
  return `${ip(n.ip)} dev ${n.dev}${n.mac ? ` lladdr ${n.mac}` : ''}${n.router ? ' router' : ''} ${n.state}`;
}

export function renderFdb(f: FdbEntry): string {
  let s = `${f.mac} dev ${f.dev}`;
  if (f.dst !== undefined) s += ` dst ${ip(f.dst)}`;
  if (f.vlan !== undefined) s += ` vlan ${f.vlan}`;
  if (f.master) s += ` master ${f.master}`;
  if (f.self) s += ' self';
  if (f.permanent) s += ' permanent';
  return s;
}

export function renderRule(r: RouteRule): string {
  let sel = `${r.not ? 'not ' : ''}from ${r.from ? r.from.toString() : 'all'}`;
  if (r.to) sel += ` to ${r.to.toString()}`;
  if (r.fwmark) sel += ` fwmark 0x${r.fwmark.value.toString(16)}/0x${r.fwmark.mask.toString(16)}`;
  if (r.iif) sel += ` iif ${r.iif}`;
  return `${r.priority}:\t${sel} lookup ${r.table}`;
}
