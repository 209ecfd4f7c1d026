/**
 * Cilium's tools for NetworkPolicy, on a Cilium cluster:
 * - `cilium policy get` / `cilium endpoint list` (the agent CLI, `cilium-dbg` since 1.15), on a
 *   node: the policy repository as JSON rules and the node's endpoints with their identity and
 *   policy enforcement state, in the agent's column layout;
 * - `hubble observe [--namespace NS] [--pod [NS/]POD] [--verdict DROPPED|FORWARDED]
 *   [--protocol tcp|udp|icmp|http] [--last N]`: the flows this shell session traced (ping,
 *   traceroute, curl …), in Hubble's compact format:
 *   `Jan  1 00:05:05.000: x/b:41234 (ID:3012) -> x/a:80 (ID:7710) to-endpoint FORWARDED (TCP Flags: SYN)`.
 * Identities are the simulator's (cni/cilium.ts ciliumIdentity): same labels, same identity.
 */
import { parseIpv4, formatIpv4 } from '../addressing/ipv4';
import { ciliumIdentity, IDENTITY } from '../cni/cilium';
import type { Cluster, PodRec } from '../model/cluster';
import { evaluateSide } from '../policy/evaluate';
import { policyIndexOf } from '../policy/policyIndex';
import type { Policy } from '../policy/types';
import type { TraceResult, TraceLeg } from '../trace/traceTypes';
import { EPOCH_MS } from './time';
import { fail, out, text, type Handler, type Session } from './types';
import { tabwrite } from './tabwriter';

const isCilium = (c: Cluster) => c.config.cni.startsWith('cilium');
const notCilium = (tool: string) => fail(tool === 'hubble' ? 'failed to connect to \'localhost:4245\': context deadline exceeded: connection error: desc = "transport: error while dialing: dial tcp 127.0.0.1:4245: connect: connection refused"' : `bash: ${tool}: command not found`, tool === 'hubble' ? 1 : 127);

// ── flows ─────────────────────────────────────────────────────────────────

/** Traces this session ran, oldest first (Shell.run appends each line's traces). */
export function sessionFlows(session: Session): { at: number; trace: TraceResult }[] {
  return session.flowLog ?? [];
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

export function flowsOf(cluster: Cluster, log: { at: number; trace: TraceResult }[]): Flow[] {
  const flows: Flow[] = [];
  for (const { at, trace } of log) {
    const req = legFlow(cluster, at, trace, false);
    if (req) flows.push(req);
    if (trace.reply) {
      const rep = legFlow(cluster, at, trace.reply, true);
      if (rep) flows.push(rep);
    }
  }
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
  let flows = flowsOf(cluster, sessionFlows(ctx.session)).filter(
    (f) =>
      (!ns || podKey || f.srcNs === ns || f.dstNs === ns) &&
      (!podKey || f.srcPod === podKey || f.dstPod === podKey || f.srcPod?.startsWith(podKey) || f.dstPod?.startsWith(podKey)) &&
      (!verdict || f.verdict === verdict) &&
      (!proto || (proto === 'http' ? f.l7 : f.proto === proto)),
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
