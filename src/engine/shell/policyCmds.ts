/**
 * Cilium's tools for NetworkPolicy, on a Cilium cluster:
 * - `cilium policy get` / `cilium endpoint list` (the agent CLI, `cilium-dbg` since 1.15), on a
 *   node: the policy repository as JSON rules and the node's endpoints with their identity and
 *   policy enforcement state, in the agent's column layout;
 * - `hubble observe [--namespace NS] [--pod [NS/]POD] [--verdict DROPPED|FORWARDED]
 *   [--protocol tcp|udp|icmp|http] [--last N]`: the flows this shell session traced (ping,
 *   traceroute, curl …), in Hubble's compact format:
 *   `Jan  1 00:05:05.000: x/b:41234 (ID:3012) -> x/a:80 (ID:7710) to-endpoint FORWARDED (TCP Flags: SYN)`,
 *   and the L7 records of requests Cilium's proxy checked (CiliumNetworkPolicy HTTP rules):
 *   `… -> x/a:80 (ID:7710) http-request FORWARDED (HTTP/1.1 GET http://web/public)`,
 *   `… <- x/a:80 (ID:7710) http-response FORWARDED (HTTP/1.1 200 2ms (GET http://web/public))`
 *   (pkg/hubble/parser/seven/http.go httpSummary), DROPPED for a denied request.
 * Identities are the simulator's (cni/cilium.ts ciliumIdentity): same labels, same identity.
 */
import { parseIpv4, formatIpv4 } from '../addressing/ipv4';
import { ciliumIdentity, IDENTITY } from '../cni/cilium';
import type { HttpRequest, HttpResponse } from '../apps/http';
import { runsCilium, type Cluster, type PodRec } from '../model/cluster';
import { evaluateSide } from '../policy/evaluate';
import { accessDeniedResponse, httpVerdict } from '../policy/l7http';
import { fnv32a } from '../util/hash';
import { policyIndexOf } from '../policy/policyIndex';
import type { Policy } from '../policy/types';
import type { TraceResult, TraceLeg } from '../trace/traceTypes';
import { EPOCH_MS } from './time';
import { fail, out, text, type Handler, type Session } from './types';
import { tabwrite } from './tabwriter';

const isCilium = (c: Cluster) => runsCilium(c.config.cni);
const notCilium = (tool: string) => fail(tool === 'hubble' ? 'failed to connect to \'localhost:4245\': context deadline exceeded: connection error: desc = "transport: error while dialing: dial tcp 127.0.0.1:4245: connect: connection refused"' : `bash: ${tool}: command not found`, tool === 'hubble' ? 1 : 127);

// ── flows ─────────────────────────────────────────────────────────────────

/** Traces this session ran, oldest first (Shell.run appends each line's traces). */
export function sessionFlows(session: Session): { at: number; trace: TraceResult }[] {
  return session.flowLog ?? [];
}

/** One HTTP request or response Cilium's proxy logged (an access-log record Hubble turns into an L7 flow). */
interface HttpRecord {
  at: number;
  /** How many L3/L4 flows of the session came before it (keeps the merged order). */
  after: number;
  clientIp: string;
  clientPort: number;
  server: PodRec;
  port: number;
  type: 'request' | 'response';
  verdict: 'FORWARDED' | 'DROPPED';
  /** `HTTP/1.1 GET http://web/public` or `HTTP/1.1 403 0ms (GET http://web/public)`. */
  summary: string;
}

// Per session (the key), so two sessions never see each other's flows.
const httpRecords = new WeakMap<Session, HttpRecord[]>();

/**
 * Serve one HTTP request on `server:port` the way a Cilium node does when L7 rules apply:
 * the proxy checks it (policy/l7http.ts httpVerdict) and logs request and response; a denied
 * request gets Envoy's 403 and never reaches the app. Without L7 rules `serve` runs as is.
 */
export function throughCiliumProxy(session: Session, server: PodRec, port: number, req: Omit<HttpRequest, 'userAgent'> & { userAgent?: string }, serve: () => HttpResponse | 'empty'): HttpResponse | 'empty' {
  const cluster = session.cluster;
  const headers: Record<string, string> = { Host: req.host, ...(req.userAgent ? { 'User-Agent': req.userAgent } : {}), Accept: '*/*' };
  const v = httpVerdict(cluster, req.clientIp, server, port, req.method, req.path, headers);
  if (!v.proxied) return serve();
  const log = httpRecords.get(session) ?? [];
  httpRecords.set(session, log);
  const after = (session.flowLog?.length ?? 0) + session.traces.length;
  const url = `http://${req.host}${req.path}`;
  const base = { at: cluster.now, after, clientIp: req.clientIp, clientPort: req.clientPort, server, port };
  log.push({ ...base, type: 'request', verdict: v.allowed ? 'FORWARDED' : 'DROPPED', summary: `HTTP/1.1 ${req.method} ${url}` });
  const res = v.allowed ? serve() : accessDeniedResponse(cluster.now);
  // Envoy's local reply is immediate; an upstream answer takes a millisecond or two.
  const ms = v.allowed ? 1 + (fnv32a(`${url}:${req.clientPort}`) % 3) : 0;
  if (res !== 'empty') log.push({ ...base, type: 'response', verdict: 'FORWARDED', summary: `HTTP/1.1 ${res.status} ${ms}ms (${req.method} ${url})` });
  if (log.length > 4095) log.splice(0, log.length - 4095);
  return res;
}

function httpFlow(cluster: Cluster, r: HttpRecord): Flow {
  const client = who(cluster, r.clientIp, r.clientPort);
  const server = who(cluster, formatIpv4(r.server.attachment?.ip ?? 0), r.port);
  return {
    at: r.at,
    src: client.text,
    dst: server.text,
    ...(client.ns ? { srcNs: client.ns } : {}),
    ...(server.ns ? { dstNs: server.ns } : {}),
    ...(client.pod ? { srcPod: `${client.ns}/${client.pod.meta.name}` } : {}),
    ...(server.pod ? { dstPod: `${server.ns}/${server.pod.meta.name}` } : {}),
    arrow: r.type === 'request' ? '->' : '<-',
    verdict: r.verdict,
    event: `http-${r.type}`,
    summary: r.summary,
    proto: 'http',
    l7: true,
  };
}

interface Flow {
  at: number;
  src: string;
  dst: string;
  srcNs?: string;
  dstNs?: string;
  srcPod?: string;
  dstPod?: string;
  arrow: '->' | '<-' | '<>';
  verdict: 'FORWARDED' | 'DROPPED';
  event: string;
  summary: string;
  proto: string;
  l7: boolean;
}

function who(cluster: Cluster, ipText: string, port: number | undefined): { text: string; ns?: string; pod?: PodRec } {
  const ip = parseIpv4(ipText);
  const idx = policyIndexOf(cluster);
  const ep = ip === null ? undefined : idx.endpointOfIp(ip);
  const p = port !== undefined ? `:${port}` : '';
  if (ep?.kind === 'pod') return { text: `${ep.name}${p} (ID:${ciliumIdentity(ep.pod)})`, ns: ep.namespace, pod: ep.pod };
  if (ep?.kind === 'node') return { text: `${ipText}${p} (${ep.node.meta.name === undefined ? 'world' : 'host'})` };
  return { text: `${ipText}${p} (world)` };
}

function flagsText(l: TraceLeg): string {
  const first = l.hops[0]?.packet;
  if (!first) return '';
  if (first.proto === 'tcp') {
    const flags = (l.hops[0].repr?.l4 as { flags?: string } | undefined)?.flags ?? 'S';
    return `TCP Flags: ${flags === 'SA' ? 'SYN, ACK' : flags === 'S' ? 'SYN' : flags}`;
  }
  if (first.proto === 'udp') return 'UDP';
  const type = (l.hops[0].repr?.l4 as { type?: number } | undefined)?.type;
  return `ICMPv4 ${type === 0 ? 'EchoReply' : 'EchoRequest'}`;
}

function legFlow(cluster: Cluster, at: number, l: TraceLeg, reply: boolean): Flow | undefined {
  const first = l.hops[0]?.packet;
  if (!first) return undefined;
  const src = who(cluster, first.src, first.srcPort);
  const dst = who(cluster, first.dst, first.dstPort);
  const policyDrop = l.verdict !== 'delivered' && /DROP_POLICY/.test(l.reason ?? '');
  const l7 = l.hops.some((h) => h.detail.includes('redirected to the proxy'));
  const f: Flow = {
    at,
    src: reply ? dst.text : src.text,
    dst: reply ? src.text : dst.text,
    ...(src.ns ? { srcNs: src.ns } : {}),
    ...(dst.ns ? { dstNs: dst.ns } : {}),
    ...(src.pod ? { srcPod: `${src.ns}/${src.pod.meta.name}` } : {}),
    ...(dst.pod ? { dstPod: `${dst.ns}/${dst.pod.meta.name}` } : {}),
    arrow: l.verdict === 'delivered' ? (reply ? '<-' : '->') : '<>',
    verdict: l.verdict === 'delivered' ? 'FORWARDED' : 'DROPPED',
    event: l.verdict === 'delivered' ? (l7 && !reply ? 'to-proxy' : dst.pod ? 'to-endpoint' : 'to-stack') : policyDrop ? 'Policy denied' : 'Unknown drop',
    summary: flagsText(l),
    proto: first.proto,
    l7,
  };
  return f;
}

/** `Jan  1 00:05:05.000` (hubble's compact timestamp, time.StampMilli). */
function stamp(seconds: number): string {
  const d = new Date(EPOCH_MS + seconds * 1000);
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  const p2 = (n: number) => String(n).padStart(2, '0');
  return `${mon} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.000`;
}

export function flowsOf(cluster: Cluster, log: { at: number; trace: TraceResult }[], http: HttpRecord[] = []): Flow[] {
  const flows: Flow[] = [];
  let h = 0;
  const httpUpTo = (n: number) => {
    for (; h < http.length && http[h].after <= n; h++) flows.push(httpFlow(cluster, http[h]));
  };
  log.forEach(({ at, trace }, i) => {
    httpUpTo(i);
    const req = legFlow(cluster, at, trace, false);
    if (req) flows.push(req);
    if (trace.reply) {
      const rep = legFlow(cluster, at, trace.reply, true);
      if (rep) flows.push(rep);
    }
  });
  httpUpTo(Infinity);
  return flows;
}

const flowLine = (f: Flow) => `${stamp(f.at)}: ${f.src} ${f.arrow} ${f.dst} ${f.event} ${f.verdict} (${f.summary})`;

export const hubble: Handler = (args, ctx) => {
  const cluster = ctx.session.cluster;
  if (!isCilium(cluster)) return notCilium('hubble');
  if (args[0] !== 'observe') return fail(`Error: unknown command "${args[0] ?? ''}" for "hubble"\nRun 'hubble --help' for usage.`);
  let ns: string | undefined;
  let pod: string | undefined;
  let verdict: string | undefined;
  let proto: string | undefined;
  let last: number | undefined;
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const val = () => inline ?? args[++i];
    if (flag === '--namespace' || flag === '-n') ns = val();
    else if (flag === '--pod') pod = val();
    else if (flag === '--verdict') verdict = val()?.toUpperCase();
    else if (flag === '--protocol') proto = val()?.toLowerCase();
    else if (flag === '--last') last = Number(val());
    else if (flag === '-f' || flag === '--follow' || flag === '--all') continue;
    else return fail(`Error: unknown flag: ${flag}`);
  }
  if (verdict && !['FORWARDED', 'DROPPED', 'ERROR', 'AUDIT', 'REDIRECTED', 'TRACED', 'TRANSLATED'].includes(verdict)) return fail(`Error: invalid --verdict value "${verdict}"`);
  const podKey = pod ? (pod.includes('/') ? pod : `${ns ?? 'default'}/${pod}`) : undefined;
  let flows = flowsOf(cluster, sessionFlows(ctx.session), httpRecords.get(ctx.session)).filter(
    (f) =>
      (!ns || podKey || f.srcNs === ns || f.dstNs === ns) &&
      (!podKey || f.srcPod === podKey || f.dstPod === podKey || f.srcPod?.startsWith(podKey) || f.dstPod?.startsWith(podKey)) &&
      (!verdict || f.verdict === verdict) &&
      // L7 flows carry TCP at L4: `--protocol tcp` lists them too, `--protocol http` only them.
      (!proto || f.proto === proto || (proto === 'tcp' && f.proto === 'http')),
  );
  if (last !== undefined && Number.isFinite(last)) flows = flows.slice(-last);
  return text(flows.map(flowLine));
};

// ── cilium agent CLI ──────────────────────────────────────────────────────

function ruleJson(p: Policy): unknown {
  const nsLabel = { 'k8s:io.kubernetes.pod.namespace': p.namespace };
  const prefixed = Object.fromEntries(Object.entries(p.podSelector.matchLabels).map(([k, v]) => [`any:${k}`, v]));
  const spec = (p.rec.manifest.spec ?? {}) as Record<string, unknown>;
  const r: Record<string, unknown> = { endpointSelector: { matchLabels: { ...prefixed, ...nsLabel } } };
  if (p.types.includes('Ingress')) r.ingress = spec.ingress ?? [];
  if (p.types.includes('Egress')) r.egress = spec.egress ?? [];
  const source = p.kind === 'NetworkPolicy' ? 'k8s' : 'k8s';
  r.labels = [
    { key: 'io.cilium.k8s.policy.derived-from', value: p.kind, source },
    { key: 'io.cilium.k8s.policy.name', value: p.name, source },
    { key: 'io.cilium.k8s.policy.namespace', value: p.namespace, source },
    { key: 'io.cilium.k8s.policy.uid', value: p.rec.meta.uid, source },
  ];
  return r;
}

function endpointList(cluster: Cluster, node: string): string {
  const idx = policyIndexOf(cluster);
  const pods = [...cluster.pods.values()].filter((p) => p.nodeName === node && !p.hostNetwork && p.attachment).sort((a, b) => (a.attachment!.endpointId ?? 0) - (b.attachment!.endpointId ?? 0));
  const rows = ['ENDPOINT\tPOLICY (ingress)\tPOLICY (egress)\tIDENTITY\tLABELS (source:key[=value])\tIPv6\tIPv4\tSTATUS', '\tENFORCEMENT\tENFORCEMENT\t\t\t\t\t'];
  for (const p of pods) {
    const enf = (d: 'Ingress' | 'Egress') => (idx.selecting(p, d).length ? 'Enabled' : 'Disabled');
    const labels = [`k8s:io.kubernetes.pod.namespace=${p.meta.namespace ?? 'default'}`, ...Object.keys(p.meta.labels).sort().map((k) => `k8s:${k}=${p.meta.labels[k]}`)];
    rows.push(`${p.attachment!.endpointId ?? ''}\t${enf('Ingress')}\t${enf('Egress')}\t${ciliumIdentity(p)}\t${labels[0]}\t\t${formatIpv4(p.attachment!.ip)}\tready`);
    for (const l of labels.slice(1)) rows.push(`\t\t\t\t${l}\t\t\t`);
  }
  return tabwrite(rows.join('\n') + '\n', { minwidth: 0, padding: 3 }).split('\n').map((l) => l.trimEnd()).join('\n');
}

export const cilium: Handler = (args, ctx) => {
  const cluster = ctx.session.cluster;
  if (!isCilium(cluster)) return notCilium('cilium');
  const place = ctx.place;
  const node = place.kind === 'node' || place.kind === 'netns' ? place.node : cluster.nodes[0]?.meta.name ?? '';
  const [a, b] = args;
  if (a === 'policy' && b === 'get') {
    const policies = policyIndexOf(cluster).policies;
    return out(`${JSON.stringify(policies.map(ruleJson), null, 2)}\nRevision: ${policies.length + 1}\n`);
  }
  if ((a === 'endpoint' && b === 'list') || a === 'endpoint-list') return out(endpointList(cluster, node));
  return fail(`Error: unknown command "${args.join(' ')}" for "cilium"\nRun 'cilium --help' for usage.`);
};

export { IDENTITY, evaluateSide };
