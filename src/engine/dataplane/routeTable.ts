/**
 * Policy routing over a namespace's tables, as the kernel's FIB does it:
 * - rules in priority order (`ip rule`): the implicit `0: lookup local`, `32766: lookup main`,
 *   `32767: lookup default` plus the namespace's own rules; a rule whose table has no
 *   matching route falls through to the next rule;
 * - in a table, the longest prefix wins, then the lowest metric; routes on a DOWN device are skipped;
 * - the local table is derived from the addresses (`local <addr> dev <link> proto kernel scope host src <addr>`).
 *
 * Tables are indexed by prefix length (a Map per length), so a lookup costs at most 33 map
 * probes however many routes a node has (5,000 on a 5,000-node cluster). The index is cached
 * per Netns object in a WeakMap and rebuilt when the tables change size.
 */
import { Cidr, type Ipv4 } from '../addressing/ipv4';
import type { Netns, Route, RouteRule } from '../model/netns';

export interface FlowKey {
  dst: Ipv4;
  /** Source address when known (forwarded packets, sockets with a bound address); `from` selectors need it. */
  src?: Ipv4;
  /** Input interface; `lo` for locally generated packets (as `ip route get` uses). */
  iif?: string;
  /** Packet mark (fwmark), 0 when none. */
  mark?: number;
}

export interface RouteMatch {
  route: Route;
  table: string;
  /** The rule that chose the table, when it is not one of the implicit ones. */
  rule?: RouteRule;
}

interface TableIndex {
  /** Prefix lengths present, longest first. */
  prefixes: number[];
  byPrefix: Map<number, Map<number, Route[]>>;
}

interface RoutingIndex {
  tables: Map<string, TableIndex>;
  rules: RouteRule[];
  down: Set<string>;
  sizes: number[];
}

const IMPLICIT_RULES: RouteRule[] = [
  { priority: 0, table: 'local' },
  { priority: 32766, table: 'main' },
  { priority: 32767, table: 'default' },
];

const cache = new WeakMap<Netns, RoutingIndex>();
const sizesOf = (ns: Netns) => [ns.routes.length, ns.rules.length, ns.links.length];
const sameSizes = (ns: Netns, s: number[]) => s[0] === ns.routes.length && s[1] === ns.rules.length && s[2] === ns.links.length;

/** The local table the kernel derives from the namespace's addresses. */
export function localRoutes(ns: Netns): Route[] {
  const out: Route[] = [];
  for (const l of ns.links) {
    for (const a of l.addrs) {
      if (l.kind === 'loopback' && a.prefix < 32) {
        out.push({ type: 'local', dst: new Cidr(a.ip, a.prefix), dev: l.name, table: 'local', proto: 'kernel', scope: 'host', src: a.ip });
      }
      out.push({ type: 'local', dst: Cidr.host(a.ip), dev: l.name, table: 'local', proto: 'kernel', scope: 'host', src: a.ip });
    }
  }
  return out;
}

function addRoute(tables: Map<string, TableIndex>, r: Route) {
  const name = r.table ?? 'main';
  let t = tables.get(name);
  if (!t) tables.set(name, (t = { prefixes: [], byPrefix: new Map() }));
  let m = t.byPrefix.get(r.dst.prefix);
  if (!m) {
    t.byPrefix.set(r.dst.prefix, (m = new Map()));
    t.prefixes.push(r.dst.prefix);
  }
  const list = m.get(r.dst.network);
  if (list) list.push(r);
  else m.set(r.dst.network, [r]);
}

function routingIndex(ns: Netns): RoutingIndex {
  const hit = cache.get(ns);
  if (hit && sameSizes(ns, hit.sizes)) return hit;
  const tables = new Map<string, TableIndex>();
  for (const r of localRoutes(ns)) addRoute(tables, r);
  for (const r of ns.routes) addRoute(tables, r);
  for (const t of tables.values()) t.prefixes.sort((a, b) => b - a);
  // Array.prototype.sort is stable: rules of equal priority keep their order.
  const rules = [...IMPLICIT_RULES, ...ns.rules].sort((a, b) => a.priority - b.priority);
  const down = new Set(ns.links.filter((l) => l.operState === 'DOWN').map((l) => l.name));
  const idx = { tables, rules, down, sizes: sizesOf(ns) };
  cache.set(ns, idx);
  return idx;
}

/** Longest-prefix match in one table; undefined when nothing matches. */
export function lookupTable(ns: Netns, table: string, dst: Ipv4): Route | undefined {
  const idx = routingIndex(ns);
  const t = idx.tables.get(table);
  if (!t) return undefined;
  for (const prefix of t.prefixes) {
    const list = t.byPrefix.get(prefix)!.get(new Cidr(dst, prefix).network);
    if (!list) continue;
    let best: Route | undefined;
    for (const r of list) {
      // fib_add_ifaddr adds the local /32 even on a down device (kube-ipvs0 is DOWN and still owns every ClusterIP).
      if (r.dev && idx.down.has(r.dev) && r.type !== 'local') continue;
      if (!best || (r.metric ?? 0) < (best.metric ?? 0)) best = r;
    }
    if (best) return best;
  }
  return undefined;
}

function ruleMatches(rule: RouteRule, key: FlowKey): boolean {
  let m = true;
  if (rule.from && rule.from.prefix > 0) m &&= key.src !== undefined && rule.from.contains(key.src);
  if (rule.to && rule.to.prefix > 0) m &&= rule.to.contains(key.dst);
  if (rule.iif) m &&= rule.iif === (key.iif ?? 'lo');
  if (rule.fwmark) m &&= ((key.mark ?? 0) & rule.fwmark.mask) >>> 0 === rule.fwmark.value >>> 0;
  return rule.not ? !m : m;
}

/** `ip route get`: walk the rules, first table with a match wins. */
export function lookupRoute(ns: Netns, key: FlowKey): RouteMatch | undefined {
  for (const rule of routingIndex(ns).rules) {
    if (!ruleMatches(rule, key)) continue;
    const route = lookupTable(ns, rule.table, key.dst);
    if (route) return { route, table: rule.table, ...(IMPLICIT_RULES.includes(rule) ? {} : { rule }) };
  }
  return undefined;
}

/**
 * Source address selection (inet_select_addr): the route's `src`, else the first address of
 * the output device, else the first global address of any other device.
 */
export function selectSource(ns: Netns, route: Route): Ipv4 | undefined {
  if (route.src !== undefined) return route.src;
  const dev = ns.links.find((l) => l.name === route.dev);
  const own = dev?.addrs.find((a) => a.scope !== 'host') ?? dev?.addrs[0];
  if (own) return own.ip;
  for (const l of ns.links) {
    if (l.kind === 'loopback') continue;
    const a = l.addrs.find((x) => x.scope === 'global');
    if (a) return a.ip;
  }
  return undefined;
}
