/**
 * Predict, then see: a step's `predict` names a trace and what to ask; the engine traces it and
 * builds the question from the result — the true answer plus plausible wrong ones taken from the
 * same cluster (other devices of the same namespace, other nodes, the Service's other endpoints,
 * the size without the tunnel's or the Ethernet header's bytes, other encapsulations) — in an
 * order seeded by the learner's seed and the step, and for each choice an explanation built from
 * the hop's own data. Deterministic: the same instance, step and cluster give the same question.
 */
import { networkOf } from '../cni/network';
import type { Cluster } from '../model/cluster';
import type { NetnsId } from '../model/ids';
import { ETHERNET_HEADER, IPV4_HEADER, UDP_HEADER, VXLAN_HEADER } from '../model/packet';
import { servicesOf } from '../services/table';
import { formatIpv4 } from '../addressing/ipv4';
import { Rng } from '../sim/rng';
import { trace } from '../trace/tracer';
import type { TraceHop, TraceResult } from '../trace/traceTypes';
import { fnv32a } from '../util/hash';
import { requestText } from './checks/trace';
import type { LessonContext, LessonInstance, Predict, Prediction } from './types';

interface Choice {
  text: string;
  why: string;
}

/** Where the animation stops: the first hop matching `at`, else `fallback`'s pick. */
function stopIndex(hops: TraceHop[], at: Predict['at'], fallback: (h: TraceHop, i: number) => boolean): number {
  const match = (h: TraceHop, i: number) =>
    at ? (at.action === undefined || h.action === at.action) && (at.node === undefined || h.node === at.node) && (at.device === undefined || h.device === at.device) && (at.netns === undefined || h.netns === at.netns) : fallback(h, i);
  return hops.findIndex(match);
}

/**
 * Pull a stop back to the first of the hops before it that already show the answer (`same`):
 * a neighbour lookup on flannel.1 names the device before its encap hop does, and the canvas
 * labels every hop with the frame's size — holding the packet on any of them gives it away.
 */
function firstOfRun(hops: TraceHop[], stop: number, same: (h: TraceHop) => boolean): number {
  if (stop < 0) return stop;
  while (stop > 1 && same(hops[stop - 1])) stop--;
  return stop;
}

const where = (h: TraceHop) => h.node ?? h.netns;
const hopText = (h: TraceHop) => `${h.action} on ${h.device || '(no device)'} in ${h.netns}`;

function distinct(choices: Choice[], max: number): Choice[] {
  const seen = new Set<string>();
  const out: Choice[] = [];
  for (const c of choices) {
    if (seen.has(c.text)) continue;
    seen.add(c.text);
    out.push(c);
    if (out.length === max) break;
  }
  return out;
}

/** The Service whose ClusterIP (or LoadBalancer/external IP) is `ip`, and its ready endpoints' addresses. */
function serviceEndpoints(cluster: Cluster, ip: string): { name: string; endpoints: string[]; port?: number } | undefined {
  for (const s of servicesOf(cluster).services) {
    const addrs = [s.clusterIP, s.loadBalancerIP, ...s.externalIPs].filter((x) => x !== null && x !== undefined).map((x) => formatIpv4(x));
    if (!addrs.includes(ip)) continue;
    return { name: `${s.namespace}/${s.name}`, endpoints: s.endpoints.filter((e) => e.ready).map((e) => formatIpv4(e.ip)) };
  }
  return undefined;
}

function build(cluster: Cluster, p: Predict, result: TraceResult): { stop: number; question: string; right: Choice; wrong: Choice[] } | null {
  const hops = result.hops;
  const req = requestText(p.trace);
  switch (p.ask) {
    case 'verdict': {
      const drop = [...hops].reverse().find((h) => h.decision?.verdict === 'drop' || h.action === 'drop');
      const fact = result.verdict === 'delivered' ? `it reached ${where(hops[hops.length - 1])} (${hops[hops.length - 1].netns})` : `${result.reason ?? 'no reason'}${drop ? ` — at ${hopText(drop)}${drop.decision?.policies ? `, policy ${drop.decision.policies.join(', ')}` : ''}` : ''}`;
      const all: Choice[] = (['delivered', 'dropped', 'unreachable'] as const).map((v) => ({ text: v, why: v === result.verdict ? `Right: the packet was ${v}: ${fact}.` : `Not ${v}: the packet was ${result.verdict}: ${fact}.` }));
      return { stop: -1, question: `${req}: delivered, dropped, or unreachable?`, right: all.find((c) => c.text === result.verdict)!, wrong: all.filter((c) => c.text !== result.verdict) };
    }
    case 'next-device': {
      const at = stopIndex(hops, p.at, (h, i) => i > 0 && (h.action === 'veth' || h.action === 'bridge' || h.action === 'encap' || h.action === 'xmit'));
      if (at < 0) return null;
      let stop = firstOfRun(hops, at, (x) => x.device === hops[at].device && x.netns === hops[at].netns);
      // The routing decision just before names its output device: hold the packet before it too.
      if (stop > 1 && hops[stop - 1].action === 'route') stop--;
      const h = hops[at];
      const ns = networkOf(cluster).get(h.netns as NetnsId);
      const prev = hops[stop - 1];
      const others = [...(ns?.links.map((l) => l.name) ?? []), ...hops.map((x) => x.device)].filter((d) => d && d !== h.device && d !== 'lo');
      const wrong = others.map((d) => ({ text: d, why: `Not ${d}: the packet's next step is ${hopText(h)}${prev ? `, after ${hopText(prev)}` : ''}. ${h.detail ? `(${h.action}: the engine's reason is on that hop)` : ''}`.trim() }));
      return { stop, question: `${req}: the packet is in ${h.netns}. Which device does it go through next?`, right: { text: h.device, why: `Right: ${hopText(h)}${h.decision?.dnat ? `, destination translated ${h.decision.dnat.from} → ${h.decision.dnat.to}` : ''}.` }, wrong };
    }
    case 'node': {
      const first = hops[0]?.node;
      const stop = stopIndex(hops, p.at, (h) => h.node !== null && h.node !== first);
      const h = stop >= 0 ? hops[stop] : hops[hops.length - 1];
      if (!h?.node) return null;
      const wrong = cluster.nodes.filter((n) => n.meta.name !== h.node).map((n) => ({ text: n.meta.name, why: `Not ${n.meta.name}: the packet ${h.action === 'deliver' ? 'is delivered' : 'arrives'} on ${h.node} (${hopText(h)}), addressed to ${h.packet.dst}.` }));
      return { stop: stop >= 0 ? stop : hops.length - 1, question: `${req}: on which node does the packet ${p.at?.action === 'deliver' ? 'arrive' : 'go next'}?`, right: { text: h.node, why: `Right: ${hopText(h)} on ${h.node}; the packet's destination is ${h.packet.dst}.` }, wrong };
    }
    case 'dnat-endpoint': {
      const stop = stopIndex(hops, p.at, (h) => !!h.decision?.dnat);
      const h = hops[stop];
      if (!h?.decision?.dnat) return null;
      const { from, to } = h.decision.dnat;
      const toIp = to.split(':')[0];
      const fromIp = from.split(':')[0];
      const svc = serviceEndpoints(cluster, fromIp);
      const by = h.decision.chains?.join(' → ') ?? h.decision.by;
      const port = to.includes(':') ? `:${to.split(':')[1]}` : '';
      const wrong: Choice[] = (svc?.endpoints ?? []).filter((e) => e !== toIp).map((e) => ({ text: `${e}${port}`, why: `Not ${e}: that is another endpoint of ${svc!.name}; this time ${by} picked ${to}. Each new connection may pick any endpoint.` }));
      wrong.push({ text: from, why: `Not ${from}: the ClusterIP is virtual, nothing listens on it; ${by} translated it to ${to}.` });
      return { stop, question: `${req}: the packet is addressed to ${from}${svc ? ` (Service ${svc.name})` : ''}. After ${h.decision.hook}, where is it going?`, right: { text: to, why: `Right: ${by} translated ${from} → ${to}${svc ? `, one of the ${svc.endpoints.length} ready endpoints of ${svc.name}` : ''}.` }, wrong };
    }
    case 'wire-bytes': {
      const at = stopIndex(hops, p.at, (h) => h.action === 'encap' || h.action === 'wire');
      const stop = firstOfRun(hops, at, (x) => x.packet.size === hops[at].packet.size && !!x.packet.encap === !!hops[at].packet.encap);
      const h = stop >= 0 ? hops[at] : undefined;
      if (!h) return null;
      const size = h.packet.size;
      const tunnel = IPV4_HEADER + UDP_HEADER + VXLAN_HEADER + ETHERNET_HEADER;
      const e = h.packet.encap;
      const wrong: Choice[] = [];
      if (e?.type === 'vxlan' || e?.type === 'geneve') wrong.push({ text: String(size - tunnel), why: `Not ${size - tunnel}: that is the inner frame alone; ${e.type} adds ${tunnel} bytes (outer IP 20 + UDP 8 + VXLAN 8 + inner Ethernet 14).` });
      else wrong.push({ text: String(size + tunnel), why: `Not ${size + tunnel}: that would be the frame inside a VXLAN tunnel (50 bytes more); this packet is ${e ? `${e.type}-encapsulated` : 'not encapsulated'} here.` });
      if (e?.type === 'ipip') wrong.push({ text: String(size - IPV4_HEADER), why: `Not ${size - IPV4_HEADER}: IP-in-IP adds an outer IPv4 header of 20 bytes.` });
      wrong.push({ text: String(size - ETHERNET_HEADER), why: `Not ${size - ETHERNET_HEADER}: that leaves out the ${ETHERNET_HEADER}-byte Ethernet header the frame carries on the wire.` });
      wrong.push({ text: String(size + 20), why: `Not ${size + 20}: no extra IPv4 header is added here.` });
      return { stop, question: `${req}: how many bytes is the frame at ${hopText(h)}?`, right: { text: String(size), why: `Right: ${size} bytes${e ? `, ${e.type}${e.vni !== undefined ? ` VNI ${e.vni}` : ''} from ${e.src} to ${e.dst}` : ''} (the packet is ${h.packet.src} → ${h.packet.dst}).` }, wrong };
    }
    case 'encap': {
      const at = stopIndex(hops, p.at, (h) => h.action === 'encap' || h.action === 'wire');
      const stop = firstOfRun(hops, at, (x) => !!x.packet.encap && !!hops[at].packet.encap);
      const h = stop >= 0 ? hops[at] : undefined;
      if (!h) return null;
      const e = hops.slice(stop).find((x) => x.packet.encap)?.packet.encap;
      const text = (t: string, vni?: number) => (t === 'none' ? 'none (plain routing)' : `${t}${vni !== undefined ? ` VNI ${vni}` : ''}`);
      const right = e ? text(e.type, e.vni) : text('none');
      const fact = e ? `the node wraps it in ${e.type}${e.vni !== undefined ? ` with VNI ${e.vni}` : ''}, outer ${e.src} → ${e.dst}` : `it leaves ${where(h)} unencapsulated, routed by its own destination ${h.packet.dst}`;
      // The other ways a CNI carries pod traffic between nodes (flannel's VXLAN uses VNI 1).
      const wrong = ['vxlan', 'ipip', 'none', 'wireguard'].filter((t) => t !== (e?.type ?? 'none')).map((t) => ({ text: text(t, t === 'vxlan' ? 1 : undefined), why: `Not ${t}: ${fact}.` }));
      return { stop, question: `${req}: how does the packet leave ${where(h)}?`, right: { text: right, why: `Right: ${fact}.` }, wrong };
    }
  }
}

/** The question of step `stepIndex`'s `predict` on `ctx`'s cluster, or null when the step has none or the trace has no such hop. */
export function predictionFor(inst: LessonInstance, stepIndex: number, ctx: LessonContext): Prediction | null {
  const step = inst.spec.steps[stepIndex];
  const p = step?.predict;
  if (!p) return null;
  const result = trace(ctx.cluster, p.trace);
  if (p.ask !== 'verdict' && result.hops.length === 0) return null;
  const q = build(ctx.cluster, p, result);
  if (!q) return null;
  const rng = new Rng(fnv32a(`predict:${inst.lesson.meta.id}:${step.id}:${inst.seed}`));
  // Up to three wrong choices, drawn from the plausible ones in a seeded order.
  const pool = distinct(q.wrong.filter((c) => c.text !== q.right.text), Infinity);
  const wrong: Choice[] = [];
  while (pool.length && wrong.length < 3) wrong.push(pool.splice(rng.int(pool.length), 1)[0]);
  const choices = [q.right, ...wrong];
  for (let i = choices.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [choices[i], choices[j]] = [choices[j], choices[i]];
  }
  return { request: p.trace, stopBeforeHop: q.stop, question: q.question, choices: choices.map((c) => c.text), answer: choices.indexOf(q.right), explain: choices.map((c) => c.why) };
}
