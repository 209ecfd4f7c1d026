/**
 * One DNS query on the wire: a UDP packet from the client to the server address traced through
 * the cluster (through kube-proxy's DNAT to a CoreDNS pod when the server is the kube-dns
 * ClusterIP), answered by whatever the packet reached, and the answer traced back (the trace's
 * reply leg). The outcome is what the client's socket sees:
 * - an answer, when the packet reached a DNS server (a CoreDNS pod; the upstream resolver on the
 *   node network; systemd-resolved's stub 127.0.0.53 on a node) and the reply came back;
 * - `refused` (ICMP port unreachable), when it reached a host with nothing on UDP 53 or was
 *   rejected on the way (kube-proxy's REJECT for a Service without endpoints);
 * - `timeout` otherwise (dropped, unroutable, the reply lost).
 * CoreDNS's `log` plugin line is recorded in the serving pod's log in the session's NetState.
 */
import { formatIpv4 } from '../addressing/ipv4';
import { listenerOf } from '../apps/catalog';
import { appendLog, type NetState } from '../apps/state';
import type { Cluster } from '../model/cluster';
import type { DnsMessageView } from '../model/packet';
import type { TraceRequest, TraceResult } from '../trace/traceTypes';
import { fnv32a } from '../util/hash';
import { serve, serveUpstream } from './coredns';
import { corefileOf } from './corefile';
import { queryWireSize, rdataText, responseWireSize, type Edns, type Query, type Question, type Response, type RrType } from './message';
import { nodeUpstreamResolver } from './resolvConf';

export interface ExchangeEnv {
  cluster: Cluster;
  /** Trace source: `ns/pod` or `node/NAME`. */
  from: string;
  trace?: (cluster: Cluster, req: TraceRequest) => TraceResult;
  /** Receives every trace sent (the shell animates them). */
  record(t: TraceResult): void;
  state: NetState;
}

export type ExchangeResult =
  | { kind: 'answer'; response: Response; server: string; /** Round trip, ms (simulated). */ ms: number; servedBy?: string }
  | { kind: 'refused'; server: string }
  | { kind: 'timeout'; server: string };

/** A query with a fresh id (seeded by the session's counter, never random). */
export function newQuery(env: Pick<ExchangeEnv, 'state' | 'from'>, name: string, type: RrType, edns?: Edns): Query {
  const n = env.state.sent++;
  const id = fnv32a(`dns:${env.from}:${n}:${name}:${type}`) & 0xffff;
  return { id, question: { name, type }, rd: true, ...(edns ? { edns } : {}) };
}

/** Did the packet leave the cluster through a node's uplink (toward the node network's gateway)? */
function leftThroughUplink(t: TraceResult): boolean {
  if (t.hops.some((h) => h.action === 'drop' && !/ARP/.test(h.detail))) return false;
  return t.hops.some((h) => h.netns.startsWith('node/') && h.device === 'eth0' && (h.action === 'arp' || h.action === 'neigh' || h.action === 'xmit' || h.action === 'wire'));
}

function rejected(t: TraceResult): boolean {
  return t.hops.some((h) => (h.action === 'icmp-error' || h.action === 'netfilter' || h.action === 'drop') && /port.unreachable|REJECT|reject/i.test(h.detail));
}

/** Simulated service time of a query (µs), stable per query: local answers are fast, forwarded ones cross the internet. */
export function serviceMicros(q: Query, forwarded: boolean): number {
  const h = fnv32a(`svc:${q.id}:${q.question.name}`);
  return forwarded ? 8000 + (h % 20000) : 60 + (h % 240);
}

export function exchange(env: ExchangeEnv, server: string, query: Query): ExchangeResult {
  const { cluster } = env;
  // systemd-resolved's stub on the node answers from its upstream: no packet into the cluster.
  if (server === '127.0.0.53' && env.from.startsWith('node/')) return { kind: 'answer', response: serveUpstream(query), server, ms: 1 };
  if (!env.trace) return { kind: 'timeout', server };
  // The answer's size does not depend on which CoreDNS replica serves it: the reply packet carries it.
  const config = corefileOf(cluster);
  const { response, forwarded } = serve(cluster, query, config);
  const t = env.trace(cluster, { from: env.from, to: server, proto: 'udp', port: 53, size: queryWireSize(query), replySize: responseWireSize(response), dns: queryView(query), replyDns: responseView(response) });
  env.record(t);
  if (t.verdict !== 'delivered') {
    if (server === nodeUpstreamResolver(cluster) && leftThroughUplink(t)) {
      const response = serveUpstream(query);
      return { kind: 'answer', response, server, ms: Math.max(1, Math.round(serviceMicros(query, true) / 1000)) };
    }
    return rejected(t) ? { kind: 'refused', server } : { kind: 'timeout', server };
  }
  const last = t.hops[t.hops.length - 1];
  const m = /^pod\/([^/]+)\/(.+)$/.exec(last?.netns ?? '');
  const pod = m ? cluster.pods.get(`${m[1]}/${m[2]}`) : undefined;
  const listener = pod ? listenerOf(pod, 53, 'udp') : undefined;
  if (!pod || !listener || listener.app.kind !== 'coredns') return { kind: 'refused', server };
  if (!t.reply || t.reply.verdict !== 'delivered') return { kind: 'timeout', server };
  const micros = serviceMicros(query, forwarded);
  const podKey = `${m![1]}/${m![2]}`;
  if (config.log) appendLog(env.state, podKey, logLine(query, response, last.packet.src, last.packet.srcPort ?? 0, micros));
  return { kind: 'answer', response, server, ms: Math.round(micros / 1000), servedBy: podKey };
}

/** Response flags as the log plugin prints them (`qr,aa,rd`). */
function rflags(r: Response): string {
  return ['qr', r.aa ? 'aa' : '', r.rd ? 'rd' : '', r.ra ? 'ra' : ''].filter(Boolean).join(',');
}

/**
 * The log plugin's default format (plugin/log: CommonLogFormat):
 * `{remote}:{port} - {>id} "{type} {class} {name} {proto} {size} {>do} {>bufsize}" {rcode} {>rflags} {rsize} {duration}`.
 */
export function logLine(q: Query, r: Response, clientIp: string, clientPort: number, micros: number): string {
  const bufsize = q.edns?.udpSize ?? 512;
  return `[INFO] ${clientIp}:${clientPort} - ${q.id} "${q.question.type} IN ${q.question.name} udp ${queryWireSize(q)} false ${bufsize}" ${r.rcode} ${rflags(r)} ${responseWireSize(r)} ${(micros / 1e6).toFixed(6).replace(/0+$/, '')}s`;
}

/** The question of a reverse lookup. */
export function ptrQuestion(ip: number): Question {
  return { name: formatIpv4(ip).split('.').reverse().join('.') + '.in-addr.arpa.', type: 'PTR' };
}

/** The query as a packet carries it (for the inspector): id, flags, question. */
export function queryView(q: Query): DnsMessageView {
  return { id: q.id, flags: q.rd ? 'rd' : '', question: { name: q.question.name, type: q.question.type }, answers: [] };
}

/** The response as a packet carries it: flags as dig prints them, rcode and the answer section. */
export function responseView(r: Response): DnsMessageView {
  return {
    id: r.id,
    flags: rflags(r).replace(/,/g, ' '),
    question: { name: r.question.name, type: r.question.type },
    rcode: r.rcode,
    answers: r.answer.map((rr) => ({ name: rr.name, ttl: rr.ttl, type: rr.type, data: rdataText(rr) })),
  };
}
