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
    /** hash:ip,port,net sets: the blocks per `ip,proto:port` key. */
    portNets?(name: string): Map<string, { contains(ip: Ipv4): boolean }[]> | undefined;
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
  /** The rule whose target ended the walk (the field is always there, undefined if none: see evaluateChain). */
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
 * cache miss each. Here every chain is a header row followed by one row per rule in a single
 * Int32Array, in table order, so a Service's KUBE-SVC chain and its KUBE-SEP chains are one
 * contiguous block; their names and Rule objects are likewise adjacent in `objs`.
 * At that scale each packet lands on cold memory, so what counts is how many distinct cache
 * lines and pages it touches: rows are 32 bytes, and the KUBE-SERVICES ClusterIP rule is
 * decided by its hash slot alone (its row is never read).
 */
interface CompiledTable {
  revision: number;
  chainCount: number;
  /** Chain name → its header row. */
  byName: Map<string, number>;
  /** The built-in chains (where every walk starts) by name: a small map that stays in cache. */
  builtins: Map<string, number>;
  /** Indexed like the rows: at a chain's header row its name (a flat fresh copy), at a rule row its Rule. */
  objs: (string | Rule)[];
  /** STRIDE int32 slots per row: chain header rows (H_*) and rule rows. */
  hot: Int32Array;
  /** Per row of a chain with keyed rules: the first unkeyed rule at or after it (the chain's end if none). */
  nextUnkeyed: Int32Array;
  /** Open-addressing table of KEY_SLOTS-int32 slots: (chain header, dst or any, proto, dport) → a run of rule rows. */
  keys: Int32Array;
  /** Per key slot with K_JUMP: the name of the chain it jumps to (read alongside the slot, see warm()). */
  slotNames: string[];
  keyMask: number;
  lists: Int32Array;
}

/** 8 × 4 bytes: two rows per cache line, half the memory a walk at scale spreads over. */
const STRIDE = 8;

// Chain header row.
/** Row index just past the chain's last rule. */
const H_END = 0;
const H_FLAGS = 1;

// Rule row.
/** Match flags (low bits), then the target kind, the -p protocol and the -m tcp/udp/sctp protocol (*_SHIFT). */
const FLAGS = 0;
const S_NET = 1;
const S_MASK = 2;
const D_NET = 3;
const D_MASK = 4;
/** --dport in the low 16 bits, --sport in the high 16 (HAS_DPORT / HAS_SPORT say which are given). */
const PORTS = 5;
/** Jump: the target chain's header row (-1: no such chain); DNAT: the address. */
const JUMP = 6;
const DNAT_IP = 6;
/**
 * Statistic: the probability as xt_statistic keeps it, a u32 `probability × 2^31` (libxt_statistic
 * lround(0x80000000 * prob); the kernel's statistic_mt tests `(random & 0x7FFFFFFF) < probability`).
 * Compared with `draw × 2^31` (exact: a power of two), which is `draw < statisticProbability(p)`.
 * DNAT: the port, -1 for none.
 */
const PROB = 7;
const DNAT_PORT = 7;

/** Chains this short are scanned in order (their rows are a cache line or two): no hash lookup, nothing indexed. */
const SCAN_BELOW = 16;

const HAS_S = 1;
const S_NEG = 2;
const HAS_D = 4;
const D_NEG = 8;
/** Anything the fast matcher does not model (interfaces, addrtype, mark, conntrack, set, recent --rcheck...): ruleMatches decides. */
const GENERIC = 16;
const HAS_STAT = 32;
const RECENT_SET = 64;
const HAS_L4 = 128;
const L4_NEG = 256;
const HAS_DPORT = 512;
const HAS_SPORT = 1024;
const TARGET_SHIFT = 12;
const PROTO_SHIFT = 16;
const L4_SHIFT = 20;

const T_JUMP = 1;
const T_RETURN = 2;
const T_MARK = 3;
const T_NONE = 4;
const T_TERMINAL = 5;
const T_DNAT = 6;

/** The chain has rules keyed by an exact destination / by "any destination" (else that hash lookup is skipped). */
const CHAIN_DST_KEYS = 1;
const CHAIN_ANY_KEYS = 2;

// Key slot: 8 int32 = 32 bytes, so a slot never straddles a cache line.
const KEY_SLOTS = 8;
const K_DST = 0;
/** Chain header × 8 + (4 for "any destination") + protocol code. */
const K_CHAIN = 1;
const K_PORT = 2;
/** Rules in the run; 0 marks an empty slot. */
const K_COUNT = 3;
/** The rule's row when the run is one rule, else the run's offset in `lists`. */
const K_ROW = 4;
/**
 * When the key says everything about a lone rule (`-d IP/32 -p P -m P --dport N -j CHAIN`, the
 * KUBE-SERVICES ClusterIP rule), the header row of the chain it jumps to, else -1: a key hit is
 * then a match and the walk jumps without reading the rule's row.
 */
const K_JUMP = 5;
/** With K_JUMP: the end of the rows that chain and the chains it jumps to right after it span (a KUBE-SVC and its KUBE-SEPs). */
const K_SPAN_END = 6;

const PROTO: Record<string, number> = { tcp: 1, udp: 2, sctp: 3, icmp: 4 };
const protoCode = (p: string) => PROTO[p] ?? 0;

/**
 * A flat copy of a string, allocated now: reading it touches one object, and the names of a
 * Service's chains end up side by side (in table order) instead of among the Rule objects.
 */
const freshCopy = (s: string): string => s.split('').join('');

function keyHash(dst: number, b: number, port: number): number {
  let h = Math.imul(dst ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(port + 1, 0x85ebca6b), 0xc2b2ae35);
  h ^= h >>> 15;
  return Math.imul(h, 0x27d4eb2d) ^ (h >>> 13);
}

/** The index key of a rule: an exact `-d IP/32 -p P --dport N` (or `-p P --dport N`), else none. */
function keyOf(r: Rule): { dst: number; any: boolean; proto: number; port: number } | undefined {
  const l4 = r.matches.find((m): m is Extract<Match, { m: 'tcp' | 'udp' | 'sctp' }> => m.m === 'tcp' || m.m === 'udp' || m.m === 'sctp');
  if (!r.p || !l4 || l4.dport === undefined || l4.neg) return undefined;
  const proto = protoCode(r.p);
  if (!proto) return undefined; // an unknown -p never equals the packet's protocol: the rule cannot match
  if (r.d && !r.d.neg && r.d.cidr.prefix === 32) return { dst: r.d.cidr.network, any: false, proto, port: l4.dport };
  if (!r.d) return { dst: 0, any: true, proto, port: l4.dport };
  return undefined;
}

/** statisticProbability(p) × 2^31 as xt_statistic's u32, clamped to what a draw in [0, 1) can tell apart. */
const statisticThreshold = (p: number) => Math.min(Math.max(Math.round(p * 0x80000000), 0), 0x80000000);

function compileRule(r: Rule, chainName: string, hot: Int32Array, row: number, headerOf: (name: string) => number): void {
  const b = row * STRIDE;
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
    flags |= protoCode(r.p) << PROTO_SHIFT;
    if (!protoCode(r.p)) flags |= GENERIC;
  }
  let ports = 0;
  for (const m of r.matches) {
    switch (m.m) {
      case 'comment':
        break;
      case 'tcp':
      case 'udp':
      case 'sctp':
        if (flags & HAS_L4) flags |= GENERIC;
        flags |= HAS_L4 | (m.neg ? L4_NEG : 0) | (protoCode(m.m) << L4_SHIFT);
        if (m.dport !== undefined) {
          flags |= HAS_DPORT;
          ports |= m.dport & 0xffff;
          if (m.dport !== (m.dport & 0xffff)) flags |= GENERIC; // not a port number: leave it to ruleMatches
        }
        if (m.sport !== undefined) {
          flags |= HAS_SPORT;
          ports |= (m.sport & 0xffff) << 16;
          if (m.sport !== (m.sport & 0xffff)) flags |= GENERIC;
        }
        break;
      case 'statistic':
        if (flags & HAS_STAT) flags |= GENERIC;
        flags |= HAS_STAT;
        hot[b + PROB] = statisticThreshold(m.probability);
        break;
      case 'recent':
        if (m.op === 'set') flags |= RECENT_SET;
        if (m.op === 'rcheck') flags |= GENERIC;
        break;
      default:
        flags |= GENERIC;
    }
  }
  hot[b + PORTS] = ports;
  const t = r.target;
  let target = T_TERMINAL;
  hot[b + JUMP] = -1;
  switch (t.t) {
    case 'jump':
      target = T_JUMP;
      hot[b + JUMP] = headerOf(t.chain);
      break;
    case 'RETURN':
      target = T_RETURN;
      break;
    case 'MARK':
      target = T_MARK;
      break;
    case 'none':
      target = T_NONE;
      break;
    case 'DNAT':
      target = T_DNAT;
      if (flags & HAS_STAT) flags |= GENERIC; // the port takes the statistic's slot: ruleMatches draws instead
      hot[b + DNAT_IP] = t.ip | 0;
      hot[b + DNAT_PORT] = t.port ?? -1;
      break;
  }
  hot[b + FLAGS] = flags | (target << TARGET_SHIFT);
}

/** The rule in `row` matches whenever its key does, and jumps: the key slot can stand for it. */
function keyDecides(hot: Int32Array, row: number): boolean {
  const b = row * STRIDE;
  const flags = hot[b + FLAGS];
  const proto = (flags >> PROTO_SHIFT) & 7;
  return (
    (flags & ((1 << TARGET_SHIFT) - 1)) === (HAS_D | HAS_L4 | HAS_DPORT) &&
    hot[b + D_MASK] === -1 &&
    ((flags >> L4_SHIFT) & 7) === proto &&
    ((flags >> TARGET_SHIFT) & 7) === T_JUMP &&
    hot[b + JUMP] >= 0
  );
}

/** Rows warmed at most when a key slot jumps (the KUBE-SVC chain of a Service with ~30 endpoints). */
const MAX_SPAN = 128;

/** The end of chain `h` and of the chains its rules jump to that follow it contiguously (at most MAX_SPAN rows). */
function spanEnd(hot: Int32Array, h: number): number {
  let end = hot[h * STRIDE + H_END];
  for (let grew = true; grew; ) {
    grew = false;
    for (let row = h + 1; row < hot[h * STRIDE + H_END]; row++) {
      const to = hot[row * STRIDE + JUMP];
      if (((hot[row * STRIDE + FLAGS] >> TARGET_SHIFT) & 7) === T_JUMP && to === end && hot[to * STRIDE + H_END] - h <= MAX_SPAN) {
        end = hot[to * STRIDE + H_END];
        grew = true;
      }
    }
  }
  return end;
}

function compile(t: TableRules): CompiledTable {
  const chains = [...t.chains.values()];
  const byName = new Map<string, number>();
  const headers: number[] = [];
  let rows = 0;
  for (const c of chains) {
    headers.push(rows);
    byName.set(c.name, rows);
    rows += 1 + c.rules.length;
  }
  const hot = new Int32Array(rows * STRIDE);
  const nextUnkeyed = new Int32Array(rows);
  const objs: (string | Rule)[] = [];
  const groups = new Map<string, { dst: number; b: number; port: number; rows: number[] }>();
  const headerOf = (name: string) => byName.get(name) ?? -1;
  chains.forEach((c, id) => {
    const h = headers[id];
    const end = h + 1 + c.rules.length;
    hot[h * STRIDE + H_END] = end;
    objs.push(freshCopy(c.name));
    for (const r of c.rules) objs.push(r);
    const scan = c.rules.length < SCAN_BELOW;
    c.rules.forEach((r, i) => {
      const row = h + 1 + i;
      compileRule(r, c.name, hot, row, headerOf);
      const k = scan ? undefined : keyOf(r);
      nextUnkeyed[row] = k ? -2 : -1; // -1: unkeyed, filled in below
      if (!k) return;
      hot[h * STRIDE + H_FLAGS] |= k.any ? CHAIN_ANY_KEYS : CHAIN_DST_KEYS;
      const b = h * 8 + (k.any ? 4 : 0) + k.proto;
      const text = `${b}|${k.dst}|${k.port}`;
      const grp = groups.get(text);
      if (grp) grp.rows.push(row);
      else groups.set(text, { dst: k.dst | 0, b, port: k.port, rows: [row] });
    });
    let next = end;
    for (let row = end - 1; row > h; row--) {
      if (nextUnkeyed[row] === -1) next = row;
      nextUnkeyed[row] = next;
    }
  });
  let cap = 16;
  while (cap < groups.size * 1.5) cap *= 2; // at most 2/3 full: a hit is nearly always the first slot probed
  const keys = new Int32Array(cap * KEY_SLOTS);
  const slotNames = new Array<string>(cap).fill('');
  const lists = new Int32Array([...groups.values()].reduce((n, g) => n + (g.rows.length > 1 ? g.rows.length : 0), 0));
  let off = 0;
  for (const grp of groups.values()) {
    let s = keyHash(grp.dst, grp.b, grp.port) & (cap - 1);
    while (keys[s * KEY_SLOTS + K_COUNT] !== 0) s = (s + 1) & (cap - 1);
    const k = s * KEY_SLOTS;
    keys[k + K_DST] = grp.dst;
    keys[k + K_CHAIN] = grp.b;
    keys[k + K_PORT] = grp.port;
    keys[k + K_COUNT] = grp.rows.length;
    keys[k + K_JUMP] = -1;
    if (grp.rows.length === 1) {
      const row = grp.rows[0];
      keys[k + K_ROW] = row; // the usual case: the row itself, no second array to touch
      if (keyDecides(hot, row)) {
        const to = hot[row * STRIDE + JUMP];
        keys[k + K_JUMP] = to;
        keys[k + K_SPAN_END] = spanEnd(hot, to);
        slotNames[s] = objs[to] as string;
      }
    } else {
      keys[k + K_ROW] = off;
      lists.set(grp.rows, off);
      off += grp.rows.length;
    }
  }
  return {
    revision: t.revision ?? 0,
    chainCount: t.chains.size,
    byName,
    builtins: new Map(chains.flatMap((c, id) => (c.policy ? [[c.name, headers[id]] as const] : []))),
    objs,
    hot,
    nextUnkeyed,
    keys,
    slotNames,
    keyMask: cap - 1,
    lists,
  };
}

const compiled = new WeakMap<TableRules, CompiledTable>();

/** The table's compiled form, rebuilt if rules or chains were added since (addRule bumps the revision). */
function compiledOf(t: TableRules): CompiledTable {
  let ct = compiled.get(t);
  if (!ct || ct.revision !== (t.revision ?? 0) || ct.chainCount !== t.chains.size) {
    ct = compile(t);
    compiled.set(t, ct);
  }
  return ct;
}

/** Compile the table up front (the ruleset is then read-only; the first packet pays nothing). */
export function indexTable(t: TableRules): void {
  compiledOf(t);
}

const ifaceMatches = (pattern: string, dev: string | undefined) => dev !== undefined && (pattern.endsWith('+') ? dev.startsWith(pattern.slice(0, -1)) : dev === pattern);

function matchSet(m: Extract<Match, { m: 'set' }>, f: PacketFacts): boolean {
  const nets = f.sets.nets(m.name);
  const dirs = m.flags.split(',');
  if (nets) return nets.some((c) => c.contains(dirs[0] === 'src' ? f.src : f.dst));
  const part = (d: string, i: number) => (i === 1 ? `${f.proto}:${d === 'src' ? f.sport : f.dport}` : formatIpv4(d === 'src' ? f.src : f.dst));
  const portNets = dirs.length === 3 ? f.sets.portNets?.(m.name) : undefined;
  if (portNets) {
    // hash:ip,port,net: exact ip,proto:port, then the third address inside one of its blocks.
    const blocks = portNets.get(`${part(dirs[0], 0)},${part(dirs[1], 1)}`);
    const third = dirs[2] === 'src' ? f.src : f.dst;
    return !!blocks && blocks.some((c) => c.contains(third));
  }
  const keys = f.sets.keys(m.name);
  if (!keys) return false;
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
      case 'nfacct':
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

/** Does the rule in `row` (of the chain whose header is `h`) match? */
function fastMatches(ct: CompiledTable, row: number, h: number, f: PacketFacts, pk: PacketKey): boolean {
  const hot = ct.hot;
  const b = row * STRIDE;
  const flags = hot[b + FLAGS];
  if (flags & GENERIC) return ruleMatches(ct.objs[row] as Rule, row - h - 1, f);
  if (flags & HAS_S && ((pk.src & hot[b + S_MASK]) === hot[b + S_NET]) === ((flags & S_NEG) !== 0)) return false;
  if (flags & HAS_D && ((pk.dst & hot[b + D_MASK]) === hot[b + D_NET]) === ((flags & D_NEG) !== 0)) return false;
  const p = (flags >> PROTO_SHIFT) & 7;
  if (p !== 0 && p !== pk.proto) return false;
  if (flags & HAS_L4) {
    if (((flags >> L4_SHIFT) & 7) !== pk.proto) return false;
    const neg = (flags & L4_NEG) !== 0;
    const ports = hot[b + PORTS];
    if (flags & HAS_DPORT && ((ports & 0xffff) === pk.dport) === neg) return false;
    if (flags & HAS_SPORT && (ports >>> 16 === pk.sport) === neg) return false;
  }
  if (flags & HAS_STAT && !(f.draw(ct.objs[h] as string, row - h - 1) * 0x80000000 < hot[b + PROB] >>> 0)) return false;
  return true;
}

/**
 * The key slot that decided nextMatch's hit (its row unread; the slot's K_JUMP says where it
 * jumps), else -1. Read right after nextMatch returns, before anything else can call it.
 */
let hitSlot = -1;

/** Where warm() leaves a bit of what it read, so the JIT cannot drop the loads. */
const warmed = { bit: 0 };

/**
 * At 10,000 Services the chain a key slot jumps to is cold memory: the KUBE-SVC rows, its
 * KUBE-SEP rows, their names and Rule pointers, and the name string draw() hashes. Reading one
 * word per cache line of all of them up front lets the CPU fetch them in parallel, instead of
 * one miss after another as the walk reaches each rule.
 */
function warm(ct: CompiledTable, k: number): void {
  // The name comes from an array indexed by slot number, not from the slot's contents, so its
  // load need not wait for the slot's cache line, and the string's own line is fetched with the rows.
  let sum = ct.slotNames[k / KEY_SLOTS].length;
  const from = ct.keys[k + K_JUMP];
  const to = ct.keys[k + K_SPAN_END];
  const hot = ct.hot;
  const objs = ct.objs;
  // One read per 64-byte line (16 int32, 8 pointers), and the last word, whatever the alignment.
  for (let i = from * STRIDE; i < to * STRIDE; i += 16) sum += hot[i];
  sum += hot[to * STRIDE - 1];
  for (let i = from; i < to; i += 8) if (objs[i] === undefined) sum++;
  if (objs[to - 1] === undefined) sum++;
  warmed.bit = sum & 1;
}

/** Slot of the keyed run for (chain header, dst or any, proto, dport) in `keys`, or -1. */
function keyedRun(ct: CompiledTable, dst: number, b: number, port: number): number {
  const keys = ct.keys;
  let s = keyHash(dst, b, port) & ct.keyMask;
  for (;;) {
    const k = s * KEY_SLOTS;
    if (keys[k + K_COUNT] === 0) return -1;
    if (keys[k + K_DST] === dst && keys[k + K_CHAIN] === b && keys[k + K_PORT] === port) return k;
    s = (s + 1) & ct.keyMask;
  }
}

/** The first row at or after `from` in a keyed run that matches before `best`, or `best`. */
function firstInRun(ct: CompiledTable, k: number, from: number, best: number, h: number, f: PacketFacts, pk: PacketKey): number {
  const keys = ct.keys;
  const n = keys[k + K_COUNT];
  if (n === 1) {
    const row = keys[k + K_ROW];
    if (row < from || (best >= 0 && row >= best)) return best;
    const jump = keys[k + K_JUMP];
    if (jump >= 0) {
      hitSlot = k;
      return row;
    }
    if (!fastMatches(ct, row, h, f, pk)) return best;
    hitSlot = -1;
    return row;
  }
  const list = ct.lists;
  const off = keys[k + K_ROW];
  const stop = off + n;
  let lo = off;
  let hi = stop;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  for (let j = lo; j < stop; j++) {
    const row = list[j];
    if (best >= 0 && row >= best) break;
    if (fastMatches(ct, row, h, f, pk)) {
      hitSlot = -1;
      return row;
    }
  }
  return best;
}

/** Row of the first rule of the chain (header `h`) at or after row `from` that matches, or -1. */
function nextMatch(ct: CompiledTable, h: number, from: number, f: PacketFacts, pk: PacketKey): number {
  const hot = ct.hot;
  const flags = hot[h * STRIDE + H_FLAGS];
  const end = hot[h * STRIDE + H_END];
  hitSlot = -1;
  if (!(flags & (CHAIN_DST_KEYS | CHAIN_ANY_KEYS))) {
    // Nothing keyed (the short KUBE-SVC / KUBE-SEP chains): every rule in order.
    for (let row = from; row < end; row++) if (fastMatches(ct, row, h, f, pk)) return row;
    return -1;
  }
  let best = -1;
  if (pk.hasDport && flags & CHAIN_DST_KEYS) {
    const k = keyedRun(ct, pk.dst, h * 8 + pk.proto, pk.dport);
    if (k >= 0) best = firstInRun(ct, k, from, best, h, f, pk);
  }
  if (pk.hasDport && flags & CHAIN_ANY_KEYS) {
    const k = keyedRun(ct, 0, h * 8 + 4 + pk.proto, pk.dport);
    if (k >= 0) best = firstInRun(ct, k, from, best, h, f, pk);
  }
  const nu = ct.nextUnkeyed;
  for (let row = nu[from]; row < end; row = row + 1 < end ? nu[row + 1] : end) {
    if (best >= 0 && row >= best) break;
    if (fastMatches(ct, row, h, f, pk)) {
      hitSlot = -1;
      return row;
    }
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

/** Walk the chain whose header row is `h`; true when a terminal target ended the table. */
function walk(ct: CompiledTable, h: number, depth: number, f: PacketFacts, pk: PacketKey, res: EvalResult): boolean {
  if (depth > 32) return false;
  const hot = ct.hot;
  res.path.push(ct.objs[h] as string);
  const end = hot[h * STRIDE + H_END];
  let i = h + 1;
  while (i < end) {
    const hit = nextMatch(ct, h, i, f, pk);
    if (hit < 0) {
      res.checked += end - i;
      return false;
    }
    res.checked += hit - i + 1;
    const slot = hitSlot;
    if (slot >= 0) {
      warm(ct, slot);
      if (walk(ct, ct.keys[slot + K_JUMP], depth + 1, f, pk, res)) return true;
      i = hit + 1;
      continue;
    }
    const b = hit * STRIDE;
    if (hot[b + FLAGS] & RECENT_SET) for (const m of (ct.objs[hit] as Rule).matches) if (m.m === 'recent' && m.op === 'set') res.recentSet.push(m.name);
    switch ((hot[b + FLAGS] >> TARGET_SHIFT) & 7) {
      case T_JUMP: {
        const to = hot[b + JUMP];
        if (to >= 0 && walk(ct, to, depth + 1, f, pk, res)) return true;
        break;
      }
      case T_RETURN:
        return false;
      case T_MARK: {
        const t = (ct.objs[hit] as Rule).target as Extract<Rule['target'], { t: 'MARK' }>;
        f.mark = ((f.mark & ~t.mask) ^ t.value) >>> 0;
        res.mark = f.mark;
        break;
      }
      case T_NONE:
        break;
      case T_DNAT: {
        const port = hot[b + DNAT_PORT];
        const ip = hot[b + DNAT_IP] >>> 0;
        res.terminal = port >= 0 ? { kind: 'DNAT', ip, port } : { kind: 'DNAT', ip };
        res.rule = ct.objs[hit] as Rule;
        return true;
      }
      default: {
        const r = ct.objs[hit] as Rule;
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
  // Every field exists from the start, so each result has one shape. For `rule` it matters most:
  // created undefined, V8 types the field as "any value" and storing
  // the matched Rule is a plain store. A field added later is typed with the first Rule's hidden
  // class, and every store must first load the Rule's map: one more cache miss, after the rows,
  // on a cold Rule at 10,000 Services (~0.3 µs of the ~1.3 µs a packet took in bench:services).
  const res: EvalResult = { terminal: undefined, path: [], checked: 0, mark: f.mark, recentSet: [], passedOver: 0, rule: undefined };
  const ct = compiledOf(table);
  const h = ct.builtins.get(chain) ?? ct.byName.get(chain);
  if (h === undefined) return res;
  const pk: PacketKey = {
    src: f.src | 0,
    dst: f.dst | 0,
    proto: protoCode(f.proto),
    sport: f.sport === undefined ? -2 : f.sport,
    dport: f.dport === undefined ? -2 : f.dport,
    hasDport: f.dport !== undefined,
  };
  const mark0 = f.mark;
  walk(ct, h, 0, f, pk, res);
  f.mark = mark0;
  return res;
}
