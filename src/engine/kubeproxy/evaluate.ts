/**
 * Walks a packet through an iptables chain the way the kernel's ipt_do_table does: rules in
 * order, jumps push a frame, RETURN or the end of a user chain pops it, a terminal target
 * (ACCEPT, DROP, REJECT, DNAT, SNAT, MASQUERADE) ends the table. The walk reports how many rules
 * iptables would have evaluated (linear in the number of Services for KUBE-SERVICES), while the
 * engine finds the first candidate by hash: rules with an exact `-d IP/32 -p P --dport N` (or
 * `-p P --dport N`) are indexed by that key, the few others are scanned.
 */
import { formatIpv4, type Ipv4 } from '../addressing/ipv4';
import type { Match, Rule, TableRules } from './rules';
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

/**
 * A table compiled for the packet path, built once (indexTable) and read-only afterwards.
 * At 10,000 Services a packet's walk would otherwise chase dozens of small objects scattered
 * over a ~170,000-rule heap (rule, selectors, Cidr, match list, target, per-chain Map...), one
 * cache miss each; here the hot fields of every rule sit in one flat Int32Array, rules of a
 * chain contiguous, so a chain costs a few cache lines whatever the table size.
 */
interface CompiledTable {
  revision: number;
  chainCount: number;
  /** Per chain id, two slots: [id * 2] its first global rule id ([id * 2 + 2] its end), [id * 2 + 1] CHAIN_* flags. */
  chainInfo: Int32Array;
  /** Chain names, internalized (flat): `res.path` and the statistic draw read them. */
  names: string[];
  byName: Map<string, number>;
  /** The built-in chains (where every walk starts) by name: a small map that stays in cache. */
  builtins: Map<string, number>;
  /** Global rule id → the Rule (for `res.rule`, targets read once, and rules the fast matcher leaves out). */
  rules: Rule[];
  /** STRIDE slots per rule, see the slot constants. */
  hot: Int32Array;
  /** The same memory as `hot`, as float64: a statistic rule's probability sits in its own row (PROB). */
  hotF64: Float64Array;
  /** Open-addressing table: (chain, dst or any, proto, dport) → a run of `lists` (sorted rule ids). */
  keys: Int32Array;
  keyMask: number;
  lists: Int32Array;
}

/** 16 × 4 bytes: one rule, one cache line. */
const STRIDE = 16;
const FLAGS = 0;
const S_NET = 1;
const S_MASK = 2;
const D_NET = 3;
const D_MASK = 4;
const PROTO_CODE = 5;
const L4_CODE = 6;
const DPORT = 7;
const SPORT = 8;
const TARGET = 9;
/** Jump: the target chain id; DNAT: the address. */
const JUMP = 10;
const DNAT_IP = 10;
/** DNAT: the port, -1 for none. */
const DNAT_PORT = 12;
/** Global id of the first unkeyed rule at or after this one in its chain (the chain's end if none). */
const NEXT_UNKEYED = 11;
/** Float64 index within the row (int32 slots 14-15): the statistic probability as xt_statistic stores it. */
const PROB = 7;
/** Chains this short are scanned in order (their rows are a cache line or two): no hash lookup, nothing indexed. */
const SCAN_BELOW = 16;

const HAS_S = 1;
const S_NEG = 2;
const HAS_D = 4;
const D_NEG = 8;
/** Anything the fast matcher does not model (interfaces, addrtype, mark, conntrack, set...): ruleMatches decides. */
const GENERIC = 16;
const HAS_STAT = 32;
const RECENT_SET = 64;
const HAS_L4 = 128;
const L4_NEG = 256;

const T_JUMP = 1;
const T_RETURN = 2;
const T_MARK = 3;
const T_NONE = 4;
const T_TERMINAL = 5;
const T_DNAT = 6;

/** The chain has rules keyed by an exact destination / by "any destination" (else that hash lookup is skipped). */
const CHAIN_DST_KEYS = 1;
const CHAIN_ANY_KEYS = 2;

const KEY_SLOTS = 5;
const PROTO: Record<string, number> = { tcp: 1, udp: 2, sctp: 3, icmp: 4 };
const protoCode = (p: string) => PROTO[p] ?? 0;

/** A flat, internalized copy of a string (a property key), so reading it touches one object. */
const intern = (s: string): string => Object.keys({ [s]: 0 })[0];

function keyHash(dst: number, b: number, port: number): number {
  let h = Math.imul(dst ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(port + 1, 0x85ebca6b), 0xc2b2ae35);
  h ^= h >>> 15;
  return Math.imul(h, 0x27d4eb2d) ^ (h >>> 13);
}

/** The index key of a rule, as before: an exact `-d IP/32 -p P --dport N` (or `-p P --dport N`), else none. */
function keyOf(r: Rule): { dst: number; any: boolean; proto: number; port: number } | undefined {
  const l4 = r.matches.find((m): m is Extract<Match, { m: 'tcp' | 'udp' | 'sctp' }> => m.m === 'tcp' || m.m === 'udp' || m.m === 'sctp');
  if (!r.p || !l4 || l4.dport === undefined || l4.neg) return undefined;
  const proto = protoCode(r.p);
  if (!proto) return undefined; // an unknown -p never equals the packet's protocol: the rule cannot match
  if (r.d && !r.d.neg && r.d.cidr.prefix === 32) return { dst: r.d.cidr.network, any: false, proto, port: l4.dport };
  if (!r.d) return { dst: 0, any: true, proto, port: l4.dport };
  return undefined;
}

function compileRule(r: Rule, chainName: string, hot: Int32Array, hotF64: Float64Array, g: number, chainId: (name: string) => number): void {
  const b = g * STRIDE;
  let flags = 0;
  if (r.s) {
    flags |= HAS_S | (r.s.neg ? S_NEG : 0);
    hot[b + S_NET] = r.s.cidr.network | 0;
    hot[b + S_MASK] = r.s.cidr.mask | 0;
  }
  if (r.d) {
    flags |= HAS_D | (r.d.neg ? D_NEG : 0);
    hot[b + D_NET] = r.d.cidr.network | 0;
    hot[b + D_MASK] = r.d.cidr.mask | 0;
  }
  if (r.i || r.o || r.chain !== chainName) flags |= GENERIC;
  if (r.p) {
    hot[b + PROTO_CODE] = protoCode(r.p);
    if (!protoCode(r.p)) flags |= GENERIC;
  }
  hot[b + DPORT] = -1;
  hot[b + SPORT] = -1;
  for (const m of r.matches) {
    switch (m.m) {
      case 'comment':
        break;
      case 'tcp':
      case 'udp':
      case 'sctp':
        if (flags & HAS_L4) flags |= GENERIC;
        flags |= HAS_L4 | (m.neg ? L4_NEG : 0);
        hot[b + L4_CODE] = protoCode(m.m);
        if (m.dport !== undefined) hot[b + DPORT] = m.dport;
        if (m.sport !== undefined) hot[b + SPORT] = m.sport;
        break;
      case 'statistic':
        if (flags & HAS_STAT) flags |= GENERIC;
        flags |= HAS_STAT;
        hotF64[g * (STRIDE / 2) + PROB] = statisticProbability(m.probability);
        break;
      case 'recent':
        if (m.op === 'set') flags |= RECENT_SET;
        if (m.op === 'rcheck') flags |= GENERIC;
        break;
      default:
        flags |= GENERIC;
    }
  }
  hot[b + FLAGS] = flags;
  const t = r.target;
  hot[b + JUMP] = -1;
  switch (t.t) {
    case 'jump':
      hot[b + TARGET] = T_JUMP;
      hot[b + JUMP] = chainId(t.chain);
      break;
    case 'RETURN':
      hot[b + TARGET] = T_RETURN;
      break;
    case 'MARK':
      hot[b + TARGET] = T_MARK;
      break;
    case 'none':
      hot[b + TARGET] = T_NONE;
      break;
    case 'DNAT':
      hot[b + TARGET] = T_DNAT;
      hot[b + DNAT_IP] = t.ip | 0;
      hot[b + DNAT_PORT] = t.port ?? -1;
      break;
    default:
      hot[b + TARGET] = T_TERMINAL;
  }
}

function compile(t: TableRules): CompiledTable {
  const chains = [...t.chains.values()];
  const byName = new Map<string, number>();
  chains.forEach((c, id) => byName.set(c.name, id));
  const chainInfo = new Int32Array(chains.length * 2 + 1);
  let total = 0;
  chains.forEach((c, id) => {
    chainInfo[id * 2] = total;
    total += c.rules.length;
  });
  chainInfo[chains.length * 2] = total;
  const hot = new Int32Array(total * STRIDE);
  const hotF64 = new Float64Array(hot.buffer);
  const rules: Rule[] = new Array(total);
  const groups = new Map<string, { dst: number; b: number; port: number; ids: number[] }>();
  const chainId = (name: string) => byName.get(name) ?? -1;
  chains.forEach((c, id) => {
    const start = chainInfo[id * 2];
    const end = chainInfo[id * 2 + 2];
    c.rules.forEach((r, i) => {
      const g = start + i;
      rules[g] = r;
      compileRule(r, c.name, hot, hotF64, g, chainId);
      const k = c.rules.length < SCAN_BELOW ? undefined : keyOf(r);
      if (!k) {
        hot[g * STRIDE + NEXT_UNKEYED] = -1; // filled below
        return;
      }
      hot[g * STRIDE + NEXT_UNKEYED] = -2;
      chainInfo[id * 2 + 1] |= k.any ? CHAIN_ANY_KEYS : CHAIN_DST_KEYS;
      const b = id * 8 + (k.any ? 4 : 0) + k.proto;
      const text = `${b}|${k.dst}|${k.port}`;
      const grp = groups.get(text);
      if (grp) grp.ids.push(g);
      else groups.set(text, { dst: k.dst | 0, b, port: k.port, ids: [g] });
    });
    let next = end;
    for (let g = end - 1; g >= start; g--) {
      if (hot[g * STRIDE + NEXT_UNKEYED] === -1) next = g;
      hot[g * STRIDE + NEXT_UNKEYED] = next;
    }
  });
  let cap = 16;
  while (cap < groups.size * 2) cap *= 2;
  const keys = new Int32Array(cap * KEY_SLOTS);
  const lists = new Int32Array([...groups.values()].reduce((n, g) => n + g.ids.length, 0));
  let off = 0;
  for (const grp of groups.values()) {
    let s = keyHash(grp.dst, grp.b, grp.port) & (cap - 1);
    while (keys[s * KEY_SLOTS + 4] !== 0) s = (s + 1) & (cap - 1);
    const k = s * KEY_SLOTS;
    keys[k] = grp.dst;
    keys[k + 1] = grp.b;
    keys[k + 2] = grp.port;
    keys[k + 4] = grp.ids.length;
    if (grp.ids.length === 1) {
      keys[k + 3] = grp.ids[0]; // the usual case: the rule id itself, no second array to touch
    } else {
      keys[k + 3] = off;
      lists.set(grp.ids, off);
      off += grp.ids.length;
    }
  }
  return {
    revision: t.revision ?? 0,
    chainCount: t.chains.size,
    chainInfo,
    names: chains.map((c) => intern(c.name)),
    byName,
    builtins: new Map(chains.flatMap((c, id) => (c.policy ? [[c.name, id] as const] : []))),
    rules,
    hot,
    hotF64,
    keys,
    keyMask: cap - 1,
    lists,
  };
}

const compiled = new WeakMap<TableRules, CompiledTable>();

/** The table's compiled form, rebuilt if rules or chains were added since (addRule/ensureChain bump the revision). */
function compiledOf(t: TableRules): CompiledTable {
  let ct = compiled.get(t);
  if (!ct || ct.revision !== (t.revision ?? 0) || ct.chainCount !== t.chains.size) {
    ct = compile(t);
    compiled.set(t, ct);
  }
  return ct;
}

/** Build every chain's index up front (the ruleset is then read-only; the first packet pays nothing). */
export function indexTable(t: TableRules): void {
  compiledOf(t);
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

/** The packet's fields as the fast matcher compares them (int32, numeric protocol). */
interface PacketKey {
  src: number;
  dst: number;
  proto: number;
  /** -2 when the packet has no port (never equal to a rule's). */
  sport: number;
  dport: number;
  hasDport: boolean;
}

function fastMatches(ct: CompiledTable, g: number, start: number, name: string, f: PacketFacts, pk: PacketKey): boolean {
  const hot = ct.hot;
  const b = g * STRIDE;
  const flags = hot[b + FLAGS];
  if (flags & GENERIC) return ruleMatches(ct.rules[g], g - start, f);
  if (flags & HAS_S && ((pk.src & hot[b + S_MASK]) === hot[b + S_NET]) === ((flags & S_NEG) !== 0)) return false;
  if (flags & HAS_D && ((pk.dst & hot[b + D_MASK]) === hot[b + D_NET]) === ((flags & D_NEG) !== 0)) return false;
  const p = hot[b + PROTO_CODE];
  if (p !== 0 && p !== pk.proto) return false;
  if (flags & HAS_L4) {
    if (hot[b + L4_CODE] !== pk.proto) return false;
    const neg = (flags & L4_NEG) !== 0;
    const dport = hot[b + DPORT];
    if (dport >= 0 && (dport === pk.dport) === neg) return false;
    const sport = hot[b + SPORT];
    if (sport >= 0 && (sport === pk.sport) === neg) return false;
  }
  if (flags & HAS_STAT && !(f.draw(name, g - start) < ct.hotF64[g * (STRIDE / 2) + PROB])) return false;
  return true;
}

/** The run of keyed rules for (chain, dst or any, proto, dport): [offset, end) in `lists`, or offset -1. */
function keyedRun(ct: CompiledTable, dst: number, b: number, port: number): number {
  const keys = ct.keys;
  let s = keyHash(dst, b, port) & ct.keyMask;
  for (;;) {
    const k = s * KEY_SLOTS;
    if (keys[k + 4] === 0) return -1;
    if (keys[k] === dst && keys[k + 1] === b && keys[k + 2] === port) return k;
    s = (s + 1) & ct.keyMask;
  }
}

/** The first rule at or after `from` in a run of keyed rules that matches before `best`, or `best`. */
function firstInRun(ct: CompiledTable, k: number, from: number, best: number, start: number, name: string, f: PacketFacts, pk: PacketKey): number {
  const n = ct.keys[k + 4];
  if (n === 1) {
    const g = ct.keys[k + 3];
    return g >= from && (best < 0 || g < best) && fastMatches(ct, g, start, name, f, pk) ? g : best;
  }
  const list = ct.lists;
  const off = ct.keys[k + 3];
  const stop = off + n;
  let lo = off;
  let hi = stop;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  for (let j = lo; j < stop; j++) {
    const g = list[j];
    if (best >= 0 && g >= best) break;
    if (fastMatches(ct, g, start, name, f, pk)) return g;
  }
  return best;
}

/** Global id of the first rule of chain `id` at or after `from` that matches, or -1. */
function nextMatch(ct: CompiledTable, id: number, from: number, f: PacketFacts, pk: PacketKey): number {
  const info = ct.chainInfo;
  const start = info[id * 2];
  const flags = info[id * 2 + 1];
  const end = info[id * 2 + 2];
  const name = ct.names[id];
  let best = -1;
  if (pk.hasDport && flags & CHAIN_DST_KEYS) {
    const k = keyedRun(ct, pk.dst, id * 8 + pk.proto, pk.dport);
    if (k >= 0) best = firstInRun(ct, k, from, best, start, name, f, pk);
  }
  if (pk.hasDport && flags & CHAIN_ANY_KEYS) {
    const k = keyedRun(ct, 0, id * 8 + 4 + pk.proto, pk.dport);
    if (k >= 0) best = firstInRun(ct, k, from, best, start, name, f, pk);
  }
  const hot = ct.hot;
  for (let g = hot[from * STRIDE + NEXT_UNKEYED]; g < end; g = g + 1 < end ? hot[(g + 1) * STRIDE + NEXT_UNKEYED] : end) {
    if (best >= 0 && g >= best) break;
    if (fastMatches(ct, g, start, name, f, pk)) return g;
  }
  return best;
}

function terminalOf(r: Rule): Terminal | undefined {
  const t = r.target;
  switch (t.t) {
    case 'ACCEPT':
    case 'DROP':
      return { kind: t.t };
    case 'REJECT':
      return { kind: 'REJECT', with: t.with };
    case 'DNAT':
      return { kind: 'DNAT', ip: t.ip, ...(t.port !== undefined ? { port: t.port } : {}) };
    case 'SNAT':
      return { kind: 'SNAT', ip: t.ip, randomFully: !!t.randomFully };
    case 'MASQUERADE':
      return { kind: 'MASQUERADE', randomFully: !!t.randomFully };
  }
  return undefined;
}

function walk(ct: CompiledTable, id: number, depth: number, f: PacketFacts, pk: PacketKey, res: EvalResult): boolean {
  if (depth > 32) return false;
  res.path.push(ct.names[id]);
  const hot = ct.hot;
  const end = ct.chainInfo[id * 2 + 2];
  let i = ct.chainInfo[id * 2];
  while (i < end) {
    const hit = nextMatch(ct, id, i, f, pk);
    if (hit < 0) {
      res.checked += end - i;
      return false;
    }
    res.checked += hit - i + 1;
    const b = hit * STRIDE;
    if (hot[b + FLAGS] & RECENT_SET) for (const m of ct.rules[hit].matches) if (m.m === 'recent' && m.op === 'set') res.recentSet.push(m.name);
    switch (hot[b + TARGET]) {
      case T_JUMP: {
        const to = hot[b + JUMP];
        if (to >= 0 && walk(ct, to, depth + 1, f, pk, res)) return true;
        break;
      }
      case T_RETURN:
        return false;
      case T_MARK: {
        const t = ct.rules[hit].target as Extract<Rule['target'], { t: 'MARK' }>;
        f.mark = ((f.mark & ~t.mask) ^ t.value) >>> 0;
        res.mark = f.mark;
        break;
      }
      case T_NONE:
        break;
      case T_DNAT: {
        const port = hot[b + DNAT_PORT];
        res.terminal = port >= 0 ? { kind: 'DNAT', ip: hot[b + DNAT_IP] >>> 0, port } : { kind: 'DNAT', ip: hot[b + DNAT_IP] >>> 0 };
        res.rule = ct.rules[hit];
        return true;
      }
      default: {
        const r = ct.rules[hit];
        res.terminal = terminalOf(r);
        res.rule = r;
        return true;
      }
    }
    i = hit + 1;
  }
  return false;
}

/** Evaluate `table`'s built-in `chain` for a packet. */
export function evaluateChain(table: TableRules, chain: string, f: PacketFacts): EvalResult {
  const res: EvalResult = { path: [], checked: 0, mark: f.mark, recentSet: [], passedOver: 0 };
  const ct = compiledOf(table);
  const id = ct.builtins.get(chain) ?? ct.byName.get(chain);
  if (id === undefined) return res;
  const pk: PacketKey = {
    src: f.src | 0,
    dst: f.dst | 0,
    proto: protoCode(f.proto),
    sport: f.sport === undefined ? -2 : f.sport,
    dport: f.dport === undefined ? -2 : f.dport,
    hasDport: f.dport !== undefined,
  };
  const mark0 = f.mark;
  walk(ct, id, 0, f, pk, res);
  f.mark = mark0;
  return res;
}
