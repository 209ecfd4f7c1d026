/**
 * The `trace` check: the engine traces a request (one the check names, or the learner's last
 * trace, re-run on the current cluster) and the result must meet every expectation. It reads
 * only structured hop fields: node, netns, device, the packet view (size, encapsulation with
 * its VNI) and a hop's `decision` (the DNAT it made, the chains it walked, the policies that
 * dropped it), never the `detail` text.
 */
import type { Cluster } from '../../model/cluster';
import { trace } from '../../trace/tracer';
import type { TraceHop, TraceLeg, TraceRequest, TraceResult } from '../../trace/traceTypes';
import type { CheckResult, HopPlace, LessonContext, TraceCheck, TraceExpect } from '../types';
import { countMatches, countText, failed, pass, splitName } from './cluster';

/** The request a trace check runs: its own, or the learner's last; a string says why there is none. */
export function requestOf(c: TraceCheck, ctx: LessonContext): TraceRequest | string {
  if (c.last) return ctx.traces.length ? ctx.traces[ctx.traces.length - 1] : 'no trace has been run yet';
  return { from: c.from!, to: c.to!, proto: c.proto ?? (c.port !== undefined ? 'tcp' : 'icmp'), ...(c.port !== undefined ? { port: c.port } : {}), ...(c.size !== undefined ? { size: c.size } : {}), ...(c.df !== undefined ? { df: c.df } : {}) };
}

export function requestText(r: TraceRequest): string {
  return `${r.from} → ${r.to} (${r.proto}${r.port !== undefined ? `/${r.port}` : ''})`;
}

const placeText = (p: HopPlace) => [p.node !== undefined ? `node ${p.node}` : '', p.netns !== undefined ? `netns ${p.netns}` : '', p.device !== undefined ? `device ${p.device}` : ''].filter(Boolean).join(' ');

function hopAt(h: TraceHop, p: HopPlace): boolean {
  return (p.node === undefined || h.node === p.node) && (p.netns === undefined || h.netns === p.netns) && (p.device === undefined || h.device === p.device);
}

const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

/** `ns/name` with the default namespace made explicit. */
const policyKey = (text: string) => {
  const { namespace, name } = splitName(text);
  return `${namespace}/${name}`;
};

/** Does `chain` name one of the chains a decision walked (a prefix such as KUBE-SVC- counts), or its translator? */
function chainMatches(chain: string, chains: string[] | undefined, by: string): boolean {
  return (chains ?? []).some((c) => c === chain || c.startsWith(chain)) || by === chain || by.startsWith(chain);
}

function toMatches(want: string, got: string): boolean {
  return want.includes(':') ? got === want : got.split(':')[0] === want;
}

/** Every expectation of `e` on one leg; the problems found (empty: it passes). */
export function legProblems(e: TraceExpect, leg: TraceLeg): string[] {
  const problems: string[] = [];
  const hops = leg.hops;
  if (e.verdict !== undefined && leg.verdict !== e.verdict) problems.push(`expected ${e.verdict}; it was ${leg.verdict}${leg.reason ? ` (${leg.reason})` : ''}`);
  for (const p of e.crosses !== undefined ? list(e.crosses) : []) if (!hops.some((h) => hopAt(h, p))) problems.push(`expected the path to cross ${placeText(p)}; it does not`);
  for (const p of e.avoids !== undefined ? list(e.avoids) : []) {
    const h = hops.find((x) => hopAt(x, p));
    if (h) problems.push(`expected the path to avoid ${placeText(p)}; it crosses it (${h.action} in ${h.netns}${h.device ? ` on ${h.device}` : ''})`);
  }
  if (e.encap === false) {
    const h = hops.find((x) => x.packet.encap);
    if (h) problems.push(`expected no encapsulation; the packet is ${h.packet.encap!.type}-encapsulated on ${h.node ?? h.netns} ${h.device}`);
  } else if (e.encap !== undefined) {
    const want = e.encap;
    const encs = hops.map((h) => h.packet.encap).filter((x) => !!x);
    const ok = encs.some((x) => x.type === want.type && (want.vni === undefined || x.vni === want.vni));
    if (!ok) {
      const seen = [...new Set(encs.map((x) => `${x.type}${x.vni !== undefined ? ` VNI ${x.vni}` : ''}`))];
      problems.push(`expected ${want.type}${want.vni !== undefined ? ` with VNI ${want.vni}` : ''} encapsulation; ${seen.length ? `the packet was ${seen.join(', ')}` : 'it was never encapsulated'}`);
    }
  }
  if (e.dnat !== undefined) {
    const want = e.dnat;
    const dnats = hops.filter((h) => h.decision?.dnat);
    const ok = dnats.some((h) => (want.chain === undefined || chainMatches(want.chain, h.decision!.chains, h.decision!.by)) && (want.to === undefined || toMatches(want.to, h.decision!.dnat!.to)));
    if (!ok) {
      const what = `expected a DNAT${want.chain ? ` by ${want.chain}` : ''}${want.to ? ` to ${want.to}` : ''}`;
      problems.push(dnats.length ? `${what}; the destination was translated ${dnats.map((h) => `${h.decision!.dnat!.from} → ${h.decision!.dnat!.to} by ${h.decision!.chains?.join(' → ') ?? h.decision!.by}`).join(', ')}` : `${what}; no hop translated the destination`);
    }
  }
  if (e.droppedBy !== undefined) {
    const want = e.droppedBy;
    const what = `expected the packet to be dropped${want.policy ? ` by policy ${want.policy}` : ''}${want.hook ? ` at ${want.hook}` : ''}`;
    const drop = [...hops].reverse().find((h) => h.decision?.verdict === 'drop');
    if (leg.verdict === 'delivered') problems.push(`${what}; it was delivered`);
    else if (!drop) problems.push(`${what}; it was ${leg.verdict} without a netfilter or eBPF drop (${leg.reason ?? 'no reason'})`);
    else {
      const d = drop.decision!;
      if (want.policy !== undefined && !(d.policies ?? []).includes(policyKey(want.policy))) problems.push(`${what}; ${d.policies?.length ? `the policies that decided were ${d.policies.join(', ')}` : `${d.by} dropped it at ${d.hook}, not a NetworkPolicy`}`);
      if (want.hook !== undefined && d.hook !== want.hook && d.by !== want.hook) problems.push(`${what}; it was dropped at ${d.hook} by ${d.by}`);
    }
  }
  if (e.wireBytes !== undefined) {
    const largest = Math.max(0, ...hops.map((h) => h.packet.size));
    if (!countMatches(e.wireBytes, largest)) problems.push(`expected the largest frame on the wire to be ${countText(e.wireBytes)} bytes; it was ${largest}`);
  }
  return problems;
}

/** Evaluate a trace check on an already computed result. */
export function judgeTrace(c: TraceCheck, req: TraceRequest, result: TraceResult): CheckResult {
  const problems = legProblems(c, result);
  if (c.reply) {
    if (!result.reply) problems.push(`expected a reply leg; there is none (the request was ${result.verdict})`);
    else problems.push(...legProblems(c.reply, result.reply).map((p) => `reply: ${p}`));
  }
  const r = requestText(req);
  return problems.length ? failed('trace', `trace ${r}: ${problems.join('; ')}`) : pass('trace', `trace ${r}: ${result.verdict}${result.reply ? `, reply ${result.reply.verdict}` : ''}`);
}

export function checkTrace(c: TraceCheck, ctx: LessonContext, tracer: (cluster: Cluster, req: TraceRequest) => TraceResult = trace): CheckResult {
  const req = requestOf(c, ctx);
  if (typeof req === 'string') return failed('trace', `expected your last trace to be checked; ${req}`);
  return judgeTrace(c, req, tracer(ctx.cluster, req));
}
