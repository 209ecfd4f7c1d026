/**
 * Connection tracking as the NAT hooks need it: per network namespace, an entry per flow with
 * its original tuple and the NAT applied (DNAT by kube-proxy, SNAT by MASQUERADE), so the reply
 * is reverse-translated (un-SNAT at PREROUTING/OUTPUT, un-DNAT at POSTROUTING/INPUT, as
 * nf_nat_ipv4 manips the destination before routing and the source after it).
 *
 * Entries live in the trace's state (both legs of one trace); each node's entries are also
 * kept in a journal per Cluster object so `conntrack -L` in a shell shows the flows its traces
 * created (bounded, newest last). `conntrack -L` prints them in conntrack-tools' format.
 */
import { formatIpv4, type Ipv4 } from '../addressing/ipv4';
import type { Cluster } from '../model/cluster';

export interface Tuple {
  src: Ipv4;
  dst: Ipv4;
  proto: 'tcp' | 'udp' | 'icmp';
  /** Ports (ICMP: the echo id in both). */
  sport: number;
  dport: number;
}

export interface CtEntry {
  netns: string;
  orig: Tuple;
  /** After DNAT (destination rewritten). */
  dnat?: { ip: Ipv4; port: number };
  /** After SNAT/MASQUERADE (source rewritten). */
  snat?: { ip: Ipv4; port: number };
  mark: number;
  replied: boolean;
  /** What did the translation, for listings (`kube-proxy/iptables`, `ipvs`, ...). */
  by?: string;
}

export const sameTuple = (a: Tuple, b: Tuple) => a.src === b.src && a.dst === b.dst && a.proto === b.proto && a.sport === b.sport && a.dport === b.dport;

/** The tuple the reply carries: from the (translated) destination to the (translated) source. */
export function replyTuple(e: CtEntry): Tuple {
  return {
    src: e.dnat?.ip ?? e.orig.dst,
    dst: e.snat?.ip ?? e.orig.src,
    proto: e.orig.proto,
    sport: e.dnat?.port ?? e.orig.dport,
    dport: e.snat?.port ?? e.orig.sport,
  };
}

const STATE_KEY = 'conntrack';

export function ctTable(state: Map<string, unknown>, netns: string): CtEntry[] {
  let all = state.get(STATE_KEY) as Map<string, CtEntry[]> | undefined;
  if (!all) {
    all = new Map();
    state.set(STATE_KEY, all);
  }
  let list = all.get(netns);
  if (!list) {
    list = [];
    all.set(netns, list);
  }
  return list;
}

// ── the per-cluster journal `conntrack -L` reads ────────────────────────────

const JOURNAL_LIMIT = 4096;
const journals = new WeakMap<Cluster, CtEntry[]>();

export function journal(cluster: Cluster, e: CtEntry): void {
  let j = journals.get(cluster);
  if (!j) {
    j = [];
    journals.set(cluster, j);
  }
  const same = j.findIndex((x) => x.netns === e.netns && sameTuple(x.orig, e.orig));
  if (same >= 0) j.splice(same, 1);
  j.push(e);
  if (j.length > JOURNAL_LIMIT) j.splice(0, j.length - JOURNAL_LIMIT);
}

/** Carry a shell session's journal over to the cluster that replaces it (sysctl -w, apply). */
export function carryJournal(from: Cluster, to: Cluster): void {
  const j = journals.get(from);
  if (j && !journals.has(to)) journals.set(to, j);
}

/** The flows the traces on this cluster created in a namespace (`node/worker-1`). */
export function conntrackEntries(cluster: Cluster, netns: string): CtEntry[] {
  return (journals.get(cluster) ?? []).filter((e) => e.netns === netns);
}

const PROTO_NUM = { tcp: 6, udp: 17, icmp: 1 } as const;

function tupleText(t: Tuple, reply: boolean): string {
  const base = `src=${formatIpv4(t.src)} dst=${formatIpv4(t.dst)}`;
  if (t.proto === 'icmp') return `${base} type=${reply ? 0 : 8} code=0 id=${t.sport}`;
  return `${base} sport=${t.sport} dport=${t.dport}`;
}

/**
 * One `conntrack -L` line (conntrack-tools 1.4, nfct_snprintf default output): protocol name
 * padded to 8, number, timeout, TCP state, original tuple, [UNREPLIED], reply tuple, [ASSURED],
 * mark, use. Timeouts are the kernel defaults for the state (nf_conntrack_tcp_timeout_established
 * 432000 shown after a second, SYN_SENT 120, UDP 30, ICMP 30).
 */
export function conntrackLine(e: CtEntry): string {
  const p = e.orig.proto;
  const head = `${p.padEnd(8)} ${PROTO_NUM[p]} `;
  let timeout: number;
  let state = '';
  if (p === 'tcp') {
    state = e.replied ? 'ESTABLISHED ' : 'SYN_SENT ';
    timeout = e.replied ? 431999 : 119;
  } else timeout = 29;
  const flags = e.replied ? (p === 'tcp' ? ' [ASSURED]' : '') : '';
  return `${head}${timeout} ${state}${tupleText(e.orig, false)}${e.replied ? '' : ' [UNREPLIED]'} ${tupleText(replyTuple(e), true)}${flags} mark=0 use=1`;
}

export function conntrackList(entries: CtEntry[]): { stdout: string; stderr: string } {
  return {
    stdout: entries.map((e) => conntrackLine(e) + '\n').join(''),
    stderr: `conntrack v1.4.7 (conntrack-tools): ${entries.length} flow entries have been shown.\n`,
  };
}
