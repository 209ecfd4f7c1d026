/**
 * What the compare view says about one trace, read from its hops: how many, the biggest packet
 * on the wire, and the encapsulation it carried there. The byte counts are the engine's
 * (PacketView.size, Ethernet included on a link), so the overhead is the packet on the node
 * network minus the same packet on a link without encapsulation (the pod's veth).
 */
import type { TraceHop, TraceResult } from '../../engine/trace/traceTypes';
import { encapLabel } from '../trace/playback';

export interface CompareSide {
  /** All hops listed: the request's and the reply's (requestHops + replyHops). */
  hops: number;
  requestHops: number;
  replyHops: number;
  /** The packet on a link without encapsulation (the pod's veth), bytes. */
  plainSize: number;
  /** Size on the node network (the wire hop; the largest size when there is none). */
  wireSize: number;
  /** wireSize − plainSize: the bytes the encapsulation adds. */
  overhead: number;
  /** `VXLAN 192.168.1.11 → 192.168.1.12 vni 1 :8472`, or '' when routed natively. */
  encap: string;
  /** The headers the encapsulation adds, in order. */
  headers: string;
}

/** The outer headers of each encapsulation (RFC 7348 VXLAN, RFC 2003 IP-in-IP, WireGuard's transport data message, RFC 8926 Geneve). */
const HEADERS: Record<string, string> = {
  vxlan: 'outer Ethernet + IPv4 + UDP + VXLAN',
  ipip: 'outer IPv4',
  wireguard: 'outer IPv4 + UDP + WireGuard',
  geneve: 'outer Ethernet + IPv4 + UDP + Geneve',
};

export function compareSummary(result: TraceResult): CompareSide {
  const hops = result.hops;
  const plainSize = Math.max(0, ...hops.filter((h) => !h.packet.encap).map((h) => h.packet.size));
  const wire = hops.find((h) => h.action === 'wire');
  const wireSize = wire?.packet.size ?? Math.max(0, ...hops.map((h) => h.packet.size));
  const encapHop = wire?.packet.encap ? wire : hops.find((h) => h.packet.encap);
  const type = encapHop?.packet.encap?.type;
  return {
    hops: hops.length + (result.reply?.hops.length ?? 0),
    requestHops: hops.length,
    replyHops: result.reply?.hops.length ?? 0,
    plainSize,
    wireSize,
    overhead: Math.max(0, wireSize - plainSize),
    encap: encapHop ? encapLabel(encapHop) : '',
    headers: type ? (HEADERS[type] ?? type) : '',
  };
}

/** One row of two paths laid side by side: a hop of each, or of one side only. */
export interface AlignedRow {
  left?: number;
  right?: number;
  /** Both sides have a hop here and it is the same step (action, place, device, encapsulation). */
  same: boolean;
}

/** Where a hop happens, for matching: the pod's netns, or the node (its host netns). */
const place = (h: TraceHop) => (h.netns.startsWith('pod/') ? h.netns : (h.node ?? h.netns));
const stepKey = (h: TraceHop) => `${h.action}|${place(h)}`;
const sameStep = (a: TraceHop, b: TraceHop) => a.device === b.device && (a.packet.encap?.type ?? '') === (b.packet.encap?.type ?? '');

/**
 * Two paths aligned hop by hop: the longest common subsequence of their steps (action at a
 * place: same pod or same node), so what both do lines up and what only one does (a bridge, a
 * tunnel, a BPF program) gets a row of its own. Every hop of both sides appears exactly once,
 * in order.
 */
export function alignHops(a: readonly TraceHop[], b: readonly TraceHop[]): AlignedRow[] {
  const ka = a.map(stepKey);
  const kb = b.map(stepKey);
  // lcs[i][j]: the common steps of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = ka[i] === kb[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const rows: AlignedRow[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && ka[i] === kb[j]) {
      rows.push({ left: i, right: j, same: sameStep(a[i], b[j]) });
      i++;
      j++;
    } else if (j >= b.length || (i < a.length && lcs[i + 1][j] >= lcs[i][j + 1])) rows.push({ left: i++, same: false });
    else rows.push({ right: j++, same: false });
  }
  return rows;
}
