/**
 * Walks a packet through an iptables chain the way the kernel's ipt_do_table does: rules in
 * order, jumps push a frame, RETURN or the end of a user chain pops it, a terminal target
 * (ACCEPT, DROP, REJECT, DNAT, SNAT, MASQUERADE) ends the table. The walk reports how many rules
 * iptables would have evaluated (linear in the number of Services for KUBE-SERVICES), while the
 * engine finds the first candidate by hash: rules with an exact `-d IP/32 -p P --dport N` (or
 * `-p P --dport N`) are indexed by that key, the few others are scanned.
 */
import { formatIpv4, type Ipv4 } from '../addressing/ipv4';
import type { Chain, Match, Rule, TableRules } from './rules';
import { statisticProbability } from './rules';

export interface PacketFacts {
  src: Ipv4;
  dst: Ipv4;
  proto: 'tcp' | 'udp' | 'icmp';
  sport?: number;
  dport?: number;
  inDev?: string;
  outDev?: string;
  mark: number;
  ctstate: 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID';
  /** The connection was DNATed (conntrack --ctstate DNAT). */
  dnat?: boolean;
  bridged?: boolean;
  isLocal(ip: Ipv4): boolean;
  /** `--limit-iface-out`: is `ip` an address of the outgoing device? */
  isLocalOn(ip: Ipv4, dev: string | undefined): boolean;
  /** Deterministic draw in [0, 1) for a statistic match of `chain`'s rule `index`. */
  draw(chain: string, index: number): number;
  /** `-m recent --rcheck`: was this source recorded in the named list? */
  recent(name: string, ip: Ipv4): boolean;
  sets: {
    keys(name: string): Set<string> | undefined;
    nets(name: string): { contains(ip: Ipv4): boolean }[] | undefined;
  };
}

export type Terminal =
  | { kind: 'ACCEPT' }
  | { kind: 'DROP' }
  | { kind: 'REJECT'; with: string }
  | { kind: 'DNAT'; ip: Ipv4; port?: number }
  | { kind: 'SNAT'; ip: Ipv4; randomFully: boolean }
  | { kind: 'MASQUERADE'; randomFully: boolean };

export interface EvalResult {
  /** Undefined: fell off the built-in chain (policy ACCEPT). */
  terminal?: Terminal;
  /** The rule whose target ended the walk. */
  rule?: Rule;
  /** Chains entered, in order (the built-in one first). */
  path: string[];
  /** Rules evaluated, as iptables would (every rule tried, hash-indexed or not). */
  checked: number;
  mark: number;
  /** `-m recent --set` lists the packet was added to. */
  recentSet: string[];
  /** Statistic rules that did not match before the chosen endpoint rule, per chain. */
  passedOver: number;
}

interface ChainIndex {
  /** Numeric key: destination (or 0x100000000 for "any") × 2^18 + protocol × 2^16 + port. */
  keyed: Map<number, number[]>;
  unkeyed: number[];
  count: number;
  /** Jump targets resolved to chain objects (no name lookup per packet). */
  jumps: (Chain | undefined)[];
}


const PROTO: Record<string, number> = { tcp: 1, udp: 2, sctp: 3, icmp: 0 };
const ANY_DST = 0x100000000;
const numKey = (dst: number, proto: string, port: number) => dst * 262144 + (PROTO[proto] ?? 0) * 65536 + port;

function keyOf(r: Rule): number | undefined {
  const l4 = r.matches.find((m): m is Extract<Match, { m: 'tcp' | 'udp' | 'sctp' }> => m.m === 'tcp' || m.m === 'udp' || m.m === 'sctp');
  if (!r.p || !l4 || l4.dport === undefined || l4.neg) return undefined;
  if (r.d && !r.d.neg && r.d.cidr.prefix === 32) return numKey(r.d.cidr.network, r.p, l4.dport);
  if (!r.d) return numKey(ANY_DST, r.p, l4.dport);
  return undefined;
}

function indexOfChain(c: Chain): ChainIndex {
  let idx = c.index as ChainIndex | undefined;
  if (!idx || idx.count !== c.rules.length) {
    idx = { keyed: new Map(), unkeyed: [], count: c.rules.length, jumps: [] };
    c.rules.forEach((r, i) => {
      const k = keyOf(r);
      if (k === undefined) idx!.unkeyed.push(i);
      else {
        const list = idx!.keyed.get(k);
        if (list) list.push(i);
        else idx!.keyed.set(k, [i]);
      }
    });
    c.index = idx;
  }
  return idx;
}

/** Build every chain's index up front (the ruleset is then read-only; the first packet pays nothing). */
export function indexTable(t: TableRules): void {
  for (const c of t.chains.values()) {
    const idx = indexOfChain(c);
    idx.jumps = c.rules.map((r) => (r.target.t === 'jump' ? t.chains.get(r.target.chain) : undefined));
  }
}

function firstAtOrAfter(list: number[], from: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const ifaceMatches = (pattern: string, dev: string | undefined) => dev !== undefined && (pattern.endsWith('+') ? dev.startsWith(pattern.slice(0, -1)) : dev === pattern);

function matchSet(m: Extract<Match, { m: 'set' }>, f: PacketFacts): boolean {
  const nets = f.sets.nets(m.name);
  const dirs = m.flags.split(',');
  if (nets) return nets.some((c) => c.contains(dirs[0] === 'src' ? f.src : f.dst));
  const keys = f.sets.keys(m.name);
  if (!keys) return false;
  const part = (d: string, i: number) => (i === 1 ? `${f.proto}:${d === 'src' ? f.sport : f.dport}` : formatIpv4(d === 'src' ? f.src : f.dst));
  if (dirs.length === 1) return keys.has(String(dirs[0] === 'src' ? f.sport : f.dport)) || keys.has(formatIpv4(dirs[0] === 'src' ? f.src : f.dst));
  return keys.has(dirs.map(part).join(','));
}

function ruleMatches(r: Rule, index: number, f: PacketFacts): boolean {
  if (r.s && r.s.cidr.contains(f.src) === !!r.s.neg) return false;
  if (r.d && r.d.cidr.contains(f.dst) === !!r.d.neg) return false;
  if (r.i && ifaceMatches(r.i.name, f.inDev) === !!r.i.neg) return false;
  if (r.o && ifaceMatches(r.o.name, f.outDev) === !!r.o.neg) return false;
  if (r.p && r.p !== f.proto) return false;
  for (const m of r.matches) {
    switch (m.m) {
      case 'comment':
        break;
      case 'tcp':
      case 'udp':
      case 'sctp':
        if (m.m !== f.proto) return false;
        if (m.dport !== undefined && (m.dport === f.dport) === !!m.neg) return false;
        if (m.sport !== undefined && (m.sport === f.sport) === !!m.neg) return false;
        break;
      case 'statistic':
        if (!(f.draw(r.chain, index) < statisticProbability(m.probability))) return false;
        break;
      case 'recent':
        if (m.op === 'rcheck' && !f.recent(m.name, f.src)) return false;
        break;
      case 'addrtype': {
        const local = (ip: Ipv4) => (m.limitIfaceOut ? f.isLocalOn(ip, f.outDev) : f.isLocal(ip));
        if (m.dstType && local(f.dst) === !!m.neg) return false;
        if (m.srcType && local(f.src) === !!m.neg) return false;
        break;
      }
      case 'mark':
        if (((f.mark & m.mask) >>> 0 === m.value) === !!m.neg) return false;
        break;
      case 'conntrack': {
        const states = m.ctstate.split(',');
        const has = states.includes(f.ctstate) || (states.includes('DNAT') && !!f.dnat);
        if (has === !!m.neg) return false;
        break;
      }
      case 'set':
        if (matchSet(m, f) === !!m.neg) return false;
        break;
      case 'physdev':
        if (!!f.bridged !== m.isBridged) return false;
        break;
    }
  }
  return true;
}

/** Index of the first rule at or after `from` that matches, or -1. */
function nextMatch(c: Chain, from: number, f: PacketFacts): number {
  const idx = indexOfChain(c);
  let best = -1;
  for (let pass = 0; pass < 2; pass++) {
    if (f.dport === undefined) break;
    const list = idx.keyed.get(numKey(pass === 0 ? f.dst : ANY_DST, f.proto, f.dport));
    if (!list) continue;
    for (let k = firstAtOrAfter(list, from); k < list.length; k++) {
      if (best >= 0 && list[k] >= best) break;
      if (ruleMatches(c.rules[list[k]], list[k], f)) {
        best = list[k];
        break;
      }
    }
  }
  const un = idx.unkeyed;
  for (let k = firstAtOrAfter(un, from); k < un.length; k++) {
    if (best >= 0 && un[k] >= best) break;
    if (ruleMatches(c.rules[un[k]], un[k], f)) {
      best = un[k];
      break;
    }
  }
  return best;
}

/** Evaluate `table`'s built-in `chain` for a packet. */
export function evaluateChain(table: TableRules, chain: string, f: PacketFacts): EvalResult {
  const res: EvalResult = { path: [], checked: 0, mark: f.mark, recentSet: [], passedOver: 0 };
  const facts = f;
  const mark0 = f.mark;
  const walk = (name: string, depth: number, known?: Chain): 'return' | 'end' => {
    const c = known ?? table.chains.get(name);
    if (!c || depth > 32) return 'return';
    res.path.push(name);
    const jumps = (c.index as ChainIndex | undefined)?.jumps;
    let i = 0;
    while (i < c.rules.length) {
      const hit = nextMatch(c, i, facts);
      if (hit < 0) {
        res.checked += c.rules.length - i;
        return 'return';
      }
      res.checked += hit - i + 1;
      const r = c.rules[hit];
      for (const m of r.matches) if (m.m === 'recent' && m.op === 'set') res.recentSet.push(m.name);
      const t = r.target;
      switch (t.t) {
        case 'jump':
          if (walk(t.chain, depth + 1, jumps?.[hit]) === 'end') return 'end';
          break;
        case 'RETURN':
          return 'return';
        case 'MARK':
          facts.mark = ((facts.mark & ~t.mask) ^ t.value) >>> 0;
          res.mark = facts.mark;
          break;
        case 'none':
          break;
        case 'ACCEPT':
        case 'DROP':
          res.terminal = { kind: t.t };
          res.rule = r;
          return 'end';
        case 'REJECT':
          res.terminal = { kind: 'REJECT', with: t.with };
          res.rule = r;
          return 'end';
        case 'DNAT':
          res.terminal = { kind: 'DNAT', ip: t.ip, ...(t.port !== undefined ? { port: t.port } : {}) };
          res.rule = r;
          return 'end';
        case 'SNAT':
          res.terminal = { kind: 'SNAT', ip: t.ip, randomFully: !!t.randomFully };
          res.rule = r;
          return 'end';
        case 'MASQUERADE':
          res.terminal = { kind: 'MASQUERADE', randomFully: !!t.randomFully };
          res.rule = r;
          return 'end';
      }
      i = hit + 1;
    }
    return 'return';
  };
  walk(chain, 0);
  f.mark = mark0;
  return res;
}
