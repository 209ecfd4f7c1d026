/**
 * Trace playback, as pure functions: the request and reply hops as one sequence the cursor
 * walks, and where on the drawing a hop happens.
 */
import type { TraceHop, TraceResult } from '../../engine/trace/traceTypes';
import { flowIds } from '../toFlow';

export type Leg = 'request' | 'reply';

export interface PlayHop {
  leg: Leg;
  /** Index inside its leg (what the hop list shows as #). */
  index: number;
  hop: TraceHop;
}

/** Request hops, then reply hops. */
export function flattenHops(result: TraceResult | null): PlayHop[] {
  if (!result) return [];
  const out: PlayHop[] = result.hops.map((hop, index) => ({ leg: 'request', index, hop }));
  if (result.reply) out.push(...result.reply.hops.map((hop, index) => ({ leg: 'reply' as const, index, hop })));
  return out;
}

export function hopCount(result: TraceResult | null): number {
  return result ? result.hops.length + (result.reply?.hops.length ?? 0) : 0;
}

/** Move the cursor by `delta`, clamped to the hops; -1 (nothing selected) steps to the first hop. */
export function stepCursor(cursor: number, delta: number, count: number): number {
  if (count === 0) return -1;
  if (cursor < 0) return delta > 0 ? 0 : -1;
  return Math.max(0, Math.min(count - 1, cursor + delta));
}

/**
 * The flow node a hop is drawn at: the device in a node namespace, the pod for anything in a
 * pod namespace, the switch for the node network; when the device is not drawn (lo,
 * cilium_net...), the enclosing node box. `undefined` when nothing matches.
 */
export function hopAnchorId(hop: TraceHop, drawn: ReadonlySet<string>): string | undefined {
  const ns = hop.netns;
  const candidates: string[] = [];
  if (ns.startsWith('pod/')) {
    const [namespace, ...rest] = ns.slice(4).split('/');
    candidates.push(flowIds.pod(namespace, rest.join('/')));
  } else if (ns.startsWith('node/')) {
    const node = ns.slice(5);
    // The wire hop is on the node network, whichever NIC it left from.
    if (hop.action === 'wire') candidates.push(flowIds.segment('nodes'));
    candidates.push(flowIds.device(node, hop.device), flowIds.node(node));
  } else if (ns.startsWith('net/')) {
    candidates.push(flowIds.segment(ns.slice(4)));
  }
  if (hop.action === 'wire') candidates.push(flowIds.segment('nodes'));
  if (hop.node) candidates.push(flowIds.device(hop.node, hop.device), flowIds.node(hop.node));
  return candidates.find((id) => drawn.has(id));
}

/** `VXLAN 192.168.1.11 → 192.168.1.12 vni 1 :8472`, or '' when not encapsulated. */
export function encapLabel(hop: TraceHop): string {
  const e = hop.packet.encap;
  if (!e) return '';
  const port = e.dstPort !== undefined ? ` :${e.dstPort}` : '';
  const vni = e.vni !== undefined ? ` vni ${e.vni}` : '';
  return `${e.type.toUpperCase()} ${e.src} → ${e.dst}${vni}${port}`;
}

/** `10.244.1.2 → 10.244.2.2` with ports for TCP/UDP. */
export function flowLabel(hop: TraceHop): string {
  const p = hop.packet;
  const sp = p.srcPort !== undefined ? `:${p.srcPort}` : '';
  const dp = p.dstPort !== undefined ? `:${p.dstPort}` : '';
  return `${p.src}${sp} → ${p.dst}${dp}`;
}
