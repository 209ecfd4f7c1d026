/**
 * iptables rules as data: what `iptables-save` prints and what the packet path evaluates are
 * the same objects. A rule is `-A CHAIN` + the IP header selectors (`-s -d -i -o -p`) + match
 * modules in the order they were given + a target, the way the kernel stores an ipt_entry.
 *
 * Rendering follows iptables 1.8 exactly:
 * - `iptables-save` (iptables/iptables-save.c, xtables save functions): selectors first in the
 *   order `-s -d -i -o -p`, addresses always with their prefix (`/32`), then `-m NAME OPTIONS`
 *   per match, then `-j TARGET OPTIONS`; comments always double-quoted (xtables_save_string).
 *   MARK `--or-mark X` / `--xor-mark X` are stored as `--set-xmark X/X` and `X/0x0`; statistic's
 *   probability is kept as a 31-bit fraction and printed with `%.11f` (libxt_statistic.c:
 *   `0.33333333349` for kube-proxy's `0.3333333333`).
 * - `iptables -L -n [-v]` (print_firewall): `%-9s` target, protocol, `--`, addresses as
 *   `0.0.0.0/0` / bare host / `a.b.c.d/n`, then each match's print function (`/* c *\/`,
 *   `tcp dpt:80`, `ADDRTYPE match dst-type LOCAL`, `MARK or 0x4000`...).
 */
import { formatIpv4, type Cidr, type Ipv4 } from '../addressing/ipv4';

export type Table = 'raw' | 'mangle' | 'nat' | 'filter';

export interface AddrSel {
  cidr: Cidr;
  neg?: boolean;
}

export type Match =
  | { m: 'comment'; text: string }
  | { m: 'tcp' | 'udp' | 'sctp'; dport?: number; sport?: number; neg?: boolean }
  | { m: 'statistic'; probability: number }
  | { m: 'recent'; op: 'set' | 'rcheck'; name: string; seconds?: number; reap?: boolean }
  | { m: 'addrtype'; dstType?: string; srcType?: string; neg?: boolean; limitIfaceOut?: boolean }
  | { m: 'mark'; value: number; mask: number; neg?: boolean }
  | { m: 'conntrack'; ctstate: string; neg?: boolean }
  | { m: 'set'; name: string; flags: string; neg?: boolean }
  | { m: 'physdev'; isBridged: boolean }
  /** xt_nfacct: counts into a named nfnetlink_acct object; always matches. */
  | { m: 'nfacct'; name: string };

export type Target =
  | { t: 'jump'; chain: string }
  | { t: 'ACCEPT' | 'DROP' | 'RETURN' }
  | { t: 'REJECT'; with: string }
  | { t: 'DNAT'; ip: Ipv4; port?: number }
  | { t: 'SNAT'; ip: Ipv4; randomFully?: boolean }
  | { t: 'MASQUERADE'; randomFully?: boolean }
  | { t: 'MARK'; value: number; mask: number }
  /** No target (a rule that only counts, like KUBE-FW's last rule). */
  | { t: 'none' };

export interface Rule {
  chain: string;
  s?: AddrSel;
  d?: AddrSel;
  i?: { name: string; neg?: boolean };
  o?: { name: string; neg?: boolean };
  p?: string;
  matches: Match[];
  target: Target;
}

export interface Chain {
  name: string;
  /** Built-in chains have a policy (ACCEPT); user chains print `-`. */
  policy?: 'ACCEPT' | 'DROP';
  rules: Rule[];
  /** The evaluator's lookup index (evaluate.ts), built on first use. */
  index?: unknown;
}

export interface TableRules {
  table: Table;
  /** Built-in chains in kernel order, then user chains sorted by name (as iptables-save lists them). */
  chains: Map<string, Chain>;
  /** Bumped by addRule, so the evaluator knows its compiled form (evaluate.ts) is stale. */
  revision?: number;
}

export const BUILTIN_CHAINS: Record<Table, string[]> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
};

export function emptyTable(table: Table): TableRules {
  const chains = new Map<string, Chain>();
  for (const c of BUILTIN_CHAINS[table]) chains.set(c, { name: c, policy: 'ACCEPT', rules: [] });
  return { table, chains };
}

export function ensureChain(t: TableRules, name: string): Chain {
  let c = t.chains.get(name);
  if (!c) {
    c = { name, rules: [] };
    t.chains.set(name, c);
  }
  return c;
}

export function addRule(t: TableRules, rule: Rule): Rule {
  ensureChain(t, rule.chain).rules.push(rule);
  t.revision = (t.revision ?? 0) + 1;
  return rule;
}

/** Chains in iptables-save order: built-ins first, then user chains by name. */
export function orderedChains(t: TableRules): Chain[] {
  const builtins = BUILTIN_CHAINS[t.table].map((n) => t.chains.get(n)!).filter(Boolean);
  const user = [...t.chains.values()].filter((c) => !c.policy).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [...builtins, ...user];
}

// ── values as iptables stores them ──────────────────────────────────────────

/** xt_statistic keeps `probability * 2^31` rounded; iptables prints it back with %.11f. */
export function statisticProbability(p: number): number {
  return Math.round(p * 0x80000000) / 0x80000000;
}

export const formatProbability = (p: number) => statisticProbability(p).toFixed(11);

/** kube-proxy's computeProbability: fmt.Sprintf("%0.10f", 1.0/float64(n)). */
export const kubeProxyProbability = (n: number) => Number((1 / n).toFixed(10));

const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;
const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const cidrText = (c: Cidr) => `${formatIpv4(c.network)}/${c.prefix}`;
const bang = (neg?: boolean) => (neg ? '! ' : '');

// ── iptables-save ───────────────────────────────────────────────────────────

function saveMatch(m: Match): string {
  switch (m.m) {
    case 'comment':
      return `-m comment --comment ${quote(m.text)}`;
    case 'tcp':
    case 'udp':
    case 'sctp':
      return `-m ${m.m}${m.sport !== undefined ? ` ${bang(m.neg)}--sport ${m.sport}` : ''}${m.dport !== undefined ? ` ${bang(m.neg)}--dport ${m.dport}` : ''}`;
    case 'statistic':
      return `-m statistic --mode random --probability ${formatProbability(m.probability)}`;
    case 'recent':
      return m.op === 'set'
        ? `-m recent --set --name ${m.name} --mask 255.255.255.255 --rsource`
        : `-m recent --rcheck --seconds ${m.seconds ?? 10800}${m.reap ? ' --reap' : ''} --name ${m.name} --mask 255.255.255.255 --rsource`;
    case 'addrtype':
      return `-m addrtype${m.srcType ? ` ${bang(m.neg)}--src-type ${m.srcType}` : ''}${m.dstType ? ` ${bang(m.neg)}--dst-type ${m.dstType}` : ''}${m.limitIfaceOut ? ' --limit-iface-out' : ''}`;
    case 'mark':
      return `-m mark ${bang(m.neg)}--mark ${hex(m.value)}/${hex(m.mask)}`;
    case 'conntrack':
      return `-m conntrack ${bang(m.neg)}--ctstate ${m.ctstate}`;
    case 'set':
      return `-m set ${bang(m.neg)}--match-set ${m.name} ${m.flags}`;
    case 'physdev':
      return `-m physdev ${m.isBridged ? '--physdev-is-bridged' : '! --physdev-is-bridged'}`;
    case 'nfacct':
      // libxt_nfacct's save prints the option, then the name after its own space: two spaces.
      return `-m nfacct --nfacct-name  ${m.name}`;
  }
}

function saveTarget(t: Target): string {
  switch (t.t) {
    case 'jump':
      return `-j ${t.chain}`;
    case 'ACCEPT':
    case 'DROP':
    case 'RETURN':
      return `-j ${t.t}`;
    case 'REJECT':
      return `-j REJECT --reject-with ${t.with}`;
    case 'DNAT':
      return `-j DNAT --to-destination ${formatIpv4(t.ip)}${t.port !== undefined ? `:${t.port}` : ''}`;
    case 'SNAT':
      return `-j SNAT --to-source ${formatIpv4(t.ip)}${t.randomFully ? ' --random-fully' : ''}`;
    case 'MASQUERADE':
      return `-j MASQUERADE${t.randomFully ? ' --random-fully' : ''}`;
    case 'MARK':
      return `-j MARK --set-xmark ${hex(t.value)}/${hex(t.mask)}`;
    case 'none':
      return '';
  }
}

/** One `-A CHAIN ...` line exactly as iptables-save prints it. */
export function saveRule(r: Rule): string {
  const parts = [`-A ${r.chain}`];
  if (r.s) parts.push(`${bang(r.s.neg)}-s ${cidrText(r.s.cidr)}`);
  if (r.d) parts.push(`${bang(r.d.neg)}-d ${cidrText(r.d.cidr)}`);
  if (r.i) parts.push(`${bang(r.i.neg)}-i ${r.i.name}`);
  if (r.o) parts.push(`${bang(r.o.neg)}-o ${r.o.name}`);
  if (r.p) parts.push(`-p ${r.p}`);
  for (const m of r.matches) parts.push(saveMatch(m));
  const t = saveTarget(r.target);
  if (t) parts.push(t);
  return parts.join(' ');
}

// ── iptables -L ─────────────────────────────────────────────────────────────

function listMatch(m: Match): string {
  switch (m.m) {
    case 'comment':
      return `/* ${m.text} */`;
    case 'tcp':
    case 'udp':
    case 'sctp':
      return `${m.m}${m.sport !== undefined ? ` spt:${m.neg ? '!' : ''}${m.sport}` : ''}${m.dport !== undefined ? ` dpt:${m.neg ? '!' : ''}${m.dport}` : ''}`;
    case 'statistic':
      return `statistic mode random probability ${formatProbability(m.probability)}`;
    case 'recent':
      return m.op === 'set' ? `recent: SET name: ${m.name} side: source mask: 255.255.255.255` : `recent: CHECK seconds: ${m.seconds ?? 10800}${m.reap ? ' reap' : ''} name: ${m.name} side: source mask: 255.255.255.255`;
    case 'addrtype':
      return `ADDRTYPE match${m.srcType ? ` src-type ${m.neg ? '!' : ''}${m.srcType}` : ''}${m.dstType ? ` dst-type ${m.neg ? '!' : ''}${m.dstType}` : ''}${m.limitIfaceOut ? ' limit-out' : ''}`;
    case 'mark':
      return `mark match ${m.neg ? '! ' : ''}${hex(m.value)}/${hex(m.mask)}`;
    case 'conntrack':
      return `${m.neg ? '! ' : ''}ctstate ${m.ctstate}`;
    case 'set':
      return `${m.neg ? '! ' : ''}match-set ${m.name} ${m.flags}`;
    case 'physdev':
      return `PHYSDEV match ${m.isBridged ? '--physdev-is-bridged' : '! --physdev-is-bridged'}`;
    case 'nfacct':
      return `nfacct-name  ${m.name}`;
  }
}

function listTarget(t: Target): string {
  switch (t.t) {
    case 'REJECT':
      return `reject-with ${t.with}`;
    case 'DNAT':
      return `to:${formatIpv4(t.ip)}${t.port !== undefined ? `:${t.port}` : ''}`;
    case 'SNAT':
      return `to:${formatIpv4(t.ip)}${t.randomFully ? ' random-fully' : ''}`;
    case 'MASQUERADE':
      return t.randomFully ? 'random-fully' : '';
    case 'MARK':
      return t.mask === t.value ? `MARK or ${hex(t.value)}` : t.mask === 0 ? `MARK xor ${hex(t.value)}` : `MARK xset ${hex(t.value)}/${hex(t.mask)}`;
    default:
      return '';
  }
}

export const targetName = (t: Target) => (t.t === 'jump' ? t.chain : t.t === 'none' ? '' : t.t);

function listAddr(a: AddrSel | undefined): string {
  if (!a) return '0.0.0.0/0';
  const base = a.cidr.prefix === 32 ? formatIpv4(a.cidr.network) : cidrText(a.cidr);
  return `${a.neg ? '!' : ''}${base}`;
}

/** xtables_print_num with FMT_KILOMEGAGIGA: `%5llu ` below 100000, then K/M/G/T units. */
export function printNum(n: number): string {
  let v = n;
  for (const unit of ['', 'K', 'M', 'G', 'T']) {
    if (v <= 99999 || unit === 'T') return unit === '' ? `${String(v).padStart(5)} ` : `${String(v).padStart(4)}${unit} `;
    v = Math.floor(v / 1000);
  }
  return `${v} `;
}

export interface ListOptions {
  verbose?: boolean;
  lineNumbers?: boolean;
  counters?: (r: Rule) => { pkts: number; bytes: number };
}

/** The column header line `iptables -L` prints under each chain. */
export function listHeader(o: ListOptions): string {
  let s = '';
  if (o.lineNumbers) s += 'num  ';
  if (o.verbose) s += ' pkts bytes ';
  s += 'target     prot opt';
  if (o.verbose) s += ' in     out    ';
  s += ' source               destination         ';
  return s;
}

export function listRule(r: Rule, num: number, o: ListOptions): string {
  let s = '';
  if (o.lineNumbers) s += `${String(num).padEnd(4)} `;
  if (o.verbose) {
    const c = o.counters?.(r) ?? { pkts: 0, bytes: 0 };
    s += printNum(c.pkts) + printNum(c.bytes);
  }
  s += `${targetName(r.target).padEnd(9)} `;
  s += ' ' + (r.p ?? 'all').padEnd(5) + '-- ';
  if (o.verbose) s += ` ${((r.i?.neg ? '!' : '') + (r.i?.name ?? '*')).padEnd(6)} ${((r.o?.neg ? '!' : '') + (r.o?.name ?? '*')).padEnd(6)} `;
  s += ` ${listAddr(r.s).padEnd(19)} `;
  s += ` ${listAddr(r.d).padEnd(19)} `;
  const extras = [...r.matches.map(listMatch), listTarget(r.target)].filter((x) => x !== '');
  if (extras.length) s += ' ' + extras.join(' ');
  return s.replace(/\s+$/, (m) => (extras.length ? '' : m));
}
