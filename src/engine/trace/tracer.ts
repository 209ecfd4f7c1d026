/**
 * `trace(cluster, request)`: one packet from a pod or node to a pod, node or address through
 * the cluster's network (cni/network.ts) by the forwarder (dataplane/forward.ts), and, when
 * it is delivered, the answer the destination sends back (ICMP echo reply, TCP SYN-ACK, UDP
 * reply) as a second leg.
 *
 * Endpoints: FROM `[ns/]pod` (namespace `default`), `node/NAME` or `external[/NAME]` (the
 * world outside the cluster, external/world.ts); TO the same or an IPv4 address. hostNetwork pods send and receive in their node's namespace. Names that do not
 * resolve are not exceptions: the result is verdict `unreachable` with no hops and a reason
 * saying which name is unknown (the CLI prints it and exits 1; the shell shows it as an error).
 *
 * Determinism: ports, ICMP ids and IP ids are hashes of the request, never random.
 */
import { formatIpv4, parseIpv4, type Ipv4 } from '../addressing/ipv4';
import { networkOf, type ClusterNetwork } from '../cni/network';
import type { Cluster, PodRec } from '../model/cluster';
import { netnsId } from '../model/ids';
import type { Netns } from '../model/netns';
import type { L4, PacketRepr } from '../model/packet';
import { sendPacket, type ForwardEnv, type IcmpError, type LegRun } from '../dataplane/forward';
import type { NetfilterHook } from '../dataplane/netfilter';
import { bpfProgramsFor, netfilterHooksFor } from './datapath';
import { fnv32a } from '../util/hash';
import { ephemeralPort, requestKey } from './ephemeralPorts';
import { isExternalEndpoint, isTranslatedFrontend, resolveExternal } from '../external/endpoint';
import { notEnforcedNote } from '../policy/unenforced';
import type { TraceLeg, TraceRequest, TraceResult } from './traceTypes';

export { formatTrace, traceToJson, packetSummary } from './format';

export interface TraceOptions {
  /** Netfilter hooks to use instead of the cluster's (tests, what-if views). */
  hooks?: NetfilterHook[];
}

interface Endpoint {
  netns?: Netns;
  ip?: Ipv4;
  label: string;
}

/** Resolve `[ns/]pod`, `node/NAME` or (for TO, and FROM an address the cluster owns) an IPv4 address. */
function resolve(cluster: Cluster, net: ClusterNetwork, text: string, role: 'from' | 'to'): Endpoint | string {
  if (isExternalEndpoint(text)) {
    const ext = resolveExternal(net, text);
    return typeof ext === 'string' ? ext : { ...ext, label: text };
  }
  if (text.startsWith('node/')) {
    const node = cluster.nodes.find((n) => n.meta.name === text.slice(5));
    if (node) return { netns: net.get(netnsId.node(node.meta.name)), ip: node.ip, label: text };
  }
  const literal = parseIpv4(text);
  if (literal !== null) {
    const owner = net.ownerOf(literal);
    const ns = owner ? net.get(owner.netns) : undefined;
    if (role === 'from' && !ns) return `${text} is not an address of any pod or node`;
    return { netns: ns, ip: literal, label: text };
  }
  const key = text.includes('/') ? text : `default/${text}`;
  const pod = cluster.pods.get(key);
  if (!pod) return text.startsWith('node/') ? `node "${text.slice(5)}" not found` : `pod "${key}" not found`;
  const node = pod.hostNetwork ? cluster.nodes.find((n) => n.meta.name === pod.nodeName) : undefined;
  if (pod.hostNetwork && node && pod.phase !== 'Failed') return { netns: net.get(netnsId.node(node.meta.name)), ip: node.ip, label: key };
  if (!pod.attachment || pod.phase === 'Failed') return noIp(key, pod);
  const ns = net.get(netnsId.pod(pod.meta.namespace ?? 'default', pod.meta.name));
  if (!ns) return `pod "${key}" has no network namespace`;
  return { netns: ns, ip: pod.attachment.ip, label: key };
}

/** Why a pod has no address to trace from or to: its STATUS as kubectl shows it, and the reason. */
function noIp(key: string, pod: PodRec): string {
  const status = pod.status?.display ?? pod.phase;
  const why = pod.status?.message ? ` (${pod.status.message})` : '';
  return `pod "${key}" has no IP: ${status}${why}`;
}


function requestPacket(req: TraceRequest, dst: Ipv4): PacketRepr {
  const key = requestKey(req);
  let l4: L4;
  if (req.proto === 'icmp') l4 = { proto: 'icmp', type: 8, code: 0, id: fnv32a(`id:${key}`) & 0xffff, seq: 1 };
  else if (req.proto === 'tcp') l4 = { proto: 'tcp', srcPort: req.srcPort ?? ephemeralPort(key), dstPort: req.port ?? 80, flags: 'S' };
  else l4 = { proto: 'udp', srcPort: req.srcPort ?? ephemeralPort(key), dstPort: req.port ?? 53 };
  return {
    ip: { src: 0, dst, ttl: req.ttl ?? 64, df: req.df ?? true, id: fnv32a(`ipid:${key}`) & 0xffff },
    l4,
    payloadLen: req.size ?? (req.proto === 'icmp' ? 56 : 0),
    encap: [],
    ...(req.dns ? { dns: req.dns } : {}),
  };
}

/** The answer to a delivered packet, from the socket that received it. */
function replyPacket(p: PacketRepr, replySize?: number, dns?: PacketRepr['dns']): PacketRepr {
  const l4: L4 =
    p.l4.proto === 'icmp'
      ? { ...p.l4, type: 0 }
      : p.l4.proto === 'tcp'
        ? { proto: 'tcp', srcPort: p.l4.dstPort, dstPort: p.l4.srcPort, flags: 'SA' }
        : { proto: 'udp', srcPort: p.l4.dstPort, dstPort: p.l4.srcPort };
  return {
    // The kernel answers echo requests from a socket with IP_PMTUDISC_DONT (net/ipv4/icmp.c
    // icmp_sk_init): an echo reply larger than the path is fragmented, never refused. TCP sets DF.
    ip: { src: p.ip.dst, dst: p.ip.src, ttl: 64, df: p.l4.proto === 'tcp', id: fnv32a(`reply:${p.ip.id}`) & 0xffff },
    l4,
    payloadLen: p.l4.proto === 'tcp' ? 0 : (replySize ?? p.payloadLen),
    encap: [],
    ...(dns ? { dns } : {}),
  };
}

function toLeg(run: LegRun, expect?: Netns): TraceLeg {
  const o = run.outcome;
  if (o.verdict === 'delivered') {
    if (expect && o.netns.id !== expect.id) return { verdict: 'dropped', reason: `delivered to ${o.netns.id}, not ${expect.id}`, hops: run.hops };
    return { verdict: 'delivered', hops: run.hops };
  }
  return { verdict: o.verdict, reason: o.reason, hops: run.hops };
}

function envFor(cluster: Cluster, opts: TraceOptions, leg: ForwardEnv['leg'], state: Map<string, unknown>): ForwardEnv {
  return { cluster, network: networkOf(cluster), hooks: opts.hooks ?? netfilterHooksFor(cluster), programs: bpfProgramsFor, leg, state };
}

/** Where the request leg ended, for ping/traceroute: the ICMP error a router sent, if any. */
export interface TraceDetail {
  result: TraceResult;
  icmp?: IcmpError;
  /** The request leg stopped in the sender itself (no route, EMSGSIZE). */
  local?: boolean;
}

export function traceDetailed(cluster: Cluster, req: TraceRequest, opts: TraceOptions = {}): TraceDetail {
  const net = networkOf(cluster);
  const from = resolve(cluster, net, req.from, 'from');
  if (typeof from === 'string') return { result: { verdict: 'unreachable', reason: from, hops: [] } };
  const to = resolve(cluster, net, req.to, 'to');
  if (typeof to === 'string') return { result: { verdict: 'unreachable', reason: to, hops: [] } };
  if (!from.netns || to.ip === undefined) return { result: { verdict: 'unreachable', reason: `${req.from} has no network namespace`, hops: [] } };
  const state = new Map<string, unknown>();
  const run = sendPacket(envFor(cluster, opts, 'request', state), from.netns, requestPacket(req, to.ip));
  // A LoadBalancer IP or a node's NodePort is translated on the way: the packet ends wherever that sends it.
  const expect = to.netns && isTranslatedFrontend(cluster, net, to.ip, req.proto, req.port) ? undefined : to.netns;
  const result: TraceResult = toLeg(run, expect);
  const o = run.outcome;
  if (result.verdict === 'delivered' && o.verdict === 'delivered') {
    const podOf = (ns: typeof o.netns) => (ns.pod ? cluster.pods.get(`${ns.pod.namespace}/${ns.pod.name}`) : undefined);
    const note = notEnforcedNote(cluster, podOf(o.netns), o.packet, podOf(from.netns));
    if (note) result.note = note;
    const back = sendPacket(envFor(cluster, opts, 'reply', state), o.netns, replyPacket(o.packet, req.replySize, req.replyDns));
    result.reply = toLeg(back, from.netns);
  }
  return { result, ...(o.verdict !== 'delivered' && o.icmp ? { icmp: o.icmp } : {}), ...(o.verdict !== 'delivered' && o.local ? { local: true } : {}) };
}

export function trace(cluster: Cluster, req: TraceRequest, opts: TraceOptions = {}): TraceResult {
  return traceDetailed(cluster, req, opts).result;
}

/** One ping: the echo request and its reply (a trace with proto icmp). */
export function ping(cluster: Cluster, from: string, to: string, opts: { size?: number; df?: boolean; ttl?: number } = {}): TraceDetail {
  return traceDetailed(cluster, { from, to, proto: 'icmp', ...opts });
}

export interface TracerouteHop {
  ttl: number;
  /** The address that answered (a router's ICMP time exceeded, or the destination), null for `* * *`. */
  address: string | null;
  /** Namespace that answered. */
  netns: string | null;
  reached: boolean;
}

/**
 * traceroute: probes with TTL 1, 2, ... (UDP to 33434 + n, as traceroute does), each one a
 * trace; a router whose TTL check fails answers with ICMP time exceeded from its address
 * toward the sender, the destination answers when the probe arrives. Stops at the
 * destination, at a hop that drops the probe for another reason, or at `maxTtl`.
 */
export function traceroute(cluster: Cluster, from: string, to: string, opts: { maxTtl?: number; proto?: 'udp' | 'icmp' | 'tcp'; port?: number; size?: number } = {}): TracerouteHop[] {
  const maxTtl = opts.maxTtl ?? 30;
  const hops: TracerouteHop[] = [];
  for (let ttl = 1; ttl <= maxTtl; ttl++) {
    const proto = opts.proto ?? 'udp';
    const d = traceDetailed(cluster, { from, to, proto, ttl, df: false, size: opts.size ?? 32, ...(proto !== 'icmp' ? { port: (opts.port ?? 33434) + ttl - 1 } : {}) });
    const r = d.result;
    if (r.verdict === 'delivered') {
      const last = r.hops[r.hops.length - 1];
      hops.push({ ttl, address: last.packet.dst, netns: last.netns, reached: true });
      break;
    }
    if (d.icmp?.kind === 'time-exceeded') {
      hops.push({ ttl, address: d.icmp.from !== undefined ? formatIpv4(d.icmp.from) : null, netns: d.icmp.netns, reached: false });
      continue;
    }
    hops.push({ ttl, address: null, netns: null, reached: false });
    if (r.hops.length === 0 || d.local) break;
    // Dropped without an answer: the remaining probes time out the same way; show one more round.
    if (ttl < maxTtl) hops.push({ ttl: ttl + 1, address: null, netns: null, reached: false });
    break;
  }
  return hops;
}
