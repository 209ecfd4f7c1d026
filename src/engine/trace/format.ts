/**
 * Trace output: the human-readable hop list `podpath trace` prints, and the stable JSON of
 * the `--json` contract (hops without the full `repr`, keys in a fixed order).
 */
import type { HopDecision, PacketView, TraceHop, TraceLeg, TraceResult } from './traceTypes';

/** `10.244.1.2:40312 > 10.244.2.3:80 tcp ttl 64 74B [vxlan 192.168.1.11 > 192.168.1.12:8472 vni 1]` */
export function packetSummary(p: PacketView): string {
  const ep = (ip: string, port?: number) => (port !== undefined ? `${ip}:${port}` : ip);
  let s = `${ep(p.src, p.srcPort)} > ${ep(p.dst, p.dstPort)} ${p.proto} ttl ${p.ttl} ${p.size}B`;
  if (p.encap) {
    const e = p.encap;
    s += ` [${e.type} ${e.src} > ${e.dst}${e.dstPort !== undefined ? `:${e.dstPort}` : ''}${e.vni !== undefined ? ` vni ${e.vni}` : ''}]`;
  }
  return s;
}

function legLines(leg: TraceLeg, title: string): string[] {
  const rows = leg.hops.map((h, i) => [String(i + 1), h.node ?? '-', h.netns, h.device || '-', h.action]);
  const widths = [0, 1, 2, 3, 4].map((c) => Math.max(0, ...rows.map((r) => r[c].length)));
  const lines = [`${title}: ${leg.verdict}${leg.reason ? ` (${leg.reason})` : ''}${leg.note ? ` — ${leg.note}` : ''}, ${leg.hops.length} hops`];
  leg.hops.forEach((h, i) => {
    const cols = rows[i].map((v, c) => (c === 0 ? v.padStart(widths[c]) : v.padEnd(widths[c])));
    lines.push(`  ${cols.join('  ')}  ${h.detail}`);
    lines.push(`  ${' '.repeat(widths[0])}  ${packetSummary(h.packet)}`);
  });
  return lines;
}

export function formatTrace(result: TraceResult): string {
  const first = result.hops[0]?.packet;
  const head = first ? `${first.src} → ${first.dst} ${first.proto}${first.dstPort !== undefined ? `/${first.dstPort}` : ''}` : 'trace';
  const lines = legLines(result, head);
  if (result.reply) lines.push('', ...legLines(result.reply, 'reply'));
  return lines.join('\n') + '\n';
}

function hopJson(h: TraceHop) {
  const p = h.packet;
  const packet: Record<string, unknown> = { src: p.src, dst: p.dst, proto: p.proto };
  if (p.srcPort !== undefined) packet.srcPort = p.srcPort;
  if (p.dstPort !== undefined) packet.dstPort = p.dstPort;
  packet.ttl = p.ttl;
  packet.size = p.size;
  if (p.encap) {
    const e: Record<string, unknown> = { type: p.encap.type, src: p.encap.src, dst: p.encap.dst };
    if (p.encap.dstPort !== undefined) e.dstPort = p.encap.dstPort;
    if (p.encap.vni !== undefined) e.vni = p.encap.vni;
    packet.encap = e;
  }
  const f = h.fabric;
  const fabric = f ? { fabric: { network: f.network, route: f.route, kind: f.kind, node: f.node, dev: f.dev } } : {};
  return { node: h.node, netns: h.netns, device: h.device, action: h.action, detail: h.detail, ...fabric, packet, ...(h.decision ? { decision: decisionJson(h.decision) } : {}) };
}

/** A hop's structured decision, keys in a fixed order, absent parts left out (as lesson checks read it). */
function decisionJson(d: HopDecision) {
  return {
    hook: d.hook,
    by: d.by,
    verdict: d.verdict,
    ...(d.dnat ? { dnat: { from: d.dnat.from, to: d.dnat.to } } : {}),
    ...(d.snat ? { snat: { from: d.snat.from, to: d.snat.to } } : {}),
    ...(d.chains ? { chains: [...d.chains] } : {}),
    ...(d.policies ? { policies: [...d.policies] } : {}),
  };
}

function legJson(leg: TraceLeg) {
  return { verdict: leg.verdict, ...(leg.reason !== undefined ? { reason: leg.reason } : {}), ...(leg.note !== undefined ? { note: leg.note } : {}), hops: leg.hops.map(hopJson) };
}

export function traceToJson(result: TraceResult): unknown {
  return { ...legJson(result), ...(result.reply ? { reply: legJson(result.reply) } : {}) };
}
